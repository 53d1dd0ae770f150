/**
 * The engine's own vocabulary. Nothing here knows about LSP: positions are 0-based like LSP's so the
 * language server maps them one to one, but the CLI and tests use them directly.
 */

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit offset in the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
/** Lower is more severe; used for thresholds. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Edits to one file, addressed by its workspace-relative POSIX path. */
export interface FileEdit {
  file: string;
  /** The file does not exist yet and is created (empty) before the edits apply. */
  create?: boolean;
  edits: TextEdit[];
}

/** A safe, self-contained quick fix. */
export interface Fix {
  title: string;
  changes: FileEdit[];
  /** The one fix an editor may apply with "auto fix". */
  preferred?: boolean;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** Workspace-relative POSIX path of the file the finding is attached to. */
  file: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function rangeOfLine(line: number, length = 0): Range {
  return { start: { line, character: 0 }, end: { line, character: length } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || comparePositions(a.range.start, b.range.start) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
