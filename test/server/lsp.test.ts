import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, FileChangeType, HoverRequest, type CodeAction } from 'vscode-languageserver-protocol';
import { RuleDocRequest } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, rmrf } from '../support/tmp';

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
    assert.equal(actions.length, 1);
    assert.match(actions[0].title, /Add '\/models\/' to \.gitignore/);
    assert.ok(JSON.stringify(actions[0].edit).includes('/models/\\n'));

    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('models/best.ckpt') }, position: { line: 0, character: 0 } });
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
