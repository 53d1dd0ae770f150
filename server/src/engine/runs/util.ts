import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { NotRegularFileError, openRegularFile } from '../regularFile';
import type { ParamValue, RunSummary } from '../../../../shared/types';

/** Files of a run larger than this are not read whole (a 2 GB output.log is not a config). */
export const MAX_RUN_FILE_BYTES = 8 * 1024 * 1024;
/** At most this many params / metrics are kept per run (a config with 50,000 keys is data). */
export const MAX_KEYS = 2000;

export type ReadOutcome = { ok: true; text: string } | { ok: false; missing: boolean; warning: string };

/** Reads a small text file of a run: missing, too large, unreadable become a warning, never an exception. */
export function readSmall(abs: string, maxBytes = MAX_RUN_FILE_BYTES): ReadOutcome {
  const name = path.basename(abs);
  // open + fstat on the descriptor: one path lookup (run stores are read by the ten thousand); only regular files
  let fd: number;
  let st: fs.Stats;
  try {
    ({ fd, st } = openRegularFile(abs));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, warning: `${name} is missing` };
    if (code === 'EISDIR') return { ok: false, missing: false, warning: `${name} is not a file` };
    if (e instanceof NotRegularFileError) return { ok: false, missing: false, warning: `${name} is not a file (${e.kind}): not read` };
    return { ok: false, missing: false, warning: `${name} could not be read: ${(e as Error).message}` };
  }
  try {
    if (st.size > maxBytes) return { ok: false, missing: false, warning: `${name} is ${(st.size / 1024 / 1024).toFixed(1)} MB, too large to read` };
    return { ok: true, text: fs.readFileSync(fd, 'utf8') };
  } catch (e) {
    return { ok: false, missing: false, warning: `${name} could not be read: ${(e as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the last `bytes` of a file (for logs and metric histories that may be huge). */
export function readTail(abs: string, bytes: number): string | undefined {
  let fd: number | undefined;
  try {
    let size: number;
    ({
      fd,
      st: { size },
    } = openRegularFile(abs));
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    return buf.toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function statOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs);
  } catch {
    return undefined;
  }
}

/** Directory entries, or [] when the folder is missing or unreadable. Never follows into symlinked folders. */
export function listDir(abs: string): fs.Dirent[] {
  try {
    return fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
}

export function subdirs(abs: string): string[] {
  return listDir(abs)
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}

/**
 * Parses YAML tolerantly: Python-specific tags (`!!python/tuple`, `!!python/object:...`) and other unknown tags are read
 * as their plain node (a tuple becomes a list); a syntax error gives a warning and whatever could be built.
 */
export function parseYamlLoose(text: string, name: string): { value: unknown; warning?: string } {
  const flat = parseFlatYaml(text);
  if (flat) return { value: flat };
  try {
    const doc = parseDocument(text, { logLevel: 'silent', strict: false, uniqueKeys: false });
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      value = undefined;
    }
    const err = doc.errors[0];
    return { value, warning: err ? `${name} is not valid YAML (${err.message.split('\n')[0]}); showing what could be read` : undefined };
  } catch (e) {
    return { value: undefined, warning: `${name} could not be parsed: ${(e as Error).message}` };
  }
}

const FLAT_LINE_RE = /^([A-Za-z_][A-Za-z0-9_.-]*):(?: +(.*))?$/;
const INT_RE = /^[-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * A fast path for the flat `key: scalar` files run stores write by the thousand (MLflow's meta.yaml): one regex per
 * line instead of a YAML Document. Gives undefined, and the caller uses the full YAML parser, as soon as a line is not
 * a plain `key: value` with a value that is an int, a float, true/false, null, `''`, `[]`, `{}` or a plain word without
 * YAML indicators: anything else (nesting, quotes with escapes, comments, anchors, tags, duplicate keys) is left to
 * the real parser. Values follow the YAML 1.2 core schema as `yaml` does.
 */
export function parseFlatYaml(text: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line === '---') continue;
    const m = FLAT_LINE_RE.exec(line);
    if (!m || m[1] in out || m[1] === 'null' || m[1] === 'Null' || m[1] === 'NULL') return undefined;
    const v = (m[2] ?? '').trimEnd();
    let value: unknown;
    if (v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL') value = null;
    else if (v === "''" || v === '""') value = '';
    else if (v === '[]') value = [];
    else if (v === '{}') value = {};
    else if (v === 'true' || v === 'True' || v === 'TRUE') value = true;
    else if (v === 'false' || v === 'False' || v === 'FALSE') value = false;
    else if (INT_RE.test(v)) {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) return undefined; // yaml gives a float or BigInt: let it decide
      value = n;
    } else if (FLOAT_RE.test(v)) value = Number(v);
    else if (/^'[^']*'$/.test(v)) value = v.slice(1, -1);
    else if (/^[A-Za-z0-9_/][^#'"]*$/.test(v) && !/: |:$|\s#/.test(v) && !/^(0x|0o|[-+]?\.inf|\.nan)/i.test(v)) value = v;
    else return undefined;
    out[m[1]] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** JSON that may hold Python's bare NaN, Infinity, -Infinity (W&B summaries): they become null. */
export function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // replace the bare tokens only outside strings
    const fixed = text.replace(/("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g, (_m, str: string | undefined) => (str !== undefined ? str : 'null'));
    return JSON.parse(fixed);
  }
}

/** A number from Python's str(float): `0.1`, `1e-05`, `nan`, `inf`, `-inf`, `Infinity`. Non-finite -> null. */
export function parseNumber(s: string): number | null | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  if (/^[-+]?(nan|inf|infinity)$/i.test(t)) return null;
  return undefined;
}

function toParam(v: unknown): ParamValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `<${v.length} bytes>`;
  try {
    const s = JSON.stringify(v);
    return s.length > 200 ? s.slice(0, 197) + '...' : s;
  } catch {
    return String(v);
  }
}

/**
 * Flattens a nested config into dotted keys with scalar values. Lists of scalars become one JSON value; lists of
 * mappings are indexed (`layers.0.size`). Keys starting with `skip` prefixes are left out.
 */
export function flattenParams(
  value: unknown,
  out: Record<string, ParamValue> = {},
  prefix = '',
  skip: (key: string) => boolean = () => false,
): Record<string, ParamValue> {
  if (Object.keys(out).length >= MAX_KEYS) return out;
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (skip(key)) continue;
      flattenParams(v, out, key, skip);
    }
    return out;
  }
  if (Array.isArray(value) && value.some((x) => x && typeof x === 'object' && !Array.isArray(x))) {
    value.forEach((v, i) => flattenParams(v, out, prefix ? `${prefix}.${i}` : String(i), skip));
    return out;
  }
  if (prefix) out[prefix] = toParam(value);
  return out;
}

/** Keeps numeric (or non-finite) values of a flat or nested object as metrics. */
export function flattenMetrics(
  value: unknown,
  out: Record<string, number | null> = {},
  prefix = '',
  skip: (key: string) => boolean = () => false,
): Record<string, number | null> {
  if (Object.keys(out).length >= MAX_KEYS) return out;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (skip(key)) continue;
      flattenMetrics(v, out, key, skip);
    }
    return out;
  }
  if (!prefix) return out;
  if (typeof value === 'number') out[prefix] = Number.isFinite(value) ? value : null;
  else if (value === null)
    out[prefix] = null; // NaN/Infinity tokens read as null
  else if (typeof value === 'string') {
    const n = parseNumber(value);
    if (n !== undefined) out[prefix] = n;
  }
  return out;
}

export function emptyRun(partial: Pick<RunSummary, 'id' | 'source' | 'name'> & Partial<RunSummary>): RunSummary {
  // a plain loop, not a spread: summaries are built by the ten thousand while the Runs view waits
  const run: RunSummary = { status: 'unknown', params: {}, metrics: {}, warnings: [], id: partial.id, source: partial.source, name: partial.name };
  for (const k in partial) if (partial[k as keyof RunSummary] !== undefined) (run as unknown as Record<string, unknown>)[k] = partial[k as keyof RunSummary];
  return run;
}

/**
 * `path.join(dir, name)` for a plain entry name of a listing (no separators, not `.` or `..`) below an absolute, normal
 * folder: a concatenation instead of a normalisation, for the ten thousand run folders of a listing.
 */
export function below(dir: string, name: string): string {
  if (path.sep !== '/') return path.join(dir, name); // Windows: names may hold `/` (Hydra's POSIX relative paths)
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** Quotes one shell word when needed (for a command line the user copies). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
