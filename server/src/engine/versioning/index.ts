/**
 * Versioning of models, data and experiments: pure functions taking a folder, no VS Code. The language server runs
 * them for the palette commands and the Data view (server/src/lsp/versioning.ts); every process is spawned with an argument array (simple-git, execFile/spawn).
 */
export * from './semver';
export * from './dataVersions';
export { VersioningError, type VersioningErrorCode, workingTreeState, tagsByCommit } from './git';
export * from './tag';
export * from './dvcCli';
export { findDvcRoot, initDvc, normaliseTarget, planTrack, trackData, runDataCommand, type TrackPlan, type TrackResult, type DataVerb } from './dataOps';
export * from './cache';
export * from './history';
export * from './restore';
export * from './snapshot';
export * from './structure';
export * from './tracked';
