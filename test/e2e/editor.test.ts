import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, rmrf } from '../support/tmp';
import { codeServerInstalled } from './harness/codeServer';
import { closeShared, openEditor, type EditorSession } from './harness/session';
import { describeProblems, type ProblemRow } from './harness/workbench';
import { BROKEN_MUST_SHOW, EDIT, HOVER, QUICK_FIX, cliFindings, codeCounts } from './scenarios';

const ours = (rows: ProblemRow[]) => rows.filter((r) => r.code && /mlops-hygiene/.test(r.message));

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

  it('the Problems panel lists the codes the CLI finds', async () => {
    const expected = cliFindings(folder, { git: true });
    const expectedCodes = codeCounts(expected.map((f) => f.code));
    for (const c of BROKEN_MUST_SHOW) assert.ok(expected.some((f) => f.code === c), `the CLI no longer finds ${c} in the broken example`);
    const rows = await s.wb.step('problems panel lists the broken example findings', () =>
      s.wb.waitForProblems(expectedCodes, (r) => codeCounts(ours(r).map((x) => x.code)) === expectedCodes, 60_000),
    );
    for (const f of expected) {
      assert.ok(
        ours(rows).some((r) => r.code === f.code && r.message.includes(f.message)),
        `no row for ${f.code} "${f.message}" in ${describeProblems(rows)}`,
      );
    }
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
      const deadline = Date.now() + 20_000;
      let text = '';
      while (Date.now() < deadline) {
        text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
        if (text.split('\n').includes(QUICK_FIX.expectLine)) return;
        // A fix may leave the edited file open and unsaved: save all, as a user would.
        await s.wb.press('Control+K');
        await s.wb.press('S');
        await new Promise((r) => setTimeout(r, 500));
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
      await s.wb.activeEditor.click({ position: { x: 300, y: 10 } });
      await s.wb.press('Control+Z');
      await s.wb.save();
      assert.ok(fs.readFileSync(file, 'utf8').split('\n').includes(EDIT.line), `${EDIT.file} lacks ${EDIT.line} after undo and save`);
    });
    await s.wb.step(`${EDIT.code} is gone again`, () => s.wb.waitForProblems(`no ${EDIT.code}`, (r) => !ours(r).some((x) => x.code === EDIT.code), 30_000));
  });
});

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

  it('shows the diagnostics a file-only check finds', async () => {
    const expected = codeCounts(cliFindings(folder, { git: false }).map((f) => f.code));
    assert.notEqual(expected, '', 'the CLI without git finds nothing in the broken example');
    await s.wb.step('restricted mode is on', () => s.wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 20_000 }));
    await s.wb.step('problems panel lists the file-only findings', () => s.wb.waitForProblems(expected, (r) => codeCounts(ours(r).map((x) => x.code)) === expected, 60_000));
  });

  it('spawns no process: the git/dvc shim saw no call from our language server', async () => {
    await s.wb.step('the check has finished', () => s.wb.waitForIdle());
    const ourCalls = s.shim.fromOurServer();
    assert.deepEqual(ourCalls, [], `our server spawned in restricted mode: ${JSON.stringify(ourCalls)}`);
    // With VS Code's git extension off, nothing at all should have run git or dvc in the folder.
    assert.deepEqual(s.shim.inFolder(folder), [], 'some process ran git or dvc in the restricted workspace');
  });
});
