import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, git, rmrf } from '../support/tmp';
import { codeServerInstalled } from './harness/codeServer';
import { closeShared, openEditor, type EditorSession } from './harness/session';
import { describeProblems, type ProblemRow } from './harness/workbench';
import { BROKEN_MUST_SHOW, EDIT, HOVER, QUICK_FIX, cliFindings, cliRuns, codeCounts, findingKey, type ExpectedRun } from './scenarios';

const SOURCE = 'mlops-hygiene';
const ours = (rows: ProblemRow[]) => rows.filter((r) => r.source === SOURCE);

before(function () {
  const missing = codeServerInstalled();
  if (missing) throw new Error(missing);
});
after(closeShared);

describe('editor: broken example, trusted workspace', () => {
  let folder: string;
  let s: EditorSession;

  before(async () => {
    folder = copyExample('broken-project', true);
    s = await openEditor('broken-trusted', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the Problems panel lists what the CLI finds: code, file, line, column and message of every finding', async () => {
    const expected = cliFindings(folder, { git: true });
    for (const c of BROKEN_MUST_SHOW)
      assert.ok(
        expected.some((f) => f.code === c),
        `the CLI no longer finds ${c} in the broken example`,
      );
    const rows = await s.wb.step('problems panel lists the codes the CLI finds', () =>
      s.wb.waitForCodeCounts(codeCounts(expected.map((f) => f.code)), SOURCE, 120_000),
    );
    assert.deepEqual(rows.map(rowKey).sort(), expected.map(findingKey).sort());
  });

  it('our language server ran git in the trusted workspace (the control for the restricted test)', async () => {
    const calls = s.shim.fromOurServer(folder);
    assert.ok(calls.length > 0, `no git invocation from dist/server.js in ${folder}; the shim saw: ${JSON.stringify(s.shim.invocations()).slice(0, 800)}`);
  });

  it(`hovering the ${HOVER.code} marker shows the rule's doc`, async () => {
    await s.wb.step(`open ${HOVER.file}`, () => s.wb.openFile(HOVER.file));
    await s.wb.step(`hover at ${HOVER.line}:${HOVER.column} shows the ${HOVER.code} doc`, async () => {
      await s.wb.gotoPosition(HOVER.line, HOVER.column);
      const text = await s.wb.hoverAtCursor(HOVER.doc);
      assert.match(text, new RegExp(HOVER.code), `the hover does not name ${HOVER.code}: ${text}`);
    });
    await s.wb.press('Escape');
  });

  it(`the ${QUICK_FIX.code} quick fix edits ${QUICK_FIX.editedFile} and the diagnostic goes away`, async () => {
    const before = fs.existsSync(path.join(folder, QUICK_FIX.editedFile)) ? fs.readFileSync(path.join(folder, QUICK_FIX.editedFile), 'utf8') : '';
    assert.ok(!before.split('\n').includes(QUICK_FIX.expectLine), `${QUICK_FIX.editedFile} already has ${QUICK_FIX.expectLine}`);
    // The Problems panel offers no light bulb for a marker on a binary file (VS Code needs a text model to ask for code
    // actions), so the fix is applied where a user can reach it: in the file, opened as text, with Ctrl+.
    await s.wb.step(`open ${QUICK_FIX.file}`, () => s.wb.openFile(QUICK_FIX.file));
    await s.wb.step(`apply "${QUICK_FIX.title}" with Ctrl+.`, async () => {
      await s.wb.gotoPosition(1, 1);
      await s.wb.applyQuickFixInEditor(QUICK_FIX.title);
    });
    await s.wb.step(`${QUICK_FIX.editedFile} contains ${QUICK_FIX.expectLine} on disk`, async () => {
      const file = path.join(folder, QUICK_FIX.editedFile);
      const deadline = Date.now() + 60_000;
      let text = '';
      while (Date.now() < deadline) {
        text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
        if (text.split('\n').includes(QUICK_FIX.expectLine)) return;
        // The fix leaves the edited file open and unsaved (VS Code opens files a workspace edit touches): save all, as a
        // user would.
        await s.wb.runCommand('File: Save All');
        await new Promise((r) => setTimeout(r, 3000));
      }
      assert.fail(`${QUICK_FIX.editedFile} on disk is ${JSON.stringify(text)}, without ${QUICK_FIX.expectLine}`);
    });
    await s.wb.step(`the ${QUICK_FIX.code} problem is gone`, () =>
      s.wb.waitForProblems(`no ${QUICK_FIX.code}`, (r) => !ours(r).some((x) => x.code === QUICK_FIX.code) && ours(r).length > 0, 30_000),
    );
  });

  it(`deleting ${EDIT.line} from ${EDIT.file} brings ${EDIT.code} back; undoing removes it`, async () => {
    const file = path.join(folder, EDIT.file);
    const lineNo = fs.readFileSync(file, 'utf8').split('\n').indexOf(EDIT.line) + 1;
    assert.ok(lineNo > 0, `${EDIT.file} has no line ${EDIT.line}`);
    await s.wb.step(`open ${EDIT.file}`, () => s.wb.openFile(EDIT.file));
    await s.wb.step(`delete line ${lineNo} (${EDIT.line}) and save`, async () => {
      await s.wb.gotoPosition(lineNo, 1);
      await s.wb.press('Control+Shift+K');
      await s.wb.save();
      assert.ok(!fs.readFileSync(file, 'utf8').split('\n').includes(EDIT.line), `${EDIT.file} still has ${EDIT.line} after saving`);
    });
    await s.wb.step(`${EDIT.code} is back`, () => s.wb.waitForProblems(EDIT.code, (r) => ours(r).some((x) => x.code === EDIT.code), 30_000));
    await s.wb.step('undo and save', async () => {
      // reading the Problems panel pages through it with the keyboard, which can open a finding's file: back to the file
      await s.wb.openFile(EDIT.file);
      await s.wb.activeEditor.click({ position: { x: 300, y: 10 } });
      await s.wb.press('Control+Z');
      await s.wb.save();
      assert.ok(fs.readFileSync(file, 'utf8').split('\n').includes(EDIT.line), `${EDIT.file} lacks ${EDIT.line} after undo and save`);
    });
    await s.wb.step(`${EDIT.code} is gone again`, () => s.wb.waitForProblems(`no ${EDIT.code}`, (r) => !ours(r).some((x) => x.code === EDIT.code), 30_000));
  });
});

describe('editor: Runs view on the broken example', () => {
  let folder: string;
  let s: EditorSession;
  let runs: ExpectedRun[];

  before(async () => {
    folder = copyExample('broken-project', true);
    runs = cliRuns(folder);
    s = await openEditor('runs-view', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  /** A run with parameters and metrics to look at, preferring one with a metric history (for the chart). */
  const showcase = () =>
    runs.find((r) => Object.keys(r.params).length && Object.keys(r.metrics).length && r.historyMetrics?.length) ??
    runs.find((r) => Object.keys(r.params).length && Object.keys(r.metrics).length);

  it("the MLOps container shows the Runs view with the example's runs", async () => {
    assert.ok(runs.length >= 2, `the CLI lists ${runs.length} runs in the broken example`);
    await s.wb.step('open the MLOps container', () => s.wb.openViewContainer('MLOps'));
    // Sources and experiments are groups: expand them all until every run the CLI lists is a row.
    await s.wb.step('every run of the example is in the Runs tree', async () => {
      const deadline = Date.now() + 60_000;
      let rows: { label: string; level: number; expanded?: boolean }[] = [];
      while (Date.now() < deadline) {
        rows = await s.wb.treeRows('Runs');
        const missing = runs.filter((r) => !rows.some((x) => x.label.startsWith(r.name)));
        if (!missing.length) return;
        const collapsed = rows.find((x) => x.expanded === false && x.level <= 2);
        if (collapsed) await s.wb.expandTreeRow('Runs', collapsed.label);
        else await new Promise((r) => setTimeout(r, 500));
      }
      const missing = runs.filter((r) => !rows.some((x) => x.label.startsWith(r.name)));
      assert.fail(`runs missing from the tree: ${missing.map((r) => r.name).join(', ')}; rows: ${rows.map((r) => r.label).join(' | ')}`);
    });
  });

  it('expanding a run shows its parameters and metrics', async () => {
    const run = showcase();
    assert.ok(run, 'no run of the example has both parameters and metrics');
    await s.wb.step(`expand run ${run.name}`, () => s.wb.expandTreeRow('Runs', new RegExp(`^\\s*${escapeRe(run.name)}`)));
    await s.wb.step('expand its Parameters and Metrics', async () => {
      await s.wb.waitForTreeRows(
        'Runs',
        'Parameters and Metrics rows',
        (rows) => rows.some((r) => r.label.startsWith('Parameters')) && rows.some((r) => r.label.startsWith('Metrics')),
      );
      await s.wb.expandTreeRow('Runs', /^Parameters/);
      await s.wb.expandTreeRow('Runs', /^Metrics/);
    });
    const keys = [...Object.keys(run.params), ...Object.keys(run.metrics)];
    await s.wb.step(`its parameters and metrics are rows: ${keys.join(', ')}`, () =>
      s.wb.waitForTreeRows('Runs', keys.join(', '), (rows) => keys.every((k) => rows.some((r) => r.label.startsWith(k)))),
    );
  });

  it('Compare Runs opens the compare view with both runs', async () => {
    const [a, b] = runs;
    await s.wb.step('run "MLOps Hygiene: Compare Runs" from the palette', () => s.wb.runCommand('Compare Runs'));
    await s.wb.step(`pick ${a.name}, then ${b.name}`, async () => {
      await s.wb.pickQuickItem(new RegExp(`^\\s*${escapeRe(a.name)}`));
      await s.wb.pickQuickItem(new RegExp(`^\\s*${escapeRe(b.name)}`));
    });
    await s.wb.step('the compare webview shows both runs', async () => {
      await s.wb.page.locator('.tab', { hasText: 'Compare:' }).first().waitFor({ timeout: 30_000 });
      const frame = await s.wb.webviewFrame('table');
      const text = await frame.locator('body').innerText();
      for (const r of [a, b]) assert.ok(text.includes(r.name), `the compare view does not name ${r.name}: ${text.slice(0, 300)}`);
    });
  });

  it('Chart Metric History opens the chart view with an SVG chart', async () => {
    const run = runs.find((r) => r.historyMetrics?.length);
    assert.ok(run, 'no run of the example has a metric history');
    await s.wb.step('run "MLOps Hygiene: Chart Metric History" from the palette', () => s.wb.runCommand('Chart Metric History'));
    await s.wb.step(`pick ${run.name}`, async () => {
      await s.wb.pickQuickItem(new RegExp(`^\\s*${escapeRe(run.name)}`));
      if ((run.historyMetrics?.length ?? 0) > 1) {
        // "Metrics to chart" (several can be picked, all are by default): accept.
        await s.wb.quickInput.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
        await s.wb.quickInputBox.press('Enter');
      }
    });
    await s.wb.step('the chart webview draws an SVG', async () => {
      await s.wb.page.locator('.tab', { hasText: 'Metrics:' }).first().waitFor({ timeout: 30_000 });
      const frame = await s.wb.webviewFrame('svg');
      const labels = await frame.locator('svg').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      assert.ok(
        run.historyMetrics!.some((m) => labels.includes(m)),
        `no chart for ${run.historyMetrics!.join(', ')}; charts: ${labels.join(', ')}`,
      );
    });
  });

  it('the experiments table opens with every run, sorts, filters and charts two selected runs', async () => {
    await s.wb.step('run "MLOps Hygiene: Open Experiments Table" from the palette', () => s.wb.runCommand('Open Experiments Table'));
    const frame = await s.wb.step('the table webview lists one row per run', async () => {
      await s.wb.page.locator('.tab', { hasText: 'Experiments' }).first().waitFor({ timeout: 30_000 });
      const f = await s.wb.webviewFrame('#rows .tr', 30_000);
      const names = await f.locator('#rows .tr .name').allInnerTexts();
      assert.equal(names.length, runs.length, `rows: ${names.join(', ')}`);
      for (const r of runs)
        assert.ok(
          names.some((n) => n.trim().endsWith(r.name)),
          `no row for ${r.name}: ${names.join(', ')}`,
        );
      return f;
    });
    const byName = [...runs].map((r) => r.name).sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
    await s.wb.step('clicking the Run header sorts by name (and again, reversed)', async () => {
      await frame.locator('#head [data-sort="name"]').click();
      let names = (await frame.locator('#rows .tr .name').allInnerTexts()).map((n) => n.replace(/^↳ /, '').trim());
      assert.deepEqual(names, byName);
      await frame.locator('#head [data-sort="name"]').press('Enter'); // the header is a button: the keyboard sorts too
      names = (await frame.locator('#rows .tr .name').allInnerTexts()).map((n) => n.replace(/^↳ /, '').trim());
      assert.deepEqual(names, [...byName].reverse());
    });
    await s.wb.step(`the filter keeps only ${byName[0]}`, async () => {
      await frame.locator('#filter').fill(byName[0]);
      await waitUntil(async () => (await frame.locator('#rows .tr').count()) === 1, 5_000);
      assert.match(await frame.locator('#count').innerText(), /^1 of \d+ runs/);
      await frame.locator('#filter').fill('');
    });
    const charted = runs.filter((r) => r.historyMetrics?.length).slice(0, 2);
    assert.equal(
      charted.length,
      2,
      `two runs of the example with a metric history: ${runs.map((r) => `${r.name}:${r.historyMetrics?.length ?? 0}`).join(', ')}`,
    );
    await s.wb.step(`select ${charted.map((r) => r.name).join(' and ')} and chart them`, async () => {
      for (const r of charted)
        await frame
          .locator('#rows .tr', { has: frame.locator('.name', { hasText: r.name }) })
          .first()
          .click();
      await frame.locator('#chart-btn').click();
      await frame.locator('#chart svg').waitFor({ timeout: 20_000 });
      const legend = await frame.locator('#legend').innerText();
      const metrics = await frame.locator('#metric option').allInnerTexts();
      assert.ok(metrics.length > 0, 'no metric to choose');
      // the chart shows the first metric (alphabetically) of the two runs: each run that has it is in the legend
      const shown = charted.filter((r) => r.historyMetrics!.includes(metrics[0]));
      for (const r of shown) assert.ok(legend.includes(r.name), `legend lacks ${r.name}: ${legend}`);
      const ticks = await frame.locator('#chart svg text').allInnerTexts();
      assert.ok(ticks.length > 2, 'axis labels drawn');
    });
  });

  // Versioning, in the same window (a trusted workspace, the example committed as one commit, the checkpoint untracked).
  const TAG_TITLE = 'Tag Model Version';
  let firstTag = '';

  it('Tag Model Version, answered as a person would, creates an annotated tag with the run in its message', async () => {
    const run = runs.find((r) => r.name === 'calm-owl-17') ?? showcase();
    assert.ok(run && runs.filter((r) => r.name === run.name).length === 1, 'no run with a unique name to pick');
    const head = git(folder, 'rev-parse', 'HEAD').trim();
    assert.equal(git(folder, 'tag', '--list').trim(), '', 'the example repository already has tags');
    // An annotated tag needs a tagger: configured in the repository, as the user's git would be (CI has no global one).
    git(folder, 'config', 'user.name', 'E2E Tester');
    git(folder, 'config', 'user.email', 'e2e@example.com');
    await s.wb.step(`run "MLOps Hygiene: ${TAG_TITLE}" from the palette`, () => s.wb.runCommand(TAG_TITLE));
    await s.wb.step(`pick the run ${run.name}`, async () => {
      await s.wb.quickPickRows(/which run/);
      await s.wb.pickQuickItem(new RegExp(`^\\s*${escapeRe(run.name)}`));
    });
    await s.wb.step('pick the patch version', async () => {
      const offered = await s.wb.quickPickRows(/which version/);
      const patch = offered.find((t) => /\bpatch\b/.test(t));
      assert.ok(patch, `no patch version offered: ${offered.join(' | ')}`);
      firstTag = /model-v\d+\.\d+\.\d+/.exec(patch)?.[0] ?? '';
      assert.equal(firstTag, 'model-v0.0.1', `the first patch version offered: ${patch}`);
      assert.match(patch, /first version/);
      await s.wb.pickQuickItem(firstTag);
    });
    await s.wb.step(`confirm "Create Tag" for ${firstTag}`, async () => {
      const text = await s.wb.dialogText();
      assert.match(text, new RegExp(`Create the annotated tag ${escapeRe(firstTag)} on ${head.slice(0, 8)}`), `the confirmation says: ${text}`);
      await s.wb.answerDialog('Create Tag');
    });
    await s.wb.step('a notification says it was created, not pushed', () =>
      s.wb.waitForNotification(new RegExp(`created ${escapeRe(firstTag)} on ${head.slice(0, 8)} \\(not pushed\\)`)),
    );
    // What git says: an annotated tag object pointing at HEAD, whose message names the version, commit and run.
    assert.equal(git(folder, 'cat-file', '-t', firstTag).trim(), 'tag', `${firstTag} is not an annotated tag`);
    assert.equal(git(folder, 'rev-parse', `${firstTag}^{commit}`).trim(), head);
    const message = git(folder, 'tag', '-l', '--format=%(contents)', firstTag);
    const lines = message.split('\n');
    assert.equal(lines[0], firstTag, `subject line of the tag message: ${message}`);
    assert.ok(lines.includes(`Commit: ${head}`), `no "Commit: ${head}" in: ${message}`);
    assert.ok(
      lines.some((l) => l.startsWith(`Run: ${run.id} (source: ${run.source}, name: ${run.name}`)),
      `the message does not name run ${run.id}: ${message}`,
    );
    for (const k of [...Object.keys(run.params), ...Object.keys(run.metrics)])
      assert.ok(
        lines.some((l) => l.startsWith(`  ${k}: `)),
        `the message lacks ${k}: ${message}`,
      );
    assert.match(
      git(folder, 'tag', '-n1', '-l', firstTag),
      new RegExp(`^${escapeRe(firstTag)}\\s+${escapeRe(firstTag)}\\s*$`, 'm'),
      'git tag -n shows the subject line',
    );
  });

  it('running it again never moves the tag: the versions offered are new ones, and the same version from a second window is refused', async () => {
    assert.ok(firstTag, 'the previous step created no tag');
    const firstObject = git(folder, 'rev-parse', firstTag).trim();
    let second = '';
    await s.wb.step(`run "${TAG_TITLE}" again`, () => s.wb.runCommand(TAG_TITLE));
    await s.wb.step(`pick "No run" and see that ${firstTag} is not offered again`, async () => {
      await s.wb.quickPickRows(/which run/);
      await s.wb.pickQuickItem(/No run: tag the current commit/);
      const offered = await s.wb.quickPickRows(/which version/);
      assert.ok(!offered.some((t) => t.split(' ')[0] === firstTag), `${firstTag} is offered again: ${offered.join(' | ')}`);
      const patch = offered.find((t) => /\bpatch\b/.test(t)) ?? '';
      second = /model-v\d+\.\d+\.\d+/.exec(patch)?.[0] ?? '';
      assert.equal(second, 'model-v0.0.2', `patch after ${firstTag}: ${patch}`);
      assert.match(patch, new RegExp(`after ${escapeRe(firstTag)}`));
      await s.wb.pickQuickItem(second);
      assert.match(await s.wb.dialogText(), new RegExp(`Create the annotated tag ${escapeRe(second)}`));
    });
    // While this window asks for confirmation, a second window of the same folder tags the same version first.
    const other = await openEditor('runs-view-second-window', folder, 'trusted');
    try {
      await other.wb.step(`second window: ${TAG_TITLE}, No run, patch, Create Tag`, async () => {
        await other.wb.runCommand(TAG_TITLE);
        await other.wb.quickPickRows(/which run/, 60_000);
        await other.wb.pickQuickItem(/No run: tag the current commit/);
        const offered = await other.wb.quickPickRows(/which version/);
        assert.ok(
          offered.some((t) => t.includes(second)),
          `the second window does not offer ${second}: ${offered.join(' | ')}`,
        );
        await other.wb.pickQuickItem(second);
        await other.wb.answerDialog('Create Tag');
        await other.wb.waitForNotification(new RegExp(`created ${escapeRe(second)}`));
      });
    } finally {
      await other.close();
    }
    const secondObject = git(folder, 'rev-parse', second).trim();
    await s.wb.step(`first window: Create Tag for ${second} is refused`, async () => {
      await s.wb.answerDialog('Create Tag');
      await s.wb.waitForNotification(new RegExp(`The tag ${escapeRe(second)} already exists\\. Tags are never moved or overwritten`));
    });
    assert.equal(git(folder, 'rev-parse', second).trim(), secondObject, `${second} was moved`);
    assert.equal(git(folder, 'rev-parse', firstTag).trim(), firstObject, `${firstTag} was moved`);
    assert.deepEqual(git(folder, 'tag', '--list').trim().split('\n'), [firstTag, second]);
  });
});

/** A Problems row in the form of scenarios.ts findingKey. */
function rowKey(r: ProblemRow): string {
  return `${r.code} ${r.file}:${r.line}:${r.column} ${r.message}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('editor: clean example, trusted workspace', () => {
  let folder: string;
  let s: EditorSession;

  before(async () => {
    folder = copyExample('clean-project', true);
    s = await openEditor('clean-trusted', folder, 'trusted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the Problems panel lists nothing of ours', async () => {
    assert.deepEqual(cliFindings(folder, { git: true }), [], 'the CLI finds something in the clean example');
    await s.wb.step('the check has finished', () => s.wb.waitForIdle());
    const rows = await s.wb.step('problems panel is empty', () => s.wb.problems());
    assert.equal(describeProblems(ours(rows)), '(no problems)');
  });
});

describe('editor: broken example, restricted (untrusted) workspace', () => {
  let folder: string;
  let s: EditorSession;

  before(async () => {
    folder = copyExample('broken-project', true);
    s = await openEditor('broken-restricted', folder, 'restricted');
  });
  after(async () => {
    await s?.close();
    if (folder) rmrf(folder);
  });

  it('the Problems panel lists what a file-only check (`check --no-git`) finds', async () => {
    const expected = cliFindings(folder, { git: false });
    assert.ok(expected.length > 0, 'the CLI without git finds nothing in the broken example');
    await s.wb.step('restricted mode is on', () => s.wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 20_000 }));
    const rows = await s.wb.step('problems panel lists the file-only findings', () =>
      s.wb.waitForCodeCounts(codeCounts(expected.map((f) => f.code)), SOURCE, 120_000),
    );
    assert.deepEqual(rows.map(rowKey).sort(), expected.map(findingKey).sort());
  });

  it('spawns no process: the git/dvc shim saw no call from our language server', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle());
    const ourCalls = s.shim.fromOurServer();
    assert.deepEqual(ourCalls, [], `our server spawned in restricted mode: ${JSON.stringify(ourCalls)}`);
    // With VS Code's git extension off, nothing at all should have run git or dvc in the folder.
    assert.deepEqual(s.shim.inFolder(folder), [], 'some process ran git or dvc in the restricted workspace');
  });
});

/** Polls `pred` until it holds or `ms` pass (then fails). */
async function waitUntil(pred: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms`);
}
