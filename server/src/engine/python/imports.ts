import { LINE_BREAK } from '../text/textIndex';
/** A top-level import of a Python file. */
export interface PyImport {
  /** Dotted module as written (`sklearn.model_selection`); never relative. */
  module: string;
  line: number;
  character: number;
  /** What `from <module> import a, b` imports (first line only); empty for `import x`. */
  names: string[];
  /** Inside `if TYPE_CHECKING:` or a `try:` whose handler catches ImportError: optional on purpose. */
  optional: boolean;
}

/**
 * Absolute imports of a Python source, found line by line (no Python parser needed): triple-quoted strings are skipped,
 * relative imports ignored, `try: ... except ImportError` and `if TYPE_CHECKING:` blocks marked optional.
 */
export function scanImports(text: string): PyImport[] {
  const out: PyImport[] = [];
  const lines = text.split(LINE_BREAK);
  let inString: string | undefined;
  // open blocks that make imports optional: indentation of the `try:`/`if TYPE_CHECKING:` line
  const blocks: { indent: number; kind: 'try' | 'typing'; imports: PyImport[] }[] = [];
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    if (inString) {
      const end = line.indexOf(inString);
      if (end < 0) continue;
      line = ' '.repeat(end + 3) + line.slice(end + 3);
      inString = undefined;
    }
    // a line that opens a triple-quoted string without closing it
    const triple = /("""|''')/.exec(line.replace(/#.*$/, ''));
    if (triple) {
      const rest = line.slice(triple.index + 3);
      if (!rest.includes(triple[1])) inString = triple[1];
    }
    const code = line.replace(/#.*$/, '');
    if (!code.trim()) continue;
    const indent = code.length - code.trimStart().length;
    while (blocks.length && indent <= blocks[blocks.length - 1].indent && !/^\s*(except|else|finally|elif)\b/.test(code)) {
      blocks.pop();
    }
    const top = blocks[blocks.length - 1];
    if (top && top.kind === 'try' && indent === top.indent && /^\s*except\b/.test(code)) {
      if (/ImportError|ModuleNotFoundError|Exception\b|^\s*except\s*:/.test(code)) for (const i of top.imports) i.optional = true;
      continue;
    }
    if (/^\s*try\s*:\s*$/.test(code)) {
      blocks.push({ indent, kind: 'try', imports: [] });
      continue;
    }
    if (/^\s*if\s+(typing\.)?TYPE_CHECKING\s*:/.test(code)) {
      blocks.push({ indent, kind: 'typing', imports: [] });
      continue;
    }
    const optional = blocks.some((b) => b.kind === 'typing');
    const add = (module: string, character: number, names: string[] = []): void => {
      if (!module || module.startsWith('.')) return;
      const imp: PyImport = { module, line: n, character, optional, names };
      out.push(imp);
      for (const b of blocks) if (b.kind === 'try') b.imports.push(imp);
    };
    const from = /^(\s*)from\s+([A-Za-z_][\w.]*)\s+import\b(.*)$/.exec(code);
    if (from) {
      const names = from[3]
        .replace(/[()\\]/g, ' ')
        .split(',')
        .map((x) => /^\s*([A-Za-z_]\w*)/.exec(x)?.[1])
        .filter((x): x is string => !!x);
      add(from[2], code.indexOf(from[2], from[1].length + 4), names);
      continue;
    }
    const imp = /^(\s*)import\s+(.+)$/.exec(code);
    if (imp) {
      let at = imp[1].length + 'import'.length;
      for (const part of imp[2].split(',')) {
        const name = /^\s*([A-Za-z_][\w.]*)/.exec(part)?.[1];
        if (name) add(name, code.indexOf(name, at));
        at += part.length + 1;
      }
    }
  }
  return out;
}
