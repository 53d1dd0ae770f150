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
export type WireRun = Omit<RunSummary, 'status' | 'params' | 'metrics' | 'warnings' | 'source'> &
  Partial<Pick<RunSummary, 'status' | 'params' | 'metrics' | 'warnings' | 'source'>>;

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

// ------------------------------------------------------------------ versioning (tag, track, history, snapshot, structure)
// The plans and results of server/src/engine/versioning, which the client shows and confirms and the server carries out.

/** Semantic version tags with a prefix (`model-v1.2.3`): parsing, ordering and bumping. */

export type Bump = 'major' | 'minor' | 'patch';

/** One data version recorded in git: an out of a `.dvc` file or of a stage in dvc.lock. */
export interface DataVersion {
  /** Path of the data relative to the repository root (POSIX). */
  path: string;
  /** The file that records it: `data.dvc` or `dvc.lock`. */
  file: string;
  /** For dvc.lock outs: the stage name. */
  stage?: string;
  /** md5 hash (directories end with `.dir`). */
  hash: string;
  /** `md5` for DVC 3 entries; `md5-dos2unix` for DVC 2 entries (no `hash:` key). */
  hashName: 'md5' | 'md5-dos2unix';
  size?: number;
  nfiles?: number;
}

/**
 * Finding and running the `dvc` CLI. Processes are spawned with an argument array and `shell: false`, so a file named
 * `$(rm -rf ~).csv` is passed to dvc as that name and nothing else; targets always come after `--`.
 */
export interface DvcCommand {
  /** Executable. */
  file: string;
  /** Arguments before dvc's own (e.g. `-m dvc` for a Python interpreter). */
  prefixArgs: string[];
  /** How it was found, for messages: "PATH", "setting mlopsHygiene.dvcPath", "Python interpreter /x/python". */
  via: string;
  version: string;
}

export interface DvcRunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The argument array exactly as spawned (after the executable). */
  args: string[];
}

export interface TrackPlan {
  folder: string;
  target: string;
  isDirectory: boolean;
  /** Files that will be written or staged. */
  changes: string[];
}

export interface TrackResult {
  dvcFile: string;
  staged: string[];
  output: DvcRunResult;
}

export type DataVerb = 'push' | 'pull' | 'checkout' | 'status' | 'fetch';

/** A tracked item: the data path and the file that records its hash. */
export interface TrackedRef {
  /** Folder-relative POSIX path of the recording file (`data.dvc`, `dvc.lock`). */
  file: string;
  /** Folder-relative POSIX path of the data. Default: the only out of `file`. */
  path?: string;
}

export interface HistoryEntry {
  commit: string;
  date: string;
  author: string;
  subject: string;
  /** Tags whose tree records this same version of the item (e.g. `data-v2`, `model-v1.0.0`). */
  tags: string[];
  version: DataVersion;
  /** The version the workspace's recording file holds now. */
  current: boolean;
}

export interface DataHistory {
  file: string;
  path: string;
  /** Newest first: the commits where the item's hash changed (the first commit that recorded it included). */
  entries: HistoryEntry[];
  /** The hash in the workspace's recording file now (may be uncommitted). */
  workspaceHash?: string;
  /** Commits looked at (the log is capped). */
  scanned: number;
  truncated: boolean;
}

export interface RestorePlan {
  folder: string;
  file: string;
  path: string;
  commit: string;
  target: DataVersion;
  current?: DataVersion;
  /** What the workspace data is now. */
  workspace: 'absent' | 'matches-target' | 'saved-in-cache' | 'not-saved';
  /** Set when the restore must not run: why, naming the files. */
  refusal?: string;
  /** The target version's object is not in the local cache: dvc checkout will need a pull first. */
  targetMissingFromCache: boolean;
  changes: string[];
}

export interface ParamChange {
  file: string;
  key: string;
  before?: string;
  after?: string;
  kind: 'added' | 'removed' | 'changed';
}

export interface SnapshotPlan {
  folder: string;
  files: string[];
  paramChanges: ParamChange[];
  /** Files whose keys could not be compared (unparsable), named in the message as changed. */
  unparsed: string[];
  message: string;
  /** Other changes left out of the snapshot (code, data): shown so the user knows. */
  leftOut: string[];
}

/**
 * "Set up project structure": the missing pieces of the course's layout (mlops_template / cookiecutter-data-science),
 * as a plan first, applied on confirmation. Nothing existing is overwritten: files are created with the `wx` flag, and
 * only .gitignore and README.md are appended to (entries/sections they do not have yet).
 */
export type StructureAction =
  | { kind: 'mkdir'; path: string; reason: string }
  | { kind: 'create'; path: string; content: string; reason: string }
  | { kind: 'append'; path: string; content: string; reason: string; entries: string[] };

export interface StructurePlan {
  folder: string;
  actions: StructureAction[];
  /** Things deliberately not done, with why (e.g. data/ already tracked by git). */
  skipped: string[];
}

export interface StructureResult {
  done: string[];
  /** Actions skipped because the target appeared meanwhile (never overwritten). */
  skipped: string[];
}

/** What the tag message records about a run; structurally a subset of `RunSummary`. */
export interface RunRecord {
  id: string;
  source: string;
  name?: string;
  status?: string;
  gitCommit?: string;
  folder?: string;
  command?: string;
  params: Record<string, string | number | boolean | null>;
  metrics: Record<string, number | null>;
}

export interface TagPlan {
  folder: string;
  tag: string;
  previousTag?: string;
  /** The full commit id the tag will point at. */
  commit: string;
  /** Why this commit: 'run' (the run's recorded commit) or 'head'/'revision'. */
  commitFrom: 'run' | 'head' | 'revision';
  message: string;
  dataVersions: DataVersion[];
  /** Uncommitted tracked changes: they are not part of the tagged commit. */
  uncommitted: string[];
  warnings: string[];
  /** Recorded data versions the workspace does not match: modified (another hash now) or missing. */
  dataMismatch: { path: string; state: 'modified' | 'missing'; recorded: string; current?: string }[];
}

export type VersioningErrorCode =
  | 'not-a-repository'
  | 'no-commit'
  | 'tag-exists'
  | 'dirty-tree'
  | 'invalid-name'
  | 'nothing-to-commit'
  | 'not-tracked'
  | 'not-in-cache'
  | 'dvc-missing'
  | 'dvc-failed'
  | 'unknown-commit';

/** Where the client looks for the dvc CLI: the `mlopsHygiene.dvcPath` setting and the Python extension's interpreter. */
export interface DvcLocation {
  dvcPath?: string;
  pythonPath?: string;
}
export interface DvcLocateResult {
  /** The dvc CLI found (what later requests run), or absent: none of the places works. */
  dvc?: DvcCommand;
  /** When none was found: how to install it. */
  installHint?: string;
}
export interface TagPlanParams {
  folder: string;
  bump: Bump;
  prefix?: string;
  run?: RunRecord;
  commit?: string;
  note?: string;
  /** Compare the recorded data versions with the workspace (default true; false for the version names only). */
  checkData?: boolean;
}
export interface TagCreateParams {
  plan: TagPlan;
  allowDirty?: boolean;
}
export interface TagCreateResult {
  tag: string;
  commit: string;
}
export interface TagPushParams {
  folder: string;
  tag: string;
  remote: string;
}
export interface TrackPlanParams {
  folder: string;
  /** Folder-relative or absolute path of the file or folder to track. */
  target: string;
}
export interface TrackParams {
  plan: TrackPlan;
  dvc: DvcCommand;
}
export interface DataCommandParams {
  folder: string;
  verb: DataVerb;
  targets: string[];
  dvc: DvcCommand;
}
export interface DataHistoryParams {
  folder: string;
  ref: TrackedRef;
}
export interface RestorePlanParams {
  folder: string;
  ref: TrackedRef;
  commit: string;
}
export interface RestoreParams {
  plan: RestorePlan;
  dvc: DvcCommand;
}
export interface SnapshotPlanParams {
  folder: string;
  title?: string;
}
export interface SnapshotCommitParams {
  plan: SnapshotPlan;
}
export interface StructurePlanParams {
  folder: string;
}
export interface StructureApplyParams {
  plan: StructurePlan;
}
export interface DvcInitParams {
  folder: string;
  dvc: DvcCommand;
}
export interface DvcInitResult {
  /** False when the folder already had a `.dvc` folder (nothing was run). */
  initialized: boolean;
  output: string;
}
/** Server -> client: output of the dvc process a versioning request runs, as it comes (for the output channel). */
export interface VersioningOutputParams {
  text: string;
}
/** The `data` of a versioning request's error: a refusal or failure whose message says what happened and what to do. */
export interface VersioningErrorData {
  code: VersioningErrorCode | 'restricted';
}
