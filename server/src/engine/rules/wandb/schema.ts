import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { defineFileRule, type FileContext } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { isSweepConfig } from '../../yaml/loaders';
import { SWEEP_DISTRIBUTIONS, SWEEP_PARAMETER_NAME, SWEEP_TOP_LEVEL_KEYS, sweepTopLevelSchema } from '../../schemas/wandbSweep';
import { closest } from '../../text/suggest';
import { didYouMeanText, expectedText, flattenIssues, pathOf, schemaKeysAt, unknownKeys, valueAt, type Issue } from '../../yaml/schemaIssues';
import { isKnownDistribution, numberKind, sweepOf, type Sweep, type SweepParam } from '../../wandb/sweep';
import type { Fix, Range } from '../../types';
import { suggestionFix } from '../../fixes';

const SWEEP_DOC_REF = 'https://docs.wandb.ai/guides/sweeps/sweep-config-keys/';

function plain(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Range of the value at `path`, or of the deepest existing key/value on the way (a missing key has no node). */
function rangeAt(doc: YamlDocument, path: (string | number)[]): Range {
  for (let n = path.length; n > 0; n--) {
    const node = doc.nodeAt(path.slice(0, n));
    if (node) {
      if (n < path.length) {
        // the parent exists, the key does not: point at the parent's key
        const parentPair =
          n >= 1 && typeof path[n - 1] === 'string'
            ? YamlDocument.pair(n > 1 ? doc.nodeAt(path.slice(0, n - 1)) : doc.rootMap, path[n - 1] as string)
            : undefined;
        return parentPair ? doc.keyRange(parentPair) : doc.rangeOf(node);
      }
      const parent = n > 1 ? doc.nodeAt(path.slice(0, n - 1)) : doc.rootMap;
      const last = path[n - 1];
      if (typeof last === 'string' && isMap(parent) && !isScalar(node)) {
        const pair = YamlDocument.pair(parent, last);
        if (pair) return doc.keyRange(pair);
      }
      return doc.rangeOf(node);
    }
  }
  const first = doc.rootMap?.items[0];
  return first && isPair(first) ? doc.keyRange(first) : doc.rangeOf(doc.doc?.contents as Node);
}

function checkTopLevel(ctx: FileContext, s: Sweep): void {
  const doc = s.doc;
  const js = doc.toJS();
  if (!js || typeof js !== 'object' || Array.isArray(js)) return;
  const result = sweepTopLevelSchema.safeParse(js);
  if (!result.success) {
    for (const issue of flattenIssues(result.error.issues as unknown as Issue[])) {
      const path = pathOf(issue);
      const where = path.length ? `\`${path.join('.')}\`` : 'the sweep';
      if (issue.code === 'unrecognized_keys') {
        const known = path.length ? schemaKeysAt(sweepTopLevelSchema, path) : SWEEP_TOP_LEVEL_KEYS;
        for (const u of unknownKeys(doc, path.length ? doc.nodeAt(path) : doc.rootMap, issue.keys ?? [], known)) {
          ctx.report({
            message: `unknown key \`${u.key}\` in ${path.length ? where : 'a W&B sweep config'}${didYouMeanText(u.suggestion)} (the sweep schema allows no other keys)`,
            range: u.pair ? u.range : rangeAt(doc, path),
            ...fixOf(ctx, u.pair ? u.range : undefined, u.key, u.suggestion),
          });
        }
        continue;
      }
      const value = valueAt(js, path);
      let message: string;
      if (value === undefined && issue.code === 'invalid_type')
        message = path.length === 1 && path[0] === 'method' ? 'the sweep has no `method`: grid, random or bayes' : `${where} is required`;
      else if (issue.code === 'invalid_value' && issue.values)
        message = `${where} is \`${plain(value)}\`; expected ${expectedText(issue)}${typeof value === 'string' ? didYouMeanText(closest(value, issue.values.map(String))) : ''}`;
      else message = `${where}: ${issue.message.replace(/^Invalid input: /, '')} (found \`${plain(value)}\`)`;
      ctx.report({ message, range: rangeAt(doc, path) });
    }
  }
  const root = doc.rootMap;
  const method = YamlDocument.pair(root, 'method');
  const hasMetric = !!YamlDocument.pair(root, 'metric') || !!YamlDocument.pair(root, 'metrics');
  if (method && isScalar(method.value) && method.value.value === 'bayes' && !hasMetric) {
    ctx.report({ message: '`method: bayes` needs a `metric` to optimise (name and goal)', range: doc.rangeOf(method.value as Node) });
  }
  const et = YamlDocument.pair(root, 'early_terminate');
  if (et && isMap(et.value)) {
    if (!hasMetric) ctx.report({ message: '`early_terminate` needs a `metric`: hyperband stops runs by comparing it', range: doc.keyRange(et) });
    const has = (k: string): boolean => !!YamlDocument.pair(et.value, k);
    if (!has('min_iter') && !(has('max_iter') && has('s'))) {
      ctx.report({ message: '`early_terminate` (hyperband) needs `min_iter`, or both `max_iter` and `s`', range: doc.keyRange(et) });
    }
  }
}

const NUMBER_KEYS = new Set(['min', 'max', 'q', 'mu', 'sigma', 'a', 'b']);

function checkParameter(ctx: FileContext, doc: YamlDocument, p: SweepParam): void {
  const keyRange = doc.keyRange(p.pair);
  const leaf = p.name.split('.').pop() ?? p.name;
  if (!SWEEP_PARAMETER_NAME.test(leaf)) {
    ctx.report({
      message: `parameter name \`${leaf}\` is not allowed: it must start with a letter or _ and contain only letters, digits, _ . -`,
      range: keyRange,
    });
  }
  if (!p.map) {
    const v = p.pair.value;
    ctx.report({
      message: `parameter \`${p.name}\` must be a mapping such as \`{values: [...]}\`, \`{value: x}\` or \`{min: a, max: b}\`${isScalar(v) ? `, not the bare value \`${String(v.value)}\` (write \`value: ${String(v.value)}\`)` : ''}`,
      range: v ? doc.rangeOf(v) : keyRange,
    });
    return;
  }
  const map = p.map;
  if (YamlDocument.pair(map, 'parameters') && !p.explicit) {
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && item.key.value !== 'parameters') {
        ctx.report({
          message: `nested parameter group \`${p.name}\` may only contain \`parameters\`, not \`${String(item.key.value)}\``,
          range: doc.keyRange(item),
        });
      }
    }
    return;
  }
  if (p.explicit && !isKnownDistribution(p.distribution)) {
    const d = YamlDocument.pair(map, 'distribution')!;
    const guess = closest(String(p.distribution ?? ''), Object.keys(SWEEP_DISTRIBUTIONS));
    ctx.report({
      message: `parameter \`${p.name}\`: unknown distribution \`${plain(p.distribution)}\`${guess ? `; did you mean \`${guess}\`?` : ` (one of ${Object.keys(SWEEP_DISTRIBUTIONS).join(', ')})`}`,
      range: doc.rangeOf(d.value as Node),
      ...fixOf(ctx, doc.rangeOf(d.value as Node), String(p.distribution ?? ''), guess),
    });
    return;
  }
  if (!p.distribution) {
    ctx.report({
      message: `parameter \`${p.name}\` has none of \`values\`, \`value\`, \`min\`/\`max\`, \`distribution\` or \`parameters\`: W&B cannot tell what to sample`,
      range: keyRange,
    });
    return;
  }
  const spec = SWEEP_DISTRIBUTIONS[p.distribution];
  const allowed = [...spec.keys, 'distribution'];
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const k = String(item.key.value);
    if (!allowed.includes(k)) {
      const guess = closest(k, allowed);
      ctx.report({
        message: `parameter \`${p.name}\` (${p.distribution}${p.explicit ? '' : ', inferred'}) does not take \`${k}\`${guess && guess !== 'distribution' ? `; did you mean \`${guess}\`?` : ''} (allowed: ${allowed.join(', ')})`,
        range: doc.keyRange(item),
        ...fixOf(ctx, doc.keyRange(item), k, guess && guess !== 'distribution' ? guess : undefined),
      });
      continue;
    }
    const v = item.value;
    if (NUMBER_KEYS.has(k)) {
      if (!isScalar(v) || typeof v.value !== 'number') {
        ctx.report({
          message: `parameter \`${p.name}\`: \`${k}\` must be a number, found \`${isScalar(v) ? plain(v.value) : 'a collection'}\``,
          range: doc.rangeOf(v as Node),
        });
      } else if (p.distribution === 'int_uniform' && (k === 'min' || k === 'max') && numberKind(v) !== 'int') {
        ctx.report({ message: `parameter \`${p.name}\` is int_uniform: \`${k}\` must be an integer, found ${String(v.value)}`, range: doc.rangeOf(v as Node) });
      } else if (k === 'q' && v.value <= 0) {
        ctx.report({ message: `parameter \`${p.name}\`: \`q\` must be greater than 0`, range: doc.rangeOf(v as Node) });
      } else if ((k === 'sigma' || k === 'a' || k === 'b') && v.value < 0) {
        ctx.report({ message: `parameter \`${p.name}\`: \`${k}\` must not be negative`, range: doc.rangeOf(v as Node) });
      } else if (k === 'min' && p.distribution.endsWith('_values') && v.value <= 0) {
        ctx.report({
          message: `parameter \`${p.name}\` is ${p.distribution}: \`min\` is a value and must be greater than 0 (its logarithm is taken)`,
          range: doc.rangeOf(v as Node),
        });
      }
    } else if (k === 'values' || k === 'probabilities') {
      if (!isSeq(v) || v.items.length === 0) {
        ctx.report({ message: `parameter \`${p.name}\`: \`${k}\` must be a non-empty list`, range: doc.rangeOf(v as Node) });
      } else if (k === 'probabilities') {
        for (const it of v.items) {
          if (!isScalar(it) || typeof it.value !== 'number' || it.value < 0)
            ctx.report({ message: `parameter \`${p.name}\`: every probability must be a number >= 0`, range: doc.rangeOf(it as Node) });
        }
      }
    }
  }
  for (const k of spec.required) {
    if (!YamlDocument.pair(map, k)) ctx.report({ message: `parameter \`${p.name}\` (${p.distribution}) needs \`${k}\``, range: keyRange });
  }
}

/** Structure of W&B sweep configs against the sweep schema. */
export const sweepSchema = defineFileRule({
  code: 'WB001',
  name: 'sweep-schema',
  severity: 'error',
  title: 'Invalid W&B sweep configuration',
  doc: {
    what: 'A W&B sweep config (a YAML file with top-level `method` and `parameters`, or named sweep*.yaml) that does not follow the sweep schema: unknown or missing `method`, `metric` without `name` or with a bad `goal`, unknown top-level keys, parameters with an unknown distribution, keys their distribution does not take, missing bounds, non-numeric bounds, `early_terminate` without `min_iter` (or `max_iter` and `s`), `bayes` or `early_terminate` without a metric.',
    why: '`wandb sweep` rejects the file, or worse the controller accepts it and the sweep samples something else than intended. Knowing it in the editor saves a round trip to the W&B server.',
    example: '# sweep.yaml\nmethod: bayesian\nparameters:\n  lr:\n    distribution: loguniform\n    min: 0.0001\n    max: 0.1\n',
    fix: 'Use the names of the sweep schema: `method: bayes`, `distribution: log_uniform_values`, and give every parameter one of `values`, `value`, `min`/`max` or a `distribution` with its keys.',
    references: [SWEEP_DOC_REF],
  },
  appliesTo: (rel) => /\.ya?ml$/i.test(rel),
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    checkTopLevel(ctx, s);
    for (const p of s.params) checkParameter(ctx, s.doc, p);
  },
});

export { isSweepConfig };

/** The "did you mean" quick fix of a report, as its `fixes` (none when there is no suggestion or no exact range). */
function fixOf(ctx: { ws: FileContext['ws']; file: string }, range: Range | undefined, word: string, guess: string | undefined): { fixes?: Fix[] } {
  const fix = range ? suggestionFix(ctx.ws, ctx.file, range, word, guess) : undefined;
  return fix ? { fixes: [fix] } : {};
}
