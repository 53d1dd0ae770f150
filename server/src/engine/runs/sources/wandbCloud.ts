/**
 * A W&B project through the public GraphQL API (POST <base>/graphql, the API key as HTTP basic user `api`), the query
 * the public Python API (`wandb.Api().runs`) sends:
 *   project(name: $project, entityName: $entity) { runs(filters: $filters, after: $cursor, first: $perPage, order: $order)
 *     { edges { node { id name displayName state config summaryMetrics createdAt heartbeatAt commit sweepName } cursor }
 *       pageInfo { endCursor hasNextPage } } }
 * `name` is the run id (the `<id>` of a local `wandb/run-<time>-<id>` folder), `displayName` what people call it,
 * `config` and `summaryMetrics` JSON strings (config values wrapped as `{value, desc}`), `createdAt` an ISO time in UTC.
 * History on demand: `run(name:) { sampledHistory(specs: ["{\"keys\": [\"_step\", m], \"samples\": N}"]) }`, one list
 * of rows per spec.
 */
import type { RunHistorySeries, RunSummary } from '../../../../../shared/types';
import { emptyRun, flattenMetrics, flattenParams } from '../util';
import type { WandbConfig } from './config';
import { RemoteError, redactUrl, requestJson, type HttpOptions } from './http';
import { toWandbFilters } from './filter';
import type { RunPage, RunProvider, RunQuery } from './types';

export const WANDB_PAGE_MAX = 500;
/** Points per metric in a chart (sampledHistory samples). */
const HISTORY_SAMPLES = 1500;

const RUN_FIELDS = 'id name displayName state config summaryMetrics createdAt heartbeatAt commit sweepName';

const RUNS_QUERY = `query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int, $order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
      edges { node { ${RUN_FIELDS} } cursor }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;

const RUN_QUERY = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) { run(name: $name) { ${RUN_FIELDS} } }
}`;

const HISTORY_QUERY = `query RunSampledHistory($project: String!, $entity: String!, $name: String!, $specs: [JSONString!]!) {
  project(name: $project, entityName: $entity) { run(name: $name) { sampledHistory(specs: $specs) } }
}`;

interface WandbNode {
  id?: string;
  name?: string;
  displayName?: string;
  state?: string;
  config?: string | Record<string, unknown>;
  summaryMetrics?: string | Record<string, unknown>;
  createdAt?: string;
  heartbeatAt?: string;
  commit?: string | null;
  sweepName?: string | null;
}

function wandbStatus(s: unknown): RunSummary['status'] {
  switch (s) {
    case 'running':
    case 'pending':
      return 'running';
    case 'finished':
      return 'finished';
    case 'failed':
    case 'crashed':
      return 'failed';
    case 'killed':
    case 'preempted':
      return 'killed';
    default:
      return 'unknown';
  }
}

/** W&B writes `2024-05-01T12:30:00` (UTC, no zone). */
function utc(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : t + 'Z');
  return Number.isFinite(ms) ? ms : undefined;
}

/** JSONString fields: a string to parse (NaN and Infinity tolerated), or already an object. */
function jsonField(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  if (typeof v !== 'string' || !v) return {};
  try {
    const x = JSON.parse(v.replace(/\bNaN\b|-?\bInfinity\b/g, 'null')) as unknown;
    return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Config values as W&B stores them (`{key: {value, desc}}`), unwrapped; `_wandb` and `wandb_version` left out. The
 * local reader's `wandbConfigValues` does the same for config.yaml; it is not imported here because its module pulls
 * the Hydra readers into the extension's bundle, which runs this source.
 */
function configValues(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === '_wandb' || k === 'wandb_version') continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object) ? (v as { value: unknown }).value : v;
  }
  return out;
}

export class WandbCloudSource implements RunProvider {
  readonly key: string;
  readonly label: string;
  private readonly path: string;

  constructor(
    private readonly cfg: WandbConfig,
    private readonly http: HttpOptions = {},
  ) {
    this.path = `${cfg.entity}/${cfg.project}`;
    this.key = `wandb:${this.path}`;
    this.label = `W&B project ${this.path}`;
  }

  private async gql(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<{ project?: { runs?: unknown; run?: unknown } | null }> {
    if (!this.cfg.apiKey)
      throw new RemoteError(
        'unauthorized',
        `${this.label}: no W&B API key`,
        'Set WANDB_API_KEY, run `wandb login` (it writes ~/.netrc), or use MLOps Hygiene: Set Tracking Server Credentials (W&B: API key).',
      );
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Basic ' + Buffer.from(`api:${this.cfg.apiKey}`).toString('base64'),
    };
    const r = (await requestJson(
      `${this.cfg.baseUrl}/graphql`,
      { method: 'POST', headers, body: JSON.stringify({ query, variables }) },
      `W&B (${redactUrl(this.cfg.baseUrl)})`,
      { ...this.http, signal: signal ?? this.http.signal },
    )) as { data?: { project?: { runs?: unknown; run?: unknown } | null }; errors?: { message?: string }[] };
    if (r.errors?.length && !r.data?.project) {
      const msg = r.errors
        .map((e) => e.message ?? '')
        .join('; ')
        .slice(0, 200);
      if (/permission|not authorized|unauthorized/i.test(msg))
        throw new RemoteError('forbidden', `${this.label}: ${msg}`, 'Your key has no access to this project: check the entity name and your team membership.');
      throw new RemoteError('bad-response', `${this.label}: ${msg}`, 'Check the entity/project name.');
    }
    if (!r.data?.project)
      throw new RemoteError(
        'not-found',
        `${this.label} does not exist or is not visible to this API key`,
        'Check entity/project (the path in the project URL: wandb.ai/<entity>/<project>).',
      );
    return r.data;
  }

  async list(query: RunQuery = {}): Promise<RunPage> {
    const notes: string[] = [];
    const { filters, unsent } = toWandbFilters(query.filter);
    if (unsent.length && query.filter)
      notes.push(`${this.label}: filter terms matched after download: ${unsent.map((t) => (t.key ? `${t.key}${t.op}${t.value}` : t.value)).join(' ')}`);
    const perPage = Math.max(1, Math.min(query.pageSize ?? WANDB_PAGE_MAX, WANDB_PAGE_MAX));
    const data = await this.gql(
      RUNS_QUERY,
      {
        project: this.cfg.project,
        entity: this.cfg.entity,
        cursor: query.pageToken ?? null,
        perPage,
        order: '-created_at',
        filters: filters ? JSON.stringify(filters) : null,
      },
      query.signal,
    );
    const conn = (data.project?.runs ?? {}) as { edges?: { node?: WandbNode }[]; pageInfo?: { endCursor?: string | null; hasNextPage?: boolean } };
    const runs: RunSummary[] = [];
    for (const e of conn.edges ?? []) if (e.node?.name) runs.push(this.toSummary(e.node));
    const next = conn.pageInfo?.hasNextPage && conn.pageInfo.endCursor ? conn.pageInfo.endCursor : undefined;
    return { runs, nextPageToken: next, notes };
  }

  async details(ids: string[], signal?: AbortSignal): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const id of ids) {
      const name = this.nameOf(id);
      if (!name) continue;
      const data = await this.gql(RUN_QUERY, { project: this.cfg.project, entity: this.cfg.entity, name }, signal);
      const node = data.project?.run as WandbNode | null | undefined;
      if (node?.name) out.push(this.toSummary(node));
    }
    return out;
  }

  async history(id: string, metrics?: string[], signal?: AbortSignal): Promise<RunHistorySeries[]> {
    const name = this.nameOf(id);
    if (!name) return [];
    const keys = metrics ?? (await this.details([id], signal))[0]?.historyMetrics ?? [];
    if (!keys.length) return [];
    const specs = keys.map((k) => JSON.stringify({ keys: ['_step', k], samples: HISTORY_SAMPLES }));
    const data = await this.gql(HISTORY_QUERY, { project: this.cfg.project, entity: this.cfg.entity, name, specs }, signal);
    const lists = ((data.project?.run as { sampledHistory?: unknown[] } | null)?.sampledHistory ?? []) as unknown[];
    return keys.map((metric, i) => {
      const rows = Array.isArray(lists[i]) ? (lists[i] as unknown[]) : [];
      const points: [number, number | null][] = [];
      for (const row of rows) {
        const o = jsonField(row);
        const step = typeof o._step === 'number' ? o._step : points.length;
        const v = o[metric];
        points.push([step, typeof v === 'number' && Number.isFinite(v) ? v : null]);
      }
      points.sort((a, b) => a[0] - b[0]);
      return { runId: id, metric, points };
    });
  }

  /** `wandb-cloud:<entity>/<project>/<name>` -> name. */
  private nameOf(id: string): string | undefined {
    const prefix = `wandb-cloud:${this.path}/`;
    return id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
  }

  private toSummary(n: WandbNode): RunSummary {
    const name = n.name!;
    const run = emptyRun({
      id: `wandb-cloud:${this.path}/${name}`,
      source: 'wandb',
      name: n.displayName || name,
      experiment: this.path,
      details: { runId: name, project: this.path, sync: 'in the cloud' },
    });
    run.status = wandbStatus(n.state);
    const created = utc(n.createdAt);
    if (created !== undefined) run.startTime = created;
    if (n.commit) run.gitCommit = n.commit;
    if (n.sweepName) run.details!.sweep = n.sweepName;
    run.params = flattenParams(configValues(jsonField(n.config)));
    const summary = jsonField(n.summaryMetrics);
    run.metrics = flattenMetrics(summary, {}, '', (k) => k.startsWith('_'));
    const runtime = (summary._wandb as { runtime?: unknown } | undefined)?.runtime ?? summary._runtime;
    if (typeof runtime === 'number' && Number.isFinite(runtime)) run.durationMs = Math.round(runtime * 1000);
    else if (run.status !== 'running' && created !== undefined) {
      const hb = utc(n.heartbeatAt);
      if (hb !== undefined && hb >= created) run.durationMs = hb - created;
    }
    const hist = Object.keys(run.metrics).filter((k) => typeof run.metrics[k] === 'number');
    if (hist.length) run.historyMetrics = hist.sort();
    return run;
  }
}

/**
 * Local `wandb/run-*-<id>` folders and the cloud runs of a project as one list: a folder whose run id is in the cloud is
 * one run (the folder's, so its files open) with `sync: synced to <project>`; a cloud run without a folder is listed as
 * it is (`in the cloud`); an online folder missing from a complete cloud list says so (`not in <project>`: another
 * project, or not synced yet). Offline folders keep what the local reader said unless the cloud has them.
 */
export function mergeWandbRuns(local: RunSummary[], cloud: RunSummary[], projectPath: string, cloudComplete: boolean): RunSummary[] {
  const byId = new Map<string, RunSummary>();
  for (const c of cloud) byId.set(c.details?.runId ?? '', c);
  const out: RunSummary[] = [];
  const used = new Set<string>();
  for (const l of local) {
    if (l.source !== 'wandb' || !l.details?.runId) {
      out.push(l);
      continue;
    }
    const c = byId.get(l.details.runId);
    if (c) {
      used.add(l.details.runId);
      // a copy: the local run (the language server's index holds it) is left as it is
      const merged: RunSummary = { ...l, metrics: { ...l.metrics }, details: { ...l.details, sync: `synced to ${projectPath}`, cloudState: c.status } };
      if (c.name !== l.details.runId && merged.name === l.details.runId) merged.name = c.name;
      if (!merged.gitCommit && c.gitCommit) merged.gitCommit = c.gitCommit;
      if (c.details?.sweep) merged.details!.sweep = c.details.sweep;
      // a run that finished elsewhere (the folder is a copy) or whose local summary is missing: the cloud knows
      if (merged.status === 'unknown') merged.status = c.status;
      for (const [k, v] of Object.entries(c.metrics)) if (!(k in merged.metrics)) merged.metrics[k] = v;
      out.push(merged);
    } else {
      if (cloudComplete && l.details.mode !== 'offline')
        out.push({ ...l, details: { ...l.details, sync: `not in ${projectPath} (another project, or not synced yet)` } });
      else out.push(l);
    }
  }
  for (const c of cloud) if (!used.has(c.details?.runId ?? '')) out.push(c);
  return out;
}

/** What a tracking service holds, as the Runs view has it: its runs, and for W&B the project they are merged by. */
export interface RemoteRunSet {
  runs: RunSummary[];
  /** `entity/project` of a W&B project: its runs are merged with the local wandb/ folders of the same runs. */
  wandbProject?: string;
  /** Every run of the source was read, unfiltered (a W&B folder missing from it is then `not in <project>`). */
  complete?: boolean;
}

/**
 * The local runs with the tracking services' runs, newest first: MLflow server runs added, W&B cloud runs merged with
 * their local folders (`mergeWandbRuns`). The one merge of the Runs view's tree and of the experiments table.
 */
export function mergeRemoteRuns(local: RunSummary[], sets: readonly RemoteRunSet[]): RunSummary[] {
  let out = local;
  const extra: RunSummary[] = [];
  for (const s of sets) {
    if (s.wandbProject !== undefined) out = mergeWandbRuns(out, s.runs, s.wandbProject, !!s.complete);
    else for (const r of s.runs) extra.push(r);
  }
  if (!extra.length && out === local) return local;
  return out.concat(extra).sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity));
}
