/**
 * Every custom request and notification between the client and the language server, declared once with its types.
 * Both sides import this file (as rust-analyzer's lsp_ext.ts); nothing else names a custom method string.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** VS Code's workspace trust. Untrusted: the server spawns no process (no git, no dvc) and only reads files. */
  trusted: boolean;
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
/** The rendered doc of one rule, or null when no rule has that code or name. */
export const RuleDocRequest = new RequestType<RuleDocParams, RuleDocResult | null, void>('mlopsHygiene/ruleDoc');

// ------------------------------------------------------------------ checking

export interface RecheckResult {
  files: number;
  findings: number;
  durationMs: number;
}
/** Re-lists the workspace and checks everything again. */
export const RecheckRequest = new RequestType0<RecheckResult, void>('mlopsHygiene/recheck');

export interface StatusParams {
  state: 'starting' | 'checking' | 'idle';
  /** Findings by severity, all workspace folders together. */
  counts: { error: number; warning: number; info: number; hint: number };
  /** Things the user should know: listing notes, untrusted mode, unreadable files. */
  notes: string[];
}
/** Server -> client after every check pass. */
export const StatusNotification = new NotificationType<StatusParams>('mlopsHygiene/status');
