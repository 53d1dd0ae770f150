import type { RunHistorySeries, RunSource, RunSummary } from '../../../../shared/types';

export type { RunSummary, RunSource, RunHistorySeries, ParamValue } from '../../../../shared/types';

/** What a reader needs to know about the workspace. */
export interface RunsContext {
  /** Absolute workspace folder. */
  root: string;
  /** May spawn git (false in untrusted workspaces: DVC experiments are then not read). */
  useGit: boolean;
  /** Epoch ms "now" (injected by tests: a run modified in the last minutes counts as running). */
  now: () => number;
  /** Memo shared by the readers during one pass (e.g. the Hydra output patterns). */
  memo: Map<string, unknown>;
}

/**
 * A place that holds one run (a W&B run folder) or several (an mlflow.db, the DVC experiment refs). Discovery only lists
 * folders; reading happens once per location and is cached until one of its `deps` changes.
 */
export interface RunLocation {
  /** Stable key (also the prefix of its runs' ids). */
  key: string;
  source: RunSource;
  /** Absolute folder or file; file events under it mark it dirty. */
  path: string;
  /** Reader-specific data found during discovery (e.g. the Hydra pattern that matched). */
  hint?: Record<string, unknown>;
}

export interface ReadResult {
  runs: RunSummary[];
  /** Absolute paths whose (mtime, size) decide whether the location must be read again. */
  deps: string[];
}

export interface RunReader {
  source: RunSource;
  /** Lists candidate locations: directory listings of known places only, never a walk of the workspace. */
  discover(ctx: RunsContext): Promise<RunLocation[]> | RunLocation[];
  read(loc: RunLocation, ctx: RunsContext): Promise<ReadResult> | ReadResult;
  /**
   * The cheap first pass for large workspaces: what the folder listing tells (id, name, experiment, start time from the
   * folder name or one stat, status when one small file says it) without parsing params and metrics. Its runs carry
   * `pending: true` until `read` replaces them. Must list exactly the runs `read` would list (same ids). Readers
   * without it (one database or git call for all their runs) are read in full in the first pass.
   */
  summarize?(loc: RunLocation, ctx: RunsContext): ReadResult;
  /** Metric histories of one of this reader's runs. */
  history?(run: RunSummary, metrics: string[] | undefined, ctx: RunsContext): Promise<RunHistorySeries[]> | RunHistorySeries[];
  /** Workspace-relative POSIX prefixes where a file event concerns this source. */
  watchPrefixes(ctx: RunsContext): string[] | Promise<string[]>;
}
