import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { readTextFile } from '../../server/src/engine/workspace';
import { readSmallPlainFile } from '../../server/src/engine/regularFile';
import { spawnSync } from 'node:child_process';
import { listingTree } from '../../server/src/engine/runs/folders';
import { gitRepo, rmrf } from '../support/tmp';

/** The read path's shortcuts (bench-check, issue 18) give what the general code gives. */
describe('workspace reads: abs() and the sized read', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('abs() is path.join for every relative path, normalised or not', async () => {
    root = gitRepo({ 'README.md': '# x\n' });
    const ws = await Workspace.load(root);
    for (const rel of [
      'README.md',
      'a/b/c.yaml',
      '.hydra/config.yaml',
      '...',
      'a..b/c',
      '',
      '.',
      '..',
      'a//b',
      './a',
      'a/./b',
      'a/../b',
      '../outside',
      'a/',
      'src/x y/$(touch z).py',
    ]) {
      assert.equal(ws.abs(rel), path.join(ws.root, ...rel.split('/')), JSON.stringify(rel));
    }
  });

  it('reads files of 0 bytes, a few bytes, one pool chunk and beyond whole, with multi-byte characters intact', () => {
    root = gitRepo({ 'README.md': '# x\n' });
    const sizes = [0, 1, 4095, 4096, 8193, 70_001];
    for (const n of sizes) {
      const text = 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2);
      const abs = path.join(root, `f${n}.txt`);
      fs.writeFileSync(abs, text);
      const r = readTextFile(abs);
      assert.ok(r.ok, `${n} bytes`);
      assert.equal(r.ok && r.text, text, `${n} bytes`);
    }
  });

  it('the first read without a stat: only a small regular file passes; the rest takes the general path, nothing blocks', function () {
    root = gitRepo({ 'README.md': '# x\n' });
    const at = (f: string) => path.join(root, f);
    fs.writeFileSync(at('small.yaml'), 'lr: 0.1\n');
    fs.writeFileSync(at('empty.yaml'), '');
    fs.writeFileSync(at('edge.txt'), 'x'.repeat(64 * 1024 - 1));
    fs.writeFileSync(at('full.txt'), 'x'.repeat(64 * 1024));
    fs.mkdirSync(at('folder'));
    fs.symlinkSync('small.yaml', at('link.yaml'));
    assert.equal(readSmallPlainFile(at('small.yaml'))?.toString(), 'lr: 0.1\n');
    assert.equal(readSmallPlainFile(at('edge.txt'))?.length, 64 * 1024 - 1, 'one byte below the buffer: read whole');
    assert.equal(readSmallPlainFile(at('full.txt')), undefined, 'a read that fills the buffer may not be the whole file');
    assert.equal(readSmallPlainFile(at('empty.yaml')), undefined, 'empty: a FIFO without a writer reads so too');
    assert.equal(readSmallPlainFile(at('folder')), undefined);
    assert.equal(readSmallPlainFile(at('link.yaml')), undefined, 'never through a link (O_NOFOLLOW)');
    assert.equal(readSmallPlainFile(at('missing.yaml')), undefined);
    // a FIFO with a writer that has written: a positioned read of a pipe fails (ESPIPE), so it is not read as a file
    if (spawnSync('mkfifo', [at('params.yaml')]).status !== 0) this.skip();
    const writer = fs.openSync(at('params.yaml'), fs.constants.O_RDWR); // holds the pipe open for writing, never blocks
    try {
      fs.writeSync(writer, 'lr: 0.2\n');
      assert.equal(readSmallPlainFile(at('params.yaml')), undefined);
    } finally {
      fs.closeSync(writer);
    }
  });

  it('a file read without a stat is read again when a later stat finds it changed (same size, after a relist)', async () => {
    root = gitRepo({ 'params.yaml': 'lr: 0.1\n' });
    const ws = await Workspace.load(root);
    const first = ws.readText('params.yaml');
    assert.equal(first.ok && first.text, 'lr: 0.1\n');
    assert.equal(ws.stat('params.yaml')?.mtimeMs, undefined, 'the read served as the stat');
    assert.equal(ws.stat('params.yaml')?.size, 8);
    fs.writeFileSync(path.join(root, 'params.yaml'), 'lr: 0.9\n'); // no file event: only the relist tells
    await ws.relist();
    const again = ws.readText('params.yaml');
    assert.equal(again.ok && again.text, 'lr: 0.9\n');
  });

  it('listingTree gives the folders and files of a listing as the straightforward construction does', () => {
    // the construction before the shortcut: every prefix of every path, in order
    const reference = (paths: string[]): Map<string, Map<string, boolean>> => {
      const kids = new Map<string, Map<string, boolean>>();
      for (const p of paths) {
        const parts = p.split('/');
        let dir = '';
        for (let i = 0; i < parts.length; i++) {
          const isDir = i < parts.length - 1;
          let m = kids.get(dir);
          if (!m) kids.set(dir, (m = new Map()));
          if (!m.get(parts[i])) m.set(parts[i], isDir);
          if (!isDir) break;
          dir = dir ? `${dir}/${parts[i]}` : parts[i];
        }
      }
      return kids;
    };
    const paths = [
      'README.md',
      'src/a.py',
      'src/pkg/b.py',
      'src/pkg/c.py',
      'src',
      'wandb/run-1/files/config.yaml',
      'wandb/run-1/files/output.log',
      'a/b/c/d/e.txt',
      'a/b/x',
      'a/b',
      'outputs/2024-01-01/12-00-00/.hydra/config.yaml',
    ];
    for (const order of [paths, [...paths].reverse(), [...paths].sort()]) {
      const tree = listingTree(order);
      const ref = reference(order);
      for (const [dir, m] of ref) assert.deepEqual(tree.children(dir), m, `${dir} (${order[0]} first)`);
      assert.equal(tree.children('nope'), undefined);
    }
  });
});
