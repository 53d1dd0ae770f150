/**
 * An MLflow tracking server through its REST API 2.0 (https://mlflow.org/docs/latest/rest-api.html):
 * - POST api/2.0/mlflow/experiments/search {max_results, page_token, view_type} -> {experiments: [{experiment_id, name,
 *   lifecycle_stage, ...}], next_page_token}
 * - POST api/2.0/mlflow/runs/search {experiment_ids, filter, run_view_type: ACTIVE_ONLY, max_results, order_by,
 *   page_token} -> {runs: [{info: {run_id, run_name, experiment_id, status, start_time, end_time, lifecycle_stage, ...},
 *   data: {metrics: [{key, value, timestamp, step}], params: [{key, value}], tags: [{key, value}]}}], next_page_token}
 * - GET api/2.0/mlflow/runs/get?run_id= -> {run}
 * - GET api/2.0/mlflow/metrics/get-history?run_id=&metric_key=&max_results=&page_token= -> {metrics, next_page_token}
 * Deleted runs are never listed (ACTIVE_ONLY); the view's filter goes to the server as an MLflow filter string.
 */
import type { RunHistorySeries, RunSummary } from '../../../../../shared/types';
import { mlflowStatus } from '../mlflow';
import { emptyRun, MAX_KEYS } from '../util';
import { authHeader, type MlflowServerConfig } from './config';
import { RemoteError, redactUrl, requestJson, type HttpOptions } from './http';
import { toMlflowFilter } from './filter';
import type { RunPage, RunProvider, RunQuery } from './types';

/** MLflow's guaranteed maximum for runs/search is 50,000; pages of 1,000 keep each answer small. */
export const MLFLOW_PAGE_MAX = 1000;
/** Experiments per runs/search call (a server may refuse very long experiment_ids lists). */
const EXPERIMENTS_PER_SEARCH = 100;
/** Experiments asked for per experiments/search page (every server supports at least 1,000). */
const EXPERIMENTS_PAGE = 1000;
/** experiments/search pages followed at most (100,000 experiments at 1,000 a page; 200 pages of a server's own 500). */
export const MAX_EXPERIMENT_PAGES = 200;

interface KV {
  key: string;
  value: unknown;
}
interface MlflowRun {
  info?: {
    run_id?: string;
    run_uuid?: string;
    run_name?: string;
    experiment_id?: string;
    status?: string;
    start_time?: number | string;
    end_time?: number | string;
    lifecycle_stage?: string;
    user_id?: string;
    artifact_uri?: string;
  };
  data?: { metrics?: (KV & { step?: number | string; timestamp?: number | string })[]; params?: KV[]; tags?: KV[] };
}

/** MLflow's JSON writes NaN and infinities of doubles as strings (protobuf JSON): they become null, as on disk. */
function metricValue(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export class MlflowServerSource implements RunProvider {
  readonly key: string;
  readonly label: string;
  private experiments?: Promise<Map<string, string>>;
  /** Set when experiments/search had more pages than MAX_EXPERIMENT_PAGES (a note on every page of runs). */
  private experimentsCut?: string;
  private readonly host: string;

  constructor(
    private readonly cfg: MlflowServerConfig,
    private readonly http: HttpOptions = {},
  ) {
    this.key = `mlflow:${cfg.baseUrl}`;
    this.label = `MLflow server ${redactUrl(cfg.baseUrl)}`;
    this.host = new URL(cfg.baseUrl).host;
  }

  private url(endpoint: string): string {
    return `${this.cfg.baseUrl}/api/2.0/mlflow/${endpoint}`;
  }

  private call(endpoint: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const headers = { accept: 'application/json', ...authHeader(this.cfg.auth) };
    if (body === undefined)
      return requestJson(this.url(endpoint), { method: 'GET', headers }, this.label, { ...this.http, signal: signal ?? this.http.signal });
    return requestJson(
      this.url(endpoint),
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
      this.label,
      { ...this.http, signal: signal ?? this.http.signal },
    );
  }

  /**
   * Active experiments, id -> name: every page of experiments/search, following `next_page_token` (a server may answer
   * fewer than the 1,000 asked for: it chooses its own maximum), at most MAX_EXPERIMENT_PAGES pages, stopping on a token
   * that comes back unchanged; the signal cancels it between pages and during each request.
   */
  experimentNames(signal?: AbortSignal): Promise<Map<string, string>> {
    this.experiments ??= (async () => {
      const names = new Map<string, string>();
      let token: string | undefined;
      const seen = new Set<string>();
      for (let page = 0; ; page++) {
        if (page >= MAX_EXPERIMENT_PAGES) {
          this.experimentsCut = `${this.label}: more than ${MAX_EXPERIMENT_PAGES} pages of experiments (${names.size} read); the runs of the others are not listed`;
          break;
        }
        if (signal?.aborted) throw new RemoteError('cancelled', 'cancelled', ''); // as requestJson says it
        const r = (await this.call(
          'experiments/search',
          { max_results: EXPERIMENTS_PAGE, view_type: 'ACTIVE_ONLY', ...(token ? { page_token: token } : {}) },
          signal,
        )) as { experiments?: { experiment_id?: string; name?: string; lifecycle_stage?: string }[]; next_page_token?: string };
        for (const e of r.experiments ?? [])
          if (e.experiment_id && e.lifecycle_stage !== 'deleted') names.set(String(e.experiment_id), e.name ?? String(e.experiment_id));
        token = r.next_page_token || undefined;
        if (!token || seen.has(token)) break; // the last page, or a server that repeats itself
        seen.add(token);
      }
      return names;
    })();
    // a failure (or a cancellation) is not kept: the next list asks again
    this.experiments.catch(() => (this.experiments = undefined));
    return this.experiments;
  }

  /**
   * One page of runs over all active experiments, newest first. The page token is MLflow's, prefixed by the index of
   * the experiment chunk it belongs to (one runs/search covers up to 100 experiments).
   */
  async list(query: RunQuery = {}): Promise<RunPage> {
    const names = await this.experimentNames(query.signal);
    const ids = [...names.keys()];
    const notes: string[] = [];
    const { filter, unsent } = toMlflowFilter(query.filter);
    if (unsent.length && query.filter)
      notes.push(
        `${this.label}: filter terms matched after download (MLflow filters cannot express them): ${unsent.map((t) => (t.key ? `${t.key}${t.op}${t.value}` : t.value)).join(' ')}`,
      );
    if (this.experimentsCut) notes.push(this.experimentsCut);
    if (this.cfg.databricks)
      notes.push(`${this.label} is a Databricks workspace: runs are read with the same REST API (token auth); workspace experiment paths are shown as names.`);
    if (!ids.length) return { runs: [], notes };
    let chunk = 0;
    let token: string | undefined;
    if (query.pageToken) {
      const m = /^(\d+):(.*)$/s.exec(query.pageToken);
      chunk = m ? Number(m[1]) : 0;
      token = m?.[2] || undefined;
    }
    const size = Math.max(1, Math.min(query.pageSize ?? MLFLOW_PAGE_MAX, MLFLOW_PAGE_MAX));
    const body = {
      experiment_ids: ids.slice(chunk * EXPERIMENTS_PER_SEARCH, (chunk + 1) * EXPERIMENTS_PER_SEARCH),
      ...(filter ? { filter } : {}),
      run_view_type: 'ACTIVE_ONLY',
      max_results: size,
      order_by: ['attributes.start_time DESC'],
      ...(token ? { page_token: token } : {}),
    };
    const r = (await this.call('runs/search', body, query.signal)) as { runs?: MlflowRun[]; next_page_token?: string };
    const runs: RunSummary[] = [];
    for (const raw of r.runs ?? []) {
      const run = this.toSummary(raw, names);
      if (run) runs.push(run);
    }
    let next: string | undefined;
    if (r.next_page_token) next = `${chunk}:${r.next_page_token}`;
    else if ((chunk + 1) * EXPERIMENTS_PER_SEARCH < ids.length) next = `${chunk + 1}:`;
    return { runs, nextPageToken: next, notes };
  }

  /** A search result is complete (params, latest metrics, tags): details only re-reads runs by id (runs/get). */
  async details(ids: string[], signal?: AbortSignal): Promise<RunSummary[]> {
    const names = await this.experimentNames(signal);
    const out: RunSummary[] = [];
    for (const id of ids) {
      const runId = this.runIdOf(id);
      if (!runId) continue;
      const r = (await this.call(`runs/get?run_id=${encodeURIComponent(runId)}`, undefined, signal)) as { run?: MlflowRun };
      const run = r.run && this.toSummary(r.run, names);
      if (run) out.push(run);
    }
    return out;
  }

  async history(id: string, metrics?: string[], signal?: AbortSignal): Promise<RunHistorySeries[]> {
    const runId = this.runIdOf(id);
    if (!runId) return [];
    let keys = metrics;
    if (!keys) keys = (await this.details([id], signal))[0]?.historyMetrics ?? [];
    const series: RunHistorySeries[] = [];
    for (const key of keys) {
      const points: [number, number | null][] = [];
      let token: string | undefined;
      do {
        const q = `run_id=${encodeURIComponent(runId)}&metric_key=${encodeURIComponent(key)}&max_results=25000${token ? `&page_token=${encodeURIComponent(token)}` : ''}`;
        const r = (await this.call(`metrics/get-history?${q}`, undefined, signal)) as {
          metrics?: { value?: unknown; step?: unknown; timestamp?: unknown }[];
          next_page_token?: string;
        };
        for (const m of r.metrics ?? []) points.push([num(m.step) ?? 0, metricValue(m.value)]);
        token = r.next_page_token || undefined;
      } while (token);
      points.sort((a, b) => a[0] - b[0]);
      series.push({ runId: id, metric: key, points });
    }
    return series;
  }

  /** `mlflow-server:<host>/<run_id>` -> run_id (undefined for another server's run). */
  private runIdOf(id: string): string | undefined {
    const prefix = `mlflow-server:${this.host}/`;
    return id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
  }

  private toSummary(raw: MlflowRun, names: Map<string, string>): RunSummary | undefined {
    const info = raw.info ?? {};
    const runId = info.run_id ?? info.run_uuid;
    if (!runId || info.lifecycle_stage === 'deleted') return undefined;
    const expId = info.experiment_id !== undefined ? String(info.experiment_id) : '';
    const run = emptyRun({
      id: `mlflow-server:${this.host}/${runId}`,
      source: 'mlflow',
      name: info.run_name || runId,
      experiment: names.get(expId) ?? expId,
      details: { runId, experimentId: expId, server: redactUrl(this.cfg.baseUrl) },
    });
    run.status = mlflowStatus(info.status);
    const start = num(info.start_time);
    const end = num(info.end_time);
    if (start !== undefined) run.startTime = start;
    if (start !== undefined && end !== undefined && end >= start) run.durationMs = end - start;
    if (info.user_id) run.details!.user = info.user_id;
    const data = raw.data ?? {};
    let n = 0;
    for (const p of data.params ?? []) {
      if (n++ >= MAX_KEYS) {
        run.warnings.push(`more than ${MAX_KEYS} params: the rest are not shown`);
        break;
      }
      run.params[p.key] = p.value === undefined || p.value === null ? null : String(p.value);
    }
    const history: string[] = [];
    for (const m of data.metrics ?? []) {
      run.metrics[m.key] = metricValue(m.value);
      history.push(m.key);
    }
    if (history.length) run.historyMetrics = history.sort();
    for (const t of data.tags ?? []) {
      const v = t.value === undefined || t.value === null ? '' : String(t.value);
      if (t.key === 'mlflow.runName' && run.name === runId && v) run.name = v;
      else if (t.key === 'mlflow.source.git.commit' && v) run.gitCommit = v.trim();
      else if (t.key === 'mlflow.parentRunId' && v) {
        run.details!.parentRun = v;
        run.parentId = `mlflow-server:${this.host}/${v.trim()}`; // the view nests it under its parent
      } else if (t.key === 'mlflow.source.git.branch' && v) run.details!.branch = v;
      else if (t.key === 'mlflow.source.name' && v) run.details!.source = v;
      else if (t.key === 'mlflow.user' && v) run.details!.user ??= v;
    }
    return run;
  }
}
