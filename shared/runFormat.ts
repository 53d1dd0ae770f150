/**
 * How a run's facts are written for people: the Runs view (client/src/runs/model.ts) and the CLI table
 * (server/src/cli/format/runs.ts) both use these. No Node or LSP import: the client bundles this file.
 */
import type { ParamValue, RunSummary } from './types';

/** `2024-05-01 12:30` in local time; '' without a time. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** `1h 02m`, `3m 05s`, `12s`; '' when unknown or negative. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A param or metric value: numbers to 6 significant digits, integers as they are. `missing` is written for a key the
 * run does not have, `nonFinite` for null (NaN/Infinity in the run's files).
 */
export function formatValue(v: ParamValue | number | null | undefined, words: { missing?: string; nonFinite?: string } = {}): string {
  if (v === undefined) return words.missing ?? '—';
  if (v === null) return words.nonFinite ?? 'NaN/∞';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/** `finished · 2024-05-01 12:30 · 3m 05s · 0123abc` (a run whose details are still being read shows `reading…` for its status). */
export function runDescription(r: RunSummary): string {
  return [r.pending && r.status === 'unknown' ? 'reading…' : r.status, formatTime(r.startTime), formatDuration(r.durationMs), r.gitCommit?.slice(0, 7)]
    .filter(Boolean)
    .join(' · ');
}

/** Compares names without localeCompare (a collator lookup per call): 10,000 runs sort in milliseconds. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
