import { TomlDocument } from '../text/tomlDocument';
import type { Workspace } from '../workspace';

/** A dependency the project declares, with where it is declared. */
export interface DeclaredDependency {
  /** Normalised distribution name (PEP 503: lower case, runs of -_. as -). */
  name: string;
  /** The requirement as written. */
  raw: string;
  file: string;
  /** 0-based line of the declaration. */
  line: number;
  /** `main`, an optional-dependencies extra, or a dependency group. */
  group: string;
}

export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/** The distribution name at the start of a PEP 508 requirement string, or undefined for URLs, options, comments. */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  if (!m || /^\s*(-|#|git\+|https?:)/.test(req)) return undefined;
  return normaliseName(m[1]);
}

/**
 * Every dependency the project declares in requirements*.txt files at the top level and in pyproject.toml
 * ([project] dependencies and optional-dependencies, [dependency-groups]). A first version for cross-family checks
 * (DVC remote plugins, Hydra `_target_` packages); the DEP family owns and extends the parsing.
 */
export function declaredDependencies(ws: Workspace): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const rel of ws.paths()) {
    if (rel.includes('/') || !/^requirements.*\.(txt|in)$/.test(rel)) continue;
    const r = ws.readText(rel);
    if (!r.ok) continue;
    r.text.split(/\r?\n/).forEach((line, i) => {
      const name = requirementName(line.replace(/\s+#.*$/, ''));
      if (name) out.push({ name, raw: line.trim(), file: rel, line: i, group: /dev|test/.test(rel) ? 'dev' : 'main' });
    });
  }
  const py = ws.toml('pyproject.toml');
  if (py instanceof TomlDocument && py.value) {
    const add = (list: unknown, group: string, table: string, key: string): void => {
      if (!Array.isArray(list)) return;
      const at = py.keyRange(table, key)?.start.line ?? 0;
      for (const item of list) {
        if (typeof item !== 'string') continue;
        const name = requirementName(item);
        if (name) out.push({ name, raw: item, file: 'pyproject.toml', line: at, group });
      }
    };
    add(py.get(['project', 'dependencies']), 'main', 'project', 'dependencies');
    const opt = py.get(['project', 'optional-dependencies']);
    if (opt && typeof opt === 'object') for (const [k, v] of Object.entries(opt)) add(v, k, 'project.optional-dependencies', k);
    const groups = py.get(['dependency-groups']);
    if (groups && typeof groups === 'object') for (const [k, v] of Object.entries(groups)) add(v, k, 'dependency-groups', k);
  }
  return out;
}
