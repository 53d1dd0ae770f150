/**
 * OmegaConf's interpolation grammar (OmegaConfGrammarLexer.g4 / OmegaConfGrammarParser.g4, OmegaConf 2.1+), written
 * from the grammar: a lexer with the same modes (DEFAULT, VALUE, INTERPOLATION, QUOTED_SINGLE, QUOTED_DOUBLE) and
 * longest-match-first-rule token choice, and a backtracking recursive-descent parser for `configValue` (a YAML string
 * value) and `singleElement` (a resolver argument). It keeps offsets so findings point at the exact key or resolver.
 */

/** Resolvers OmegaConf and Hydra register themselves. */
export const BUILTIN_RESOLVERS = new Set([
  'oc.env',
  'oc.create',
  'oc.decode',
  'oc.deprecated',
  'oc.select',
  'oc.dict.keys',
  'oc.dict.values',
  'now',
  'hydra',
  'python_version',
]);

export type Interp = NodeInterp | ResolverInterp;

export interface KeyPart {
  /** The key text; undefined when the key is itself an interpolation (`${a.${b}}`). */
  text?: string;
  start: number;
  end: number;
  /** Written with brackets (`[key]`). */
  bracket: boolean;
  inner?: Interp;
}

export interface NodeInterp {
  kind: 'node';
  start: number;
  end: number;
  /** Leading dots: 0 absolute, 1 = sibling (`${.x}`), 2 = parent's (`${..x}`), ... */
  dots: number;
  keys: KeyPart[];
}

export interface ResolverArg {
  start: number;
  end: number;
  text: string;
  interps: Interp[];
}

export interface ResolverInterp {
  kind: 'resolver';
  start: number;
  end: number;
  /** Dotted name, e.g. `oc.env`; undefined when part of it is an interpolation. */
  name?: string;
  nameStart: number;
  nameEnd: number;
  args: ResolverArg[];
}

export type ParseResult = { ok: true; interps: Interp[] } | { ok: false; message: string; offset: number };

type Mode = 'DEFAULT' | 'VALUE' | 'INTER' | 'QS' | 'QD';
type T =
  | 'INTER_OPEN'
  | 'ANY_STR'
  | 'ESC_INTER'
  | 'TOP_ESC'
  | 'QUOTED_ESC'
  | 'ESC'
  | 'BRACE_OPEN'
  | 'BRACE_CLOSE'
  | 'QUOTE_OPEN_SINGLE'
  | 'QUOTE_OPEN_DOUBLE'
  | 'MATCHING_QUOTE_CLOSE'
  | 'COMMA'
  | 'BRACKET_OPEN'
  | 'BRACKET_CLOSE'
  | 'COLON'
  | 'FLOAT'
  | 'INT'
  | 'BOOL'
  | 'NULL'
  | 'UNQUOTED_CHAR'
  | 'ID'
  | 'WS'
  | 'INTER_CLOSE'
  | 'DOT'
  | 'INTER_KEY'
  | 'EOF';

interface Token {
  type: T;
  start: number;
  end: number;
}

interface LexRule {
  re: RegExp[];
  type: T;
  push?: Mode;
  pop?: boolean;
  setMode?: Mode;
}

const INT_U = '(?:0|[1-9](?:_?[0-9])*)';
const DIGITS = '[0-9](?:_?[0-9])*';
const POINT_FLOATS = [`${INT_U}?\\.${DIGITS}`, `${INT_U}\\.`];
const EXP_FLOATS = [...POINT_FLOATS, INT_U].map((b) => `(?:${b})[eE][+-]?${DIGITS}`);
const y = (s: string): RegExp => new RegExp(s, 'y');
const WS = '[ \\t]';
const INTER_OPEN_RE = y(`\\$\\{${WS}*`);
const ID_RE = y('[a-zA-Z_][a-zA-Z0-9_-]*');

const MODES: Record<Mode, LexRule[]> = {
  DEFAULT: [
    { re: [INTER_OPEN_RE], type: 'INTER_OPEN', push: 'INTER' },
    { re: [y('[^$]*[^\\\\$]')], type: 'ANY_STR' },
    { re: [y('(?:\\\\\\\\)*\\\\\\$\\{')], type: 'ESC_INTER' },
    { re: [y('(?:\\\\\\\\)+')], type: 'TOP_ESC' },
    { re: [y('\\\\+')], type: 'ANY_STR' },
    { re: [y('\\$')], type: 'ANY_STR' },
  ],
  VALUE: [
    { re: [INTER_OPEN_RE], type: 'INTER_OPEN', push: 'INTER' },
    { re: [y(`\\{${WS}*`)], type: 'BRACE_OPEN', push: 'VALUE' },
    { re: [y(`${WS}*\\}`)], type: 'BRACE_CLOSE', pop: true },
    { re: [y("'")], type: 'QUOTE_OPEN_SINGLE', push: 'QS' },
    { re: [y('"')], type: 'QUOTE_OPEN_DOUBLE', push: 'QD' },
    { re: [y(`${WS}*,${WS}*`)], type: 'COMMA' },
    { re: [y(`\\[${WS}*`)], type: 'BRACKET_OPEN' },
    { re: [y(`${WS}*\\]`)], type: 'BRACKET_CLOSE' },
    { re: [y(`${WS}*:${WS}*`)], type: 'COLON' },
    { re: [...EXP_FLOATS, ...POINT_FLOATS, '[Ii][Nn][Ff]', '[Nn][Aa][Nn]'].map((f) => y(`[+-]?(?:${f})`)), type: 'FLOAT' },
    { re: [y(`[+-]?${INT_U}`)], type: 'INT' },
    { re: [y('[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]')], type: 'BOOL' },
    { re: [y('[Nn][Uu][Ll][Ll]')], type: 'NULL' },
    { re: [y('[/\\-\\\\+.$%*@?|]')], type: 'UNQUOTED_CHAR' },
    { re: [ID_RE], type: 'ID' },
    { re: [y('(?:\\\\\\\\|\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]|\\\\\\{|\\\\\\}|\\\\:|\\\\=|\\\\,|\\\\ |\\\\\\t)+')], type: 'ESC' },
    { re: [y(`${WS}+`)], type: 'WS' },
  ],
  INTER: [
    { re: [INTER_OPEN_RE], type: 'INTER_OPEN', push: 'INTER' },
    { re: [y(`${WS}*:${WS}*`)], type: 'COLON', setMode: 'VALUE' },
    { re: [y(`${WS}*\\}`)], type: 'INTER_CLOSE', pop: true },
    { re: [y('\\.')], type: 'DOT' },
    { re: [y('\\[')], type: 'BRACKET_OPEN' },
    { re: [y('\\]')], type: 'BRACKET_CLOSE' },
    { re: [ID_RE], type: 'ID' },
    { re: [y('[^\\\\{}()\\[\\]:. \\t\'"]+')], type: 'INTER_KEY' },
  ],
  QS: quotedMode("'"),
  QD: quotedMode('"'),
};

function quotedMode(q: string): LexRule[] {
  return [
    { re: [INTER_OPEN_RE], type: 'INTER_OPEN', push: 'INTER' },
    { re: [y(q)], type: 'MATCHING_QUOTE_CLOSE', pop: true },
    { re: [y(`[^${q}$]*[^${q}\\\\$]`)], type: 'ANY_STR' },
    { re: [y('(?:\\\\\\\\)*\\\\\\$\\{')], type: 'ESC_INTER' },
    { re: [y(`(?:\\\\\\\\)*\\\\${q}`)], type: 'ESC' },
    { re: [y('(?:\\\\\\\\)+')], type: 'QUOTED_ESC' },
    { re: [y('\\\\+')], type: 'ANY_STR' },
    { re: [y('\\$')], type: 'ANY_STR' },
  ];
}

/** Plain objects, not Errors: the parser backtracks, and capturing a stack trace per attempt is costly. */
class LexError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Tokenises like ANTLR: in the current mode, the longest match wins; on a tie, the rule defined first. */
function lex(s: string, mode: Mode): Token[] {
  const tokens: Token[] = [];
  const stack: Mode[] = [];
  let cur = mode;
  let i = 0;
  while (i < s.length) {
    let best: { rule: LexRule; len: number } | undefined;
    for (const rule of MODES[cur]) {
      for (const re of rule.re) {
        re.lastIndex = i;
        const m = re.exec(s);
        if (m && m[0].length > 0 && (!best || m[0].length > best.len)) best = { rule, len: m[0].length };
      }
    }
    if (!best) throw new LexError(`unexpected character '${s[i]}'`, i);
    const { rule, len } = best;
    tokens.push({ type: rule.type, start: i, end: i + len });
    i += len;
    if (rule.push) {
      stack.push(cur);
      cur = rule.push;
    } else if (rule.pop) {
      const prev = stack.pop();
      if (prev === undefined) throw new LexError(`unmatched '}'`, i - 1);
      cur = prev;
    } else if (rule.setMode) cur = rule.setMode;
  }
  tokens.push({ type: 'EOF', start: s.length, end: s.length });
  return tokens;
}

/**
 * How deep interpolations may nest (`${a.${b.${c}}}` is 3): the parser recurses per level, and 2,000 levels overflowed
 * the stack (MLH000). Real configs nest two or three.
 */
export const MAX_INTERPOLATION_DEPTH = 100;

class ParseError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

class Parser {
  pos = 0;
  constructor(
    readonly s: string,
    readonly toks: Token[],
  ) {}

  peek(): Token {
    return this.toks[this.pos];
  }
  at(...types: T[]): boolean {
    return types.includes(this.peek().type);
  }
  take(type: T, what: string): Token {
    const t = this.peek();
    if (t.type !== type) throw new ParseError(t.type === 'EOF' ? `missing ${what}` : `unexpected '${this.s.slice(t.start, t.end)}', expected ${what}`, t.start);
    this.pos++;
    return t;
  }

  /** configValue: text EOF */
  configValue(): Interp[] {
    const out = this.text(['ANY_STR', 'ESC', 'ESC_INTER', 'TOP_ESC', 'QUOTED_ESC']);
    if (!out.any) throw new ParseError('empty value', 0);
    this.take('EOF', 'end of value');
    return out.interps;
  }

  text(plain: T[]): { interps: Interp[]; any: boolean } {
    const interps: Interp[] = [];
    let any = false;
    for (;;) {
      if (this.at('INTER_OPEN')) interps.push(this.interpolation());
      else if (this.at(...plain)) this.pos++;
      else break;
      any = true;
    }
    return { interps, any };
  }

  /** singleElement: element EOF */
  singleElement(): Interp[] {
    const interps: Interp[] = [];
    this.element(interps);
    this.take('EOF', 'end of element');
    return interps;
  }

  /**
   * The outcome of the interpolation at each token position (packrat): an interpolation parses the same wherever it
   * is asked from, and both alternatives (resolver, then node) parse the interpolations nested in its name or key,
   * so without it `${${${...x}}}` took 2^depth attempts (22 levels in a fuzzed config: 8 s; 30: hours).
   */
  private readonly interpolations = new Map<number, { value: Interp; end: number } | ParseError>();

  private depth = 0;

  interpolation(): Interp {
    const save = this.pos;
    if (this.depth >= MAX_INTERPOLATION_DEPTH) throw new ParseError(`interpolations nested deeper than ${MAX_INTERPOLATION_DEPTH}`, this.peek().start);
    const known = this.interpolations.get(save);
    if (known instanceof ParseError) throw known;
    if (known) {
      this.pos = known.end;
      return known.value;
    }
    this.depth++;
    try {
      const value = this.interpolationUncached();
      this.interpolations.set(save, { value, end: this.pos });
      return value;
    } catch (e) {
      if (e instanceof ParseError) this.interpolations.set(save, e);
      throw e;
    } finally {
      this.depth--;
    }
  }

  private interpolationUncached(): Interp {
    const save = this.pos;
    try {
      return this.resolver();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      const resolverError = e;
      this.pos = save;
      try {
        return this.node();
      } catch (e2) {
        if (!(e2 instanceof ParseError)) throw e2;
        // report the error of the alternative that got further
        throw e2.offset >= resolverError.offset ? e2 : resolverError;
      }
    }
  }

  /** interpolationResolver: INTER_OPEN resolverName COLON sequence? BRACE_CLOSE */
  resolver(): ResolverInterp {
    const open = this.take('INTER_OPEN', '${');
    const nameStart = this.peek().start;
    let name: string | undefined = '';
    const part = (): void => {
      if (this.at('INTER_OPEN')) {
        this.interpolation();
        name = undefined;
      } else {
        const t = this.take('ID', 'a resolver name');
        if (name !== undefined) name += this.s.slice(t.start, t.end);
      }
    };
    part();
    while (this.at('DOT')) {
      this.pos++;
      if (name !== undefined) name += '.';
      part();
    }
    const nameEnd = this.toks[this.pos - 1].end;
    this.take('COLON', "':'");
    const args: ResolverArg[] = [];
    if (!this.at('BRACE_CLOSE')) this.sequence(args);
    const close = this.take('BRACE_CLOSE', "'}'");
    return { kind: 'resolver', start: open.start, end: close.end, name, nameStart, nameEnd, args };
  }

  /** interpolationNode: INTER_OPEN DOT* (configKey | [configKey]) (DOT configKey | [configKey])* INTER_CLOSE */
  node(): NodeInterp {
    const open = this.take('INTER_OPEN', '${');
    let dots = 0;
    while (this.at('DOT')) {
      this.pos++;
      dots++;
    }
    const keys: KeyPart[] = [];
    const bracketKey = (): void => {
      this.take('BRACKET_OPEN', "'['");
      keys.push({ ...this.configKey(), bracket: true });
      this.take('BRACKET_CLOSE', "']'");
    };
    if (this.at('BRACKET_OPEN')) bracketKey();
    else keys.push({ ...this.configKey(), bracket: false });
    for (;;) {
      if (this.at('DOT')) {
        this.pos++;
        keys.push({ ...this.configKey(), bracket: false });
      } else if (this.at('BRACKET_OPEN')) bracketKey();
      else break;
    }
    const close = this.take('INTER_CLOSE', "'}'");
    return { kind: 'node', start: open.start, end: close.end, dots, keys };
  }

  configKey(): Omit<KeyPart, 'bracket'> {
    if (this.at('INTER_OPEN')) {
      const inner = this.interpolation();
      return { start: inner.start, end: inner.end, inner };
    }
    const t = this.peek();
    if (t.type === 'ID' || t.type === 'INTER_KEY') {
      this.pos++;
      return { text: this.s.slice(t.start, t.end), start: t.start, end: t.end };
    }
    throw new ParseError(t.type === 'EOF' ? 'missing key' : `unexpected '${this.s.slice(t.start, t.end)}', expected a key`, t.start);
  }

  /** sequence: (element (COMMA element?)*) | (COMMA element?)+ */
  sequence(args: ResolverArg[]): void {
    const one = (): void => {
      const start = this.peek().start;
      const interps: Interp[] = [];
      this.element(interps);
      args.push({ start, end: this.toks[this.pos - 1].end, text: this.s.slice(start, this.toks[this.pos - 1].end), interps });
    };
    const empty = (): void => {
      const at = this.peek().start;
      args.push({ start: at, end: at, text: '', interps: [] });
    };
    if (this.startsElement()) one();
    else if (this.at('COMMA')) empty();
    else throw new ParseError(`unexpected '${this.s.slice(this.peek().start, this.peek().end)}'`, this.peek().start);
    while (this.at('COMMA')) {
      this.pos++;
      if (this.startsElement()) one();
      else empty();
    }
  }

  startsElement(): boolean {
    return this.at(
      'ID',
      'NULL',
      'INT',
      'FLOAT',
      'BOOL',
      'UNQUOTED_CHAR',
      'COLON',
      'ESC',
      'WS',
      'INTER_OPEN',
      'QUOTE_OPEN_SINGLE',
      'QUOTE_OPEN_DOUBLE',
      'BRACKET_OPEN',
      'BRACE_OPEN',
    );
  }

  /** element: primitive | quotedValue | listContainer | dictContainer */
  element(interps: Interp[]): void {
    if (this.at('QUOTE_OPEN_SINGLE', 'QUOTE_OPEN_DOUBLE')) {
      this.pos++;
      interps.push(...this.text(['ANY_STR', 'ESC', 'ESC_INTER', 'TOP_ESC', 'QUOTED_ESC']).interps);
      this.take('MATCHING_QUOTE_CLOSE', 'a closing quote');
    } else if (this.at('BRACKET_OPEN')) {
      this.pos++;
      if (!this.at('BRACKET_CLOSE')) {
        const sub: ResolverArg[] = [];
        this.sequence(sub);
        for (const a of sub) interps.push(...a.interps);
      }
      this.take('BRACKET_CLOSE', "']'");
    } else if (this.at('BRACE_OPEN')) {
      this.pos++;
      if (!this.at('BRACE_CLOSE')) {
        this.dictPair(interps);
        while (this.at('COMMA')) {
          this.pos++;
          this.dictPair(interps);
        }
      }
      this.take('BRACE_CLOSE', "'}'");
    } else {
      let n = 0;
      while (this.at('ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'UNQUOTED_CHAR', 'COLON', 'ESC', 'WS', 'INTER_OPEN')) {
        if (this.at('INTER_OPEN')) interps.push(this.interpolation());
        else this.pos++;
        n++;
      }
      if (!n) {
        const t = this.peek();
        throw new ParseError(t.type === 'EOF' ? 'missing value' : `unexpected '${this.s.slice(t.start, t.end)}'`, t.start);
      }
    }
  }

  /** dictKeyValuePair: dictKey COLON element, dictKey without COLON and interpolations. */
  dictPair(interps: Interp[]): void {
    let n = 0;
    while (this.at('ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'UNQUOTED_CHAR', 'ESC', 'WS')) {
      this.pos++;
      n++;
    }
    if (!n) throw new ParseError(`unexpected '${this.s.slice(this.peek().start, this.peek().end)}', expected a dictionary key`, this.peek().start);
    this.take('COLON', "':'");
    this.element(interps);
  }
}

function run(s: string, mode: Mode, rule: (p: Parser) => Interp[]): ParseResult {
  try {
    const p = new Parser(s, lex(s, mode));
    return { ok: true, interps: rule(p) };
  } catch (e) {
    if (e instanceof LexError || e instanceof ParseError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

/** A config value as OmegaConf parses a string node (rule `configValue`, lexer in DEFAULT_MODE). */
export function parseConfigValue(s: string): ParseResult {
  return run(s, 'DEFAULT', (p) => p.configValue());
}

/** A single element as in a resolver argument (rule `singleElement`, lexer in VALUE_MODE). */
export function parseSingleElement(s: string): ParseResult {
  return run(s, 'VALUE', (p) => p.singleElement());
}

/** OmegaConf only parses strings that contain `${`. */
export function mayInterpolate(s: string): boolean {
  return s.includes('${');
}

/** Every interpolation, nested ones included (depth first, outer first). */
export function* walkInterps(list: Interp[]): Iterable<Interp> {
  for (const i of list) {
    yield i;
    if (i.kind === 'node') {
      for (const k of i.keys) if (k.inner) yield* walkInterps([k.inner]);
    } else for (const a of i.args) yield* walkInterps(a.interps);
  }
}

/** The dotted path a node interpolation names when every key is literal, e.g. ['a', 'b', '0']. */
export function literalKeys(n: NodeInterp): string[] | undefined {
  const out: string[] = [];
  for (const k of n.keys) {
    if (k.text === undefined) return undefined;
    out.push(k.text);
  }
  return out;
}
