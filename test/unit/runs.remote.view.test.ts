import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RemoteRuns, CACHE_MAX, FIRST_PAGE, type CacheStore } from '../../client/src/runs/remoteModel';
import { buildTree } from '../../client/src/runs/model';
import { MlflowServerSource, mlflowServerConfig, WandbCloudSource, wandbConfig } from '../../server/src/engine/runs/sources';
import type { RunSummary } from '../../shared/protocol';
import { fakeMlflow, fakeWandb, FakeServer, manyMlflowRuns } from '../support/fakeTracking';
import { PROJECT_ROOT } from '../support/tmp';

class MemoryCache implements CacheStore {
  data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const quick = { sleep: async () => undefined, timeoutMs: 5000 };
const LOCAL: RunSummary = {
  id: 'hydra:outputs/1',
  source: 'hydra',
  name: 'local-run',
  status: 'finished',
  params: {},
  metrics: {},
  warnings: [],
  startTime: 1,
};

describe('Runs view: remote sources (model)', function () {
  this.timeout(30_000);
  const servers: FakeServer[] = [];
  const start = async (s: FakeServer) => (servers.push(s), s.start());
  afterEach(async () => {
    while (servers.length) await servers.pop()!.stop();
  });

  it('shows the first page of 10,000 server runs at once, then the rest in the background', async () => {
    const srv = await start(fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(10_000)));
    const remote = new RemoteRuns([new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick)], new MemoryCache());
    let changes = 0;
    remote.onChange(() => changes++);
    const t0 = performance.now();
    await remote.load();
    const firstMs = performance.now() - t0;
    const st = remote.states()[0];
    assert.equal(st.runs.length, FIRST_PAGE, 'load() resolves with the first page');
    assert.equal(st.complete, false);
    assert.equal(remote.messages()[0].description, 'reading…');
    const tree = buildTree(remote.merged([LOCAL]), '', { by: 'newest' });
    assert.deepEqual(
      tree.roots.map((r) => r.label),
      ['Hydra', 'MLflow'],
      'local runs are shown beside the server runs',
    );
    await remote.done;
    const allMs = performance.now() - t0;
    assert.equal(st.runs.length, 10_000);
    assert.ok(st.complete);
    assert.deepEqual(remote.messages(), [], 'nothing to say once all is read');
    assert.ok(changes >= 11, `a change per page (${changes})`);
    assert.equal(srv.requests.filter((q) => q.path.endsWith('runs/search'))[0].body.max_results, FIRST_PAGE);
    console.log(`      (10,000 server runs: first page in ${firstMs.toFixed(0)} ms, all in ${allMs.toFixed(0)} ms)`);
  });

  it('the next open shows the cache at once, keeps it while refreshing, then the fresh list', async () => {
    const srv = await start(fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(1500)));
    const cache = new MemoryCache();
    const src = () => new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick);
    const first = new RemoteRuns([src()], cache, () => Date.UTC(2024, 0, 2, 3, 4));
    await first.load();
    await first.done;
    const again = new RemoteRuns([src()], cache);
    assert.equal(again.states()[0].runs.length, 1500, 'shown before any request');
    assert.equal(again.states()[0].fromCache, true);
    assert.match(again.messages()[0].label, /1500 runs from 2024-01-02 03:04/);
    srv.behaviour.delayMs = 50;
    const loading = again.load();
    await loading;
    assert.equal(again.states()[0].runs.length, 1500, 'the cached list stays while the fresh one is read');
    assert.equal(again.messages()[0].description, 'refreshing…');
    await again.done;
    assert.equal(again.states()[0].fromCache, false);
    assert.equal(again.states()[0].runs.length, 1500);
    assert.ok(CACHE_MAX >= 1500);
  });

  it('a failure is a message row with the action; the local runs are still shown', async () => {
    const srv = await start(fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(3)));
    srv.behaviour.requireAuth = 'Bearer ok';
    const remote = new RemoteRuns([new MlflowServerSource(mlflowServerConfig(srv.url, { MLFLOW_TRACKING_TOKEN: 'bad' }), quick)]);
    await remote.load();
    const [row] = remote.messages();
    assert.equal(row.severity, 'error');
    assert.match(row.label, /refused the credentials \(HTTP 401/);
    assert.equal(row.command?.command, 'mlopsHygiene.runs.setCredentials');
    assert.deepEqual(
      remote.merged([LOCAL]).map((r) => r.name),
      ['local-run'],
    );
    srv.behaviour.forbid = true;
    srv.behaviour.requireAuth = undefined;
    await remote.load();
    assert.match(remote.messages()[0].tooltip, /permission/i);
    const url = srv.url;
    await servers.pop()!.stop();
    const down = new RemoteRuns([new MlflowServerSource(mlflowServerConfig(url, {}), { ...quick, retries: 0 })]);
    await down.load();
    assert.equal(down.messages()[0].command?.command, 'mlopsHygiene.runs.refresh');
    assert.match(down.messages()[0].tooltip, /Start the server/);
  });

  it('a timeout is a message row; closing the view cancels the background pages without an error', async () => {
    const srv = await start(fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(5000)));
    const remote = new RemoteRuns([new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick)]);
    await remote.load();
    srv.behaviour.delayMs = 300;
    remote.cancel();
    await remote.done;
    assert.ok(remote.states()[0].runs.length < 5000);
    assert.deepEqual(
      remote.messages().filter((m) => m.severity === 'error'),
      [],
    );
    const slow = new RemoteRuns([new MlflowServerSource(mlflowServerConfig(srv.url, {}), { ...quick, timeoutMs: 100, retries: 0 })]);
    await slow.load();
    assert.match(slow.messages()[0].label, /did not answer within/);
    assert.equal(slow.messages()[0].command?.title, 'Retry');
  });

  it('sends the view filter to the server and does not cache a filtered list', async () => {
    const srv = await start(fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(300)));
    const cache = new MemoryCache();
    const remote = new RemoteRuns([new MlflowServerSource(mlflowServerConfig(srv.url, {}), quick)], cache);
    await remote.load('acc>=0.9');
    await remote.done;
    assert.equal(srv.requests.find((q) => q.path.endsWith('runs/search'))!.body.filter, 'metrics.acc >= 0.9');
    assert.equal(remote.states()[0].runs.length, 30);
    assert.equal(cache.data.size, 0);
  });

  it('W&B cloud runs merge with the local folder of the same run; charts read the history from the source', async () => {
    const srv = await start(
      fakeWandb(
        'team',
        'proj',
        [
          {
            id: 'x',
            name: 'abc123',
            displayName: 'swift-sun-4',
            state: 'finished',
            config: {},
            summaryMetrics: { loss: 0.1 },
            createdAt: '2024-05-01T08:00:00',
            history: [
              { _step: 0, loss: 1 },
              { _step: 1, loss: 0.1 },
            ],
          },
        ],
        'k3y',
      ),
    );
    const remote = new RemoteRuns([new WandbCloudSource(wandbConfig('team/proj', { WANDB_API_KEY: 'k3y', WANDB_BASE_URL: srv.url }), quick)]);
    await remote.load();
    const local: RunSummary = {
      id: 'wandb:run-20240501_100000-abc123',
      source: 'wandb',
      name: 'abc123',
      status: 'finished',
      params: {},
      metrics: {},
      warnings: [],
      details: { runId: 'abc123', mode: 'online' },
    };
    const merged = remote.merged([local]);
    assert.equal(merged.length, 1);
    assert.equal(merged[0].details?.sync, 'synced to team/proj');
    const h = await remote.history(['wandb-cloud:team/proj/abc123'], ['loss']);
    assert.deepEqual(h.series[0].points, [
      [0, 1],
      [1, 0.1],
    ]);
  });

  it('package.json: the settings are machine-scoped or restricted, the credentials command is declared and registered', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['mlopsHygiene.mlflow.trackingUri'].scope, 'machine', 'a workspace cannot point the view at a server');
    assert.equal(props['mlopsHygiene.wandb.project'].type, 'string');
    for (const k of ['mlopsHygiene.mlflow.trackingUri', 'mlopsHygiene.wandb.project'])
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(k), k);
    assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === 'mlopsHygiene.runs.setCredentials'));
    const index = fs.readFileSync(path.join(PROJECT_ROOT, 'client/src/runs/index.ts'), 'utf8');
    assert.match(index, /registerCommand\('mlopsHygiene\.runs\.setCredentials'/);
    const remote = fs.readFileSync(path.join(PROJECT_ROOT, 'client/src/runs/remote.ts'), 'utf8');
    assert.match(remote, /inspect<string>\('mlflow\.trackingUri'\)\?\.globalValue/, 'the URI is read from the user settings only');
    assert.match(remote, /if \(!vscode\.workspace\.isTrusted\)\s*return\s*\{\s*providers:\s*\[\]/, 'no source in a restricted workspace');
    assert.match(remote, /fetch: nodeFetch/, "requests through the extension host's http/https (VS Code proxy)");
    assert.doesNotMatch(remote, /console\.|appendLine|\.log\(|\.info\(|\.error\(/, 'nothing is logged by the remote sources');
  });
});
