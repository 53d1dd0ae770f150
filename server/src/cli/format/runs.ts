import type { RunSummary } from '../../../../shared/protocol';

/** `2024-05-01 12:30` in local time. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** `1h 02m`, `3m 05s`, `12s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'nan';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/** A plain-text table: one line per run, with the chosen params and metrics as columns. */
export function formatRunsTable(runs: RunSummary[], params: string[], metrics: string[]): string {
  const header = ['SOURCE', 'EXPERIMENT', 'NAME', 'STATUS', 'STARTED', 'DURATION', 'COMMIT', ...params, ...metrics, 'WARNINGS'];
  const rows = runs.map((r) => [
    r.source,
    r.experiment ?? '',
    r.name,
    r.status,
    formatTime(r.startTime),
    formatDuration(r.durationMs),
    r.gitCommit ? r.gitCommit.slice(0, 7) : '',
    ...params.map((p) => cell(r.params[p])),
    ...metrics.map((m) => cell(r.metrics[m])),
    r.warnings.length ? String(r.warnings.length) : '',
  ]);
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((row) => row[i].length))));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (c.length > widths[i] ? c.slice(0, widths[i] - 1) + '…' : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
