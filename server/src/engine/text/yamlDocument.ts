import { Composer, isMap, isPair, isScalar, isSeq, Parser, type CST, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../types';
import { TextIndex } from './textIndex';

/**
 * Collections nested deeper than this are not composed: the yaml package's composer (and every walk over its nodes)
 * recurses once per level, and a 2.4 KB file of 1,200 nested `- - - ...` overflowed the stack (two such files aborted
 * the process while V8 compiled a regular expression at the limit). Real configs nest about ten levels deep.
 */
export const MAX_YAML_DEPTH = 100;

/** Alias expansions allowed when building a plain value (the yaml package's guard against alias bombs). */
export const MAX_YAML_ALIASES = 1000;

/** Options for every YAML parse of the engine: no process warnings on stderr (`{}: 1` made the package print one). */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: false, logLevel: 'error' } as const;

export interface YamlProblem {
  message: string;
  range: Range;
  /** `error` for syntax errors, `warning` for things the yaml package only warns about. */
  kind: 'error' | 'warning';
}

/**
 * A YAML file parsed with source positions kept, so that every finding can point at the exact key or value.
 * Wraps the `yaml` package's Document (its nodes carry `range: [start, valueEnd, nodeEnd]` offsets).
 */
export class YamlDocument {
  readonly index: TextIndex;
  documents: Document.Parsed[] = [];
  readonly problems: YamlProblem[] = [];

  constructor(readonly text: string) {
    this.index = new TextIndex(text);
    try {
      this.parse(text);
    } catch (e) {
      // never thrown out of a file's parse: the failure stays with this file, as an MLH002 on it
      this.documents = [];
      this.problems.push({ message: `the file could not be parsed: ${(e as Error)?.message ?? String(e)}`, range: this.index.rangeOf(0, 0), kind: 'error' });
    }
  }

  private parse(text: string): void {
    // The parser (text to CST) is iterative; the composer (CST to nodes) recurses: measure the depth in between.
    const tokens = [...new Parser().parse(text)];
    const { tooDeep, firstAlias } = scanCst(tokens, MAX_YAML_DEPTH);
    if (tooDeep !== undefined) {
      this.documents = [];
      const at = Math.max(0, Math.min(tooDeep, text.length));
      this.problems.push({ message: `nesting deeper than ${MAX_YAML_DEPTH} levels (collections inside collections); the file is not analysed further`, range: this.index.rangeOf(at, at), kind: 'error' });
      return;
    }
    this.documents = [...new Composer(YAML_OPTIONS).compose(tokens)] as Document.Parsed[];
    for (const doc of this.documents) {
      for (const e of doc.errors) this.problems.push({ message: cleanMessage(e.message), range: this.index.rangeOf(e.pos[0], Math.max(e.pos[1], e.pos[0])), kind: 'error' });
      for (const w of doc.warnings) this.problems.push({ message: cleanMessage(w.message), range: this.index.rangeOf(w.pos[0], Math.max(w.pos[1], w.pos[0])), kind: 'warning' });
    }
    if (firstAlias !== undefined && !this.hasErrors) {
      // An alias bomb (anchors of anchors) parses fine and explodes only when its value is built: say so on the
      // file, rather than let each rule see no value ("must be a mapping, found a mapping").
      this.buildJS();
      if (this.js && !this.js.ok && this.js.aliases) {
        this.problems.push({ message: `too many aliases expanded: building the value takes more than ${MAX_YAML_ALIASES} alias expansions (an alias bomb); the file is not analysed further`, range: this.index.rangeOf(firstAlias, firstAlias), kind: 'error' });
      }
    }
  }

  private js?: { ok: true; value: unknown } | { ok: false; aliases: boolean };

  private buildJS(): void {
    if (this.js) return;
    try {
      this.js = { ok: true, value: this.doc?.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
    } catch (e) {
      this.js = { ok: false, aliases: /alias/i.test((e as Error)?.message ?? '') };
    }
  }

  /** The first document, the one almost every config file has. */
  get doc(): Document.Parsed | undefined {
    return this.documents[0];
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.kind === 'error');
  }

  /** The root node of the first document when it is a mapping. */
  get rootMap(): YAMLMap | undefined {
    const c = this.doc?.contents;
    return isMap(c) ? c : undefined;
  }

  /** Plain JS value of the first document (undefined when it cannot be built). */
  toJS(): unknown {
    this.buildJS();
    return this.js?.ok ? this.js.value : undefined;
  }

  /** Range of a node's value (without trailing comments). */
  rangeOf(node: Node | null | undefined): Range {
    if (!node || !node.range) return this.index.rangeOf(0, 0);
    return this.index.rangeOf(node.range[0], node.range[1]);
  }

  /** Range of a pair's key; falls back to the value. */
  keyRange(pair: Pair): Range {
    const k = pair.key as Node | null;
    if (k && isScalar(k) && k.range) return this.index.rangeOf(k.range[0], k.range[1]);
    return this.rangeOf(pair.value as Node);
  }

  /**
   * Maps an offset in a scalar's parsed string value to an offset in the file: exact for plain and simply quoted
   * scalars; for values with escapes or folded lines, the position of the same text in the source (else the start).
   */
  valueOffsets(node: Node): (i: number) => number {
    const value = isScalar(node) ? String(node.value) : '';
    const [s, e] = node.range ?? [0, 0];
    const src = this.text.slice(s, e);
    if (src === value) return (i) => s + i;
    if ((src[0] === '"' || src[0] === "'") && src.slice(1, -1) === value) return (i) => s + 1 + i;
    return (i) => {
      const piece = value.slice(i, i + 8);
      const at = piece ? src.indexOf(piece) : -1;
      return at >= 0 ? s + at : s;
    };
  }

  /** The pair for `key` in a mapping, if present. */
  static pair(map: unknown, key: string): Pair<Node, Node> | undefined {
    if (!isMap(map)) return undefined;
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair<Node, Node>;
    }
    return undefined;
  }

  /** Follow a path of map keys and sequence indexes from the root of the first document. */
  nodeAt(path: (string | number)[]): Node | undefined {
    let node: unknown = this.doc?.contents;
    for (const step of path) {
      if (typeof step === 'number') {
        if (!isSeq(node)) return undefined;
        node = node.items[step];
      } else {
        node = YamlDocument.pair(node, step)?.value;
      }
      if (node === undefined || node === null) return undefined;
    }
    return node as Node;
  }
}

/**
 * Walks a CST without recursion: the offset of the first collection nested deeper than `max` levels, and of the first
 * alias (`*name`), if any.
 */
export function scanCst(tokens: CST.Token[], max: number): { tooDeep?: number; firstAlias?: number } {
  const stack: [CST.Token | null | undefined, number][] = tokens.map((t) => [t, 0]);
  let firstAlias: number | undefined;
  while (stack.length) {
    const [tok, depth] = stack.pop()!;
    if (!tok) continue;
    switch (tok.type) {
      case 'alias':
        if (firstAlias === undefined || tok.offset < firstAlias) firstAlias = tok.offset;
        break;
      case 'document':
        stack.push([tok.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const d = depth + 1;
        if (d > max) return { tooDeep: tok.offset };
        for (const item of tok.items as { key?: CST.Token | null; value?: CST.Token }[]) {
          stack.push([item.key, d], [item.value, d]);
        }
        break;
      }
      default:
        break;
    }
  }
  return { firstAlias };
}

function cleanMessage(message: string): string {
  // The yaml package appends a code frame and position on some messages; keep the first sentence line.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export { isMap, isPair, isScalar, isSeq };
