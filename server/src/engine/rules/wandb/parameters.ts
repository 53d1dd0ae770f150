import { isScalar, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { SWEEP_DISTRIBUTIONS } from '../../schemas/wandbSweep';
import { isKnownDistribution, listAt, numberAt, sweepOf } from '../../wandb/sweep';

const isYaml = (rel: string): boolean => /\.ya?ml$/i.test(rel);

function fmt(n: number): string {
  // near 1 (exp of a small exponent) more digits tell 1.0001 from 1
  return Number(n.toPrecision(Math.abs(n - 1) < 0.01 && n !== 1 ? 5 : 4)).toString();
}

export const sweepBoundsOrder = defineFileRule({
  code: 'WB002',
  name: 'sweep-bounds-order',
  severity: 'error',
  title: 'Sweep parameter with min not below max',
  doc: {
    what: 'A sweep parameter whose `min` is not smaller than its `max`.',
    why: 'The W&B controller cannot sample from an empty range: the sweep fails to start, or every run gets the same value.',
    example: 'parameters:\n  dropout:\n    min: 0.5\n    max: 0.1\n',
    fix: 'Swap the bounds, or use `value:` for a constant.',
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    for (const p of s.params) {
      if (!isKnownDistribution(p.distribution) || !SWEEP_DISTRIBUTIONS[p.distribution!].keys.includes('min')) continue;
      const min = numberAt(p.map, 'min');
      const max = numberAt(p.map, 'max');
      if (!min || !max || min.value < max.value) continue;
      ctx.report({
        message: `parameter \`${p.name}\`: min ${fmt(min.value)} is not below max ${fmt(max.value)}`,
        range: s.doc.rangeOf(min.node),
        related: [{ file: ctx.file, range: s.doc.rangeOf(max.node), message: 'max' }],
      });
    }
  },
});

const GRID_OK = Object.entries(SWEEP_DISTRIBUTIONS)
  .filter(([, spec]) => spec.grid)
  .map(([n]) => n);

export const sweepGridNotDiscrete = defineFileRule({
  code: 'WB003',
  name: 'sweep-grid-not-discrete',
  severity: 'error',
  title: 'Grid sweep over a continuous parameter',
  doc: {
    what: `A \`method: grid\` sweep with a parameter that is not discrete. Grid search takes only ${GRID_OK.join(', ')} parameters (no probabilities).`,
    why: 'A grid cannot enumerate a continuous range: the W&B controller refuses the sweep ("Parameter ... is a disallowed type with grid search").',
    example: 'method: grid\nparameters:\n  lr:\n    min: 0.0001\n    max: 0.1\n',
    fix: 'List the values (`values: [0.0001, 0.001, 0.01]`), use `q_uniform` with a step, or switch to `method: random` or `bayes`.',
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    const method = YamlDocument.pair(s.doc.rootMap, 'method');
    if (!method || !isScalar(method.value) || method.value.value !== 'grid') return;
    for (const p of s.params) {
      if (!p.distribution || !isKnownDistribution(p.distribution) || GRID_OK.includes(p.distribution)) continue;
      ctx.report({
        message: `parameter \`${p.name}\` is ${p.distribution}${p.explicit ? '' : ' (inferred)'}, which a grid search cannot enumerate; list \`values\` or use random/bayes`,
        range: s.doc.keyRange(p.pair),
        related: [{ file: ctx.file, range: s.doc.rangeOf(method.value as Node), message: 'method: grid' }],
      });
    }
  },
});

export const sweepProbabilities = defineFileRule({
  code: 'WB004',
  name: 'sweep-probabilities',
  severity: 'error',
  title: 'Sweep probabilities do not match the values',
  doc: {
    what: 'A categorical sweep parameter whose `probabilities` list has a different length than `values`, or does not sum to 1.',
    why: 'The W&B controller rejects the parameter; a sum that is slightly off usually hides a typo in one weight.',
    example: 'parameters:\n  optimizer:\n    values: [adam, sgd]\n    probabilities: [0.7, 0.2]\n',
    fix: 'Give one probability per value, summing to 1: `probabilities: [0.7, 0.3]`.',
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    for (const p of s.params) {
      const values = listAt(p.map, 'values');
      const probs = listAt(p.map, 'probabilities');
      if (!values || !probs) continue;
      if (values.items.length !== probs.items.length) {
        ctx.report({
          message: `parameter \`${p.name}\` has ${values.items.length} values but ${probs.items.length} probabilities`,
          range: s.doc.rangeOf(probs.node),
        });
        continue;
      }
      if (!probs.items.every((x) => typeof x === 'number')) continue; // WB001 reports non-numbers
      const sum = (probs.items as number[]).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6)
        ctx.report({ message: `parameter \`${p.name}\`: probabilities sum to ${fmt(sum)}, not 1`, range: s.doc.rangeOf(probs.node) });
    }
  },
});

export const sweepLogUniformExponents = defineFileRule({
  code: 'WB005',
  name: 'sweep-log-uniform-exponents',
  severity: 'warning',
  title: 'log_uniform with bounds that are values, not exponents',
  doc: {
    what: '`distribution: log_uniform` (also `inv_log_uniform`, `q_log_uniform`) whose `min`/`max` are plainly values, like `min: 0.0001, max: 0.1`. For these distributions W&B reads min and max as natural-log exponents: it samples exp(uniform(min, max)).',
    why: 'With `min: 0.0001, max: 0.1` every learning rate lands between exp(0.0001) = 1.0001 and exp(0.1) = 1.105: the whole sweep trains with a rate around 1 and diverges, and nothing says why. The course reference project ships exactly this mistake.',
    example: 'parameters:\n  lr:\n    distribution: log_uniform\n    min: 0.0001\n    max: 0.1\n',
    fix: 'Use `distribution: log_uniform_values` (the bounds are values), or keep `log_uniform` with exponents: `min: -9.21, max: -2.3`. The quick fix switches the distribution.',
    references: ['https://docs.wandb.ai/guides/sweeps/sweep-config-keys/#distribution-options-for-random-and-bayesian-search'],
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    for (const p of s.params) {
      const spec = p.distribution ? SWEEP_DISTRIBUTIONS[p.distribution] : undefined;
      if (!spec?.exponents || !spec.valuesTwin) continue;
      const min = numberAt(p.map, 'min');
      const max = numberAt(p.map, 'max');
      if (!min || !max || min.value >= max.value) continue;
      // exponents in (0, 1] give values in (1, e]: nobody samples that log-uniformly; exponents of 30+ overflow any hyperparameter
      const plainlyValues = (min.value > 0 && max.value <= 1) || (min.value >= 0 && max.value >= 30);
      if (!plainlyValues) continue;
      const d = YamlDocument.pair(p.map, 'distribution')!;
      const range = s.doc.rangeOf(d.value as Node);
      ctx.report({
        message: `parameter \`${p.name}\`: ${p.distribution} reads min and max as exponents, so ${fmt(min.value)}..${fmt(max.value)} samples values between ${fmt(Math.exp(min.value))} and ${max.value < 700 ? fmt(Math.exp(max.value)) : 'infinity'}; for bounds that are values use ${spec.valuesTwin}`,
        range,
        fixes: [{ title: `Use ${spec.valuesTwin}`, preferred: true, changes: [{ file: ctx.file, edits: [{ range, newText: spec.valuesTwin }] }] }],
      });
    }
  },
});
