/**
 * The experiments table's data (`mlopsHygiene/runs/table`): one row per run, one column per param and metric, the
 * params whose values differ between the runs first. Rows carry their values as an array aligned with the columns, so
 * 10,000 runs travel without 10,000 copies of every key. No `vscode` import; the webview (media/runsTable.js) sorts,
 * filters and draws.
 */
import type { ParamValue, RunSummary, RunsTableColumn, RunsTableResult, RunsTableRow } from '../../../../shared/types';

/** At most this many param columns (a config of 5,000 keys is data, not something to compare in a table). */
export const MAX_TABLE_PARAMS = 300;

export function runsTable(runs: readonly RunSummary[]): Omit<RunsTableResult, 'durationMs' | 'version'> {
  // first value seen per param key, and whether another run differs (or lacks it)
  const first = new Map<string, ParamValue>();
  const count = new Map<string, number>();
  const differs = new Set<string>();
  const metricKeys = new Set<string>();
  for (const r of runs) {
    for (const k in r.params) {
      const v = r.params[k];
      if (!first.has(k)) first.set(k, v);
      else if (first.get(k) !== v) differs.add(k);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
    for (const k in r.metrics) metricKeys.add(k);
  }
  for (const [k, n] of count) if (n !== runs.length && runs.length > 1) differs.add(k);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const params = [...first.keys()].sort((a, b) => Number(differs.has(b)) - Number(differs.has(a)) || byName(a, b)).slice(0, MAX_TABLE_PARAMS);
  const columns: RunsTableColumn[] = [
    ...params.map((key) => ({ key, kind: 'param' as const, differs: differs.has(key) })),
    ...[...metricKeys].sort(byName).map((key) => ({ key, kind: 'metric' as const, differs: true })),
  ];
  const rows: RunsTableRow[] = runs.map((r) => {
    const values: (ParamValue | undefined)[] = columns.map((c) => (c.kind === 'param' ? r.params[c.key] : r.metrics[c.key]));
    // trailing missing values are left out; a missing value inside is null in JSON (undefined does not survive it)
    let end = values.length;
    while (end > 0 && values[end - 1] === undefined) end--;
    const row: RunsTableRow = { id: r.id, name: r.name, status: r.status, values: values.slice(0, end).map((v) => (v === undefined ? null : v)) };
    if (r.experiment) row.experiment = r.experiment;
    if (r.startTime !== undefined) row.startTime = r.startTime;
    if (r.durationMs !== undefined) row.durationMs = r.durationMs;
    if (r.configFile) row.config = true;
    if (r.folder) row.folder = true;
    if (r.historyMetrics?.length) row.history = r.historyMetrics;
    if (r.pending) row.pending = true;
    if (r.parentId) row.parentId = r.parentId;
    return row;
  });
  return { columns, rows, total: runs.length };
}
