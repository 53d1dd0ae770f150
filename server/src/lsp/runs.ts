import * as path from 'node:path';
import type * as lsp from 'vscode-languageserver';
import { RunIndex } from '../engine/runs';
import { RunHistoryRequest, RunsChangedNotification, RunsListRequest, type RunsListResult, type RunSummary } from '../../../shared/protocol';
import { pathOfUri } from './convert';

/** File events in run folders are batched this long: a training run writes its files many times a second. */
const RUNS_DEBOUNCE_MS = 500;

/**
 * The runs view's server side: one RunIndex per workspace folder, built on the first request (a user who never opens
 * the view pays nothing), then kept current from file events (no polling) and announced with RunsChangedNotification.
 */
export class RunsService {
  private readonly indexes = new Map<string, RunIndex>();
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private version = 0;

  constructor(
    private readonly connection: lsp.Connection,
    private readonly workspace: () => { folders: string[]; trusted: boolean },
  ) {
    connection.onRequest(RunsListRequest, (p) => this.list(p.folder));
    connection.onRequest(RunHistoryRequest, async (p) => {
      const series: Awaited<ReturnType<RunIndex['history']>>['series'] = [];
      const warnings: string[] = [];
      for (const index of this.indexes.values()) {
        const mine = p.ids.filter((id) => index.get(id));
        if (!mine.length) continue;
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
        await index.refresh();
      }
      out.push(index);
    }
    return out;
  }

  async list(folder?: string): Promise<RunsListResult> {
    const t0 = Date.now();
    const indexes = await this.indexesFor(folder);
    let runs: RunSummary[] = [];
    const notes: string[] = [];
    for (const index of indexes) {
      runs = runs.length ? runs.concat(index.list()) : index.list();
      notes.push(...index.notes);
    }
    if (indexes.length > 1) runs = [...runs].sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity));
    return { runs, notes, version: this.version + indexes.reduce((n, i) => n + i.version, 0), durationMs: Date.now() - t0 };
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
    if (!any) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), RUNS_DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    const t0 = Date.now();
    const paths = [...this.pending];
    this.pending = new Set();
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    for (const [root, index] of this.indexes) {
      const mine: string[] = [];
      for (const p of paths) {
        const rel = path.relative(root, p);
        if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
        if (await index.concerns(rel.split(path.sep).join('/'))) mine.push(p);
      }
      if (!mine.length) continue;
      try {
        const d = await index.refresh(mine);
        added.push(...d.added);
        changed.push(...d.changed);
        removed.push(...d.removed);
      } catch (e) {
        this.connection.console.error(`mlops-hygiene: runs refresh failed in ${root}: ${(e as Error).message}`);
      }
    }
    if (added.length || changed.length || removed.length) {
      this.version++;
      const version = this.version + [...this.indexes.values()].reduce((n, i) => n + i.version, 0);
      void this.connection.sendNotification(RunsChangedNotification, { version, added, changed, removed, durationMs: Date.now() - t0 });
    }
  }

  /** After a re-listing of the workspace (checkout, trust change): read everything again on the next request. */
  reset(): void {
    this.indexes.clear();
  }
}
