import * as assert from 'node:assert/strict';
import { FileChangeType } from 'vscode-languageserver-protocol';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  RunDetailsRequest,
  RunHistoryRequest,
  RunsChangedNotification,
  RunsListRequest,
  RunsTableRequest,
  type RunsChangedParams,
  type RunsListResult,
  type RunsTableRemote,
} from '../../shared/protocol';
import { runFromWire, runToWire } from '../../shared/runCodec';
import { RemoteRuns } from '../../client/src/runs/remoteModel';
import { mergeRemoteRuns, MlflowServerSource, mlflowServerConfig, WandbCloudSource, wandbConfig } from '../../server/src/engine/runs/sources';
import { runsTable } from '../../server/src/engine/runs/table';
import { fakeMlflow, fakeWandb } from '../support/fakeTracking';
import { LAZY_MIN_LOCATIONS } from '../../server/src/engine/runs';
import { LspTestClient } from '../support/lspClient';
import { hydraRun, lightningHydraTemplate, lightningRun, mlflowExperiment, mlflowRun, wandbRun } from '../support/runFixtures';
import { gitRepo, rmrf, writeTree } from '../support/tmp';

describe('language server: runs', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('lists runs in ignored folders, announces a new run after a file event, and serves metric histories', async () => {
    // wandb/ and lightning_logs/ are git-ignored, as in most projects: the diagnostics side drops their events
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/wandb/\n/lightning_logs/\n' });
    wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5}' });
    lightningRun(root, 0);
    client = await LspTestClient.start(root);
    const changes: RunsChangedParams[] = [];
    client.connection.onNotification(RunsChangedNotification, (p: RunsChangedParams) => {
      changes.push(p);
    });
    const first = await client.connection.sendRequest(RunsListRequest, {});
    assert.deepEqual(first.runs.map((r) => r.id).sort(), ['lightning:version_0', 'wandb:run-20240501_100000-aaaa0001']);
    // the folder is said once for the list, not in each of its runs
    assert.equal(first.workspaceFolder, root);
    const wb = first.runs.find((r) => r.id.startsWith('wandb:'))!;
    assert.equal(wb.workspaceFolder, undefined);
    assert.equal(wb.source, undefined, 'the id says it');
    const restored = runFromWire(wb, first.workspaceFolder);
    assert.equal(restored.workspaceFolder, root);
    assert.equal(restored.source, 'wandb');

    wandbRun(root, 'run-20240502_100000-bbbb0002', { format: 'current', summary: '{"loss": 0.4}' });
    await client.fileEvents([
      { rel: 'wandb/run-20240502_100000-bbbb0002/files/config.yaml', type: FileChangeType.Created },
      { rel: 'wandb/run-20240502_100000-bbbb0002/files/wandb-summary.json', type: FileChangeType.Created },
    ]);
    const deadline = Date.now() + 10000;
    while (!changes.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(changes.length, 1, 'one debounced notification for the burst of events');
    assert.deepEqual(changes[0].added, ['wandb:run-20240502_100000-bbbb0002']);
    const second = await client.connection.sendRequest(RunsListRequest, {});
    assert.equal(second.runs[0].id, 'wandb:run-20240502_100000-bbbb0002', 'newest first');
    assert.ok(second.version > first.version);

    const h = await client.connection.sendRequest(RunHistoryRequest, {
      ids: ['lightning:version_0', 'wandb:run-20240501_100000-aaaa0001'],
      metrics: ['train_loss'],
    });
    assert.deepEqual(h.series, [
      {
        runId: 'lightning:version_0',
        metric: 'train_loss',
        points: [
          [49, 0.5],
          [149, 0.3],
        ],
      },
    ]);
  });

  it('lightning-hydra-template over JSON-RPC: runs under logs/, loggers inside a run on that run, a new deep store after its file event', async () => {
    root = gitRepo({ 'README.md': '# x\n' });
    lightningHydraTemplate(root);
    hydraRun(root, 'logs/train/runs/2024-05-01_12-30-00', { job: 'train', config: 'task_name: train\nseed: 1\n' });
    // CSVLogger(save_dir=${paths.output_dir}, name="csv/"): <run>/csv/version_0/metrics.csv (sorted keys, epoch, step, CRLF)
    writeTree(root, { 'logs/train/runs/2024-05-01_12-30-00/csv/version_0/metrics.csv': 'epoch,step,val/acc\r\n0,429,0.95\r\n1,859,0.97\r\n' });
    client = await LspTestClient.start(root);
    const changes: RunsChangedParams[] = [];
    client.connection.onNotification(RunsChangedNotification, (p: RunsChangedParams) => void changes.push(p));
    const first = await client.connection.sendRequest(RunsListRequest, { complete: true });
    const runs = runsOf(first);
    assert.deepEqual(
      runs.map((r) => r.id),
      ['hydra:logs/train/runs/2024-05-01_12-30-00'],
    );
    assert.equal(runs[0].metrics['val/acc'], 0.97);
    // an MLflow store three folders deep appears: its file events are enough to find it
    mlflowExperiment(path.join(root, 'logs/mlflow'), '1', 'train');
    mlflowRun(path.join(root, 'logs/mlflow'), '1', 'c'.repeat(32), { name: 'deep' });
    await client.fileEvents([{ rel: `logs/mlflow/mlruns/1/${'c'.repeat(32)}/meta.yaml`, type: FileChangeType.Created }]);
    assert.ok(await waitFor(() => changes.some((c) => c.added.includes(`mlflow:logs/mlflow/mlruns:1/${'c'.repeat(32)}`))), JSON.stringify(changes));
  });

  it('a configured run folder that cannot be searched comes with the list as a note', async () => {
    root = gitRepo({ 'README.md': '# x\n' });
    lightningHydraTemplate(root);
    writeTree(root, {
      'configs/paths/default.yaml': 'root_dir: ${oc.env:SCRATCH}\nlog_dir: ${paths.root_dir}/logs/\noutput_dir: ${hydra:runtime.output_dir}\n',
    });
    client = await LspTestClient.start(root);
    const r = await client.connection.sendRequest(RunsListRequest, {});
    assert.deepEqual(r.runs, []);
    assert.ok(
      r.notes.some((n) => /hydra\.run\.dir '\$\{paths\.log_dir\}.*starts with a value only known at run time/.test(n)),
      r.notes.join(' | '),
    );
  });

  it('the experiments table request: one row per run, differing params first, a selection by ids', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/mlruns/\n' });
    mlflowExperiment(root, '0', 'Default');
    mlflowRun(root, '0', 'a'.repeat(32), { name: 'a', params: { lr: '0.1', batch: '32' }, metrics: { loss: '1 0.5 0\n' } });
    mlflowRun(root, '0', 'b'.repeat(32), { name: 'b', params: { lr: '0.01', batch: '32' }, metrics: { loss: '1 0.3 0\n' } });
    client = await LspTestClient.start(root);
    const t = await client.connection.sendRequest(RunsTableRequest, {});
    assert.deepEqual(
      t.columns.map((c) => c.key),
      ['lr', 'batch', 'loss'],
    );
    assert.deepEqual(t.rows.map((r) => [r.name, ...r.values]).sort(), [
      ['a', '0.1', '32', 0.5],
      ['b', '0.01', '32', 0.3],
    ]);
    const one = await client.connection.sendRequest(RunsTableRequest, { ids: [`mlflow:0/${'b'.repeat(32)}`] });
    assert.deepEqual(
      one.rows.map((r) => r.name),
      ['b'],
    );
  });

  it("the table shows the tracking services' runs beside the local ones: same columns, a W&B run and its folder one row", async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/mlruns/\n/wandb/\n' });
    mlflowExperiment(root, '0', 'Default');
    mlflowRun(root, '0', 'a'.repeat(32), { name: 'local-a', start: 1_700_000_000_000, params: { lr: '0.1', batch: '32' }, metrics: { loss: '1 0.5 0\n' } });
    wandbRun(root, 'run-20240501_100000-abc123', { format: 'current', summary: '{"loss": 0.4}' });
    // what the extension host fetched: an MLflow server run and two W&B cloud runs (one is the local folder's run)
    const mlSrv = await fakeMlflow(
      [{ experiment_id: '3', name: 'team' }],
      [
        {
          info: { run_id: 'srv1', run_name: 'server-run', experiment_id: '3', status: 'FINISHED', start_time: 1_710_000_000_000, lifecycle_stage: 'active' },
          data: {
            params: [
              { key: 'lr', value: '0.01' },
              { key: 'warmup', value: '100' },
            ],
            metrics: [
              { key: 'loss', value: 0.2, timestamp: 1, step: 5 },
              { key: 'bleu', value: 31.5, timestamp: 1, step: 5 },
            ],
          },
        },
      ],
    ).start();
    const wbSrv = await fakeWandb(
      'team',
      'nlp',
      [
        {
          id: 'g1',
          name: 'abc123',
          displayName: 'local-and-cloud',
          state: 'finished',
          config: { lr: { value: 0.001 } },
          summaryMetrics: { loss: 0.4, acc: 0.9 },
          createdAt: '2024-05-01T10:00:00',
        },
        {
          id: 'g2',
          name: 'zzz999',
          displayName: 'cloud-only',
          state: 'running',
          config: { lr: { value: 0.003 } },
          summaryMetrics: { loss: 0.7 },
          createdAt: '2024-06-01T10:00:00',
        },
      ],
      'k3y',
    ).start();
    try {
      const remote = new RemoteRuns([
        new MlflowServerSource(mlflowServerConfig(mlSrv.url, {}), { timeoutMs: 5000 }),
        new WandbCloudSource(wandbConfig('team/nlp', { WANDB_BASE_URL: wbSrv.url, WANDB_API_KEY: 'k3y' }), { timeoutMs: 5000 }),
      ]);
      await remote.load();
      await remote.done;
      // sent as the extension sends it (tableView.ts)
      const sets: RunsTableRemote[] = remote.sets().map((st) => ({
        runs: st.runs.map((r) => runToWire(r)),
        ...(st.wandbProject !== undefined ? { wandbProject: st.wandbProject, complete: !!st.complete } : {}),
      }));
      client = await LspTestClient.start(root);
      const local = await client.connection.sendRequest(RunsTableRequest, {});
      assert.deepEqual(local.rows.map((r) => r.id.split(':')[0]).sort(), ['mlflow', 'wandb'], 'without them: the two local runs');
      const t = await client.connection.sendRequest(RunsTableRequest, { remote: sets });
      const names = t.rows.map((r) => r.name);
      assert.equal(t.rows.length, 4, names.join(', '));
      assert.ok(names.includes('server-run') && names.includes('cloud-only') && names.includes('local-a'), names.join(', '));
      // the local W&B folder and its cloud run: one row, the folder's (its files open), with the cloud's extra metric
      const wb = t.rows.filter((r) => r.id.startsWith('wandb'));
      assert.deepEqual(wb.map((r) => r.id.split(':')[0]).sort(), ['wandb', 'wandb-cloud']);
      const col = (key: string, kind: 'param' | 'metric') => t.columns.findIndex((c) => c.key === key && c.kind === kind);
      const val = (name: string, key: string, kind: 'param' | 'metric') => t.rows.find((r) => r.name === name)!.values[col(key, kind)] ?? null;
      assert.equal(val('server-run', 'lr', 'param'), '0.01', 'one lr column for local and server runs');
      assert.equal(val('local-a', 'lr', 'param'), '0.1');
      assert.equal(val('server-run', 'bleu', 'metric'), 31.5);
      assert.equal(val('server-run', 'loss', 'metric'), 0.2);
      assert.equal(val('cloud-only', 'loss', 'metric'), 0.7);
      const merged = wb.find((r) => r.id.startsWith('wandb:'))!;
      assert.equal(merged.values[col('acc', 'metric')], 0.9, 'the cloud summary fills what the folder lacks');
      assert.equal(merged.folder, true);
      // the same columns the view's runs give (the engine's table of the merged list)
      const expected = runsTable(
        mergeRemoteRuns(
          (await client.connection.sendRequest(RunsListRequest, { complete: true })).runs.map((w) => runFromWire(w, root)),
          remote.sets(),
        ),
      );
      assert.deepEqual(t.columns, expected.columns);
      // the server's index is left as it was: the local table has no cloud metric
      const after = await client.connection.sendRequest(RunsTableRequest, {});
      assert.ok(!after.columns.some((c) => c.key === 'acc'), JSON.stringify(after.columns));
      // a selection of a local and a server run
      const two = await client.connection.sendRequest(RunsTableRequest, {
        ids: [`mlflow:0/${'a'.repeat(32)}`, t.rows.find((r) => r.name === 'server-run')!.id],
        remote: sets,
      });
      assert.deepEqual(two.rows.map((r) => r.name).sort(), ['local-a', 'server-run']);
      // what does not have the shape of a run is refused at the boundary
      await assert.rejects(client.connection.sendRequest(RunsTableRequest, { remote: [{ runs: [{ id: 1 }] }] } as never), /Invalid|params/i);
    } finally {
      await mlSrv.stop();
      await wbSrv.stop();
    }
  });

  /** The runs of a list as the client has them. */
  const runsOf = (r: RunsListResult) => r.runs.map((w) => runFromWire(w, r.workspaceFolder));

  const waitFor = async (pred: () => boolean, ms = 15000) => {
    const deadline = Date.now() + ms;
    while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return pred();
  };

  it('a large workspace is listed from summaries first; params and metrics follow in the background and on request', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/lightning_logs/\n' });
    const n = LAZY_MIN_LOCATIONS + 20;
    for (let i = 0; i < n; i++) lightningRun(root, i, { mtime: Date.UTC(2024, 3, 1) + i * 60000 });
    client = await LspTestClient.start(root);
    const changes: RunsChangedParams[] = [];
    client.connection.onNotification(RunsChangedNotification, (p: RunsChangedParams) => void changes.push(p));
    const first = await client.connection.sendRequest(RunsListRequest, {});
    assert.equal(first.runs.length, n);
    assert.equal(first.pending, n, 'answered before any run was parsed');
    // summaries travel without their empty params, metrics, warnings and unknown status
    assert.ok(first.runs.every((r) => r.pending && !('metrics' in r) && !('params' in r) && !('warnings' in r) && !('status' in r)));
    assert.ok(
      first.runs.every((r) => typeof r.startTime === 'number' && r.folder === `lightning_logs${path.sep}${r.id.slice('lightning:'.length)}`),
      'folders relative to the workspace folder',
    );
    assert.ok(
      runsOf(first).every((r) => r.source === 'lightning' && r.folder === path.join(root, 'lightning_logs', r.name)),
      'restored by the client',
    );
    assert.equal(first.runs[0].id, `lightning:version_${n - 1}`, 'newest first from the summary already');
    // one run asked for is read at once
    const one = await client.connection.sendRequest(RunDetailsRequest, { ids: ['lightning:version_7'] });
    assert.equal(one.runs.length, 1);
    assert.equal(one.runs[0].pending, undefined);
    assert.deepEqual(one.runs[0].metrics, { train_loss: 0.3, val_loss: 0.2 });
    // the background reading ends with one notification that says nothing is pending
    assert.ok(await waitFor(() => changes.some((c) => c.pending === 0)), 'background reading announced');
    const all = await client.connection.sendRequest(RunsListRequest, {});
    assert.equal(all.pending, 0);
    const full = runsOf(all);
    assert.ok(
      full.every((r) => !r.pending && r.metrics.val_loss === 0.2),
      'every run read',
    );
    assert.deepEqual(
      full.find((r) => r.id === 'lightning:version_7'),
      one.runs[0],
      'the list and the details give the same run',
    );
  });

  it('a new run shows within the short debounce, carried in the notification; a live run is read at most once a second', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/wandb/\n' });
    wandbRun(root, 'run-20240501_100000-live0001', { format: 'current', summary: '{"loss": 1}' });
    client = await LspTestClient.start(root);
    const changes: { at: number; p: RunsChangedParams }[] = [];
    client.connection.onNotification(RunsChangedNotification, (p: RunsChangedParams) => void changes.push({ at: Date.now(), p }));
    await client.connection.sendRequest(RunsListRequest, {});

    // a new run: a burst of events for its files is one notification that carries the run itself
    wandbRun(root, 'run-20240502_100000-new00002', { format: 'current', summary: '{"loss": 0.4}' });
    const sent = Date.now();
    await client.fileEvents([
      { rel: 'wandb/run-20240502_100000-new00002/files/config.yaml', type: FileChangeType.Created },
      { rel: 'wandb/run-20240502_100000-new00002/files/wandb-summary.json', type: FileChangeType.Created },
      { rel: 'wandb/run-20240502_100000-new00002/run-new00002.wandb', type: FileChangeType.Created },
    ]);
    assert.ok(await waitFor(() => changes.length > 0), 'notified');
    assert.ok(changes[0].at - sent < 2000, `notified after ${changes[0].at - sent} ms`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(changes.length, 1, 'one notification for the burst');
    assert.deepEqual(changes[0].p.added, ['wandb:run-20240502_100000-new00002']);
    assert.equal(changes[0].p.runs?.[0].metrics?.loss, 0.4, 'the notification carries the new run');

    // a live run writes its summary every 25 ms for 1.5 s: far fewer re-reads than events, and the last value arrives
    changes.length = 0;
    const summary = path.join(root, 'wandb/run-20240501_100000-live0001/files/wandb-summary.json');
    let events = 0;
    for (let step = 1; step <= 60; step++) {
      fs.writeFileSync(summary, JSON.stringify({ loss: 1 / (step + 1), _step: step }));
      await client.fileEvents([{ rel: 'wandb/run-20240501_100000-live0001/files/wandb-summary.json', type: FileChangeType.Changed }]);
      events++;
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 1500)); // the throttled last read
    assert.ok(changes.length >= 1 && changes.length <= 4, `${changes.length} notifications for ${events} events`);
    const live = runsOf(await client.connection.sendRequest(RunsListRequest, {})).find((r) => r.id === 'wandb:run-20240501_100000-live0001')!;
    assert.equal(live.metrics.loss, 1 / 61, 'the last write is read');
    assert.equal(changes.at(-1)!.p.runs?.[0].metrics?.loss, 1 / 61);
  });
});
