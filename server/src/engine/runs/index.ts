import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunHistorySeries, RunSummary } from '../../../../shared/types';
import { defaultRunFolderNames } from '../../../../shared/artefacts';
import { dvcExpsReader } from './dvcExps';
import { HYDRA_PATTERNS_MEMO, hydraReader } from './hydra';
import { lightningReader } from './lightning';
import { mlflowFileReader } from './mlflow';
import { mlflowDbReader } from './mlflowDb';
import type { RunLocation, RunReader, RunsContext } from './types';
import { wandbReader } from './wandb';
import { compareNames } from '../../../../shared/runFormat';
import { toPosix } from './util';
import { MARKER_STORES_MEMO, type MarkerStores } from './discover';
import { mayMarkRunFolder } from './folders';
import { BULK_DIRS } from '../workspace';

export * from './types';
export { findRunStores, hydraRunsIn, MAX_DISCOVERY_FOLDERS } from './discover';
export { nestedTrackers } from './nested';
export { hydraPatterns, compilePattern, segmentOf, DEFAULT_RUN_DIR, DEFAULT_SWEEP_DIR } from './hydra';
export { wandbConfigValues, checkWandbHeader, WANDB_HEADER } from './wandb';
export { parseMetricLine, latestPoint, mlflowStatus } from './mlflow';
export { loadSqlJs, MLFLOW_DB } from './mlflowDb';
export { parseCsv, finalValues } from './lightning';
export { parseExpRef, dvcFilesOf, catFileBatch } from './dvcExps';
export { parseJsonLoose, parseYamlLoose, parseFlatYaml, flattenParams, flattenMetrics } from './util';
export { formatTime, formatDuration, formatValue, runDescription, compareNames } from '../../../../shared/runFormat';

export const ALL_READERS: RunReader[] = [hydraReader, wandbReader, mlflowFileReader, mlflowDbReader, lightningReader, dvcExpsReader];

/** The tools' default run stores at the top of the workspace (their readers always list them). */
const DEFAULT_STORES = defaultRunFolderNames((f) => f.runs);

/** Folders where a change can alter the Hydra output settings. */
const CONFIG_PREFIXES = ['configs/', 'conf/', 'config/', 'src/'];

export interface RunIndexOptions {
  /** May spawn git (DVC experiments). False in untrusted workspaces. */
  useGit?: boolean;
  now?: () => number;
  readers?: RunReader[];
  /** Overrides LAZY_MIN_LOCATIONS (tests summarize small fixtures). */
  lazyMinLocations?: number;
}

export interface RefreshOptions {
  /**
   * Answer from summaries first (folder listings, no params/metrics) when the workspace has more than
   * `LAZY_MIN_LOCATIONS` run locations; `loadDetails` then reads the rest. Default false: everything is read.
   */
  lazy?: boolean;
}

/** Below this many run locations a lazy refresh reads everything at once: a full read is as fast as a summary. */
export const LAZY_MIN_LOCATIONS = 300;

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
  /** Only summarized (runs are `pending`): `loadDetails` reads it. */
  partial: boolean;
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
  private readonly lazyMin: number;
  private prefixes?: string[];
  /** Refreshes run one after the other. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Keys of partial entries, newest run first: the order `loadDetails` reads them in. */
  private queue: string[] = [];
  /** Location path -> key, to find the run folder a file event is in. */
  private byPath?: Map<string, string>;
  /** Context shared by the detail batches of one pass (memo of Hydra patterns, MLflow experiments, programs). */
  private detailCtx?: RunsContext;

  constructor(root: string, options: RunIndexOptions = {}) {
    this.root = path.resolve(root);
    this.readers = options.readers ?? ALL_READERS;
    this.useGit = options.useGit ?? true;
    this.now = options.now ?? Date.now;
    this.lazyMin = options.lazyMinLocations ?? LAZY_MIN_LOCATIONS;
  }

  /**
   * The Hydra output patterns (composing the configs lists the workspace and reads its configs): kept across passes
   * until a file under a config folder changes.
   */
  private hydraPatterns?: unknown;

  /** The run stores found by their markers (one bounded walk): kept across passes until a marker may have appeared. */
  private markerStores?: unknown;

  private context(): RunsContext {
    const memo = new Map<string, unknown>();
    if (this.hydraPatterns) memo.set(HYDRA_PATTERNS_MEMO, this.hydraPatterns);
    if (this.markerStores) memo.set(MARKER_STORES_MEMO, this.markerStores);
    return { root: this.root, useGit: this.useGit, now: this.now, memo };
  }

  /** Keeps the pass's Hydra patterns and marker stores for the next passes. */
  private keepPatterns(ctx: RunsContext): void {
    this.hydraPatterns ??= ctx.memo.get(HYDRA_PATTERNS_MEMO);
    this.markerStores ??= ctx.memo.get(MARKER_STORES_MEMO);
  }

  /**
   * A changed path whose name is a run marker (`.hydra`, `meta.yaml`, `run-*.wandb`, `metrics.csv`...) outside every
   * known run store: a store may have appeared where none was (a nested `mlruns/` under the Hydra output folder `logs/`,
   * the first run of `src/models/outputs`), so the stores are looked for again.
   */
  private async newMarker(rel: string): Promise<boolean> {
    if (rel.startsWith('..') || !mayMarkRunFolder(rel) || rel.split('/').some((s, i) => BULK_DIRS.has(s) || (i === 0 && (s === 'data' || s === '.dvc'))))
      return false;
    await this.watchPrefixes(); // the marker stores are known from here on
    const stores = [...DEFAULT_STORES, ...((this.markerStores as MarkerStores | undefined)?.stores.map((st) => st.dir) ?? [])];
    return !stores.some((d) => rel === d || rel.startsWith(d + '/'));
  }

  /** Workspace-relative prefixes where a file event may concern runs (run folders, mlflow.db, git refs, configs). */
  async watchPrefixes(): Promise<string[]> {
    if (!this.prefixes) {
      const ctx = this.context();
      const all = new Set<string>(CONFIG_PREFIXES);
      for (const r of this.readers) for (const p of await r.watchPrefixes(ctx)) all.add(p);
      this.keepPatterns(ctx);
      this.prefixes = [...all];
    }
    return this.prefixes;
  }

  /** True when a file event at `rel` (workspace-relative, POSIX) may change the list of runs. */
  async concerns(rel: string): Promise<boolean> {
    const prefixes = await this.watchPrefixes();
    return prefixes.some((p) => rel === p.replace(/\/$/, '') || rel.startsWith(p.endsWith('/') ? p : p + '/') || rel === p) || (await this.newMarker(rel));
  }

  /**
   * Brings the index up to date. `changed`: absolute or workspace-relative paths from file events (only locations under
   * them are re-read); omitted: every location's files are compared by (mtime, size). Concurrent calls are merged.
   */
  refresh(changed?: string[], options: RefreshOptions = {}): Promise<RunsDiff> {
    return this.queued(() => this.doRefresh(changed, options));
  }

  private queued<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Runs still `pending` (summarized, params and metrics not read). */
  get pending(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.partial) n += e.runs.length;
    return n;
  }

  /**
   * Reads params and metrics of summarized runs: those with `ids` (a run the user expands), else up to `limit`
   * locations in newest-first order, stopping after `budgetMs` (background batches; without either, all). Runs one after
   * the other with refreshes.
   */
  loadDetails(options: { ids?: string[]; limit?: number; budgetMs?: number } = {}): Promise<RunsDiff> {
    return this.queued(() => this.doLoadDetails(options));
  }

  private async doLoadDetails(options: { ids?: string[]; limit?: number; budgetMs?: number }): Promise<RunsDiff> {
    const diff: RunsDiff = { added: [], changed: [], removed: [] };
    let keys: string[];
    if (options.ids) {
      const wanted = new Set(options.ids);
      keys = [];
      for (const [key, e] of this.entries) if (e.partial && e.runs.some((r) => wanted.has(r.id))) keys.push(key);
    } else {
      const limit = options.limit ?? Infinity;
      keys = [];
      while (keys.length < limit && this.queue.length) {
        const k = this.queue.shift()!;
        if (this.entries.get(k)?.partial) keys.push(k);
      }
    }
    if (!keys.length) return diff;
    const ctx = (this.detailCtx ??= this.context());
    const until = options.budgetMs !== undefined ? performance.now() + options.budgetMs : Infinity;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (performance.now() > until) {
        this.queue.unshift(...keys.slice(i)); // out of time: the rest first next time
        break;
      }
      const old = this.entries.get(key)!;
      const fresh = await this.readLocation(old.loc, ctx, false);
      this.setEntry(key, fresh, old);
      const before = new Set(old.runs.map((r) => r.id));
      for (const r of fresh.runs) (before.has(r.id) ? diff.changed : diff.added).push(r.id);
      const after = new Set(fresh.runs.map((r) => r.id));
      for (const id of before) if (!after.has(id)) diff.removed.push(id);
    }
    if (!this.queue.length && !this.pending) this.detailCtx = undefined;
    this.touch();
    return diff;
  }

  /** The known run location a path (absolute) is in or is: its key, else undefined (a new folder, or not a run). */
  locationOf(abs: string): string | undefined {
    if (!this.byPath) {
      this.byPath = new Map();
      for (const [key, e] of this.entries) this.byPath.set(e.loc.path, key);
    }
    let p = path.resolve(abs);
    for (let i = 0; i < 12 && p.length >= this.root.length; i++) {
      const k = this.byPath.get(p);
      if (k) return k;
      const up = path.dirname(p);
      if (up === p) break;
      p = up;
    }
    return undefined;
  }

  private touch(): void {
    this.version++;
    this.sorted = undefined;
  }

  /** Stores an entry and keeps the id and path maps current (rebuilding them for 10,000 runs after each new run costs tens of ms). */
  private setEntry(key: string, fresh: Entry, old: Entry | undefined): void {
    this.entries.set(key, fresh);
    this.byPath?.set(fresh.loc.path, key);
    if (!this.byId) return;
    for (const r of old?.runs ?? []) this.byId.delete(r.id);
    for (const r of fresh.runs) this.byId.set(r.id, r);
  }

  /** Reads (or summarizes) one location; a reader that throws gives one run with the error as a warning. */
  private readLocation(loc: RunLocation, ctx: RunsContext, summary: boolean): Entry | Promise<Entry> {
    const reader = this.readers.find((r) => r.source === loc.source && readerOwns(r, loc))!;
    if (summary && reader.summarize) {
      // synchronous: 10,000 summaries without 10,000 awaits
      try {
        const { runs, deps } = reader.summarize(loc, ctx);
        return { loc, runs, deps, stamp: runs.length ? '' : stampOf(deps), partial: runs.length > 0 };
      } catch (e) {
        return this.failed(loc, e);
      }
    }
    return this.readFull(reader, loc, ctx);
  }

  private failed(loc: RunLocation, e: unknown): Entry {
    const runs: RunSummary[] = [
      {
        id: `${loc.key}#error`,
        source: loc.source,
        name: path.basename(loc.path),
        status: 'unknown',
        folder: loc.path,
        workspaceFolder: this.root,
        params: {},
        metrics: {},
        warnings: [`could not be read: ${(e as Error).message}`],
      },
    ];
    return { loc, runs, deps: [loc.path], stamp: stampOf([loc.path]), partial: false };
  }

  private async readFull(reader: RunReader, loc: RunLocation, ctx: RunsContext): Promise<Entry> {
    let runs: RunSummary[];
    let deps: string[];
    try {
      ({ runs, deps } = await reader.read(loc, ctx));
    } catch (e) {
      return this.failed(loc, e);
    }
    return { loc, runs, deps, stamp: stampOf(deps), partial: false };
  }

  private async doRefresh(changed: string[] | undefined, options: RefreshOptions): Promise<RunsDiff> {
    const ctx = this.context();
    const notes: string[] = [];
    if (!this.useGit) notes.push('Restricted mode: DVC experiments (git refs) are not read.');
    const changedAbs = changed?.map((c) => (path.isAbsolute(c) ? path.resolve(c) : path.join(this.root, c)));
    const changedRels = changedAbs?.map((c) => toPosix(path.relative(this.root, c)));
    const configChanged = changedRels?.some((rel) => CONFIG_PREFIXES.some((p) => rel.startsWith(p)));
    // a marker outside the known places (a new nested mlruns/, a first run in src/models/outputs): walk again
    let markerChanged = !changedRels;
    if (changedRels && this.markerStores) for (const rel of changedRels) if (await this.newMarker(rel)) markerChanged = true;
    // a refresh without event paths (the Refresh button) or a config change composes the configs again
    if (!changedAbs || configChanged) {
      this.prefixes = undefined;
      this.hydraPatterns = undefined;
      ctx.memo.delete(HYDRA_PATTERNS_MEMO);
    }
    if (markerChanged) {
      this.prefixes = undefined;
      this.markerStores = undefined;
      ctx.memo.delete(MARKER_STORES_MEMO);
    }
    // with hints, only the readers whose places the changed paths are in look again (a new W&B run does not make the
    // index list 2,500 Lightning folders); a config change may move Hydra's folders, a new marker add a store: then all
    // look again
    let readers = this.readers;
    if (changedAbs && this.entries.size && !configChanged && !markerChanged) {
      const ctxRels = changedAbs.map((c) => toPosix(path.relative(this.root, c)));
      const concerned: RunReader[] = [];
      for (const r of this.readers) {
        const prefixes = await r.watchPrefixes(ctx);
        if (ctxRels.some((rel) => prefixes.some((p) => rel === p.replace(/\/$/, '') || rel.startsWith(p.endsWith('/') ? p : p + '/')))) concerned.push(r);
      }
      readers = concerned;
    }
    // only the locations of the readers that look again are compared; the others' entries stay as they are (a new W&B
    // run costs one listing of wandb/, not a pass over 10,000 entries)
    const limited = readers !== this.readers;
    const found = new Map<string, RunLocation>();
    for (const r of readers) {
      try {
        for (const loc of await r.discover(ctx)) if (!found.has(loc.key)) found.set(loc.key, loc);
      } catch (e) {
        notes.push(`${r.source}: could not list runs: ${(e as Error).message}`);
      }
    }
    const hp = ctx.memo.get(HYDRA_PATTERNS_MEMO) as Promise<{ notes: string[] }> | undefined;
    if (hp) notes.push(...(await hp).notes);
    const ms = ctx.memo.get(MARKER_STORES_MEMO) as MarkerStores | undefined;
    if (ms) notes.push(...ms.notes);
    this.keepPatterns(ctx);
    const diff: RunsDiff = { added: [], changed: [], removed: [] };
    // vanished locations
    for (const [key, e] of this.entries) {
      if (found.has(key) || (limited && !readers.some((r) => r.source === e.loc.source && readerOwns(r, e.loc)))) continue;
      this.entries.delete(key);
      for (const r of e.runs) this.byId?.delete(r.id);
      this.byPath?.delete(e.loc.path);
      diff.removed.push(...e.runs.map((r) => r.id));
    }
    const below = changedAbs?.map((c) => c + path.sep);
    const SEP = path.sep.charCodeAt(0);
    // the location is a changed path, holds one, or lies below one (no string built per location)
    const under = (loc: RunLocation) =>
      changedAbs!.some(
        (c, i) =>
          c === loc.path || (c.length > loc.path.length && c.charCodeAt(loc.path.length) === SEP && c.startsWith(loc.path)) || loc.path.startsWith(below![i]),
      );
    const summary = !!options.lazy && found.size > this.lazyMin;
    let partials = false;
    for (const [key, loc] of found) {
      const old = this.entries.get(key);
      if (old) {
        const dirty = changedAbs ? under(loc) : stampOf(old.deps) !== old.stamp;
        if (!dirty) continue;
      }
      // a location read again after a change is read in full (it is one run folder); only first sight is summarized
      // (a summary's stamp is left empty: a refresh without event paths then reads the location in full)
      const got = this.readLocation(loc, ctx, summary && !old);
      const fresh = got instanceof Promise ? await got : got;
      partials ||= fresh.partial;
      this.setEntry(key, fresh, old);
      if (!old) {
        for (const r of fresh.runs) diff.added.push(r.id);
        continue;
      }
      // changed or not: compare with what was there (printed only for the few locations read again)
      const before = new Map(old.runs.map((r) => [r.id, r]));
      for (const r of fresh.runs) {
        const b = before.get(r.id);
        if (!b) diff.added.push(r.id);
        else if (old.partial || JSON.stringify(b) !== JSON.stringify(r)) diff.changed.push(r.id);
      }
      const now = new Set(fresh.runs.map((r) => r.id));
      for (const id of before.keys()) if (!now.has(id)) diff.removed.push(id);
    }
    this.notes = notes;
    if (diff.added.length || diff.changed.length || diff.removed.length || this.version === 0) this.touch();
    if (partials) {
      // newest first: the order of the list (which the first list request then has ready); a summarized location holds
      // one run whose id is its key
      const queue: string[] = [];
      for (const r of this.list()) if (r.pending && this.entries.get(r.id)?.partial) queue.push(r.id);
      for (const [k, e] of this.entries) if (e.partial && e.runs[0]?.id !== k) queue.push(k); // any other: last
      this.queue = queue;
      this.detailCtx = undefined;
    }
    return diff;
  }

  /** Every run, newest first (runs without a start time last, by name). */
  list(): RunSummary[] {
    if (!this.sorted) {
      const all: RunSummary[] = [];
      for (const e of this.entries.values()) all.push(...e.runs);
      all.sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity) || compareNames(a.name, b.name));
      this.sorted = all;
    }
    return this.sorted;
  }

  /**
   * Builds the id and path maps now (they are kept current afterwards). The server calls this when it is idle after
   * reading, so the first refresh after a new run does not pay for mapping 10,000 runs (about 30 ms).
   */
  prepareLookups(): void {
    this.get('');
    this.locationOf(this.root);
  }

  get(id: string): RunSummary | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const e of this.entries.values()) for (const r of e.runs) this.byId.set(r.id, r);
    }
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
export {
  findRunFolders,
  runFolderKind,
  collapseRunFolders,
  listingTree,
  diskTree,
  mayMarkRunFolder,
  RunFolderIndex,
  WANDB_DIR_RE,
  type RunFolder,
  type RunTool,
  type FolderTree,
} from './folders';
