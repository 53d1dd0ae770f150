import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRegularFile } from '../regularFile';
import type { RunHistorySeries } from '../../../../shared/types';
import type { ReadResult, RunLocation, RunReader } from './types';
import { below, emptyRun, flattenParams, listDir, parseNumber, parseYamlLoose, readSmall, readTail, statOrUndefined } from './util';
import { RUNNING_WINDOW_MS } from './hydra';
import { storesOf } from './discover';

export const LIGHTNING_DIR = 'lightning_logs';
const VERSION_RE = /^version_(\d+)$/;
/** metrics.csv larger than this: only its tail is read for the final values. */
const CSV_TAIL_BYTES = 1024 * 1024;

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** A simple CSV reader (Lightning writes plain values, CRLF line ends, empty cells for keys not logged in a row). */
export function parseCsv(text: string): CsvTable {
  const lines = text.split(/\r?\n/);
  const split = (l: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < l.length; i++) {
      const c = l[i];
      if (q) {
        if (c === '"' && l[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') q = false;
        else cur += c;
      } else if (c === '"') q = true;
      else if (c === ',') {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const header = lines.length ? split(lines[0]) : [];
  const rows = lines
    .slice(1)
    .filter((l) => l.length > 0)
    .map(split);
  return { header, rows };
}

/** The last non-empty value of each column (sparse rows: each key is logged on its own steps). */
export function finalValues(table: CsvTable, skip: Set<string>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  table.header.forEach((col, i) => {
    if (skip.has(col)) return;
    for (let r = table.rows.length - 1; r >= 0; r--) {
      const cell = table.rows[r][i];
      if (cell === undefined || cell === '') continue;
      const n = parseNumber(cell);
      if (n !== undefined) {
        out[col] = n;
        return;
      }
    }
  });
  return out;
}

export const lightningReader: RunReader = {
  source: 'lightning',

  watchPrefixes(ctx) {
    return [...new Set([LIGHTNING_DIR, ...storesOf(ctx, 'Lightning')])].map((d) => d + '/');
  },

  discover(ctx) {
    const locs: RunLocation[] = [];
    // lightning_logs/ and any save dir found by its markers deeper (`models/tb_logs/my_model/version_0`): keys
    // `lightning:<below lightning_logs>` for lightning_logs/, `lightning:<workspace path>` for the others
    for (const dir of new Set([LIGHTNING_DIR, ...storesOf(ctx, 'Lightning')])) {
      const base = path.join(ctx.root, dir);
      const prefix = dir === LIGHTNING_DIR ? 'lightning:' : `lightning:${dir}/`;
      const top = path.posix.basename(dir);
      for (const e of listDir(base)) {
        if (!e.isDirectory()) continue;
        if (VERSION_RE.test(e.name)) locs.push({ key: prefix + e.name, source: 'lightning', path: below(base, e.name), hint: { experiment: top } });
        else if (!e.name.startsWith('.')) {
          // <save dir>/<name>/version_N (a logger with a name)
          for (const v of listDir(path.join(base, e.name))) {
            if (v.isDirectory() && VERSION_RE.test(v.name))
              locs.push({ key: `${prefix}${e.name}/${v.name}`, source: 'lightning', path: path.join(base, e.name, v.name), hint: { experiment: e.name } });
          }
        }
      }
    }
    return locs;
  },

  summarize(loc, ctx): ReadResult {
    // one stat: hparams.yaml is written when training starts (the full read prefers a TensorBoard event file's name)
    const dir = loc.path;
    const run = emptyRun({
      id: loc.key,
      source: 'lightning',
      name: path.basename(dir),
      experiment: (loc.hint?.experiment as string) ?? LIGHTNING_DIR,
      folder: dir,
      workspaceFolder: ctx.root,
      pending: true,
    });
    run.startTime = startOf(dir, path.join(dir, 'hparams.yaml'), []);
    return { runs: [run], deps: [dir] };
  },

  read(loc, ctx): ReadResult {
    const dir = loc.path;
    const csvPath = path.join(dir, 'metrics.csv');
    const hpPath = path.join(dir, 'hparams.yaml');
    const ckDir = path.join(dir, 'checkpoints');
    const deps = [dir, csvPath, hpPath, ckDir];
    const name = path.basename(dir);
    const run = emptyRun({
      id: loc.key,
      source: 'lightning',
      name,
      experiment: (loc.hint?.experiment as string) ?? LIGHTNING_DIR,
      folder: dir,
      workspaceFolder: ctx.root,
      details: {},
    });
    const hp = readSmall(hpPath);
    if (hp.ok) {
      run.configFile = hpPath;
      const { value, warning } = parseYamlLoose(hp.text, 'hparams.yaml');
      if (warning) run.warnings.push(warning);
      run.params = flattenParams(value);
    } else if (!hp.missing) run.warnings.push(hp.warning);
    const csvStat = statOrUndefined(csvPath);
    if (csvStat) {
      const text = readTail(csvPath, csvStat.size > CSV_TAIL_BYTES ? CSV_TAIL_BYTES : csvStat.size) ?? '';
      let table: CsvTable;
      if (csvStat.size > CSV_TAIL_BYTES) {
        // the header comes from the first line; the rows from the tail
        const head = parseCsv(firstLine(csvPath)).header;
        const tail = parseCsv('x\n' + text.split(/\r?\n/).slice(1).join('\n'));
        table = { header: head, rows: tail.rows };
        run.details!.largeMetrics = 'metrics.csv is large: final values read from its end';
      } else table = parseCsv(text);
      run.metrics = finalValues(table, new Set(['step', 'epoch']));
      const e = finalValues(table, new Set()).epoch;
      const s = finalValues(table, new Set()).step;
      if (e !== undefined && e !== null) run.details!.epochs = String(e + 1);
      if (s !== undefined && s !== null) run.details!.steps = String(s);
      run.historyMetrics = Object.keys(run.metrics);
    }
    const ckpts = listDir(ckDir)
      .filter((f) => f.isFile() && f.name.endsWith('.ckpt'))
      .map((f) => f.name);
    if (ckpts.length) run.details!.checkpoints = ckpts.sort().join(', ');
    // times: hparams.yaml is written when training starts; metrics.csv at every flush
    // a TensorBoard event file name holds the start time (`events.out.tfevents.<unix seconds>.<host>...`), which survives
    // a copy; else hparams.yaml's mtime (written when training starts)
    const events = eventTimes(dir);
    run.startTime = startOf(dir, hpPath, events);
    // metrics.csv's mtime is the last flush, unless the folder was copied or checked out later: a "run" of more than
    // 30 days from a start known from the event file name is taken as a copy, and the mtime is not used
    const copied = events.length && csvStat && run.startTime !== undefined && csvStat.mtimeMs - run.startTime > 30 * 86_400_000;
    const last = copied ? undefined : csvStat?.mtimeMs;
    if (run.startTime && last && last > run.startTime) run.durationMs = Math.round(last - run.startTime);
    if (last && ctx.now() - last < RUNNING_WINDOW_MS) run.status = 'running';
    else if (ckpts.length) run.status = 'finished';
    if (!hp.ok && !csvStat && !ckpts.length) run.warnings.push('no hparams.yaml, metrics.csv or checkpoints: an empty or half-written version folder');
    return { runs: [run], deps };
  },

  history(run, metrics): RunHistorySeries[] {
    if (!run.folder) return [];
    const r = readSmall(path.join(run.folder, 'metrics.csv'), 64 * 1024 * 1024);
    if (!r.ok) return [];
    const t = parseCsv(r.text);
    const stepCol = t.header.indexOf('step');
    const out: RunHistorySeries[] = [];
    t.header.forEach((col, i) => {
      if (col === 'step' || col === 'epoch' || (metrics && !metrics.includes(col))) return;
      const points: [number, number | null][] = [];
      t.rows.forEach((row, ri) => {
        const cell = row[i];
        if (cell === undefined || cell === '') return;
        const v = parseNumber(cell);
        if (v === undefined) return;
        const step = stepCol >= 0 ? Number(row[stepCol]) : ri;
        points.push([Number.isFinite(step) ? step : ri, v]);
      });
      out.push({ runId: run.id, metric: col, points });
    });
    return out;
  },
};

/** Start times from TensorBoard event file names (`events.out.tfevents.<unix seconds>.<host>...`). */
function eventTimes(dir: string): number[] {
  return listDir(dir)
    .map((e) => /^events\.out\.tfevents\.(\d{10})\./.exec(e.name))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]) * 1000);
}

/** The earliest event file's time, else hparams.yaml's (or the folder's) mtime or birth time. */
function startOf(dir: string, hpPath: string, events = eventTimes(dir)): number | undefined {
  if (events.length) return Math.min(...events);
  const st = statOrUndefined(hpPath) ?? statOrUndefined(dir);
  return st ? Math.min(st.mtimeMs, st.birthtimeMs || Infinity) : undefined;
}

function firstLine(abs: string): string {
  let fd: number | undefined;
  try {
    fd = openRegularFile(abs).fd;
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0];
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
