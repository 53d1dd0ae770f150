/**
 * The plain data the client, the language server, the engine and the CLI exchange: interfaces and type aliases only,
 * no import (in particular no LSP package), so the engine (server/src/engine) can use them. shared/protocol.ts pairs
 * them with the method names; shared/runCodec.ts writes runs for the wire.
 */
/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** VS Code's workspace trust. Untrusted: the server spawns no process (no git, no dvc) and only reads files. */
  trusted: boolean;
  /**
   * A folder OUTSIDE the workspace where the server may keep caches (the DVC hash cache), e.g. VS Code's
   * `context.globalStorageUri`. Default: the OS cache folder ($XDG_CACHE_HOME/mlops-hygiene or equivalent).
   */
  cacheDir?: string;
}

// ------------------------------------------------------------------ rules

export interface RuleDocParams {
  code: string;
}
export interface RuleDocResult {
  code: string;
  name: string;
  title: string;
  markdown: string;
  url: string;
}

// ------------------------------------------------------------------ checking

export interface RecheckResult {
  files: number;
  findings: number;
  durationMs: number;
}

// ------------------------------------------------------------------ the workspace's own paths (views' empty states)

/** One workspace folder as the engine sees it (engine `projectLayout` plus whether it is checked). */
export interface FolderLayout {
  /** Absolute path of the workspace folder. */
  folder: string;
  /** The folder is checked (enabled, and an ML project unless mlopsHygiene.onlyMlProjects is false). */
  checked: boolean;
  /** Why it is an ML project (the first signal found); absent: no ML signal. */
  mlSignal?: string;
  /** The command that starts a training run: `python src/train.py`, `dvc exp run`. */
  startCommand?: string;
  /** The training script (folder-relative), when the command runs one. */
  trainScript?: string;
  /** Its Hydra config folder (folder-relative, '' = the folder itself): `configs`, `conf`. */
  configDir?: string;
  /** `.dvc/` exists. */
  dvc: boolean;
  /** dvc.yaml exists. */
  pipeline: boolean;
}
export interface WorkspaceLayoutResult {
  folders: FolderLayout[];
}

export interface StatusParams {
  state: 'starting' | 'checking' | 'idle';
  /** Findings by severity, all workspace folders together. */
  counts: { error: number; warning: number; info: number; hint: number };
  /** Things the user should know: listing notes, untrusted mode, unreadable files. */
  notes: string[];
}

// ------------------------------------------------------------------ DVC data status (issue: DVC), used by the Data view

export type DvcItemState = 'in-sync' | 'modified' | 'missing' | 'not-in-cache' | 'not-computed' | 'unknown';
export interface DvcItemStatus {
  /** Workspace-relative path of the data (file or folder). */
  path: string;
  /** What tracks it: a `.dvc` file path, or `dvc.yaml:<stage>`. */
  source: string;
  kind: 'dvc-file' | 'stage-out' | 'stage-dep';
  state: DvcItemState;
  detail?: string;
  /** The hash recorded in the .dvc file or dvc.lock. */
  hash?: string;
  /** The hash of the workspace data now, when it could be computed. */
  currentHash?: string;
  /** Recorded by DVC 2 (no `hash: md5`), compared with the legacy md5-dos2unix hash. */
  legacyHash?: boolean;
  /** Absolute path of the workspace folder `path` is relative to (set when several folders are open). */
  folder?: string;
}
export interface DvcStageStatus {
  name: string;
  state: 'up-to-date' | 'changed' | 'never-run' | 'unknown';
  /** Human explanations, e.g. "data/processed changed". */
  changes: string[];
  /** Absolute path of the workspace folder of the stage's dvc.yaml. */
  folder?: string;
}
/** With a `workDoneToken`, hashing progress is reported on it; otherwise the server creates its own progress. */
export interface DvcStatusParams {
  /** LSP's WorkDoneProgressParams (a plain token here, so this file needs no LSP import). */
  workDoneToken?: number | string;
  /** Absolute path of the workspace folder (default: all folders). */
  folder?: string;
}
export interface DvcStatusResult {
  items: DvcItemStatus[];
  stages: DvcStageStatus[];
  durationMs: number;
  /** Files whose contents were read this time, and files answered from the hash cache (no read). */
  filesHashed?: number;
  filesFromCache?: number;
  bytesHashed?: number;
  /** What could not be checked (paths outside the workspace, unreadable .dvc files). */
  notes?: string[];
}

/** A DVC-tracked item as the recording files list it, without its status (the Data view before or without hashing). */
export interface DvcTrackedItem {
  /** Workspace-relative path of the data (file or folder). */
  path: string;
  /** `data.dvc` or `dvc.yaml:<stage>`. */
  source: string;
  kind: 'dvc-file' | 'stage-out';
  /** The recording file a history/restore works on: the `.dvc` file or the dvc.lock next to dvc.yaml. */
  recordFile: string;
  /** The hash recorded in the .dvc file or dvc.lock. */
  hash?: string;
}
export interface DvcTrackedParams {
  /** Absolute path of the workspace folder. */
  folder: string;
}
export interface DvcTrackedResult {
  /** The folder uses DVC at all: a `.dvc` folder, a `.dvc` file or a dvc.yaml at its top. */
  usesDvc: boolean;
  /** What the `.dvc` files and dvc.yaml stage outs track (no hashing: quick). */
  items: DvcTrackedItem[];
}

// ------------------------------------------------------------------ runs (issue: runs sidebar), used by versioning too

export type RunSource = 'hydra' | 'wandb' | 'mlflow' | 'lightning' | 'dvc-exp';
export type ParamValue = string | number | boolean | null;
export interface RunSummary {
  /** Unique within the workspace, stable across refreshes (e.g. `wandb:abc123`). */
  id: string;
  source: RunSource;
  name: string;
  experiment?: string;
  status: 'running' | 'finished' | 'failed' | 'killed' | 'unknown';
  /** Epoch milliseconds. */
  startTime?: number;
  durationMs?: number;
  gitCommit?: string;
  /** Absolute folder of the run, when it has one. */
  folder?: string;
  /** Absolute path of the run's config file, when it has one. */
  configFile?: string;
  /** Command line that reproduces it (for Hydra: the overrides). */
  command?: string;
  params: Record<string, ParamValue>;
  metrics: Record<string, number | null>;
  /** What could not be read (half-written, corrupt, huge), shown on the item. */
  warnings: string[];
  /** Absolute path of the workspace folder the run belongs to (several folders may be open). */
  workspaceFolder?: string;
  /** Absolute path of the run's log file (Hydra `<job>.log`, W&B `output.log`), when it has one. */
  logFile?: string;
  /** Metric keys that have a history (steps) the chart can draw. */
  historyMetrics?: string[];
  /** Small facts shown in the tooltip: W&B sync state, Hydra job name, overrides, checkpoints, baseline commit... */
  details?: Record<string, string>;
  /** The id of the run this one is a child of (MLflow `mlflow.parentRunId`): the view shows it under its parent. */
  parentId?: string;
  /**
   * Set while only the run's summary is known (a large workspace answers the first list from folder listings): params,
   * metrics, details, command and status may still be empty. `RunDetailsRequest` reads them now; the server also reads
   * them in the background and announces them with `RunsChangedNotification`.
   */
  pending?: true;
}

/**
 * A run as lists and change notifications carry it, without what the receiver can tell by itself: the fields a summary
 * leaves at their defaults (status `unknown`, no params, metrics or warnings), the workspace folder when it is the
 * message's, the source when the id starts with it (`wandb:...`), and paths inside the workspace folder relative to it.
 * 10,000 summaries are 3.3 MB of JSON in full and about 1.8 MB so: the first level of the Runs view waits for every
 * byte to be made, written and parsed. `runFromWire` gives the RunSummary back.
 */
export type WireRun = Omit<RunSummary, 'status' | 'params' | 'metrics' | 'warnings' | 'source'> & Partial<Pick<RunSummary, 'status' | 'params' | 'metrics' | 'warnings' | 'source'>>;

export interface RunsListParams {
  /** Absolute path of one workspace folder (default: all folders). */
  folder?: string;
  /** Wait until every run's params and metrics are read (filter by param, sort by metric): no `pending` runs. */
  complete?: boolean;
}
export interface RunsListResult {
  /** Every run, newest first (`runFromWire(run, workspaceFolder)` restores each). */
  runs: WireRun[];
  /** The workspace folder of the runs that name none (one folder open, or the first). */
  workspaceFolder?: string;
  /** Where runs were looked for and what was skipped (untrusted workspace: no DVC experiments). */
  notes: string[];
  /** Grows each time the list changes; a client may skip a re-render when it did not. */
  version: number;
  durationMs: number;
  /** Runs whose params and metrics are still being read in the background (0 or absent: all read). */
  pending?: number;
}

export interface RunsChangedParams {
  version: number;
  /** Ids of runs that appeared, changed (e.g. finished) or disappeared since the previous version. */
  added: string[];
  changed: string[];
  removed: string[];
  /** How long the server took to re-read what changed (after the debounce). */
  durationMs?: number;
  /**
   * The added and changed runs themselves, when they are few (a new run, a run that finished) and one folder is open:
   * the client patches its list without asking for all runs again. Absent: ask with `RunsListRequest`.
   */
  runs?: WireRun[];
  /** The workspace folder of the carried runs that name none. */
  workspaceFolder?: string;
  /** Runs whose params and metrics are still being read in the background after this change. */
  pending?: number;
}

export interface RunDetailsParams {
  ids: string[];
}
export interface RunDetailsResult {
  /** The runs fully read (params, metrics, details), in the order asked; unknown ids are left out. */
  runs: RunSummary[];
}

export interface RunHistoryParams {
  ids: string[];
  /** Metric keys to return (default: all with a history). */
  metrics?: string[];
}
export interface RunHistorySeries {
  runId: string;
  metric: string;
  /** [step, value] pairs in step order; non-finite values are null. */
  points: [number, number | null][];
  /** Wall-clock time (epoch ms) of each point, when the tool records it (MLflow, W&B `_timestamp`). */
  times?: number[];
}
export interface RunHistoryResult {
  series: RunHistorySeries[];
  warnings: string[];
}
// ------------------------------------------------------------------ the experiments table (a webview)

export interface RunsTableParams {
  /** Absolute path of one workspace folder (default: all). */
  folder?: string;
  /** Only these runs (the Runs view's selection); default: every run. */
  ids?: string[];
  /**
   * The runs of the tracking services the Runs view shows (fetched in the extension host: MLflow servers, W&B
   * projects), merged with the local runs as the view merges them, so the table has the same rows and columns.
   */
  remote?: RunsTableRemote[];
}
export interface RunsTableRemote {
  runs: WireRun[];
  /** `entity/project` of a W&B project: its runs are one row with the local wandb/ folder of the same run. */
  wandbProject?: string;
  /** Every run of the project was read, unfiltered. */
  complete?: boolean;
}
export interface RunsTableColumn {
  key: string;
  kind: 'param' | 'metric';
  /** A param whose value is not the same in every row (such params come first). */
  differs: boolean;
}
export interface RunsTableRow {
  id: string;
  name: string;
  experiment?: string;
  status: RunSummary['status'];
  startTime?: number;
  durationMs?: number;
  /** Values aligned with `columns` (null: the run has no such key; the array may end early). */
  values: ParamValue[];
  /** The run has a config file / a folder to open. */
  config?: true;
  folder?: true;
  /** Metrics with a history (chartable). */
  history?: string[];
  /** Params and metrics still being read (a RunsChangedNotification follows). */
  pending?: true;
  parentId?: string;
}
export interface RunsTableResult {
  columns: RunsTableColumn[];
  rows: RunsTableRow[];
  total: number;
  version: number;
  durationMs: number;
}

export interface RunsTrackingHint {
  kind: 'mlflow' | 'wandb';
  /** An http(s) MLflow tracking URI, or a W&B `entity/project` (`/project` when the code names no entity). */
  value: string;
  /** Workspace-relative file and 1-based line. */
  file: string;
  line: number;
  workspaceFolder: string;
}
