import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { dataStatus } from '../../server/src/engine/dvc/data';
import { hashBytes } from '../../server/src/engine/dvc/data/hashing';
import { cacheFile, dvcProject } from '../support/dvc';
import { gitRepo, rmrf, writeTree } from '../support/tmp';

describe('native DVC status', () => {
  let root = '';
  let hashCache = '';
  beforeEach(() => {
    root = dvcProject();
    hashCache = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-hc-'));
  });
  afterEach(() => {
    rmrf(root);
    rmrf(hashCache);
  });

  const status = async () => dataStatus(await Workspace.load(root), { cacheDir: hashCache });
  const stateOf = (s: Awaited<ReturnType<typeof status>>, source: string, p: string) => s.items.find((i) => i.source === source && i.path === p)?.state;

  it('reports in-sync data, missing data, a legacy hash, and a stage never run', async () => {
    const s = await status();
    assert.equal(stateOf(s, 'data.dvc', 'data'), 'in-sync');
    assert.equal(stateOf(s, 'raw.csv.dvc', 'raw.csv'), 'in-sync');
    assert.equal(s.items.find((i) => i.path === 'raw.csv')!.legacyHash, true);
    assert.equal(stateOf(s, 'gone.txt.dvc', 'gone.txt'), 'missing');
    assert.match(s.items.find((i) => i.path === 'gone.txt')!.detail!, /dvc checkout/);
    assert.deepEqual(
      s.stages.find((x) => x.name === 'train'),
      { name: 'train', state: 'up-to-date', changes: [] },
    );
    assert.equal(s.stages.find((x) => x.name === 'evaluate')!.state, 'never-run');
    assert.equal(stateOf(s, 'dvc.yaml:train', 'model.bin'), 'in-sync');
  });

  it('says which dep changed a stage, and that modified data is not committed', async () => {
    fs.writeFileSync(path.join(root, 'data', 'foo'), 'FOO');
    fs.writeFileSync(path.join(root, 'params.yaml'), 'train:\n  lr: 0.01\n  epochs: 3\n');
    const s = await status();
    assert.equal(stateOf(s, 'data.dvc', 'data'), 'modified');
    assert.match(s.items.find((i) => i.source === 'data.dvc')!.detail!, /5ea40360f5b4ec688df672a4db9c17d1\.dir -> [0-9a-f]{32}\.dir/);
    const train = s.stages.find((x) => x.name === 'train')!;
    assert.equal(train.state, 'changed');
    assert.deepEqual(train.changes, ['data changed', 'params.yaml: train.lr changed (0.1 -> 0.01)']);
  });

  it('reports an output deleted and data not in the cache', async () => {
    fs.rmSync(path.join(root, 'model.bin'));
    fs.rmSync(path.join(root, '.dvc', 'cache', 'files', 'md5', 'ac'), { recursive: true, force: true }); // foo's object
    const s = await status();
    assert.deepEqual(s.stages.find((x) => x.name === 'train')!.changes, ['output model.bin is missing']);
    assert.equal(stateOf(s, 'data.dvc', 'data'), 'not-in-cache');
    assert.match(s.items.find((i) => i.source === 'data.dvc')!.detail!, /1 object\(s\) are not in the local cache/);
  });

  it('honours cache.dir in .dvc/config.local and the legacy hash of a changed CRLF file', async () => {
    fs.renameSync(path.join(root, '.dvc', 'cache'), path.join(root, 'other-cache'));
    fs.writeFileSync(path.join(root, '.dvc', 'config.local'), '[cache]\n    dir = ../other-cache\n');
    let s = await status();
    assert.equal(stateOf(s, 'data.dvc', 'data'), 'in-sync');
    // LF instead of CRLF: the same legacy (dos2unix) hash, so not modified
    fs.writeFileSync(path.join(root, 'raw.csv'), 'a,b\n1,2\n');
    s = await status();
    assert.equal(stateOf(s, 'raw.csv.dvc', 'raw.csv'), 'in-sync');
    fs.writeFileSync(path.join(root, 'raw.csv'), 'a,b\n1,3\n');
    s = await status();
    assert.equal(stateOf(s, 'raw.csv.dvc', 'raw.csv'), 'modified');
  });

  it('after a warm status, a same-size change to one file of a cached folder or to a tracked file is detected', async () => {
    // whole-second mtimes, so that a test can give a file back exactly the mtime the cache saw
    const foo = path.join(root, 'data', 'foo');
    const raw = path.join(root, 'raw.csv');
    const t1 = new Date('2025-01-01T00:00:00Z');
    for (const f of [foo, raw]) fs.utimesSync(f, t1, t1);
    const cold = await status();
    const warm = await status();
    assert.equal(warm.filesHashed, 0, 'the warm run answers from the cache');
    assert.equal(stateOf(warm, 'data.dvc', 'data'), 'in-sync');
    const fooIno = fs.statSync(foo).ino;
    // same size, new contents, in place (same inode): only the mtime tells
    fs.writeFileSync(foo, 'fox');
    fs.utimesSync(foo, t1, new Date(t1.getTime() + 1000));
    let s = await status();
    assert.equal(stateOf(s, 'data.dvc', 'data'), 'modified');
    assert.equal(s.filesHashed, 1, 'only the changed file is read');
    assert.notEqual(s.items.find((i) => i.source === 'data.dvc')!.currentHash, cold.items.find((i) => i.source === 'data.dvc')!.currentHash);
    // same size and the same mtime as the cached version, but another file (a new inode): still seen
    const rawSize = fs.statSync(raw).size;
    fs.writeFileSync(raw + '.new', 'a,b\r\n1,3\r\n');
    fs.renameSync(raw + '.new', raw);
    fs.utimesSync(raw, t1, t1);
    assert.equal(fs.statSync(raw).size, rawSize);
    assert.equal(fs.statSync(raw).mtimeMs, t1.getTime());
    s = await status();
    assert.equal(stateOf(s, 'raw.csv.dvc', 'raw.csv'), 'modified');
    // foo back to its original contents and stats (same inode too): in sync again
    fs.writeFileSync(foo, 'foo');
    fs.utimesSync(foo, t1, t1);
    assert.equal(fs.statSync(foo).ino, fooIno);
    s = await status();
    assert.equal(stateOf(s, 'data.dvc', 'data'), 'in-sync');
  });

  it('a warm status with no change rewrites no cache file', async () => {
    await status();
    const files = fs.readdirSync(hashCache).map((f) => path.join(hashCache, f));
    const before = files.map((f) => fs.statSync(f).mtimeMs);
    for (const f of files) fs.utimesSync(f, new Date(0), new Date(0));
    await status();
    assert.deepEqual(
      files.map((f) => fs.statSync(f).mtimeMs),
      files.map(() => 0),
    );
    assert.equal(before.length, 2);
  });

  it('checks foreach stages under their generated names (train@us), from the pipeline reader', async () => {
    const md5 = (t: string) => hashBytes(Buffer.from(t));
    const lockStage = (region: string, data: string, model: string) =>
      [
        `  train@${region}:`,
        `    cmd: python train.py ${region}`,
        '    deps:',
        `    - path: data/${region}.csv`,
        '      hash: md5',
        `      md5: ${md5(data)}`,
        `      size: ${data.length}`,
        '    params:',
        '      params.yaml:',
        '        lr: 0.1',
        '    outs:',
        `    - path: model-${region}.bin`,
        '      hash: md5',
        `      md5: ${md5(model)}`,
        `      size: ${model.length}`,
      ].join('\n');
    const repo = gitRepo({
      '.dvc/config': '',
      '.gitignore': '/data\n/model-*.bin\n',
      'params.yaml': 'lr: 0.1\n',
      'dvc.yaml':
        'stages:\n  train:\n    foreach: [us, eu]\n    do:\n      cmd: python train.py ${item}\n      deps:\n      - data/${item}.csv\n      params: [lr]\n      outs:\n      - model-${item}.bin\n',
      'dvc.lock': ["schema: '2.0'", 'stages:', lockStage('us', 'a,b\n1,2\n', 'US'), lockStage('eu', 'a,b\n3,4\n', 'EU'), ''].join('\n'),
    });
    try {
      writeTree(repo, { 'data/us.csv': 'a,b\n1,2\n', 'data/eu.csv': 'a,b\n3,4\n', 'model-us.bin': 'US', 'model-eu.bin': 'EU' });
      for (const c of ['a,b\n1,2\n', 'a,b\n3,4\n', 'US', 'EU']) cacheFile(path.join(repo, '.dvc', 'cache'), c);
      const run = async () => dataStatus(await Workspace.load(repo), { cacheDir: hashCache });
      let s = await run();
      assert.deepEqual(s.notes, []);
      assert.deepEqual(
        s.stages.map((x) => [x.name, x.state]),
        [
          ['train@us', 'up-to-date'],
          ['train@eu', 'up-to-date'],
        ],
      );
      fs.writeFileSync(path.join(repo, 'data', 'us.csv'), 'a,b\n1,9\n');
      s = await run();
      assert.deepEqual(
        s.stages.find((x) => x.name === 'train@us'),
        { name: 'train@us', state: 'changed', changes: ['data/us.csv changed'] },
      );
      assert.equal(s.stages.find((x) => x.name === 'train@eu')!.state, 'up-to-date');
      assert.equal(s.items.find((i) => i.path === 'data/us.csv')!.source, 'dvc.yaml:train@us');
      // a third region in dvc.yaml has never run; a params change reaches every generated stage
      fs.writeFileSync(path.join(repo, 'dvc.yaml'), fs.readFileSync(path.join(repo, 'dvc.yaml'), 'utf8').replace('[us, eu]', '[us, eu, asia]'));
      fs.writeFileSync(path.join(repo, 'params.yaml'), 'lr: 0.2\n');
      s = await run();
      assert.equal(s.stages.find((x) => x.name === 'train@asia')!.state, 'never-run');
      assert.deepEqual(s.stages.find((x) => x.name === 'train@eu')!.changes, ['params.yaml: lr changed (0.1 -> 0.2)']);
    } finally {
      rmrf(repo);
    }
  });

  it('reports a changed command and a dependency added to dvc.yaml since the stage ran', async () => {
    fs.writeFileSync(
      path.join(root, 'dvc.yaml'),
      fs
        .readFileSync(path.join(root, 'dvc.yaml'), 'utf8')
        .replace('python train.py', 'python train.py --fast')
        .replace('deps: [data, train.py]', 'deps: [data, train.py, raw.csv]'),
    );
    const s = await status();
    assert.deepEqual(s.stages.find((x) => x.name === 'train')!.changes, ['command changed', 'raw.csv is a new dependency']);
  });

  // `dvc push` to a `version_aware` remote rewrites the out as a `files:` list (relpath, md5, size, cloud version per
  // file) with no `.dir` md5; DVC builds the same tree from that list (the `.dir` manifest is the sorted
  // [{"md5", "relpath"}] of those entries), so the folder is compared file by file as for any folder.
  it('reads a `files:` out (version_aware remote): in sync, modified, and its file objects in the cache', async () => {
    const files = { 'salmon/00001.png': 'S1', 'trout/00001.png': 'T1' };
    const cache = path.join(root, '.dvc', 'cache');
    const list = Object.entries(files)
      .map(
        ([rel, content]) =>
          `  - relpath: ${rel}\n    md5: ${cacheFile(cache, content)}\n    size: ${content.length}\n    cloud:\n      storage:\n        etag: CLi0vYqJ2YUDEAE=\n        version_id: '1712750419581624'\n`,
      )
      .join('');
    writeTree(root, {
      'images.dvc': `outs:\n- hash: md5\n  path: images\n  files:\n${list}`,
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`images/${k}`, v])),
    });
    let s = await status();
    assert.equal(stateOf(s, 'images.dvc', 'images'), 'in-sync', JSON.stringify(s.items.find((i) => i.source === 'images.dvc')));
    fs.rmSync(path.join(cache, 'files', 'md5', hashBytes(Buffer.from('T1'), 'md5').slice(0, 2)), { recursive: true, force: true });
    s = await status();
    assert.equal(stateOf(s, 'images.dvc', 'images'), 'not-in-cache');
    assert.match(s.items.find((i) => i.source === 'images.dvc')!.detail!, /1 object\(s\) are not in the local cache/);
    fs.writeFileSync(path.join(root, 'images', 'trout', '00001.png'), 'T2');
    s = await status();
    assert.equal(stateOf(s, 'images.dvc', 'images'), 'modified');
  });

  it('reads a stage output that dvc.lock records in the `files:` form', async () => {
    const cache = path.join(root, '.dvc', 'cache');
    const list = [
      ['a.npy', 'A'],
      ['b.npy', 'B'],
    ]
      .map(([rel, c]) => `      - relpath: ${rel}\n        md5: ${cacheFile(cache, c)}\n        size: 1\n`)
      .join('');
    writeTree(root, {
      'feat/dvc.yaml': 'stages:\n  featurize:\n    cmd: echo\n    outs: [features]\n',
      'feat/dvc.lock': `schema: '2.0'\nstages:\n  featurize:\n    cmd: echo\n    outs:\n    - path: features\n      hash: md5\n      files:\n${list}`,
      'feat/features/a.npy': 'A',
      'feat/features/b.npy': 'B',
    });
    let s = await status();
    assert.equal(stateOf(s, 'feat/dvc.yaml:featurize', 'feat/features'), 'in-sync', JSON.stringify(s.items.filter((i) => i.path === 'feat/features')));
    fs.writeFileSync(path.join(root, 'feat', 'features', 'b.npy'), 'C');
    s = await status();
    assert.equal(stateOf(s, 'feat/dvc.yaml:featurize', 'feat/features'), 'modified');
  });

  it('a second status with no change reads no file contents', async () => {
    const first = await status();
    assert.ok(first.filesHashed >= 5, `hashed ${first.filesHashed}`);
    const second = await status();
    assert.equal(second.filesHashed, 0);
    assert.ok(second.filesFromCache >= 5);
    assert.deepEqual(second.items, first.items);
    // the per-file hashes and the whole-folder results, outside the repository
    assert.deepEqual(
      fs
        .readdirSync(hashCache)
        .map((f) => f.replace(/^[0-9a-f]{16}-/, ''))
        .sort(),
      ['dirs.json', 'files.json'],
    );
  });
});
