import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../types';
import { TextIndex } from './textIndex';

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
  readonly documents: Document.Parsed[];
  readonly problems: YamlProblem[] = [];

  constructor(readonly text: string) {
    this.index = new TextIndex(text);
    const lineCounter = new LineCounter();
    this.documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: false }) as Document.Parsed[];
    if (!Array.isArray(this.documents)) this.documents = [];
    for (const doc of this.documents) {
      for (const e of doc.errors) this.problems.push({ message: cleanMessage(e.message), range: this.index.rangeOf(e.pos[0], Math.max(e.pos[1], e.pos[0])), kind: 'error' });
      for (const w of doc.warnings) this.problems.push({ message: cleanMessage(w.message), range: this.index.rangeOf(w.pos[0], Math.max(w.pos[1], w.pos[0])), kind: 'warning' });
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
    try {
      return this.doc?.toJS({ maxAliasCount: 1000 });
    } catch {
      return undefined;
    }
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

function cleanMessage(message: string): string {
  // The yaml package appends a code frame and position on some messages; keep the first sentence line.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export { isMap, isPair, isScalar, isSeq };
