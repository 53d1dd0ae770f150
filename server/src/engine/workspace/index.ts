/**
 * The workspace model (see workspace.ts) and what it is made of: listing.ts (git's listing, the walker, the folders
 * never listed), ignore.ts (.gitignore matching) and reads.ts (reading files as text, the read limit).
 */
export { Workspace, type ReadTracker, type WorkspaceOptions } from './workspace';
export { ARTEFACT_DIRS, BULK_DIRS, COPY_DIR_PATTERNS, isTemplatePath, type FileEntry } from './listing';
export { formatBytes, MAX_TEXT_BYTES, readTextFile, type FileStat, type ReadResult } from './reads';
