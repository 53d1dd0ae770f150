import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol';
import {
  DataHistoryRequest,
  DvcInitRequest,
  DvcLocateRequest,
  SnapshotCommitRequest,
  SnapshotPlanRequest,
  StructureApplyRequest,
  StructurePlanRequest,
  TagCreateRequest,
  TagPlanRequest,
  VersioningOutputNotification,
  type VersioningErrorData,
  type VersioningOutputParams,
} from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';
import { git, gitRepo, rmrf } from '../support/tmp';

/** The versioning work runs in the language server (the client only asks and confirms): over real JSON-RPC, on real git repositories. */
describe('versioning requests over the language server', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  const refusal = (code: string) => (e: unknown) => {
    assert.ok(e instanceof ResponseError, String(e));
    assert.equal((e.data as VersioningErrorData | undefined)?.code, code, e.message);
    return true;
  };

  it('plans and creates an annotated model tag; the same plan again is refused and the tag does not move', async () => {
    root = gitRepo({ 'train.py': 'print("train")\n', 'params.yaml': 'lr: 0.1\n' });
    client = await LspTestClient.start(root);
    const head = git(root, 'rev-parse', 'HEAD').trim();
    const names = await Promise.all(
      (['patch', 'minor'] as const).map((bump) => client!.connection.sendRequest(TagPlanRequest, { folder: root, bump, checkData: false })),
    );
    assert.deepEqual(
      names.map((p) => p.tag),
      ['model-v0.0.1', 'model-v0.1.0'],
    );
    const run = { id: 'hydra:outputs/1', source: 'hydra', name: 'lr sweep', params: { lr: 0.1 }, metrics: { acc: 0.93 } };
    const plan = await client.connection.sendRequest(TagPlanRequest, { folder: root, bump: 'minor', run, note: 'first release' });
    assert.equal(plan.commit, head);
    assert.match(plan.message, /first release/);
    assert.match(plan.message, /acc/);
    const made = await client.connection.sendRequest(TagCreateRequest, { plan });
    assert.deepEqual(made, { tag: 'model-v0.1.0', commit: head });
    assert.equal(git(root, 'cat-file', '-t', 'model-v0.1.0').trim(), 'tag');
    assert.match(git(root, 'cat-file', '-p', 'model-v0.1.0'), /first release/);
    // a second window confirming the same version: refused with the reason, the tag still where it was
    git(root, 'commit', '-q', '--allow-empty', '-m', 'later');
    await assert.rejects(
      client.connection.sendRequest(TagCreateRequest, { plan: { ...plan, commit: git(root, 'rev-parse', 'HEAD').trim() } }),
      refusal('tag-exists'),
    );
    assert.equal(git(root, 'rev-list', '-n', '1', 'model-v0.1.0').trim(), head);
    // the boundary checks the params before the handler: an unknown bump is InvalidParams, nothing planned
    await assert.rejects(
      client.connection.sendRequest(TagPlanRequest, { folder: root, bump: 'huge' as 'major' }),
      /invalid params for mlopsHygiene\/versioning\/planTag/,
    );
  });

  it('data version history from git, a snapshot commit, and project structure: plan first, then only what was confirmed', async () => {
    const dvcFile = (md5: string) => `outs:\n- md5: ${md5}\n  size: 4\n  hash: md5\n  path: data.csv\n`;
    root = gitRepo({ '.dvc/config': '', 'data.csv.dvc': dvcFile('d3b07384d113edec49eaa6238ad5ff00'), '.gitignore': '/data.csv\n', 'params.yaml': 'lr: 0.1\n' });
    fs.writeFileSync(path.join(root, 'data.csv.dvc'), dvcFile('c157a79031e1c40f85931829bc5fc552'));
    git(root, 'commit', '-q', '-am', 'new data');
    client = await LspTestClient.start(root);
    const history = await client.connection.sendRequest(DataHistoryRequest, { folder: root, ref: { file: 'data.csv.dvc' } });
    assert.deepEqual(
      history.entries.map((e) => [e.subject, e.version.hash, e.current]),
      [
        ['new data', 'c157a79031e1c40f85931829bc5fc552', true],
        ['initial', 'd3b07384d113edec49eaa6238ad5ff00', false],
      ],
    );

    fs.writeFileSync(path.join(root, 'params.yaml'), 'lr: 0.01\n');
    const snap = await client.connection.sendRequest(SnapshotPlanRequest, { folder: root, title: 'lower lr' });
    assert.deepEqual(snap.files, ['params.yaml']);
    assert.match(snap.message, /lr: 0\.1 -> 0\.01|lr.*0\.1.*0\.01/);
    const { commit } = await client.connection.sendRequest(SnapshotCommitRequest, { plan: snap });
    assert.equal(commit, git(root, 'rev-parse', 'HEAD').trim());
    assert.equal(git(root, 'status', '--porcelain').trim(), '');

    const structure = await client.connection.sendRequest(StructurePlanRequest, { folder: root });
    const mkdir = structure.actions.find((a) => a.kind === 'mkdir')!;
    assert.ok(mkdir, JSON.stringify(structure.actions));
    const before = new Set(fs.readdirSync(root));
    const applied = await client.connection.sendRequest(StructureApplyRequest, { plan: { ...structure, actions: [mkdir] } });
    assert.equal(applied.done.length, 1, JSON.stringify(applied));
    const added = fs.readdirSync(root).filter((n) => !before.has(n));
    assert.deepEqual(added, [mkdir.path.split('/')[0]]);
  });

  it('finds dvc where the setting points, or says how to install it; `dvc init` runs it and streams its output', async () => {
    root = gitRepo({ 'README.md': '# project\n' });
    // a stand-in for the dvc CLI: its version, and `init` as dvc does it (a .dvc folder)
    const fake = path.join(root, '..', `${path.basename(root)}-dvc`);
    fs.writeFileSync(
      fake,
      "#!/usr/bin/env node\nconst fs = require('fs');\nconst a = process.argv.slice(2);\nif (a[0] === '--version') console.log('3.55.0');\nelse if (a[0] === 'init') { fs.mkdirSync('.dvc'); fs.writeFileSync('.dvc/config', ''); console.log('Initialized DVC repository. args=' + a.join(' ')); }\n",
      { mode: 0o755 },
    );
    try {
      // PATH with node only: no dvc there
      client = await LspTestClient.start(root, { env: { ...process.env, PATH: path.dirname(process.execPath) } });
      const output: string[] = [];
      client.connection.onNotification(VersioningOutputNotification, (p: VersioningOutputParams) => void output.push(p.text));
      const none = await client.connection.sendRequest(DvcLocateRequest, { dvcPath: path.join(root, 'no-such-dvc') });
      assert.equal(none.dvc, undefined);
      assert.match(none.installHint ?? '', /pip install dvc/);
      const { dvc } = await client.connection.sendRequest(DvcLocateRequest, { dvcPath: fake });
      assert.equal(dvc?.version, '3.55.0');
      const r = await client.connection.sendRequest(DvcInitRequest, { folder: root, dvc: dvc! });
      assert.equal(r.initialized, true);
      assert.match(r.output, /Initialized DVC repository\. args=init$/m);
      assert.ok(fs.existsSync(path.join(root, '.dvc', 'config')));
      assert.match(output.join(''), /Initialized DVC repository/);
      // a folder that has .dvc/ already: nothing is run
      assert.deepEqual(await client.connection.sendRequest(DvcInitRequest, { folder: root, dvc: dvc! }), { initialized: false, output: '' });
      // a dvc that cannot start: a refusal that says so
      const sub = path.join(root, 'sub');
      fs.mkdirSync(sub);
      await assert.rejects(
        client.connection.sendRequest(DvcInitRequest, { folder: sub, dvc: { ...dvc!, file: path.join(root, 'no-such-dvc') } }),
        refusal('dvc-failed'),
      );
    } finally {
      rmrf(fake);
    }
  });

  it('in a restricted workspace every versioning request is refused before anything runs', async () => {
    root = gitRepo({ 'train.py': 'print(1)\n' });
    client = await LspTestClient.start(root, { trusted: false });
    await assert.rejects(client.connection.sendRequest(TagPlanRequest, { folder: root, bump: 'patch' }), refusal('restricted'));
    const plan = {
      folder: root,
      tag: 'model-v9.9.9',
      commit: git(root, 'rev-parse', 'HEAD').trim(),
      commitFrom: 'head' as const,
      message: 'x',
      dataVersions: [],
      uncommitted: [],
      warnings: [],
      dataMismatch: [],
    };
    await assert.rejects(client.connection.sendRequest(TagCreateRequest, { plan }), refusal('restricted'));
    await assert.rejects(
      client.connection.sendRequest(StructureApplyRequest, { plan: { folder: root, actions: [{ kind: 'mkdir', path: 'data', reason: 'x' }], skipped: [] } }),
      refusal('restricted'),
    );
    assert.equal(git(root, 'tag', '--list').trim(), '');
    assert.equal(fs.existsSync(path.join(root, 'data')), false);
  });
});
