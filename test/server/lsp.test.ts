import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, FileChangeType, HoverRequest, type CodeAction } from 'vscode-languageserver-protocol';
import { RuleDocRequest } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';
import { git, gitRepo, rmrf, writeTree } from '../support/tmp';

describe('language server over stdio', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('publishes diagnostics for files that are not open, with code and doc link', async () => {
    root = gitRepo({ 'README.md': '# x\n', 'models/model.pt': Buffer.from([0, 1]) });
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/model.pt').includes('GIT001'), 'GIT001 on models/model.pt');
    const d = client.diagnosticsFor('models/model.pt')[0];
    assert.equal(d.source, 'mlops-hygiene');
    assert.match(d.codeDescription!.href, /GIT001\.md$/);
  });

  it('offers the .gitignore quick fix, shows the rule doc on hover, and reacts to file events', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '__pycache__/\n' });
    fs.mkdirSync(path.join(root, 'models'));
    fs.writeFileSync(path.join(root, 'models/best.ckpt'), Buffer.from([0, 1]));
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/best.ckpt').includes('GIT002'), 'GIT002');
    const diag = client.diagnosticsFor('models/best.ckpt')[0];
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('models/best.ckpt') },
      range: diag.range,
      context: { diagnostics: [diag] },
    })) as CodeAction[];
    // the fix, then the suppression (a binary file holds no comment: per-file-ignores)
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Add '/models/' to .gitignore", 'Ignore GIT002 in this file'],
    );
    assert.ok(JSON.stringify(actions[0].edit).includes('/models/\\n'));

    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: client.uri('models/best.ckpt') },
      position: { line: 0, character: 0 },
    });
    assert.match(JSON.stringify(hover), /Model file not ignored/);

    // the user ignores the folder on disk: the diagnostic goes away after the file event
    fs.appendFileSync(path.join(root, '.gitignore'), '/models/\n');
    await client.fileEvents([{ rel: '.gitignore', type: FileChangeType.Changed }]);
    await client.waitFor(() => !client!.codesFor('models/best.ckpt').includes('GIT002'), 'GIT002 to disappear');

    const doc = await client.connection.sendRequest(RuleDocRequest, { code: 'GIT002' });
    assert.equal(doc?.name, 'model-file-not-ignored');
  });

  it('updates on an unsaved edit of an open document (a quick fix applied in the editor)', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '# nothing yet\n' });
    fs.mkdirSync(path.join(root, 'models'));
    fs.writeFileSync(path.join(root, 'models/m.onnx'), Buffer.from([0, 1]));
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/m.onnx').includes('GIT002'), 'GIT002 at start');
    await client.open('.gitignore', '# nothing yet\n', 'ignore');
    await client.change('.gitignore', '# nothing yet\n/models/\n');
    await client.waitFor(() => !client!.codesFor('models/m.onnx').includes('GIT002'), 'GIT002 to go after the unsaved edit');
  });
});

describe('language server: file events and git operations', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('follows created and deleted files, and a git checkout that changes what is tracked', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '' });
    git(root, 'checkout', '-q', '-b', 'with-model');
    writeTree(root, { 'models/m.pt': 'weights' });
    git(root, 'add', 'models/m.pt');
    git(root, 'commit', '-q', '-m', 'add model');
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/m.pt').includes('GIT001'), 'GIT001 on the committed model');

    // checkout main: the model is gone from the index and the disk; git touches .git/index and HEAD
    git(root, 'checkout', '-q', 'main');
    await client.fileEvents([
      { rel: 'models/m.pt', type: FileChangeType.Deleted },
      { rel: '.git/index', type: FileChangeType.Changed },
      { rel: '.git/HEAD', type: FileChangeType.Changed },
    ]);
    await client.waitFor(() => client!.codesFor('models/m.pt').length === 0, 'diagnostics of the deleted model cleared');

    // a new checkpoint appears (not ignored): GIT002
    writeTree(root, { 'ckpt/last.ckpt': 'x' });
    await client.fileEvents([{ rel: 'ckpt/last.ckpt', type: FileChangeType.Created }]);
    await client.waitFor(() => client!.codesFor('ckpt/last.ckpt').includes('GIT002'), 'GIT002 on the new checkpoint');
  });

  it('in an untrusted workspace it reads files but runs no git: a committed .env is only known as not ignored', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '', '.env': 'X=1\n', 'params.yaml': 'lr: 0.1\n' });
    client = await LspTestClient.start(root, { trusted: false });
    await client.waitFor(() => client!.codesFor('.env').length > 0, 'SEC001 without git');
    assert.deepEqual(client.codesFor('.env'), ['SEC001']);
    // without git nothing is known to be tracked: the finding is the walker's "not ignored", not git's "committed"
    assert.match(String(client.diagnosticsFor('.env')[0].message), /is not ignored by \.gitignore/);
    assert.ok(client.status!.notes.some((n) => n.includes('Restricted mode')));
    await client.stop();
    client = await LspTestClient.start(root, { trusted: true });
    await client.waitFor(() => client!.codesFor('.env').length > 0, 'SEC001 with git');
    assert.match(String(client.diagnosticsFor('.env')[0].message), /is committed to git/);
  });
});
