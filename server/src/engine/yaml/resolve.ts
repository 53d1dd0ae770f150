/**
 * How a plain (unquoted, untagged) YAML scalar is typed by the loaders ML projects use:
 * - `pyyaml`: PyYAML's SafeLoader (YAML 1.1 implicit resolvers, pyyaml lib/yaml/resolver.py and constructor.py);
 * - `omegaconf`: OmegaConf's loader, a SafeLoader with an extra float resolver (so `1e-3` is a float) and without the
 *   timestamp resolver (dates stay strings);
 * - `yaml12`: the YAML 1.2 core schema (ruamel as DVC uses it, the `yaml` npm package, most editors): what authors expect.
 * Written from the resolvers' documented regular expressions; a differential test compares the `pyyaml` answers with
 * what Debian's python3-yaml returns.
 */

export type ScalarKind = 'null' | 'bool' | 'int' | 'float' | 'str' | 'date' | 'datetime' | 'error';

export interface ScalarType {
  kind: ScalarKind;
  /** The constructed value: number for int/float (ints beyond 2^53 lose precision), boolean, string, ISO text for dates. */
  value: null | boolean | number | string;
  /** How the value was recognised, for messages: `octal`, `sexagesimal`, `hex`, `binary`, `exponent`, `yaml11-bool`. */
  form?: 'octal' | 'sexagesimal' | 'hex' | 'binary' | 'exponent' | 'yaml11-bool' | 'decimal';
  /** For `error`: why PyYAML's constructor fails on it. */
  error?: string;
}

export type ResolverSet = 'pyyaml' | 'omegaconf' | 'yaml12';

type Resolver = { kind: 'bool' | 'float' | 'int' | 'merge' | 'null' | 'timestamp' | 'value'; re: RegExp; first: string | null };

const BOOL: Resolver = { kind: 'bool', re: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/, first: 'yYnNtTfFoO' };
const FLOAT11: Resolver = {
  kind: 'float',
  re: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  first: '-+0123456789.',
};
const INT11: Resolver = {
  kind: 'int',
  re: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  first: '-+0123456789',
};
const MERGE: Resolver = { kind: 'merge', re: /^(?:<<)$/, first: '<' };
const NULL11: Resolver = { kind: 'null', re: /^(?:~|null|Null|NULL|)$/, first: '~nN' };
const TIMESTAMP: Resolver = {
  kind: 'timestamp',
  re: /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  first: '0123456789',
};
const VALUE: Resolver = { kind: 'value', re: /^(?:=)$/, first: '=' };
/** OmegaConf's added float resolver: exponents without a dot or a sign are floats. */
const FLOAT_OMEGACONF: Resolver = {
  kind: 'float',
  re: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  first: '-+0123456789.',
};

/** In registration order: PyYAML tries the resolvers registered for the first character, first match wins. */
const PYYAML_ORDER = [BOOL, FLOAT11, INT11, MERGE, NULL11, TIMESTAMP, VALUE];
const OMEGACONF_ORDER = [BOOL, FLOAT11, INT11, MERGE, NULL11, VALUE, FLOAT_OMEGACONF];

function resolveTag(source: string, order: Resolver[]): Resolver['kind'] | 'str' {
  for (const r of order) {
    if (source === '') {
      if (r.kind === 'null') return 'null'; // the resolvers registered for '' (None key): null only
      continue;
    }
    if (r.first !== null && !r.first.includes(source[0])) continue;
    if (r.re.test(source)) return r.kind;
  }
  return 'str';
}

/** Python's int() of a digit string in a base, as a JS number; undefined when empty or invalid. */
function pyInt(digits: string, base: number): number | undefined {
  if (!digits.length) return undefined;
  let n = 0;
  for (const ch of digits.toLowerCase()) {
    const d = parseInt(ch, base);
    if (Number.isNaN(d)) return undefined;
    n = n * base + d;
  }
  return n;
}

function constructInt(source: string): ScalarType {
  let value = source.replace(/_/g, '');
  let sign = 1;
  if (value[0] === '-') sign = -1;
  if (value[0] === '-' || value[0] === '+') value = value.slice(1);
  const err = (): ScalarType => ({ kind: 'error', value: null, error: `invalid literal for int(): '${source}'` });
  if (value === '0') return { kind: 'int', value: 0, form: 'decimal' };
  if (value.startsWith('0b')) {
    const n = pyInt(value.slice(2), 2);
    return n === undefined ? err() : { kind: 'int', value: sign * n, form: 'binary' };
  }
  if (value.startsWith('0x')) {
    const n = pyInt(value.slice(2), 16);
    return n === undefined ? err() : { kind: 'int', value: sign * n, form: 'hex' };
  }
  if (value[0] === '0') {
    const n = pyInt(value, 8);
    return n === undefined ? err() : { kind: 'int', value: sign * n, form: 'octal' };
  }
  if (value.includes(':')) {
    const parts = value.split(':').map((p) => pyInt(p, 10));
    if (parts.some((p) => p === undefined)) return err();
    let base = 1;
    let n = 0;
    for (const p of parts.reverse()) {
      n += (p as number) * base;
      base *= 60;
    }
    return { kind: 'int', value: sign * n, form: 'sexagesimal' };
  }
  const n = pyInt(value, 10);
  return n === undefined ? err() : { kind: 'int', value: sign * n, form: 'decimal' };
}

/** Python's float() of a string that the float resolvers accepted (after `_` removal and lower-casing). */
function pyFloat(text: string): number | undefined {
  if (!/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(text)) return undefined;
  return Number(text.endsWith('.') ? text + '0' : text.replace(/\.e/, '.0e').replace(/^([-+]?)\./, '$10.'));
}

function constructFloat(source: string, exponentForm: boolean): ScalarType {
  let value = source.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (value[0] === '-') sign = -1;
  if (value[0] === '-' || value[0] === '+') value = value.slice(1);
  const err = (): ScalarType => ({ kind: 'error', value: null, error: `could not convert string to float: '${source}'` });
  if (value === '.inf') return { kind: 'float', value: sign * Infinity };
  if (value === '.nan') return { kind: 'float', value: NaN };
  if (value.includes(':')) {
    const parts = value.split(':').map((p) => pyFloat(p));
    if (parts.some((p) => p === undefined)) return err();
    let base = 1;
    let n = 0;
    for (const p of parts.reverse()) {
      n += (p as number) * base;
      base *= 60;
    }
    return { kind: 'float', value: sign * n, form: 'sexagesimal' };
  }
  const n = pyFloat(value);
  return n === undefined ? err() : { kind: 'float', value: sign * n, ...(exponentForm ? { form: 'exponent' as const } : {}) };
}

const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

function daysInMonth(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function constructTimestamp(source: string): ScalarType {
  const m = TIMESTAMP_PARTS.exec(source);
  if (!m) return { kind: 'error', value: null, error: 'not a timestamp' };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const bad = (what: string): ScalarType => ({ kind: 'error', value: null, error: what });
  if (year < 1) return bad('year 0 is out of range');
  if (month < 1 || month > 12) return bad('month must be in 1..12');
  if (day < 1 || day > daysInMonth(year, month)) return bad('day is out of range for month');
  const date = `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (m[4] === undefined) return { kind: 'date', value: date };
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23) return bad('hour must be in 0..23');
  if (mi > 59) return bad('minute must be in 0..59');
  if (s > 59) return bad('second must be in 0..59');
  if (m[9] !== undefined) {
    const tzMinutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
    if (tzMinutes >= 24 * 60) return bad('offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)');
  }
  return { kind: 'datetime', value: `${date}T${String(h).padStart(2, '0')}:${m[5]}:${m[6]}` };
}

const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function resolveCore(source: string): ScalarType {
  if (/^(?:~|null|Null|NULL|)$/.test(source)) return { kind: 'null', value: null };
  if (/^(?:true|True|TRUE)$/.test(source)) return { kind: 'bool', value: true };
  if (/^(?:false|False|FALSE)$/.test(source)) return { kind: 'bool', value: false };
  if (CORE_INT.test(source)) {
    if (source.startsWith('0o')) return { kind: 'int', value: parseInt(source.slice(2), 8), form: 'octal' };
    if (source.startsWith('0x')) return { kind: 'int', value: parseInt(source.slice(2), 16), form: 'hex' };
    return { kind: 'int', value: parseInt(source, 10), form: 'decimal' };
  }
  if (CORE_FLOAT.test(source)) {
    const low = source.toLowerCase();
    if (low.endsWith('.inf')) return { kind: 'float', value: low.startsWith('-') ? -Infinity : Infinity };
    if (low.endsWith('.nan')) return { kind: 'float', value: NaN };
    return { kind: 'float', value: Number(source.replace(/\.(?=[eE]|$)/, '.0')), ...(/[eE]/.test(source) ? { form: 'exponent' as const } : {}) };
  }
  return { kind: 'str', value: source };
}

/** The type a plain scalar's source text gets from the given loader. */
export function resolvePlain(source: string, set: ResolverSet): ScalarType {
  if (set === 'yaml12') return resolveCore(source);
  const kind = resolveTag(source, set === 'pyyaml' ? PYYAML_ORDER : OMEGACONF_ORDER);
  switch (kind) {
    case 'null':
      return { kind: 'null', value: null };
    case 'bool': {
      const low = source.toLowerCase();
      const value = low === 'yes' || low === 'true' || low === 'on';
      return { kind: 'bool', value, ...(low === 'true' || low === 'false' ? {} : { form: 'yaml11-bool' as const }) };
    }
    case 'int':
      return constructInt(source);
    case 'float':
      return constructFloat(source, /e/i.test(source) && !/inf|nan/i.test(source));
    case 'timestamp':
      return constructTimestamp(source);
    case 'merge':
    case 'value':
      return { kind: 'error', value: null, error: `SafeLoader has no constructor for the implicit '${kind}' tag` };
    default:
      return { kind: 'str', value: source };
  }
}

/** Python's str() of a constructed value: what a consumer that formats the value into a command line sees. */
export function pythonStr(t: ScalarType): string | undefined {
  switch (t.kind) {
    case 'null':
      return 'None';
    case 'bool':
      return t.value ? 'True' : 'False';
    case 'int':
      return String(t.value);
    case 'str':
    case 'date':
      return String(t.value);
    default:
      return undefined;
  }
}

/**
 * `1e-3`, `1E5`, `1.0e3`: the number as PyYAML reads it as a float (a dot in the mantissa and a sign in the exponent),
 * keeping the author's spelling otherwise. Undefined when the text is not such a number.
 */
export function pyyamlFloatSpelling(source: string): string | undefined {
  const m = /^([-+]?)([0-9][0-9_]*)(\.[0-9_]*)?([eE])([-+]?)([0-9]+)$/.exec(source);
  if (!m) return undefined;
  const [, sign, int, frac, e, expSign, exp] = m;
  return `${sign}${int}${frac && frac.length > 1 ? frac : '.0'}${e}${expSign || '+'}${exp}`;
}
