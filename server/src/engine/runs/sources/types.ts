import type { RunHistorySeries, RunSummary } from '../../../../../shared/types';
import type { HttpOptions } from './http';

/** One page of a source's runs, newest first. */
export interface RunPage {
  runs: RunSummary[];
  /** Absent on the last page. Opaque: pass it back as `pageToken`. */
  nextPageToken?: string;
  /** What the source could not do or skipped (a filter term it cannot send, an experiment it could not read). */
  notes: string[];
}

export interface RunQuery {
  /**
   * The Runs view's filter text (`resnet lr=0.01 val_loss<0.3`). A remote source sends the terms its API can express
   * (MLflow filter string, W&B filters) so the server filters, not the laptop; the caller still applies the view's
   * own matching to what comes back.
   */
  filter?: string;
  pageToken?: string;
  /** Runs per page (a source may cap it). */
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * A place runs come from: the local readers of a workspace folder (LocalRunSource), an MLflow tracking server, a W&B
 * project. The CLI and the Runs view list, page and read details through this one interface.
 */
export interface RunProvider {
  /** Stable key: `local:<folder>`, `mlflow:<server>`, `wandb:<entity>/<project>`. */
  readonly key: string;
  /** For people: `MLflow server https://mlflow.example.com`. Never holds a credential. */
  readonly label: string;
  list(query?: RunQuery): Promise<RunPage>;
  /** Runs read in full (a page may carry less: W&B pages leave config out when asked to be light). */
  details(ids: string[], signal?: AbortSignal): Promise<RunSummary[]>;
  /** Metric histories (for the chart); `metrics` undefined: those the run lists in `historyMetrics`. */
  history(id: string, metrics?: string[], signal?: AbortSignal): Promise<RunHistorySeries[]>;
}

/** The network settings every remote source takes (transport, timeouts, retries, cancellation). */
export type RemoteOptions = HttpOptions;

/** Every page of a provider, one after the other; `onPage` sees each as it arrives (the view shows the first at once). */
export async function listAll(p: RunProvider, query: Omit<RunQuery, 'pageToken'> = {}, onPage?: (page: RunPage, index: number) => void): Promise<RunPage> {
  const runs: RunSummary[] = [];
  const notes: string[] = [];
  let token: string | undefined;
  for (let i = 0; ; i++) {
    const page = await p.list({ ...query, pageToken: token });
    for (const r of page.runs) runs.push(r);
    for (const n of page.notes) if (!notes.includes(n)) notes.push(n);
    onPage?.(page, i);
    if (!page.nextPageToken || page.nextPageToken === token) break;
    token = page.nextPageToken;
  }
  return { runs, notes };
}
