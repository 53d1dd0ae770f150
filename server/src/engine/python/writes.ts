/**
 * The files a Python script visibly writes to a literal path, found by a light scan (no Python parser): the calls that
 * write (`df.to_csv("p")`, `torch.save(obj, "p")`, `open("p", "w")`, `np.save("p", a)`, `joblib.dump(obj, "p")`,
 * `plt.savefig("p")`, `Path("p").write_text(...)`), with the path given as a plain string literal, `Path("p")`, or
 * joined from literals only (`os.path.join("a", "b")`, `Path("a") / "b"`).
 * f-strings, variables, `%`/`.format` templates and reads (`open("p")`, `open("p", "r")`) are never reported.
 */

/** One write of a literal path. */
export interface PyWrite {
  /** The path as written (relative to the working directory the script runs in, when not absolute). */
  path: string;
  /** 0-based line of the call. */
  line: number;
  /** The call as recognised, for messages: `torch.save`, `open(..., "w")`, `.to_csv`. */
  call: string;
}

interface Lit {
  text: string;
  start: number;
  end: number;
  plain: boolean;
}

/**
 * The code with comments blanked and string contents replaced by `_` (offsets kept), and the string literals. A
 * regular expression on the masked text never matches inside a string or a comment.
 */
function mask(text: string): { code: string; lits: Map<number, Lit> } {
  const out = text.split('');
  const lits = new Map<number, Lit>();
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
      continue;
    }
    if (c === '"' || c === "'") {
      // the prefix letters just before the quote (r, b, f, u and their pairs)
      let p = i;
      while (p > 0 && /[rRbBuUfF]/.test(text[p - 1]) && i - p < 2) p--;
      if (p > 0 && /[\w]/.test(text[p - 1])) p = i; // a name ending in r/b/f, not a prefix
      const prefix = text.slice(p, i).toLowerCase();
      const q = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + q.length;
      let body = '';
      while (j < text.length && !text.startsWith(q, j)) {
        if (q.length === 1 && text[j] === '\n') break; // unterminated single-quoted string
        if (text[j] === '\\' && !prefix.includes('r')) {
          body += text[j + 1] ?? '';
          j += 2;
          continue;
        }
        body += text[j++];
      }
      const end = Math.min(text.length, j + q.length);
      for (let k = i + q.length; k < j && k < text.length; k++) if (out[k] !== '\n') out[k] = '_';
      lits.set(p, { text: body, start: p, end, plain: !prefix.includes('f') && !prefix.includes('b') && q.length === 1 });
      i = end;
      continue;
    }
    i++;
  }
  return { code: out.join(''), lits };
}

/**
 * For each opening bracket of the masked code, the index of the bracket that closes it (the code's length when none
 * does): one pass with a stack, so that finding the end of every call stays linear on any input.
 */
function bracketPairs(code: string): Int32Array {
  const close = new Int32Array(code.length).fill(code.length);
  const stack: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[' || ch === '{') stack.push(i);
    else if ((ch === ')' || ch === ']' || ch === '}') && stack.length) close[stack.pop()!] = i;
  }
  return close;
}

let pairsOf: { code: string; close: Int32Array } | undefined;

/** Index of the bracket closing the one at `open` in masked code. */
function closing(code: string, open: number): number {
  if (pairsOf?.code !== code) pairsOf = { code, close: bracketPairs(code) };
  return open < code.length ? pairsOf.close[open] : code.length;
}

/** The arguments of the call whose `(` is at `open`: spans of the masked code, split at top-level commas. */
function args(code: string, open: number): { start: number; end: number }[] {
  const close = closing(code, open);
  const out: { start: number; end: number }[] = [];
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[' || ch === '{')
      i = closing(code, i); // skip the nested brackets at once
    else if (ch === ',') {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  if (code.slice(start, close).trim()) out.push({ start, end: close });
  return out;
}

/** The span without the blanks around it. */
function trim(code: string, span: { start: number; end: number }): { start: number; end: number } {
  let s = span.start;
  let e = span.end;
  while (s < e && /\s/.test(code[s])) s++;
  while (e > s && /\s/.test(code[e - 1])) e--;
  return { start: s, end: e };
}

/** The text of the plain literal that the span is exactly, else undefined. */
function plainLiteral(code: string, lits: Map<number, Lit>, span: { start: number; end: number }): string | undefined {
  const { start, end } = trim(code, span);
  const lit = lits.get(start);
  if (lit?.end !== end) return undefined;
  return lit.plain && lit.text ? lit.text : undefined;
}

/** Top-level parts of a span split at `sep` (masked code: no separator inside strings). */
function splitTop(code: string, span: { start: number; end: number }, sep: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let start = span.start;
  for (let i = span.start; i < span.end; i++) {
    const ch = code[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === sep && depth === 0) {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  out.push({ start, end: span.end });
  return out;
}

/**
 * The path an argument is when it is made of literals only: `"p"`, `Path("p")`, `os.path.join("a", "b")`,
 * `Path("a") / "b"`; undefined for anything else (a variable, a call, an f-string).
 */
function literalArg(code: string, lits: Map<number, Lit>, span: { start: number; end: number }): string | undefined {
  const t = trim(code, span);
  const text = code.slice(t.start, t.end);
  let out: string | undefined;
  const call = /^(?:(?:pathlib\.)?Path|(?:os\.)?path\.join)\s*\(/.exec(text);
  if (call && closing(code, t.start + call[0].length - 1) === t.end - 1) {
    const parts = args(code, t.start + call[0].length - 1).map((a) => plainLiteral(code, lits, a));
    if (parts.length && parts.every((x) => x !== undefined) && (parts.length === 1 || call[0].includes('join'))) out = parts.join('/');
  } else if (/^(?:pathlib\.)?Path\s*\(/.test(text) && splitTop(code, t, '/').length > 1) {
    const [head, ...rest] = splitTop(code, t, '/');
    const base = literalArg(code, lits, head);
    const segs = rest.map((r) => plainLiteral(code, lits, r));
    if (base !== undefined && segs.every((x) => x !== undefined)) out = [base, ...segs].join('/');
  } else out = plainLiteral(code, lits, t);
  // templates filled in later (`"runs/{}.pt".format(i)`, `"out_%d.csv" % i`) and globs are not one path
  if (!out || /[{}%*?<>|]/.test(out) || /^\s|\s$/.test(out)) return undefined;
  return out.replace(/\/{2,}/g, '/');
}

/** The argument at `index`, or the keyword argument `name=` (any of `names`). */
function argument(code: string, list: { start: number; end: number }[], index: number, names: string[]): { start: number; end: number } | undefined {
  for (const a of list) {
    const kw = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(code.slice(a.start, a.end));
    if (kw && names.includes(kw[1])) return { start: a.start + kw[0].length, end: a.end };
  }
  const positional = list.filter((a) => !/^\s*([A-Za-z_]\w*)\s*=(?!=)|^\s*\*/.test(code.slice(a.start, a.end)));
  return positional[index];
}

/** Calls that write their path argument: the callee pattern (ending at the `(`), the argument, its keyword names. */
const WRITERS: { re: RegExp; call: (m: RegExpExecArray) => string; index: number; names: string[] }[] = [
  {
    re: /\.(to_csv|to_parquet|to_json|to_pickle|to_excel|to_feather|to_hdf|to_stata|to_markdown|to_latex|to_html|to_xml|to_orc)\s*\(/g,
    call: (m) => `.${m[1]}`,
    index: 0,
    names: ['path_or_buf', 'path', 'excel_writer', 'buf'],
  },
  { re: /\btorch\.save\s*\(/g, call: () => 'torch.save', index: 1, names: ['f'] },
  { re: /\b(?:np|numpy)\.(save|savez|savez_compressed|savetxt)\s*\(/g, call: (m) => `np.${m[1]}`, index: 0, names: ['file', 'fname'] },
  { re: /\bjoblib\.dump\s*\(/g, call: () => 'joblib.dump', index: 1, names: ['filename'] },
  { re: /(?<![\w.])(?:\w+\.)*savefig\s*\(/g, call: () => 'savefig', index: 0, names: ['fname'] },
];

/** 0-based line of an offset, by binary search in the line starts. */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The writes of literal paths in a Python source, in the order of the text. */
export function scanWrites(text: string): PyWrite[] {
  const { code, lits } = mask(text);
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const out: PyWrite[] = [];
  const add = (path: string | undefined, at: number, call: string): void => {
    if (path) out.push({ path, line: lineAt(starts, at), call });
  };
  for (const w of WRITERS) {
    for (const m of code.matchAll(w.re)) {
      const open = m.index + m[0].length - 1;
      const a = argument(code, args(code, open), w.index, w.names);
      if (a) add(literalArg(code, lits, a), m.index, w.call(m as RegExpExecArray));
    }
  }
  // open("p", "w"): a mode with w, a, x or + writes; open("p") and "r"/"rb" read
  for (const m of code.matchAll(/(?<![\w.])(?:io\.)?open\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const list = args(code, open);
    const modeSpan = argument(code, list, 1, ['mode']);
    const mode = modeSpan ? literalArg(code, lits, modeSpan) : undefined;
    if (!mode || !/^[rwaxbt+U]+$/.test(mode) || !/[wax+]/.test(mode)) continue;
    const p = argument(code, list, 0, ['file']);
    if (p) add(literalArg(code, lits, p), m.index, `open(..., "${mode}")`);
  }
  // Path("p").write_text(...) / .write_bytes(...) / .open("w")
  for (const m of code.matchAll(/(?<![\w.])(?:pathlib\.)?Path\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const close = closing(code, open);
    const after = /^\s*\.\s*(write_text|write_bytes|open)\s*\(/.exec(code.slice(close + 1));
    if (!after) continue;
    if (after[1] === 'open') {
      const callOpen = close + after[0].length;
      const modeSpan = argument(code, args(code, callOpen), 0, ['mode']);
      const mode = modeSpan ? literalArg(code, lits, modeSpan) : undefined;
      if (!mode || !/[wax+]/.test(mode)) continue;
    }
    add(literalArg(code, lits, { start: m.index, end: close + 1 }), m.index, `Path.${after[1]}`);
  }
  return out.sort((a, b) => a.line - b.line);
}
