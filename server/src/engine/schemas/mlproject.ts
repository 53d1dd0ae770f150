import { z } from 'zod';

/**
 * MLflow's MLproject file (mlflow/projects/_project_spec.py, formats.md section 2, the "MLproject File" page of the MLflow
 * docs): `name`, `entry_points`, at most one of `conda_env`, `python_env`, `docker_env`, and `databricks_spark_job`.
 * MLflow reads it with yaml.safe_load and ignores keys it does not know; the schema is strict so that a typo is reported
 * (as a warning: MLF001) and the YAML extension completes the known keys.
 */

/** The parameter types of the MLflow documentation. Only `path` and `uri` are converted or checked by MLflow itself. */
export const MLPROJECT_PARAMETER_TYPES = ['string', 'float', 'path', 'uri'] as const;
/** Not documented, but used in MLflow's own examples (`type: int`) and passed through as text like `string`. */
export const MLPROJECT_TOLERATED_TYPES = ['int', 'bool'] as const;
export const MLPROJECT_ENV_KEYS = ['conda_env', 'python_env', 'docker_env'] as const;

const knownType = z.enum([...MLPROJECT_PARAMETER_TYPES, ...MLPROJECT_TOLERATED_TYPES]);
/**
 * Any string is structurally a type (MLflow stores it and passes the value through); an unknown one is MLF004's, with a
 * did-you-mean. The enum branch gives the YAML extension the completion list.
 */
const parameterType = z.union([knownType, z.string()]).describe('string, float, path or uri (int and bool are passed through as text)');

export const mlprojectParameterSchema = z
  .union([
    parameterType,
    z.strictObject({
      type: parameterType.optional().describe('Default: string'),
      default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional().describe('Used when the run gives no -P value; without it the parameter is required'),
    }),
  ])
  .describe('A type name, or {type, default}');

export const mlprojectEntryPointSchema = z.strictObject({
  parameters: z.record(z.string(), mlprojectParameterSchema).optional().describe('Parameters, substituted into the command as {name}'),
  command: z.string().describe('Shell command, formatted with str.format: {name} is replaced by the parameter value, {{ and }} are literal braces'),
});

export const mlprojectSchema = z
  .strictObject({
    name: z.string().optional().describe('Project name'),
    entry_points: z.record(z.string(), mlprojectEntryPointSchema).optional().describe('Entry points (`mlflow run -e NAME`, `main` by default)'),
    conda_env: z.string().optional().describe('Path of a conda environment YAML file, relative to the MLproject folder'),
    python_env: z.string().optional().describe('Path of a python_env.yaml file (python, build_dependencies, dependencies), relative to the MLproject folder'),
    docker_env: z
      .looseObject({
        image: z.string().min(1).describe('Docker image to run in (anything `docker run` accepts)'),
        volumes: z.array(z.string()).optional().describe('Volumes to mount, as docker run -v takes them'),
        environment: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])).optional().describe('Variables copied from the host (NAME) or set ([NAME, value])'),
      })
      .optional()
      .describe('Run in a Docker container'),
    databricks_spark_job: z.looseObject({}).optional().describe('Run as a Databricks Spark job (python_file, parameters, python_libraries)'),
  })
  .describe('MLflow project file (MLproject)');

export const MLPROJECT_TOP_LEVEL_KEYS = Object.keys(mlprojectSchema.shape);
