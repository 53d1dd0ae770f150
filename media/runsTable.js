// The experiments table webview (client/src/runs/tableView.ts opens it). Plain script, no library, no network: loaded
// from the extension's media folder under a CSP that allows only this file and runsTable.css. Data comes from the
// extension (which asks the server with RunsTableRequest / RunHistoryRequest); the table is virtualised: only the rows
// in view exist in the DOM. The pure functions at the top are exported for mocha (test/unit/runs.table.test.ts).
(function () {
  'use strict';

  // ------------------------------------------------------------------ pure logic

  /** `lr=0.01 val_loss<0.3 resnet`: terms separated by spaces, all must hold; bare words match name, experiment, status. */
  function parseFilter(text) {
    const terms = [];
    for (const tok of String(text || '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)) {
      const m = /^([^<>=!]+?)(>=|<=|!=|==|=|>|<)(.*)$/.exec(tok);
      if (m && m[3] !== '') terms.push({ key: m[1], op: m[2] === '==' ? '=' : m[2], value: m[3] });
      else terms.push({ value: tok.toLowerCase() });
    }
    return terms;
  }

  /** Index of a column by key, else of the only column whose key ends with `.key` or `/key`. */
  function columnIndex(columns, key) {
    const exact = columns.findIndex((c) => c.key === key);
    if (exact >= 0) return exact;
    const hits = [];
    columns.forEach((c, i) => {
      if (c.key.endsWith('.' + key) || c.key.endsWith('/' + key)) hits.push(i);
    });
    return hits.length === 1 ? hits[0] : -1;
  }

  function asNumber(v) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return undefined;
  }

  function matches(row, columns, terms) {
    return terms.every((t) => {
      if (!t.key) return [row.name, row.experiment, row.status, row.id].filter(Boolean).join(' ').toLowerCase().includes(t.value);
      const i = columnIndex(columns, t.key);
      if (i < 0) return t.op === '!=';
      const v = row.values[i];
      if (v === undefined || v === null) return t.op === '!=';
      const n = asNumber(v);
      const target = Number(t.value);
      if (t.op === '=' || t.op === '!=') {
        const eq = n !== undefined && Number.isFinite(target) ? n === target : String(v) === t.value;
        return t.op === '=' ? eq : !eq;
      }
      if (n === undefined || !Number.isFinite(target)) return false;
      return t.op === '>' ? n > target : t.op === '>=' ? n >= target : t.op === '<' ? n < target : n <= target;
    });
  }

  /** Sort key of a row for a column: `name`, `experiment`, `status`, `start`, or a column index. */
  function cellOf(row, col) {
    if (col === 'name') return row.name;
    if (col === 'experiment') return row.experiment;
    if (col === 'status') return row.status;
    if (col === 'start') return row.startTime;
    return row.values[col];
  }

  /** Rows sorted by a column: numbers numerically, else text; missing values last whatever the direction. */
  function sortRows(rows, col, dir) {
    const sign = dir === 'asc' ? 1 : -1;
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    const keyed = rows.map((r) => {
      const v = cellOf(r, col);
      return { r, v, n: asNumber(v) };
    });
    keyed.sort((a, b) => {
      const am = a.v === undefined || a.v === null;
      const bm = b.v === undefined || b.v === null;
      if (am || bm) return am === bm ? 0 : am ? 1 : -1;
      if (a.n !== undefined && b.n !== undefined) return sign * (a.n - b.n);
      return sign * collator.compare(String(a.v), String(b.v));
    });
    return keyed.map((k) => k.r);
  }

  /** The columns shown by default: the params that differ, then the metrics (at most `max`). */
  function defaultColumns(columns, max) {
    const differing = columns.filter((c) => c.kind === 'param' && c.differs).map((c) => c.key);
    const metrics = columns.filter((c) => c.kind === 'metric').map((c) => c.key);
    return [...differing.slice(0, Math.ceil(max / 2)), ...metrics].slice(0, max);
  }

  /** First and last row index to render for a scroll position (with `overscan` rows above and below). */
  function visibleRange(scrollTop, viewHeight, rowHeight, count, overscan) {
    const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
    const last = Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
    return { first, last };
  }

  /** Nice ticks over [lo, hi]; with `integer`, only whole numbers (steps are counts). */
  function ticks(lo, hi, count, integer) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
    if (hi === lo) return [lo];
    const raw = (hi - lo) / Math.max(1, count);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
    if (integer) step = Math.max(1, Math.round(step));
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(integer ? Math.round(v) : Number(v.toPrecision(12)));
    return out;
  }

  /**
   * How to lay the runs' x ranges out: linear, or log(1 + x) when the longest run is more than 20 times the shortest
   * (a 10-step run next to a 5,000-step one would otherwise be a vertical stroke at the left edge).
   */
  function xScaleFor(ranges) {
    const spans = ranges.map((r) => r[1]).filter((x) => x > 0);
    if (spans.length < 2) return 'linear';
    const ratio = Math.max(...spans) / Math.min(...spans);
    return ratio > 20 ? 'log' : 'linear';
  }

  /** x of a point: step, or seconds since the run's first point (wall time). */
  function xValues(series, mode) {
    if (mode === 'time' && series.times && series.times.length === series.points.length) {
      const t0 = series.times[0];
      return series.times.map((t) => (t - t0) / 1000);
    }
    return series.points.map((p) => p[0]);
  }

  const api = { parseFilter, matches, sortRows, defaultColumns, visibleRange, ticks, xScaleFor, xValues, columnIndex };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
    return;
  }

  // ------------------------------------------------------------------ the page

  const vscode = acquireVsCodeApi();
  const ROW_HEIGHT = 24;
  const OVERSCAN = 10;
  const MAX_DEFAULT_COLUMNS = 12;
  const t0 = performance.now();
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  const state = {
    table: { columns: [], rows: [], total: 0 },
    shown: [],
    chosen: undefined, // column keys
    sort: { col: 'start', dir: 'desc' },
    filter: '',
    selected: new Set(),
    focus: 0,
    xMode: 'step',
    xScale: 'auto',
    metric: undefined,
    history: undefined,
    painted: false,
  };

  function fmt(v) {
    if (v === undefined || v === null) return '';
    if (typeof v === 'number')
      return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(3);
    return String(v);
  }
  function fmtTime(ms) {
    if (ms === undefined) return '';
    const d = new Date(ms);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  function shownColumns() {
    const keys = state.chosen || defaultColumns(state.table.columns, MAX_DEFAULT_COLUMNS);
    const idx = new Map(state.table.columns.map((c, i) => [c.key, i]));
    return keys.filter((k) => idx.has(k)).map((k) => ({ ...state.table.columns[idx.get(k)], index: idx.get(k) }));
  }

  function recompute() {
    const terms = parseFilter(state.filter);
    const kept = terms.length ? state.table.rows.filter((r) => matches(r, state.table.columns, terms)) : state.table.rows;
    const col =
      typeof state.sort.col === 'string' && !['name', 'experiment', 'status', 'start'].includes(state.sort.col)
        ? state.table.columns.findIndex((c) => c.key === state.sort.col)
        : state.sort.col;
    state.shown = col === -1 ? kept : sortRows(kept, col, state.sort.dir);
    state.focus = Math.min(state.focus, Math.max(0, state.shown.length - 1));
    $('count').textContent = `${state.shown.length} of ${state.table.total} runs${state.selected.size ? ` · ${state.selected.size} selected` : ''}`;
    renderHeader();
    $('spacer').style.height = `${state.shown.length * ROW_HEIGHT}px`;
    renderRows();
  }

  function gridTemplate(cols) {
    return `32px minmax(140px, 2fr) minmax(90px, 1fr) 84px 128px ${cols.map(() => 'minmax(80px, 1fr)').join(' ')} 116px`;
  }

  function renderHeader() {
    const cols = shownColumns();
    const head = $('head');
    head.textContent = '';
    head.style.gridTemplateColumns = gridTemplate(cols);
    const cell = (label, key, title) => {
      const b = el('button', { class: 'th', 'data-sort': key, title: title || `Sort by ${label}` }, label);
      const on = state.sort.col === key;
      b.setAttribute('aria-sort', on ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      if (on) b.textContent = `${label} ${state.sort.dir === 'asc' ? '▲' : '▼'}`;
      head.appendChild(b);
    };
    head.appendChild(el('span', { class: 'th', role: 'columnheader' }, ''));
    cell('Run', 'name');
    cell('Experiment', 'experiment');
    cell('Status', 'status');
    cell('Started', 'start');
    for (const c of cols)
      cell(c.key, c.key, `${c.kind === 'param' ? 'Parameter' : 'Metric'} ${c.key}${c.differs && c.kind === 'param' ? ' (differs between runs)' : ''}: sort`);
    head.appendChild(el('span', { class: 'th', role: 'columnheader' }, 'Open'));
    $('table').style.setProperty('--cols', gridTemplate(cols));
  }

  function renderRows() {
    const body = $('body');
    const rowsEl = $('rows');
    const { first, last } = visibleRange(body.scrollTop, body.clientHeight || 600, ROW_HEIGHT, state.shown.length, OVERSCAN);
    const cols = shownColumns();
    // the rows are made again on every scroll and selection: the keyboard focus (on a row) is put back on the new row,
    // else an arrow key after End, Page Down or Space went nowhere
    const hadFocus = rowsEl.contains(document.activeElement);
    rowsEl.textContent = '';
    rowsEl.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = state.shown[i];
      const row = el('div', {
        class: 'tr',
        role: 'row',
        'data-i': String(i),
        'aria-rowindex': String(i + 2),
        'aria-selected': String(state.selected.has(r.id)),
        tabindex: i === state.focus ? '0' : '-1',
      });
      row.style.gridTemplateColumns = gridTemplate(cols);
      if (state.selected.has(r.id)) row.classList.add('selected');
      const box = el('input', { type: 'checkbox', tabindex: '-1', 'aria-label': `Select ${r.name}` });
      box.checked = state.selected.has(r.id);
      const c0 = el('span', { class: 'td', role: 'gridcell' });
      c0.appendChild(box);
      row.appendChild(c0);
      row.appendChild(el('span', { class: 'td name', role: 'gridcell', title: r.id }, (r.parentId ? '↳ ' : '') + r.name));
      row.appendChild(el('span', { class: 'td', role: 'gridcell' }, r.experiment || ''));
      row.appendChild(el('span', { class: `td status ${r.status}`, role: 'gridcell' }, r.pending ? 'reading…' : r.status));
      row.appendChild(el('span', { class: 'td', role: 'gridcell' }, fmtTime(r.startTime)));
      for (const c of cols) row.appendChild(el('span', { class: `td ${c.kind}`, role: 'gridcell' }, fmt(r.values[c.index])));
      const open = el('span', { class: 'td actions', role: 'gridcell' });
      open.appendChild(
        el('button', { 'data-open': 'config', tabindex: '-1', title: "Open the run's config", ...(r.config || r.pending ? {} : { disabled: '' }) }, 'Config'),
      );
      open.appendChild(
        el('button', { 'data-open': 'folder', tabindex: '-1', title: "Reveal the run's folder", ...(r.folder || r.pending ? {} : { disabled: '' }) }, 'Folder'),
      );
      row.appendChild(open);
      frag.appendChild(row);
    }
    rowsEl.appendChild(frag);
    if (hadFocus) {
      // the focused row, or (scrolled out of the rendered range by the wheel) the row group, which still takes the keys
      const row = rowsEl.querySelector(`.tr[data-i="${state.focus}"]`);
      if (row) row.focus({ preventScroll: true });
      else {
        rowsEl.setAttribute('tabindex', '-1');
        rowsEl.focus({ preventScroll: true });
      }
    }
    if (!state.painted && state.table.rows.length) {
      state.painted = true;
      requestAnimationFrame(() => vscode.postMessage({ type: 'painted', ms: Math.round(performance.now() - t0), rows: state.table.rows.length }));
    }
  }

  function focusRow(i) {
    if (!state.shown.length) return;
    state.focus = Math.max(0, Math.min(state.shown.length - 1, i));
    const body = $('body');
    const top = state.focus * ROW_HEIGHT;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (top + ROW_HEIGHT > body.scrollTop + body.clientHeight) body.scrollTop = top + ROW_HEIGHT - body.clientHeight;
    renderRows();
    const row = document.querySelector(`.tr[data-i="${state.focus}"]`);
    if (row) row.focus();
  }

  function toggle(i) {
    const r = state.shown[i];
    if (!r) return;
    if (state.selected.has(r.id)) state.selected.delete(r.id);
    else state.selected.add(r.id);
    $('count').textContent = `${state.shown.length} of ${state.table.total} runs${state.selected.size ? ` · ${state.selected.size} selected` : ''}`;
    $('chart-btn').disabled = state.selected.size === 0;
    renderRows();
  }

  // ------------------------------------------------------------------ columns

  function openColumns() {
    const panel = $('columns');
    panel.hidden = !panel.hidden;
    $('columns-btn').setAttribute('aria-expanded', String(!panel.hidden));
    if (panel.hidden) return;
    const list = $('columns-list');
    list.textContent = '';
    const chosen = new Set(shownColumns().map((c) => c.key));
    for (const c of state.table.columns) {
      const id = `col-${c.kind}-${c.key}`;
      const label = el('label', { for: id });
      const box = el('input', { type: 'checkbox', id, 'data-key': c.key });
      box.checked = chosen.has(c.key);
      label.appendChild(box);
      label.appendChild(document.createTextNode(` ${c.key} `));
      label.appendChild(el('span', { class: 'muted' }, c.kind === 'param' ? (c.differs ? 'param, differs' : 'param') : 'metric'));
      list.appendChild(label);
    }
    const firstBox = list.querySelector('input');
    if (firstBox) firstBox.focus();
  }

  function columnsChanged() {
    const keys = [...document.querySelectorAll('#columns-list input')].filter((b) => b.checked).map((b) => b.getAttribute('data-key'));
    state.chosen = keys;
    vscode.postMessage({ type: 'columns', keys });
    recompute();
  }

  // ------------------------------------------------------------------ chart

  const PALETTE = [
    '--vscode-charts-blue',
    '--vscode-charts-orange',
    '--vscode-charts-green',
    '--vscode-charts-red',
    '--vscode-charts-purple',
    '--vscode-charts-yellow',
    '--vscode-charts-foreground',
  ];

  function drawChart() {
    const h = state.history;
    const box = $('chart');
    box.textContent = '';
    if (!h) return;
    const metrics = [...new Set(h.series.map((s) => s.metric))].sort();
    const select = $('metric');
    select.textContent = '';
    for (const m of metrics) select.appendChild(el('option', { value: m }, m));
    if (!state.metric || !metrics.includes(state.metric)) state.metric = metrics[0];
    select.value = state.metric || '';
    const series = h.series.filter((s) => s.metric === state.metric);
    if (!series.length) {
      box.appendChild(el('p', { class: 'muted' }, h.warnings.length ? h.warnings.join('; ') : 'No metric history for the selected runs.'));
      return;
    }
    const hasTimes = series.every((s) => s.times && s.times.length === s.points.length);
    $('xmode-time').disabled = !hasTimes;
    const mode = state.xMode === 'time' && hasTimes ? 'time' : 'step';
    const xs = series.map((s) => xValues(s, mode));
    const ranges = xs.map((x) => [Math.min(...x), Math.max(...x)]);
    const scale = state.xScale === 'auto' ? xScaleFor(ranges) : state.xScale;
    const tx = (x) => (scale === 'log' ? Math.log10(1 + Math.max(0, x)) : x);
    const lo = Math.min(...ranges.map((r) => r[0]));
    const hi = Math.max(...ranges.map((r) => r[1]));
    let ylo = Infinity;
    let yhi = -Infinity;
    for (const s of series) for (const p of s.points) if (p[1] !== null) ((ylo = Math.min(ylo, p[1])), (yhi = Math.max(yhi, p[1])));
    if (ylo === yhi) ((ylo -= 1), (yhi += 1));
    const W = Math.max(320, box.clientWidth || document.body.clientWidth - 32);
    const H = 320;
    const M = { l: 64, r: 16, t: 12, b: 40 };
    const X = (x) => M.l + ((tx(x) - tx(lo)) / (tx(hi) - tx(lo) || 1)) * (W - M.l - M.r);
    const Y = (y) => H - M.b - ((y - ylo) / (yhi - ylo)) * (H - M.t - M.b);
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', String(W));
    svg.setAttribute('height', String(H));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${state.metric} by ${mode === 'time' ? 'wall time' : 'step'} for ${series.length} runs`);
    const add = (tag, attrs, text) => {
      const e = document.createElementNS(NS, tag);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e);
      return e;
    };
    const xt = scale === 'log' ? logTicks(hi) : ticks(lo, hi, 8, mode === 'step');
    for (const t of xt) {
      add('line', { class: 'grid', x1: X(t), x2: X(t), y1: M.t, y2: H - M.b });
      add('text', { x: X(t), y: H - M.b + 16, 'text-anchor': 'middle' }, mode === 'time' ? `${fmt(t)}s` : fmt(t));
    }
    for (const t of ticks(ylo, yhi, 6, false)) {
      add('line', { class: 'grid', x1: M.l, x2: W - M.r, y1: Y(t), y2: Y(t) });
      add('text', { x: M.l - 6, y: Y(t) + 4, 'text-anchor': 'end' }, fmt(t));
    }
    add(
      'text',
      { x: W / 2, y: H - 6, 'text-anchor': 'middle', class: 'muted' },
      `${mode === 'time' ? 'seconds since the run started' : 'step'}${scale === 'log' ? " (log scale: the runs' ranges differ a lot)" : ''}`,
    );
    const names = new Map(state.table.rows.map((r) => [r.id, r.name]));
    const legend = $('legend');
    legend.textContent = '';
    series.forEach((s, i) => {
      const color = `var(${PALETTE[i % PALETTE.length]})`;
      let d = '';
      let pen = false;
      s.points.forEach((p, j) => {
        if (p[1] === null) return void (pen = false);
        d += `${pen ? 'L' : 'M'}${X(xs[i][j]).toFixed(1)},${Y(p[1]).toFixed(1)}`;
        pen = true;
      });
      add('path', { d, fill: 'none', stroke: color, 'stroke-width': '2' });
      if (s.points.length === 1) add('circle', { cx: X(xs[i][0]), cy: Y(s.points[0][1] ?? ylo), r: 3, fill: color });
      const item = el('span', {});
      const sw = el('span', { class: 'swatch' });
      sw.style.background = color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(`${names.get(s.runId) || s.runId} (${fmt(ranges[i][0])}–${fmt(ranges[i][1])})`));
      legend.appendChild(item);
    });
    const cursor = add('line', { class: 'cursor', x1: 0, x2: 0, y1: M.t, y2: H - M.b, visibility: 'hidden' });
    const tip = $('tip');
    svg.addEventListener('mousemove', (ev) => {
      const rect = svg.getBoundingClientRect();
      const px = ev.clientX - rect.left;
      if (px < M.l || px > W - M.r) return;
      cursor.setAttribute('x1', String(px));
      cursor.setAttribute('x2', String(px));
      cursor.setAttribute('visibility', 'visible');
      const lines = [];
      series.forEach((s, i) => {
        let best = -1;
        let bd = Infinity;
        xs[i].forEach((x, j) => {
          const dd = Math.abs(X(x) - px);
          if (dd < bd && s.points[j][1] !== null) ((bd = dd), (best = j));
        });
        if (best >= 0)
          lines.push(`${names.get(s.runId) || s.runId}: ${fmt(s.points[best][1])} @ ${mode === 'time' ? fmt(xs[i][best]) + 's' : 'step ' + fmt(xs[i][best])}`);
      });
      tip.textContent = lines.join('\n');
      tip.hidden = false;
      tip.style.left = `${Math.min(px + 12, W - 220)}px`;
      tip.style.top = `${ev.clientY - rect.top + 8}px`;
    });
    svg.addEventListener('mouseleave', () => {
      cursor.setAttribute('visibility', 'hidden');
      tip.hidden = true;
    });
    box.appendChild(svg);
  }

  function logTicks(hi) {
    const out = [0];
    for (let p = 1; p <= hi * 1.0001; p *= 10) out.push(p);
    return out;
  }

  // ------------------------------------------------------------------ events

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'data') {
      state.table = m.table;
      if (m.columns) state.chosen = m.columns;
      const known = new Set(state.table.rows.map((r) => r.id));
      for (const id of [...state.selected]) if (!known.has(id)) state.selected.delete(id);
      $('chart-btn').disabled = state.selected.size === 0;
      recompute();
    } else if (m.type === 'history') {
      state.history = m.history;
      $('chart-panel').hidden = false;
      // the table shrinks to leave the chart its room below it, in view
      $('body').classList.add('with-chart');
      renderRows();
      drawChart();
      $('chart-panel').scrollIntoView({ block: 'nearest' });
    }
  });

  document.addEventListener('DOMContentLoaded', () => undefined);
  $('filter').addEventListener('input', (e) => {
    state.filter = e.target.value;
    recompute();
  });
  $('head').addEventListener('click', (e) => {
    const b = e.target.closest('[data-sort]');
    if (!b) return;
    const key = b.getAttribute('data-sort');
    state.sort =
      state.sort.col === key
        ? { col: key, dir: state.sort.dir === 'asc' ? 'desc' : 'asc' }
        : { col: key, dir: key === 'name' || key === 'experiment' ? 'asc' : 'desc' };
    recompute();
    const again = document.querySelector(`#head [data-sort="${CSS.escape(key)}"]`);
    if (again) again.focus();
  });
  $('body').addEventListener('scroll', () => requestAnimationFrame(renderRows));
  $('rows').addEventListener('click', (e) => {
    const row = e.target.closest('.tr');
    if (!row) return;
    const i = Number(row.getAttribute('data-i'));
    const open = e.target.closest('[data-open]');
    if (open) return void vscode.postMessage({ type: 'open', id: state.shown[i].id, what: open.getAttribute('data-open') });
    state.focus = i;
    toggle(i);
  });
  $('rows').addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor($('body').clientHeight / ROW_HEIGHT) - 1);
    const keys = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in keys) focusRow(state.focus + keys[e.key]);
    else if (e.key === 'Home') focusRow(0);
    else if (e.key === 'End') focusRow(state.shown.length - 1);
    else if (e.key === ' ') toggle(state.focus);
    else if (e.key === 'Enter') vscode.postMessage({ type: 'open', id: state.shown[state.focus].id, what: 'config' });
    else if (e.key === 'o') vscode.postMessage({ type: 'open', id: state.shown[state.focus].id, what: 'folder' });
    else return;
    e.preventDefault();
  });
  $('columns-btn').addEventListener('click', openColumns);
  $('columns-list').addEventListener('change', columnsChanged);
  $('columns-reset').addEventListener('click', () => {
    state.chosen = undefined;
    vscode.postMessage({ type: 'columns', keys: null });
    $('columns').hidden = true;
    recompute();
  });
  $('chart-btn').addEventListener('click', () => {
    const ids = state.shown.filter((r) => state.selected.has(r.id)).map((r) => r.id);
    if (ids.length) vscode.postMessage({ type: 'chart', ids });
  });
  $('metric').addEventListener('change', (e) => {
    state.metric = e.target.value;
    drawChart();
  });
  for (const id of ['xmode-step', 'xmode-time']) {
    $(id).addEventListener('change', (e) => {
      state.xMode = e.target.value;
      drawChart();
    });
  }
  $('xscale').addEventListener('change', (e) => {
    state.xScale = e.target.value;
    drawChart();
  });
  window.addEventListener('resize', () => {
    renderRows();
    if (state.history) drawChart();
  });
  vscode.postMessage({ type: 'ready' });
})();
