/**
 * Every custom request and notification between the client and the language server, declared once with its types.
 * Both sides import this file (as rust-analyzer's lsp_ext.ts); nothing else names a custom method string. The types
 * themselves are in shared/types.ts (no LSP import: the engine uses them too) and are re-exported here.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { DvcStatusParams, DvcStatusResult, DvcTrackedParams, DvcTrackedResult, RecheckResult, RuleDocParams, RuleDocResult, RunDetailsParams, RunDetailsResult, RunHistoryParams, RunHistoryResult, RunsChangedParams, RunsListParams, RunsListResult, RunsTableParams, RunsTableResult, RunsTrackingHint, StatusParams, WorkspaceLayoutResult } from './types';

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
