import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { findRule, renderRuleHover } from '../../server/src/engine';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, rmrf } from '../support/tmp';

describe('language server: what the editor shows (hover, hints, log)', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('the hover of a finding is its title (Markdown escaped), the first paragraph of why and a link, not the whole doc', async () => {
    const rule = findRule('HYD014')!;
    assert.match(rule.title, /^_target_/, 'a title that Markdown would render as italics');
    const md = renderRuleHover(rule);
    assert.ok(md.startsWith(`**${rule.code}** \\_target\\_ into`), md);
    assert.ok(!/^#/m.test(md), `no headings: ${md}`);
    assert.match(md, new RegExp(`\\[${rule.code} target-not-found: the full rule doc\\]\\(https://[^)]+/${rule.code}\\.md\\)`));
    assert.ok(!md.includes(rule.doc.example.trim()), 'the example is in the full doc only');

    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '__pycache__/\n', 'models/best.ckpt': Buffer.from([0, 1, 0]) }, []);
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.codesFor('models/best.ckpt').includes('GIT002'), 'GIT002');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('models/best.ckpt') }, position: { line: 0, character: 0 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /^\*\*GIT002\*\* Model file not ignored/);
    assert.match(value, /GIT002\.md\)/);
    assert.ok(!value.includes('## What it does'), value);
  });

  it('mlopsHygiene.hintsAsInformation sends hint findings as Information (VS Code lists no Hint in Problems)', async () => {
    // params.yaml keys no stage reads: DVC013, a hint
    const files = {
      'README.md': '# x\n',
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1.0"\ndependencies = ["dvc==3.50.0"]\n',
      'params.yaml': 'train:\n  lr: 0.1\n  unused_key: 3\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    deps:\n      - train.py\n    params:\n      - train.lr\n',
      'train.py': 'print(1)\n',
    };
    root = gitRepo(files);
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.diagnosticsFor('params.yaml').some((d) => d.severity === DiagnosticSeverity.Hint), 'a hint on params.yaml');
    await client.stop();
    client = await LspTestClient.start(root, { settings: { hintsAsInformation: true } });
    await client.waitFor(() => client!.diagnosticsFor('params.yaml').length > 0, 'diagnostics on params.yaml');
    assert.ok(client.diagnosticsFor('params.yaml').every((d) => d.severity === DiagnosticSeverity.Information), JSON.stringify(client.diagnosticsFor('params.yaml').map((d) => [d.code, d.severity])));
  });

  it('logs its version, the folders, the listing and each full check with duration and file count; reports its version', async () => {
    root = gitRepo({ 'README.md': '# x\n', 'train.py': 'print(1)\n' });
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.logs.some((l) => /^checked \d+ files in .* in \d+ ms: \d+ findings$/.test(l)), 'the check log line');
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version as string;
    assert.equal(client.initializeResult?.serverInfo?.version, version);
    assert.ok(client.logs.some((l) => l.startsWith(`mlops-hygiene ${version} (Node `) && l.includes(root)), client.logs.join('\n'));
    assert.ok(client.logs.some((l) => /^listed 2 files in .* in \d+ ms/.test(l)), client.logs.join('\n'));
  });
});
