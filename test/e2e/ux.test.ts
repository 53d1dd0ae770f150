/**
 * The editor experience of issue 14, in a real VS Code as a user drives it: the status bar across workspace trust,
 * restarts and a crash; the palette commands and the log; fix-all on save; Ignore CODE on this line; the fix of a
 * finding on a binary file reached from its related information; the short hover; hints in Problems; Open Settings of a
 * machine-overridable setting; the hover of a Hydra group shared by two primary configs. Every step leaves a screenshot
 * in test-results/e2e/<session>/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, gitRepo, rmrf } from '../support/tmp';
import { codeServerInstalled } from './harness/codeServer';
import { closeShared, openEditor, type EditorSession } from './harness/session';
import { waitFor, type ProblemRow } from './harness/workbench';
import { cliFindings } from './scenarios';

const SOURCE = 'mlops-hygiene';
const ours = (rows: ProblemRow[]) => rows.filter((r) => r.source === SOURCE);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(function () {
  const missing = codeServerInstalled();
  if (missing) throw new Error(missing);
});
after(closeShared);

/** The accessible label of our status bar item (client/src/status.ts): state, counts, trusted or restricted. */
async function statusLabel(s: EditorSession): Promise<string> {
  return (
    (await s.wb.page
      .locator('[aria-label^="MLOps Hygiene:"]')
      .first()
      .getAttribute('aria-label')
      .catch(() => null)) ?? ''
  );
}

async function waitForStatus(s: EditorSession, re: RegExp, timeoutMs = 90_000): Promise<string> {
  let last = '';
  const ok = await waitFor(async () => {
    last = await statusLabel(s);
    return re.test(last) ? last : undefined;
  }, timeoutMs);
  if (!ok) throw new Error(`the status bar item never said ${re}; it says: ${last || '(no item)'}`);
  return ok;
}

/** The text of our LogOutputChannel as VS Code wrote it to its log file, for the window that has `folder` open. */
function outputLog(s: EditorSession, folder: string): string {
  const logs = path.join(s.server.userDataDir, 'logs');
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'MLOps Hygiene.log') found.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(logs);
  return found.filter((t) => t.includes(folder)).join('\n');
}

async function waitForLog(s: EditorSession, folder: string, re: RegExp, timeoutMs = 60_000): Promise<string> {
  const ok = await waitFor(async () => (re.test(outputLog(s, folder)) ? outputLog(s, folder) : undefined), timeoutMs);
  if (!ok) throw new Error(`the MLOps Hygiene output never showed ${re}; it has:\n${outputLog(s, folder).split('\n').slice(-30).join('\n')}`);
  return ok;
}

/** Our language server processes under this code-server (a descendant whose command line runs dist/server.js). */
function ourServerPids(s: EditorSession): number[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      /* gone */
    }
  }
  const root = s.server.pid;
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...cmd.entries()].filter(([pid, c]) => /mlops-hygiene[^ ]*\/dist\/server\.js/.test(c) && under(pid)).map(([pid]) => pid);
}

describe('editor UX: restricted, then trust granted while open', () => {
  let folder: string;
  let s: EditorSession;
  before(async () => {
    folder = copyExample('broken-project', true);
    s = await openEditor('ux-trust-granted', folder, 'restricted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the status bar follows the server: restricted counts, then the trusted ones after "Trust"', async () => {
    const restricted = cliFindings(folder, { git: false });
    const trusted = cliFindings(folder, { git: true });
    const count = (f: typeof restricted, sev: string) => f.filter((x) => (x as unknown as { severity: string }).severity === sev).length;
    assert.notEqual(count(restricted, 'warning'), count(trusted, 'warning'), 'the example must differ with and without git for this test to mean something');
    await s.wb.step('the status bar says restricted mode with the file-only counts', () =>
      waitForStatus(s, new RegExp(`^MLOps Hygiene: ${count(restricted, 'error')} errors, ${count(restricted, 'warning')} warnings.*restricted mode`)),
    );
    await s.wb.step('trust the folder from the Workspace Trust editor', async () => {
      await s.wb.runCommand('Workspaces: Manage Workspace Trust');
      const button = s.wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^\s*Trust\s*$/ }).first();
      await button.waitFor({ timeout: 20_000 });
      await button.click();
    });
    const label = await s.wb.step('the status bar follows the new server: trusted, with the counts git adds', () =>
      waitForStatus(s, new RegExp(`^MLOps Hygiene: ${count(trusted, 'error')} errors, ${count(trusted, 'warning')} warnings.*trusted workspace`)),
    );
    assert.ok(!/restricted/i.test(label), label);
    await s.wb.step('our server now runs git in the folder', async () => {
      const ok = await waitFor(async () => (s.shim.fromOurServer(folder).length ? true : undefined), 30_000);
      assert.ok(ok, 'no git call from our server after trust was granted');
    });
  });
});

describe('editor UX: commands, fixes and hovers on the broken example', () => {
  let folder: string;
  let s: EditorSession;
  before(async () => {
    folder = copyExample('broken-project', true);
    // what a user sets to fix on save, and to see hints in Problems (workspace settings, untracked)
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(folder, '.vscode', 'settings.json'),
      JSON.stringify({ 'editor.codeActionsOnSave': { 'source.fixAll.mlopsHygiene': 'explicit' }, 'mlopsHygiene.hintsAsInformation': true }, null, 2),
    );
    s = await openEditor('ux-commands-fixes', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the palette has Check Workspace Now, Restart Server, Show Output and Show Rule Documentation', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle(120_000));
    for (const title of [
      'MLOps Hygiene: Check Workspace Now',
      'MLOps Hygiene: Restart Server',
      'MLOps Hygiene: Show Output',
      'MLOps Hygiene: Show Rule Documentation',
    ]) {
      assert.ok(await s.wb.step(`the palette offers "${title}"`, () => s.wb.hasCommand(title)), `"${title}" is not in the command palette`);
    }
  });

  it('Show Output shows the log: version, folders, the listing and the full check with its duration and file count', async () => {
    await s.wb.step('run "MLOps Hygiene: Show Output"', () => s.wb.runCommand('MLOps Hygiene: Show Output'));
    await s.wb.step('the output panel shows our channel', () =>
      s.wb.page
        .locator('.part.panel .monaco-editor .view-lines', { hasText: /mlops-hygiene|MLOps Hygiene/ })
        .first()
        .waitFor({ timeout: 20_000 }),
    );
    const log = await waitForLog(s, folder, /checked \d+ files in .* in \d+ ms: \d+ findings/);
    assert.match(log, /mlops-hygiene \d+\.\d+\.\d+ \(Node v/);
    assert.match(log, /listed \d+ files in /);
  });

  it('Check Workspace Now reports files, duration and findings', async () => {
    await s.wb.step('run "MLOps Hygiene: Check Workspace Now"', () => s.wb.runCommand('MLOps Hygiene: Check Workspace Now'));
    await s.wb.step('the status bar message says what was checked', () =>
      s.wb.page
        .locator('.statusbar-item', { hasText: /checked \d+ files in \d+ ms: \d+ findings/ })
        .first()
        .waitFor({ timeout: 60_000 }),
    );
  });

  it('hints are listed in Problems as Information with mlopsHygiene.hintsAsInformation', async () => {
    await s.wb.step('DVC013 (a hint) is in the Problems panel', () =>
      s.wb.waitForProblems('DVC013 rows', (r) => ours(r).some((x) => x.code === 'DVC013'), 60_000),
    );
  });

  it('the fix of GIT002 on the binary checkpoint is reached from its related information, in .gitignore', async () => {
    const gitignore = path.join(folder, '.gitignore');
    assert.ok(!fs.readFileSync(gitignore, 'utf8').split('\n').includes('/models/'));
    await s.wb.step('Problems: filter to models/best.ckpt', async () => {
      await s.wb.problems();
      const filter = s.wb.page.locator('.part.panel .viewpane-filter input, .part.panel .markers-panel-action-filter input').first();
      await filter.fill('best.ckpt');
    });
    await s.wb.step('click the related information "Quick Fix here"', async () => {
      const row = s.wb.page.locator('.markers-panel .monaco-list-row', { hasText: /Quick Fix here/ }).first();
      await row.waitFor({ timeout: 20_000 });
      const where = /\[Ln (\d+), Col (\d+)\]/.exec(await row.innerText());
      assert.ok(where, `the related information row names no position: ${await row.innerText()}`);
      await row.click();
      await s.wb.page.locator('.tab.active[aria-label^=".gitignore"]').first().waitFor({ timeout: 15_000 });
      // the click opens the file at that place but leaves the focus in the Problems list: into the editor, same place
      await s.wb.gotoPosition(Number(where[1]), Number(where[2]));
    });
    await s.wb.step('Ctrl+. there applies "Add \'/models/\' to .gitignore (GIT002 on models/best.ckpt)"', () =>
      s.wb.applyQuickFixInEditor("Add '/models/' to .gitignore (GIT002 on models/best.ckpt)"),
    );
    await s.wb.step('save: .gitignore has /models/ on disk', async () => {
      await s.wb.save();
      const ok = await waitFor(async () => (fs.readFileSync(gitignore, 'utf8').split('\n').includes('/models/') ? true : undefined), 20_000);
      assert.ok(ok, fs.readFileSync(gitignore, 'utf8'));
    });
    await s.wb.step('clear the Problems filter', async () => {
      await s.wb.page.locator('.part.panel .viewpane-filter input, .part.panel .markers-panel-action-filter input').first().fill('');
    });
    await s.wb.step('GIT002 is gone', () => s.wb.waitForProblems('no GIT002', (r) => !ours(r).some((x) => x.code === 'GIT002') && ours(r).length > 0, 30_000));
  });

  it('saving a workflow with editor.codeActionsOnSave source.fixAll.mlopsHygiene applies its safe fixes', async () => {
    const rel = '.github/workflows/tests.yaml';
    const file = path.join(folder, rel);
    assert.match(fs.readFileSync(file, 'utf8'), /actions\/checkout@v3/);
    await s.wb.step(`open ${rel}`, () => s.wb.openFile(rel));
    await s.wb.step('add a comment line and save', async () => {
      await s.wb.gotoPosition(1, 1);
      await s.wb.type('# CI\n');
      await s.wb.save();
    });
    await s.wb.step('the outdated actions are updated on disk', async () => {
      const ok = await waitFor(async () => {
        const t = fs.readFileSync(file, 'utf8');
        return t.startsWith('# CI\n') && !/actions\/checkout@v3|actions\/setup-python@v4/.test(t) ? t : undefined;
      }, 30_000);
      assert.ok(ok, fs.readFileSync(file, 'utf8'));
    });
    await s.wb.step('no GHA011 left in the workflow', () =>
      s.wb.waitForProblems('no GHA011 in tests.yaml', (r) => !ours(r).some((x) => x.code === 'GHA011' && x.file.endsWith('tests.yaml')), 30_000),
    );
  });

  it('"Fix all GHA011 in this file" applies both outdated-action fixes of lint.yaml at once', async () => {
    const rel = '.github/workflows/lint.yaml';
    const file = path.join(folder, rel);
    assert.match(fs.readFileSync(file, 'utf8'), /actions\/checkout@v4[\s\S]*astral-sh\/setup-uv@v6/);
    await s.wb.step(`open ${rel}`, () => s.wb.openFile(rel));
    await s.wb.step('Ctrl+. on the first GHA011: "Fix all GHA011 in this file (2)"', async () => {
      await s.wb.gotoPosition(9, 33);
      await s.wb.applyQuickFixInEditor('Fix all GHA011 in this file (2)');
    });
    await s.wb.step('save (fix-on-save has nothing left to do for GHA011): both are updated on disk', async () => {
      await s.wb.save();
      const ok = await waitFor(async () => {
        const t = fs.readFileSync(file, 'utf8');
        return !/actions\/checkout@v4|astral-sh\/setup-uv@v6/.test(t) ? t : undefined;
      }, 20_000);
      assert.ok(ok, fs.readFileSync(file, 'utf8'));
    });
  });

  it('"Ignore DKR009 on this line" writes the suppression comment and the finding goes', async () => {
    const rel = 'dockerfiles/train.dockerfile';
    const file = path.join(folder, rel);
    await s.wb.step(`open ${rel}`, () => s.wb.openFile(rel));
    await s.wb.step('Ctrl+. on the FROM line: "Ignore DKR009 on this line"', async () => {
      await s.wb.gotoPosition(1, 8);
      await s.wb.applyQuickFixInEditor('Ignore DKR009 on this line');
      await s.wb.save();
    });
    await s.wb.step('the comment is on disk above the line', async () => {
      const ok = await waitFor(async () => (fs.readFileSync(file, 'utf8').split('\n')[0] === '# mlops-hygiene: ignore[DKR009]' ? true : undefined), 20_000);
      assert.ok(ok, fs.readFileSync(file, 'utf8'));
    });
    await s.wb.step('DKR009 is gone and the suppression is used (no MLH005)', () =>
      s.wb.waitForProblems(
        'no DKR009, no MLH005',
        (r) => !ours(r).some((x) => x.code === 'DKR009') && !ours(r).some((x) => x.code === 'MLH005') && ours(r).length > 0,
        30_000,
      ),
    );
  });

  it('the hover of a finding is its title, why and a link, not the whole doc', async () => {
    await s.wb.step('open sweep.yaml', () => s.wb.openFile('sweep.yaml'));
    const text = await s.wb.step('hover WB005 at 10:19', async () => {
      await s.wb.gotoPosition(10, 19);
      return s.wb.hoverAtCursor(/the full rule doc/);
    });
    assert.match(text, /WB005/);
    assert.ok(!/What it does|How to fix/.test(text), `the hover shows the whole doc: ${text}`);
    await s.wb.press('Escape');
  });

  it('Show Rule Documentation opens the doc of the code typed', async () => {
    await s.wb.step('run "MLOps Hygiene: Show Rule Documentation" and type GIT002', async () => {
      await s.wb.runCommand('MLOps Hygiene: Show Rule Documentation');
      await s.wb.answerInputBox('GIT002');
    });
    await s.wb.step('a Markdown preview of the doc opens', () =>
      s.wb.page
        .locator('.tab', { hasText: /Preview/ })
        .first()
        .waitFor({ timeout: 30_000 }),
    );
    const text = await s.wb.step("the preview is GIT002's doc", async () => {
      const frame = await s.wb.webviewFrame('.markdown-body h1, body h1', 30_000);
      return frame.locator('body').innerText();
    });
    assert.match(text, /GIT002/);
    assert.match(text, /gitignore/i);
  });

  it('"Open Settings" on "dvc not found" opens mlopsHygiene.dvcPath where it can be set (not "No Settings Found")', async () => {
    await s.wb.step('run "MLOps Hygiene: Pull Data" (no dvc here)', () => s.wb.runCommand('MLOps Hygiene: Pull Data'));
    await s.wb.step('click "Open Settings" on the notification', async () => {
      await s.wb.waitForNotification(/DVC CLI was not found/, 60_000);
      await s.wb.page.locator('.notification-toast .monaco-button', { hasText: 'Open Settings' }).first().click();
    });
    await s.wb.step('the Settings editor shows Dvc Path', async () => {
      await s.wb.page.locator('.settings-editor').first().waitFor({ timeout: 20_000 });
      const item = s.wb.page.locator('.settings-editor .setting-item-contents', { hasText: 'Dvc Path' }).first();
      await item.waitFor({ timeout: 20_000 }).catch(async () => {
        throw new Error(
          `the Settings editor does not show Dvc Path; it shows: ${(await s.wb.page.locator('.settings-editor').first().innerText()).slice(0, 400)}`,
        );
      });
      assert.equal(
        await s.wb.page
          .locator('.settings-editor .no-results-message')
          .first()
          .isVisible()
          .catch(() => false),
        false,
        'the Settings editor says No Settings Found',
      );
      // a machine-overridable setting in a remote window (code-server): the Remote tab, where it can be set
      const tab = await s.wb.page.locator('.settings-editor .settings-tabs-widget .action-label.checked').first().innerText();
      assert.match(tab, /Remote/, `the Settings editor opened the ${tab} tab`);
    });
  });

  it('Open Walkthrough shows the getting-started walkthrough with its four steps', async () => {
    await s.wb.step('run "MLOps Hygiene: Open Walkthrough"', () => s.wb.runCommand('MLOps Hygiene: Open Walkthrough'));
    await s.wb.step('the walkthrough page shows its title and steps', async () => {
      const page = s.wb.page.locator('.gettingStartedContainer').first();
      await page.locator('text=Get Started with MLOps Hygiene').first().waitFor({ timeout: 30_000 });
      for (const step of ['What it checks', 'Open the Problems panel', 'The Runs and Data views', 'The same checks in CI']) {
        await page.locator('.getting-started-step', { hasText: step }).first().waitFor({ timeout: 10_000 });
      }
    });
  });

  it('Restart Server: the status bar shows the restart and then the counts again; a killed server is restarted', async () => {
    await s.wb.step('run "MLOps Hygiene: Restart Server"', () => s.wb.runCommand('MLOps Hygiene: Restart Server'));
    await waitForLog(s, folder, /Restarting the server: Restart Server was run/);
    await s.wb.step('the status bar shows counts again', () => waitForStatus(s, /^MLOps Hygiene: \d+ errors.*trusted workspace/));
    const pids = ourServerPids(s);
    assert.equal(pids.length, 1, `our server processes under this code-server: ${pids.join(', ')}`);
    await s.wb.step(`kill the server (pid ${pids[0]})`, async () => {
      process.kill(pids[0], 'SIGKILL');
      await waitForLog(s, folder, /stopped unexpectedly; restarting it \(1 of 4\)/);
    });
    await s.wb.step('the status bar shows counts again after the crash', async () => {
      await sleep(1000);
      await waitForStatus(s, /^MLOps Hygiene: \d+ errors.*trusted workspace/);
      const now = ourServerPids(s);
      assert.ok(now.length === 1 && now[0] !== pids[0], `server processes after the restart: ${now.join(', ')}`);
    });
  });
});

describe('editor UX: a Hydra group shared by two primary configs', () => {
  let folder: string;
  let s: EditorSession;
  before(async () => {
    // lightning-hydra-template's layout: src/train.py and src/eval.py, configs/train.yaml and configs/eval.yaml, both
    // composing configs/trainer/default.yaml
    folder = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1.0"\ndependencies = ["hydra-core==1.3.2", "torch==2.3.0"]\n',
      'tests/test_x.py': 'def test_x():\n    assert True\n',
      'src/train.py': 'import hydra\n\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")\ndef main(cfg):\n    pass\n',
      'src/eval.py': 'import hydra\n\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="eval.yaml")\ndef main(cfg):\n    pass\n',
      'configs/train.yaml': 'defaults:\n  - trainer: default\n  - _self_\n\ntask_name: train\n',
      'configs/eval.yaml': 'defaults:\n  - trainer: default\n  - _self_\n\ntask_name: eval\n',
      'configs/trainer/default.yaml': 'max_epochs: 10\ndefault_root_dir: logs/${task_name}\n',
    });
    s = await openEditor('ux-hydra-shared-group', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('hovering ${task_name} in configs/trainer/default.yaml shows the value of each primary', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle(120_000));
    await s.wb.step('open configs/trainer/default.yaml', () => s.wb.openFile('configs/trainer/default.yaml'));
    const text = await s.wb.step('hover ${task_name}', async () => {
      await s.wb.gotoPosition(2, 26);
      return s.wb.hoverAtCursor(/differs by primary config/);
    });
    assert.match(text, /configs\/train\.yaml: "train" from configs\/train\.yaml:5/);
    assert.match(text, /configs\/eval\.yaml: "eval" from configs\/eval\.yaml:5/);
    await s.wb.press('Escape');
  });

  it('the Data view of a folder without .dvc/ offers Initialize DVC (dvc is not installed here: it says so)', async () => {
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    await s.wb.step('the empty Runs view names the real training script', () =>
      s.wb.waitForTreeRows(
        'Runs',
        'the start row',
        (rows) => rows.some((r) => r.label.startsWith('python src/train.py') && r.label.endsWith('configs in configs/')),
        30_000,
      ),
    );
    const row = s.wb
      .viewPane('Data')
      .locator('.pane-body .monaco-list-row', { hasText: /^\s*Initialize DVC\s*$/ })
      .first();
    await s.wb.step('the Data view shows "Initialize DVC"', () => row.waitFor({ timeout: 30_000 }));
    await s.wb.step('click it: dvc init is attempted, and without dvc the notification says what to do', async () => {
      await row.click();
      await s.wb.waitForNotification(/DVC CLI was not found/, 60_000);
    });
    assert.ok(!fs.existsSync(path.join(folder, '.dvc')), 'nothing was created without dvc');
  });
});
