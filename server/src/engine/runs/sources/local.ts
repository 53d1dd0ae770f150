/** The local readers (RunIndex over a workspace folder) behind the same RunProvider interface as the remote sources. */
import type { RunHistorySeries, RunSummary } from '../../../../../shared/types';
import { RunIndex, type RunIndexOptions } from '../index';
import type { RunPage, RunProvider, RunQuery } from './types';

export class LocalRunSource implements RunProvider {
  readonly key: string;
  readonly label: string;
  private refreshed?: Promise<unknown>;

  constructor(readonly index: RunIndex) {
    this.key = `local:${index.root}`;
    this.label = `runs on disk in ${index.root}`;
  }

  static of(root: string, options: RunIndexOptions = {}): LocalRunSource {
    return new LocalRunSource(new RunIndex(root, options));
  }

  /**
   * Pages of the index's list (newest first); the token is the offset. The filter is left to the caller (the view's
   * matching is the local one). The first call reads the folder.
   */
  async list(query: RunQuery = {}): Promise<RunPage> {
    this.refreshed ??= this.index.refresh();
    await this.refreshed;
    const all = this.index.list();
    const from = Number(query.pageToken ?? 0) || 0;
    const size = query.pageSize ?? all.length;
    const runs = all.slice(from, from + size);
    return { runs, nextPageToken: from + size < all.length ? String(from + size) : undefined, notes: from === 0 ? [...this.index.notes] : [] };
  }

  async details(ids: string[]): Promise<RunSummary[]> {
    if (ids.some((id) => this.index.get(id)?.pending)) await this.index.loadDetails({ ids });
    return ids.map((id) => this.index.get(id)).filter((r): r is RunSummary => !!r);
  }

  async history(id: string, metrics?: string[]): Promise<RunHistorySeries[]> {
    return (await this.index.history([id], metrics)).series;
  }
}
