import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Range } from '../../types';
import { TextIndex } from '../../text/textIndex';
import { TomlDocument } from '../../text/tomlDocument';
import { YamlDocument } from '../../text/yamlDocument';
import type { PipelineFiles } from './files';
import { fromJs, getPath, PyFloat, pyFromYaml, type PyDict, type PyValue } from './values';

/**
 * A params file as DVC loads it: the loader is chosen by suffix (`.toml`, `.json`, `.py`, anything else YAML), keys are
 * dot-separated paths. Besides the value, it can say where a key is written (go to definition, hovers, ranges).
 */
export interface ParamsFile {
  /** Workspace-relative path. */
  file: string;
  kind: 'yaml' | 'json' | 'toml' | 'py';
  /** The file exists and parsed; otherwise `problem` says why not. */
  ok: boolean;
  missing: boolean;
  problem?: string;
  value: PyDict;
  /** Where key `a.b.c` is written (the key itself); undefined when unknown. */
  locate(key: string): Range | undefined;
}

export function paramsKind(file: string): ParamsFile['kind'] {
  const f = file.toLowerCase();
  if (f.endsWith('.toml')) return 'toml';
  if (f.endsWith('.json')) return 'json';
  if (f.endsWith('.py')) return 'py';
  return 'yaml';
}

/**
 * Reads a params file through the workspace (so the engine tracks the read), or through a commit's blobs. Never throws.
 */
export function loadParamsFile(ws: PipelineFiles, file: string): ParamsFile {
  const kind = paramsKind(file);
  const base = { file, kind, value: {} as PyDict, locate: (): Range | undefined => undefined };
  const text = ws.readText(file);
  if (!text.ok) {
    const missing = text.reason === 'missing' || text.reason === 'directory';
    return { ...base, ok: false, missing, problem: text.reason === 'missing' ? 'it does not exist' : text.detail };
  }
  try {
    if (kind === 'yaml') {
      const y = ws.yaml(file);
      if (!(y instanceof YamlDocument)) return { ...base, ok: false, missing: false, problem: y.detail };
      if (y.hasErrors) return { ...base, ok: false, missing: false, problem: `YAML syntax error: ${y.problems.find((p) => p.kind === 'error')?.message}` };
      const v = pyFromYaml(y.doc?.contents);
      const value = v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat) ? v : {};
      return { ...base, ok: true, missing: false, value, locate: (key) => locateYaml(y, key) };
    }
    if (kind === 'json') {
      const v = fromJs(JSON.parse(text.text));
      const value = v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat) ? v : {};
      const index = new TextIndex(text.text);
      return { ...base, ok: true, missing: false, value, locate: (key) => locateByText(text.text, index, key, (k) => `"${k}"`) };
    }
    if (kind === 'toml') {
      const t = ws.toml(file);
      if (!(t instanceof TomlDocument)) return { ...base, ok: false, missing: false, problem: t.detail };
      if (!t.value) return { ...base, ok: false, missing: false, problem: `TOML syntax error: ${t.error?.message ?? 'invalid'}` };
      const value = fromJs(t.value) as PyDict;
      return {
        ...base,
        ok: true,
        missing: false,
        value,
        locate: (key) => {
          const parts = key.split('.');
          for (let i = parts.length - 1; i >= 0; i--) {
            const r = t.keyRange(parts.slice(0, i).join('.'), parts.slice(i).join('.'));
            if (r) return r;
          }
          if (parts.length > 0) return t.tableRange(key);
          return undefined;
        },
      };
    }
    const py = parsePythonParams(text.text);
    return { ...base, ok: true, missing: false, value: py.value, locate: (key) => py.locations.get(key) };
  } catch (e) {
    return { ...base, ok: false, missing: false, problem: `could not be parsed: ${(e as Error).message}` };
  }
}

function locateYaml(y: YamlDocument, key: string): Range | undefined {
  let node: unknown = y.doc?.contents;
  let range: Range | undefined;
  for (const part of key.split('.')) {
    if (isMap(node)) {
      const pair = YamlDocument.pair(node, part);
      if (!pair) return undefined;
      range = y.keyRange(pair);
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(part)) {
      node = node.items[Number(part)];
      if (!node) return undefined;
      range = y.rangeOf(node as Node);
    } else return undefined;
  }
  return range;
}

/** Finds `"a"` then `"b"` after it, and so on: good enough to place a cursor on a JSON key. */
function locateByText(text: string, index: TextIndex, key: string, quote: (k: string) => string): Range | undefined {
  let from = 0;
  let at = -1;
  let len = 0;
  for (const part of key.split('.')) {
    const q = quote(part);
    at = text.indexOf(q, from);
    if (at < 0) return undefined;
    len = q.length;
    from = at + len;
  }
  return at < 0 ? undefined : index.rangeOf(at, at + len);
}

/**
 * DVC's Python params loader reads module-level assignments and class attributes (`Train.lr`) whose values are
 * literals. This reads the same shapes from the text: `NAME = literal` at column 0 and `name = literal` indented under
 * `class Name...:`. Non-literal values are kept as their source text.
 */
export function parsePythonParams(text: string): { value: PyDict; locations: Map<string, Range> } {
  const index = new TextIndex(text);
  const value: PyDict = {};
  const locations = new Map<string, Range>();
  let cls: { name: string; indent: number; dict: PyDict } | undefined;
  for (let line = 0; line < index.lineCount; line++) {
    const t = index.lineText(line);
    if (!t.trim() || t.trim().startsWith('#')) continue;
    const indent = t.length - t.trimStart().length;
    if (cls && indent <= cls.indent) cls = undefined;
    const c = /^(\s*)class\s+([A-Za-z_]\w*)\s*[(:]/.exec(t);
    if (c && c[1].length === 0) {
      const dict: PyDict = {};
      value[c[2]] = dict;
      locations.set(c[2], { start: { line, character: 6 }, end: { line, character: 6 + c[2].length } });
      cls = { name: c[2], indent: 0, dict };
      continue;
    }
    const a = /^(\s*)([A-Za-z_]\w*)\s*(?::\s*[^=]+)?=(?!=)\s*(.*)$/.exec(t);
    if (!a) continue;
    const ind = a[1].length;
    const target = ind === 0 ? value : cls && ind > cls.indent ? cls.dict : undefined;
    if (!target) continue;
    target[a[2]] = pyLiteral(a[3].replace(/\s+#.*$/, '').trim());
    const key = ind === 0 ? a[2] : `${cls!.name}.${a[2]}`;
    locations.set(key, { start: { line, character: ind }, end: { line, character: ind + a[2].length } });
  }
  return { value, locations };
}

function pyLiteral(src: string): PyValue {
  if (src === 'True') return true;
  if (src === 'False') return false;
  if (src === 'None') return null;
  if (/^[-+]?\d[\d_]*$/.test(src)) return Number(src.replace(/_/g, ''));
  if (/^[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?$/.test(src) && /\d/.test(src)) {
    const n = Number(src.replace(/_/g, ''));
    return Number.isInteger(n) ? new PyFloat(n) : n;
  }
  const s = /^(['"])(.*)\1$/.exec(src);
  if (s) return s[2];
  return src;
}

export { getPath, isPair, isScalar };
