// Runs inside VS Code's extension host (see ../runTest.ts). The same scenarios as the code-server suite (test/e2e),
// checked through the vscode API instead of the UI.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EDIT, HOVER, QUICK_FIX, codeCounts, type ExpectedFinding } from '../../e2e/scenarios';

const { folder, findings } = JSON.parse(fs.readFileSync(process.env.MLH_ELECTRON_EXPECTED ?? '', 'utf8')) as { folder: string; findings: ExpectedFinding[] };
const uri = (rel: string) => vscode.Uri.file(path.join(folder, rel));

function ourDiagnostics(): { file: string; code: string; d: vscode.Diagnostic }[] {
  const out: { file: string; code: string; d: vscode.Diagnostic }[] = [];
  for (const [u, ds] of vscode.languages.getDiagnostics()) {
    for (const d of ds) {
      if (d.source !== 'mlops-hygiene') continue;
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
      out.push({ file: path.relative(folder, u.fsPath).split(path.sep).join('/'), code, d });
    }
  }
  return out;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = fn();
    if (r) return r;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; diagnostics: ${codeCounts(ourDiagnostics().map((x) => x.code))}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe('test-electron: broken example', () => {
  before(async () => {
    await vscode.extensions.getExtension('mlops-hygiene.mlops-hygiene')!.activate();
  });

  it('publishes the diagnostics the CLI finds', async () => {
    const expected = codeCounts(findings.map((f) => f.code));
    await until(expected, () => codeCounts(ourDiagnostics().map((x) => x.code)) === expected);
  });

  it(`hover on ${HOVER.code} shows the rule's doc`, async () => {
    await vscode.window.showTextDocument(uri(HOVER.file));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri(HOVER.file),
      new vscode.Position(HOVER.line - 1, HOVER.column - 1),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n')
      .replace(/`/g, '');
    assert.match(text, HOVER.doc);
  });

  it(`the ${QUICK_FIX.code} quick fix edits ${QUICK_FIX.editedFile}`, async () => {
    const diag = await until(QUICK_FIX.code, () => ourDiagnostics().find((x) => x.code === QUICK_FIX.code && x.file === QUICK_FIX.file));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri(QUICK_FIX.file), diag.d.range);
    const fix = actions.find((a) => a.title === QUICK_FIX.title);
    assert.ok(fix?.edit, `no quick fix "${QUICK_FIX.title}"; offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await vscode.workspace.saveAll();
    assert.ok(fs.readFileSync(path.join(folder, QUICK_FIX.editedFile), 'utf8').split('\n').includes(QUICK_FIX.expectLine));
    await until(`no ${QUICK_FIX.code} on ${QUICK_FIX.file}`, () => !ourDiagnostics().some((x) => x.code === QUICK_FIX.code && x.file === QUICK_FIX.file));
  });

  it(`deleting ${EDIT.line} from ${EDIT.file} brings ${EDIT.code} back; restoring it removes it`, async () => {
    const doc = await vscode.workspace.openTextDocument(uri(EDIT.file));
    const n = doc.getText().split('\n').indexOf(EDIT.line);
    assert.ok(n >= 0);
    const del = new vscode.WorkspaceEdit();
    del.delete(doc.uri, new vscode.Range(n, 0, n + 1, 0));
    await vscode.workspace.applyEdit(del);
    await doc.save();
    await until(EDIT.code, () => ourDiagnostics().some((x) => x.code === EDIT.code));
    const add = new vscode.WorkspaceEdit();
    add.insert(doc.uri, new vscode.Position(n, 0), `${EDIT.line}\n`);
    await vscode.workspace.applyEdit(add);
    await doc.save();
    await until(`no ${EDIT.code}`, () => !ourDiagnostics().some((x) => x.code === EDIT.code));
  });
});
