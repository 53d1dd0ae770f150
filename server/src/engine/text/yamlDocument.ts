import {
  Composer,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Parser,
  YAMLParseError,
  type CST,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
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

/**
 * Options for every YAML parse of the engine: no process warnings on stderr (`{}: 1` made the package print one).
 * `uniqueKeys: false`: the yaml package looks for a duplicate by scanning every earlier key of the mapping, quadratic in
 * its size (a 50,000-key config took minutes, issue 18); `duplicateKeyErrors` does the same check with a hash set.
 */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: false, logLevel: 'error' } as const;

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
      this.problems.push({
        message: `nesting deeper than ${MAX_YAML_DEPTH} levels (collections inside collections); the file is not analysed further`,
        range: this.index.rangeOf(at, at),
        kind: 'error',
      });
      return;
    }
    this.documents = [...new Composer(YAML_OPTIONS).compose(tokens)] as Document.Parsed[];
    for (const doc of this.documents) addDuplicateKeyErrors(doc);
    for (const doc of this.documents) {
      for (const e of doc.errors)
        this.problems.push({ message: cleanMessage(e.message), range: this.index.rangeOf(e.pos[0], Math.max(e.pos[1], e.pos[0])), kind: 'error' });
      for (const w of doc.warnings)
        this.problems.push({ message: cleanMessage(w.message), range: this.index.rangeOf(w.pos[0], Math.max(w.pos[1], w.pos[0])), kind: 'warning' });
    }
    if (firstAlias !== undefined && !this.hasErrors) {
      // An alias bomb (anchors of anchors) parses fine and explodes only when its value is built: say so on the
      // file, rather than let each rule see no value ("must be a mapping, found a mapping").
      this.buildJS();
      if (this.js && !this.js.ok && this.js.aliases) {
        this.problems.push({
          message: `too many aliases expanded: building the value takes more than ${MAX_YAML_ALIASES} alias expansions (an alias bomb); the file is not analysed further`,
          range: this.index.rangeOf(firstAlias, firstAlias),
          kind: 'error',
        });
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

  /**
   * The pair for `key` in a mapping, if present (the first, if the key is duplicated). A mapping of more than a few
   * keys is indexed on its first lookup: a rule that looks up every key of a large mapping stays linear.
   */
  static pair(map: unknown, key: string): Pair<Node, Node> | undefined {
    if (!isMap(map)) return undefined;
    if (map.items.length > PAIR_INDEX_MIN) {
      let index = pairIndexes.get(map);
      if (!index || index.size !== map.items.length) {
        index = { size: map.items.length, byKey: new Map() };
        for (const item of map.items) {
          if (isPair(item) && isScalar(item.key)) {
            const k = String(item.key.value);
            if (!index.byKey.has(k)) index.byKey.set(k, item as Pair<Node, Node>);
          }
        }
        pairIndexes.set(map, index);
      }
      return index.byKey.get(key);
    }
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

/** Mappings with more keys than this get an index for `YamlDocument.pair`. */
const PAIR_INDEX_MIN = 16;
const pairIndexes = new WeakMap<object, { size: number; byKey: Map<string, Pair<Node, Node>> }>();

/**
 * The yaml package's duplicate-key check (`uniqueKeys: true`: "Map keys must be unique" at the second key, for block
 * and flow mappings; keys are equal when they are the same node or scalars with the same value, compared with ===),
 * with a hash set per mapping instead of a scan of the earlier keys. The errors are merged into `doc.errors` where the
 * package would have put them (before the first error further on).
 */
function addDuplicateKeyErrors(doc: Document.Parsed): void {
  const found: YAMLParseError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<unknown, true>();
      for (const item of node.items) {
        const key = item.key;
        if (isScalar(key)) {
          const v = key.value;
          if (typeof v !== 'number' || !Number.isNaN(v)) {
            if (seen.has(v)) {
              const at = key.range?.[0] ?? 0;
              found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
            } else seen.set(v, true);
          }
        }
        stack.push(item.key, item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value); // a pair in a flow sequence: `[a: 1]`
    }
  }
  if (!found.length) return;
  found.sort((a, b) => a.pos[0] - b.pos[0]);
  const merged: YAMLError[] = [];
  let i = 0;
  for (const e of doc.errors) {
    while (i < found.length && found[i].pos[0] < e.pos[0]) merged.push(found[i++]);
    merged.push(e);
  }
  while (i < found.length) merged.push(found[i++]);
  doc.errors.length = 0; // not a spread: a file may have more duplicates than a call has room for arguments
  for (const e of merged) doc.errors.push(e as (typeof doc.errors)[number]);
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
