import { TomlDocument } from '../text/tomlDocument';
import type { Range } from '../types';
import type { DeclaredDependency } from './dependencies';
import { normaliseName, parseRequirement, resolveRelative } from './requirements';

/** The text of a TOML string value, without its quotes (a range on one line), else the range itself. */
function stringInner(r: Range | undefined): Range | undefined {
  if (!r || r.start.line !== r.end.line || r.end.character - r.start.character < 2) return r;
  return { start: { line: r.start.line, character: r.start.character + 1 }, end: { line: r.end.line, character: r.end.character - 1 } };
}

export interface PyprojectDependencies {
  deps: DeclaredDependency[];
  /** Files that `dynamic` dependencies point at (setuptools / hatch-requirements-txt), with where they are named. */
  dynamicFiles: { file: string; group: string; range: Range }[];
  /** `[project] dynamic` lists dependencies but no tool says where they come from (setup.py, a build plugin). */
  dynamicUnresolved: boolean;
}

/** Dependencies declared in one pyproject.toml (any folder): [project], optional-dependencies, dependency groups, dynamic files. */
export function pyprojectDependencies(doc: TomlDocument, file: string): PyprojectDependencies {
  const out: PyprojectDependencies = { deps: [], dynamicFiles: [], dynamicUnresolved: false };
  if (!doc.value) return out;
  const add = (list: unknown, group: string, path: string[]): void => {
    if (!Array.isArray(list)) return;
    const items = doc.itemRanges(path);
    const at = doc.entry(path)?.key.start.line ?? doc.entry(path.slice(0, -1))?.key.start.line ?? 0;
    list.forEach((item, k) => {
      if (typeof item !== 'string') return; // {include-group = "x"} in dependency groups
      const req = parseRequirement(item);
      if (!req) return;
      const range = stringInner(items[k]);
      out.deps.push({
        name: req.name,
        raw: item,
        file,
        line: range?.start.line ?? at,
        group,
        ...(range ? { range } : {}),
        specifier: req.specifier,
        direct: !!req.url,
      });
    });
  };
  add(doc.get(['project', 'dependencies']), 'main', ['project', 'dependencies']);
  const opt = doc.get(['project', 'optional-dependencies']);
  if (opt && typeof opt === 'object') for (const [k, v] of Object.entries(opt)) add(v, k, ['project', 'optional-dependencies', k]);
  const groups = doc.get(['dependency-groups']);
  if (groups && typeof groups === 'object') for (const [k, v] of Object.entries(groups)) add(v, k, ['dependency-groups', k]);
  // Poetry: keys of [tool.poetry.dependencies] and group tables (names only; versions are in the values)
  const poetry = doc.get(['tool', 'poetry', 'dependencies']);
  if (poetry && typeof poetry === 'object') {
    for (const k of Object.keys(poetry)) {
      if (k.toLowerCase() === 'python') continue;
      const r = doc.entry(['tool', 'poetry', 'dependencies', k])?.key;
      out.deps.push({ name: normaliseName(k), raw: k, file, line: r?.start.line ?? 0, group: 'main', ...(r ? { range: r } : {}), direct: true });
    }
  }
  const poetryGroups = doc.get(['tool', 'poetry', 'group']);
  if (poetryGroups && typeof poetryGroups === 'object') {
    for (const [g, t] of Object.entries(poetryGroups)) {
      const d = (t as Record<string, unknown>)?.dependencies;
      if (d && typeof d === 'object') {
        for (const k of Object.keys(d)) {
          const r = doc.entry(['tool', 'poetry', 'group', g, 'dependencies', k])?.key;
          out.deps.push({ name: normaliseName(k), raw: k, file, line: r?.start.line ?? 0, group: g, ...(r ? { range: r } : {}), direct: true });
        }
      }
    }
  }

  const dynamic = doc.get(['project', 'dynamic']);
  if (Array.isArray(dynamic) && dynamic.some((d) => d === 'dependencies' || d === 'optional-dependencies')) {
    let resolved = false;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    /** `path` is where the file names are written: a string or an array of strings. */
    const addFiles = (spec: unknown, group: string, path: string[]): void => {
      const files = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec.filter((x): x is string => typeof x === 'string') : [];
      const e = doc.entry(path) ?? doc.entry(path.slice(0, -1));
      const fallback = e?.key ?? doc.index.lineRange(0);
      files.forEach((f, k) => {
        resolved = true;
        const range = stringInner(typeof spec === 'string' ? doc.valueRange(path) : doc.itemRanges(path)[k]) ?? fallback;
        out.dynamicFiles.push({ file: resolveRelative(dir + 'x', f), group, range });
      });
    };
    const st = doc.get(['tool', 'setuptools', 'dynamic']) as Record<string, unknown> | undefined;
    if (st && typeof st === 'object') {
      const deps = st.dependencies as Record<string, unknown> | undefined;
      if (deps && typeof deps === 'object') addFiles(deps.file, 'main', ['tool', 'setuptools', 'dynamic', 'dependencies', 'file']);
      const od = st['optional-dependencies'] as Record<string, unknown> | undefined;
      if (od && typeof od === 'object') {
        for (const [k, v] of Object.entries(od)) {
          const f = (v as Record<string, unknown>)?.file;
          addFiles(f, k, ['tool', 'setuptools', 'dynamic', 'optional-dependencies', k, 'file']);
        }
      }
    }
    const hatch = doc.get(['tool', 'hatch', 'metadata', 'hooks', 'requirements_txt']) as Record<string, unknown> | undefined;
    if (hatch && typeof hatch === 'object') {
      addFiles(hatch.files, 'main', ['tool', 'hatch', 'metadata', 'hooks', 'requirements_txt', 'files']);
      const od = hatch['optional-dependencies'];
      if (od && typeof od === 'object')
        for (const [k, v] of Object.entries(od)) addFiles(v, k, ['tool', 'hatch', 'metadata', 'hooks', 'requirements_txt', 'optional-dependencies', k]);
    }
    out.dynamicUnresolved = !resolved;
  }
  return out;
}
