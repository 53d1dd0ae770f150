import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunHistorySeries, RunSummary } from '../../../../shared/types';
import type { ReadResult, RunLocation, RunReader, RunsContext } from './types';
import { storesOf } from './discover';
import { below, emptyRun, listDir, MAX_KEYS, parseNumber, parseYamlLoose, readSmall, readTail, shellWord, statOrUndefined } from './util';

/** MLflow's RunStatus numbers in the file store (RUNNING=1, SCHEDULED=2, FINISHED=3, FAILED=4, KILLED=5) and names in the SQL store. */
export function mlflowStatus(s: unknown): RunSummary['status'] {
  switch (typeof s === 'string' ? s.toUpperCase() : s) {
    case 1:
    case 2:
    case 'RUNNING':
    case 'SCHEDULED':
      return 'running';
    case 3:
    case 'FINISHED':
      return 'finished';
    case 4:
    case 'FAILED':
      return 'failed';
    case 5:
    case 'KILLED':
      return 'killed';
    default:
      return 'unknown';
  }
}

/** Folders of an experiment that are not runs. */
const NOT_RUNS = new Set(['tags', 'datasets', 'traces', 'models', 'logged_models', 'meta.yaml']);
/** Metric files larger than this are read from their tail only (the latest value is almost always near the end). */
const METRIC_TAIL_BYTES = 256 * 1024;

export interface MetricPoint {
  timestamp: number;
  value: number | null;
  step: number;
}

/** One line `"{timestamp} {value} {step}"` (step optional). */
export function parseMetricLine(line: string): MetricPoint | undefined {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) return undefined;
  const timestamp = Number(parts[0]);
  const value = parseNumber(parts[1]);
  const step = parts.length === 3 ? Number(parts[2]) : 0;
  if (!Number.isFinite(timestamp) || value === undefined || !Number.isFinite(step)) return undefined;
  return { timestamp, value, step };
}

/** MLflow's "latest": the maximum by (step, timestamp, value); NaN compares lowest. */
export function latestPoint(points: MetricPoint[]): MetricPoint | undefined {
  let best: MetricPoint | undefined;
  for (const p of points) {
    if (!best) best = p;
    else if (
      p.step !== best.step
        ? p.step > best.step
        : p.timestamp !== best.timestamp
          ? p.timestamp > best.timestamp
          : (p.value ?? -Infinity) >= (best.value ?? -Infinity)
    )
      best = p;
  }
  return best;
}

/** Files under a folder as key -> absolute path; keys with "/" are nested folders. Bounded in depth and count. */
function keyFiles(dir: string, prefix = '', out: [string, string][] = [], depth = 0): [string, string][] {
  if (depth > 8 || out.length >= MAX_KEYS) return out;
  for (const e of listDir(dir)) {
    const key = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) keyFiles(path.join(dir, e.name), key, out, depth + 1);
    else if (e.isFile()) out.push([key, path.join(dir, e.name)]);
  }
  return out;
}

function readKeyValues(dir: string, warnings: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, abs] of keyFiles(dir)) {
    const r = readSmall(abs, 1024 * 1024);
    if (r.ok) out[key] = r.text;
    else warnings.push(`${what} '${key}': ${r.warning}`);
  }
  return out;
}

function readMetricFile(abs: string, all: boolean): { points: MetricPoint[]; truncated: boolean } {
  const st = statOrUndefined(abs);
  if (!st) return { points: [], truncated: false };
  const truncated = !all && st.size > METRIC_TAIL_BYTES;
  const text = readTail(abs, truncated ? METRIC_TAIL_BYTES : 64 * 1024 * 1024) ?? '';
  const lines = text.split('\n');
  if (truncated) lines.shift(); // the first line of a tail is partial
  const points: MetricPoint[] = [];
  for (const l of lines) {
    const p = parseMetricLine(l);
    if (p) points.push(p);
  }
  return { points, truncated };
}

interface ExperimentInfo {
  id: string;
  name: string;
  deleted: boolean;
}

function readExperiment(dir: string, ctx: RunsContext): ExperimentInfo {
  const key = `mlflow.exp.${dir}`;
  const cached = ctx.memo.get(key) as ExperimentInfo | undefined;
  if (cached) return cached;
  const id = path.basename(dir);
  const info: ExperimentInfo = { id, name: id === '0' ? 'Default' : id, deleted: false };
  const r = readSmall(path.join(dir, 'meta.yaml'), 256 * 1024);
  if (r.ok) {
    const v = parseYamlLoose(r.text, 'meta.yaml').value as Record<string, unknown> | undefined;
    if (typeof v?.name === 'string') info.name = v.name;
    if (v?.lifecycle_stage === 'deleted') info.deleted = true;
  }
  ctx.memo.set(key, info);
  return info;
}

/** The tag MLflow sets on a nested run: the run id of its parent. */
const PARENT_TAG = 'mlflow.parentRunId';

/**
 * The id of a parent run: a run of the same store and experiment (MLflow starts a nested run in its parent's
 * experiment), so this run's key with the parent's folder.
 */
function parentKey(loc: RunLocation, parentRunId: string): string {
  return loc.key.slice(0, loc.key.lastIndexOf('/') + 1) + parentRunId;
}

/** The parent id from `tags/mlflow.parentRunId` alone (the summary's one read), undefined for a top-level run. */
function parentOf(loc: RunLocation, dir: string): string | undefined {
  const file = path.join(dir, 'tags', PARENT_TAG);
  if (!fs.existsSync(file)) return undefined;
  const r = readSmall(file, 1024 * 1024); // as the full read reads tags
  const id = r.ok ? r.text.trim() : '';
  return id ? parentKey(loc, id) : undefined;
}

/** The MLflow file store folder: `mlruns/` at the top of the workspace. */
export const MLRUNS = 'mlruns';

/** A run's meta.yaml: name, status, times; `hidden` for deleted runs and folders that are not runs. */
function readMeta(loc: RunLocation, ctx: RunsContext): { run: RunSummary; deps: string[]; hidden: boolean } {
  const dir = loc.path;
  const deps = [dir, path.join(dir, 'meta.yaml'), path.join(dir, 'metrics'), path.join(dir, 'params'), path.join(dir, 'tags')];
  const runId = path.basename(dir);
  const exp = readExperiment(path.dirname(dir), ctx);
  const run = emptyRun({
    id: loc.key,
    source: 'mlflow',
    name: runId,
    experiment: exp.name,
    folder: dir,
    workspaceFolder: ctx.root,
    details: { runId, experimentId: exp.id },
  });
  const meta = readSmall(path.join(dir, 'meta.yaml'), 256 * 1024);
  if (meta.ok) {
    const { value, warning } = parseYamlLoose(meta.text, 'meta.yaml');
    if (warning) run.warnings.push(warning);
    const m = (value ?? {}) as Record<string, unknown>;
    if (m.lifecycle_stage === 'deleted') return { run, deps, hidden: true }; // deleted runs are hidden, as in MLflow's UI
    run.status = mlflowStatus(m.status);
    if (typeof m.run_name === 'string' && m.run_name) run.name = m.run_name;
    if (typeof m.start_time === 'number') run.startTime = m.start_time;
    if (typeof m.end_time === 'number' && typeof m.start_time === 'number' && m.end_time >= m.start_time) run.durationMs = m.end_time - m.start_time;
    if (typeof m.user_id === 'string' && m.user_id) run.details!.user = m.user_id;
  } else {
    const hasAnything = ['params', 'metrics', 'tags'].some((d) => statOrUndefined(path.join(dir, d))?.isDirectory());
    if (!hasAnything) return { run, deps, hidden: true }; // not a run folder
    run.warnings.push(meta.missing ? 'meta.yaml is missing: a half-written or damaged run' : meta.warning);
  }
  return { run, deps, hidden: false };
}

export const mlflowFileReader: RunReader = {
  source: 'mlflow',

  watchPrefixes(ctx) {
    return [...new Set([MLRUNS, ...storesOf(ctx, 'MLflow', 'MLflow runs')])].map((d) => d + '/');
  },

  discover(ctx) {
    const locs: RunLocation[] = [];
    // mlruns/ and any file store found by its markers deeper (`code/models/mlruns`): keys `mlflow:<exp>/<run>` for
    // mlruns/, `mlflow:<store>:<exp>/<run>` for the others
    for (const dir of new Set([MLRUNS, ...storesOf(ctx, 'MLflow', 'MLflow runs')])) {
      const store = path.join(ctx.root, dir);
      const prefix = dir === MLRUNS ? 'mlflow:' : `mlflow:${dir}:`;
      for (const e of listDir(store)) {
        if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'models') continue; // .trash holds deleted experiments
        const expDir = path.join(store, e.name);
        const exp = readExperiment(expDir, ctx);
        if (exp.deleted) continue;
        for (const r of listDir(expDir)) {
          if (!r.isDirectory() || r.name.startsWith('.') || NOT_RUNS.has(r.name)) continue;
          locs.push({ key: `${prefix}${e.name}/${r.name}`, source: 'mlflow', path: below(expDir, r.name), hint: { experiment: exp.name } });
        }
      }
    }
    return locs;
  },

  summarize(loc, ctx): ReadResult {
    // no file opened: the run id names it, the folder's mtime (set when MLflow creates its sub folders at the start)
    // orders it; name, status and whether it was deleted come with the full read
    const dir = loc.path;
    const runId = path.basename(dir);
    const run = emptyRun({
      id: loc.key,
      source: 'mlflow',
      name: runId,
      experiment: (loc.hint?.experiment as string) ?? runId,
      folder: dir,
      workspaceFolder: ctx.root,
      pending: true,
    });
    run.startTime = statOrUndefined(dir)?.mtimeMs;
    // a nested run (mlflow.start_run(nested=True)) names its parent in one small tag file: read it now, so the view
    // nests the children of a sweep under it from the first paint (existsSync does not throw for the many runs without)
    const parent = parentOf(loc, dir);
    if (parent) run.parentId = parent;
    return { runs: [run], deps: [dir] };
  },

  read(loc, ctx): ReadResult {
    const dir = loc.path;
    const { run, deps, hidden } = readMeta(loc, ctx);
    if (hidden) return { runs: [], deps };
    const runId = path.basename(dir);
    // params
    const params = readKeyValues(path.join(dir, 'params'), run.warnings, 'param');
    for (const [k, v] of Object.entries(params)) run.params[k] = v;
    // tags
    const tags = readKeyValues(path.join(dir, 'tags'), run.warnings, 'tag');
    if (tags['mlflow.runName'] && run.name === runId) run.name = tags['mlflow.runName'];
    if (tags['mlflow.source.git.commit']) run.gitCommit = tags['mlflow.source.git.commit'].trim();
    if (tags['mlflow.source.git.branch']) run.details!.branch = tags['mlflow.source.git.branch'];
    if (tags[PARENT_TAG]?.trim()) {
      const parent = tags[PARENT_TAG].trim();
      run.details!.parentRun = parent;
      run.parentId = parentKey(loc, parent);
    }
    if (tags['mlflow.note.content']) run.details!.note = tags['mlflow.note.content'].slice(0, 500);
    run.command = mlflowCommand(tags, params);
    // metrics: latest by (step, timestamp, value)
    const history: string[] = [];
    for (const [key, abs] of keyFiles(path.join(dir, 'metrics'))) {
      const { points, truncated } = readMetricFile(abs, false);
      const latest = latestPoint(points);
      if (latest) run.metrics[key] = latest.value;
      else run.warnings.push(`metric '${key}' has no readable value`);
      if (truncated) run.details!.largeMetrics = [run.details!.largeMetrics, key].filter(Boolean).join(', ');
      history.push(key);
    }
    if (history.length) run.historyMetrics = history;
    return { runs: [run], deps };
  },

  history(run, metrics): RunHistorySeries[] {
    if (!run.folder) return [];
    const out: RunHistorySeries[] = [];
    for (const [key, abs] of keyFiles(path.join(run.folder, 'metrics'))) {
      if (metrics && !metrics.includes(key)) continue;
      const { points } = readMetricFile(abs, true);
      points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
      out.push({ runId: run.id, metric: key, points: points.map((p) => [p.step, p.value]), times: points.map((p) => p.timestamp) });
    }
    return out;
  },
};

/** The command that reproduces an MLflow run: `mlflow run` for projects, else the source script. */
export function mlflowCommand(tags: Record<string, string>, params: Record<string, unknown>): string | undefined {
  const ep = tags['mlflow.project.entryPoint'];
  const p = Object.entries(params).flatMap(([k, v]) => ['-P', shellWord(`${k}=${String(v)}`)]);
  if (ep) return ['mlflow', 'run', '.', '-e', shellWord(ep), ...p].join(' ');
  const src = tags['mlflow.source.name'];
  if (src && /\.py$/.test(src)) return `python ${shellWord(src)}`;
  return undefined;
}
