import { LINE_BREAK } from '../text/textIndex';
import { YamlDocument } from '../text/yamlDocument';
import type { Workspace } from '../workspace';
import { isWorkflowFile, readWorkflow } from '../gha/workflow';

/**
 * Paths a shell command refers to: `python x.py`, `$(PYTHON_INTERPRETER) x.py` (a Makefile's interpreter variable),
 * `docker build -f x`, `python -m pkg.mod`. Offsets are in `cmd`.
 */
export function referencedPaths(cmd: string): { kind: 'file' | 'module'; value: string; at: number }[] {
  const out: { kind: 'file' | 'module'; value: string; at: number }[] = [];
  const re = /(?:\bpython(?:3(?:\.\d+)?)?|\$[({]PYTHON\w*[)}])(?:\s+-[uOBWIEsSX]\w*)*\s+(-m\s+)?([^\s'"]+)|(?:^|\s)(?:-f|--file)[=\s]+([^\s'"]+)/g;
  for (const m of cmd.matchAll(re)) {
    if (m[2] !== undefined) {
      const v = m[2];
      const at = m.index! + m[0].lastIndexOf(v);
      if (m[1]) out.push({ kind: 'module', value: v, at });
      else if (/\.py$/.test(v)) out.push({ kind: 'file', value: v, at });
    } else if (m[3] !== undefined && /(ockerfile|\.ya?ml|\.dockerfile|\.txt)$/i.test(m[3])) {
      out.push({ kind: 'file', value: m[3], at: m.index! + m[0].lastIndexOf(m[3]) });
    }
  }
  return out.filter((p) => !/[{}$%<>*]/.test(p.value));
}

/** Whether a file is a task file whose commands `taskCommands` reads: a Makefile or an invoke tasks.py. */
export function isTaskFile(rel: string): boolean {
  return rel === 'tasks.py' || rel.endsWith('/tasks.py') || /(^|\/)(Makefile|GNUmakefile|makefile)$/.test(rel);
}

/** The shell commands of a Makefile (recipe lines) or an invoke tasks.py (`ctx.run("...")`), with their line and column. */
export function taskCommands(rel: string, text: string): { text: string; line: number; at: number }[] {
  const out: { text: string; line: number; at: number }[] = [];
  const isMake = !rel.endsWith('.py');
  text.split(LINE_BREAK).forEach((line, n) => {
    if (isMake) {
      if (/^\t/.test(line)) out.push({ text: line, line: n, at: 0 });
    } else {
      for (const m of line.matchAll(/\.run\(\s*f?(["'])(.*?)\1/g)) out.push({ text: m[2], line: n, at: m.index! + m[0].indexOf(m[2]) });
    }
  });
  return out;
}

/**
 * Python files the project runs as scripts (`python x.py`) from a Makefile, tasks.py or a GitHub Actions workflow,
 * as workspace paths (relative to the task file's folder; workflows run from the root).
 */
export function scriptsRun(ws: Workspace): Set<string> {
  const out = new Set<string>();
  const addAll = (dir: string, cmd: string): void => {
    for (const p of referencedPaths(cmd)) if (p.kind === 'file' && p.value.endsWith('.py')) out.add((dir + p.value.replace(/^\.\//, '')).replace(/\/+/g, '/'));
  };
  for (const rel of ws.paths()) {
    if (isTaskFile(rel)) {
      const r = ws.readText(rel);
      if (!r.ok) continue;
      const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/') + 1) : '';
      for (const c of taskCommands(rel, r.text)) addAll(dir, c.text);
    } else if (isWorkflowFile(rel)) {
      const doc = ws.yaml(rel);
      if (!(doc instanceof YamlDocument) || doc.hasErrors) continue;
      for (const job of readWorkflow(doc)?.jobs ?? []) for (const s of job.steps) if (s.run) addAll('', s.run.value);
    }
  }
  return out;
}

/** Workspace files that could hold module `a.b` (a/b.py, a/b/__init__.py anywhere in the repository). */
export function moduleExists(ws: Workspace, module: string): boolean {
  const p = module.replace(/\./g, '/');
  const tails = [`${p}.py`, `${p}/__init__.py`, `${p}/__main__.py`];
  for (const rel of ws.paths()) if (tails.some((t) => rel === t || rel.endsWith('/' + t))) return true;
  return false;
}
