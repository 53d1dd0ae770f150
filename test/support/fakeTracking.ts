/**
 * Small tracking servers for the tests, on 127.0.0.1 at a random port: an MLflow tracking server (REST API 2.0) and the
 * W&B GraphQL endpoint, written from the documented request and response shapes (the facts are listed where each
 * endpoint is answered). They check auth, paginate with opaque tokens, and can fail (500 then 200, 401, 403), be slow,
 * or hold 10,000 runs. Every request is recorded for assertions. Nothing here contacts another address.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a request body as the test sent it: any JSON
  body: any;
  authorization?: string;
}

export interface FakeBehaviour {
  /** Required Authorization header value (e.g. `Bearer t0k`, `Basic ...`); others get 401. */
  requireAuth?: string;
  /** Answer 403 to an authenticated request. */
  forbid?: boolean;
  /** Answer the first N requests of each path with this status (500, 503, 429) before answering normally. */
  failFirst?: { count: number; status: number; retryAfter?: string };
  /** Wait this long before answering every request. */
  delayMs?: number;
}

export class FakeServer {
  readonly requests: Recorded[] = [];
  private server?: http.Server;
  private failed = new Map<string, number>();
  url = '';
  behaviour: FakeBehaviour = {};

  constructor(private readonly handle: (r: Recorded) => { status?: number; body: unknown }) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://127.0.0.1');
        const text = Buffer.concat(chunks).toString('utf8');
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Recorded.body
        let body: any;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const rec: Recorded = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body, authorization: req.headers.authorization };
        this.requests.push(rec);
        const answer = () => {
          if (res.destroyed) return;
          const b = this.behaviour;
          const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { 'content-type': 'application/json', ...headers });
            res.end(JSON.stringify(payload));
          };
          if (b.failFirst) {
            const n = this.failed.get(rec.path) ?? 0;
            if (n < b.failFirst.count) {
              this.failed.set(rec.path, n + 1);
              return send(
                b.failFirst.status,
                { error_code: 'INTERNAL_ERROR', message: 'try again' },
                b.failFirst.retryAfter ? { 'retry-after': b.failFirst.retryAfter } : {},
              );
            }
          }
          // MLflow's auth (basic-auth app) answers 401 "You are not authenticated"; 403 "Permission denied"
          if (b.requireAuth && rec.authorization !== b.requireAuth)
            return send(401, {
              error_code: 'UNAUTHENTICATED',
              message: 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html',
            });
          if (b.forbid) return send(403, { error_code: 'PERMISSION_DENIED', message: 'Permission denied' });
          try {
            const out = this.handle(rec);
            send(out.status ?? 200, out.body);
          } catch (e) {
            send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: (e as Error).message });
          }
        };
        if (this.behaviour.delayMs) setTimeout(answer, this.behaviour.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const token = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64');
const offsetOf = (t: unknown) => (typeof t === 'string' && t ? (JSON.parse(Buffer.from(t, 'base64').toString()) as { offset: number }).offset : 0);

// ------------------------------------------------------------------ MLflow

export interface FakeMlflowRun {
  info: {
    run_id: string;
    run_uuid?: string;
    run_name?: string;
    experiment_id: string;
    user_id?: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage: 'active' | 'deleted';
  };
  data: {
    metrics?: { key: string; value: number | string; timestamp: number; step: number }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
  /** metric key -> [step, value][] for get-history */
  history?: Record<string, [number, number | string][]>;
}

/** A filter expression of the subset the engine sends: `<kind>.<name> <op> <value>` joined by AND. */
function matchesFilter(run: FakeMlflowRun, filter: string): boolean {
  if (!filter) return true;
  return filter.split(/\s+AND\s+/i).every((expr) => {
    const m = /^(attributes|params|metrics|tags)\.(`[^`]+`|[A-Za-z_][\w]*)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(expr.trim());
    if (!m) throw new Error(`Error on parsing filter '${filter}'`);
    const name = m[2].replace(/`/g, '');
    const raw = m[4].trim();
    const value = /^'.*'$/.test(raw) ? raw.slice(1, -1).replace(/\\'/g, "'") : Number(raw);
    let have: string | number | undefined;
    if (m[1] === 'attributes') have = name === 'status' ? run.info.status : name === 'run_name' ? run.info.run_name : undefined;
    else if (m[1] === 'params') have = run.data.params?.find((p) => p.key === name)?.value;
    else if (m[1] === 'tags') have = run.data.tags?.find((p) => p.key === name)?.value;
    else {
      const v = run.data.metrics?.find((p) => p.key === name)?.value;
      have = v === undefined ? undefined : Number(v);
    }
    if (have === undefined) return false;
    switch (m[3]) {
      case '=':
        return have === value;
      case '!=':
        return have !== value;
      case '<':
        return have < value;
      case '<=':
        return have <= value;
      case '>':
        return have > value;
      default:
        return have >= value;
    }
  });
}

/**
 * MLflow REST API 2.0 facts (mlflow.org/docs/latest/rest-api.html), as this server answers them:
 * - the API lives under /api/2.0/mlflow/ on the tracking server;
 * - POST experiments/search {max_results, page_token, filter, order_by, view_type} -> {experiments: [{experiment_id,
 *   name, artifact_location, lifecycle_stage}], next_page_token}; next_page_token absent on the last page; a server may
 *   answer fewer than max_results per page (`experimentsPageMax`); `repeatExperimentToken` makes a broken server that
 *   answers the first page again for every token;
 * - POST runs/search {experiment_ids, filter, run_view_type (ACTIVE_ONLY | DELETED_ONLY | ALL, default ACTIVE_ONLY),
 *   max_results (default 1000; servers support at least 50,000), order_by, page_token} -> {runs: [{info, data}],
 *   next_page_token}; info {run_id, run_uuid (deprecated), run_name, experiment_id, user_id, status (RUNNING,
 *   SCHEDULED, FINISHED, FAILED, KILLED), start_time, end_time (epoch ms), artifact_uri, lifecycle_stage (active |
 *   deleted)}; data {metrics: [{key, value, timestamp, step}] (latest values), params: [{key, value}], tags: [{key,
 *   value}]} with tags mlflow.runName, mlflow.source.git.commit, mlflow.parentRunId, mlflow.user;
 * - GET runs/get?run_id= -> {run};
 * - GET metrics/get-history?run_id=&metric_key=&max_results=&page_token= -> {metrics: [{key, value, timestamp, step}],
 *   next_page_token};
 * - errors: an HTTP status with {error_code, message} (RESOURCE_DOES_NOT_EXIST is 404, INVALID_PARAMETER_VALUE 400).
 * - a double that is NaN or infinite is written as the string "NaN" / "Infinity" (protobuf JSON).
 */
export function fakeMlflow(
  experiments: { experiment_id: string; name: string; lifecycle_stage?: string }[],
  runs: FakeMlflowRun[],
  opts: { experimentsPageMax?: number; repeatExperimentToken?: boolean } = {},
): FakeServer {
  return new FakeServer((r) => {
    const p = r.path.replace(/^\/api\/2\.0\/mlflow\//, '');
    if (p === r.path) return { status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: `no ${r.path}` } };
    if (p === 'experiments/search' && r.method === 'POST') {
      // "Servers may select a desired default max_results value": a server's own cap wins over what was asked
      const max = Math.min(r.body?.max_results ?? 1000, opts.experimentsPageMax ?? Infinity);
      const from = opts.repeatExperimentToken ? 0 : offsetOf(r.body?.page_token);
      const all = experiments.filter((e) => (e.lifecycle_stage ?? 'active') === 'active' || r.body?.view_type === 'ALL');
      const page = all.slice(from, from + max).map((e) => ({ artifact_location: `mlflow-artifacts:/${e.experiment_id}`, lifecycle_stage: 'active', ...e }));
      return { body: { experiments: page, ...(from + max < all.length ? { next_page_token: token(from + max) } : {}) } };
    }
    if (p === 'runs/search' && r.method === 'POST') {
      const ids = new Set<string>((r.body?.experiment_ids ?? []).map(String));
      const view = r.body?.run_view_type ?? 'ACTIVE_ONLY';
      const max = r.body?.max_results ?? 1000;
      if (max > 50000) throw new Error('Invalid value for request parameter max_results. It must be at most 50000');
      const from = offsetOf(r.body?.page_token);
      const all = runs
        .filter((x) => ids.has(x.info.experiment_id))
        .filter((x) => view === 'ALL' || (view === 'DELETED_ONLY' ? x.info.lifecycle_stage === 'deleted' : x.info.lifecycle_stage === 'active'))
        .filter((x) => matchesFilter(x, r.body?.filter ?? ''))
        .sort((a, b) => b.info.start_time - a.info.start_time || (a.info.run_id < b.info.run_id ? -1 : 1));
      const page = all.slice(from, from + max).map(({ info, data }) => ({ info: { run_uuid: info.run_id, ...info }, data }));
      return { body: { runs: page, ...(from + max < all.length ? { next_page_token: token(from + max) } : {}) } };
    }
    if (p === 'runs/get' && r.method === 'GET') {
      const run = runs.find((x) => x.info.run_id === r.query.get('run_id'));
      if (!run) return { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run '${r.query.get('run_id')}' not found` } };
      return { body: { run: { info: run.info, data: run.data } } };
    }
    if (p === 'metrics/get-history' && r.method === 'GET') {
      const run = runs.find((x) => x.info.run_id === r.query.get('run_id'));
      if (!run) return { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'run not found' } };
      const key = r.query.get('metric_key') ?? '';
      const max = Number(r.query.get('max_results') ?? 25000);
      const from = offsetOf(r.query.get('page_token'));
      const pts = run.history?.[key] ?? [];
      const page = pts.slice(from, from + max).map(([step, value], i) => ({ key, value, timestamp: 1_700_000_000_000 + from + i, step }));
      return { body: { metrics: page, ...(from + max < pts.length ? { next_page_token: token(from + max) } : {}) } };
    }
    return { status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: `no ${r.method} ${r.path}` } };
  });
}

/** n runs in one experiment "big" (id 1), one param and two metrics each, newest first by index. */
export function manyMlflowRuns(n: number, experimentId = '1'): FakeMlflowRun[] {
  const out: FakeMlflowRun[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      info: {
        run_id: `r${String(i).padStart(6, '0')}`,
        run_name: `run-${i}`,
        experiment_id: experimentId,
        status: i % 10 === 0 ? 'FAILED' : 'FINISHED',
        start_time: 1_700_000_000_000 + i * 1000,
        end_time: 1_700_000_000_000 + i * 1000 + 500,
        lifecycle_stage: 'active',
        user_id: 'ci',
      },
      data: {
        params: [{ key: 'lr', value: String(0.001 * (i % 7)) }],
        metrics: [
          { key: 'loss', value: 1 / (i + 1), timestamp: 1, step: 10 },
          { key: 'acc', value: (i % 100) / 100, timestamp: 1, step: 10 },
        ],
        tags: [{ key: 'mlflow.runName', value: `run-${i}` }],
      },
    });
  }
  return out;
}

// ------------------------------------------------------------------ W&B

export interface FakeWandbRun {
  id: string;
  name: string;
  displayName: string;
  state: string;
  config: Record<string, unknown>;
  summaryMetrics: Record<string, unknown>;
  createdAt: string;
  heartbeatAt?: string;
  commit?: string | null;
  sweepName?: string | null;
  history?: Record<string, unknown>[];
}

/**
 * W&B public GraphQL API facts (the query wandb.Api().runs sends; wandb/apis/public):
 * - POST <base>/graphql with {query, variables}; HTTP basic auth, user `api`, the API key as password; a bad key is 401;
 * - project(name: $project, entityName: $entity) is null for a project that does not exist or is not visible;
 * - runs(filters: JSONString, after: $cursor, first: $perPage, order: "-created_at") is a connection: edges { node
 *   { id name displayName state config summaryMetrics createdAt heartbeatAt commit sweepName } cursor } pageInfo
 *   { endCursor hasNextPage };
 * - `name` is the run id (the <id> of wandb/run-<time>-<id>), `id` an opaque global id, `config` and `summaryMetrics`
 *   JSON strings (config values as {"value": v, "desc": null}), createdAt `YYYY-MM-DDTHH:MM:SS` in UTC;
 * - run(name: $name) { sampledHistory(specs: [JSONString!]!) } with specs `{"keys": ["_step", "loss"], "samples": N}`
 *   answers one list of rows per spec.
 */
export function fakeWandb(entity: string, project: string, runs: FakeWandbRun[], apiKey: string): FakeServer {
  const srv = new FakeServer((r) => {
    if (r.path !== '/graphql' || r.method !== 'POST') return { status: 404, body: { errors: [{ message: 'not found' }] } };
    const q: string = r.body?.query ?? '';
    const v = r.body?.variables ?? {};
    if (v.entity !== entity || v.project !== project) return { body: { data: { project: null } } };
    const wrap = (x: FakeWandbRun) => ({
      id: x.id,
      name: x.name,
      displayName: x.displayName,
      state: x.state,
      config: JSON.stringify(x.config),
      summaryMetrics: JSON.stringify(x.summaryMetrics).replace(/"__NaN__"/g, 'NaN'),
      createdAt: x.createdAt,
      heartbeatAt: x.heartbeatAt ?? x.createdAt,
      commit: x.commit ?? null,
      sweepName: x.sweepName ?? null,
    });
    if (/sampledHistory/.test(q)) {
      const run = runs.find((x) => x.name === v.name);
      if (!run) return { body: { data: { project: { run: null } } } };
      const lists = (v.specs as string[]).map((s) => {
        const spec = JSON.parse(s) as { keys: string[]; samples: number };
        return (run.history ?? [])
          .filter((row) => spec.keys.every((k) => k in row))
          .slice(0, spec.samples)
          .map((row) => Object.fromEntries(spec.keys.map((k) => [k, row[k]])));
      });
      return { body: { data: { project: { run: { sampledHistory: lists } } } } };
    }
    if (/runs\(/.test(q)) {
      const perPage = v.perPage ?? 50;
      const from = offsetOf(v.cursor);
      let all = [...runs].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      if (v.filters) {
        const f = JSON.parse(v.filters) as { $and?: Record<string, unknown>[] };
        for (const cond of f.$and ?? []) {
          const [k, want] = Object.entries(cond)[0];
          all = all.filter((x) => {
            const have =
              k === 'state'
                ? x.state
                : k === 'display_name'
                  ? x.displayName
                  : k.startsWith('config.')
                    ? (x.config[k.slice(7, -6)] as { value?: unknown } | undefined)?.value
                    : k.startsWith('summary_metrics.')
                      ? x.summaryMetrics[k.slice(16)]
                      : undefined;
            if (want && typeof want === 'object') {
              const [op, val] = Object.entries(want)[0] as [string, number];
              return (
                typeof have === 'number' &&
                (op === '$lt' ? have < val : op === '$lte' ? have <= val : op === '$gt' ? have > val : op === '$gte' ? have >= val : have !== val)
              );
            }
            return have === want;
          });
        }
      }
      const page = all.slice(from, from + perPage);
      return {
        body: {
          data: {
            project: {
              runs: {
                edges: page.map((x, i) => ({ node: wrap(x), cursor: token(from + i + 1) })),
                pageInfo: { endCursor: page.length ? token(from + page.length) : null, hasNextPage: from + perPage < all.length },
              },
            },
          },
        },
      };
    }
    if (/run\(name/.test(q)) {
      const run = runs.find((x) => x.name === v.name);
      return { body: { data: { project: { run: run ? wrap(run) : null } } } };
    }
    return { body: { errors: [{ message: 'Cannot query field' }] } };
  });
  srv.behaviour.requireAuth = 'Basic ' + Buffer.from(`api:${apiKey}`).toString('base64');
  return srv;
}
