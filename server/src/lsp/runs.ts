import * as path from 'node:path';
import type * as lsp from 'vscode-languageserver';
import { RunIndex } from '../engine/runs';
import { runsTable } from '../engine/runs/table';
import { mergeRemoteRuns } from '../engine/runs/sources/wandbCloud';
import {
  RunDetailsRequest,
  RunHistoryRequest,
  RunsChangedNotification,
  RunsListRequest,
  RunsTableRequest,
  type RunsListResult,
  type RunSummary,
  type WireRun,
} from '../../../shared/protocol';
import { runFromWire, runToWire } from '../../../shared/runCodec';
import { pathOfUri } from './convert';

/** Quiet time after the last file event before runs are read again: a burst (a sweep creating ten folders) is one refresh. */
export const RUNS_DEBOUNCE_MS = 25;
/** A steady stream of events (a live W&B run writes files many times a second) still flushes at least this often. */
export const RUNS_MAX_WAIT_MS = 250;
/** One run folder is read again at most this often: a live run costs one re-read a second, never a refresh storm. */
export const RUN_MIN_INTERVAL_MS = 1000;
/** A background batch of run reading stops after this long; between batches the server answers requests. */
const DETAILS_BATCH_MS = 40;
/** A change notification carries the changed runs themselves up to this many (else the client lists again). */
const INLINE_RUNS_MAX = 200;

/**
 * The runs view's server side: one RunIndex per workspace folder, built on the first request (a user who never opens
 * the view pays nothing). A large workspace is answered from summaries (folder listings) first; params and metrics are
 * then read in the background in batches, or at once for the runs a request names. Kept current from file events (no
 * polling) and announced with RunsChangedNotification.
 */
export class RunsService {
  private readonly indexes = new Map<string, RunIndex>();
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  /** When the oldest event still waiting arrived (for RUNS_MAX_WAIT_MS). */
  private firstPendingAt?: number;
  /** `<root>\0<location key>` -> when it was last read after a file event. */
  private readonly lastRead = new Map<string, number>();
  private details?: Promise<void>;
  private version = 0;
  /** The last list in its wire form, for the same version and folders (the view and Tag Model Version ask again). */
  private wire?: { version: number; key: string; runs: WireRun[] };
  /** How many flushes read something (tests check that a live run does not cause a storm). */
  flushes = 0;

  constructor(
    private readonly connection: lsp.Connection,
    private readonly workspace: () => { folders: string[]; trusted: boolean },
  ) {
    connection.onRequest(RunsListRequest, (p) => this.list(p.folder, p.complete));
    connection.onRequest(RunsTableRequest, async (p) => {
      const t0 = Date.now();
      const indexes = await this.indexesFor(p.folder);
      // pending runs are read in the background; the table asks again on the change notification
      if (indexes.some((i) => i.pending)) void this.readDetails();
      let runs: RunSummary[] = [];
      for (const index of indexes) runs = runs.length ? runs.concat(index.list()) : index.list();
      // the tracking services' runs the view shows (fetched by the client): merged as the view merges them
      if (p.remote?.length)
        runs = mergeRemoteRuns(
          runs,
          p.remote.map((s) => ({ runs: s.runs.map((w) => runFromWire(w)), wandbProject: s.wandbProject ?? undefined, complete: !!s.complete })),
        );
      if (p.ids) {
        const wanted = new Set(p.ids);
        runs = runs.filter((r) => wanted.has(r.id));
      }
      return { ...runsTable(runs), version: this.versionNow(), durationMs: Date.now() - t0 };
    });
    connection.onRequest(RunDetailsRequest, async (p) => {
      const runs: RunSummary[] = [];
      for (const index of this.indexes.values()) {
        const mine = p.ids.filter((id) => index.get(id));
        if (!mine.length) continue;
        if (mine.some((id) => index.get(id)!.pending)) await index.loadDetails({ ids: mine });
        for (const id of mine) runs.push(index.get(id)!);
      }
      const order = new Map(p.ids.map((id, i) => [id, i]));
      return { runs: runs.sort((a, b) => order.get(a.id)! - order.get(b.id)!) };
    });
    connection.onRequest(RunHistoryRequest, async (p) => {
      const series: Awaited<ReturnType<RunIndex['history']>>['series'] = [];
      const warnings: string[] = [];
      for (const index of this.indexes.values()) {
        const mine = p.ids.filter((id) => index.get(id));
        if (!mine.length) continue;
        // the chart needs the runs' files: read pending runs first
        if (mine.some((id) => index.get(id)!.pending)) await index.loadDetails({ ids: mine });
        const h = await index.history(mine, p.metrics);
        series.push(...h.series);
        warnings.push(...h.warnings);
      }
      const found = new Set(series.map((s) => s.runId));
      for (const id of p.ids) if (!found.has(id) && ![...this.indexes.values()].some((i) => i.get(id))) warnings.push(`no run '${id}' (refresh the view)`);
      return { series, warnings };
    });
  }

  private async indexesFor(folder?: string): Promise<RunIndex[]> {
    const { folders, trusted } = this.workspace();
    const wanted = folder ? folders.filter((f) => path.resolve(f) === path.resolve(folder)) : folders;
    const out: RunIndex[] = [];
    for (const f of wanted) {
      let index = this.indexes.get(f);
      if (!index) {
        index = new RunIndex(f, { useGit: trusted });
        this.indexes.set(f, index);
        await index.refresh(undefined, { lazy: true });
      }
      out.push(index);
    }
    return out;
  }

  async list(folder?: string, complete?: boolean): Promise<RunsListResult> {
    const t0 = Date.now();
    const indexes = await this.indexesFor(folder);
    if (indexes.some((i) => i.pending)) {
      const loading = this.readDetails();
      if (complete) await loading;
    }
    const notes: string[] = [];
    for (const index of indexes) notes.push(...index.notes);
    const version = this.versionNow();
    const workspaceFolder = indexes[0]?.root;
    const key = indexes.map((i) => i.root).join('\0');
    if (this.wire?.version !== version || this.wire.key !== key) {
      let runs: RunSummary[] = [];
      for (const index of indexes) runs = runs.length ? runs.concat(index.list()) : index.list();
      if (indexes.length > 1) runs = [...runs].sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity));
      this.wire = { version, key, runs: runs.map((r) => runToWire(r, workspaceFolder)) };
    }
    const pending = indexes.reduce((n, i) => n + i.pending, 0);
    return { runs: this.wire.runs, workspaceFolder, notes, version, durationMs: Date.now() - t0, pending };
  }

  private versionNow(): number {
    return this.version + [...this.indexes.values()].reduce((n, i) => n + i.version, 0);
  }

  /**
   * Reads the params and metrics of summarized runs in batches, newest first, yielding to requests between batches;
   * one RunsChangedNotification when all are read. Resolves then (one loop at a time).
   */
  private readDetails(): Promise<void> {
    this.details ??= (async () => {
      const t0 = Date.now();
      const changed: string[] = [];
      const added: string[] = [];
      const removed: string[] = [];
      // started from a list request: its response is written from a setImmediate of the message writer, queued after
      // any of ours; a timer lets it go first (a 40 ms batch of reading before it delayed the first level of 10,000 runs)
      await new Promise((r) => setTimeout(r, 0));
      for (let any = true; any;) {
        any = false;
        for (const index of [...this.indexes.values()]) {
          if (!index.pending) continue;
          any = true;
          // a list of 10,000 runs is megabytes of JSON: reading waits until it has left (else each write chunk waits a batch)
          await outputIdle();
          try {
            const d = await index.loadDetails({ budgetMs: DETAILS_BATCH_MS });
            changed.push(...d.changed);
            added.push(...d.added);
            removed.push(...d.removed);
          } catch (e) {
            this.connection.console.error(`mlops-hygiene: reading run details failed in ${index.root}: ${(e as Error).message}`);
            return;
          }
        }
      }
      if (changed.length || added.length || removed.length) this.notify({ added, changed, removed }, Date.now() - t0);
      await outputIdle();
      for (const index of this.indexes.values()) index.prepareLookups();
    })().finally(() => (this.details = undefined));
    return this.details;
  }

  private notify(diff: { added: string[]; changed: string[]; removed: string[] }, durationMs: number): void {
    this.version++;
    const only = this.indexes.size === 1 ? [...this.indexes.values()][0] : undefined;
    const ids = [...diff.added, ...diff.changed];
    const runs =
      only && ids.length <= INLINE_RUNS_MAX
        ? ids
            .map((id) => only.get(id))
            .filter((r): r is RunSummary => !!r)
            .map((r) => runToWire(r, only.root))
        : undefined;
    const pending = [...this.indexes.values()].reduce((n, i) => n + i.pending, 0);
    void this.connection.sendNotification(RunsChangedNotification, {
      version: this.versionNow(),
      ...diff,
      durationMs,
      runs,
      workspaceFolder: only?.root,
      pending,
    });
  }

  /**
   * Called with every file event, before the diagnostics side drops those in ignored folders (wandb/, outputs/ are
   * usually ignored, and they are exactly where runs appear).
   */
  fileEvents(changes: lsp.FileEvent[]): void {
    if (!this.indexes.size) return;
    let any = false;
    for (const c of changes) {
      const abs = pathOfUri(c.uri);
      if (!abs) continue;
      this.pending.add(abs);
      any = true;
    }
    if (any) this.schedule(RUNS_DEBOUNCE_MS);
  }

  /** Trailing debounce, but never later than RUNS_MAX_WAIT_MS after the oldest waiting event. */
  private schedule(delay: number): void {
    const now = Date.now();
    this.firstPendingAt ??= now;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushSafely(), Math.max(0, Math.min(delay, this.firstPendingAt + RUNS_MAX_WAIT_MS - now)));
  }

  private flushSafely(): void {
    this.flush().catch((e) => this.connection.console.error(`mlops-hygiene: runs refresh failed: ${(e as Error)?.stack ?? String(e)}`));
  }

  private async flush(): Promise<void> {
    const t0 = Date.now();
    this.timer = undefined;
    this.firstPendingAt = undefined;
    const paths = [...this.pending];
    this.pending = new Set();
    for (const [k, t] of this.lastRead) if (t0 - t >= RUN_MIN_INTERVAL_MS) this.lastRead.delete(k);
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    let retryIn = Infinity;
    for (const [root, index] of this.indexes) {
      const mine: string[] = [];
      for (const p of paths) {
        const rel = path.relative(root, p);
        if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
        if (!(await index.concerns(rel.split(path.sep).join('/')))) continue;
        // throttled per run folder; a path in no known run folder (wandb/debug.log) by itself
        const last = this.lastRead.get(`${root}\0${index.locationOf(p) ?? p}`);
        if (last !== undefined) {
          // read less than a second ago (a live run writing): wait until the second is over, with all its events
          this.pending.add(p);
          retryIn = Math.min(retryIn, last + RUN_MIN_INTERVAL_MS - t0);
          continue;
        }
        mine.push(p);
      }
      if (!mine.length) continue;
      try {
        const d = await index.refresh(mine);
        added.push(...d.added);
        changed.push(...d.changed);
        removed.push(...d.removed);
        const now = Date.now();
        for (const p of mine) this.lastRead.set(`${root}\0${index.locationOf(p) ?? p}`, now);
        this.flushes++;
      } catch (e) {
        this.connection.console.error(`mlops-hygiene: runs refresh failed in ${root}: ${(e as Error).message}`);
      }
    }
    if (this.pending.size) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flushSafely(), Math.max(0, retryIn));
    }
    if (added.length || changed.length || removed.length) this.notify({ added, changed, removed }, Date.now() - t0);
  }

  /** After a re-listing of the workspace (checkout, trust change): read everything again on the next request. */
  reset(): void {
    this.indexes.clear();
    this.lastRead.clear();
    this.wire = undefined;
  }
}

/** Bytes the server has queued for the client and not yet written (stdio or the IPC channel VS Code uses). */
function outputBacklog(): number {
  const channel = (process as { channel?: { writeQueueSize?: number } }).channel;
  return (channel?.writeQueueSize ?? 0) + (process.stdout.writableLength ?? 0);
}

/** Resolves once pending I/O had its turn and the output queue is empty (at most 2 s). */
async function outputIdle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 400 && outputBacklog() > 0; i++) await new Promise((r) => setTimeout(r, 5));
}
