/**
 * The Runs view with an MLflow tracking server (the tests' fake server on 127.0.0.1): its runs appear beside the local
 * ones once `mlopsHygiene.mlflow.trackingUri` is set in the user settings, and a refused token becomes a message row
 * with the action, the local runs still shown. Runs in the editor suite (npm run test:editor).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeMlflow, type FakeServer } from '../support/fakeTracking';
import { wandbRun } from '../support/runFixtures';
import { gitRepo, rmrf } from '../support/tmp';
import { codeServerInstalled } from './harness/codeServer';
import { closeShared, openEditor, sharedServer, type EditorSession } from './harness/session';

before(function () {
  const missing = codeServerInstalled();
  if (missing) throw new Error(missing);
});
after(closeShared);

describe('editor: Runs view with an MLflow tracking server', () => {
  let folder: string;
  let s: EditorSession;
  let srv: FakeServer;
  let settingsFile: string;
  let original: string;

  const setSettings = (extra: Record<string, unknown>) => fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), ...extra }, null, 2));

  before(async () => {
    srv = await fakeMlflow([{ experiment_id: '4', name: 'team-exp' }], [
      { info: { run_id: 'aa11', run_name: 'teammate-alpha', experiment_id: '4', status: 'FINISHED', start_time: Date.UTC(2024, 5, 1, 9), end_time: Date.UTC(2024, 5, 1, 10), lifecycle_stage: 'active' }, data: { params: [{ key: 'lr', value: '0.3' }], metrics: [{ key: 'loss', value: 0.42, timestamp: 1, step: 2 }] } },
      { info: { run_id: 'bb22', run_name: 'teammate-beta', experiment_id: '4', status: 'RUNNING', start_time: Date.UTC(2024, 5, 2, 9), lifecycle_stage: 'active' }, data: {} },
      { info: { run_id: 'cc33', run_name: 'teammate-deleted', experiment_id: '4', status: 'FINISHED', start_time: Date.UTC(2024, 5, 3, 9), lifecycle_stage: 'deleted' }, data: {} },
    ]).start();
    folder = gitRepo({ 'README.md': '# remote runs\n', 'requirements.txt': 'mlflow==2.20.3\n', '.gitignore': 'wandb/\n' });
    wandbRun(folder, 'run-20240501_100000-loc4l001', { format: 'current', summary: '{"loss": 0.5}' });
    const { server } = await sharedServer('trusted');
    settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
    original = fs.readFileSync(settingsFile, 'utf8');
    setSettings({ 'mlopsHygiene.mlflow.trackingUri': srv.url });
    s = await openEditor('remote-runs', folder, 'trusted');
  });
  after(async () => {
    if (settingsFile && original) fs.writeFileSync(settingsFile, original);
    await s?.close();
    await srv?.stop();
    if (folder) rmrf(folder);
  });

  it('lists the server runs beside the local run; deleted runs are not shown', async () => {
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    await s.wb.step('the MLflow source and its experiment appear', async () => {
      await s.wb.waitForTreeRows('Runs', 'an MLflow source', (rows) => rows.some((r) => r.label.startsWith('MLflow')), 60_000);
      await s.wb.expandTreeRow('Runs', /^team-exp/);
    });
    await s.wb.step('the server runs and the local run are rows', async () => {
      await s.wb.expandTreeRow('Runs', /^wandb/).catch(() => undefined);
      const rows = await s.wb.waitForTreeRows('Runs', 'teammate-alpha, teammate-beta and loc4l001', (rows) => ['teammate-alpha', 'teammate-beta', 'loc4l001'].every((n) => rows.some((r) => r.label.startsWith(n))), 60_000);
      assert.ok(!rows.some((r) => r.label.includes('teammate-deleted')));
    });
    assert.ok(srv.requests.some((q) => q.path === '/api/2.0/mlflow/runs/search' && q.body.run_view_type === 'ACTIVE_ONLY'));
  });

  it('a refused token is a message row with its action; the local run is still listed', async () => {
    srv.behaviour.requireAuth = 'Bearer the-right-one';
    await s.wb.step('refresh the Runs view', () => s.wb.runCommand('MLOps Hygiene: Refresh Runs'));
    await s.wb.step('a row says the credentials were refused and offers to set them', () =>
      s.wb.waitForTreeRows('Runs', 'the 401 message row', (rows) => rows.some((r) => /refused the credentials \(HTTP 401/.test(r.label) && /Set Credentials/.test(r.label)), 60_000),
    );
    await s.wb.step('the local run is still there', () => s.wb.waitForTreeRows('Runs', 'loc4l001', (rows) => rows.some((r) => r.label.startsWith('loc4l001')) || rows.some((r) => r.label.startsWith('Weights')), 30_000));
  });
});

describe('editor: Runs view with an MLflow tracking server, restricted workspace', () => {
  let folder: string;
  let s: EditorSession;
  let srv: FakeServer;
  let settingsFile: string;
  let original: string;

  before(async () => {
    srv = await fakeMlflow([{ experiment_id: '4', name: 'team-exp' }], [{ info: { run_id: 'aa11', run_name: 'teammate-alpha', experiment_id: '4', status: 'FINISHED', start_time: 1, lifecycle_stage: 'active' }, data: {} }]).start();
    folder = gitRepo({ 'README.md': '# remote runs\n', 'requirements.txt': 'mlflow==2.20.3\n', '.gitignore': 'wandb/\n' });
    wandbRun(folder, 'run-20240501_100000-loc4l001', { format: 'current', summary: '{"loss": 0.5}' });
    const { server } = await sharedServer('restricted');
    settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
    original = fs.readFileSync(settingsFile, 'utf8');
    fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), 'mlopsHygiene.mlflow.trackingUri': srv.url, 'mlopsHygiene.wandb.project': 'team/proj' }, null, 2));
    s = await openEditor('remote-runs-restricted', folder, 'restricted');
  });
  after(async () => {
    if (settingsFile && original) fs.writeFileSync(settingsFile, original);
    await s?.close();
    await srv?.stop();
    if (folder) rmrf(folder);
  });

  it('contacts no tracking server and says so; the local run is listed', async () => {
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    await s.wb.step('a row says tracking servers are not contacted, the local source is listed', () =>
      s.wb.waitForTreeRows('Runs', 'the Restricted Mode row and the W&B source', (rows) => rows.some((r) => r.label.startsWith('Restricted Mode: tracking servers are not contacted')) && rows.some((r) => r.label.startsWith('Weights')), 60_000),
    );
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(srv.requests.length, 0, 'no request reached the tracking server');
  });
});

describe('editor: Runs view offers the tracking server the code names', () => {
  let folder: string;
  let s: EditorSession;
  let srv: FakeServer;
  let settingsFile: string;
  let original: string;

  before(async () => {
    srv = await fakeMlflow([{ experiment_id: '4', name: 'team-exp' }], [{ info: { run_id: 'aa11', run_name: 'hinted-run', experiment_id: '4', status: 'FINISHED', start_time: Date.UTC(2024, 5, 1, 9), lifecycle_stage: 'active' }, data: {} }]).start();
    folder = gitRepo({ 'README.md': '# hints\n', 'requirements.txt': 'mlflow==2.20.3\n', 'src/train.py': `import mlflow\nmlflow.set_tracking_uri("${srv.url}")\n` });
    const { server } = await sharedServer('trusted');
    settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
    original = fs.readFileSync(settingsFile, 'utf8');
    assert.ok(!('mlopsHygiene.mlflow.trackingUri' in JSON.parse(original)));
    s = await openEditor('remote-runs-hint', folder, 'trusted');
  });
  after(async () => {
    if (settingsFile && original) fs.writeFileSync(settingsFile, original);
    await s?.close();
    await srv?.stop();
    if (folder) rmrf(folder);
  });

  let machineFile = '';
  after(() => machineFile && fs.rmSync(machineFile, { force: true }));

  it('shows a suggestion row, contacts the server only once it is accepted, then lists its runs', async () => {
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    await s.wb.step('a row says where src/train.py logs its runs', () =>
      s.wb.waitForTreeRows('Runs', 'the suggestion row', (rows) => rows.some((r) => r.label.startsWith(`src/train.py:2 logs runs to the MLflow server ${srv.url}`)), 60_000),
    );
    assert.equal(srv.requests.length, 0, 'not contacted before it is accepted');
    await s.wb.step('click it and confirm', async () => {
      await s.wb.viewPane('Runs').locator('.pane-body .monaco-list-row', { hasText: 'logs runs to the MLflow server' }).first().click();
      assert.match(await s.wb.dialogText(), /List the runs of the MLflow tracking server/);
      await s.wb.answerDialog('List Its Runs');
    });
    await s.wb.step('its runs are listed', async () => {
      await s.wb.waitForTreeRows('Runs', 'the MLflow source', (rows) => rows.some((r) => r.label.startsWith('MLflow')), 60_000);
      await s.wb.expandTreeRow('Runs', /^team-exp/);
      await s.wb.waitForTreeRows('Runs', 'hinted-run', (rows) => rows.some((r) => r.label.startsWith('hinted-run')), 30_000);
    });
    // a machine-scoped setting saved from a remote window (code-server is one) goes to the machine's settings
    const files = [settingsFile, path.join(path.dirname(path.dirname(settingsFile)), 'Machine', 'settings.json')];
    const saved = files.filter((f) => fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes(`"mlopsHygiene.mlflow.trackingUri": "${srv.url}"`));
    assert.equal(saved.length, 1, `saved in the user or machine settings; ${files.map((f) => `${f}: ${fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '(none)'}`).join('\n')}`);
    machineFile = files[1];
  });
});
