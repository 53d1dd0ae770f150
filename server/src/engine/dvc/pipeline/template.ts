import { isComposite, isDict, pyStr, typeName, type PyDict, type PyValue } from './values';

/**
 * DVC's templating (dvc/parsing/interpolate.py and context.py), reproduced: `${...}` not preceded by a backslash,
 * keys `word ('.' word | '[' word ']')*` where `a[b]` is `a.b` and list items are `list.0`; a string that is exactly one
 * template takes the value's own type; otherwise values are turned into text the way Python's `str()` does, booleans as
 * `true`/`false`, and a dict only inside `cmd` (expanded to `--key value` arguments). `\${` is a literal `${`.
 */
export const TEMPLATE_RE = /(?<!\\)\$\{(.*?)\}/g;

export class TemplateError extends Error {
  /** Offsets of the offending `${...}` inside the string value, when it is one template. */
  constructor(
    message: string,
    readonly span?: { start: number; end: number; text: string },
  ) {
    super(message);
  }
}

const HAS_TEMPLATE = /(?<!\\)\$\{(.*?)\}/;

export function hasTemplate(s: string): boolean {
  return HAS_TEMPLATE.test(s);
}

/** Parses the inside of `${...}` into a dot-joined key, or throws as DVC does on a malformed one. */
export function parseKey(inner: string): string {
  const s = inner.trim();
  const parts: string[] = [];
  let i = 0;
  const word = (): string => {
    const start = i;
    while (i < s.length && !'.[]'.includes(s[i])) i++;
    if (i === start) throw new TemplateError(`Failed to parse '${inner}'`);
    return s.slice(start, i);
  };
  parts.push(word());
  while (i < s.length) {
    if (s[i] === '.') {
      i++;
      parts.push(word());
    } else if (s[i] === '[') {
      i++;
      parts.push(word());
      if (s[i] !== ']') throw new TemplateError(`Failed to parse '${inner}'`);
      i++;
    } else throw new TemplateError(`Failed to parse '${inner}'`);
  }
  return parts.join('.');
}

/** The variables a stage sees: a dict, where each top-level key came from, and which keys were read. */
export class Context {
  constructor(
    readonly data: PyDict = {},
    /** Top-level key -> workspace-relative file it was loaded from (or `vars[i]` for inline dicts). */
    readonly sources = new Map<string, string>(),
    readonly used = new Set<string>(),
    /** Files loaded (workspace-relative) -> the keys loaded from them, null for the whole file (DVC's `imports`). */
    readonly imports = new Map<string, string[] | null>(),
  ) {}

  clone(): Context {
    return new Context(deepCopy(this.data) as PyDict, new Map(this.sources), this.used, new Map([...this.imports].map(([k, v]) => [k, v && [...v]])));
  }

  /** This context with its own record of the keys read (the data, sources and imports are shared). */
  withUsed(used: Set<string>): Context {
    return new Context(this.data, this.sources, used, this.imports);
  }

  /** Merges without overwriting, as DVC's `merge_update(overwrite=False)`; returns the conflict message, if any. */
  merge(other: PyDict, source: string): string | undefined {
    const conflict = mergeInto(this.data, other, '');
    for (const k of Object.keys(other)) if (!this.sources.has(k)) this.sources.set(k, source);
    if (conflict)
      return `cannot redefine '${conflict}' from '${source}' as it already exists in '${this.sources.get(conflict.split('.')[0]) ?? 'the context'}'`;
    return undefined;
  }

  /** `Context.select`: follows the key; "Could not find '<key>'" for any missing step, as DVC words it. */
  select(key: string): PyValue {
    let cur: PyValue = this.data;
    for (const raw of key.split('.')) {
      const part = raw.trim();
      if (isDict(cur) && Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
      else if (Array.isArray(cur) && /^-?\d+$/.test(part)) {
        const n = Number(part);
        const idx: number = n < 0 ? cur.length + n : n;
        if (idx < 0 || idx >= cur.length) throw new TemplateError(`Could not find '${key}'`);
        cur = cur[idx];
      } else throw new TemplateError(`Could not find '${key}'`);
    }
    this.used.add(key);
    return cur;
  }
}

function deepCopy(v: PyValue): PyValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x)]));
  return v;
}

function mergeInto(into: PyDict, other: PyDict, prefix: string): string | undefined {
  for (const [k, v] of Object.entries(other)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!Object.prototype.hasOwnProperty.call(into, k)) into[k] = deepCopy(v);
    else if (isDict(into[k]) && isDict(v)) {
      const c = mergeInto(into[k] as PyDict, v, path);
      if (c) return c;
    } else return path;
  }
  return undefined;
}

/** shlex.quote, which DVC uses for string values expanded from a dict in `cmd`. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

function flatten(d: PyDict, prefix = ''): [string, PyValue][] {
  const out: [string, PyValue][] = [];
  for (const [k, v] of Object.entries(d)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isDict(v)) out.push(...flatten(v, key));
    else out.push([key, v]);
  }
  return out;
}

/** A dict interpolated into `cmd`: `--key value`, booleans as bare flags, lists as nargs (DVC's defaults). */
export function dictToArgs(d: PyDict): string {
  let result = '';
  for (const [k, v] of flatten(d)) {
    if (typeof v === 'boolean') {
      if (v) result += `--${k} `;
    } else if (typeof v === 'string') result += `--${k} ${shellQuote(v)} `;
    else if (Array.isArray(v)) {
      v.forEach((item, n) => {
        if (isComposite(item)) throw new TemplateError(`Cannot interpolate nested iterable in '${k}'`);
        const s = typeof item === 'string' ? shellQuote(item) : toStr(item);
        result += n > 0 ? `${s} ` : `--${k} ${s} `;
      });
    } else result += `--${k} ${toStr(v)} `;
  }
  return result.trimEnd();
}

/** DVC's `to_str` for primitives. */
export function toStr(v: PyValue): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isDict(v)) return dictToArgs(v);
  return pyStr(v);
}

/**
 * Interpolates one string value. `field` is the stage field it belongs to (a dict may only be expanded in `cmd`;
 * composite values are allowed anywhere under `foreach`). Throws TemplateError on the first problem.
 */
export function interpolate(src: string, ctx: Context, field: string): PyValue {
  const matches = [...src.matchAll(new RegExp(TEMPLATE_RE.source, 'g'))];
  if (!matches.length) return src.replace(/\\\$\{/g, '${');
  const valueOf = (m: RegExpMatchArray): PyValue => {
    const span = { start: m.index!, end: m.index! + m[0].length, text: m[0] };
    try {
      return ctx.select(parseKey(m[1]));
    } catch (e) {
      throw new TemplateError((e as Error).message, span);
    }
  };
  if (matches.length === 1 && matches[0][0] === src) return valueOf(matches[0]);
  let buf = '';
  let index = 0;
  for (const m of matches) {
    const value = valueOf(m);
    if (value !== null && isComposite(value) && field !== 'foreach') {
      if (!(isDict(value) && field === 'cmd')) {
        throw new TemplateError(`Cannot interpolate data of type '${typeName(value)}'`, { start: m.index!, end: m.index! + m[0].length, text: m[0] });
      }
    }
    buf += src.slice(index, m.index) + toStr(value);
    index = m.index! + m[0].length;
  }
  buf += src.slice(index);
  return buf.replace(/\\\$\{/g, '${');
}
