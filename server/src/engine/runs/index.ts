import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunHistorySeries, RunSummary } from '../../../../shared/protocol';
import { dvcExpsReader } from './dvcExps';
import { hydraReader } from './hydra';
import { lightningReader } from './lightning';
import { mlflowFileReader } from './mlflow';
import { mlflowDbReader } from './mlflowDb';
import type { RunLocation, RunReader, RunsContext } from './types';
import { wandbReader } from './wandb';
import { toPosix } from './util';

export * from './types';
export { hydraPatterns, compilePattern, segmentOf, DEFAULT_RUN_DIR, DEFAULT_SWEEP_DIR } from './hydra';
export { wandbConfigValues, checkWandbHeader, WANDB_HEADER } from './wandb';
export { parseMetricLine, latestPoint, mlflowStatus } from './mlflow';
export { loadSqlJs, MLFLOW_DB } from './mlflowDb';
export { parseCsv, finalValues } from './lightning';
export { parseExpRef, dvcFilesOf, catFileBatch } from './dvcExps';
export { parseJsonLoose, parseYamlLoose, flattenParams, flattenMetrics } from './util';

export const ALL_READERS: RunReader[] = [hydraReader, wandbReader, mlflowFileReader, mlflowDbReader, lightningReader, dvcExpsReader];

/** Folders where a change can alter the Hydra output settings. */
const CONFIG_PREFIXES = ['configs/', 'conf/', 'config/', 'src/'];

export interface RunIndexOptions {
  /** May spawn git (DVC experiments). False in untrusted workspaces. */
  useGit?: boolean;
  now?: () => number;
  readers?: RunReader[];
}

export interface RunsDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

interface Entry {
  loc: RunLocation;
  runs: RunSummary[];
  deps: string[];
  stamp: string;
  /** JSON of each run, to tell changed from unchanged after a re-read. */
  prints: Map<string, string>;
}

function stampOf(deps: string[]): string {
  let s = '';
  for (const d of deps) {
    try {
      const st = fs.statSync(d);
      s += `${st.mtimeMs}:${st.size}|`;
    } catch {
      s += '-|';
    }
  }
  return s;
}

/**
 * All runs of one workspace folder. The first `refresh()` discovers and reads every run location; later refreshes
 * re-discover (directory listings only) and re-read only the locations that are new or changed: with `changed` paths
 * (from file events) those under them, without, those whose files' (mtime, size) moved.
 */
export class RunIndex {
  readonly root: string;
  version = 0;
  notes: string[] = [];
  private readonly entries = new Map<string, Entry>();
  private sorted?: RunSummary[];
  private byId?: Map<string, RunSummary>;
  private readonly readers: RunReader[];
  private readonly useGit: boolean;
  private readonly now: () => number;
  private prefixes?: string[];
  /** Refreshes run one after the other. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(root: string, options: RunIndexOptions = {}) {
    this.root = path.resolve(root);
    this.readers = options.readers ?? ALL_READERS;
    this.useGit = options.useGit ?? true;
    this.now = options.now ?? Date.now;
  }

  private context(): RunsContext {
    return { root: this.root, useGit: this.useGit, now: this.now, memo: new Map() };
  }

  /** Workspace-relative prefixes where a file event may concern runs (run folders, mlflow.db, git refs, configs). */
  async watchPrefixes(): Promise<string[]> {
    if (!this.prefixes) {
      const ctx = this.context();
      const all = new Set<string>(CONFIG_PREFIXES);
      for (const r of this.readers) for (const p of await r.watchPrefixes(ctx)) all.add(p);
      this.prefixes = [...all];
    }
    return this.prefixes;
  }

  /** True when a file event at `rel` (workspace-relative, POSIX) may change the list of runs. */
  async concerns(rel: string): Promise<boolean> {
    const prefixes = await this.watchPrefixes();
    return prefixes.some((p) => rel === p.replace(/\/$/, '') || rel.startsWith(p.endsWith('/') ? p : p + '/') || rel === p);
  }

  /**
   * Brings the index up to date. `changed`: absolute or workspace-relative paths from file events (only locations under
   * them are re-read); omitted: every location's files are compared by (mtime, size). Concurrent calls are merged.
   */
  refresh(changed?: string[]): Promise<RunsDiff> {
    const next = this.chain.then(() => this.doRefresh(changed));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async doRefresh(changed?: string[]): Promise<RunsDiff> {
    const ctx = this.context();
    const notes: string[] = [];
    if (!this.useGit) notes.push('Restricted mode: DVC experiments (git refs) are not read.');
    const changedAbs = changed?.map((c) => (path.isAbsolute(c) ? path.resolve(c) : path.join(this.root, c)));
    if (changedAbs?.some((c) => CONFIG_PREFIXES.some((p) => toPosix(path.relative(this.root, c)).startsWith(p)))) this.prefixes = undefined;
    // with hints, only the readers whose places the changed paths are in look again (a new W&B run does not make the
    // index list 2,500 Lightning folders); a config change may move Hydra's folders: then all look again
    let readers = this.readers;
    if (changedAbs && this.entries.size && !changedAbs.some((c) => CONFIG_PREFIXES.some((p) => toPosix(path.relative(this.root, c)).startsWith(p)))) {
      const ctxRels = changedAbs.map((c) => toPosix(path.relative(this.root, c)));
      const concerned: RunReader[] = [];
      for (const r of this.readers) {
        const prefixes = await r.watchPrefixes(ctx);
        if (ctxRels.some((rel) => prefixes.some((p) => rel === p.replace(/\/$/, '') || rel.startsWith(p.endsWith('/') ? p : p + '/')))) concerned.push(r);
      }
      readers = concerned;
    }
    const found = new Map<string, RunLocation>();
    // locations of readers that do not look again are kept as they are
    if (readers !== this.readers) for (const [key, e] of this.entries) if (!readers.some((r) => r.source === e.loc.source && readerOwns(r, e.loc))) found.set(key, e.loc);
    for (const r of readers) {
      try {
        for (const loc of await r.discover(ctx)) if (!found.has(loc.key)) found.set(loc.key, loc);
      } catch (e) {
        notes.push(`${r.source}: could not list runs: ${(e as Error).message}`);
      }
    }
    const hp = ctx.memo.get('hydra.patterns') as { notes: string[] } | undefined;
    if (hp) notes.push(...hp.notes);
    const diff: RunsDiff = { added: [], changed: [], removed: [] };
    // vanished locations
    for (const [key, e] of this.entries) {
      if (found.has(key)) continue;
      this.entries.delete(key);
      diff.removed.push(...e.runs.map((r) => r.id));
    }
    const under = (loc: RunLocation) => changedAbs!.some((c) => c === loc.path || c.startsWith(loc.path + path.sep) || loc.path.startsWith(c + path.sep));
    for (const [key, loc] of found) {
      const old = this.entries.get(key);
      if (old) {
        const dirty = changedAbs ? under(loc) : stampOf(old.deps) !== old.stamp;
        if (!dirty) continue;
      }
      const reader = this.readers.find((r) => r.source === loc.source && readerOwns(r, loc))!;
      let runs: RunSummary[];
      let deps: string[];
      try {
        ({ runs, deps } = await reader.read(loc, ctx));
      } catch (e) {
        runs = [{ id: `${key}#error`, source: loc.source, name: path.basename(loc.path), status: 'unknown', folder: loc.path, workspaceFolder: this.root, params: {}, metrics: {}, warnings: [`could not be read: ${(e as Error).message}`] }];
        deps = [loc.path];
      }
      const prints = new Map(runs.map((r) => [r.id, JSON.stringify(r)]));
      this.entries.set(key, { loc, runs, deps, stamp: stampOf(deps), prints });
      for (const [id, p] of prints) {
        const before = old?.prints.get(id);
        if (before === undefined) diff.added.push(id);
        else if (before !== p) diff.changed.push(id);
      }
      for (const id of old?.prints.keys() ?? []) if (!prints.has(id)) diff.removed.push(id);
    }
    this.notes = notes;
    if (diff.added.length || diff.changed.length || diff.removed.length || this.version === 0) {
      this.version++;
      this.sorted = undefined;
      this.byId = undefined;
    }
    return diff;
  }

  /** Every run, newest first (runs without a start time last, by name). */
  list(): RunSummary[] {
    if (!this.sorted) {
      const all: RunSummary[] = [];
      for (const e of this.entries.values()) all.push(...e.runs);
      all.sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity) || a.name.localeCompare(b.name));
      this.sorted = all;
    }
    return this.sorted;
  }

  get(id: string): RunSummary | undefined {
    this.byId ??= new Map(this.list().map((r) => [r.id, r]));
    return this.byId.get(id);
  }

  /** Metric histories of runs (for the chart). */
  async history(ids: string[], metrics?: string[]): Promise<{ series: RunHistorySeries[]; warnings: string[] }> {
    const series: RunHistorySeries[] = [];
    const warnings: string[] = [];
    const ctx = this.context();
    for (const id of ids) {
      const run = this.get(id);
      if (!run) {
        warnings.push(`no run '${id}'`);
        continue;
      }
      const reader = this.readers.find((r) => r.source === run.source && r.history && ownsRun(r, run));
      if (!reader?.history) {
        warnings.push(`${run.name}: ${run.source} keeps no metric history on disk that can be read`);
        continue;
      }
      try {
        const s = await reader.history(run, metrics, ctx);
        if (!s.length) warnings.push(`${run.name}: no metric history found`);
        series.push(...s);
      } catch (e) {
        warnings.push(`${run.name}: ${(e as Error).message}`);
      }
    }
    return { series, warnings };
  }
}

/** MLflow has two readers (file store and mlflow.db): the location key tells which. */
function readerOwns(r: RunReader, loc: RunLocation): boolean {
  if (r === mlflowDbReader) return loc.key.startsWith('mlflow-db:');
  if (r === mlflowFileReader) return !loc.key.startsWith('mlflow-db:');
  return true;
}

function ownsRun(r: RunReader, run: RunSummary): boolean {
  if (r === mlflowDbReader) return run.id.startsWith('mlflow-db:');
  if (r === mlflowFileReader) return !run.id.startsWith('mlflow-db:');
  return true;
}

/** One-shot listing (the CLI): reads every run of a folder. */
export async function listRuns(root: string, options: RunIndexOptions = {}): Promise<{ runs: RunSummary[]; notes: string[] }> {
  const index = new RunIndex(root, options);
  await index.refresh();
  return { runs: index.list(), notes: index.notes };
}
