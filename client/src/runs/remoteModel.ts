/**
 * The remote part of the Runs view as plain data (no `vscode` import: mocha tests it against the fake servers): the
 * runs of each configured tracking service, loaded first page first and the rest in the background, cancellable, kept
 * in a cache that is shown at once on the next open; and the message rows (a failure with the action to take, cached
 * data being refreshed) that the tree shows above the runs.
 */
import type { RunHistorySeries, RunSummary } from '../../../shared/protocol';
import { RemoteError } from '../../../server/src/engine/runs/sources/http';
import type { RunProvider } from '../../../server/src/engine/runs/sources/types';
import { mergeRemoteRuns, WandbCloudSource, type RemoteRunSet } from '../../../server/src/engine/runs/sources/wandbCloud';

/** The first page is small so the view shows it at once; the others are large so 10,000 runs take ten requests. */
export const FIRST_PAGE = 200;
export const NEXT_PAGE = 1000;
/** Runs kept per source in the cache (workspace state): the newest. */
export const CACHE_MAX = 5000;

export interface CacheStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface SourceState {
  key: string;
  label: string;
  runs: RunSummary[];
  loading: boolean;
  complete: boolean;
  error?: { kind: RemoteError['kind']; message: string; action: string };
  /** When `runs` were fetched (epoch ms). */
  fetchedAt?: number;
  /** `runs` come from the cache of an earlier session; a refresh is running or failed. */
  fromCache?: boolean;
  /** The filter the server applied to `runs` ('' for all). */
  filter: string;
}

export interface MessageRow {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  /** A command the row runs when clicked. */
  command?: { command: string; title: string; arguments?: unknown[] };
  severity: 'error' | 'info';
}

interface CacheEntry {
  fetchedAt: number;
  runs: RunSummary[];
}

export class RemoteRuns {
  private readonly state = new Map<string, SourceState>();
  private ctl?: AbortController;
  private listeners: (() => void)[] = [];
  /** Resolves when the background pages of the current load are all read (or it failed or was cancelled). */
  done: Promise<void> = Promise.resolve();

  constructor(
    readonly providers: RunProvider[],
    private readonly cache?: CacheStore,
    private readonly now: () => number = Date.now,
  ) {
    for (const p of providers) {
      const cached = cache?.get<CacheEntry>(cacheKey(p));
      this.state.set(p.key, {
        key: p.key,
        label: p.label,
        runs: cached?.runs ?? [],
        loading: false,
        complete: false,
        fetchedAt: cached?.fetchedAt,
        fromCache: !!cached,
        filter: '',
      });
    }
  }

  onChange(cb: () => void): { dispose(): void } {
    this.listeners.push(cb);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== cb)) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  states(): SourceState[] {
    return [...this.state.values()];
  }

  /** Stops the background pages (the view was closed). What was read stays. */
  cancel(): void {
    this.ctl?.abort();
    this.ctl = undefined;
  }

  /**
   * (Re)loads every source with the view's filter (sent to the servers as their filter languages). Resolves when each
   * source has its first page (or failed); the other pages follow in the background (`done`), each announced.
   */
  async load(filter = ''): Promise<void> {
    this.cancel();
    const ctl = (this.ctl = new AbortController());
    const background: Promise<void>[] = [];
    await Promise.all(
      this.providers.map(async (p) => {
        const st = this.state.get(p.key)!;
        st.loading = true;
        st.error = undefined;
        this.changed();
        try {
          const first = await p.list({ filter, pageSize: FIRST_PAGE, signal: ctl.signal });
          if (ctl.signal.aborted) return;
          // a cached list larger than the first page stays on screen until the fresh one is complete
          const keepCached = !!st.fromCache && filter === '' && st.runs.length > first.runs.length && !!first.nextPageToken;
          if (!keepCached) {
            st.runs = first.runs;
            st.fromCache = false;
            st.fetchedAt = this.now();
          }
          st.filter = filter;
          st.complete = !first.nextPageToken;
          st.loading = !st.complete;
          this.changed();
          if (first.nextPageToken) background.push(this.rest(p, st, filter, first.nextPageToken, ctl, keepCached ? [...first.runs] : st.runs));
          else await this.save(p, st);
        } catch (e) {
          this.fail(st, e, ctl);
        }
      }),
    );
    this.done = Promise.all(background).then(() => undefined);
  }

  private async rest(p: RunProvider, st: SourceState, filter: string, token: string, ctl: AbortController, runs: RunSummary[]): Promise<void> {
    let next: string | undefined = token;
    const swap = runs !== st.runs;
    try {
      while (next && !ctl.signal.aborted) {
        const page = await p.list({ filter, pageToken: next, pageSize: NEXT_PAGE, signal: ctl.signal });
        for (const r of page.runs) runs.push(r);
        next = page.nextPageToken;
        st.complete = !next;
        st.loading = !!next;
        if (!swap || st.complete) {
          st.runs = runs;
          st.fromCache = false;
          st.fetchedAt ??= this.now();
          if (swap) st.fetchedAt = this.now();
        }
        this.changed();
      }
      if (st.complete) await this.save(p, st);
    } catch (e) {
      this.fail(st, e, ctl);
    }
  }

  private fail(st: SourceState, e: unknown, ctl: AbortController): void {
    st.loading = false;
    if (e instanceof RemoteError && e.kind === 'cancelled') return this.changed();
    if (ctl.signal.aborted) return this.changed();
    st.error =
      e instanceof RemoteError
        ? { kind: e.kind, message: e.message, action: e.action }
        : { kind: 'bad-response', message: `${st.label}: ${(e as Error).message}`, action: 'Refresh the view; if it persists, report it.' };
    this.changed();
  }

  /** Only unfiltered, complete lists are cached: the next open shows what the project has, not what a filter kept. */
  private async save(p: RunProvider, st: SourceState): Promise<void> {
    if (!this.cache || st.filter) return;
    await this.cache.update(cacheKey(p), { fetchedAt: st.fetchedAt ?? this.now(), runs: st.runs.slice(0, CACHE_MAX) } satisfies CacheEntry);
  }

  /**
   * The local runs with every source's: MLflow server runs added, W&B cloud runs merged with the local wandb/ folders
   * of the same runs (one run, its sync state).
   */
  merged(local: RunSummary[]): RunSummary[] {
    return mergeRemoteRuns(local, this.sets());
  }

  /** Every source's runs as `mergeRemoteRuns` takes them (the experiments table sends them to the server). */
  sets(): RemoteRunSet[] {
    return this.providers.map((p) => {
      const st = this.state.get(p.key)!;
      return p instanceof WandbCloudSource
        ? { runs: st.runs, wandbProject: p.key.slice('wandb:'.length), complete: st.complete && !st.filter }
        : { runs: st.runs };
    });
  }

  /** The provider a run id belongs to (`mlflow-server:...`, `wandb-cloud:...`), for details and history. */
  providerOf(id: string): RunProvider | undefined {
    for (const p of this.providers) if (this.state.get(p.key)!.runs.some((r) => r.id === id)) return p;
    return undefined;
  }

  async history(ids: string[], metrics?: string[]): Promise<{ series: RunHistorySeries[]; warnings: string[] }> {
    const series: RunHistorySeries[] = [];
    const warnings: string[] = [];
    for (const id of ids) {
      const p = this.providerOf(id);
      if (!p) continue;
      try {
        series.push(...(await p.history(id, metrics)));
      } catch (e) {
        warnings.push(e instanceof RemoteError ? `${e.message}. ${e.action}` : (e as Error).message);
      }
    }
    return { series, warnings };
  }

  /** The rows above the runs: a failure with its action, a cached list being refreshed, a load in progress. */
  messages(format: (ms: number) => string = (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')): MessageRow[] {
    const rows: MessageRow[] = [];
    for (const st of this.state.values()) {
      const n = st.runs.length;
      if (st.error) {
        const command =
          st.error.kind === 'unauthorized' || st.error.kind === 'forbidden'
            ? { command: 'mlopsHygiene.runs.setCredentials', title: 'Set Credentials' }
            : st.error.kind === 'config' || st.error.kind === 'not-found'
              ? { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mlopsHygiene.'] }
              : { command: 'mlopsHygiene.runs.refresh', title: 'Retry' };
        const shown = n ? ` Showing ${n} run${n === 1 ? '' : 's'} fetched ${st.fetchedAt ? format(st.fetchedAt) : 'earlier'}.` : '';
        rows.push({
          id: `message:${st.key}`,
          label: st.error.message,
          description: `${command.title}…`,
          tooltip: `${st.error.message}\n${st.error.action}${shown}`,
          command,
          severity: 'error',
        });
      } else if (st.fromCache && n) {
        rows.push({
          id: `message:${st.key}`,
          label: `${st.label}: ${n} runs from ${st.fetchedAt ? format(st.fetchedAt) : 'an earlier session'}`,
          description: st.loading ? 'refreshing…' : 'cached',
          tooltip: 'Shown from the cache of the last session while the server is asked again.',
          severity: 'info',
        });
      } else if (st.loading) {
        rows.push({
          id: `message:${st.key}`,
          label: `${st.label}: ${n} runs so far`,
          description: 'reading…',
          tooltip: 'The first page is shown; the others are read in the background.',
          severity: 'info',
        });
      }
    }
    return rows;
  }
}

function cacheKey(p: RunProvider): string {
  return `mlopsHygiene.remoteRuns:${p.key}`;
}
