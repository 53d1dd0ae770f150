import type { ZodType } from 'zod';
import { pipelineSchemas } from '../dvc/pipeline/schema';
import { dvcFileSchema, dvcLockSchema } from '../dvc/data/schemas';
import { sweepConfigSchema } from './wandbSweep';
import { mlprojectSchema } from './mlproject';

/**
 * Structural schemas of the files we read, written once with zod. The rules validate with them, and
 * `npm run schemas` exports them as JSON Schema for VS Code's `yamlValidation` (completion for users of the YAML
 * extension). A family adds its schema here.
 */
export interface FileSchema {
  /** File name of the exported JSON Schema, e.g. `dvc-yaml.schema.json`. */
  id: string;
  title: string;
  /** Glob patterns of the files it describes, as `yamlValidation` wants them. */
  fileMatch: string[];
  schema: ZodType;
  /**
   * The rule that reports this schema's problems itself (with a "did you mean" and a fix). Such a schema is exported
   * but not contributed to the YAML extension: it would report the same problem a second time.
   */
  validatedBy?: string;
}

/**
 * Whether the file name alone decides the format for every pattern (`dvc.yaml`, `*.dvc`, `MLproject`): a pattern with
 * a wildcard inside the name (`sweep*.yaml`) also takes files of other formats (a Hydra Optuna sweeper config named
 * sweep_optuna.yaml), which would get this schema's errors.
 */
export function nameDecidesFormat(fileMatch: readonly string[]): boolean {
  return fileMatch.every((p) => {
    const base = p.replace(/^(\*\*\/)+/, '');
    return !base.includes('/') && (!/[*?[{]/.test(base) || /^\*\.[\w-]+$/.test(base));
  });
}

/**
 * The schemas contributed with `yamlValidation`: only where the file name decides the format and no rule of ours
 * reports the same problems (the YAML extension and we would both report it). Today every schema is checked by its
 * rule (DVC001, DVC050, WB001, MLF001), so none is contributed; the files in schemas/ can still be associated by hand
 * (`yaml.schemas`) for completion.
 */
export function contributedSchemas(schemas: readonly FileSchema[] = SCHEMAS): FileSchema[] {
  return schemas.filter((s) => !s.validatedBy && nameDecidesFormat(s.fileMatch));
}

export const SCHEMAS: FileSchema[] = [
  {
    id: 'dvc-yaml.schema.json',
    title: 'DVC pipeline (dvc.yaml)',
    fileMatch: ['dvc.yaml', '**/dvc.yaml'],
    get schema() {
      return pipelineSchemas().dvcYamlSchema; // built on first use
    },
    validatedBy: 'DVC001',
  },
  { id: 'dvc-file.schema.json', title: 'DVC .dvc file', fileMatch: ['*.dvc', '**/*.dvc'], schema: dvcFileSchema, validatedBy: 'DVC050' },
  { id: 'dvc-lock.schema.json', title: 'DVC dvc.lock', fileMatch: ['dvc.lock', '**/dvc.lock'], schema: dvcLockSchema, validatedBy: 'DVC050' },
  {
    id: 'wandb-sweep.schema.json',
    title: 'Weights & Biases sweep configuration',
    fileMatch: ['sweep*.yaml', 'sweep*.yml', '**/sweep*.yaml', '**/sweep*.yml'],
    schema: sweepConfigSchema,
    validatedBy: 'WB001',
  },
  {
    id: 'mlproject.schema.json',
    title: 'MLflow MLproject',
    fileMatch: ['MLproject', '**/MLproject'],
    schema: mlprojectSchema,
    validatedBy: 'MLF001',
  },
];
