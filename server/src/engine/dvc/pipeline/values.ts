import { isMap, isScalar, isSeq, type Node } from 'yaml';

/**
 * Values as DVC (Python) sees them. DVC reads YAML with ruamel (YAML 1.2), JSON and TOML into Python objects and turns
 * them back into text with Python's `str()`: `1.0` stays `1.0`, `1e-5` prints as `1e-05`, booleans as `true`/`false`
 * when interpolated. JavaScript numbers lose the difference between `1` and `1.0`, so an integral float is kept as a
 * PyFloat; every other number is an int when integral and a float otherwise.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | PyDict;
export interface PyDict {
  [key: string]: PyValue;
}

export function isDict(v: unknown): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

/** Composite (a dict or a list), what DVC calls `is_map_or_seq`. */
export function isComposite(v: PyValue | undefined): v is PyDict | PyValue[] {
  return Array.isArray(v) || isDict(v);
}

export function typeName(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** Python's `repr(float)`: shortest round-trip digits, scientific outside 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expStr] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expStr); // x = d.ddd * 10^exp
  const decpt = exp + 1; // position of the decimal point after the first digit
  if (exp >= -4 && exp < 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp);
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

/** Python's `str()` of a primitive. */
export function pyStr(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : pyFloatRepr(v);
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** Python's `repr()`, used to show values in messages and hovers the way DVC users see them in dvc.lock/params. */
export function pyRepr(v: PyValue | undefined): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `'${k}': ${pyRepr(x)}`)
      .join(', ')}}`;
  return pyStr(v);
}

/** A short display of a value as YAML would show it (for hovers and messages). */
export function displayValue(v: PyValue | undefined): string {
  if (v === undefined) return '(absent)';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof PyFloat || typeof v === 'number') return pyStr(v);
  return pyRepr(v);
}

function num(v: PyValue | undefined): number | undefined {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** Python's `==` on these values (1 == 1.0 == True). */
export function pyEqual(a: PyValue | undefined, b: PyValue | undefined): boolean {
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na === nb || (Number.isNaN(na) && Number.isNaN(nb));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEqual(a[k], b[k]));
  }
  return a === b;
}

const FLOAT_SOURCE = /[.eE]|inf|nan/i;

/** Converts a YAML node (yaml package) to a Python-like value, keeping integral floats as floats. */
export function pyFromYaml(node: unknown): PyValue {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') {
      const src = (node as { source?: string }).source;
      if (Number.isInteger(v) && src && FLOAT_SOURCE.test(src) && !/^0x/i.test(src)) return new PyFloat(v);
      return v;
    }
    if (typeof v === 'bigint') return Number(v);
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (v instanceof Date) return v.toISOString();
    return v === undefined ? null : String(v);
  }
  if (isSeq(node)) return node.items.map((i) => pyFromYaml(i));
  if (isMap(node)) {
    const out: PyDict = {};
    for (const p of node.items) {
      const k = isScalar(p.key) ? pyStr(pyFromYaml(p.key)) : String(p.key);
      out[k] = pyFromYaml(p.value);
    }
    return out;
  }
  // aliases and anything else: fall back to the yaml package's own conversion
  const n = node as Node & { toJSON?: () => unknown };
  return fromJs(typeof n.toJSON === 'function' ? n.toJSON() : null);
}

/** Converts a plain JS value (JSON.parse, TOML) to a PyValue. */
export function fromJs(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(fromJs);
  if (typeof v === 'object') {
    const out: PyDict = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = fromJs(x);
    return out;
  }
  return String(v);
}

/** A PyValue as a plain JS value (an integral float is a number again): for readers outside the pipeline. */
export function toJs(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJs);
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJs(x)]));
  return v;
}

/** Follows a dot-separated key path through dicts (and list indexes), as DVC does for params keys. */
export function getPath(root: PyValue | undefined, key: string): { found: true; value: PyValue } | { found: false; at: string } {
  let cur: PyValue | undefined = root;
  const parts = key.split('.');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (isDict(cur) && Object.prototype.hasOwnProperty.call(cur, p)) cur = cur[p];
    else if (Array.isArray(cur) && /^-?\d+$/.test(p) && Math.abs(Number(p)) < cur.length + (Number(p) < 0 ? 1 : 0)) {
      const n = Number(p);
      cur = cur[n < 0 ? cur.length + n : n];
    } else return { found: false, at: parts.slice(0, i).join('.') };
  }
  return { found: true, value: cur as PyValue };
}

/** Every key path of a nested dict, parents before children (`train`, `train.lr`, ...). Lists are leaves. */
export function keyPaths(root: PyValue | undefined, prefix = ''): string[] {
  const out: string[] = [];
  if (!isDict(root)) return out;
  for (const [k, v] of Object.entries(root)) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.push(p);
    out.push(...keyPaths(v, p));
  }
  return out;
}
