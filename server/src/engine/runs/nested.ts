/**
 * Trackers that write inside a Hydra run folder belong to that run. lightning-hydra-template's loggers take
 * `save_dir: ${paths.output_dir}` (the run folder): CSVLogger with `name: "csv/"` writes `<run>/csv/version_0/metrics.csv`
 * and `hparams.yaml`, TensorBoardLogger `<run>/tensorboard/version_0/events.out.tfevents.*`, WandbLogger
 * `<run>/wandb/run-<date>_<time>-<id>/files/...`; ModelCheckpoint writes `<run>/checkpoints/*.ckpt`. Their metrics are the
 * run's metrics: they are shown on the Hydra run, never as separate runs (the marker walk stops at the outermost run
 * folder, `folders.ts`).
 */
import * as path from 'node:path';
import type { RunHistorySeries, RunSummary } from '../../../../shared/types';
import { diskTree, runFolderKind, WANDB_DIR_RE } from './folders';
import { lightningReader } from './lightning';
import type { RunsContext } from './types';
import { wandbReader } from './wandb';
import { listDir } from './util';

const VERSION_RE = /^version_(\d+)$/;
/** Sub folders of a run folder looked into (a run folder with 500 sub folders is not a logger's). */
const MAX_CHILDREN = 32;

export interface NestedTracker {
  tool: 'Lightning' | 'W&B';
  /** Absolute folder of the tracker's run (a `version_N`, a `run-*`). */
  path: string;
  /** Path below the Hydra run folder, for the details (`csv/version_0`). */
  rel: string;
}

function latestVersion(abs: string): string | undefined {
  let best: [number, string] | undefined;
  for (const e of listDir(abs)) {
    const m = e.isDirectory() ? VERSION_RE.exec(e.name) : null;
    if (m && (!best || Number(m[1]) > best[0])) best = [Number(m[1]), e.name];
  }
  return best?.[1];
}

/** The trackers inside a run folder: the latest Lightning version of each logger folder, the latest W&B run. */
export function nestedTrackers(runDir: string, entries = listDir(runDir)): NestedTracker[] {
  const out: NestedTracker[] = [];
  const tree = diskTree(runDir);
  const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).slice(0, MAX_CHILDREN);
  // a logger without a name writes version_N straight into the run folder
  const direct = dirs.some((e) => VERSION_RE.test(e.name)) ? latestVersion(runDir) : undefined;
  if (direct) {
    const files = tree.children(direct);
    if (files && [...files.keys()].some((n) => n === 'metrics.csv' || n === 'hparams.yaml' || n.startsWith('events.out.tfevents.')))
      out.push({ tool: 'Lightning', path: path.join(runDir, direct), rel: direct });
  }
  for (const e of dirs) {
    if (VERSION_RE.test(e.name) || e.name === 'checkpoints') continue;
    const kind = runFolderKind(tree, e.name);
    if (kind?.tool === 'Lightning') {
      const v = latestVersion(path.join(runDir, e.name));
      if (v) out.push({ tool: 'Lightning', path: path.join(runDir, e.name, v), rel: `${e.name}/${v}` });
      else {
        // <logger folder>/<name>/version_N
        for (const sub of listDir(path.join(runDir, e.name))) {
          if (!sub.isDirectory()) continue;
          const sv = latestVersion(path.join(runDir, e.name, sub.name));
          if (sv) out.push({ tool: 'Lightning', path: path.join(runDir, e.name, sub.name, sv), rel: `${e.name}/${sub.name}/${sv}` });
        }
      }
    } else if (kind?.tool === 'W&B') {
      const runs = listDir(path.join(runDir, e.name))
        .filter((r) => r.isDirectory() && WANDB_DIR_RE.test(r.name))
        .map((r) => r.name)
        .sort((a, b) => (a.replace(/^offline-/, '') < b.replace(/^offline-/, '') ? -1 : 1));
      const last = runs[runs.length - 1];
      if (last) out.push({ tool: 'W&B', path: path.join(runDir, e.name, last), rel: `${e.name}/${last}` });
    }
  }
  return out;
}

/**
 * Adds the metrics of the trackers inside a Hydra run folder to the run (the Hydra config stays its params): final
 * values, which metrics have a history, the tracker folders in the details. Returns the files to watch.
 */
export async function mergeNested(run: RunSummary, runDir: string, entries: ReturnType<typeof listDir>, ctx: RunsContext): Promise<string[]> {
  const deps: string[] = [];
  const trackers = nestedTrackers(runDir, entries);
  const names: string[] = [];
  const history = new Set(run.historyMetrics ?? []);
  for (const t of trackers) {
    const reader = t.tool === 'Lightning' ? lightningReader : wandbReader;
    const got = await reader.read({ key: `${run.id}#${t.rel}`, source: reader.source, path: t.path }, ctx);
    deps.push(...got.deps);
    const inner = got.runs[0];
    if (!inner) continue;
    names.push(`${t.tool} ${t.rel}`);
    for (const [k, v] of Object.entries(inner.metrics)) if (!(k in run.metrics)) run.metrics[k] = v;
    for (const k of inner.historyMetrics ?? []) history.add(k);
    for (const w of inner.warnings) run.warnings.push(`${t.rel}: ${w}`);
    const d = inner.details ?? {};
    if (d.epochs && !run.details?.epochs) (run.details ??= {}).epochs = d.epochs;
    if (d.steps && !run.details?.steps) (run.details ??= {}).steps = d.steps;
    if (inner.status === 'running') run.status = 'running';
  }
  if (names.length) (run.details ??= {}).trackers = names.join(', ');
  if (history.size) run.historyMetrics = [...history];
  return deps;
}

/** The metric histories of a Hydra run: those of the trackers inside its folder. */
export async function nestedHistory(run: RunSummary, metrics: string[] | undefined, ctx: RunsContext): Promise<RunHistorySeries[]> {
  if (!run.folder) return [];
  const out: RunHistorySeries[] = [];
  const seen = new Set<string>();
  for (const t of nestedTrackers(run.folder)) {
    const reader = t.tool === 'Lightning' ? lightningReader : wandbReader;
    const series = await reader.history!({ ...run, folder: t.path }, metrics, ctx);
    for (const s of series) {
      if (seen.has(s.metric)) continue; // the first tracker's series of a metric (as its final value)
      seen.add(s.metric);
      out.push({ ...s, runId: run.id });
    }
  }
  return out;
}
