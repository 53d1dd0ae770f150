import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  listAll,
  LocalRunSource,
  MAX_EXPERIMENT_PAGES,
  mergeWandbRuns,
  MlflowServerSource,
  mlflowServerConfig,
  netrcPassword,
  RemoteError,
  requestJson,
  toMlflowFilter,
  toWandbFilters,
  WandbCloudSource,
  wandbConfig,
  describeNonHttpUri,
  isDatabricksHost,
  redactUrl,
} from '../../server/src/engine/runs/sources';
import { listRuns } from '../../server/src/engine/runs';
import { fakeMlflow, fakeWandb, FakeServer, manyMlflowRuns, type FakeMlflowRun, type FakeWandbRun } from '../support/fakeTracking';
import { wandbRun } from '../support/runFixtures';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

/** Retries without waiting: the waits asked for are recorded. */
function quick(waits: number[] = []) {
  return { sleep: async (ms: number) => void waits.push(ms), timeoutMs: 2000 };
}

const EXPERIMENTS = [
  { experiment_id: '0', name: 'Default' },
  { experiment_id: '7', name: 'resnet' },
  { experiment_id: '9', name: 'old', lifecycle_stage: 'deleted' },
];

function mlRun(id: string, exp: string, start: number, extra: Partial<FakeMlflowRun['info']> = {}, data: FakeMlflowRun['data'] = {}): FakeMlflowRun {
  return {
    info: { run_id: id, experiment_id: exp, status: 'FINISHED', start_time: start, end_time: start + 65_000, lifecycle_stage: 'active', ...extra },
    data,
  };
}

const RUNS: FakeMlflowRun[] = [
  mlRun(
    'a1',
    '7',
    1_700_000_300_000,
    { run_name: 'bright-owl-3' },
    {
      params: [
        { key: 'lr', value: '0.01' },
        { key: 'model', value: 'resnet18' },
      ],
      metrics: [
        { key: 'loss', value: 0.25, timestamp: 1, step: 9 },
        { key: 'val_acc', value: 'NaN', timestamp: 1, step: 9 },
      ],
      tags: [
        { key: 'mlflow.runName', value: 'bright-owl-3' },
        { key: 'mlflow.source.git.commit', value: '0123456789abcdef0123456789abcdef01234567' },
        { key: 'mlflow.parentRunId', value: 'p0' },
        { key: 'mlflow.user', value: 'ana' },
      ],
    },
  ),
  mlRun(
    'a2',
    '7',
    1_700_000_200_000,
    { status: 'RUNNING', end_time: undefined },
    {
      params: [{ key: 'lr', value: '0.1' }],
      metrics: [{ key: 'loss', value: 0.9, timestamp: 1, step: 3 }],
      tags: [{ key: 'mlflow.runName', value: 'calm-fox-2' }],
    },
  ),
  mlRun('a3', '0', 1_700_000_100_000, { status: 'FAILED' }, { tags: [] }),
  mlRun('gone', '7', 1_700_000_400_000, { lifecycle_stage: 'deleted' }, { tags: [{ key: 'mlflow.runName', value: 'deleted-run' }] }),
];
RUNS[0].history = {
  loss: [
    [0, 1.0],
    [5, 0.5],
    [9, 0.25],
  ],
};

describe('runs: remote sources', function () {
  const servers: FakeServer[] = [];
  const start = async (s: FakeServer) => (servers.push(s), s.start());
  afterEach(async () => {
    while (servers.length) await servers.pop()!.stop();
  });

  describe('MLflow tracking server (REST API 2.0)', () => {
    it('lists active runs of active experiments page by page, newest first, with params, latest metrics and tags', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      const src = new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick());
      const p1 = await src.list({ pageSize: 2 });
      assert.deepEqual(
        p1.runs.map((r) => r.name),
        ['bright-owl-3', 'calm-fox-2'],
      );
      assert.ok(p1.nextPageToken, 'a next page token');
      const p2 = await src.list({ pageSize: 2, pageToken: p1.nextPageToken });
      assert.deepEqual(
        p2.runs.map((r) => r.details?.runId),
        ['a3'],
      );
      assert.equal(p2.nextPageToken, undefined);
      const r = p1.runs[0];
      assert.equal(r.id, `mlflow-server:${new URL(srv.url).host}/a1`);
      assert.equal(r.source, 'mlflow');
      assert.equal(r.experiment, 'resnet');
      assert.equal(r.status, 'finished');
      assert.equal(r.startTime, 1_700_000_300_000);
      assert.equal(r.durationMs, 65_000);
      assert.deepEqual(r.params, { lr: '0.01', model: 'resnet18' });
      assert.deepEqual(r.metrics, { loss: 0.25, val_acc: null }, 'NaN (a string in MLflow JSON) is null');
      assert.equal(r.gitCommit, '0123456789abcdef0123456789abcdef01234567');
      assert.equal(r.details?.parentRun, 'p0');
      assert.equal(r.parentId, `mlflow-server:${new URL(srv.url).host}/p0`, 'the id of the parent run, for the view to nest it');
      assert.equal(r.details?.user, 'ana');
      assert.deepEqual(r.historyMetrics, ['loss', 'val_acc']);
      assert.equal(p1.runs[1].status, 'running');
      assert.equal(p2.runs[0].name, 'a3', 'no run name: the run id');
      assert.equal(p2.runs[0].experiment, 'Default');
      // the requests as documented
      const search = srv.requests.find((q) => q.path === '/api/2.0/mlflow/runs/search')!;
      assert.equal(search.method, 'POST');
      assert.deepEqual(search.body.experiment_ids, ['0', '7'], 'the deleted experiment is not searched');
      assert.equal(search.body.run_view_type, 'ACTIVE_ONLY');
      assert.equal(search.body.max_results, 2);
      assert.deepEqual(search.body.order_by, ['attributes.start_time DESC']);
      const second = srv.requests.filter((q) => q.path === '/api/2.0/mlflow/runs/search')[1];
      assert.ok(second.body.page_token, 'the second page sends the token back');
      assert.equal(srv.requests.filter((q) => q.path === '/api/2.0/mlflow/experiments/search').length, 1, 'experiments read once');
      assert.equal(search.authorization, undefined, 'no credentials configured: no Authorization header');
    });

    it('never lists a deleted run', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      const all = await listAll(new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick()));
      assert.equal(all.runs.length, 3);
      assert.ok(!all.runs.some((r) => r.name === 'deleted-run'));
    });

    it('sends the view filter as an MLflow filter string; what MLflow cannot say stays with the view', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      const src = new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick());
      const page = await src.list({ filter: 'lr=0.01 loss<0.5 status=finished owl' });
      const sent = srv.requests.find((q) => q.path.endsWith('runs/search'))!.body.filter;
      assert.equal(sent, "params.lr = '0.01' AND metrics.loss < 0.5 AND attributes.status = 'FINISHED'");
      assert.deepEqual(
        page.runs.map((r) => r.name),
        ['bright-owl-3'],
        'the server filtered',
      );
      assert.ok(
        page.notes.some((n) => n.includes('owl')),
        'the bare word is matched after download, and said so',
      );
    });

    it('reads the metric history page by page (metrics/get-history)', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      const src = new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick());
      const [run] = (await src.list({ pageSize: 1 })).runs;
      const [s] = await src.history(run.id, ['loss']);
      assert.deepEqual(s.points, [
        [0, 1.0],
        [5, 0.5],
        [9, 0.25],
      ]);
      const h = srv.requests.find((q) => q.path.endsWith('metrics/get-history'))!;
      assert.equal(h.method, 'GET');
      assert.equal(h.query.get('run_id'), 'a1');
      assert.equal(h.query.get('metric_key'), 'loss');
      const [full] = await src.details([run.id]);
      assert.equal(full.name, 'bright-owl-3');
      assert.ok(srv.requests.some((q) => q.path.endsWith('runs/get') && q.query.get('run_id') === 'a1'));
    });

    it('authenticates with basic (MLFLOW_TRACKING_USERNAME/PASSWORD) or bearer (MLFLOW_TRACKING_TOKEN); 401 and 403 say what to do', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      srv.behaviour.requireAuth = 'Basic ' + Buffer.from('ana:s3cret').toString('base64');
      const basic = new MlflowServerSource(mlflowServerConfig(srv.url, { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 's3cret' }), quick());
      assert.equal((await basic.list()).runs.length, 3);
      srv.behaviour.requireAuth = 'Bearer tok-123';
      const bearer = new MlflowServerSource(mlflowServerConfig(srv.url, { MLFLOW_TRACKING_TOKEN: 'tok-123' }), quick());
      assert.equal((await bearer.list()).runs.length, 3);
      const wrong = new MlflowServerSource(mlflowServerConfig(srv.url, { MLFLOW_TRACKING_TOKEN: 'nope-999' }), quick());
      await assert.rejects(wrong.list(), (e: RemoteError) => {
        assert.equal(e.kind, 'unauthorized');
        assert.equal(e.status, 401);
        assert.match(e.action, /token|password/i);
        assert.ok(!e.message.includes('nope-999') && !e.action.includes('nope-999'), 'the token is never in a message');
        return true;
      });
      srv.behaviour.forbid = true;
      await assert.rejects(bearer.list(), (e: RemoteError) => e.kind === 'forbidden' && e.status === 403 && /permission/i.test(e.action));
    });

    it('retries 500 then answers (backoff doubles), honours Retry-After on 429, gives up after the retries', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      srv.behaviour.failFirst = { count: 2, status: 500 };
      const waits: number[] = [];
      const src = new MlflowServerSource(mlflowServerConfig(srv.url, {}), { ...quick(waits), backoffMs: 100 });
      assert.equal((await src.list()).runs.length, 3);
      assert.deepEqual(waits, [100, 200, 100, 200], 'two 500s on each endpoint; each request starts its backoff anew');
      const srv2 = await start(fakeMlflow(EXPERIMENTS, RUNS));
      srv2.behaviour.failFirst = { count: 1, status: 429, retryAfter: '3' };
      const waits2: number[] = [];
      await new MlflowServerSource(mlflowServerConfig(srv2.url, {}), quick(waits2)).list();
      assert.deepEqual(waits2, [3000, 3000], 'experiments/search and runs/search each got one 429 with Retry-After: 3');
      const srv3 = await start(fakeMlflow(EXPERIMENTS, RUNS));
      srv3.behaviour.failFirst = { count: 99, status: 503 };
      await assert.rejects(
        new MlflowServerSource(mlflowServerConfig(srv3.url, {}), { ...quick(), retries: 2 }).list(),
        (e: RemoteError) => e.kind === 'server' && e.status === 503,
      );
      assert.equal(srv3.requests.length, 3, 'the first attempt and two retries');
    });

    it('times out a slow server, and cancels at once when the signal aborts', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      srv.behaviour.delayMs = 1500;
      const t0 = Date.now();
      await assert.rejects(
        new MlflowServerSource(mlflowServerConfig(srv.url, {}), { timeoutMs: 150, retries: 1, sleep: async () => undefined }).list(),
        (e: RemoteError) => e.kind === 'timeout' && /within/.test(e.message),
      );
      assert.ok(Date.now() - t0 < 1200, `gave up after ${Date.now() - t0} ms`);
      const ctl = new AbortController();
      const t1 = Date.now();
      setTimeout(() => ctl.abort(), 100);
      await assert.rejects(
        new MlflowServerSource(mlflowServerConfig(srv.url, {}), { timeoutMs: 10_000, signal: ctl.signal }).list(),
        (e: RemoteError) => e.kind === 'cancelled',
      );
      assert.ok(Date.now() - t1 < 1000);
    });

    it('a server that is down is unreachable, with the action', async () => {
      const srv = await start(fakeMlflow(EXPERIMENTS, RUNS));
      const url = srv.url;
      await servers.pop()!.stop(); // nothing listens there now
      await assert.rejects(
        new MlflowServerSource(mlflowServerConfig(url, {}), { ...quick(), retries: 1 }).list(),
        (e: RemoteError) => e.kind === 'unreachable' && /ECONNREFUSED/.test(e.message) && /mlflow server/.test(e.action),
      );
    });

    it('searches experiments 100 at a time: 1,250 experiments (two pages of experiments/search), every run listed once', async () => {
      const exps = Array.from({ length: 1250 }, (_, i) => ({ experiment_id: String(i + 1), name: `exp-${i + 1}` }));
      const runs = exps.map((e, i) => mlRun(`run${i}`, e.experiment_id, 1_700_000_000_000 + i));
      const srv = await start(fakeMlflow(exps, runs));
      const all = await listAll(new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick()), { pageSize: 40 });
      assert.equal(all.runs.length, 1250);
      assert.equal(new Set(all.runs.map((r) => r.id)).size, 1250);
      const searches = srv.requests.filter((q) => q.path.endsWith('runs/search'));
      assert.deepEqual(
        [...new Set(searches.map((q) => q.body.experiment_ids.length))].sort((a, b) => a - b),
        [50, 100],
      );
      const expSearches = srv.requests.filter((q) => q.path.endsWith('experiments/search'));
      assert.equal(expSearches.length, 2, '1,250 experiments: two pages of 1,000');
      assert.ok(expSearches[1].body.page_token);
      assert.equal(all.runs.find((r) => r.details?.runId === 'run1249')?.experiment, 'exp-1250');
    });

    it('follows next_page_token of experiments/search when the server pages by 100: 260 experiments, runs of the last listed', async () => {
      const exps = Array.from({ length: 260 }, (_, i) => ({ experiment_id: String(i + 1), name: `exp-${i + 1}` }));
      const runs = exps.map((e, i) => mlRun(`run${i}`, e.experiment_id, 1_700_000_000_000 + i));
      const srv = await start(fakeMlflow(exps, runs, { experimentsPageMax: 100 }));
      const src = new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick());
      const names = await src.experimentNames();
      assert.equal(names.size, 260);
      assert.equal(names.get('260'), 'exp-260');
      const expSearches = srv.requests.filter((q) => q.path.endsWith('experiments/search'));
      assert.equal(expSearches.length, 3, 'pages of 100, 100 and 60');
      assert.deepEqual(
        expSearches.map((q) => !!q.body.page_token),
        [false, true, true],
      );
      const all = await listAll(src, { pageSize: 1000 });
      assert.equal(all.runs.length, 260);
      assert.equal(all.runs.find((r) => r.details?.runId === 'run259')?.experiment, 'exp-260', 'a run of the 260th experiment');
      assert.equal(srv.requests.filter((q) => q.path.endsWith('experiments/search')).length, 3, 'the experiments are read once');
      assert.deepEqual(all.notes, []);
    });

    it('experiments/search is bounded (a token that comes back stops it) and cancellable between pages', async () => {
      const exps = Array.from({ length: 30 }, (_, i) => ({ experiment_id: String(i + 1), name: `exp-${i + 1}` }));
      const broken = await start(fakeMlflow(exps, [], { experimentsPageMax: 10, repeatExperimentToken: true }));
      const names = await new MlflowServerSource(mlflowServerConfig(broken.url, {}), quick()).experimentNames();
      assert.equal(names.size, 10);
      assert.ok(broken.requests.filter((q) => q.path.endsWith('experiments/search')).length <= 2, 'a repeated token ends the loop');
      // many pages, slow: aborting after the first stops the paging (and a later list asks again)
      const many = Array.from({ length: 500 }, (_, i) => ({ experiment_id: String(i + 1), name: `e${i + 1}` }));
      const slow = await start(fakeMlflow(many, [], { experimentsPageMax: 10 }));
      slow.behaviour.delayMs = 60;
      const ctl = new AbortController();
      const src = new MlflowServerSource(mlflowServerConfig(slow.url, {}), { ...quick(), signal: ctl.signal });
      setTimeout(() => ctl.abort(), 150);
      await assert.rejects(src.list(), (e: RemoteError) => e.kind === 'cancelled');
      const asked = slow.requests.filter((q) => q.path.endsWith('experiments/search')).length;
      assert.ok(asked >= 1 && asked <= 4, `${asked} pages asked for before the abort`);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(slow.requests.length, asked, 'nothing asked after the abort');
      // the cap: a server with more pages than MAX_EXPERIMENT_PAGES is read up to it, with a note on the runs' pages
      const one = Array.from({ length: MAX_EXPERIMENT_PAGES + 5 }, (_, i) => ({ experiment_id: String(i + 1), name: `x${i + 1}` }));
      const tiny = await start(fakeMlflow(one, [mlRun('first', '1', 1)], { experimentsPageMax: 1 }));
      const capped = await new MlflowServerSource(mlflowServerConfig(tiny.url, {}), quick()).list();
      assert.equal(tiny.requests.filter((q) => q.path.endsWith('experiments/search')).length, MAX_EXPERIMENT_PAGES);
      assert.deepEqual(
        capped.runs.map((r) => r.details?.runId),
        ['first'],
      );
      assert.ok(
        capped.notes.some((n) => n.includes(`more than ${MAX_EXPERIMENT_PAGES} pages of experiments (${MAX_EXPERIMENT_PAGES} read)`)),
        capped.notes.join('\n'),
      );
    });

    it('pages 10,000 runs of one experiment: 10 pages of 1,000, in order, nothing lost', async () => {
      const srv = await start(fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(10_000)));
      const src = new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick());
      let pages = 0;
      const all = await listAll(src, {}, () => pages++);
      assert.equal(all.runs.length, 10_000);
      assert.equal(pages, 10);
      assert.equal(new Set(all.runs.map((r) => r.id)).size, 10_000);
      assert.equal(all.runs[0].name, 'run-9999');
      assert.equal(all.runs[9999].name, 'run-0');
    });
  });

  describe('configuration', () => {
    it('reads the URI and credentials as MLflow does; user info in the URI never reaches a label', () => {
      const c = mlflowServerConfig('https://bob:pw@mlflow.example.com/', {});
      assert.equal(c.baseUrl, 'https://mlflow.example.com');
      assert.deepEqual(c.auth, { kind: 'basic', username: 'bob', password: 'pw' });
      assert.equal(new MlflowServerSource(c).label, 'MLflow server https://mlflow.example.com');
      assert.equal(
        mlflowServerConfig('http://h:5000', { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p', MLFLOW_TRACKING_TOKEN: 't' }).auth.kind,
        'basic',
        'MLflow prefers user and password over a token',
      );
      assert.deepEqual(mlflowServerConfig('http://h:5000', {}, { token: 'from-secret-storage' }).auth, { kind: 'bearer', token: 'from-secret-storage' });
      assert.equal(redactUrl('https://u:p@h/x?token=abc'), 'https://h/x');
    });

    it('recognises Databricks and explains the URIs that are not servers', () => {
      assert.ok(isDatabricksHost('adb-123.4.azuredatabricks.net'));
      assert.ok(isDatabricksHost('dbc-1a2b.cloud.databricks.com'));
      assert.ok(!isDatabricksHost('mlflow.example.com'));
      const c = mlflowServerConfig('https://dbc-1a2b.cloud.databricks.com', { DATABRICKS_TOKEN: 'dapi123' });
      assert.ok(c.databricks);
      assert.deepEqual(c.auth, { kind: 'bearer', token: 'dapi123' });
      assert.match(describeNonHttpUri('databricks')!, /personal access token/);
      assert.match(describeNonHttpUri('file:///tmp/mlruns')!, /local folder/);
      assert.match(describeNonHttpUri('postgresql://u:pw@db/mlflow')!, /database/);
      assert.ok(!describeNonHttpUri('postgresql://u:pw@db/mlflow')!.includes('pw'));
      assert.throws(
        () => mlflowServerConfig('databricks', {}),
        (e: RemoteError) => e.kind === 'config',
      );
    });

    it('finds the W&B key in WANDB_API_KEY, else in ~/.netrc (machine api.wandb.ai), as wandb does', () => {
      const home = tmpDir('mlh-home-');
      try {
        writeTree(home, { '.netrc': 'machine example.org login x password y\nmachine api.wandb.ai\n  login user\n  password k3y-from-netrc\n' });
        assert.equal(netrcPassword(fs.readFileSync(path.join(home, '.netrc'), 'utf8'), 'api.wandb.ai'), 'k3y-from-netrc');
        assert.deepEqual([wandbConfig('team/proj', {}, {}, home).apiKey, wandbConfig('team/proj', {}, {}, home).keyFrom], ['k3y-from-netrc', 'netrc']);
        assert.equal(wandbConfig('team/proj', { WANDB_API_KEY: 'env-key' }, {}, home).apiKey, 'env-key');
        assert.equal(wandbConfig('team/proj', {}, {}, tmpDir('mlh-nohome-')).apiKey, undefined);
        assert.throws(
          () => wandbConfig('justproject', {}),
          (e: RemoteError) => e.kind === 'config',
        );
      } finally {
        rmrf(home);
      }
    });

    it('writes view filters for W&B as MongoDB-like run filters', () => {
      assert.deepEqual(toWandbFilters('lr=0.01 loss<0.3 state=finished resnet').filters, {
        $and: [{ 'config.lr.value': 0.01 }, { 'summary_metrics.loss': { $lt: 0.3 } }, { state: 'finished' }],
      });
      assert.deepEqual(toMlflowFilter('my-key=x loss>=1').filter, "params.`my-key` = 'x' AND metrics.loss >= 1");
      assert.equal(toMlflowFilter("name=it's").filter, "attributes.run_name = 'it\\'s'");
      assert.equal(toMlflowFilter('').filter, '');
    });

    it('a redirect (a login page in front of the server) is an error naming where it leads, without its query', async () => {
      const redirect = async () => ({
        status: 302,
        headers: { get: (n: string) => (n === 'location' ? '/login?next=%2Fapi&token=abc' : null) },
        text: async () => '',
      });
      await assert.rejects(
        requestJson('http://127.0.0.1:1/api/2.0/mlflow/experiments/search', { method: 'POST', headers: {} }, 'MLflow server', { fetch: redirect }),
        (e: RemoteError) => {
          assert.equal(e.kind, 'bad-response');
          assert.match(e.message, /redirected http:\/\/127\.0\.0\.1:1\/api\/2\.0\/mlflow\/experiments\/search to http:\/\/127\.0\.0\.1:1\/login \(HTTP 302\)/);
          assert.ok(!e.message.includes('token=abc'));
          return true;
        },
      );
    });

    it('requestJson refuses an answer that is not JSON (a login page) with the action', async () => {
      const srv = await start(new FakeServer(() => ({ body: 'x' })));
      const html = async () => ({ status: 200, headers: { get: () => null }, text: async () => '<html>Sign in</html>' });
      await assert.rejects(
        requestJson(srv.url, { method: 'GET', headers: {} }, 'MLflow server', { fetch: html }),
        (e: RemoteError) => e.kind === 'bad-response' && /login page/.test(e.action),
      );
    });
  });

  describe('W&B (public GraphQL API)', () => {
    const CLOUD: FakeWandbRun[] = [
      {
        id: 'UnVuOnYxOmFiYzEyMw==',
        name: 'abc123',
        displayName: 'swift-sun-4',
        state: 'finished',
        config: { lr: { value: 0.01, desc: null }, model: { value: { depth: 18 }, desc: null }, _wandb: { value: {} } },
        summaryMetrics: { loss: 0.2, acc: '__NaN__', _runtime: 125.4, _step: 99 },
        createdAt: '2024-05-01T12:30:00',
        commit: 'deadbeefcafe',
        sweepName: 'swp9',
        history: [
          { _step: 0, loss: 1 },
          { _step: 1, loss: 0.5 },
          { _step: 2, loss: 0.2 },
        ],
      },
      {
        id: 'b',
        name: 'def456',
        displayName: 'dark-moon-3',
        state: 'crashed',
        config: {},
        summaryMetrics: {},
        createdAt: '2024-04-30T10:00:00',
        heartbeatAt: '2024-04-30T10:05:00',
      },
      { id: 'c', name: 'ghi789', displayName: 'old-tree-1', state: 'running', config: {}, summaryMetrics: { loss: 0.7 }, createdAt: '2024-04-29T10:00:00' },
    ];

    it('lists a project page by page (cursor, hasNextPage/endCursor) with config, summary, state, commit and sweep', async () => {
      const srv = await start(fakeWandb('team', 'proj', CLOUD, 'k3y'));
      const src = new WandbCloudSource({ ...wandbConfig('team/proj', { WANDB_API_KEY: 'k3y', WANDB_BASE_URL: srv.url }) }, quick());
      const p1 = await src.list({ pageSize: 2 });
      assert.deepEqual(
        p1.runs.map((r) => r.name),
        ['swift-sun-4', 'dark-moon-3'],
      );
      assert.ok(p1.nextPageToken);
      const p2 = await src.list({ pageSize: 2, pageToken: p1.nextPageToken });
      assert.deepEqual(
        p2.runs.map((r) => r.name),
        ['old-tree-1'],
      );
      assert.equal(p2.nextPageToken, undefined);
      const r = p1.runs[0];
      assert.equal(r.id, 'wandb-cloud:team/proj/abc123');
      assert.equal(r.source, 'wandb');
      assert.equal(r.experiment, 'team/proj');
      assert.equal(r.status, 'finished');
      assert.equal(r.startTime, Date.UTC(2024, 4, 1, 12, 30, 0), 'createdAt is UTC');
      assert.equal(r.durationMs, 125_400);
      assert.equal(r.gitCommit, 'deadbeefcafe');
      assert.equal(r.details?.sweep, 'swp9');
      assert.deepEqual(r.params, { lr: 0.01, 'model.depth': 18 });
      assert.deepEqual(r.metrics, { loss: 0.2, acc: null });
      assert.equal(p1.runs[1].status, 'failed', 'crashed is failed');
      assert.equal(p1.runs[1].durationMs, 300_000, 'no runtime: heartbeat - created');
      const q = srv.requests[0];
      assert.equal(q.path, '/graphql');
      assert.equal(q.authorization, 'Basic ' + Buffer.from('api:k3y').toString('base64'));
      assert.match(q.body.query, /project\(name: \$project, entityName: \$entity\)/);
      assert.match(q.body.query, /pageInfo \{ endCursor hasNextPage \}/);
      assert.equal(q.body.variables.order, '-created_at');
      assert.equal(srv.requests[1].body.variables.cursor, p1.nextPageToken);
    });

    it('reads history on demand (sampledHistory), filters on the server, and says when the key or project is wrong', async () => {
      const srv = await start(fakeWandb('team', 'proj', CLOUD, 'k3y'));
      const src = new WandbCloudSource(wandbConfig('team/proj', { WANDB_API_KEY: 'k3y', WANDB_BASE_URL: srv.url }), quick());
      const [s] = await src.history('wandb-cloud:team/proj/abc123', ['loss']);
      assert.deepEqual(s.points, [
        [0, 1],
        [1, 0.5],
        [2, 0.2],
      ]);
      assert.deepEqual(JSON.parse(srv.requests[0].body.variables.specs[0]), { keys: ['_step', 'loss'], samples: 1500 });
      const filtered = await src.list({ filter: 'loss<0.5' });
      assert.deepEqual(
        filtered.runs.map((r) => r.details?.runId),
        ['abc123'],
      );
      assert.equal(srv.requests.at(-1)!.body.variables.filters, JSON.stringify({ $and: [{ 'summary_metrics.loss': { $lt: 0.5 } }] }));
      await assert.rejects(
        new WandbCloudSource(wandbConfig('team/proj', { WANDB_API_KEY: 'bad', WANDB_BASE_URL: srv.url }), quick()).list(),
        (e: RemoteError) => e.kind === 'unauthorized',
      );
      await assert.rejects(
        new WandbCloudSource(wandbConfig('team/nope', { WANDB_API_KEY: 'k3y', WANDB_BASE_URL: srv.url }), quick()).list(),
        (e: RemoteError) => e.kind === 'not-found' && /entity\/project/.test(e.action),
      );
      await assert.rejects(
        new WandbCloudSource(wandbConfig('team/proj', { WANDB_BASE_URL: srv.url }, {}, tmpDir('mlh-nohome-')), quick()).list(),
        (e: RemoteError) => e.kind === 'unauthorized' && /wandb login/.test(e.action),
      );
    });

    it('a local wandb/ run folder and the same cloud run are one run, with its sync state', async () => {
      const root = tmpDir('mlh-wb-');
      try {
        wandbRun(root, 'run-20240501_123000-abc123', { configText: 'lr:\n  value: 0.01\n', summary: '{"loss": 0.2}' });
        wandbRun(root, 'run-20240502_080000-zzz999', { configText: 'lr:\n  value: 0.02\n', summary: '{"loss": 0.3}' });
        const { runs: local } = await listRuns(root, { useGit: false });
        const srv = await start(fakeWandb('team', 'proj', CLOUD, 'k3y'));
        const cloud = await listAll(new WandbCloudSource(wandbConfig('team/proj', { WANDB_API_KEY: 'k3y', WANDB_BASE_URL: srv.url }), quick()));
        const merged = mergeWandbRuns(local, cloud.runs, 'team/proj', true);
        assert.equal(merged.length, 4, '2 folders + 3 cloud runs, one in both');
        const both = merged.find((r) => r.details?.runId === 'abc123')!;
        assert.equal(both.id, 'wandb:run-20240501_123000-abc123', 'the folder keeps its id (its files open)');
        assert.equal(both.details?.sync, 'synced to team/proj');
        assert.equal(both.name, 'swift-sun-4', 'the cloud display name');
        assert.equal(both.details?.sweep, 'swp9');
        assert.equal(merged.find((r) => r.details?.runId === 'zzz999')!.details?.sync, 'not in team/proj (another project, or not synced yet)');
        assert.equal(merged.find((r) => r.details?.runId === 'def456')!.details?.sync, 'in the cloud');
      } finally {
        rmrf(root);
      }
    });
  });

  describe('local readers behind the same interface', () => {
    it('pages the runs of a folder and reads their history', async () => {
      const root = tmpDir('mlh-local-');
      try {
        for (let i = 0; i < 5; i++) wandbRun(root, `run-2024050${i + 1}_120000-id${i}`, { summary: `{"loss": ${i}}` });
        const src = LocalRunSource.of(root, { useGit: false });
        const p1 = await src.list({ pageSize: 2 });
        assert.equal(p1.runs.length, 2);
        assert.equal(p1.runs[0].details?.runId, 'id4', 'newest first');
        const all = await listAll(src, { pageSize: 2 });
        assert.equal(all.runs.length, 5);
        const [d] = await src.details([p1.runs[0].id]);
        assert.equal(d.metrics.loss, 4);
      } finally {
        rmrf(root);
      }
    });
  });
});
