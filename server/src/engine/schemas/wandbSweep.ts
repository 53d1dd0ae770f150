import { z } from 'zod';

/**
 * The W&B sweep configuration (`wandb sweep sweep.yaml`), from the sweep schema of wandb/sweeps (formats.md 3.6).
 * `SWEEP_DISTRIBUTIONS` is the single table both the zod schema (exported as JSON Schema for the YAML extension) and the
 * WB rules read.
 */

export interface DistributionSpec {
  /** Keys allowed besides `distribution`. */
  keys: string[];
  /** Keys that must be present. */
  required: string[];
  /** The distribution may be left out and is inferred from the keys. */
  inferred?: boolean;
  /** Discrete: allowed in a grid search. */
  grid?: boolean;
  /** min/max are natural-log exponents, not values. */
  exponents?: boolean;
  /** The `*_values` twin that takes values. */
  valuesTwin?: string;
}

export const SWEEP_DISTRIBUTIONS: Record<string, DistributionSpec> = {
  constant: { keys: ['value'], required: ['value'], inferred: true, grid: true },
  categorical: { keys: ['values'], required: ['values'], inferred: true, grid: true },
  categorical_w_probabilities: { keys: ['values', 'probabilities'], required: ['values', 'probabilities'], inferred: true },
  int_uniform: { keys: ['min', 'max'], required: ['min', 'max'], inferred: true, grid: true },
  uniform: { keys: ['min', 'max'], required: ['min', 'max'], inferred: true },
  q_uniform: { keys: ['min', 'max', 'q'], required: ['min', 'max'], grid: true },
  log_uniform: { keys: ['min', 'max'], required: ['min', 'max'], exponents: true, valuesTwin: 'log_uniform_values' },
  log_uniform_values: { keys: ['min', 'max'], required: ['min', 'max'] },
  inv_log_uniform: { keys: ['min', 'max'], required: ['min', 'max'], exponents: true, valuesTwin: 'inv_log_uniform_values' },
  inv_log_uniform_values: { keys: ['min', 'max'], required: ['min', 'max'] },
  q_log_uniform: { keys: ['min', 'max', 'q'], required: ['min', 'max'], exponents: true, valuesTwin: 'q_log_uniform_values' },
  q_log_uniform_values: { keys: ['min', 'max', 'q'], required: ['min', 'max'] },
  normal: { keys: ['mu', 'sigma'], required: [] },
  q_normal: { keys: ['mu', 'sigma', 'q'], required: [] },
  log_normal: { keys: ['mu', 'sigma'], required: [] },
  q_log_normal: { keys: ['mu', 'sigma', 'q'], required: [] },
  beta: { keys: ['a', 'b'], required: [] },
  q_beta: { keys: ['a', 'b', 'q'], required: [] },
};

export const SWEEP_METHODS = ['bayes', 'random', 'grid', 'custom'] as const;
export const SWEEP_PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const SWEEP_TOP_LEVEL_KEYS = [
  'apiVersion', 'kind', 'controller', 'description', 'program', 'job', 'image_uri', 'entity', 'project', 'method', 'command',
  'name', 'run_cap', 'metric', 'metrics', 'scheduler', 'early_terminate', 'parameters',
] as const;

const KEY_SCHEMAS: Record<string, () => z.ZodType> = {
  value: () => z.unknown().describe('The constant value'),
  values: () => z.array(z.unknown()).min(1).describe('The discrete values to choose from'),
  probabilities: () => z.array(z.number().min(0)).min(1).describe('Probability of each value (same length as values, sum 1)'),
  min: () => z.number().describe('Lower bound'),
  max: () => z.number().describe('Upper bound'),
  q: () => z.number().gt(0).describe('Quantization step'),
  mu: () => z.number().describe('Mean of the normal distribution'),
  sigma: () => z.number().min(0).describe('Standard deviation of the normal distribution'),
  a: () => z.number().min(0).describe('Beta distribution alpha'),
  b: () => z.number().min(0).describe('Beta distribution beta'),
};

function distributionSchema(name: string, spec: DistributionSpec): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const k of spec.keys) {
    let s = KEY_SCHEMAS[k]();
    if (name === 'int_uniform' && (k === 'min' || k === 'max')) s = z.int().describe(k === 'min' ? 'Lower bound (integer)' : 'Upper bound (integer)');
    if (name.endsWith('_values') && k === 'min') s = z.number().gt(0).describe('Lower bound (a value, > 0)');
    shape[k] = spec.required.includes(k) ? s : s.optional();
  }
  const dist = z.literal(name).describe(DISTRIBUTION_DOCS[name] ?? name);
  shape.distribution = spec.inferred ? dist.optional() : dist;
  return z.strictObject(shape);
}

const DISTRIBUTION_DOCS: Record<string, string> = {
  log_uniform: 'exp(uniform(min, max)): min and max are natural-log EXPONENTS. For bounds given as values use log_uniform_values.',
  log_uniform_values: 'Log-uniform between the values min and max (min > 0).',
  inv_log_uniform: '1/exp(uniform(min, max)): min and max are exponents. For values use inv_log_uniform_values.',
  q_log_uniform: 'Quantized log-uniform, min and max are exponents. For values use q_log_uniform_values.',
  int_uniform: 'Integers between min and max (inferred when both bounds are integers).',
  uniform: 'Real numbers between min and max.',
};

type Parameter = unknown;
export const sweepParameterSchema: z.ZodType<Parameter> = z.lazy(() =>
  z.union([
    ...Object.entries(SWEEP_DISTRIBUTIONS).map(([name, spec]) => distributionSchema(name, spec)),
    z.strictObject({ parameters: sweepParametersSchema }).describe('Nested parameters'),
  ] as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
);

export const sweepParametersSchema: z.ZodType<Record<string, Parameter>> = z.lazy(() =>
  z.record(z.string().regex(SWEEP_PARAMETER_NAME), sweepParameterSchema).describe('The hyperparameters to sweep over'),
);

const metricSchema = z.strictObject({
  name: z.string().describe('Name of the metric the code logs (wandb.log / self.log)'),
  goal: z.enum(['minimize', 'maximize']).optional().describe('Default: minimize'),
  target: z.number().optional().describe('The sweep finishes once a run reaches this value'),
  impute: z.enum(['latest', 'best', 'worst']).optional(),
  impute_while_running: z.enum(['latest', 'best', 'worst', 'false']).optional(),
});

export const earlyTerminateSchema = z.strictObject({
  type: z.literal('hyperband'),
  min_iter: z.int().min(1).optional().describe('First iteration at which runs may be stopped'),
  max_iter: z.int().optional().describe('Last iteration (with s)'),
  s: z.number().optional().describe('Number of brackets (with max_iter)'),
  eta: z.number().gt(1).optional().describe('Bracket multiplier, default 3'),
  strict: z.boolean().optional(),
});

/** The whole sweep file. */
export const sweepConfigSchema = z
  .strictObject({
    program: z.string().optional().describe('The training script the agent runs'),
    method: z.enum(SWEEP_METHODS).describe('Search strategy: grid, random, bayes (or custom)'),
    metric: metricSchema.optional(),
    metrics: z.array(metricSchema).min(2).optional(),
    parameters: sweepParametersSchema.optional(),
    command: z.array(z.unknown()).optional().describe('Command line; Hydra programs need ${args_no_hyphens}'),
    name: z.string().optional(),
    description: z.string().optional(),
    project: z.string().optional(),
    entity: z.string().optional(),
    run_cap: z.int().gt(0).optional().describe('Maximum number of runs'),
    early_terminate: earlyTerminateSchema.optional(),
    controller: z.object({ type: z.enum(['local', 'cloud']) }).optional(),
    scheduler: z.strictObject({ engine: z.enum(['optuna', 'ax', 'wandb']), source: z.string().optional(), optimizer: z.string().optional(), search_space: z.string().optional() }).optional(),
    job: z.string().optional(),
    image_uri: z.string().optional(),
    apiVersion: z.string().optional(),
    kind: z.literal('sweep').optional(),
  })
  .describe('Weights & Biases sweep configuration');

/** The top level without `parameters` (the WB rules check parameters themselves, with messages per parameter). */
export const sweepTopLevelSchema = sweepConfigSchema.omit({ parameters: true }).extend({ parameters: z.unknown().optional() });
