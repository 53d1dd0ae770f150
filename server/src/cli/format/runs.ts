import type { ParamValue, RunSummary } from '../../../../shared/types';
import { formatDuration, formatTime, formatValue } from '../../../../shared/runFormat';

/** A table cell: '' for a missing key, `nan` for NaN/Infinity (what Python prints). */
function cell(v: ParamValue | number | null | undefined): string {
  return formatValue(v, { missing: '', nonFinite: 'nan' });
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
