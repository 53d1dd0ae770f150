/**
 * The Runs view with an MLflow tracking server (the tests' fake server on 127.0.0.1): its runs appear beside the local
 * ones once `mlopsHygiene.mlflow.trackingUri` is set in the user settings, and a refused token becomes a message row
 * with the action, the local runs still shown. Runs in the editor suite (npm run test:editor).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { fakeMlflow, fakeWandb, type FakeServer } from '../support/fakeTracking';
import { mlflowExperiment, mlflowRun, wandbRun } from '../support/runFixtures';
import { gitRepo, rmrf } from '../support/tmp';
import { CodeServer, codeServerInstalled } from './harness/codeServer';
import { closeShared, openEditor, sharedBrowser, sharedExtensionsDir, sharedServer, type EditorSession } from './harness/session';
import { ARTEFACTS, Workbench } from './harness/workbench';

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
    srv = await fakeMlflow(
      [{ experiment_id: '4', name: 'team-exp' }],
      [
        {
          info: {
            run_id: 'aa11',
            run_name: 'teammate-alpha',
            experiment_id: '4',
            status: 'FINISHED',
            start_time: Date.UTC(2024, 5, 1, 9),
            end_time: Date.UTC(2024, 5, 1, 10),
            lifecycle_stage: 'active',
          },
          data: { params: [{ key: 'lr', value: '0.3' }], metrics: [{ key: 'loss', value: 0.42, timestamp: 1, step: 2 }] },
        },
        {
          info: {
            run_id: 'bb22',
            run_name: 'teammate-beta',
            experiment_id: '4',
            status: 'RUNNING',
            start_time: Date.UTC(2024, 5, 2, 9),
            lifecycle_stage: 'active',
          },
          data: {},
        },
        {
          info: {
            run_id: 'cc33',
            run_name: 'teammate-deleted',
            experiment_id: '4',
            status: 'FINISHED',
            start_time: Date.UTC(2024, 5, 3, 9),
            lifecycle_stage: 'deleted',
          },
          data: {},
        },
      ],
    ).start();
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
      const rows = await s.wb.waitForTreeRows(
        'Runs',
        'teammate-alpha, teammate-beta and loc4l001',
        (rows) => ['teammate-alpha', 'teammate-beta', 'loc4l001'].every((n) => rows.some((r) => r.label.startsWith(n))),
        60_000,
      );
      assert.ok(!rows.some((r) => r.label.includes('teammate-deleted')));
    });
    assert.ok(srv.requests.some((q) => q.path === '/api/2.0/mlflow/runs/search' && q.body.run_view_type === 'ACTIVE_ONLY'));
  });

  it('a refused token is a message row with its action; the local run is still listed', async () => {
    srv.behaviour.requireAuth = 'Bearer the-right-one';
    await s.wb.step('refresh the Runs view', () => s.wb.runCommand('MLOps Hygiene: Refresh Runs'));
    await s.wb.step('a row says the credentials were refused and offers to set them', () =>
      s.wb.waitForTreeRows(
        'Runs',
        'the 401 message row',
        (rows) => rows.some((r) => /refused the credentials \(HTTP 401/.test(r.label) && /Set Credentials/.test(r.label)),
        60_000,
      ),
    );
    await s.wb.step('the local run is still there', () =>
      s.wb.waitForTreeRows(
        'Runs',
        'loc4l001',
        (rows) => rows.some((r) => r.label.startsWith('loc4l001')) || rows.some((r) => r.label.startsWith('Weights')),
        30_000,
      ),
    );
  });
});

describe('editor: Runs view with an MLflow tracking server, restricted workspace', () => {
  let folder: string;
  let s: EditorSession;
  let srv: FakeServer;
  let settingsFile: string;
  let original: string;

  before(async () => {
    srv = await fakeMlflow(
      [{ experiment_id: '4', name: 'team-exp' }],
      [{ info: { run_id: 'aa11', run_name: 'teammate-alpha', experiment_id: '4', status: 'FINISHED', start_time: 1, lifecycle_stage: 'active' }, data: {} }],
    ).start();
    // a DVC-tracked folder too (as `dvc add data` leaves it), for the Data view
    folder = gitRepo({
      'README.md': '# remote runs\n',
      'requirements.txt': 'mlflow==2.20.3\n',
      '.gitignore': 'wandb/\n/data\n',
      '.dvc/config': '',
      '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
      'data.dvc': 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: data\n',
    });
    fs.mkdirSync(path.join(folder, 'data'));
    fs.writeFileSync(path.join(folder, 'data', 'foo'), 'foo');
    wandbRun(folder, 'run-20240501_100000-loc4l001', { format: 'current', summary: '{"loss": 0.5}' });
    const { server } = await sharedServer('restricted');
    settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
    original = fs.readFileSync(settingsFile, 'utf8');
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ ...JSON.parse(original), 'mlopsHygiene.mlflow.trackingUri': srv.url, 'mlopsHygiene.wandb.project': 'team/proj' }, null, 2),
    );
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
      s.wb.waitForTreeRows(
        'Runs',
        'the Restricted Mode row and the W&B source',
        (rows) =>
          rows.some((r) => r.label.startsWith('Restricted Mode: tracking servers are not contacted')) && rows.some((r) => r.label.startsWith('Weights')),
        60_000,
      ),
    );
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(srv.requests.length, 0, 'no request reached the tracking server');
  });

  it('the Data view lists the tracked data and says why its actions are disabled', async () => {
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    await s.wb.step('the Data view says it only reads files in Restricted Mode, and why', async () => {
      const pane = s.wb.viewPane('Data');
      const header = pane.locator('.pane-header').first();
      if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
      const message = pane.locator('.pane-body', { hasText: 'Restricted Mode: this workspace is not trusted, so the Data view only reads files' }).first();
      await message.waitFor({ timeout: 30_000 });
      assert.match(await message.innerText(), /run git and dvc and are disabled until you trust the workspace/);
    });
    await s.wb.step('its item for data/ is listed below the message', () =>
      s.wb.waitForTreeRows('Data', 'the data item', (rows) => rows.some((r) => /\bdata\b/.test(r.label)), 30_000),
    );
  });
});

describe('editor: Runs view offers the tracking server the code names', () => {
  let folder: string;
  let s: EditorSession;
  let srv: FakeServer;
  let settingsFile: string;
  let original: string;

  before(async () => {
    srv = await fakeMlflow(
      [{ experiment_id: '4', name: 'team-exp' }],
      [
        {
          info: {
            run_id: 'aa11',
            run_name: 'hinted-run',
            experiment_id: '4',
            status: 'FINISHED',
            start_time: Date.UTC(2024, 5, 1, 9),
            lifecycle_stage: 'active',
          },
          data: {},
        },
      ],
    ).start();
    folder = gitRepo({
      'README.md': '# hints\n',
      'requirements.txt': 'mlflow==2.20.3\n',
      'src/train.py': `import mlflow\nmlflow.set_tracking_uri("${srv.url}")\n`,
    });
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
      s.wb.waitForTreeRows(
        'Runs',
        'the suggestion row',
        (rows) => rows.some((r) => r.label.startsWith(`src/train.py:2 logs runs to the MLflow server ${srv.url}`)),
        60_000,
      ),
    );
    assert.equal(srv.requests.length, 0, 'not contacted before it is accepted');
    await s.wb.step('click it and confirm', async () => {
      // a click that lands while the view redraws (its layout rows arrive a moment later) reaches a row VS Code has
      // already replaced, and VS Code answers "Actual command not found": click the row as it is now, again
      let text = '';
      for (let attempt = 1; !text; attempt++) {
        await s.wb.viewPane('Runs').locator('.pane-body .monaco-list-row', { hasText: 'logs runs to the MLflow server' }).first().click();
        text = await s.wb.dialogText(attempt < 3 ? 5_000 : 20_000).catch((e) => {
          if (attempt >= 3) throw e;
          return '';
        });
      }
      assert.match(text, /List the runs of the MLflow tracking server/);
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
    assert.equal(
      saved.length,
      1,
      `saved in the user or machine settings; ${files.map((f) => `${f}: ${fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '(none)'}`).join('\n')}`,
    );
    machineFile = files[1];
  });
});

/** Polls `pred` until it holds (then true) or the time is out (then false). */
async function until(pred: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Every file under `dir` whose text contains `needle` (settings, logs, caches: wherever a secret must not be). */
function filesContaining(dir: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.statSync(p).size < 64 * 1024 * 1024 && fs.readFileSync(p).includes(needle)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

describe('editor: W&B and MLflow runs in the view and the experiments table (settings, Set Credentials, cache)', () => {
  const WANDB_KEY = 'e2e-wandb-key-4f1c9a';
  let folder: string;
  let wb: Workbench;
  let server: CodeServer;
  let mlflow: FakeServer;
  let wandb: FakeServer;

  before(async () => {
    // 120 runs on the team's MLflow server (more than the table shows at once), two W&B cloud runs, one of them the
    // run of the local wandb/ folder
    const runs = Array.from({ length: 120 }, (_, i) => ({
      info: {
        run_id: `t${String(i).padStart(3, '0')}`,
        run_name: `team-run-${String(i).padStart(3, '0')}`,
        experiment_id: '4',
        status: 'FINISHED',
        start_time: Date.UTC(2024, 5, 1) + i * 60_000,
        end_time: Date.UTC(2024, 5, 1) + i * 60_000 + 30_000,
        lifecycle_stage: 'active' as const,
      },
      data: {
        params: [
          { key: 'lr', value: String([0.1, 0.01, 0.001][i % 3]) },
          { key: 'batch', value: String([16, 32][i % 2]) },
        ],
        metrics: [{ key: 'loss', value: 1 / (i + 2), timestamp: 1, step: 10 }],
      },
    }));
    mlflow = await fakeMlflow([{ experiment_id: '4', name: 'team-exp' }], runs).start();
    wandb = await fakeWandb(
      'team',
      'nlp',
      [
        {
          id: 'g1',
          name: 'abc123',
          displayName: 'local-and-cloud',
          state: 'finished',
          config: { lr: { value: 0.002 } },
          summaryMetrics: { loss: 0.4, acc: 0.91 },
          createdAt: '2024-05-01T10:00:00',
        },
        {
          id: 'g2',
          name: 'zzz999',
          displayName: 'cloud-only',
          state: 'running',
          config: { lr: { value: 0.003 } },
          summaryMetrics: { loss: 0.7 },
          createdAt: '2024-07-01T10:00:00',
        },
      ],
      WANDB_KEY,
    ).start();
    folder = gitRepo({ 'README.md': '# team runs\n', 'requirements.txt': 'mlflow==2.20.3\nwandb==0.19.1\n', '.gitignore': 'wandb/\nmlruns/\n' });
    wandbRun(folder, 'run-20240501_100000-abc123', { format: 'current', summary: '{"loss": 0.4}' });
    mlflowExperiment(folder, '0', 'Default');
    mlflowRun(folder, '0', 'd'.repeat(32), {
      name: 'local-mlflow',
      start: Date.UTC(2024, 4, 2),
      params: { lr: '0.05', batch: '64' },
      metrics: { loss: '1 0.33 3\n' },
    });
    // the project and the server as a user sets them (user settings); a W&B server is named by WANDB_BASE_URL, as for
    // wandb itself: in the environment VS Code starts with. The API key: not yet.
    server = await CodeServer.start({
      extensionsDir: sharedExtensionsDir(),
      logFile: path.join(ARTEFACTS, 'logs', 'code-server-wandb.log'),
      settings: { 'security.workspace.trust.enabled': false, 'mlopsHygiene.mlflow.trackingUri': mlflow.url, 'mlopsHygiene.wandb.project': 'team/nlp' },
      env: { WANDB_BASE_URL: wandb.url },
    });
    wb = await Workbench.open(await sharedBrowser(), server.folderUrl(folder), 'remote-runs-wandb-table');
  });
  after(async () => {
    await wb?.close();
    await server?.stop();
    await mlflow?.stop();
    await wandb?.stop();
    if (folder) rmrf(folder);
  });

  it('without a key the W&B row offers Set Credentials (nothing sent); the MLflow and local runs are listed', async () => {
    await wb.step('open the MLOps container', () => wb.openViewContainer('MLOps'));
    await wb.step('the W&B row asks for credentials; the MLflow source is there', () =>
      wb.waitForTreeRows(
        'Runs',
        'the W&B key row and the MLflow source',
        (rows) =>
          rows.some((r) => r.label.startsWith('W&B project team/nlp: no W&B API key') && /Set Credentials/.test(r.label)) &&
          rows.some((r) => r.label.startsWith('MLflow')),
        60_000,
      ),
    );
    assert.equal(wandb.requests.length, 0, 'no request without a key');
  });

  it('Set Tracking Server Credentials takes the W&B key in a password box; it reaches the server and no file', async () => {
    await wb.step('run "MLOps Hygiene: Set Tracking Server Credentials..."', () => wb.runCommand('Set Tracking Server Credentials'));
    await wb.step('pick "W&B: API key"', async () => {
      await wb.quickPickRows(/Tracking server credentials/);
      await wb.pickQuickItem(/W&B: API key/);
    });
    await wb.step('type the key into the password input box', async () => {
      await wb.quickInput
        .locator('.quick-input-message, .quick-input-title', { hasText: /W&B API key/ })
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
      assert.equal(await wb.quickInputBox.getAttribute('type'), 'password', 'the key is typed into a password box');
      await wb.answerInputBox(WANDB_KEY);
    });
    await wb.step('the W&B cloud runs are listed: the cloud-only run, and the local folder merged with its cloud run', async () => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const rows = await wb.treeRows('Runs');
        if (rows.some((r) => r.label.startsWith('cloud-only')) && rows.some((r) => r.label.startsWith('local-and-cloud'))) return;
        const collapsed = rows.find((r) => r.expanded === false && r.level <= 2 && /^(Weights|team\/nlp|wandb)/.test(r.label));
        if (collapsed) await wb.expandTreeRow('Runs', collapsed.label);
        else await new Promise((r) => setTimeout(r, 500));
      }
      const rows = await wb.treeRows('Runs');
      assert.fail(`W&B runs missing; rows: ${rows.map((r) => r.label).join(' | ')}`);
    });
    const basic = 'Basic ' + Buffer.from(`api:${WANDB_KEY}`).toString('base64');
    assert.ok(
      wandb.requests.some((q) => q.authorization === basic),
      'the key was sent as W&B expects it (basic auth, user api)',
    );
    // SecretStorage only: not in the settings, the output channel's log, any log or state file of the server
    const found = [...filesContaining(server.userDataDir, WANDB_KEY), ...filesContaining(path.join(ARTEFACTS, 'logs'), WANDB_KEY)];
    assert.deepEqual(found, [], 'the key is written to no file of the editor');
    const settings = fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8');
    assert.ok(!settings.includes(WANDB_KEY) && settings.includes('"mlopsHygiene.wandb.project": "team/nlp"'));
    const outputs = filesContaining(path.join(server.userDataDir, 'logs'), 'MLOps Hygiene');
    assert.ok(outputs.length > 0, 'the output channel writes a log file (searched for the key above)');
  });

  let tableFrame: Frame;
  const openTable = async (what: string) =>
    wb.step(what, async () => {
      await wb.runCommand('Open Experiments Table');
      await wb.page.locator('.tab', { hasText: 'Experiments' }).first().waitFor({ timeout: 30_000 });
      const f = await wb.webviewFrame('#rows .tr', 30_000);
      assert.ok(
        await until(async () => /^123 of 123 runs/.test(await f.locator('#count').innerText()), 30_000),
        `count: ${await f.locator('#count').innerText()}`,
      );
      return f;
    });
  const header = async (f: Frame) => (await f.locator('#head [data-sort]').allInnerTexts()).map((t) => t.replace(/ [▲▼]$/, '').trim());

  it('the experiments table has the MLflow server and W&B rows beside the local ones, in the same columns', async () => {
    // 120 server runs, the cloud-only W&B run, the local W&B folder (merged with its cloud run), the local MLflow run
    tableFrame = await openTable('open the experiments table: 123 rows');
    const f = tableFrame;
    for (const [name, expect] of [
      ['team-run-007', /team-exp/],
      ['cloud-only', /running/],
      ['local-and-cloud', /\b0\.91\b/],
      ['local-mlflow', /\b64\b/],
    ] as const) {
      await wb.step(`filter: ${name}`, async () => {
        await f.locator('#filter').fill(name);
        assert.ok(await until(async () => (await f.locator('#rows .tr').count()) === 1, 10_000), `one row for ${name}`);
        const text = await f.locator('#rows .tr').first().innerText();
        assert.match(text, new RegExp(name));
        assert.match(text, expect);
      });
    }
    await f.locator('#filter').fill('');
    const cols = await header(f);
    assert.ok(
      ['lr', 'batch', 'loss'].every((c) => cols.includes(c)),
      `one lr/batch/loss column for every source: ${cols.join(', ')}`,
    );
  });

  it('the chosen columns are remembered when the table is closed and opened again', async () => {
    const f = tableFrame;
    await wb.step('Columns…: untick batch', async () => {
      await f.locator('#columns-btn').click();
      const box = f.locator('#columns-list input[data-key="batch"]');
      await box.waitFor({ timeout: 10_000 });
      await box.uncheck();
      assert.ok(await until(async () => !(await header(f)).includes('batch'), 5_000), 'batch is no longer a column');
    });
    await wb.step('close the table', async () => {
      await wb.runCommand('View: Close All Editors');
      assert.ok(await until(async () => !(await wb.tabs()).some((t) => t.includes('Experiments')), 10_000), 'the table tab closed');
    });
    tableFrame = await openTable('open the table again');
    await wb.step('batch is still hidden, lr and loss still shown', async () => {
      const cols = await header(tableFrame);
      assert.ok(!cols.includes('batch') && cols.includes('lr') && cols.includes('loss'), cols.join(', '));
      await tableFrame.locator('#columns-btn').click();
      assert.equal(await tableFrame.locator('#columns-list input[data-key="batch"]').isChecked(), false);
      assert.equal(await tableFrame.locator('#columns-list input[data-key="lr"]').isChecked(), true);
      await tableFrame.locator('#columns-btn').click();
    });
  });

  it('the keyboard moves through the rows, selects with Space, and keeps the focused row in view', async () => {
    const f = tableFrame;
    // (page code as strings: the tests compile without the DOM library)
    const focused = () => f.evaluate<string | null>("document.activeElement ? document.activeElement.getAttribute('data-i') : null");
    const inView = () =>
      f.evaluate<boolean>(`(() => {
        const body = document.getElementById('body').getBoundingClientRect();
        const r = document.activeElement.getBoundingClientRect();
        return r.top >= body.top - 1 && r.bottom <= body.bottom + 1;
      })()`);
    // keys go to whatever has the focus, as a user's do (a locator's press would focus its element first)
    const key = (k: string) => wb.page.keyboard.press(k);
    await wb.step('focus the rows: the first row has the focus (the one tab stop)', async () => {
      await f.locator('#rows .tr[tabindex="0"]').first().focus();
      assert.equal(await focused(), '0');
    });
    await wb.step('ArrowDown twice: the third row', async () => {
      await key('ArrowDown');
      await key('ArrowDown');
      assert.equal(await focused(), '2');
      assert.equal(await f.locator('#rows .tr[data-i="2"]').getAttribute('tabindex'), '0', 'one tab stop: the focused row');
    });
    await wb.step('Space selects it, the count says so, and the focus stays on it', async () => {
      await key(' ');
      assert.equal(await f.locator('#rows .tr[data-i="2"]').getAttribute('aria-selected'), 'true');
      assert.match(await f.locator('#count').innerText(), /1 selected/);
      assert.equal(await f.locator('#chart-btn').isDisabled(), false, 'a selection can be charted');
      assert.equal(await focused(), '2');
      await key('ArrowDown');
      assert.equal(await focused(), '3', 'the arrows still work after Space');
    });
    await wb.step('End: the last row is focused and scrolled into view', async () => {
      await key('End');
      assert.ok(await until(async () => (await focused()) === '122', 5_000), `focused ${await focused()}`);
      assert.ok(await inView(), 'the focused last row is inside the visible part of the table');
      assert.ok((await f.evaluate<number>("document.getElementById('body').scrollTop")) > 0, 'the table scrolled');
    });
    await wb.step('PageUp and ArrowUp move up, the focused row stays in view', async () => {
      await key('PageUp');
      assert.ok(await until(async () => Number(await focused()) < 122, 5_000), `PageUp: focused ${await focused()}`);
      const afterPage = Number(await focused());
      assert.ok(afterPage > 0, `PageUp went to ${afterPage}`);
      assert.ok(await inView());
      await key('ArrowUp');
      assert.ok(await until(async () => Number(await focused()) === afterPage - 1, 5_000), `ArrowUp: focused ${await focused()}`);
      assert.ok(await inView());
    });
    await wb.step('Home: back to the first row, the third row still selected', async () => {
      await key('Home');
      assert.ok(await until(async () => (await focused()) === '0', 5_000), `Home: focused ${await focused()}`);
      assert.ok(await inView());
      assert.equal(await f.locator('#rows .tr[data-i="2"]').getAttribute('aria-selected'), 'true');
    });
  });

  it('at the next open the cached server runs are shown before the (slow) servers answer', async () => {
    // the runs fetched above are in the workspace state; the servers now take 20 s to answer
    const DELAY = 20_000;
    mlflow.behaviour.delayMs = DELAY;
    wandb.behaviour.delayMs = DELAY;
    const asked = mlflow.requests.length;
    const t0 = Date.now();
    await wb.step('reload the window', async () => {
      await wb.page.reload({ waitUntil: 'commit' });
      await wb.page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      await wb.statusItem.waitFor({ timeout: 120_000 });
    });
    await wb.step('open the MLOps container', () => wb.openViewContainer('MLOps'));
    await wb.step('a row says the MLflow runs come from the cache and are being refreshed; the runs are there', async () => {
      await wb.waitForTreeRows(
        'Runs',
        'the cache row',
        (rows) => rows.some((r) => r.label.startsWith(`MLflow server ${mlflow.url}: 120 runs from `) && /refreshing/.test(r.label)),
        DELAY - 2_000,
      );
      await wb.expandTreeRow('Runs', /^team-exp/);
      await wb.waitForTreeRows('Runs', 'team-run-119', (rows) => rows.some((r) => r.label.startsWith('team-run-119')), 5_000);
    });
    const shownAfter = Date.now() - t0;
    assert.ok(shownAfter < DELAY, `shown ${shownAfter} ms after the reload, before any answer could come (${DELAY} ms)`);
    assert.ok(await until(async () => mlflow.requests.length > asked, 10_000), 'the server is asked again meanwhile');
    mlflow.behaviour.delayMs = 0;
    wandb.behaviour.delayMs = 0;
    await wb.step('once the server answers, the cache row goes', () =>
      wb.waitForTreeRows(
        'Runs',
        'no cache row',
        (rows) => !rows.some((r) => r.label.startsWith(`MLflow server ${mlflow.url}: 120 runs from `)),
        DELAY + 30_000,
      ),
    );
  });
});

describe('editor: MLFLOW_TRACKING_URI of a git-ignored .env is a suggestion; accepting it lists the runs', () => {
  let folder: string;
  let s: EditorSession;
  let srv: FakeServer;
  let settingsFile: string;
  let machineFile: string;
  let original: string;
  let originalMachine: string | undefined;

  before(async () => {
    srv = await fakeMlflow(
      [{ experiment_id: '2', name: 'env-exp' }],
      [
        {
          info: { run_id: 'ee11', run_name: 'env-run', experiment_id: '2', status: 'FINISHED', start_time: Date.UTC(2024, 5, 1, 9), lifecycle_stage: 'active' },
          data: { params: [{ key: 'lr', value: '0.2' }] },
        },
      ],
    ).start();
    const port = new URL(srv.url).port;
    // as cookiecutter-data-science has it: .env ignored by git, the URI (here with a user and password) in it
    folder = gitRepo({
      'README.md': '# env\n',
      'requirements.txt': 'mlflow==2.20.3\npython-dotenv==1.0.1\n',
      '.gitignore': '.env\n',
      'src/train.py': 'from dotenv import load_dotenv\nimport mlflow\nload_dotenv()\nmlflow.log_param("lr", 0.2)\n',
    });
    fs.writeFileSync(path.join(folder, '.env'), `# team tracking server\nMLFLOW_TRACKING_URI=http://ana:pw-e2e-77@127.0.0.1:${port}\n`);
    const { server } = await sharedServer('trusted');
    settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
    machineFile = path.join(server.userDataDir, 'Machine', 'settings.json');
    original = fs.readFileSync(settingsFile, 'utf8');
    originalMachine = fs.existsSync(machineFile) ? fs.readFileSync(machineFile, 'utf8') : undefined;
    // nothing configured (an earlier suite may have saved a suggestion): the view offers what the project names
    const strip = (text: string) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(JSON.parse(text || '{}')).filter(([k]) => !k.startsWith('mlopsHygiene.mlflow') && !k.startsWith('mlopsHygiene.wandb')),
        ),
        null,
        2,
      );
    fs.writeFileSync(settingsFile, strip(original));
    if (originalMachine !== undefined) fs.writeFileSync(machineFile, strip(originalMachine));
    s = await openEditor('remote-runs-dotenv', folder, 'trusted');
  });
  after(async () => {
    if (settingsFile && original) fs.writeFileSync(settingsFile, original);
    if (machineFile) {
      if (originalMachine === undefined) fs.rmSync(machineFile, { force: true });
      else fs.writeFileSync(machineFile, originalMachine);
    }
    await s?.close();
    await srv?.stop();
    if (folder) rmrf(folder);
  });

  it('offers .env:2 without its credentials, contacts nothing before, lists the runs once accepted', async () => {
    const uri = srv.url; // http://127.0.0.1:<port>: user and password left out
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    await s.wb.step('a row says .env logs runs to the server (no password shown)', async () => {
      const rows = await s.wb.waitForTreeRows(
        'Runs',
        'the .env suggestion row',
        (rows) => rows.some((r) => r.label.startsWith(`.env:2 logs runs to the MLflow server ${uri}`)),
        60_000,
      );
      assert.ok(!rows.some((r) => r.label.includes('pw-e2e-77')), 'the password is not shown');
    });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(srv.requests.length, 0, 'nothing is contacted before the user accepts');
    await s.wb.step('click it: the confirmation names the server; accept', async () => {
      await s.wb.viewPane('Runs').locator('.pane-body .monaco-list-row', { hasText: '.env:2 logs runs to the MLflow server' }).first().click();
      const text = await s.wb.dialogText();
      assert.match(text, new RegExp(`List the runs of the MLflow tracking server ${uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?`));
      assert.ok(!text.includes('pw-e2e-77'));
      await s.wb.answerDialog('List Its Runs');
    });
    await s.wb.step('the server runs are listed', async () => {
      await s.wb.waitForTreeRows('Runs', 'the MLflow source', (rows) => rows.some((r) => r.label.startsWith('MLflow')), 60_000);
      await s.wb.expandTreeRow('Runs', /^env-exp/);
      await s.wb.waitForTreeRows('Runs', 'env-run', (rows) => rows.some((r) => r.label.startsWith('env-run')), 30_000);
    });
    assert.ok(srv.requests.some((q) => q.path === '/api/2.0/mlflow/runs/search'));
    assert.ok(
      srv.requests.every((q) => !q.authorization),
      'the .env credentials are not used: they are no setting',
    );
    const saved = [settingsFile, machineFile].filter(
      (f) => fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes(`"mlopsHygiene.mlflow.trackingUri": "${uri}"`),
    );
    assert.equal(saved.length, 1, 'saved in the user (or machine) settings');
    assert.ok(!fs.readFileSync(saved[0], 'utf8').includes('pw-e2e-77'), 'no password in the settings');
  });
});
