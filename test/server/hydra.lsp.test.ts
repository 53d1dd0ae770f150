import * as assert from 'node:assert/strict';
import { CompletionRequest, DefinitionRequest, HoverRequest, type CompletionItem, type Location } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, rmrf } from '../support/tmp';

const CONFIG = `defaults:
  - model: vit
  - _self_

lr: \${model.lr}
opt:
  lr: \${lr}
`;

describe('Hydra editor features through the language server', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('hover shows the resolved value and its origin, definition jumps to the key and to the option file, completion offers keys', async () => {
    root = gitRepo({
      'train.py': 'import hydra\n@hydra.main(config_path="configs", config_name="config", version_base="1.3")\ndef main(cfg):\n    pass\n',
      'configs/config.yaml': CONFIG,
      'configs/model/vit.yaml': 'name: vit\nlr: 0.01\ndepth: 12\n',
      'configs/model/cnn.yaml': 'name: cnn\nlr: 0.1\n',
    });
    client = await LspTestClient.start(root);
    // a finding proves the server has checked the workspace: introduce one and wait for it
    await client.openChecked('configs/config.yaml', CONFIG, CONFIG.replace('${lr}', '${lrr}'), 'HYD010');

    const uri = client.uri('configs/config.yaml');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 8 } });
    const text = JSON.stringify(hover?.contents);
    assert.match(text, /model\.lr.*= .*0\.01/);
    assert.match(text, /configs\/model\/vit\.yaml:2/);

    const def = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 6, character: 9 } })) as Location[];
    assert.equal(def.length, 1);
    assert.equal(def[0].uri, uri);
    assert.equal(def[0].range.start.line, 4, 'opt.lr: ${lr} jumps to the top-level lr key');

    const defEntry = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 1, character: 11 } })) as Location[];
    assert.deepEqual(defEntry.map((l) => l.uri), [client.uri('configs/model/vit.yaml')]);

    const typing = CONFIG.replace('lr: ${model.lr}', 'lr: ${model.d');
    await client.change('configs/config.yaml', typing);
    const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 13 } })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label), ['depth']);
    const all = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 12 } })) as CompletionItem[];
    assert.deepEqual(all.map((i) => i.label).sort(), ['depth', 'lr', 'name']);
  });
});
