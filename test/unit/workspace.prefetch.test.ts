import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, Engine, Workspace } from '../../server/src/engine';
import { Prefetcher } from '../../server/src/engine/prefetch';
import { corpusEntries, findingLines, materialise } from '../support/corpus';
import { gitRepo, rmrf, tmpDir } from '../support/tmp';

/**
 * The read-ahead worker (issue 18: the four system calls of each read were a fifth of a first check) must change
 * nothing but where the reads happen: every read gives what the main thread's own read gives, a link, a FIFO, a folder
 * or a file too large is never read by the worker, and the findings of a realistic project are the same with and
 * without it. `prefetchMinFiles: 1` makes every workspace read ahead, however small.
 */
describe('workspace read-ahead (prefetch on a worker thread)', function () {
  this.timeout(60_000);
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmrf(r);
  });

  it('gives every kind of file exactly what the main thread reads, and never reads through a link', async () => {
    const outside = tmpDir('mlh-outside-');
    roots.push(outside);
    fs.writeFileSync(path.join(outside, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
    const root = gitRepo({
      'README.md': '# project\n',
      'params.yaml': 'train:\n  lr: 0.001\n',
      'src/pkg/train.py': 'import torch\n'.repeat(50),
      'empty.txt': '',
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'weights.bin': Buffer.from([1, 0, 2, 0, 3]),
      'big.csv': 'a,b\n'.repeat(1_400_000), // 5.6 MB, above the 5 MB text limit
      'configs/model/net.yaml': 'layers: 3\n',
    });
    roots.push(root);
    fs.symlinkSync(path.join(outside, 'id_rsa'), path.join(root, 'deploy_key'));
    fs.symlinkSync('params.yaml', path.join(root, 'params-link.yaml'));
    let fifo = false;
    try {
      execFileSync('mkfifo', [path.join(root, 'pipe.yaml')]);
      fifo = true;
    } catch {
      /* no mkfifo: the other kinds are still compared */
    }
    const rels = [
      'README.md',
      'params.yaml',
      'src/pkg/train.py',
      'empty.txt',
      'latin1.txt',
      'weights.bin',
      'big.csv',
      'configs/model/net.yaml',
      'deploy_key',
      'params-link.yaml',
      ...(fifo ? ['pipe.yaml'] : []),
      'missing.txt',
    ];
    const plain = await Workspace.load(root, { prefetchMinFiles: Infinity });
    const ahead = await Workspace.load(root, { prefetchMinFiles: 1 });
    ahead.prefetch(rels);
    for (const rel of rels) assert.deepEqual(ahead.readText(rel), plain.readText(rel), rel);
    assert.deepEqual(ahead.stat('params.yaml'), plain.stat('params.yaml'));
    ahead.endPrefetch();
    // the link to a key outside the workspace is refused, with or without the worker
    const key = ahead.readText('deploy_key');
    assert.ok(!key.ok || !key.text.includes('PRIVATE KEY'), 'read through a link leading outside the workspace');
  });

  it('hands over plain regular files only: links, FIFOs, folders, missing and too-large files are skipped', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n', 'big.txt': 'x'.repeat(2000) });
    roots.push(root);
    fs.symlinkSync('a.txt', path.join(root, 'link.txt'));
    const p = new Prefetcher(root, ['a.txt', 'sub', 'link.txt', 'nope.txt', 'big.txt', 'sub/b.txt'], 1000);
    try {
      await started(p);
      assert.equal(p.take('a.txt')?.bytes.toString(), 'a\n');
      assert.equal(p.take('sub'), null);
      assert.equal(p.take('link.txt'), null);
      assert.equal(p.take('nope.txt'), null);
      assert.equal(p.take('big.txt'), null, 'above maxBytes');
      const b = p.take('sub/b.txt');
      assert.equal(b?.bytes.toString(), 'b\n');
      assert.equal(b?.size, 2);
      assert.equal(b?.mtimeMs, fs.statSync(path.join(root, 'sub/b.txt')).mtimeMs);
      // asked once: a second read is the caller's; a path outside the plan is the caller's
      assert.equal(p.take('a.txt'), undefined);
      assert.equal(p.take('README.md'), undefined);
    } finally {
      p.close();
    }
    const closed = new Prefetcher(root, ['a.txt'], 1000);
    closed.close();
    assert.equal(closed.take('a.txt'), undefined, 'after close the caller reads everything itself');
  });

  it('does not hold back a file far ahead of the worker, and is safe to close before it started', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`src/m${Math.floor(i / 100)}/f${String(i).padStart(4, '0')}.py`] = `x = ${i}\n`;
    const root = gitRepo(files);
    roots.push(root);
    const rels = Object.keys(files).sort();
    const p = new Prefetcher(root, rels, 1 << 20);
    // while the worker starts, nothing is waited for: the caller reads the first files itself
    assert.equal(p.take(rels[0]), undefined);
    await started(p);
    // the last file, asked now: far ahead of the worker, not waited for (the caller reads it), and the rest still
    // arrive in order
    assert.equal(p.take(rels[rels.length - 1]), undefined);
    for (const rel of rels.slice(1, -1)) assert.equal(p.take(rel)?.bytes.toString(), files[rel], rel);
    p.close();
    // a first check of the same project: the worker serves most reads, the findings are those without it
    const served = spyServed({ waitForStart: true });
    const ahead = findingLines(new Engine(await Workspace.load(root, { prefetchMinFiles: 1 }), ALL_RULES).checkAll());
    const n = served.stop();
    assert.deepEqual(ahead, findingLines(new Engine(await Workspace.load(root, { prefetchMinFiles: Infinity }), ALL_RULES).checkAll()));
    assert.ok(n > rels.length / 2, `the worker handed over only ${n} of ${rels.length} files`);
  });

  it('skips what the caller read itself while the worker started', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`f${String(i).padStart(3, '0')}.txt`] = `${i}\n`;
    const root = gitRepo(files);
    roots.push(root);
    const rels = Object.keys(files).sort();
    const p = new Prefetcher(root, rels, 1 << 20);
    // the caller reads the first 300 itself (the worker has not started: nothing is waited for)
    let self = 0;
    for (const rel of rels.slice(0, 300)) if (p.take(rel) === undefined) self++;
    assert.ok(self > 0);
    await started(p);
    for (const rel of rels.slice(300)) assert.equal(p.take(rel)?.bytes.toString(), files[rel], rel);
    p.close();
  });

  it('finds the same on every realistic project with and without read-ahead', async () => {
    for (const entry of corpusEntries()) {
      const root = materialise(entry);
      roots.push(root);
      const run = async (prefetchMinFiles: number): Promise<string[]> => {
        const ws = await Workspace.load(root, { prefetchMinFiles });
        return findingLines(new Engine(ws, ALL_RULES).checkAll());
      };
      assert.deepEqual(await run(1), await run(Infinity), entry.name);
    }
  });

  it('reads ahead in a first check of many files only (a small project starts no worker)', async () => {
    const root = gitRepo({ 'README.md': '# x\n', 'src/a.py': 'import os\n' });
    roots.push(root);
    const served = spyServed();
    new Engine(await Workspace.load(root), ALL_RULES).checkAll();
    assert.equal(served.stop(), 0);
  });
});

/** Waits until the worker has handed over its first batch. */
async function started(p: Prefetcher): Promise<void> {
  for (const t0 = Date.now(); p.handedOver === 0;) {
    if (Date.now() - t0 > 20_000) throw new Error('the worker handed over nothing in 20 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Counts the files the worker handed over (take answering with bytes) until `stop`. `waitForStart`: the first take
 * waits (spinning: the check is synchronous) until the worker has started, which on a busy machine can take longer
 * than a small check (the units read the first files themselves meanwhile).
 */
function spyServed(opts: { waitForStart?: boolean } = {}): { stop: () => number } {
  const proto = Prefetcher.prototype as unknown as { take: (rel: string) => unknown };
  const original = proto.take;
  let n = 0;
  proto.take = function (this: Prefetcher, rel: string) {
    for (const t0 = Date.now(); opts.waitForStart && this.handedOver === 0 && Date.now() - t0 < 20_000;);
    const r = original.call(this, rel);
    if (r) n++;
    return r;
  };
  return {
    stop: () => {
      proto.take = original;
      return n;
    },
  };
}
