import * as assert from 'node:assert/strict';
import { CompletionRequest, DefinitionRequest, HoverRequest, type CompletionItem, type Location } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, rmrf } from '../support/tmp';

const DVC_YAML = `stages:
  train:
    cmd: python train.py
    deps:
      - train.py
    params:
      - train.lr
    outs:
      - model.pkl
`;

describe('dvc.yaml editor features through the language server', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('definition from a dep and a params key, hover with the locked value, completion in the params list', async () => {
    root = gitRepo({
      'dvc.yaml': DVC_YAML,
      'dvc.lock': "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    params:\n      params.yaml:\n        train.lr: 0.1\n",
      'params.yaml': 'train:\n  lr: 0.05\n  epochs: 3\n',
      'train.py': 'print("train")\n',
      '.gitignore': '/model.pkl\n',
    });
    client = await LspTestClient.start(root);
    // a finding proves the server has checked the workspace: a params key that does not exist (DVC012)
    await client.openChecked('dvc.yaml', DVC_YAML, DVC_YAML.replace('train.lr', 'train.lrr'), 'DVC012');

    const uri = client.uri('dvc.yaml');
    const dep = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 4, character: 10 } })) as Location[];
    assert.deepEqual(
      dep.map((l) => l.uri),
      [client.uri('train.py')],
    );
    const key = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 6, character: 12 } })) as Location[];
    assert.deepEqual(
      key.map((l) => [l.uri, l.range.start.line, l.range.start.character]),
      [[client.uri('params.yaml'), 1, 2]],
    );

    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 6, character: 12 } });
    const text = JSON.stringify(hover?.contents);
    assert.match(text, /`0\.05` in params\.yaml/);
    assert.match(text, /locked: `0\.1` in dvc\.lock \(changed since the stage ran\)/);

    const typing = DVC_YAML.replace('      - train.lr\n', '      - train.lr\n      - train.\n');
    await client.change('dvc.yaml', typing);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 7, character: 14 },
    })) as CompletionItem[];
    assert.deepEqual(
      items.map((i) => i.label),
      ['train.epochs'],
    );
  });
});
