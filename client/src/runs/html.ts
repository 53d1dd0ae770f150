/**
 * Webview contents for the Runs view, as strings: the side-by-side comparison and the metric chart (SVG drawn here, no
 * script, no CDN). No `vscode` import: tested by mocha.
 */
import type { RunHistorySeries, RunSummary } from '../../../shared/protocol';
import { formatDuration, formatTime, formatValue, SOURCE_LABELS } from './model';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface CompareRow {
  key: string;
  values: string[];
  differs: boolean;
}

/** Rows of params (or metrics) across runs; `differs` when not all runs have the same value. */
export function compareRows(runs: RunSummary[], what: 'params' | 'metrics'): CompareRow[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r[what])) keys.add(k);
  return [...keys].sort().map((key) => {
    const values = runs.map((r) => formatValue((r[what] as Record<string, string | number | boolean | null>)[key]));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}

function page(title: string, cspSource: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; img-src ${cspSource} data:;">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(title)}</title>
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
table { border-collapse: collapse; margin-bottom: 16px; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 3px 8px; text-align: left; vertical-align: top; font-family: var(--vscode-editor-font-family); }
th { background: var(--vscode-editor-inactiveSelectionBackground, #8882); }
tr.differs td { background: var(--vscode-diffEditor-insertedTextBackground, #9c03); }
tr.differs td.key::before { content: '≠ '; font-weight: bold; }
.muted { opacity: .7; }
.legend span { display: inline-block; margin-right: 12px; }
.swatch { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 4px; }
svg text { fill: var(--vscode-foreground); font-size: 11px; }
svg .grid { stroke: var(--vscode-panel-border, #8884); stroke-width: 1; }
.chart { margin-bottom: 20px; }
</style></head><body>${body}</body></html>`;
}

export function compareHtml(runs: RunSummary[], cspSource: string): string {
  const head = `<tr><th></th>${runs.map((r) => `<th>${esc(r.name)}<br><span class="muted">${esc(SOURCE_LABELS[r.source])}${r.experiment ? ' · ' + esc(r.experiment) : ''}</span></th>`).join('')}</tr>`;
  const info = (label: string, f: (r: RunSummary) => string) => {
    const values = runs.map(f);
    const differs = values.some((v) => v !== values[0]);
    return `<tr class="${differs ? 'differs' : ''}"><td class="key">${esc(label)}</td>${values.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`;
  };
  const table = (title: string, rows: CompareRow[]) =>
    `<h3>${esc(title)} <span class="muted">(${rows.filter((r) => r.differs).length} of ${rows.length} differ)</span></h3><table>${head}${rows
      .map(
        (row) => `<tr class="${row.differs ? 'differs' : ''}"><td class="key">${esc(row.key)}</td>${row.values.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`,
      )
      .join('')}</table>`;
  const body =
    `<h2>Compare ${runs.length} runs</h2><p class="muted">Rows marked ≠ differ between the runs.</p>` +
    `<table>${head}${info('status', (r) => r.status)}${info('started', (r) => formatTime(r.startTime))}${info('duration', (r) => formatDuration(r.durationMs))}${info('git commit', (r) => r.gitCommit ?? '—')}${info('command', (r) => r.command ?? '—')}</table>` +
    table('Parameters', compareRows(runs, 'params')) +
    table('Metrics', compareRows(runs, 'metrics'));
  return page('Compare runs', cspSource, body);
}

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Series longer than this are thinned (every n-th point, always keeping the last). */
export const MAX_POINTS = 1500;

/** 1, 2, 5 x 10^k steps covering [min, max] with about `count` ticks. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function thin(points: [number, number | null][]): [number, number | null][] {
  if (points.length <= MAX_POINTS) return points;
  const n = Math.ceil(points.length / MAX_POINTS);
  const out = points.filter((_, i) => i % n === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

/** One line chart (SVG) of a metric: one polyline per run; a null value breaks the line. */
export function lineChartSvg(metric: string, series: { label: string; points: [number, number | null][] }[], width = 720, height = 300): string {
  const pad = { l: 64, r: 16, t: 24, b: 32 };
  const data = series.map((s) => ({ label: s.label, points: thin(s.points) }));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of data)
    for (const [x, y] of s.points) {
      xs.push(x);
      if (y !== null) ys.push(y);
    }
  if (!ys.length)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40" role="img" aria-label="${esc(metric)}"><text x="0" y="20">${esc(metric)}: no finite values</text></svg>`;
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const W = width - pad.l - pad.r;
  const H = height - pad.t - pad.b;
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * W;
  const sy = (y: number) => pad.t + H - ((y - y0) / (y1 - y0)) * H;
  const parts: string[] = [];
  parts.push(`<text x="${pad.l}" y="14" font-weight="bold">${esc(metric)}</text>`);
  for (const t of niceTicks(y0, y1))
    parts.push(
      `<line class="grid" x1="${pad.l}" x2="${pad.l + W}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}"/><text x="${pad.l - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${esc(formatValue(t))}</text>`,
    );
  for (const t of niceTicks(x0, x1, 8)) parts.push(`<text x="${sx(t).toFixed(1)}" y="${pad.t + H + 16}" text-anchor="middle">${esc(formatValue(t))}</text>`);
  parts.push(`<text x="${pad.l + W}" y="${height - 2}" text-anchor="end">step</text>`);
  data.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    let seg: string[] = [];
    const flush = () => {
      if (seg.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${seg.join(' ')}"/>`);
      else if (seg.length === 1) {
        const [cx, cy] = seg[0].split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${color}"/>`);
      }
      seg = [];
    };
    for (const [x, y] of s.points) {
      if (y === null) flush();
      else seg.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    }
    flush();
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(metric)}">${parts.join('')}</svg>`;
}

/** All charts of a history result: one chart per metric, the runs overlaid. */
export function chartHtml(runs: RunSummary[], series: RunHistorySeries[], warnings: string[], cspSource: string): string {
  const names = new Map(runs.map((r) => [r.id, r.name]));
  const order = runs.map((r) => r.id);
  const metrics = [...new Set(series.map((s) => s.metric))].sort();
  const legend = `<div class="legend">${order.map((id, i) => `<span><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${esc(names.get(id) ?? id)}</span>`).join('')}</div>`;
  const charts = metrics.map((m) => {
    const perRun = order.map((id) => ({ label: names.get(id) ?? id, points: series.find((s) => s.metric === m && s.runId === id)?.points ?? [] }));
    return `<div class="chart">${lineChartSvg(m, perRun)}</div>`;
  });
  const warn = warnings.length ? `<ul class="muted">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
  const body = `<h2>Metric history</h2>${legend}${warn}${charts.join('') || '<p>No metric history to draw.</p>'}`;
  return page('Metric history', cspSource, body);
}
