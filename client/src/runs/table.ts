/**
 * The experiments table webview's page, as a string: a strict CSP (only the extension's own media/runsTable.js and
 * runsTable.css, no inline script or style, no network), theme colours, ARIA grid roles. No `vscode` import: tested by
 * mocha; tableView.ts opens the panel and relays the messages.
 */
import { esc } from './html';

export function tableHtml(opts: { cspSource: string; scriptUri: string; styleUri: string; title: string }): string {
  const { cspSource, scriptUri, styleUri } = opts;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${cspSource}; style-src ${cspSource}; img-src ${cspSource} data:; font-src ${cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(styleUri)}">
<title>${esc(opts.title)}</title>
</head><body>
<div class="toolbar" role="toolbar" aria-label="Experiments table">
  <input id="filter" type="search" placeholder="Filter: resnet lr=0.01 val_loss<0.3" aria-label="Filter runs (words match name, experiment, status; key=value, metric<x)">
  <button id="columns-btn" aria-expanded="false" aria-controls="columns">Columns…</button>
  <button id="chart-btn" class="primary" disabled title="Chart the selected runs' metric history">Chart selected</button>
  <span id="count" class="muted" aria-live="polite"></span>
</div>
<div id="columns" hidden role="group" aria-label="Columns to show"><div id="columns-list"></div><button id="columns-reset">Default columns (differing params first)</button></div>
<div id="table" role="grid" aria-label="Runs" aria-describedby="count">
  <div id="head" role="row"></div>
  <div id="body"><div id="spacer"></div><div id="rows" role="rowgroup"></div></div>
</div>
<div id="chart-panel" hidden>
  <div class="toolbar">
    <label>Metric <select id="metric" aria-label="Metric to chart"></select></label>
    <span role="radiogroup" aria-label="x axis">x axis:
      <label><input type="radio" name="xmode" id="xmode-step" value="step" checked> step</label>
      <label><input type="radio" name="xmode" id="xmode-time" value="time"> wall time</label>
    </span>
    <label>scale <select id="xscale" aria-label="x scale"><option value="auto">auto</option><option value="linear">linear</option><option value="log">log</option></select></label>
  </div>
  <div id="chart"></div>
  <div id="legend"></div>
  <div id="tip" hidden role="tooltip"></div>
</div>
<script src="${esc(scriptUri)}"></script>
</body></html>`;
}
