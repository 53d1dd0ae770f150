import { parse, TomlError } from 'smol-toml';
import type { Range } from '../types';
import { TextIndex } from './textIndex';

/** Where one key of a TOML document is written: the key, its value, and the items when the value is an array. */
export interface TomlEntry {
  /** The key as written in its statement: the whole dotted key of `a.b.c = 1`, or the key of a table header. */
  key: Range;
  /** The value (`[...]`, `{...}`, a string with its quotes); for a table header, the header line. */
  value: Range;
  /** Items of an array value, each without the comma. */
  items?: Range[];
  /** Defined by a `[table]` / `[[table]]` header. */
  header?: boolean;
}

/**
 * A TOML file (pyproject.toml): the parsed value from smol-toml, plus the positions of every key. smol-toml keeps no
 * positions, so the text is scanned once more (only when it parsed): table headers, arrays of tables (`[[a]]`, indexed
 * `a.0`, `a.1`), dotted keys (`tool.mlops-hygiene.select = ...`), quoted keys and inline tables (`project = { ... }`)
 * all give the same key path; strings, multi-line strings and comments are skipped as TOML reads them.
 */
export class TomlDocument {
  readonly index: TextIndex;
  readonly value: Record<string, unknown> | undefined;
  readonly error?: { message: string; range: Range };
  private entriesCache?: Map<string, TomlEntry>;

  constructor(readonly text: string) {
    this.index = new TextIndex(text);
    try {
      this.value = parse(text) as Record<string, unknown>;
    } catch (e) {
      this.value = undefined;
      if (e instanceof TomlError) {
        const line = Math.max(0, e.line - 1);
        const character = Math.max(0, e.column - 1);
        this.error = { message: e.message.split('\n')[0], range: { start: { line, character }, end: { line, character: this.index.lineText(line).length } } };
      } else {
        this.error = { message: String(e), range: this.index.lineRange(0) };
      }
    }
  }

  /** Value at a dotted path of tables and keys, e.g. ['tool', 'mlops-hygiene', 'ignore']. */
  get(pathParts: string[]): unknown {
    let v: unknown = this.value;
    for (const p of pathParts) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    return v;
  }

  /** Where the key at a path (`['project', 'dependencies']`; array-of-tables elements by index) is written. */
  entry(pathParts: string[]): TomlEntry | undefined {
    if (!this.value) return undefined;
    this.entriesCache ??= scanToml(this.text, this.index);
    return this.entriesCache.get(pathParts.join('\u0000'));
  }

  /** The range of a table: its `[a.b]` header line, or the part of the dotted key or the inline-table key that makes it. */
  tableRange(table: string): Range | undefined {
    const e = this.entry(splitPath(table));
    return e ? (e.header ? e.value : e.key) : undefined;
  }

  /** Range of the key `key` of table `table` ('' for the top level); a dotted `key` is tried as one key, then as a path. */
  keyRange(table: string, key: string): Range | undefined {
    const t = splitPath(table);
    return (this.entry([...t, key]) ?? (key.includes('.') ? this.entry([...t, ...key.split('.')]) : undefined))?.key;
  }

  /** Range of the value at a path. */
  valueRange(pathParts: string[]): Range | undefined {
    return this.entry(pathParts)?.value;
  }

  /** Ranges of the items of the array at a path (empty when it is no array). */
  itemRanges(pathParts: string[]): Range[] {
    return this.entry(pathParts)?.items ?? [];
  }
}

const BARE_KEY = /[A-Za-z0-9_-]+/y;

function splitPath(table: string): string[] {
  if (!table) return [];
  const out: string[] = [];
  for (const m of table.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^.]+?))\s*(?:\.|$)/g)) {
    const part = m[1] ?? m[2] ?? m[3];
    if (part !== undefined) out.push(part.trim());
  }
  return out;
}

/** Scans a valid TOML text for the positions of its keys. Never throws; stops at anything unexpected. */
function scanToml(text: string, index: TextIndex): Map<string, TomlEntry> {
  const out = new Map<string, TomlEntry>();
  const arrays = new Map<string, number>(); // array-of-tables path -> elements so far
  const n = text.length;
  let i = 0;
  const range = (a: number, b: number): Range => index.rangeOf(a, b);
  const skipWs = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const skipComment = (): void => {
    if (text[i] === '#') while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
  };
  const skipAll = (): void => {
    for (;;) {
      const before = i;
      while (i < n && /\s/.test(text[i])) i++;
      skipComment();
      if (i === before) return;
    }
  };
  /** A (possibly dotted) key: its parts, and the start and end offset of each part. */
  const readKey = (): { parts: string[]; spans: [number, number][] } | undefined => {
    const parts: string[] = [];
    const spans: [number, number][] = [];
    for (;;) {
      skipWs();
      const start = i;
      if (text[i] === '"') {
        i++;
        let v = '';
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\') {
            const esc = text[i + 1];
            v +=
              esc === 'n'
                ? '\n'
                : esc === 't'
                  ? '\t'
                  : esc === 'u' || esc === 'U'
                    ? String.fromCodePoint(parseInt(text.slice(i + 2, i + (esc === 'u' ? 6 : 10)), 16))
                    : esc;
            i += esc === 'u' ? 6 : esc === 'U' ? 10 : 2;
          } else v += text[i++];
        }
        i++;
        parts.push(v);
      } else if (text[i] === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) return undefined;
        parts.push(text.slice(i + 1, end));
        i = end + 1;
      } else {
        BARE_KEY.lastIndex = i;
        const m = BARE_KEY.exec(text);
        if (!m) return undefined;
        parts.push(m[0]);
        i += m[0].length;
      }
      spans.push([start, i]);
      skipWs();
      if (text[i] !== '.') return { parts, spans };
      i++;
    }
  };
  /** Resolves a path through the arrays of tables (`a.b` inside the latest `[[a]]` is `a.N.b`). */
  const resolve = (parts: string[]): string[] => {
    const res: string[] = [];
    for (const p of parts) {
      res.push(p);
      const count = arrays.get(res.join('\u0000'));
      if (count !== undefined) res.push(String(count - 1));
    }
    return res;
  };
  const record = (path: string[], e: TomlEntry): void => {
    const k = path.join('\u0000');
    if (!out.has(k)) out.set(k, e);
  };
  /** Records the tables a dotted key makes, each at its part of the key. */
  const recordParents = (base: string[], key: { parts: string[]; spans: [number, number][] }): void => {
    for (let k = 0; k < key.parts.length - 1; k++) {
      const r = range(key.spans[0][0], key.spans[k][1]);
      record([...base, ...key.parts.slice(0, k + 1)], { key: r, value: r });
    }
  };
  const skipString = (): void => {
    const q = text[i];
    if (text.startsWith(q.repeat(3), i)) {
      i += 3;
      for (;;) {
        const end = text.indexOf(q.repeat(3), i);
        if (end < 0) {
          i = n;
          return;
        }
        if (q === '"') {
          let bs = 0;
          for (let k = end - 1; k >= i && text[k] === '\\'; k--) bs++;
          if (bs % 2 === 1) {
            i = end + 1;
            continue;
          }
        }
        i = end + 3;
        while (text[i] === q) i++; // up to two quotes may end the content
        return;
      }
    }
    i++;
    while (i < n && text[i] !== q && text[i] !== '\n') i += q === '"' && text[i] === '\\' ? 2 : 1;
    i++;
  };
  /** Reads a value at `i`; returns its range and, for arrays, its items. Records inline tables' keys under `path`. */
  const readValue = (path: string[]): { start: number; end: number; items?: Range[] } => {
    const start = i;
    const c = text[i];
    if (c === '"' || c === "'") {
      skipString();
      return { start, end: i };
    }
    if (c === '[') {
      i++;
      const items: Range[] = [];
      for (let k = 0; ; k++) {
        skipAll();
        if (i >= n || text[i] === ']') break;
        const v = readValue([...path, String(k)]);
        items.push(range(v.start, v.end));
        skipAll();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') break;
      }
      i++;
      return { start, end: i, items };
    }
    if (c === '{') {
      i++;
      for (;;) {
        skipWs();
        if (i >= n || text[i] === '}') break;
        readKeyValue(path);
        skipWs();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') break;
      }
      i++;
      return { start, end: i };
    }
    while (i < n && !/[,\]}\r\n#]/.test(text[i])) i++;
    let end = i;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return { start, end };
  };
  const readKeyValue = (base: string[]): boolean => {
    const key = readKey();
    if (!key) return false;
    skipWs();
    if (text[i] !== '=') return false;
    i++;
    skipWs();
    recordParents(base, key);
    const path = [...base, ...key.parts];
    const keyRange = range(key.spans[0][0], key.spans[key.spans.length - 1][1]);
    const v = readValue(path);
    record(path, { key: keyRange, value: range(v.start, v.end), ...(v.items ? { items: v.items } : {}) });
    return true;
  };

  let table: string[] = [];
  while (i < n) {
    skipAll();
    if (i >= n) break;
    const lineStart = i;
    if (text[i] === '[') {
      const arrayTable = text[i + 1] === '[';
      i += arrayTable ? 2 : 1;
      const key = readKey();
      if (!key) break;
      skipWs();
      i += arrayTable ? 2 : 1;
      const lineEnd = i;
      const keyRange = range(key.spans[0][0], key.spans[key.spans.length - 1][1]);
      // `[tool.ruff.lint]` makes tool and tool.ruff too: located at their part of the header
      for (let k = 0; k < key.parts.length - 1; k++) {
        const r = range(key.spans[0][0], key.spans[k][1]);
        record(resolve(key.parts.slice(0, k + 1)), { key: r, value: r });
      }
      if (arrayTable) {
        const parent = resolve(key.parts.slice(0, -1));
        const p = [...parent, key.parts[key.parts.length - 1]];
        const id = p.join('\u0000');
        record(p, { key: keyRange, value: range(lineStart, lineEnd), header: true });
        const count = (arrays.get(id) ?? 0) + 1;
        arrays.set(id, count);
        table = [...p, String(count - 1)];
        record(table, { key: keyRange, value: range(lineStart, lineEnd), header: true });
      } else {
        table = resolve(key.parts);
        out.set(table.join('\u0000'), { key: keyRange, value: range(lineStart, lineEnd), header: true });
      }
      continue;
    }
    if (!readKeyValue(table)) break;
  }
  return out;
}
