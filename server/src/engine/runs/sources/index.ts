/**
 * Run sources: one interface (RunProvider: list with pages, details, metric history) for the local readers and the
 * tracking services teams use (an MLflow tracking server, a W&B project). Network code is in http.ts only.
 */
export * from './types';
export {
  RemoteError,
  redactUrl,
  requestJson,
  nodeFetch,
  type FetchLike,
  type FetchInit,
  type FetchResponse,
  type HttpOptions,
  type RemoteErrorKind,
} from './http';
export {
  mlflowServerConfig,
  wandbConfig,
  netrcPassword,
  isDatabricksHost,
  describeNonHttpUri,
  authHeader,
  type MlflowServerConfig,
  type MlflowAuth,
  type WandbConfig,
} from './config';
export { toMlflowFilter, toWandbFilters, parseFilterTerms, type FilterTerm } from './filter';
export { MlflowServerSource, MLFLOW_PAGE_MAX, MAX_EXPERIMENT_PAGES } from './mlflowServer';
export { WandbCloudSource, mergeWandbRuns, mergeRemoteRuns, WANDB_PAGE_MAX, type RemoteRunSet } from './wandbCloud';
export { LocalRunSource } from './local';
