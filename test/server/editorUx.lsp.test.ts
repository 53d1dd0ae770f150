import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DidChangeWorkspaceFoldersNotification, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { findRule, renderRuleHover } from '../../server/src/engine';
import { WorkspaceLayoutRequest } from '../../shared/protocol';
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
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: client.uri('models/best.ckpt') },
      position: { line: 0, character: 0 },
    });
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
    assert.ok(
      client.diagnosticsFor('params.yaml').every((d) => d.severity === DiagnosticSeverity.Information),
      JSON.stringify(client.diagnosticsFor('params.yaml').map((d) => [d.code, d.severity])),
    );
  });

  it('logs its version, the folders, the listing and each full check with duration and file count; reports its version', async () => {
    root = gitRepo({ 'README.md': '# x\n', 'train.py': 'import torch\n' });
    client = await LspTestClient.start(root, { settings: { onlyMlProjects: false } });
    await client.waitFor(() => client!.logs.some((l) => /^checked \d+ files in .* in \d+ ms: \d+ findings$/.test(l)), 'the check log line');
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version as string;
    assert.equal(client.initializeResult?.serverInfo?.version, version);
    assert.ok(
      client.logs.some((l) => l.startsWith(`mlops-hygiene ${version} (Node `) && l.includes(root)),
      client.logs.join('\n'),
    );
    assert.ok(
      client.logs.some((l) => /^listed 2 files in .* in \d+ ms/.test(l)),
      client.logs.join('\n'),
    );
  });
});

describe('language server: multi-root folders added and removed after start', function () {
  this.timeout(30000);
  const roots: string[] = [];
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    for (const r of roots.splice(0)) rmrf(r);
  });

  it('a folder added later is checked; a folder removed has its diagnostics cleared', async () => {
    const first = gitRepo({ 'README.md': '# a\n', 'models/a.pt': Buffer.from([0, 1, 0]) });
    const second = gitRepo({ 'README.md': '# b\n', 'models/b.pt': Buffer.from([0, 1, 0]) });
    roots.push(first, second);
    client = await LspTestClient.start(first);
    await client.waitFor(() => client!.codesFor('models/a.pt').includes('GIT001'), 'GIT001 in the first folder');
    const uriB = pathToFileURL(path.join(second, 'models/b.pt')).toString();
    assert.equal(client.diagnostics.get(uriB), undefined, 'the second folder is not open yet');
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: pathToFileURL(second).toString(), name: 'b' }], removed: [] },
    });
    await client.waitFor(() => (client!.diagnostics.get(uriB) ?? []).some((d) => d.code === 'GIT001'), 'GIT001 in the added folder');
    assert.ok(
      client.logs.some((l) => l.startsWith('workspace folders changed: added ')),
      client.logs.join('\n'),
    );
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [], removed: [{ uri: pathToFileURL(first).toString(), name: 'a' }] },
    });
    await client.waitFor(() => client!.codesFor('models/a.pt').length === 0, 'the removed folder cleared');
    assert.ok(
      (client.diagnostics.get(uriB) ?? []).some((d) => d.code === 'GIT001'),
      'the remaining folder keeps its findings',
    );
  });

  it("mlopsHygiene/workspace/layout: each folder's training script, config folder and DVC state, also of a folder added later", async () => {
    const main = (cp: string, name: string) =>
      `import hydra\n\n\n@hydra.main(version_base="1.3", config_path="${cp}", config_name="${name}")\ndef main(cfg):\n    pass\n`;
    const lht = gitRepo({
      'README.md': '# a\n',
      'requirements.txt': 'hydra-core\n',
      'src/train.py': main('../configs', 'train'),
      'src/eval.py': main('../configs', 'eval'),
      'configs/train.yaml': 'a: 1\n',
      'configs/eval.yaml': 'a: 1\n',
    });
    const tutorial = gitRepo({
      'README.md': '# b\n',
      'my_app.py': main('conf', 'config'),
      'conf/config.yaml': 'a: 1\n',
      'configs/README.md': '# other\n',
      '.dvc/config': '',
    });
    const web = gitRepo({ 'README.md': '# c\n', 'requirements.txt': 'flask\n', 'app/__init__.py': 'x = 1\n' });
    roots.push(lht, tutorial, web);
    client = await LspTestClient.start(lht);
    const first = await client.connection.sendRequest(WorkspaceLayoutRequest);
    assert.deepEqual(first.folders, [
      {
        folder: lht,
        checked: true,
        mlSignal: 'the dependency hydra-core in requirements.txt',
        startCommand: 'python src/train.py',
        trainScript: 'src/train.py',
        configDir: 'configs',
        dvc: false,
        pipeline: false,
      },
    ]);
    for (const f of [tutorial, web])
      await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: [{ uri: pathToFileURL(f).toString(), name: path.basename(f) }], removed: [] },
      });
    await client.waitFor(() => client!.logs.filter((l) => l.startsWith('workspace folders changed: added ')).length === 2, 'both folders added');
    const all = await client.connection.sendRequest(WorkspaceLayoutRequest);
    assert.deepEqual(
      all.folders.map((f) => [path.basename(f.folder), f.checked, f.startCommand, f.configDir, f.dvc]),
      [
        [path.basename(lht), true, 'python src/train.py', 'configs', false],
        [path.basename(tutorial), true, 'python my_app.py', 'conf', true],
        [path.basename(web), false, undefined, undefined, false],
      ],
    );
  });

  it('settings are read per folder (resource scope): mlopsHygiene.ignore of one folder leaves the other alone', async () => {
    const first = gitRepo({ 'README.md': '# a\n', 'models/a.pt': Buffer.from([0, 1, 0]) });
    const second = gitRepo({ 'README.md': '# b\n', 'models/b.pt': Buffer.from([0, 1, 0]) });
    roots.push(first, second);
    client = await LspTestClient.start(first);
    client.folderSettings[pathToFileURL(second).toString()] = { ignore: ['GIT001'] };
    await client.waitFor(() => client!.codesFor('models/a.pt').includes('GIT001'), 'GIT001 in the first folder');
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: pathToFileURL(second).toString(), name: 'b' }], removed: [] },
    });
    await client.waitFor(() => client!.logs.filter((l) => l.startsWith('checked ')).length >= 3, 'the check after the folder was added');
    const uriB = pathToFileURL(path.join(second, 'models/b.pt')).toString();
    assert.deepEqual(
      (client.diagnostics.get(uriB) ?? []).map((d) => d.code),
      [],
      'GIT001 is ignored in the second folder',
    );
    assert.ok(client.codesFor('models/a.pt').includes('GIT001'), 'and still reported in the first');
  });
});

describe('language server: only ML projects are checked (mlopsHygiene.onlyMlProjects)', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  // a small Flask app: Python files, no tests, no ML dependency, no ML tool's file
  const WEB = {
    'README.md': '# shop\n',
    'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n',
    'app/__init__.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
    'app/views.py': 'from app import app\n\n\n@app.route("/")\ndef index():\n    return "hi"\n',
  };

  it('a plain Python web project gets no "no tests" warning; the status says why; the same project with torch gets it', async () => {
    root = gitRepo(WEB);
    client = await LspTestClient.start(root);
    await client.waitFor(() => client!.logs.some((l) => l.includes('shows no ML signal')), 'the log line of a folder without an ML signal');
    await client.waitFor(() => client!.status?.state === 'idle', 'idle');
    assert.equal([...client.diagnostics.values()].flat().length, 0, JSON.stringify([...client.diagnostics.entries()]));
    assert.ok(
      client.status!.notes.some((n) => /not checked: no ML signal/.test(n)),
      JSON.stringify(client.status),
    );
    // the user adds torch: it is an ML project now, and PRJ002 (no tests) comes
    fs.writeFileSync(path.join(root, 'requirements.txt'), 'flask==3.0.3\ngunicorn==22.0.0\ntorch==2.3.0\n');
    await client.fileEvents([{ rel: 'requirements.txt', type: 2 }]);
    await client.waitFor(() => [...client!.diagnostics.values()].flat().some((d) => d.code === 'PRJ002'), 'PRJ002 once torch is a dependency');
    assert.ok(
      client.logs.some((l) => l.includes('is an ML project now: the dependency torch in requirements.txt')),
      client.logs.join('\n'),
    );
  });

  it('mlopsHygiene.onlyMlProjects false checks the web project anyway', async () => {
    root = gitRepo(WEB);
    client = await LspTestClient.start(root, { settings: { onlyMlProjects: false } });
    await client.waitFor(() => [...client!.diagnostics.values()].flat().some((d) => d.code === 'PRJ002'), 'PRJ002');
  });
});
