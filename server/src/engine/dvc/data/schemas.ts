import { z, type ZodType } from 'zod';
import { isMap, isPair, isScalar, type Node } from 'yaml';
import type { Range } from '../../types';
import type { YamlDocument } from '../../text/yamlDocument';
import { closest } from '../../text/suggest';

/** Flags DVC accepts on an out (dvc/output.py); `checkpoint` is legacy but still read. */
const outFlags = {
  cache: z.boolean().optional(),
  persist: z.boolean().optional(),
  remote: z.string().optional(),
  push: z.boolean().optional(),
  checkpoint: z.boolean().optional(),
  desc: z.string().optional(),
  type: z.string().optional(),
  labels: z.array(z.string()).optional(),
  meta: z.unknown().optional(),
};
const hashFields = {
  md5: z.string().optional(),
  etag: z.string().optional(),
  checksum: z.string().optional(),
  version_id: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  nfiles: z.number().int().nonnegative().optional(),
  isexec: z.boolean().optional(),
  hash: z.literal('md5').optional(),
  cloud: z.unknown().optional(),
  files: z.array(z.unknown()).optional(),
};

/** An out of a `.dvc` file: `path` plus the recorded hash and the flags. */
export const dvcOutSchema = z.strictObject({ path: z.string(), ...hashFields, ...outFlags });
/** A dep of a `.dvc` file (imports: `repo: {url, rev, rev_lock}`; import-url: a URL path). */
export const dvcDepSchema = z.looseObject({ path: z.string(), ...hashFields, repo: z.looseObject({ url: z.string(), rev: z.string().optional(), rev_lock: z.string().optional() }).optional() });

/** A `.dvc` file [dvc/stage/utils.py, dvc/output.py]. */
export const dvcFileSchema = z.strictObject({
  outs: z.array(dvcOutSchema).optional(),
  deps: z.array(dvcDepSchema).optional(),
  md5: z.string().optional(),
  cmd: z.union([z.string(), z.array(z.string())]).optional(),
  wdir: z.string().optional(),
  frozen: z.boolean().optional(),
  always_changed: z.boolean().optional(),
  desc: z.string().optional(),
  meta: z.unknown().optional(),
});

const lockEntry = z.strictObject({ path: z.string(), ...hashFields });
/** dvc.lock, schema 2.0 [dvc/schema.py LOCKFILE_SCHEMA]. */
export const dvcLockSchema = z.strictObject({
  schema: z.literal('2.0'),
  stages: z.record(
    z.string(),
    z.strictObject({
      cmd: z.union([z.string(), z.array(z.string())]),
      deps: z.array(lockEntry).optional(),
      params: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
      outs: z.array(lockEntry).optional(),
      frozen: z.boolean().optional(),
    }),
  ),
});

export interface SchemaProblem {
  message: string;
  range: Range;
  /** A key the schema does not know (a typo, or a key the tool ignores), as opposed to a value it cannot use. */
  unknownKey?: boolean;
  /** The unknown key and the known one it is likely a typo of (the "did you mean"), for the quick fix. */
  suggestion?: { word: string; to: string };
}

function shapeKeys(schema: ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

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

/** The schema at a path of keys/indexes (objects, arrays, records), to know which keys are allowed there. */
function schemaAt(schema: ZodType, p: PropertyKey[]): ZodType | undefined {
  let cur = unwrap(schema);
  for (const step of p) {
    const d = defOf(cur);
    if (!d) return undefined;
    if (d.type === 'array') cur = d.element;
    else if (d.type === 'record') cur = d.valueType;
    else cur = (cur as unknown as { shape?: Record<string, ZodType> }).shape?.[String(step)];
    cur = unwrap(cur);
  }
  return cur;
}

interface Issue {
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

const samePath = (a: PropertyKey[], b: PropertyKey[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string \`${v}\``;
  return `\`${String(v)}\``;
}

/** What a failed branch of a union wanted at its own node ("a string", "a mapping", "one of a, b"). */
function wanted(i: Issue): string {
  if (i.code === 'invalid_value' && i.values) return `one of ${i.values.map((v) => `\`${String(v)}\``).join(', ')}`;
  const e = i.expected ?? '';
  if (/^(a|an|one of) /.test(e)) return e;
  return e === 'object' || e === 'record' ? 'a mapping' : e === 'array' ? 'a list' : /^[aeiou]/.test(e) ? `an ${e}` : `a ${e}`;
}

/** "a, b or c"; an enum of strings next to "a string" says nothing more. */
function alternativesText(issues: Issue[]): string {
  const anyString = issues.some((i) => i.code === 'invalid_type' && i.expected === 'string');
  const keep = issues.filter((i) => !(anyString && i.code === 'invalid_value' && i.values?.every((v) => typeof v === 'string')));
  const alts = [...new Set(keep.map(wanted))];
  return alts.length > 1 ? `${alts.slice(0, -1).join(', ')} or ${alts[alts.length - 1]}` : (alts[0] ?? 'another value');
}

/**
 * zod reports a union that fails as one `invalid_union` issue holding every branch's issues (paths relative to the
 * union). Keep the branch that got past the node itself (its problems are deeper: the value had the right shape), so the
 * finding says what is wrong inside; when every branch failed at the node, one issue naming what was expected.
 */
function flattenIssue(issue: Issue, base: PropertyKey[]): Issue[] {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [{ ...issue, path }];
  const branches = issue.errors.map((b) => b.flatMap((i) => flattenIssue(i, path)));
  const deeper = branches.filter((b) => b.length > 0 && !b.some((i) => samePath(i.path, path)));
  if (deeper.length) return deeper.sort((a, b) => a.length - b.length)[0];
  const expected = alternativesText(branches.flat().filter((i) => samePath(i.path, path)).flatMap((i) => (i.code === 'invalid_type' && i.expected?.includes(' or ') ? (i.alternatives ?? [i]) : [i])));
  return [{ code: 'invalid_type', path, expected, message: `expected ${expected}`, alternatives: branches.flat().filter((i) => samePath(i.path, path)) }];
}

/** Validates a YAML document against a zod schema; each problem points at the exact key or value node. */
export function validateYaml(doc: YamlDocument, schema: ZodType, what: string): SchemaProblem[] {
  const value = doc.toJS();
  const r = schema.safeParse(value ?? {});
  if (r.success) return [];
  const out: SchemaProblem[] = [];
  for (const issue of (r.error.issues as unknown as Issue[]).flatMap((i) => flattenIssue(i, []))) {
    const p = issue.path.map((s) => (typeof s === 'number' ? s : String(s)));
    const node = p.length ? doc.nodeAt(p) : (doc.doc?.contents as Node | undefined);
    if (issue.code === 'unrecognized_keys') {
      const known = shapeKeys(schemaAt(schema, p));
      for (const key of issue.keys ?? []) {
        const pair = isMap(node) ? node.items.find((i) => isPair(i) && isScalar(i.key) && String(i.key.value) === key) : undefined;
        const hint = closest(key, known);
        out.push({
          message: `unknown key \`${key}\` in ${what}${hint ? `; did you mean \`${hint}\`?` : known.length ? ` (known: ${known.join(', ')})` : ''}`,
          range: pair && isPair(pair) ? doc.keyRange(pair) : doc.rangeOf(node),
          unknownKey: true,
          ...(hint && pair ? { suggestion: { word: key, to: hint } } : {}),
        });
      }
      continue;
    }
    const where = p.length ? `\`${p.join('.')}\`` : 'the file';
    let v: unknown = value;
    for (const step of p) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[step as string] : undefined;
    let message = `${where} in ${what}: ${issue.message.replace(/^Invalid input: /, '')}`;
    if (p.length && v === undefined) message = `${what}: missing required key ${where}`;
    else if (issue.code === 'invalid_type' && issue.expected) message = `${where} in ${what}: expected ${/^(a|an|one) /.test(issue.expected) ? issue.expected : wanted(issue)}, found ${kindOf(v)}`;
    const target = node ?? (p.length > 1 ? doc.nodeAt(p.slice(0, -1)) : undefined);
    out.push({ message, range: doc.rangeOf(target ?? (doc.doc?.contents as Node | undefined)) });
  }
  return out;
}
