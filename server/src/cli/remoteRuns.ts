/**
 * `mlops-hygiene runs --mlflow URI --wandb entity/project`: the runs of a tracking server and of a W&B project, listed
 * with the local ones in the same table. Only what the command line or MLFLOW_TRACKING_URI names is contacted.
 */
import type { RunSummary } from '../../../shared/types';
import {
  listAll,
  mergeWandbRuns,
  MlflowServerSource,
  mlflowServerConfig,
  describeNonHttpUri,
  RemoteError,
  WandbCloudSource,
  wandbConfig,
  type HttpOptions,
  type RunProvider,
} from '../engine/runs/sources';

export interface RemoteRunsOptions {
  mlflow?: string;
  wandb?: string;
  env: NodeJS.ProcessEnv;
  http?: HttpOptions;
  home?: string;
}

export interface RemoteRunsResult {
  runs: RunSummary[];
  notes: string[];
  /** One line per source that failed: what happened, then what to do. */
  errors: string[];
}

/** The sources the options and the environment name (MLFLOW_TRACKING_URI when --mlflow is not given). */
export function remoteSources(o: RemoteRunsOptions, notes: string[], errors: string[]): RunProvider[] {
  const out: RunProvider[] = [];
  const uri = o.mlflow ?? o.env.MLFLOW_TRACKING_URI;
  if (uri) {
    const other = describeNonHttpUri(uri);
    if (other && !o.mlflow) notes.push(`MLFLOW_TRACKING_URI: ${other}`);
    else {
      try {
        out.push(new MlflowServerSource(mlflowServerConfig(uri, o.env), o.http));
      } catch (e) {
        errors.push(errorLine(e, o.mlflow ? '--mlflow' : 'MLFLOW_TRACKING_URI'));
      }
    }
  }
  if (o.wandb) {
    try {
      out.push(new WandbCloudSource(wandbConfig(o.wandb, o.env, {}, o.home), o.http));
    } catch (e) {
      errors.push(errorLine(e, '--wandb'));
    }
  }
  return out;
}

export function errorLine(e: unknown, what: string): string {
  if (e instanceof RemoteError) return `${e.message}${e.action ? `. ${e.action}` : ''}`;
  return `${what}: ${(e as Error).message}`;
}

/**
 * Every run of each source (all pages). A W&B project's runs and the local wandb/ folders of the same runs become one
 * run each (`local` is changed in place: the merged list replaces it).
 */
export async function fetchRemoteRuns(o: RemoteRunsOptions, local: RunSummary[]): Promise<RemoteRunsResult & { local: RunSummary[] }> {
  const notes: string[] = [];
  const errors: string[] = [];
  const runs: RunSummary[] = [];
  for (const src of remoteSources(o, notes, errors)) {
    try {
      const page = await listAll(src);
      notes.push(...page.notes);
      if (src instanceof WandbCloudSource) local = mergeWandbRuns(local, page.runs, src.key.slice('wandb:'.length), true);
      else runs.push(...page.runs);
    } catch (e) {
      errors.push(errorLine(e, src.label));
    }
  }
  return { runs, notes, errors, local };
}
