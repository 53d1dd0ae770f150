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

    const defEntry = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 11 },
    })) as Location[];
    assert.deepEqual(
      defEntry.map((l) => l.uri),
      [client.uri('configs/model/vit.yaml')],
    );

    const typing = CONFIG.replace('lr: ${model.lr}', 'lr: ${model.d');
    await client.change('configs/config.yaml', typing);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: 13 },
    })) as CompletionItem[];
    assert.deepEqual(
      items.map((i) => i.label),
      ['depth'],
    );
    const all = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: 12 },
    })) as CompletionItem[];
    assert.deepEqual(all.map((i) => i.label).sort(), ['depth', 'lr', 'name']);
  });

  it('a config group shared by two primary configs (train.yaml, eval.yaml): hover, definition and completion use both', async () => {
    // lightning-hydra-template's layout: src/train.py and src/eval.py compose configs/train.yaml and configs/eval.yaml,
    // which both take configs/trainer/default.yaml
    const trainer = 'max_epochs: 10\ndefault_root_dir: logs/${task_name}\n';
    root = gitRepo({
      'src/train.py': 'import hydra\n@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")\ndef main(cfg):\n    pass\n',
      'src/eval.py': 'import hydra\n@hydra.main(version_base="1.3", config_path="../configs", config_name="eval.yaml")\ndef main(cfg):\n    pass\n',
      'configs/train.yaml': 'defaults:\n  - trainer: default\n  - _self_\n\ntask_name: train\nseed: 12\n',
      'configs/eval.yaml': 'defaults:\n  - trainer: default\n  - _self_\n\ntask_name: eval\nckpt_path: best.ckpt\n',
      'configs/trainer/default.yaml': trainer,
    });
    client = await LspTestClient.start(root);
    const rel = 'configs/trainer/default.yaml';
    await client.openChecked(rel, trainer, trainer.replace('${task_name}', '${task_nam}'), 'HYD010');
    const uri = client.uri(rel);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 25 } });
    const text = (hover?.contents as { value: string }).value;
    assert.match(text, /`task_name` differs by primary config/);
    assert.match(text, /- configs\/train\.yaml: `"train"` from configs\/train\.yaml:5/);
    assert.match(text, /- configs\/eval\.yaml: `"eval"` from configs\/eval\.yaml:5/);

    const def = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 1, character: 25 } })) as Location[];
    assert.deepEqual(def.map((l) => [l.uri.replace(/.*\/configs\//, ''), l.range.start.line]).sort(), [
      ['eval.yaml', 4],
      ['train.yaml', 4],
    ]);

    const typing = trainer.replace('${task_name}', '${');
    await client.change(rel, typing);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 25 },
    })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label).sort(), ['ckpt_path', 'seed', 'task_name', 'trainer'], 'the union of both primaries');
    const doc = (label: string) =>
      String(
        (items.find((i) => i.label === label)?.documentation as { value?: string } | string | undefined) &&
          JSON.stringify(items.find((i) => i.label === label)?.documentation),
      );
    assert.match(doc('seed'), /in configs\/train\.yaml"?/);
    assert.ok(!doc('seed').includes('eval.yaml'), doc('seed'));
    assert.match(doc('ckpt_path'), /in configs\/eval\.yaml/);
    assert.match(doc('task_name'), /in configs\/(train\.yaml, configs\/eval|eval\.yaml, configs\/train)\.yaml/);
  });
});
