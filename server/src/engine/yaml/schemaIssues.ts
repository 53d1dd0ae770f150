import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ZodType } from 'zod';
import type { Range } from '../types';
import { YamlDocument } from '../text/yamlDocument';
import { closest } from '../text/suggest';

/**
 * zod issue -> YAML node: the one place that turns what a zod schema rejects into the node to report and the words
 * every family's message is made of (DVC001 dvc.yaml, DVC050 `.dvc`/dvc.lock, MLF001 MLproject, WB001 sweeps):
 * - a failed union is replaced by the branch the value was meant for (`flattenIssues`);
 * - an unknown key points at the key itself, with the known key it is likely a typo of (`unknownKeys`);
 * - a missing required key points at the key of the mapping that lacks it (`missingKeyRange`);
 * - what was expected and what was found are written the same way everywhere (`expectedText`, `foundText`).
 */

export type Path = (string | number)[];

/** A zod issue as far as the families read it (zod's own type is a union per code). */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
  expected?: string;
  values?: unknown[];
  /** For a failed union: the branches' own issues at its node. */
  alternatives?: Issue[];
}

/** A problem a schema found, on the exact key or value node. */
export interface SchemaProblem {
  message: string;
  range: Range;
  /** A key the schema does not know (a typo, or a key the tool ignores), as opposed to a value it cannot use. */
  unknownKey?: boolean;
  /** The unknown key and the known one it is likely a typo of (the "did you mean"), for the quick fix. */
  suggestion?: { word: string; to: string };
}

const samePath = (a: PropertyKey[], b: PropertyKey[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** An issue's path as YAML steps (keys and indexes). */
export const pathOf = (issue: Issue): Path => issue.path.filter((s): s is string | number => typeof s === 'string' || typeof s === 'number');

/** What a failed branch of a union wanted at its own node ("a string", "a mapping", "one of a, b"). */
export function expectedText(i: Issue): string {
  if (i.code === 'invalid_value' && i.values) return `one of ${i.values.map((v) => `\`${String(v)}\``).join(', ')}`;
  const e = i.expected ?? '';
  if (/^(a|an|one of) /.test(e)) return e;
  if (e === 'boolean') return 'true or false';
  return e === 'object' || e === 'record' ? 'a mapping' : e === 'array' ? 'a list' : /^[aeiou]/.test(e) ? `an ${e}` : `a ${e}`;
}

/** "a, b or c"; an enum of strings next to "a string" says nothing more. */
function alternativesText(issues: Issue[]): string {
  const anyString = issues.some((i) => i.code === 'invalid_type' && i.expected === 'string');
  const keep = issues.filter((i) => !(anyString && i.code === 'invalid_value' && i.values?.every((v) => typeof v === 'string')));
  const alts = [...new Set(keep.map(expectedText))];
  return alts.length > 1 ? `${alts.slice(0, -1).join(', ')} or ${alts[alts.length - 1]}` : (alts[0] ?? 'another value');
}

/**
 * zod reports a union that fails as one `invalid_union` issue holding every branch's issues (paths relative to the
 * union). Keep the branch that got past the node itself (its problems are deeper: the value had the right shape), so the
 * finding says what is wrong inside; when every branch failed at the node, one issue naming what was expected.
 */
export function flattenIssues(issues: Issue[], base: PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code !== 'invalid_union' || !issue.errors?.length) return [{ ...issue, path }];
    const branches = issue.errors.map((b) => flattenIssues(b, path));
    const deeper = branches.filter((b) => b.length > 0 && !b.some((i) => samePath(i.path, path)));
    if (deeper.length) return deeper.sort((a, b) => a.length - b.length)[0];
    const atNode = branches.flat().filter((i) => samePath(i.path, path));
    const expected = alternativesText(atNode.flatMap((i) => (i.code === 'invalid_type' && i.expected?.includes(' or ') ? (i.alternatives ?? [i]) : [i])));
    return [{ code: 'invalid_type', path, expected, message: `expected ${expected}`, alternatives: atNode }];
  });
}

/** What a node is, for "found ...": `a list`, `a mapping`, `the string 'x'`, `the number 5`, `true`, `nothing (null)`. */
export function foundText(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing (null)';
    if (typeof v === 'boolean') return `${v}`;
    if (typeof v === 'number') return `the number ${node.source ?? v}`;
    return `the string '${String(v)}'`;
  }
  return 'nothing';
}

/** The JS value at `path` of a parsed document (undefined where there is none). */
export function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const step of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[step] : undefined;
  return v;
}

/** The node at `path` ('' = the document's contents). */
export function nodeAt(doc: YamlDocument, path: Path): Node | undefined {
  return path.length ? doc.nodeAt(path) : ((doc.doc?.contents as Node | undefined) ?? undefined);
}

/**
 * Where to report that the key at `path` is missing: the key of the mapping that lacks it (the stage name, `metric:`),
 * else that mapping's node (a list item), else the document.
 */
export function missingKeyRange(doc: YamlDocument, path: Path): Range {
  const parentPath = path.slice(0, -1);
  const last = parentPath[parentPath.length - 1];
  const pair = typeof last === 'string' ? YamlDocument.pair(nodeAt(doc, parentPath.slice(0, -1)), last) : undefined;
  return pair ? doc.keyRange(pair) : doc.rangeOf(nodeAt(doc, parentPath) ?? nodeAt(doc, []));
}

/** An unknown key of the mapping `node`: the key's own range, and the known key it is likely a typo of. */
export interface UnknownKey {
  key: string;
  pair?: Pair;
  range: Range;
  suggestion?: string;
}

export function unknownKeys(doc: YamlDocument, node: Node | undefined, keys: readonly string[], known: readonly string[]): UnknownKey[] {
  return keys.map((key) => {
    const pair = isMap(node) ? node.items.find((i) => isPair(i) && isScalar(i.key) && String(i.key.value) === key) : undefined;
    const suggestion = closest(key, known);
    return { key, ...(pair ? { pair } : {}), range: pair ? doc.keyRange(pair) : doc.rangeOf(node), ...(suggestion ? { suggestion } : {}) };
  });
}

/** `; did you mean \`x\`?`, or nothing. */
export const didYouMeanText = (suggestion: string | undefined): string => (suggestion ? `; did you mean \`${suggestion}\`?` : '');

interface Def {
  type?: string;
  element?: ZodType;
  valueType?: ZodType;
  innerType?: ZodType;
  options?: ZodType[];
}
const defOf = (t: ZodType | undefined): Def | undefined => (t as unknown as { def?: Def } | undefined)?.def;
const unwrap = (t: ZodType | undefined): ZodType | undefined => {
  let cur = t;
  for (let d = defOf(cur); d?.type === 'optional' && d.innerType; d = defOf(cur)) cur = d.innerType;
  // a union of a scalar form and a mapping form (`lr: float` or `lr: {type: float}`): keys live in the mapping
  const options = defOf(cur)?.options;
  if (defOf(cur)?.type === 'union' && options) return unwrap(options.find((o) => ['object', 'record', 'array'].includes(defOf(o)?.type ?? '')) ?? cur);
  return cur;
};

/** The keys a schema allows in the mapping at `path` (objects, arrays, records on the way), for "did you mean". */
export function schemaKeysAt(schema: ZodType, path: Path): string[] {
  let cur = unwrap(schema);
  for (const step of path) {
    const d = defOf(cur);
    if (!d) return [];
    if (d.type === 'array') cur = d.element;
    else if (d.type === 'record') cur = d.valueType;
    else cur = (cur as unknown as { shape?: Record<string, ZodType> }).shape?.[String(step)];
    cur = unwrap(cur);
  }
  const shape = (cur as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Validates a YAML document against a zod schema; each problem points at the exact key or value node. `what` names the
 * file in messages ("a .dvc file", "MLproject").
 */
export function validateYaml(doc: YamlDocument, schema: ZodType, what: string): SchemaProblem[] {
  const value = doc.toJS();
  const r = schema.safeParse(value ?? {});
  if (r.success) return [];
  const out: SchemaProblem[] = [];
  for (const issue of flattenIssues(r.error.issues as unknown as Issue[])) {
    const p = pathOf(issue);
    const node = nodeAt(doc, p);
    if (issue.code === 'unrecognized_keys') {
      const known = schemaKeysAt(schema, p);
      for (const u of unknownKeys(doc, node, issue.keys ?? [], known)) {
        out.push({
          message: `unknown key \`${u.key}\` in ${what}${u.suggestion ? didYouMeanText(u.suggestion) : known.length ? ` (known: ${known.join(', ')})` : ''}`,
          range: u.range,
          unknownKey: true,
          ...(u.suggestion && u.pair ? { suggestion: { word: u.key, to: u.suggestion } } : {}),
        });
      }
      continue;
    }
    const where = p.length ? `\`${p.join('.')}\`` : 'the file';
    const v = valueAt(value, p);
    if (p.length && v === undefined) {
      out.push({ message: `${what}: missing required key ${where}`, range: missingKeyRange(doc, p) });
      continue;
    }
    const message =
      issue.code === 'invalid_type' && issue.expected
        ? `${where} in ${what}: expected ${expectedText(issue)}, found ${foundText(node)}`
        : `${where} in ${what}: ${issue.message.replace(/^Invalid input: /, '')}`;
    out.push({ message, range: doc.rangeOf(node ?? nodeAt(doc, [])) });
  }
  return out;
}
