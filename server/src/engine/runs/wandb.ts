import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRegularFile } from '../regularFile';
import type { RunHistorySeries } from '../../../../shared/types';
import type { ReadResult, RunLocation, RunReader } from './types';
import { below, emptyRun, flattenMetrics, flattenParams, listDir, parseJsonLoose, parseYamlLoose, readSmall, shellWord, statOrUndefined } from './util';
import { RUNNING_WINDOW_MS } from './hydra';
import { WANDB_DIR_RE } from './folders';
import { storesOf } from './discover';

export { WANDB_DIR_RE };

/** `:W&B` + uint16 LE 0xBEE1 + version 0 */
export const WANDB_HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);

/** The W&B folder of a project: `.wandb` when it exists, else `wandb`. */
export function wandbDirOf(root: string): string {
  return statOrUndefined(path.join(root, '.wandb'))?.isDirectory() ? '.wandb' : 'wandb';
}

/** Checks the 7-byte header of a `run-<id>.wandb` transaction log. */
export function checkWandbHeader(abs: string): 'ok' | 'empty' | 'bad' | 'missing' {
  let fd: number | undefined;
  try {
    fd = openRegularFile(abs).fd;
    const buf = Buffer.alloc(7);
    const n = fs.readSync(fd, buf, 0, 7, 0);
    if (n === 0) return 'empty';
    return n === 7 && buf.equals(WANDB_HEADER) ? 'ok' : 'bad';
  } catch {
    return 'missing';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Both config.yaml formats: current (`key: {value: ...}` without desc) and legacy (`wandb_version: 1`, `{desc, value}`). */
export function wandbConfigValues(raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === 'wandb_version' || k === '_wandb') continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object)) out[k] = (v as { value: unknown }).value;
    else out[k] = v; // not wrapped: keep as is
  }
  return out;
}

/** Local start time from the `run-YYYYMMDD_HHMMSS-<id>` match. */
function folderTime(m: string[]): number | undefined {
  const t = m[2] ? new Date(+m[2], +m[3] - 1, +m[4], +m[5], +m[6], +m[7]).getTime() : undefined;
  return t !== undefined && Number.isFinite(t) ? t : undefined;
}

export const wandbReader: RunReader = {
  source: 'wandb',

  watchPrefixes(ctx) {
    return [...new Set([wandbDirOf(ctx.root), ...storesOf(ctx, 'W&B')])].map((d) => d + '/');
  },

  discover(ctx) {
    const top = wandbDirOf(ctx.root);
    const locs: RunLocation[] = [];
    // the project's wandb/ and any W&B folder found by its markers deeper (`experiments/a/b/wandb`); keys of the top
    // folder's runs stay `wandb:<folder name>`, deeper ones carry their folder (`wandb:experiments/a/b/wandb/<name>`)
    for (const dir of new Set([top, ...storesOf(ctx, 'W&B')])) {
      const base = path.join(ctx.root, dir);
      const prefix = dir === top ? 'wandb:' : `wandb:${dir}/`;
      for (const e of listDir(base)) {
        // the name is matched again when the run is read: a match kept per location is memory 10,000 runs keep
        if (e.isDirectory() && WANDB_DIR_RE.test(e.name)) locs.push({ key: prefix + e.name, source: 'wandb', path: below(base, e.name) });
      }
    }
    return locs;
  },

  summarize(loc, ctx): ReadResult {
    // the folder name holds the mode, the start time (local) and the run id: no file is opened
    const dir = loc.path;
    const m = WANDB_DIR_RE.exec(path.basename(dir)) ?? [];
    const id = m[8] ?? path.basename(dir);
    const run = emptyRun({
      id: loc.key,
      source: 'wandb',
      name: id,
      experiment: path.basename(path.dirname(dir)),
      folder: dir,
      workspaceFolder: ctx.root,
      pending: true,
    });
    run.startTime = folderTime(m);
    return { runs: [run], deps: [dir] };
  },

  read(loc, ctx): ReadResult {
    const dir = loc.path;
    const m = WANDB_DIR_RE.exec(path.basename(dir)) ?? [];
    const offline = m[1] === 'offline-run';
    const id = m[8] ?? path.basename(dir);
    const files = path.join(dir, 'files');
    const txlog = path.join(dir, `run-${id}.wandb`);
    const synced = `${txlog}.synced`;
    const deps = [dir, files, path.join(files, 'wandb-summary.json'), path.join(files, 'config.yaml'), txlog];
    const run = emptyRun({
      id: loc.key,
      source: 'wandb',
      name: id,
      experiment: path.basename(path.dirname(dir)),
      folder: dir,
      workspaceFolder: ctx.root,
      details: {},
    });
    const details = run.details!;
    details.runId = id;
    details.mode = offline ? 'offline' : 'online';
    if (offline) details.sync = fs.existsSync(synced) ? 'synced' : 'not synced (run `wandb sync`)';
    run.startTime = folderTime(m);
    // config.yaml (both formats)
    const cfgPath = path.join(files, 'config.yaml');
    const cfg = readSmall(cfgPath);
    if (cfg.ok) {
      run.configFile = cfgPath;
      const { value, warning } = parseYamlLoose(cfg.text, 'files/config.yaml');
      if (warning) run.warnings.push(warning);
      run.params = flattenParams(wandbConfigValues(value));
      if (value && typeof value === 'object' && 'wandb_version' in (value as object)) details.configFormat = 'legacy (wandb_version: 1)';
    } else if (!cfg.missing) run.warnings.push(cfg.warning);
    // wandb-summary.json: final values; NaN/Infinity tokens tolerated
    const sumPath = path.join(files, 'wandb-summary.json');
    const sum = readSmall(sumPath);
    let summary: Record<string, unknown> | undefined;
    if (sum.ok) {
      try {
        summary = parseJsonLoose(sum.text) as Record<string, unknown>;
        run.metrics = flattenMetrics(summary, {}, '', (k) => k.startsWith('_'));
        const runtime = (summary?._wandb as { runtime?: number } | undefined)?.runtime ?? summary?._runtime;
        if (typeof runtime === 'number' && Number.isFinite(runtime)) run.durationMs = Math.round(runtime * 1000);
        if (typeof summary?._step === 'number') details.steps = String(summary._step);
      } catch (e) {
        run.warnings.push(`files/wandb-summary.json is not valid JSON (${(e as Error).message}); the run may be half written`);
      }
    } else if (!sum.missing) run.warnings.push(sum.warning);
    // wandb-metadata.json: start time, git commit, command
    const meta = readSmall(path.join(files, 'wandb-metadata.json'));
    if (meta.ok) {
      try {
        const md = parseJsonLoose(meta.text) as Record<string, unknown>;
        const started = typeof md.startedAt === 'string' ? Date.parse(md.startedAt) : NaN;
        if (Number.isFinite(started)) run.startTime = started;
        const git = md.git as { commit?: string; remote?: string } | undefined;
        if (typeof git?.commit === 'string') run.gitCommit = git.commit;
        if (typeof git?.remote === 'string') details.gitRemote = git.remote;
        const program = typeof md.codePath === 'string' ? md.codePath : typeof md.program === 'string' ? md.program : undefined;
        const args = Array.isArray(md.args) ? md.args.map(String) : [];
        if (program) run.command = ['python', program, ...args].map((w, i) => (i === 0 ? w : shellWord(w))).join(' ');
        if (typeof md.host === 'string') details.host = md.host;
      } catch (e) {
        run.warnings.push(`files/wandb-metadata.json is not valid JSON (${(e as Error).message})`);
      }
    } else if (!meta.missing) run.warnings.push(meta.warning);
    // the binary transaction log: always written, the only file of offline runs since wandb 0.18
    const header = checkWandbHeader(txlog);
    const txStat = statOrUndefined(txlog);
    if (header === 'bad') run.warnings.push(`run-${id}.wandb does not start with the W&B header: not a W&B transaction log or corrupt`);
    if (header === 'missing' && !cfg.ok && !sum.ok) run.warnings.push(`no run-${id}.wandb and no files/: an empty or half-written run folder`);
    if (!cfg.ok && !sum.ok && header === 'ok')
      details.note = offline ? 'offline run: its data is only in the binary .wandb file until `wandb sync`' : 'only the binary .wandb file so far';
    // output.log
    const out = path.join(files, 'output.log');
    if (fs.existsSync(out)) run.logFile = out;
    // status: W&B writes `_wandb.runtime` into the summary when the run ends
    const last = Math.max(txStat?.mtimeMs ?? 0, statOrUndefined(sumPath)?.mtimeMs ?? 0);
    const ended = summary && typeof (summary._wandb as { runtime?: unknown } | undefined)?.runtime === 'number';
    if (last && ctx.now() - last < RUNNING_WINDOW_MS && !ended) run.status = 'running';
    else if (ended) run.status = 'finished';
    else if (txStat && run.startTime && txStat.mtimeMs > run.startTime) {
      run.durationMs ??= Math.round(txStat.mtimeMs - run.startTime);
    }
    if (fs.existsSync(path.join(files, 'wandb-history.jsonl'))) run.historyMetrics = Object.keys(run.metrics);
    return { runs: [run], deps };
  },

  history(run, metrics): RunHistorySeries[] {
    if (!run.folder) return [];
    const r = readSmall(path.join(run.folder, 'files', 'wandb-history.jsonl'), 64 * 1024 * 1024);
    if (!r.ok) return [];
    const series = new Map<string, [number, number | null][]>();
    const times = new Map<string, number[]>();
    let i = 0;
    for (const line of r.text.split('\n')) {
      if (!line.trim()) continue;
      let row: Record<string, unknown>;
      try {
        row = parseJsonLoose(line) as Record<string, unknown>;
      } catch {
        continue; // a half-written last line
      }
      const step = typeof row._step === 'number' ? row._step : i;
      // `_timestamp`: seconds since the epoch (a float), when the row was logged
      const t = typeof row._timestamp === 'number' && Number.isFinite(row._timestamp) ? Math.round(row._timestamp * 1000) : undefined;
      i++;
      for (const [k, v] of Object.entries(row)) {
        if (k.startsWith('_') || (metrics && !metrics.includes(k))) continue;
        if (typeof v !== 'number' && v !== null) continue;
        const s = series.get(k) ?? [];
        series.set(k, s);
        s.push([step, typeof v === 'number' && Number.isFinite(v) ? v : null]);
        if (t !== undefined) {
          const ts = times.get(k) ?? [];
          times.set(k, ts);
          ts.push(t);
        }
      }
    }
    // times only when every point of the series has one
    return [...series].map(([metric, points]) => ({
      runId: run.id,
      metric,
      points,
      ...(times.get(metric)?.length === points.length ? { times: times.get(metric) } : {}),
    }));
  },
};
