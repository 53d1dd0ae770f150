/**
 * A careful, small reader of Python source for what Hydra needs: calls such as `@hydra.main(...)`, `initialize(...)`,
 * `compose(...)`, `register_new_resolver("name", ...)` with their arguments and offsets. Not a parser: strings and
 * comments are masked first, so a call inside a string or comment is never seen, then parentheses are matched.
 */

export interface PyArg {
  /** Keyword name, or undefined for a positional argument. */
  name?: string;
  /** Position among positional arguments (for positional ones). */
  index?: number;
  /** The argument's expression as written. */
  text: string;
  /** Offsets of the expression in the file. */
  start: number;
  end: number;
  /** The value when the expression is one plain string literal (no f-string placeholders, no concatenation). */
  str?: string;
  /** Offsets of the literal's content (inside the quotes). */
  strStart?: number;
  strEnd?: number;
  isNone: boolean;
  /** The expression depends on the process's working directory (os.getcwd(), Path.cwd(), os.path.abspath of a relative path). */
  fromCwd: boolean;
}

export interface PyCall {
  /** The called name as written, e.g. `hydra.main`, `initialize`, `OmegaConf.register_new_resolver`. */
  callee: string;
  /** The last segment of the callee. */
  fn: string;
  /** Offsets of the callee name, and of the whole call up to its closing parenthesis. */
  start: number;
  nameEnd: number;
  end: number;
  /** Preceded by `@`. */
  decorator: boolean;
  args: PyArg[];
}

/** Replaces the contents of string literals and comments with spaces (quotes kept), keeping every offset. */
export function maskPython(text: string): string {
  const out = text.split('');
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      while (i < n && text[i] !== '\n') out[i++] = ' ';
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      i += q.length;
      while (i < n) {
        if (text[i] === '\\') {
          out[i] = ' ';
          if (i + 1 < n && text[i + 1] !== '\n') out[i + 1] = ' ';
          i += 2;
          continue;
        }
        if (text.startsWith(q, i)) {
          i += q.length;
          break;
        }
        if (!triple && text[i] === '\n') break; // unterminated: stop at the line end
        if (text[i] !== '\n') out[i] = ' ';
        i++;
      }
      continue;
    }
    i++;
  }
  return out.join('');
}

const CALL = /(@\s*)?\b((?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)*([A-Za-z_][A-Za-z0-9_]*))\s*\(/g;

/** Calls whose last name segment is in `names`, with parsed arguments. */
export function findCalls(text: string, names: ReadonlySet<string>, masked = maskPython(text)): PyCall[] {
  const calls: PyCall[] = [];
  CALL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CALL.exec(masked))) {
    const fn = m[3];
    if (!names.has(fn)) continue;
    const start = m.index + (m[1]?.length ?? 0);
    const open = m.index + m[0].length - 1;
    const close = matchParen(masked, open);
    if (close < 0) continue;
    calls.push({
      callee: m[2].replace(/\s+/g, ''),
      fn,
      start,
      nameEnd: start + m[2].length,
      end: close + 1,
      decorator: !!m[1],
      args: splitArgs(text, masked, open + 1, close),
    });
  }
  return calls;
}

function matchParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

function splitArgs(text: string, masked: string, from: number, to: number): PyArg[] {
  const parts: [number, number][] = [];
  let depth = 0;
  let s = from;
  for (let i = from; i < to; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push([s, i]);
      s = i + 1;
    }
  }
  parts.push([s, to]);
  const args: PyArg[] = [];
  let positional = 0;
  for (let [a, b] of parts) {
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (a >= b) continue;
    const kw = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*/.exec(masked.slice(a, b));
    let name: string | undefined;
    if (kw) {
      name = kw[1];
      a += kw[0].length;
    }
    if (masked[a] === '*') continue; // *args / **kwargs: unknown
    const exprText = text.slice(a, b);
    const arg: PyArg = {
      text: exprText,
      start: a,
      end: b,
      isNone: exprText === 'None',
      fromCwd: dependsOnCwd(exprText),
      ...(name ? { name } : { index: positional++ }),
    };
    const lit = /^([rRuU]?)("""|'''|"|')/.exec(exprText);
    if (lit) {
      const q = lit[2];
      const contentStart = lit[0].length;
      const contentEnd = exprText.length - q.length;
      if (contentEnd >= contentStart && exprText.endsWith(q) && !exprText.slice(contentStart, contentEnd).includes(q)) {
        const raw = exprText.slice(contentStart, contentEnd);
        arg.str = lit[1].toLowerCase() === 'r' ? raw : raw.replace(/\\(.)/g, '$1');
        arg.strStart = a + contentStart;
        arg.strEnd = a + contentEnd;
      }
    }
    args.push(arg);
  }
  return args;
}

/** Whether an expression is built from the working directory. */
export function dependsOnCwd(expr: string): boolean {
  return /\bos\s*\.\s*getcwd\s*\(|\bgetcwd\s*\(|\bPath\s*\.\s*cwd\s*\(|\bos\s*\.\s*path\s*\.\s*abspath\s*\(\s*['"]|\bPath\s*\(\s*['"][^'"]*['"]\s*\)\s*\.\s*(resolve|absolute)\s*\(/.test(
    expr,
  );
}

/** The argument given by keyword `name` or at positional `index`. */
export function argOf(call: PyCall, name: string, index?: number): PyArg | undefined {
  return call.args.find((a) => a.name === name) ?? (index !== undefined ? call.args.find((a) => a.index === index) : undefined);
}

/** Whether the file imports hydra (any form). */
export function importsHydra(masked: string): boolean {
  return /^\s*(import\s+hydra\b|from\s+hydra(\.[\w.]+)?\s+import\b)/m.test(masked);
}

export function importsOmegaConf(masked: string): boolean {
  return /^\s*(import\s+omegaconf\b|from\s+omegaconf(\.[\w.]+)?\s+import\b)/m.test(masked);
}
