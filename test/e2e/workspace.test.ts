/**
 * The workspace as the editor sees it (issue 14), in a real VS Code: the Runs and Data views' empty states name the open
 * project's real training script and config folder (configs/ in lightning-hydra-template, conf/ in Hydra's tutorial
 * layout, never the other) and offer the next action as a button; a multi-root workspace checks a folder added after
 * start-up, with each folder's own resource-scoped settings; a plain Python web project gets no "no tests" warning the
 * moment it opens while an ML project of the same layout does. Every step leaves a screenshot in
 * test-results/e2e/<session>/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitRepo, rmrf, tmpDir } from '../support/tmp';
import { CodeServer, codeServerInstalled } from './harness/codeServer';
import { closeShared, openEditor, sharedBrowser, sharedExtensionsDir, type EditorSession } from './harness/session';
import { ARTEFACTS, waitFor, Workbench, type ProblemRow } from './harness/workbench';

const SOURCE = 'mlops-hygiene';
const ours = (rows: ProblemRow[]) => rows.filter((r) => r.source === SOURCE);
const under = (folder: string) => (r: ProblemRow) => r.path === folder || r.path.startsWith(folder + path.sep);

before(function () {
  const missing = codeServerInstalled();
  if (missing) throw new Error(missing);
});
after(closeShared);

/** The accessible label of our status bar item (client/src/status.ts): state, counts, trust, notes. */
async function waitForStatus(wb: Workbench, re: RegExp, timeoutMs = 90_000): Promise<string> {
  let last = '';
  const ok = await waitFor(async () => {
    last =
      (await wb.page
        .locator('[aria-label^="MLOps Hygiene:"]')
        .first()
        .getAttribute('aria-label')
        .catch(() => null)) ?? '';
    return re.test(last) ? last : undefined;
  }, timeoutMs);
  if (!ok) throw new Error(`the status bar item never said ${re}; it says: ${last || '(no item)'}`);
  return ok;
}

/** A view's rows as "label · description" (read from the row's own label elements), once `predicate` holds for them. */
async function rowsOf(wb: Workbench, view: string, what: string, predicate: (labels: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
  let last: string[] = [];
  const ok = await waitFor(async () => {
    last = await wb
      .viewPane(view)
      .locator('.pane-body .monaco-list-row')
      .evaluateAll((els) =>
        els.map((e) => {
          const el = e as unknown as { querySelector(s: string): { textContent: string | null } | null };
          const name = (el.querySelector('.label-name')?.textContent ?? '').trim();
          const description = (el.querySelector('.label-description')?.textContent ?? '').trim();
          return description ? `${name} · ${description}` : name;
        }),
      )
      .catch(() => [] as string[]);
    return predicate(last) ? last : undefined;
  }, timeoutMs);
  if (!ok) throw new Error(`view "${view}": expected ${what} within ${timeoutMs} ms; rows: ${last.join(' | ') || '(none)'}`);
  return ok;
}

const hydraMain = (configPath: string, name: string, before = '') =>
  `${before}import hydra\n\n\n@hydra.main(version_base="1.3", config_path="${configPath}", config_name="${name}")\ndef main(cfg):\n    pass\n\n\nif __name__ == "__main__":\n    main()\n`;

// First: opened after the single-folder windows of this file, the multi-root window showed "You have not yet added a
// folder to the workspace" (twice in a row, after main's 23:00 changes); opened first it passes. Not understood yet.
describe('editor workspace: multi-root, a folder added after start-up, settings per folder', () => {
  let vision: string;
  let tabular: string;
  let wsDir: string;
  let wsFile: string;
  let wb: Workbench;
  before(async () => {
    // two ML projects without tests (PRJ002 in both); tabular also has no README (PRJ001) and ignores PRJ002 in its own
    // folder settings (mlopsHygiene.ignore is resource-scoped)
    vision = gitRepo({
      'README.md': '# vision\n',
      'requirements.txt': 'torch==2.3.0\n',
      'src/vision/__init__.py': '',
      'src/vision/model.py': 'import torch\n',
    });
    tabular = gitRepo({
      'requirements.txt': 'scikit-learn==1.5.0\n',
      'src/tabular/__init__.py': '',
      'src/tabular/model.py': 'import sklearn\n',
      '.vscode/settings.json': JSON.stringify({ 'mlopsHygiene.ignore': ['PRJ002'] }, null, 2),
    });
    wsDir = tmpDir('mlh-e2e-ws-');
    wsFile = path.join(wsDir, 'ml.code-workspace');
    fs.writeFileSync(wsFile, JSON.stringify({ folders: [{ path: vision }], settings: {} }, null, 2));
    // a code-server of its own: opened in the shared one after other windows, the workspace file could not be read
    // ("Unable to resolve nonexistent file", then "You have not yet added a folder"); alone it always opened
    own = await CodeServer.start({
      extensionsDir: sharedExtensionsDir(),
      logFile: path.join(ARTEFACTS, 'logs', 'code-server-multi-root.log'),
      settings: { 'security.workspace.trust.enabled': false },
    });
    wb = await Workbench.open(await sharedBrowser(), `${own.url}/?workspace=${encodeURIComponent(wsFile)}`, 'workspace-multi-root');
  });
  let own: CodeServer | undefined;
  after(async () => {
    await wb?.close();
    await own?.stop();
    for (const d of [vision, tabular, wsDir]) if (d) rmrf(d);
  });

  it('the first folder is checked: PRJ002 on vision', async () => {
    await wb.step('the check has finished', () => wb.waitForIdle(120_000));
    await wb.step('Problems: PRJ002 in vision', () =>
      wb.waitForProblems('PRJ002 under vision', (r) => ours(r).some((x) => x.code === 'PRJ002' && under(vision)(x)), 60_000),
    );
  });

  it('a folder added to the workspace file after start-up is checked with its own settings; the first keeps its own', async () => {
    await wb.step('add tabular to the workspace (the .code-workspace file, as "Add Folder to Workspace" writes it)', async () => {
      fs.writeFileSync(wsFile, JSON.stringify({ folders: [{ path: vision }, { path: tabular }], settings: {} }, null, 2));
      await wb.page
        .locator('.explorer-folders-view .monaco-list-row, .pane-header', { hasText: path.basename(tabular) })
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(() => undefined);
    });
    const rows = await wb.step('Problems: PRJ001 in tabular appears (the added folder is checked)', () =>
      wb.waitForProblems('PRJ001 under tabular', (r) => ours(r).some((x) => x.code === 'PRJ001' && under(tabular)(x)), 90_000),
    );
    await wb.step('tabular\'s folder setting mlopsHygiene.ignore ["PRJ002"] holds there, and only there', async () => {
      const mine = ours(rows);
      assert.deepEqual(
        mine.filter((x) => x.code === 'PRJ002' && under(tabular)(x)),
        [],
        'PRJ002 is reported in tabular, whose folder settings ignore it',
      );
      assert.ok(
        mine.some((x) => x.code === 'PRJ002' && under(vision)(x)),
        `PRJ002 is gone from vision, which does not ignore it: ${mine.map((x) => `${x.code} ${x.path}`).join(' | ')}`,
      );
    });
  });
});

describe('editor workspace: the views name the real training script and config folder (lightning-hydra-template layout)', () => {
  let folder: string;
  let s: EditorSession;
  before(async () => {
    // src/train.py (which leaves a marker before it imports hydra, so the suite sees it was run) and src/eval.py,
    // composing configs/train.yaml and configs/eval.yaml; no .dvc/
    folder = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1.0"\ndependencies = ["hydra-core==1.3.2", "lightning==2.2.0"]\n',
      'tests/test_x.py': 'def test_x():\n    assert True\n',
      'src/train.py': hydraMain('../configs', 'train.yaml', 'import pathlib\n\npathlib.Path("train-started.txt").write_text("started\\n")\n'),
      'src/eval.py': hydraMain('../configs', 'eval.yaml'),
      'configs/train.yaml': 'defaults:\n  - trainer: default\n  - _self_\n\ntask_name: train\n',
      'configs/eval.yaml': 'defaults:\n  - trainer: default\n  - _self_\n\ntask_name: eval\n',
      'configs/trainer/default.yaml': 'max_epochs: 10\n',
    });
    s = await openEditor('workspace-welcome-configs', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the Runs view names "python src/train.py" with "configs in configs/"; its Start a Training Run row runs it in a terminal', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle(120_000));
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    const rows = await s.wb.step('the empty Runs view names the training script and its config folder', () =>
      rowsOf(s.wb, 'Runs', 'the start rows', (r) => r.some((l) => /No runs yet/.test(l))),
    );
    assert.deepEqual(rows, ['No runs yet. Start one with:', 'python src/train.py · configs in configs/', 'Start a Training Run']);
    await s.wb.step('click "Start a Training Run": a terminal runs python src/train.py in the folder', async () => {
      await s.wb
        .viewPane('Runs')
        .locator('.pane-body .monaco-list-row', { hasText: /^\s*Start a Training Run\s*$/ })
        .first()
        .click();
      const marker = path.join(folder, 'train-started.txt');
      const ok = await waitFor(async () => (fs.existsSync(marker) ? true : undefined), 60_000);
      assert.ok(ok, `src/train.py did not run: no ${marker}`);
      await s.wb.page.locator('.part.panel .terminal-wrapper, .part.panel .xterm').first().waitFor({ timeout: 20_000 });
    });
  });

  it('the Data view says how to start with DVC using src/train.py and configs/, with Initialize DVC as a row to click', async () => {
    const rows = await s.wb.step('the Data view names the script and config folder', () =>
      rowsOf(s.wb, 'Data', 'the DVC start rows', (r) => r.some((l) => /No \.dvc\/ yet/.test(l))),
    );
    assert.deepEqual(rows, [
      'No .dvc/ yet · Initialize DVC, then track your data and make training a stage:',
      'dvc stage add -n train -d src/train.py -d configs/ python src/train.py',
      'Initialize DVC',
      'Track Data with DVC',
    ]);
    await s.wb.step('click "Initialize DVC": dvc init is attempted, and without dvc the notification says what to do', async () => {
      await s.wb
        .viewPane('Data')
        .locator('.pane-body .monaco-list-row', { hasText: /^\s*Initialize DVC\s*$/ })
        .first()
        .click();
      await s.wb.waitForNotification(/DVC CLI was not found/, 60_000);
    });
    assert.ok(!fs.existsSync(path.join(folder, '.dvc')), 'nothing was created without dvc');
  });
});

describe('editor workspace: a project with conf/ is not told configs/ (Hydra tutorial layout)', () => {
  let folder: string;
  let s: EditorSession;
  before(async () => {
    // my_app.py at the root composing conf/config.yaml; a configs/ folder of something else beside it
    folder = gitRepo({
      'README.md': '# x\n',
      'requirements.txt': 'hydra-core==1.3.2\ntorch==2.3.0\n',
      'tests/test_app.py': 'def test_app():\n    assert True\n',
      'my_app.py': hydraMain('conf', 'config'),
      'conf/config.yaml': 'defaults:\n  - db: mysql\n  - _self_\n\nseed: 1\n',
      'conf/db/mysql.yaml': 'driver: mysql\n',
      'configs/README.md': '# deployment notes\n',
    });
    s = await openEditor('workspace-welcome-conf', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the Runs and Data views name my_app.py and conf/, never configs/', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle(120_000));
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    const runs = await s.wb.step('the Runs view names python my_app.py and conf/', () =>
      rowsOf(s.wb, 'Runs', 'the start rows', (r) => r.some((l) => /No runs yet/.test(l))),
    );
    assert.deepEqual(runs, ['No runs yet. Start one with:', 'python my_app.py · configs in conf/', 'Start a Training Run']);
    const data = await s.wb.step('the Data view names my_app.py and conf/', () =>
      rowsOf(s.wb, 'Data', 'the DVC start rows', (r) => r.some((l) => /No \.dvc\/ yet/.test(l))),
    );
    assert.equal(data[1], 'dvc stage add -n train -d my_app.py -d conf/ python my_app.py');
    assert.ok(!/configs\//.test([...runs, ...data].join(' ')), `a conf/ project is told configs/: ${[...runs, ...data].join(' | ')}`);
  });
});

describe('editor workspace: the same layout in a restricted (untrusted) window', () => {
  let folder: string;
  let s: EditorSession;
  before(async () => {
    folder = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1.0"\ndependencies = ["hydra-core==1.3.2"]\n',
      'tests/test_x.py': 'def test_x():\n    assert True\n',
      'src/train.py': hydraMain('../configs', 'train.yaml'),
      'configs/train.yaml': 'seed: 1\n',
    });
    s = await openEditor('workspace-welcome-restricted', folder, 'restricted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the Runs view names the command but offers no Start row; the Data view shows its Manage Workspace Trust button', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle(120_000));
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    const runs = await s.wb.step('the Runs view names python src/train.py and configs/, nothing to click', () =>
      rowsOf(s.wb, 'Runs', 'the start rows', (r) => r.some((l) => l.startsWith('python src/train.py'))),
    );
    assert.deepEqual(runs.slice(0, 2), ['No runs yet. Start one with:', 'python src/train.py · configs in configs/']);
    assert.ok(!runs.includes('Start a Training Run'), `a restricted window offers to run the script: ${runs.join(' | ')}`);
    await s.wb.step('the Data view (no DVC, restricted) shows the restricted welcome with Manage Workspace Trust', () =>
      s.wb.viewPane('Data').locator('.welcome-view-content .monaco-button', { hasText: 'Manage Workspace Trust' }).first().waitFor({ timeout: 30_000 }),
    );
    assert.deepEqual(await rowsOf(s.wb, 'Data', 'no rows', () => true, 5_000), [], 'no Initialize DVC row in a restricted window');
  });
});

describe('editor workspace: only ML projects are checked (the ML signal)', () => {
  // the same layout twice: a package with code and a config, a README, no tests; only the dependencies differ
  const layout = (deps: string) => ({
    'README.md': '# shop\n',
    'requirements.txt': deps,
    'app/__init__.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
    'app/views.py': 'from app import app\n\n\n@app.route("/")\ndef index():\n    return "ok"\n',
    'app/config.yaml': 'debug: true\nport: 8000\n',
  });
  const folders: string[] = [];
  after(() => folders.forEach(rmrf));

  it('a plain Python web project (flask, no ML signal) gets no "no tests" warning when it opens; the status bar says why', async () => {
    const folder = gitRepo(layout('flask==3.0.3\ngunicorn==22.0.0\n'));
    folders.push(folder);
    const s = await openEditor('workspace-ml-signal-web', folder, 'trusted');
    try {
      const label = await s.wb.step('the status bar says the folder is not checked: no ML signal', () => waitForStatus(s.wb, /is not checked: no ML signal/));
      assert.match(label, new RegExp(`${path.basename(folder)} is not checked`));
      await s.wb.step('the check has finished', () => s.wb.waitForIdle(60_000));
      const rows = await s.wb.step('Problems lists nothing of ours (no PRJ002)', () => s.wb.problems());
      assert.deepEqual(
        ours(rows).map((r) => `${r.code} ${r.file}`),
        [],
      );
      // no training script is known here: the views keep their static welcome (with its buttons), and name no path
      await s.wb.step('open the MLOps container: the Runs view names no command, the Data view offers Initialize DVC as a button', async () => {
        await s.wb.openViewContainer('MLOps');
        await s.wb.viewPane('Data').locator('.welcome-view-content .monaco-button', { hasText: 'Initialize DVC' }).first().waitFor({ timeout: 30_000 });
        await s.wb.viewPane('Runs').locator('.welcome-view-content', { hasText: 'No runs found in this workspace yet' }).first().waitFor({ timeout: 30_000 });
        assert.deepEqual(await rowsOf(s.wb, 'Runs', 'no rows', () => true, 5_000), []);
      });
    } finally {
      await s.close();
    }
  });

  it('the same layout with torch declared gets PRJ002 "no tests" when it opens', async () => {
    const folder = gitRepo(layout('flask==3.0.3\ntorch==2.3.0\n'));
    folders.push(folder);
    const s = await openEditor('workspace-ml-signal-ml', folder, 'trusted');
    try {
      await s.wb.step('Problems: PRJ002 "no tests"', () =>
        s.wb.waitForProblems('PRJ002', (r) => ours(r).some((x) => x.code === 'PRJ002' && /no tests/.test(x.message)), 90_000),
      );
      const label = await waitForStatus(s.wb, /^MLOps Hygiene: \d+ errors/);
      assert.ok(!/not checked/.test(label), label);
    } finally {
      await s.close();
    }
  });
});
