import type { ZodType } from 'zod';
import { dvcYamlSchema } from '../dvc/pipeline/schema';
import { dvcFileSchema, dvcLockSchema } from '../dvc/data/schemas';
import { sweepSchema } from './wandbSweep';
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
}

export const SCHEMAS: FileSchema[] = [
  { id: 'dvc-yaml.schema.json', title: 'DVC pipeline (dvc.yaml)', fileMatch: ['dvc.yaml', '**/dvc.yaml'], schema: dvcYamlSchema },
  { id: 'dvc-file.schema.json', title: 'DVC .dvc file', fileMatch: ['*.dvc', '**/*.dvc'], schema: dvcFileSchema },
  { id: 'dvc-lock.schema.json', title: 'DVC dvc.lock', fileMatch: ['dvc.lock', '**/dvc.lock'], schema: dvcLockSchema },
  {
    id: 'wandb-sweep.schema.json',
    title: 'Weights & Biases sweep configuration',
    fileMatch: ['sweep*.yaml', 'sweep*.yml', '**/sweep*.yaml', '**/sweep*.yml'],
    schema: sweepSchema,
  },
  {
    id: 'mlproject.schema.json',
    title: 'MLflow MLproject',
    fileMatch: ['MLproject', '**/MLproject'],
    schema: mlprojectSchema,
  },
];
