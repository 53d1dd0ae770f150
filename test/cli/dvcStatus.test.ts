import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dvcProject } from '../support/dvc';
import { PROJECT_ROOT, rmrf } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

describe('CLI dvc-status', () => {
  let root = '';
  let cache = '';
  beforeEach(() => {
    root = dvcProject();
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-clicache-'));
  });
  afterEach(() => {
    rmrf(root);
    rmrf(cache);
  });
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'dvc-status', root, '--cache-dir', cache, ...args], { encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints which stage is out of date and why, and exits 1', () => {
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR');
    const r = run();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^stage `train` is out of date: data changed$/m);
    assert.match(r.stdout, /^data\.dvc: data: modified data not committed/m);
    assert.match(r.stdout, /^gone\.txt\.dvc: gone\.txt: missing data/m);
    assert.match(r.stdout, /^stage `evaluate` has never run/m);
    assert.match(r.stdout, /1 entry uses DVC 2 \(md5-dos2unix\) hashes/);
  });

  it('check --dvc-status adds DVC066 on the stage (opt-in: plain check does not hash)', () => {
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR');
    const check = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', root, ...args], { encoding: 'utf8' });
    const plain = check('--select', 'DVC');
    assert.doesNotMatch(plain.stdout, /DVC066/);
    const withStatus = check('--select', 'DVC', '--dvc-status', '--cache-dir', cache);
    assert.doesNotMatch(withStatus.stderr, /internal error/);
    assert.match(withStatus.stdout, /^dvc\.yaml:2:3: info DVC066 stage `train` is out of date: data changed$/m);
    const json = JSON.parse(check('--dvc-status', '--cache-dir', cache, '--format', 'json', '--fail-on', 'info').stdout) as
      { code: string; file: string }[] | { findings: { code: string }[] };
    const list = Array.isArray(json) ? json : json.findings;
    assert.equal(list.filter((f) => f.code === 'DVC066').length, 1);
    assert.equal(check('--select', 'DVC066', '--dvc-status', '--cache-dir', cache).status, 0, 'an info finding does not fail the default --fail-on error');
    assert.equal(check('--select', 'DVC066', '--dvc-status', '--cache-dir', cache, '--fail-on', 'info').status, 1, 'it fails --fail-on info');
  });

  it('prints JSON with --format json, and a second run hashes nothing', () => {
    const first = JSON.parse(run('--format', 'json').stdout) as { items: { path: string; state: string }[]; filesHashed: number };
    assert.deepEqual(first.items.map((i) => `${i.path}=${i.state}`).sort(), [
      'data=in-sync',
      'data=in-sync',
      'gone.txt=missing',
      'model.bin=in-sync',
      'raw.csv=in-sync',
      'train.py=in-sync',
    ]);
    assert.ok(first.filesHashed > 0);
    const second = JSON.parse(run('--format', 'json').stdout) as { filesHashed: number };
    assert.equal(second.filesHashed, 0);
    assert.equal(run('--format', 'xml').code, 2);
  });

  it('a folder of many files, walked ahead from the last status: every change is seen, none is invented', () => {
    const big = path.join(root, 'images');
    for (let s = 0; s < 40; s++) {
      fs.mkdirSync(path.join(big, `s${s}`), { recursive: true });
      for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(big, `s${s}`, `f${i}.bin`), `${s}/${i}`);
    }
    fs.writeFileSync(path.join(root, 'images.dvc'), 'outs:\n- md5: 00000000000000000000000000000000.dir\n  hash: md5\n  path: images\n');
    const item = () => {
      const j = JSON.parse(run('--format', 'json').stdout) as { items: { path: string; currentHash?: string }[]; filesHashed: number; filesFromCache: number };
      return { hash: j.items.find((i) => i.path === 'images')!.currentHash!, hashed: j.filesHashed, cached: j.filesFromCache };
    };
    const first = item();
    assert.ok(first.hashed >= 1600);
    const warm = item(); // the folder is walked ahead now (1,600 files, from the hash cache of the first run)
    assert.deepEqual({ hash: warm.hash, hashed: warm.hashed }, { hash: first.hash, hashed: 0 });
    const f = path.join(big, 's7', 'f3.bin');
    fs.writeFileSync(f, '7/X');
    const modified = item();
    assert.equal(modified.hashed, 1);
    assert.notEqual(modified.hash, first.hash);
    fs.writeFileSync(f, '7/3'); // the same bytes again, with a new mtime: hashed again, the same folder hash
    assert.deepEqual([item().hash, item().hashed], [first.hash, 0]);
    fs.writeFileSync(path.join(big, 's39', 'new.bin'), 'new');
    assert.notEqual(item().hash, first.hash);
    fs.rmSync(path.join(big, 's39', 'new.bin'));
    assert.equal(item().hash, first.hash);
    fs.rmSync(path.join(big, 's0', 'f0.bin'));
    assert.notEqual(item().hash, first.hash);
  });

  it('exits 0 when everything is in sync', () => {
    fs.rmSync(path.join(root, 'gone.txt.dvc'));
    fs.rmSync(path.join(root, 'dvc.yaml'));
    fs.writeFileSync(
      path.join(root, 'dvc.yaml'),
      'stages:\n  train:\n    cmd: python train.py\n    deps: [data, train.py]\n    params: [train.lr]\n    outs: [model.bin]\n',
    );
    const r = run();
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Data and pipelines are up to date\./);
  });
});
