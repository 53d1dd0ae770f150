import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  cacheDir,
  dataHistory,
  dirHash,
  hashFile,
  listTrackedItems,
  locateDvc,
  planRestore,
  planTrack,
  requireDvc,
  restoreDataVersion,
  runDataCommand,
  trackData,
  type DvcCommand,
} from '../../server/src/engine/versioning';
import { makeFakeDvc, type FakeDvc } from '../support/fakeDvc';
import { git, rmrf, tmpDir, writeTree } from '../support/tmp';
import { versionedRepo } from '../support/versionedRepo';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
const dvcFile = (content: string, p = 'data.csv') => `outs:\n- md5: ${md5(content)}\n  size: ${Buffer.byteLength(content)}\n  hash: md5\n  path: ${p}\n`;

/** Puts `content` into a DVC 3 (or DVC 2) cache the way dvc would. */
function cacheObject(root: string, content: string | Buffer, hash = md5(content), layout: 3 | 2 = 3, cache = path.join(root, '.dvc', 'cache')): void {
  const p = layout === 3 ? path.join(cache, 'files', 'md5', hash.slice(0, 2), hash.slice(2)) : path.join(cache, hash.slice(0, 2), hash.slice(2));
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
}

describe('versioning: hashing and the cache layout', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('computes the DVC hashes of the formats.md vectors', async () => {
    root = tmpDir();
    writeTree(root, { foo: 'foo', crlf: Buffer.from('a,b\r\n1,2\r\n') });
    assert.equal((await hashFile(path.join(root, 'foo'))).md5, 'acbd18db4cc2f85cedef654fccc4a4d8');
    const h = await hashFile(path.join(root, 'crlf'));
    assert.equal(h.md5, 'b202f333fba4fd38d4b8e5e693077aab');
    assert.equal(h.dos2unix, 'e5ebd4c02cefbe7955977c67ada242b7');
    assert.equal(
      dirHash([
        { md5: 'acbd18db4cc2f85cedef654fccc4a4d8', relpath: 'foo' },
        { md5: '37b51d194a7513e45b56f6524f2d51f2', relpath: 'bar' },
      ]),
      '5ea40360f5b4ec688df672a4db9c17d1.dir',
    );
    assert.equal(
      dirHash([
        { md5: 'c157a79031e1c40f85931829bc5fc552', relpath: 'b.txt' },
        { md5: 'd3b07384d113edec49eaa6238ad5ff00', relpath: 'sub/a.txt' },
        { md5: '9dd4e461268c8034f5c8564e155c67a6', relpath: 'é.txt' },
      ]),
      '2eb899a82ddc705fa1de4a4ec5e19cd3.dir',
    );
  });

  it('reads cache.dir from .dvc/config relative to .dvc/', () => {
    root = tmpDir();
    writeTree(root, { '.dvc/config': '[core]\n    remote = s\n[cache]\n    dir = ../../shared-cache\n[\'remote "s"\']\n    url = /x\n' });
    assert.equal(cacheDir(root), path.resolve(root, '..', 'shared-cache'));
    writeTree(root, { '.dvc/config.local': '[cache]\ndir = /abs/cache\n' });
    assert.equal(cacheDir(root), path.resolve('/abs/cache'));
  });
});

describe('versioning: DVC CLI detection and running (fake dvc executable)', () => {
  let fake: FakeDvc;
  let root = '';
  before(function () {
    fake = makeFakeDvc();
  });
  after(() => rmrf(fake.bin));
  afterEach(() => rmrf(root));

  it('finds dvc on PATH, through the setting, and as `<python> -m dvc`; says how to install when absent', async () => {
    const onPath = await locateDvc({ env: fake.env() });
    assert.equal(onPath?.file, fake.file);
    assert.equal(onPath?.version, '3.55.2');
    const py = path.join(fake.bin, 'python3');
    fs.copyFileSync(fake.file, py);
    fs.chmodSync(py, 0o755);
    const viaPython = await locateDvc({ pythonPath: py, env: { PATH: '' } });
    assert.deepEqual(viaPython?.prefixArgs, ['-m', 'dvc']);
    const viaSetting = await locateDvc({ dvcPath: fake.file, env: { PATH: '' } });
    assert.match(viaSetting!.via, /mlopsHygiene\.dvcPath/);
    assert.equal(await locateDvc({ env: { PATH: tmpDir() } }), undefined);
    await assert.rejects(
      requireDvc({ env: { PATH: '' }, pythonPath: '/nonexistent/python' }),
      (e: Error & { code?: string }) => e.code === 'dvc-missing' && /pip install dvc/.test(e.message) && /Nothing was changed/.test(e.message),
    );
  });

  it('passes a file named $(rm -rf ~).csv as a plain argument to dvc add and git add', async () => {
    const name = '$(rm -rf ~).csv';
    root = versionedRepo({ 'README.md': '# x\n', '.dvc/config': '', [name]: 'a,b\n1,2\n', 'data/`touch PWNED`;x.csv': 'q\n' });
    git(root, 'rm', '-q', '--cached', '--', name, 'data/`touch PWNED`;x.csv');
    git(root, 'commit', '-qm', 'untrack');
    const home = tmpDir('mlh-home-');
    fs.writeFileSync(path.join(home, 'sentinel'), 'still here');
    const env = fake.env({ HOME: home });
    const dvc = (await locateDvc({ env }))!;
    for (const target of [name, 'data/`touch PWNED`;x.csv']) {
      const plan = planTrack(root, target);
      const r = await trackData(plan, dvc, { env });
      assert.equal(r.dvcFile, `${target}.dvc`);
    }
    assert.deepEqual(
      fake.calls().filter((c) => c[0] === 'add'),
      [
        ['add', '--', name],
        ['add', '--', 'data/`touch PWNED`;x.csv'],
      ],
    );
    const staged = git(root, '-c', 'core.quotepath=off', 'diff', '--cached', '--name-only').trim().split('\n').sort();
    assert.deepEqual(staged, ['$(rm -rf ~).csv.dvc', '.gitignore', 'data/.gitignore', 'data/`touch PWNED`;x.csv.dvc']);
    assert.equal(fs.readFileSync(path.join(home, 'sentinel'), 'utf8'), 'still here');
    assert.equal(fs.existsSync(path.join(root, 'PWNED')) || fs.existsSync(path.join(root, 'data', 'PWNED')), false);
    assert.match(fs.readFileSync(path.join(root, '.gitignore'), 'utf8'), /^\/\$\(rm -rf ~\)\.csv$/m);
    rmrf(home);
  });

  it('refuses to track outside the folder or without `dvc init`, changing nothing', async () => {
    root = versionedRepo({ 'README.md': '# x\n', 'data.csv': 'x\n' });
    assert.throws(() => planTrack(root, 'data.csv'), /not a DVC project .* `dvc init`/);
    fs.mkdirSync(path.join(root, '.dvc'));
    assert.throws(() => planTrack(root, '../outside.csv'), /is not inside/);
    assert.throws(() => planTrack(root, 'missing.csv'), /does not exist/);
    assert.equal(planTrack(root, 'data.csv').target, 'data.csv');
    assert.equal(git(root, 'status', '--porcelain').trim(), ''); // planning wrote nothing
  });

  it('push/pull/checkout run with targets after `--`; a failure carries the CLI message and what to do', async () => {
    root = versionedRepo({ 'README.md': '# x\n', '.dvc/config': '' });
    const env = fake.env();
    const dvc = (await locateDvc({ env }))!;
    const lines: string[] = [];
    const r = await runDataCommand(root, 'push', [], dvc, { env, onOutput: (t) => lines.push(t) });
    assert.equal(r.code, 0);
    assert.match(lines.join(''), /2 files pushed/);
    await runDataCommand(root, 'pull', ['-data.csv'], dvc, { env });
    assert.deepEqual(fake.calls().slice(-2), [['push'], ['pull', '--', '-data.csv']]);
    await assert.rejects(
      runDataCommand(root, 'push', [], dvc, { env: fake.env({ FAKE_DVC_FAIL: 'push' }) }),
      (e: Error & { code?: string }) =>
        e.code === 'dvc-failed' &&
        /ERROR: failed to push data to the cloud - config file error: no remote specified/.test(e.message) &&
        /dvc remote add -d <name> <url>/.test(e.message),
    );
  });
});

describe('versioning: data version history and restore', () => {
  let fake: FakeDvc;
  let root = '';
  before(() => {
    fake = makeFakeDvc();
  });
  after(() => rmrf(fake.bin));
  afterEach(() => rmrf(root));

  /** data.dvc at v1 (tag data-v1), a commit that only adds a desc (same hash), then v2 (tag data-v2). */
  function threeCommits(): { c1: string; c3: string } {
    root = versionedRepo({ 'README.md': '# x\n', '.dvc/config': '', '.gitignore': '/data.csv\n', 'data.dvc': dvcFile('v1\n') });
    writeTree(root, { 'data.csv': 'v1\n' });
    cacheObject(root, 'v1\n');
    const c1 = git(root, 'rev-parse', 'HEAD').trim();
    git(root, 'tag', '-a', 'data-v1', '-m', 'data v1');
    fs.writeFileSync(path.join(root, 'data.dvc'), 'desc: the raw data\n' + dvcFile('v1\n'));
    git(root, 'commit', '-qam', 'describe the data');
    fs.writeFileSync(path.join(root, 'data.dvc'), dvcFile('v2\n'));
    writeTree(root, { 'data.csv': 'v2\n' });
    cacheObject(root, 'v2\n');
    git(root, 'commit', '-qam', 'data v2');
    git(root, 'tag', '-a', 'data-v2', '-m', 'data v2');
    return { c1, c3: git(root, 'rev-parse', 'HEAD').trim() };
  }

  it('lists the commits where the hash changed, with their tags, newest first', async () => {
    const { c1, c3 } = threeCommits();
    const h = await dataHistory(root, { file: 'data.dvc' });
    assert.equal(h.path, 'data.csv');
    assert.equal(h.scanned, 3);
    assert.deepEqual(
      h.entries.map((e) => [e.commit, e.version.hash, e.tags, e.current, e.subject]),
      [
        [c3, md5('v2\n'), ['data-v2'], true, 'data v2'],
        [c1, md5('v1\n'), ['data-v1'], false, 'initial'],
      ],
    );
  });

  it('restores an older version: the .dvc file from that commit, then dvc checkout', async () => {
    const { c1 } = threeCommits();
    const plan = await planRestore(root, { file: 'data.dvc' }, 'data-v1');
    assert.equal(plan.commit, c1);
    assert.equal(plan.workspace, 'saved-in-cache');
    assert.equal(plan.refusal, undefined);
    const env = fake.env();
    const dvc: DvcCommand = (await locateDvc({ env }))!;
    await restoreDataVersion(plan, dvc, { env });
    assert.equal(fs.readFileSync(path.join(root, 'data.dvc'), 'utf8'), dvcFile('v1\n'));
    assert.equal(fs.readFileSync(path.join(root, 'data.csv'), 'utf8'), 'v1\n');
    assert.deepEqual(fake.calls().at(-1), ['checkout', '--', 'data.dvc']);
  });

  it('refuses to restore over workspace data whose content is not in the cache, and changes nothing', async () => {
    threeCommits();
    fs.writeFileSync(path.join(root, 'data.csv'), 'edited by hand\n');
    const before = fs.readFileSync(path.join(root, 'data.dvc'), 'utf8');
    const plan = await planRestore(root, { file: 'data.dvc' }, 'data-v1');
    assert.equal(plan.workspace, 'not-saved');
    assert.match(
      plan.refusal!,
      new RegExp(`current content of data\\.csv is not saved in the DVC cache .*data\\.csv \\(md5 ${md5('edited by hand\n')}\\).*dvc add data\\.csv`),
    );
    const env = fake.env();
    const calls = fake.calls().length;
    await assert.rejects(restoreDataVersion(plan, (await locateDvc({ env }))!, { env }), (e: Error & { code?: string }) => e.code === 'not-in-cache');
    assert.equal(fs.readFileSync(path.join(root, 'data.csv'), 'utf8'), 'edited by hand\n');
    assert.equal(fs.readFileSync(path.join(root, 'data.dvc'), 'utf8'), before);
    assert.equal(
      fake.calls().filter((c) => c[0] === 'checkout').length,
      fake
        .calls()
        .slice(0, calls)
        .filter((c) => c[0] === 'checkout').length,
    );
    // Saved in the DVC 2 layout counts too.
    cacheObject(root, 'edited by hand\n', undefined, 2);
    assert.equal((await planRestore(root, { file: 'data.dvc' }, 'data-v1')).refusal, undefined);
  });

  it('for a directory, needs the .dir object and every file in the cache', async () => {
    const files = { 'data/a.txt': 'foo\n', 'data/sub/b.txt': 'bar\n' };
    const entries = [
      { md5: md5('foo\n'), relpath: 'a.txt' },
      { md5: md5('bar\n'), relpath: 'sub/b.txt' },
    ];
    const dh = dirHash(entries);
    root = versionedRepo({
      'README.md': '# x\n',
      '.dvc/config': '',
      '.gitignore': '/data\n',
      'data.dvc': `outs:\n- md5: ${dh}\n  size: 8\n  nfiles: 2\n  hash: md5\n  path: data\n`,
    });
    writeTree(root, files);
    git(root, 'tag', 'v1');
    fs.writeFileSync(path.join(root, 'data.dvc'), `outs:\n- md5: ${'0'.repeat(32)}.dir\n  size: 8\n  nfiles: 2\n  hash: md5\n  path: data\n`);
    git(root, 'commit', '-qam', 'another version');
    cacheObject(root, 'foo\n');
    cacheObject(root, 'bar\n');
    let plan = await planRestore(root, { file: 'data.dvc' }, 'v1');
    assert.equal(plan.workspace, 'matches-target'); // the workspace already is v1: nothing can be lost
    fs.writeFileSync(path.join(root, 'data/new.txt'), 'new\n');
    plan = await planRestore(root, { file: 'data.dvc' }, 'v1');
    assert.equal(plan.workspace, 'not-saved');
    assert.match(plan.refusal!, /the directory listing object [0-9a-f]{32}\.dir/);
    assert.match(plan.refusal!, /new\.txt \(md5 /);
    assert.doesNotMatch(plan.refusal!, /a\.txt/);
  });

  it('lists .dvc outs and dvc.yaml stage outs for the Data view, templated and expanded as DVC does', async () => {
    root = versionedRepo({
      'data.dvc': dvcFile('x', 'data'),
      'sub/raw.dvc': dvcFile('y', 'raw.csv'),
      'dvc.yaml':
        'stages:\n  train:\n    cmd: python t.py\n    outs:\n      - models/model.pt\n      - metrics.json:\n          cache: false\n  gen:\n    foreach: [a, b]\n    do:\n      cmd: x\n      outs:\n        - out/${item}\n',
      'dvc.lock':
        "schema: '2.0'\nstages:\n  train:\n    cmd: python t.py\n    outs:\n    - path: models/model.pt\n      hash: md5\n      md5: d3b07384d113edec49eaa6238ad5ff00\n",
    });
    const items = await listTrackedItems(root);
    assert.deepEqual(
      items.map((i) => [i.path, i.source, i.recordFile, i.hash ?? '']),
      [
        ['data', 'data.dvc', 'data.dvc', md5('x')],
        ['models/model.pt', 'dvc.yaml:train', 'dvc.lock', 'd3b07384d113edec49eaa6238ad5ff00'],
        ['metrics.json', 'dvc.yaml:train', 'dvc.lock', ''],
        // the engine's pipeline reader: foreach stages under DVC's generated names (the Data view missed them)
        ['out/a', 'dvc.yaml:gen@a', 'dvc.lock', ''],
        ['out/b', 'dvc.yaml:gen@b', 'dvc.lock', ''],
        ['sub/raw.csv', 'sub/raw.dvc', 'sub/raw.dvc', md5('y')],
      ],
    );
  });

  it('with a real dvc CLI: track, tag and restore end to end', async function () {
    const real = await locateDvc();
    if (!real) {
      const reason =
        'dvc CLI not installed here (no Debian package, PyPI unreachable): real `dvc add/push/pull/checkout` output and .dvc files written by dvc itself are NOT exercised; the fake dvc above covers argument arrays, output and error handling';
      console.log(`      skip: ${reason}`);
      this.skip();
    }
    root = versionedRepo({ 'README.md': '# x\n', 'data.csv': 'v1\n' });
    git(root, 'rm', '-q', '--cached', 'data.csv');
    git(root, 'commit', '-qm', 'untrack');
    const run = await import('node:child_process');
    run.execFileSync(real.file, [...real.prefixArgs, 'init', '-q'], { cwd: root });
    await trackData(planTrack(root, 'data.csv'), real);
    git(root, 'commit', '-qm', 'data v1');
    git(root, 'tag', 'data-v1');
    fs.writeFileSync(path.join(root, 'data.csv'), 'v2\n');
    await trackData(planTrack(root, 'data.csv'), real);
    git(root, 'commit', '-qm', 'data v2');
    await restoreDataVersion(await planRestore(root, { file: 'data.csv.dvc' }, 'data-v1'), real);
    assert.equal(fs.readFileSync(path.join(root, 'data.csv'), 'utf8'), 'v1\n');
  });
});
