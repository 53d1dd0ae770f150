import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FileChangeType,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { DvcStatusRequest, DvcTrackedRequest } from '../../shared/protocol';
import { dvcProject } from '../support/dvc';
import { LspTestClient } from '../support/lspClient';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

describe('DVC status request over the language server', function () {
  this.timeout(30000);
  let root = '';
  let xdg = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
    rmrf(xdg);
  });

  it('answers mlopsHygiene/dvc/status with items and stages, reports progress on the token, and caches hashes', async () => {
    root = dvcProject();
    fs.writeFileSync(path.join(root, 'data', 'foo'), 'changed');
    xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-xdg-'));
    const prevXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = xdg; // inherited by the server process: its default cache folder
    try {
      client = await LspTestClient.start(root);
    } finally {
      if (prevXdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = prevXdg;
    }
    const kinds: string[] = [];
    const token = 'dvc-status-1';
    client.connection.onProgress(WorkDoneProgress.type, token, (p: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
      kinds.push(p.kind);
    });
    const r = await client.connection.sendRequest(DvcStatusRequest, { folder: root, workDoneToken: token });
    assert.ok(r.items.length, JSON.stringify(r));
    const data = r.items.find((i) => i.source === 'data.dvc')!;
    assert.equal(data.state, 'modified');
    assert.equal(data.hash, '5ea40360f5b4ec688df672a4db9c17d1.dir');
    assert.deepEqual(r.stages.find((s) => s.name === 'train')!.changes, ['data changed']);
    assert.ok(r.filesHashed! >= 5);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    // the server keeps its hash cache in the OS cache folder, not in the repository
    assert.ok(fs.readdirSync(path.join(xdg, 'mlops-hygiene')).some((f) => f.endsWith('-files.json')));
    const again = await client.connection.sendRequest(DvcStatusRequest, {});
    assert.equal(again.filesHashed, 0);
    assert.deepEqual(again.items, r.items);
  });

  it('answers mlopsHygiene/dvc/tracked with what the .dvc files and dvc.yaml track (the Data view reads no file itself)', async () => {
    root = dvcProject();
    const plain = tmpDir('mlh-nodvc-');
    writeTree(plain, { 'README.md': '# web app\n', 'app.py': 'print(1)\n' });
    try {
      client = await LspTestClient.start(root);
      const r = await client.connection.sendRequest(DvcTrackedRequest, { folder: root });
      assert.equal(r.usesDvc, true);
      const bySource = Object.fromEntries(r.items.map((i) => [`${i.source} ${i.path}`, i]));
      assert.deepEqual(Object.keys(bySource).sort(), ['data.dvc data', 'dvc.yaml:train model.bin', 'gone.txt.dvc gone.txt', 'raw.csv.dvc raw.csv']);
      assert.equal(bySource['data.dvc data'].hash, '5ea40360f5b4ec688df672a4db9c17d1.dir');
      assert.equal(bySource['dvc.yaml:train model.bin'].recordFile, 'dvc.lock');
      assert.equal(bySource['dvc.yaml:train model.bin'].kind, 'stage-out');
      // a folder without DVC: the view shows its "Initialize DVC" welcome
      assert.deepEqual(await client.connection.sendRequest(DvcTrackedRequest, { folder: plain }), { usesDvc: false, items: [] });
      // the boundary answers a request without its folder with InvalidParams
      await assert.rejects(client.connection.sendRequest(DvcTrackedRequest, {} as { folder: string }), /invalid params for mlopsHygiene\/dvc\/tracked/);
    } finally {
      rmrf(plain);
    }
  });

  it('DVC066 arrives on the stage in dvc.yaml from the background status, and goes when the changed dep is restored', async () => {
    root = dvcProject();
    xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-xdg-'));
    const prevXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = xdg;
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR'); // data/ is git-ignored (dvc add wrote /data)
    try {
      client = await LspTestClient.start(root);
    } finally {
      if (prevXdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = prevXdg;
    }
    const stageStatus = () => client!.diagnosticsFor('dvc.yaml').filter((d) => d.code === 'DVC066');
    const waitFor = async (pred: () => boolean, ms = 15000) => {
      const deadline = Date.now() + ms;
      while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return pred();
    };
    assert.ok(await waitFor(() => stageStatus().length === 1), JSON.stringify(client.diagnosticsFor('dvc.yaml')));
    const [d] = stageStatus();
    assert.equal(d.message, 'stage `train` is out of date: data changed');
    assert.equal(d.severity, 3, 'information');
    assert.deepEqual(d.range.start, { line: 1, character: 2 });
    // the other diagnostics of dvc.yaml did not wait for it: DVC020 (evaluate never ran) is there too
    assert.ok(client.diagnosticsFor('dvc.yaml').some((x) => x.code === 'DVC020'));
    // restoring the dep (a file event in the ignored data/ folder) refreshes it
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'bar');
    await client.fileEvents([{ rel: 'data/bar', type: FileChangeType.Changed }]);
    assert.ok(await waitFor(() => stageStatus().length === 0), JSON.stringify(stageStatus()));
    // and the Data view's request answers from the same status
    const r = await client.connection.sendRequest(DvcStatusRequest, {});
    assert.equal(r.stages.find((s) => s.name === 'train')!.state, 'up-to-date');
    // a params value changed on disk (the stage reads params.yaml: train.lr): the stage is out of date again
    fs.writeFileSync(path.join(root, 'params.yaml'), 'train:\n  lr: 0.01\n  epochs: 3\n');
    await client.fileEvents([{ rel: 'params.yaml', type: FileChangeType.Changed }]);
    assert.ok(
      await waitFor(() => stageStatus().some((x) => x.message === 'stage `train` is out of date: params.yaml: train.lr changed (0.1 -> 0.01)')),
      JSON.stringify(stageStatus()),
    );
  });

  it('DVC066 follows deps changed on disk outside the editor: the watcher event alone re-runs the stage status', async () => {
    root = dvcProject(); // a real git repository: train.py, params.yaml, the .dvc files and dvc.lock committed
    xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-xdg-'));
    const prevXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = xdg;
    try {
      client = await LspTestClient.start(root);
    } finally {
      if (prevXdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = prevXdg;
    }
    const c = client;
    const stageStatus = () =>
      c
        .diagnosticsFor('dvc.yaml')
        .filter((d) => d.code === 'DVC066')
        .map((d) => d.message);
    const waitFor = (want: string[], what: string) =>
      c.waitFor(() => JSON.stringify(stageStatus()) === JSON.stringify(want), `${what} (now ${JSON.stringify(stageStatus())})`, 15000);
    // the server asks the editor to watch every file (VS Code's file watcher then reports changes made by other programs)
    await c.waitFor(() => c.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), 'the file watcher registration');
    const watchers = (
      c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: { globPattern: string }[] }
    ).watchers.map((w) => w.globPattern);
    assert.ok(watchers.includes('**/*'), JSON.stringify(watchers));
    await c.waitFor(() => c.codesFor('dvc.yaml').includes('DVC020'), 'the first check of dvc.yaml');
    assert.equal((await c.connection.sendRequest(DvcStatusRequest, {})).stages.find((s) => s.name === 'train')!.state, 'up-to-date');
    assert.deepEqual(stageStatus(), []);

    // 1. a git-tracked dep edited by another program (no didOpen, didChange or didSave: only the watcher's event)
    fs.writeFileSync(path.join(root, 'train.py'), 'print("train v2")\n');
    await c.fileEvents([{ rel: 'train.py', type: FileChangeType.Changed }]);
    await waitFor(['stage `train` is out of date: train.py changed'], 'DVC066 after train.py changed on disk');

    // 2. the dep is open in the editor and `git checkout` restores it on disk: the open buffer is not the disk, the
    //    status (which hashes the disk) follows the disk
    await c.open('train.py', 'print("train v2")\n', 'python');
    execFileSync('git', ['checkout', '--', 'train.py'], { cwd: root });
    await c.fileEvents([{ rel: 'train.py', type: FileChangeType.Changed }]);
    await waitFor([], 'DVC066 gone after git checkout restored train.py');

    // 3. a file created in a dep folder (git-ignored DVC data), then deleted again
    fs.writeFileSync(path.join(root, 'data', 'extra.csv'), 'x\n1\n');
    await c.fileEvents([{ rel: 'data/extra.csv', type: FileChangeType.Created }]);
    await waitFor(['stage `train` is out of date: data changed'], 'DVC066 after a file appeared in data/');
    fs.rmSync(path.join(root, 'data', 'extra.csv'));
    await c.fileEvents([{ rel: 'data/extra.csv', type: FileChangeType.Deleted }]);
    await waitFor([], 'DVC066 gone after the new file was deleted');

    // 4. must not: an event for a file no stage reads leaves the status as it is
    const before = (await c.connection.sendRequest(DvcStatusRequest, {})).stages.map((s) => `${s.name}:${s.state}`);
    fs.writeFileSync(path.join(root, 'README.md'), '# notes\n');
    await c.fileEvents([{ rel: 'README.md', type: FileChangeType.Created }]);
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(stageStatus(), []);
    assert.deepEqual(
      (await c.connection.sendRequest(DvcStatusRequest, {})).stages.map((s) => `${s.name}:${s.state}`),
      before,
    );
  });
});
