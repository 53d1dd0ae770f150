import { isMap, isScalar, type YAMLMap } from 'yaml';
import type { ContextBase } from '../rule';
import { TomlDocument } from '../text/tomlDocument';
import { YamlDocument } from '../text/yamlDocument';
import type { Workspace } from '../workspace';
import { buildContext, commandsOf, imagePathToSources, isDockerfile, parseDockerfile } from '../docker/dockerfile';
import { isWorkflowFile, readWorkflow } from '../gha/workflow';
import {
  isRequirementsFile,
  isVendored,
  pyprojectDependencies,
  readRequirementsTree,
  resolveRelative,
  type DeclaredDependency,
  type RequirementsFile,
} from './dependencies';
import { condaDependencies, mlflowEnvDependencies } from './conda';

/**
 * The one answer to "which dependency files does this project have", and what they declare. PRJ006, the DEP rules,
 * HYD015, DVC062 and the Hydra project model all ask here.
 */

export type DependencyFileKind = 'requirements' | 'constraints' | 'pyproject' | 'setup.py' | 'setup.cfg' | 'pipfile' | 'conda' | 'mlflow-env';

export interface DependencyFile {
  file: string;
  kind: DependencyFileKind;
  /**
   * How it was found: by its name (requirements*.txt, pyproject.toml, environment.yml, ... in any folder), or because
   * something installs it: a `-r`/`-c` include, pyproject's dynamic dependencies, a Dockerfile's or a workflow's
   * `pip install -r`, an MLproject's `python_env`/`conda_env`.
   */
  via: 'name' | 'include' | 'pyproject' | 'dockerfile' | 'workflow' | 'mlproject';
  /** What references it (for `via` other than `name`), 0-based line. */
  from?: { file: string; line: number };
}

/** Names of files that declare dependencies, in any folder (DKR003 also uses it for the files copied before the install). */
export function isDependencyFileName(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return isRequirementsFile(rel) || /^(pyproject\.toml|setup\.(py|cfg)|Pipfile|environment\.ya?ml|conda\.ya?ml|python_env\.ya?ml)$/.test(base);
}

function kindByName(rel: string): DependencyFileKind | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (isRequirementsFile(rel)) return /^constraints?\b/i.test(base) ? 'constraints' : 'requirements';
  if (/^constraints?([._-].*)?\.txt$/i.test(base)) return 'constraints';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'setup.py') return 'setup.py';
  if (base === 'setup.cfg') return 'setup.cfg';
  if (base === 'Pipfile') return 'pipfile';
  if (/^(environment|conda)\.ya?ml$/.test(base)) return 'conda';
  if (/^python_env\.ya?ml$/.test(base)) return 'mlflow-env';
  return undefined;
}

/** Whether a file of that kind declares anything (a pyproject.toml with only `[tool.ruff]` declares nothing). */
function declares(ws: Workspace, rel: string, kind: DependencyFileKind): boolean {
  if (kind === 'pyproject') {
    const doc = ws.toml(rel);
    if (!(doc instanceof TomlDocument)) return true; // unreadable or invalid: the engine reports it; do not say "no dependency file"
    const v = (doc.value ?? {}) as Record<string, unknown>;
    const tool = (v.tool ?? {}) as Record<string, unknown>;
    return 'project' in v || 'build-system' in v || 'dependency-groups' in v || 'poetry' in tool || 'pdm' in tool;
  }
  if (kind === 'setup.cfg') {
    const r = ws.readText(rel);
    return !r.ok || /^\s*\[(metadata|options)\]/m.test(r.text);
  }
  return true;
}

/** `pip install -r X` / `-c X` / `uv pip install -r X`, `conda env create -f X` in a shell command line. */
const PIP_FILE = /(?:^|[\s/;&|("'`])(?:pip(?:\d+(?:\.\d+)?)?|python(?:\d+(?:\.\d+)?)?\s+-m\s+pip|uv\s+pip)\s+(?:install|sync|compile)\b([^;&|\n"'`]*)/g;
const PIP_FILE_OPTION = /(?:^|\s)(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^-\s]))([^\s;&|"'`]+)/g;
const CONDA_FILE =
  /(?:^|[\s;&|("'`])(?:conda|mamba|micromamba)\s+(?:env\s+)?(?:create|update|install)\b[^;&|\n"'`]*?\s(?:-f|--file)(?:\s*=\s*|\s+)([^\s;&|"'`]+)/g;

/** Files a command line installs from, as written, with their offset in the text. */
export function installedFiles(command: string): { path: string; at: number; kind: DependencyFileKind }[] {
  const out: { path: string; at: number; kind: DependencyFileKind }[] = [];
  for (const m of command.matchAll(PIP_FILE)) {
    const argsAt = (m.index ?? 0) + m[0].length - m[1].length;
    for (const o of m[1].matchAll(PIP_FILE_OPTION)) {
      if (/^[a-z]+:\/\//.test(o[2]) || o[2].includes('$')) continue;
      out.push({ path: o[2], at: argsAt + (o.index ?? 0) + o[0].length - o[2].length, kind: /^-c|^--constraint/.test(o[1]) ? 'constraints' : 'requirements' });
    }
  }
  for (const m of command.matchAll(CONDA_FILE)) {
    if (m[1].includes('$')) continue;
    out.push({ path: m[1], at: (m.index ?? 0) + m[0].length - m[1].length, kind: /python_env/.test(m[1]) ? 'mlflow-env' : 'conda' });
  }
  return out;
}

/** Lists the project's dependency files. Files in run folders, environments, built and vendored code are not the project's. */
export function dependencyFiles(ws: Workspace): DependencyFile[] {
  const out = new Map<string, DependencyFile>();
  const mine = (rel: string): boolean => !isVendored(rel) && !ws.isRunArtefact(rel);
  const add = (f: DependencyFile): void => {
    if (out.has(f.file) || !mine(f.file) || !ws.has(f.file)) return;
    out.set(f.file, f);
  };
  // candidates by name first: asking every path whether it is in a run folder costs more than the name tests
  const named: [string, DependencyFileKind][] = [];
  const installers: string[] = [];
  for (const rel of ws.paths()) {
    const kind = kindByName(rel);
    if (kind) named.push([rel, kind]);
    else if (isDockerfile(rel) || isWorkflowFile(rel) || /(^|\/)MLproject$/.test(rel)) installers.push(rel);
  }
  named.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [rel, kind] of named) if (mine(rel) && declares(ws, rel, kind)) add({ file: rel, kind, via: 'name' });
  // what installs a file says it is a dependency file, whatever its name
  for (const rel of installers.filter(mine).sort()) {
    if (isDockerfile(rel)) {
      const r = ws.readText(rel);
      if (!r.ok) continue;
      const p = parseDockerfile(r.text);
      const context = buildContext(ws, rel, p);
      p.instructions.forEach((i, k) => {
        if (i.keyword !== 'RUN') return;
        for (const cmd of commandsOf(i.words)) {
          const text = cmd.map((w) => w.value).join(' ');
          for (const f of installedFiles(text)) {
            const sources = imagePathToSources(p, i.stage, k, context, f.path, ws) ?? [resolveRelative(context ? context + '/x' : 'x', f.path)];
            for (const s of sources) add({ file: s, kind: f.kind, via: 'dockerfile', from: { file: rel, line: i.range.start.line } });
          }
        }
      });
    } else if (isWorkflowFile(rel)) {
      const doc = ws.yaml(rel);
      if (!(doc instanceof YamlDocument) || doc.hasErrors) continue;
      const wf = readWorkflow(doc);
      for (const job of wf?.jobs ?? []) {
        const jobDir = workingDirectory(YamlDocument.pair(YamlDocument.pair(job.node, 'defaults')?.value, 'run')?.value);
        for (const step of job.steps) {
          if (!step.run) continue;
          const dir = workingDirectory(step.node) ?? jobDir ?? '';
          const line = doc.rangeOf(step.run.node).start.line;
          for (const f of installedFiles(step.run.value))
            add({ file: resolveRelative(dir ? dir + '/x' : 'x', f.path), kind: f.kind, via: 'workflow', from: { file: rel, line } });
        }
      }
    } else if (/(^|\/)MLproject$/.test(rel)) {
      const doc = ws.yaml(rel);
      if (!(doc instanceof YamlDocument) || !doc.rootMap) continue;
      for (const key of ['python_env', 'conda_env'] as const) {
        const pair = YamlDocument.pair(doc.rootMap, key);
        if (pair && isScalar(pair.value) && typeof pair.value.value === 'string') {
          add({
            file: resolveRelative(rel, pair.value.value),
            kind: key === 'python_env' ? 'mlflow-env' : 'conda',
            via: 'mlproject',
            from: { file: rel, line: doc.rangeOf(pair.value).start.line },
          });
        }
      }
    }
  }
  // includes (-r/-c) and pyproject's dynamic dependency files
  for (const f of [...out.values()]) {
    if (f.kind === 'requirements' || f.kind === 'constraints') {
      for (const t of readRequirementsTree(ws, f.file).slice(1)) {
        const parent = { file: f.file, line: 0 };
        add({ file: t.file, kind: t.constraint || f.kind === 'constraints' ? 'constraints' : 'requirements', via: 'include', from: parent });
      }
    } else if (f.kind === 'pyproject') {
      const doc = ws.toml(f.file);
      if (!(doc instanceof TomlDocument) || !doc.value) continue;
      for (const d of pyprojectDependencies(doc, f.file).dynamicFiles) {
        add({ file: d.file, kind: 'requirements', via: 'pyproject', from: { file: f.file, line: d.range.start.line } });
        for (const t of readRequirementsTree(ws, d.file).slice(1))
          add({ file: t.file, kind: t.constraint ? 'constraints' : 'requirements', via: 'include', from: { file: d.file, line: 0 } });
      }
    }
  }
  return [...out.values()];
}

function workingDirectory(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const v = YamlDocument.pair(node as YAMLMap, 'working-directory')?.value;
  if (!isScalar(v) || typeof v.value !== 'string' || v.value.includes('${{')) return undefined;
  return resolveRelative('x', v.value.replace(/^\.\//, ''));
}

// ------------------------------------------------------------------ what they declare

/** The project's declarations, read from its dependency files. */
export interface DependencySources {
  files: DependencyFile[];
  deps: DeclaredDependency[];
  /** Every requirements file read (directly, by inclusion, or as a dynamic dependency file). */
  requirementFiles: RequirementsFile[];
  /** Names pinned by constraint files (`-c`). */
  constrained: Set<string>;
  /** The project declares dependencies somewhere we can read (otherwise undeclared-import checks make no sense). */
  hasDeclarations: boolean;
  /** Declarations exist that we cannot read (setup.py install_requires, unresolved dynamic, Pipfile). */
  opaque: boolean;
}

/** Group a requirements file declares: dev/test/doc files are development groups. */
function groupOfFile(rel: string): string {
  return /dev|test|lint|doc/i.test(rel.slice(rel.lastIndexOf('/') + 1)) || /requirements\/(dev|test)/i.test(rel) ? 'dev' : 'main';
}

export function projectDependencySources(ws: Workspace): DependencySources {
  const files = dependencyFiles(ws);
  const deps: DeclaredDependency[] = [];
  const requirementFiles: RequirementsFile[] = [];
  const constrained = new Set<string>();
  const seen = new Set<string>();
  let opaque = false;
  const groupOf = new Map<string, string>();
  const constraintFiles = new Set(files.filter((f) => f.kind === 'constraints').map((f) => f.file));
  const readTree = (rel: string): void => {
    for (const f of readRequirementsTree(ws, rel, seen)) {
      requirementFiles.push(f);
      for (const l of f.lines) {
        if (f.constraint || constraintFiles.has(f.file)) {
          if (l.name) constrained.add(l.name);
          continue;
        }
        const name = l.name;
        if (!name || (l.kind !== 'requirement' && l.kind !== 'direct' && l.kind !== 'editable')) continue;
        deps.push({
          name,
          raw: l.text,
          file: f.file,
          line: l.line,
          group: groupOf.get(f.file) ?? groupOfFile(f.file),
          range: l.range,
          specifier: l.req?.specifier ?? '',
          direct: l.kind !== 'requirement',
        });
      }
    }
  };
  for (const f of files) {
    if (f.kind !== 'pyproject') continue;
    const doc = ws.toml(f.file);
    if (!(doc instanceof TomlDocument) || !doc.value) continue;
    const p = pyprojectDependencies(doc, f.file);
    deps.push(...p.deps);
    if (p.dynamicUnresolved) opaque = true;
    for (const d of p.dynamicFiles) groupOf.set(d.file, d.group);
  }
  for (const f of files) {
    if (f.kind === 'requirements' || f.kind === 'constraints') readTree(f.file);
    else if (f.kind === 'setup.py' || f.kind === 'setup.cfg' || f.kind === 'pipfile') {
      const r = ws.readText(f.file);
      if (r.ok && /install_requires|\[packages\]/.test(r.text)) opaque = true;
    } else if (f.kind === 'conda') deps.push(...condaDependencies(ws, f.file));
    else if (f.kind === 'mlflow-env') deps.push(...mlflowEnvDependencies(ws, f.file));
  }
  return { files, deps, requirementFiles, constrained, hasDeclarations: deps.length > 0 || requirementFiles.some((f) => !f.problem), opaque };
}

/** Every dependency the project declares, in all its dependency files. */
export function declaredDependencies(ws: Workspace): DeclaredDependency[] {
  return projectDependencySources(ws).deps;
}

/**
 * Names a requirements file may have when something installs it under another name (`-r docker/prod-deps.txt`): the
 * file rules that read requirements files apply to these, and ask `isRequirementsFileOf` before reading.
 */
export function mayBeRequirementsFile(rel: string): boolean {
  return isRequirementsFile(rel) || /\.(txt|in|pip)$/i.test(rel);
}

/**
 * Whether a file is one of the project's requirements files: by its name (no further question, so that such a file
 * does not depend on Dockerfiles and workflows), else because a Dockerfile, a workflow or an include installs it.
 */
export function isRequirementsFileOf(ctx: Pick<ContextBase, 'ws' | 'memo'>, rel: string): boolean {
  if (isRequirementsFile(rel)) return true;
  return dependencySourcesOf(ctx).files.some((f) => f.file === rel && f.kind === 'requirements');
}

/** The project's dependency files and declarations, once per check pass. */
export function dependencySourcesOf(ctx: Pick<ContextBase, 'ws' | 'memo'>): DependencySources {
  return ctx.memo('python:dependency-sources', () => projectDependencySources(ctx.ws));
}
