/**
 * Every custom request and notification between the client and the language server, declared once with its types.
 * Both sides import this file (as rust-analyzer's lsp_ext.ts); nothing else names a custom method string. The types
 * themselves are in shared/types.ts (no LSP import: the engine uses them too) and are re-exported here.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type {
  DataCommandParams,
  DataHistory,
  DataHistoryParams,
  DvcInitParams,
  DvcInitResult,
  DvcLocateResult,
  DvcLocation,
  DvcRunResult,
  RestoreParams,
  RestorePlan,
  RestorePlanParams,
  SnapshotCommitParams,
  SnapshotPlan,
  SnapshotPlanParams,
  StructureApplyParams,
  StructurePlan,
  StructurePlanParams,
  StructureResult,
  TagCreateParams,
  TagCreateResult,
  TagPlan,
  TagPlanParams,
  TagPushParams,
  TrackParams,
  TrackPlan,
  TrackPlanParams,
  TrackResult,
  VersioningOutputParams,
  DvcStatusParams,
  DvcStatusResult,
  DvcTrackedParams,
  DvcTrackedResult,
  RecheckResult,
  RuleDocParams,
  RuleDocResult,
  RunDetailsParams,
  RunDetailsResult,
  RunHistoryParams,
  RunHistoryResult,
  RunsChangedParams,
  RunsListParams,
  RunsListResult,
  RunsTableParams,
  RunsTableResult,
  RunsTrackingHint,
  StatusParams,
  WorkspaceLayoutResult,
} from './types';

export type * from './types';

// ------------------------------------------------------------------ rules
/** The rendered doc of one rule, or null when no rule has that code or name. */
export const RuleDocRequest = new RequestType<RuleDocParams, RuleDocResult | null, void>('mlopsHygiene/ruleDoc');

// ------------------------------------------------------------------ checking
/** Re-lists the workspace and checks everything again. */
export const RecheckRequest = new RequestType0<RecheckResult, void>('mlopsHygiene/recheck');

// ------------------------------------------------------------------ the workspace's own paths (views' empty states)
/**
 * The real training script, config folder and DVC state of each workspace folder: the Runs and Data views name them
 * when they are empty (VS Code's `viewsWelcome` is static text, and a view's `message` hides its welcome).
 */
export const WorkspaceLayoutRequest = new RequestType0<WorkspaceLayoutResult, void>('mlopsHygiene/workspace/layout');
/** Server -> client after every check pass. */
export const StatusNotification = new NotificationType<StatusParams>('mlopsHygiene/status');

// ------------------------------------------------------------------ DVC data status (issue: DVC), used by the Data view
/** The native DVC status (hashing with a cache); may take time on large data, never blocks diagnostics. */
export const DvcStatusRequest = new RequestType<DvcStatusParams, DvcStatusResult, void>('mlopsHygiene/dvc/status');
/** Whether a folder uses DVC and what its `.dvc` files and dvc.yaml track, without hashing (the Data view's list while
 *  the status is not available, and its "this workspace does not use DVC yet" welcome). */
export const DvcTrackedRequest = new RequestType<DvcTrackedParams, DvcTrackedResult, void>('mlopsHygiene/dvc/tracked');

// ------------------------------------------------------------------ runs (issue: runs sidebar), used by versioning too
/** All runs of the workspace, read from disk (Hydra, W&B, MLflow file store and mlflow.db, Lightning, DVC experiments). */
export const RunsListRequest = new RequestType<RunsListParams, RunsListResult, void>('mlopsHygiene/runs/list');
/** Server -> client when runs appeared, changed or vanished (after file events in run folders, debounced). Only sent
 *  once the client has asked for the list. */
export const RunsChangedNotification = new NotificationType<RunsChangedParams>('mlopsHygiene/runs/changed');
/** Reads the params and metrics of a few `pending` runs now (a run expanded, compared or charted before the background
 *  reading reached it). */
export const RunDetailsRequest = new RequestType<RunDetailsParams, RunDetailsResult, void>('mlopsHygiene/runs/details');

// ------------------------------------------------------------------ the experiments table (a webview)
/** The experiments table: rows and columns computed by the engine (server/src/engine/runs/table.ts). */
export const RunsTableRequest = new RequestType<RunsTableParams, RunsTableResult, void>('mlopsHygiene/runs/table');
/** Metric histories of runs, for the chart (MLflow metric files or table, Lightning metrics.csv, W&B wandb-history.jsonl). */
export const RunHistoryRequest = new RequestType<RunHistoryParams, RunHistoryResult, void>('mlopsHygiene/runs/history');
/** Where the project's code logs runs (`mlflow.set_tracking_uri("http...")`, `wandb.init(project=...)`): suggestions the
 *  Runs view offers; nothing is contacted until the user accepts one. */
export const RunsTrackingHintsRequest = new RequestType<Record<string, never>, { hints: RunsTrackingHint[] }, void>('mlopsHygiene/runs/trackingHints');

// ------------------------------------------------------------------ versioning (the Data view's and the palette's commands)
// The client asks, shows and confirms; the server plans and carries out (git through simple-git, dvc with an argument
// array). Every one is refused in a restricted workspace (error data `{ code: 'restricted' }`); a refusal or failure
// the user can act on has `VersioningErrorData` and a message that says what to do. A plan is read-only; the request
// that takes a plan back is the one that writes.

/** Finds the dvc CLI (the setting, the selected interpreter's `-m dvc`, `dvc` on PATH). */
export const DvcLocateRequest = new RequestType<DvcLocation, DvcLocateResult, void>('mlopsHygiene/versioning/locateDvc');
/** The next model version tag for a bump: name, commit, message, data versions and warnings (nothing written). */
export const TagPlanRequest = new RequestType<TagPlanParams, TagPlan, void>('mlopsHygiene/versioning/planTag');
/** Creates the annotated tag of a plan (refused when it exists now, or the tree is dirty without `allowDirty`). */
export const TagCreateRequest = new RequestType<TagCreateParams, TagCreateResult, void>('mlopsHygiene/versioning/createTag');
/** Pushes one tag to a remote. */
export const TagPushRequest = new RequestType<TagPushParams, { output: string }, void>('mlopsHygiene/versioning/pushTag');
/** What Track Data with DVC will change for a target (nothing written). */
export const TrackPlanRequest = new RequestType<TrackPlanParams, TrackPlan, void>('mlopsHygiene/versioning/planTrack');
/** `dvc add` of a plan's target and `git add` of what it wrote. */
export const TrackRequest = new RequestType<TrackParams, TrackResult, void>('mlopsHygiene/versioning/track');
/** `dvc push|pull|checkout|status|fetch -- targets`; cancelling the request kills the process. */
export const DataCommandRequest = new RequestType<DataCommandParams, DvcRunResult, void>('mlopsHygiene/versioning/dataCommand');
/** The versions of one tracked item in git history, newest first. */
export const DataHistoryRequest = new RequestType<DataHistoryParams, DataHistory, void>('mlopsHygiene/versioning/dataHistory');
/** What restoring an item to a commit's version would change, or why it must not run (nothing written). */
export const RestorePlanRequest = new RequestType<RestorePlanParams, RestorePlan, void>('mlopsHygiene/versioning/planRestore');
/** Restores a plan's version: the recording file from the commit, then `dvc checkout`. */
export const RestoreRequest = new RequestType<RestoreParams, DvcRunResult, void>('mlopsHygiene/versioning/restore');
/** The files and message of an experiment snapshot commit (nothing written). */
export const SnapshotPlanRequest = new RequestType<SnapshotPlanParams, SnapshotPlan, void>('mlopsHygiene/versioning/planSnapshot');
/** Commits a snapshot plan's files; the result is the commit id. */
export const SnapshotCommitRequest = new RequestType<SnapshotCommitParams, { commit: string }, void>('mlopsHygiene/versioning/commitSnapshot');
/** The folders and files Set Up Project Structure would add (nothing existing is overwritten; nothing written). */
export const StructurePlanRequest = new RequestType<StructurePlanParams, StructurePlan, void>('mlopsHygiene/versioning/planStructure');
/** Applies the chosen actions of a structure plan. */
export const StructureApplyRequest = new RequestType<StructureApplyParams, StructureResult, void>('mlopsHygiene/versioning/applyStructure');
/** `dvc init` (with `--subdir` when the folder is not a git root), unless the folder has a `.dvc` folder already. */
export const DvcInitRequest = new RequestType<DvcInitParams, DvcInitResult, void>('mlopsHygiene/versioning/initDvc');
/** Server -> client while a versioning request runs dvc: its output as it comes. */
export const VersioningOutputNotification = new NotificationType<VersioningOutputParams>('mlopsHygiene/versioning/output');
