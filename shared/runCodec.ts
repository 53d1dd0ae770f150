/**
 * The wire form of runs (RunsListResult, RunsChangedParams): what a list leaves out and how the receiver restores it.
 * Kept apart from shared/protocol.ts, which only declares the messages. No LSP import.
 */
import * as path from 'node:path';
import type { RunSource, RunSummary, WireRun } from './types';

/** Absolute paths of a run that are sent relative to its workspace folder when they lie inside it. */
const RUN_PATHS = new Set<keyof RunSummary>(['folder', 'configFile', 'logFile']);

/** The wire form of a run (server side). `workspaceFolder`: the message's, left out of runs that have it. */
export function runToWire(r: RunSummary, workspaceFolder?: string): WireRun {
  const w: Record<string, unknown> = {};
  const wf = r.workspaceFolder ?? workspaceFolder;
  const inside = wf && (wf.endsWith(path.sep) ? wf : wf + path.sep);
  for (const k in r) {
    const v = r[k as keyof RunSummary];
    if (v === undefined) continue;
    if (
      k === 'status'
        ? v === 'unknown'
        : k === 'params' || k === 'metrics'
          ? isEmptyRecord(v as object)
          : k === 'warnings'
            ? (v as string[]).length === 0
            : k === 'workspaceFolder'
              ? v === workspaceFolder
              : k === 'source' && r.id.startsWith(`${v as string}:`)
    )
      continue;
    w[k] = inside && RUN_PATHS.has(k as keyof RunSummary) && (v as string).startsWith(inside) ? (v as string).slice(inside.length) : v;
  }
  return w as WireRun;
}

/** The RunSummary of a wire run (client side): what was left out filled in, on the object itself (no copy of 10,000 runs). */
export function runFromWire(w: WireRun, workspaceFolder?: string): RunSummary {
  const r = w as RunSummary;
  r.source ??= r.id.slice(0, r.id.indexOf(':')) as RunSource;
  r.status ??= 'unknown';
  r.params ??= {};
  r.metrics ??= {};
  r.warnings ??= [];
  if (r.workspaceFolder === undefined && workspaceFolder !== undefined) r.workspaceFolder = workspaceFolder;
  const wf = r.workspaceFolder;
  if (wf !== undefined) {
    // the exact inverse of runToWire's cut (path.join would normalise 10,000 paths)
    const inside = wf.endsWith(path.sep) ? wf : wf + path.sep;
    const paths = r as unknown as Record<string, string | undefined>;
    for (const k of RUN_PATHS) {
      const v = paths[k];
      if (v !== undefined && !path.isAbsolute(v)) paths[k] = inside + v;
    }
  }
  return r;
}

function isEmptyRecord(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
