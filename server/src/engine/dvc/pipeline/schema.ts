import { z } from 'zod';

/**
 * dvc.yaml's structure as DVC's own schema (dvc/schema.py) describes it, before templating: DVC validates the raw file,
 * so `frozen: ${flag}` is rejected by DVC too. Key lists are exported for "did you mean" suggestions.
 */
export const OUT_FLAG_KEYS = ['cache', 'persist', 'remote', 'push', 'checkpoint', 'desc', 'type', 'labels', 'meta'] as const;
export const PLOT_FLAG_KEYS = [...OUT_FLAG_KEYS, 'template', 'x', 'y', 'x_label', 'y_label', 'title', 'header'] as const;
export const STAGE_KEYS = ['cmd', 'wdir', 'deps', 'params', 'outs', 'metrics', 'plots', 'vars', 'frozen', 'meta', 'desc', 'always_changed', 'matrix'] as const;
export const FOREACH_KEYS = ['foreach', 'do'] as const;
export const TOP_KEYS = ['stages', 'vars', 'params', 'metrics', 'plots', 'artifacts', 'datasets'] as const;
export const ARTIFACT_KEYS = ['path', 'desc', 'type', 'labels', 'meta'] as const;
export const TOP_PLOT_KEYS = ['x', 'y', 'x_label', 'y_label', 'title', 'template'] as const;

export interface PipelineSchemas {
  /** A plain stage. */
  stageSchema: z.ZodType;
  /** A `foreach`/`do` stage. */
  foreachStageSchema: z.ZodType;
  /** The whole file. */
  dvcYamlSchema: z.ZodObject;
  /** The file minus `stages`, which the rule validates one stage at a time (plain or foreach). */
  dvcYamlTopSchema: z.ZodType;
}

let built: PipelineSchemas | undefined;

/**
 * The schemas, built on first use: building them took 5 ms of every start of the CLI, also on the many projects
 * without a dvc.yaml.
 */
export function pipelineSchemas(): PipelineSchemas {
  return (built ??= buildPipelineSchemas());
}

function buildPipelineSchemas(): PipelineSchemas {
  const str = z.string();
  const outFlags = z.strictObject({
    cache: z.boolean().optional(),
    persist: z.boolean().optional(),
    remote: str.optional(),
    push: z.boolean().optional(),
    checkpoint: z.boolean().optional().describe('legacy (DVC 2 checkpoints)'),
    desc: str.optional(),
    type: str.optional(),
    labels: z.array(str).optional(),
    meta: z.any().optional(),
  });
  const plotFlags = outFlags.extend({
    template: str.optional(),
    x: str.optional(),
    y: str.optional(),
    x_label: str.optional(),
    y_label: str.optional(),
    title: str.optional(),
    header: z.boolean().optional(),
  });

  const outEntry = z.union([str, z.record(str, outFlags.nullable())]).describe('a path, or {path: flags}');
  const plotEntry = z.union([str, z.record(str, plotFlags.nullable())]).describe('a path, or {path: flags}');
  const varsList = z.array(z.union([str, z.record(str, z.any())])).describe('files (`path` or `path:key1,key2`) or inline mappings');

  const stageSchema = z
    .strictObject({
      cmd: z.union([str, z.array(str)]).describe('the command (or commands) the stage runs'),
      wdir: str.optional(),
      deps: z.array(str).optional(),
      params: z.array(z.union([str, z.record(str, z.array(str).nullable())])).optional(),
      vars: varsList.optional(),
      frozen: z.boolean().optional(),
      meta: z.any().optional(),
      desc: str.optional(),
      always_changed: z.boolean().optional(),
      outs: z.array(outEntry).optional(),
      metrics: z.array(outEntry).optional(),
      plots: z.array(plotEntry).optional(),
      matrix: z.record(str, z.union([str, z.array(z.any())])).optional(),
    })
    .describe('a pipeline stage');

  const foreachStageSchema = z
    .strictObject({
      foreach: z.union([str, z.array(z.any()), z.record(str, z.any())]).describe('a list, a mapping, or a `${...}` that gives one'),
      do: stageSchema,
    })
    .describe('a stage generated for every item of `foreach`');

  const topPlot = z.strictObject({
    x: z.union([str, z.record(str, str)]).optional(),
    y: z.union([str, z.array(str), z.record(str, z.union([str, z.array(str)]))]).optional(),
    x_label: str.optional(),
    y_label: str.optional(),
    title: str.optional(),
    template: str.optional(),
  });

  const dvcYamlSchema = z
    .strictObject({
      stages: z.record(str, z.union([stageSchema, foreachStageSchema])).optional(),
      vars: varsList.optional(),
      params: z.array(str).optional(),
      metrics: z.array(str).optional(),
      plots: z.array(z.union([str, z.record(str, topPlot.nullable())])).optional(),
      artifacts: z
        .record(str, z.strictObject({ path: str, desc: str.optional(), type: str.optional(), labels: z.array(str).optional(), meta: z.any().optional() }))
        .optional(),
      datasets: z.array(z.record(str, z.any())).optional(),
    })
    .describe('DVC pipeline file (dvc.yaml)');

  /** Schema of the file minus `stages`, which the rule validates one stage at a time (plain or foreach). */
  const dvcYamlTopSchema = dvcYamlSchema.extend({ stages: z.record(str, z.any()).optional() });
  return { stageSchema, foreachStageSchema, dvcYamlSchema, dvcYamlTopSchema };
}
