import type { ContextBase } from '../rule';
import { TomlDocument } from '../text/tomlDocument';
import { LINE_BREAK } from '../text/textIndex';
import type { Workspace } from '../workspace';
import { isVendored } from './dependencies';
import { scriptsRun } from './scripts';

/**
 * The one answer to "which files does pytest collect", for PRJ002, PRJ003, PRJ004 and GHA001.
 *
 * pytest's configuration file is the first of pytest.ini / .pytest.ini (always), pyproject.toml with
 * `[tool.pytest.ini_options]` (or pytest 9's `[tool.pytest]`), tox.ini with `[pytest]`, setup.cfg with `[tool:pytest]`
 * (docs.pytest.org, "Configuration file formats" and "rootdir"). From it: `testpaths` (where a bare `pytest` looks; the
 * root folder when unset) and `python_files` (file name globs, default `test_*.py *_test.py`). Folders matching the
 * default `norecursedirs` (`.*`, `build`, `dist`, `*.egg`, `venv`, `node_modules`, `CVS`, `_darcs`, `{arch}`) are
 * not searched. Beyond pytest: a file the project runs as a script (`python test_environment.py` from a Makefile,
 * tasks.py or a workflow) that defines no test is a script, not a test file.
 */
export interface PytestSettings {
  /** The configuration file read, if any. */
  file?: string;
  testpaths: string[];
  pythonFiles: string[];
}

const DEFAULT_PYTHON_FILES = ['test_*.py', '*_test.py'];
const NORECURSE = /^(\..*|build|dist|.*\.egg|venv|node_modules|CVS|_darcs|\{arch\})$/;

/** `key = value` pairs of one section of an INI file; indented lines continue the value (pytest's iniconfig does so). */
function iniSection(text: string, section: string): Map<string, string> | undefined {
  let inside = false;
  let found = false;
  let key: string | undefined;
  const out = new Map<string, string>();
  for (const raw of text.split(LINE_BREAK)) {
    const line = raw.replace(/^\s*[#;].*$/, '');
    const head = /^\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      inside = head[1].trim() === section;
      found ||= inside;
      key = undefined;
      continue;
    }
    if (!inside || !line.trim()) continue;
    if (/^\s/.test(line) && key) {
      out.set(key, `${out.get(key)} ${line.trim()}`.trim());
      continue;
    }
    const kv = /^([\w.-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (kv) {
      key = kv[1];
      out.set(key, kv[2].trim());
    }
  }
  return found ? out : undefined;
}

const words = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];

export function pytestSettings(ws: Workspace): PytestSettings {
  const fromIni = (file: string, section: string, always: boolean): PytestSettings | undefined => {
    if (!ws.has(file)) return undefined;
    const r = ws.readText(file);
    if (!r.ok) return undefined;
    const s = iniSection(r.text, section);
    if (!s && !always) return undefined;
    return { file, testpaths: words(s?.get('testpaths')), pythonFiles: s?.has('python_files') ? words(s.get('python_files')) : DEFAULT_PYTHON_FILES };
  };
  const fromToml = (): PytestSettings | undefined => {
    if (!ws.has('pyproject.toml')) return undefined;
    const doc = ws.toml('pyproject.toml');
    if (!(doc instanceof TomlDocument)) return undefined;
    const t = (doc.get(['tool', 'pytest', 'ini_options']) ?? doc.get(['tool', 'pytest'])) as Record<string, unknown> | undefined;
    if (!t || typeof t !== 'object') return undefined;
    return { file: 'pyproject.toml', testpaths: words(t.testpaths), pythonFiles: t.python_files !== undefined ? words(t.python_files) : DEFAULT_PYTHON_FILES };
  };
  return (
    fromIni('pytest.ini', 'pytest', true) ??
    fromIni('.pytest.ini', 'pytest', true) ??
    fromToml() ??
    fromIni('tox.ini', 'pytest', false) ??
    fromIni('setup.cfg', 'tool:pytest', false) ?? { testpaths: [], pythonFiles: DEFAULT_PYTHON_FILES }
  );
}

/** Patterns compiled once: `matchesPythonFiles` is asked for every Python file of a check. */
const FNMATCH_CACHE = new Map<string, RegExp>();

/** fnmatch as pytest uses it: `*` and `?` (any character, `/` included), `[...]` classes. */
function fnmatch(pattern: string): RegExp {
  let compiled = FNMATCH_CACHE.get(pattern);
  if (!compiled) {
    if (FNMATCH_CACHE.size > 1000) FNMATCH_CACHE.clear(); // patterns come from the user's settings: keep it bounded
    FNMATCH_CACHE.set(pattern, (compiled = compileFnmatch(pattern)));
  }
  return compiled;
}

function compileFnmatch(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          pattern
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether a test definition is in the text: `def test...`, `async def test...`, `class Test...`. */
export function definesTests(text: string): boolean {
  return /^\s*(async\s+)?def\s+test\w*\s*\(/m.test(text) || /^\s*class\s+Test\w*/m.test(text);
}

/** Whether a path's name matches the configured `python_files` (the cheap first question, before the collection). */
export function matchesPythonFiles(cfg: PytestSettings, rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return cfg.pythonFiles.some((p) => fnmatch(p).test(p.includes('/') ? rel : base));
}

/** The files a bare `pytest` at the root collects (as test modules), sorted. */
export function collectedTestFiles(
  ws: Workspace,
  isRunArtefact: (rel: string) => boolean = (rel) => ws.isRunArtefact(rel),
  cfg = pytestSettings(ws),
): string[] {
  const names = cfg.pythonFiles.map((p) => ({ full: p.includes('/'), re: fnmatch(p) }));
  const roots = cfg.testpaths.map((t) => t.replace(/^\.\//, '').replace(/\/+$/, '')).filter((t) => t && t !== '.');
  const rootRes = roots.map((t) => fnmatch(t));
  const scripts = scriptsRun(ws);
  const out: string[] = [];
  for (const rel of ws.paths()) {
    if (!rel.endsWith('.py') || isVendored(rel) || isRunArtefact(rel)) continue;
    if (roots.length && !rootRes.some((re, i) => re.test(rel) || rel.startsWith(roots[i] + '/') || [...prefixes(rel)].some((p) => re.test(p)))) continue;
    const parts = rel.split('/');
    if (parts.slice(0, -1).some((d) => NORECURSE.test(d))) continue;
    const base = parts[parts.length - 1];
    if (!names.some((n) => n.re.test(n.full ? rel : base))) continue;
    if (scripts.has(rel)) {
      const r = ws.readText(rel);
      if (r.ok && !definesTests(r.text)) continue; // a script the project runs (test_environment.py), not a test module
    }
    out.push(rel);
  }
  return out.sort();
}

function* prefixes(rel: string): Iterable<string> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) yield parts.slice(0, i).join('/');
}

/** The collected test files, once per check pass. */
export function testFilesOf(ctx: ContextBase): ReadonlySet<string> {
  return ctx.memo('python:test-files', () => new Set(collectedTestFiles(ctx.ws, (rel) => ctx.settings.isRunArtefact(rel), pytestSettingsOf(ctx))));
}

/** The pytest configuration, once per check pass (it reads the configuration files only). */
export function pytestSettingsOf(ctx: ContextBase): PytestSettings {
  return ctx.memo('python:pytest-settings', () => pytestSettings(ctx.ws));
}

/**
 * Whether pytest collects this file. Asks the file's name first, so that a Python file that is no test candidate does
 * not depend on the whole collection (Makefiles, workflows, the listing) and is not re-checked when those change.
 */
export function isCollectedTestFile(ctx: ContextBase, rel: string): boolean {
  return matchesPythonFiles(pytestSettingsOf(ctx), rel) && testFilesOf(ctx).has(rel);
}
