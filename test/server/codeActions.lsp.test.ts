import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, rmrf } from '../support/tmp';

/** The new text of `rel` after the edits of a code action (its edits to that one file). */
function applied(root: string, rel: string, edit: WorkspaceEdit | undefined, text?: string): string {
  const uri = (u: string) => decodeURIComponent(new URL(u).pathname);
  const before = text ?? (fs.existsSync(path.join(root, rel)) ? fs.readFileSync(path.join(root, rel), 'utf8') : '');
  const edits = (edit?.documentChanges ?? [])
    .filter((c): c is TextDocumentEdit => 'textDocument' in c && uri(c.textDocument.uri) === path.join(fs.realpathSync(root), rel))
    .flatMap((c) => c.edits.map((e) => ({ range: e.range, newText: 'newText' in e ? e.newText : '' })));
  return applyEdits(before, edits);
}

// A workflow of a small ML project with two outdated actions (GHA011 twice, each with a safe fix in the file).
const WORKFLOW = [
  'name: ci',
  'on: [push]',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v2',
  '      - uses: actions/setup-python@v2',
  '        with:',
  '          python-version: "3.11"',
  '      - run: pip install -r requirements.txt && pytest',
  '',
].join('\n');

const PROJECT = {
  'README.md': '# proj\n',
  'pyproject.toml': '[project]\nname = "proj"\nversion = "0.1.0"\ndependencies = ["torch==2.3.0"]\n',
  'tests/test_x.py': 'def test_x():\n    assert True\n',
  '.github/workflows/ci.yml': WORKFLOW,
};

describe('language server: code actions (fix-all, ignore, dedupe, binary files)', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  const actions = (rel: string, diagnostics: Diagnostic[], range = diagnostics[0]?.range, only?: string[]) =>
    client!.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client!.uri(rel) },
      range: range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics, ...(only ? { only } : {}) },
    }) as Promise<CodeAction[]>;

  it('one quick fix per distinct edit: three GIT005 on one .gitignore line offer their shared fix once', async () => {
    root = gitRepo(
      {
        ...PROJECT,
        '.gitignore': '__pycache__/\n',
        'wandb/run-20240101_000000-abc/files/config.yaml': 'lr: {value: 0.1}\n',
        'mlruns/0/meta.yaml': 'name: Default\n',
        'mlruns/0/abc/meta.yaml': 'run_id: abc\n',
      },
      [],
    );
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('.gitignore').filter((c) => c === 'GIT005').length >= 2, 'two GIT005 on .gitignore');
    const diags = client.diagnosticsFor('.gitignore').filter((d) => d.code === 'GIT005');
    const got = await actions('.gitignore', diags);
    const fixes = got.filter((a) => a.title.startsWith('Add '));
    assert.equal(fixes.length, 1, `fixes offered: ${got.map((a) => a.title).join(' | ')}`);
    assert.equal(fixes[0].diagnostics?.length, diags.length, 'the one fix resolves every diagnostic that has it');
    assert.equal(got.filter((a) => a.title === 'Ignore GIT005 on this line').length, 1, got.map((a) => a.title).join(' | '));
  });

  it('a finding on a binary file: its related information leads to the .gitignore, where the fix is a code action', async () => {
    root = gitRepo({ ...PROJECT, '.gitignore': '__pycache__/\n', 'models/best.ckpt': Buffer.from([0, 1, 2, 0]) }, []);
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/best.ckpt').includes('GIT002'), 'GIT002 on the checkpoint');
    const d = client.diagnosticsFor('models/best.ckpt').find((x) => x.code === 'GIT002')!;
    const rel = d.relatedInformation?.find((r) => r.location.uri.endsWith('/.gitignore'));
    assert.ok(rel, `no related information pointing at .gitignore: ${JSON.stringify(d.relatedInformation)}`);
    assert.match(rel.message, /Quick Fix here .*Add '\/models\/' to \.gitignore/);
    assert.equal(rel.location.range.start.line, 1, 'at the end of the .gitignore, where the line is appended');
    // the user clicks it: VS Code opens .gitignore (didOpen, same text) and asks at once (found by the editor suite: the
    // open re-checked .gitignore, its dependents' findings were pending and nothing was offered)
    await client.open('.gitignore', '__pycache__/\n', 'ignore');
    const there = await actions('.gitignore', [], rel.location.range);
    const fix = there.find((a) => a.title.startsWith("Add '/models/' to .gitignore"));
    assert.ok(fix, `offered in .gitignore: ${there.map((a) => a.title).join(' | ')}`);
    assert.match(fix.title, /GIT002 on models\/best\.ckpt/);
    assert.equal(applied(root, '.gitignore', fix.edit), '__pycache__/\n/models/\n');
    // not on a line far from where the edit goes
    // an unsaved edit, and the request right after it (before the debounced check)
    await client.change('.gitignore', '__pycache__/\n*.log\n.venv/\n');
    const atNewEnd = await actions('.gitignore', [], { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
    assert.deepEqual(
      atNewEnd.map((a) => a.title),
      ["Add '/models/' to .gitignore (GIT002 on models/best.ckpt)"],
    );
    assert.equal(applied(root, '.gitignore', atNewEnd[0].edit, '__pycache__/\n*.log\n.venv/\n'), '__pycache__/\n*.log\n.venv/\n/models/\n');
    await client.waitFor(
      () => client!.diagnosticsFor('models/best.ckpt').some((x) => x.relatedInformation?.some((r) => r.location.range.start.line === 3)),
      'related info at the new end',
    );
    const far = await actions('.gitignore', [], { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(
      far.map((a) => a.title),
      [],
    );
    // and a text file's own fixes are not repeated in the file they edit
    assert.equal(client.diagnosticsFor('models/best.ckpt').length, 1);
  });

  it('source.fixAll.mlopsHygiene applies every safe fix of the file; "Fix all GHA011 in this file" too; nothing in the light bulb list', async () => {
    root = gitRepo(PROJECT, []);
    client = await LspTestClient.start(root);
    const wf = '.github/workflows/ci.yml';
    await client.waitFor(() => client!.codesFor(wf).filter((c) => c === 'GHA011').length === 2, 'two GHA011');
    const diags = client.diagnosticsFor(wf);
    const fixAll = await actions(wf, [], undefined, ['source.fixAll.mlopsHygiene']);
    assert.equal(fixAll.length, 1, fixAll.map((a) => a.title).join(' | '));
    assert.equal(fixAll[0].kind, 'source.fixAll.mlopsHygiene');
    const after = applied(root, wf, fixAll[0].edit);
    assert.match(after, /actions\/checkout@v\d+\n/);
    assert.ok(!/@v2\n/.test(after), after);
    // VS Code asks for `source.fixAll` on save when the user lists only that kind
    assert.equal((await actions(wf, [], undefined, ['source.fixAll'])).length, 1);
    // the light bulb (no `only`) offers the per-code fix-all, never the source action
    const bulb = await actions(wf, diags.filter((x) => x.code === 'GHA011').slice(0, 1));
    assert.ok(!bulb.some((a) => a.kind?.startsWith('source')), bulb.map((a) => a.title).join(' | '));
    const perCode = bulb.find((a) => a.title === 'Fix all GHA011 in this file (2)');
    assert.ok(perCode, bulb.map((a) => a.title).join(' | '));
    // only GHA011's fixes: the other safe fix of the file (a pip cache, GHA's caching rule) is the source action's
    const gha011 = applied(root, wf, perCode.edit);
    assert.equal(gha011, after.replace(/\n\s*cache: pip/, ''));
    assert.match(after, /cache: pip/);
  });

  it('Ignore CODE on this line / in this file write the comment the engine reads, and the finding goes', async () => {
    root = gitRepo(PROJECT, []);
    client = await LspTestClient.start(root);
    const wf = '.github/workflows/ci.yml';
    await client.waitFor(() => client!.codesFor(wf).filter((c) => c === 'GHA011').length === 2, 'two GHA011');
    const first = client.diagnosticsFor(wf).find((x) => x.code === 'GHA011')!;
    const got = await actions(wf, [first]);
    const line = got.find((a) => a.title === 'Ignore GHA011 on this line');
    const file = got.find((a) => a.title === 'Ignore GHA011 in this file');
    assert.ok(line && file, got.map((a) => a.title).join(' | '));
    const withLine = applied(root, wf, line.edit);
    assert.equal(withLine.split('\n')[6], '      # mlops-hygiene: ignore[GHA011]', withLine);
    const withFile = applied(root, wf, file.edit);
    assert.equal(withFile.split('\n')[0], '# mlops-hygiene: ignore-file[GHA011]');
    // the engine reads them: the line comment drops one GHA011, the file comment both
    await client.open(wf, withLine, 'yaml');
    await client.waitFor(() => client!.codesFor(wf).filter((c) => c === 'GHA011').length === 1, 'one GHA011 after the line comment');
    assert.ok(!client.codesFor(wf).includes('MLH005'), 'the suppression is used');
    await client.change(wf, withFile);
    await client.waitFor(() => !client!.codesFor(wf).includes('GHA011'), 'no GHA011 after the file comment');
  });

  it('a file without comments (JSON, a checkpoint) is ignored through per-file-ignores in pyproject.toml', async () => {
    root = gitRepo({ ...PROJECT, '.gitignore': '__pycache__/\n', 'models/best.ckpt': Buffer.from([0, 1, 2, 0]) }, []);
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/best.ckpt').includes('GIT002'), 'GIT002');
    const d = client.diagnosticsFor('models/best.ckpt').find((x) => x.code === 'GIT002')!;
    const got = await actions('models/best.ckpt', [d]);
    assert.ok(!got.some((a) => a.title === 'Ignore GIT002 on this line'), 'no line comment in a binary file');
    const file = got.find((a) => a.title === 'Ignore GIT002 in this file');
    assert.ok(file, got.map((a) => a.title).join(' | '));
    const toml = applied(root, 'pyproject.toml', file.edit);
    assert.equal(toml, `${PROJECT['pyproject.toml']}\n[tool.mlops-hygiene.per-file-ignores]\n"/models/best.ckpt" = ["GIT002"]\n`);
    fs.writeFileSync(path.join(root, 'pyproject.toml'), toml);
    await client.fileEvents([{ rel: 'pyproject.toml', type: 2 }]);
    await client.waitFor(() => !client!.codesFor('models/best.ckpt').includes('GIT002'), 'GIT002 gone after per-file-ignores');
  });
});
