import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dirHash, dirManifest, dos2unix, hashBytes, hashFile, isTextBlock, pyJsonDumps, DVC_CHUNK } from '../../server/src/engine/dvc/data/hashing';
import { HashCache } from '../../server/src/engine/dvc/data/hashCache';
import { StatPool, walkTree } from '../../server/src/engine/dvc/data/statPool';
import { Yielder } from '../../server/src/engine/dvc/data/hashing';
import { TreeHasher } from '../../server/src/engine/dvc/data/tree';
import ignore from 'ignore';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

/** Hashes one path with a fresh in-memory cache, as the status does. */
async function hashPath(abs: string, name: 'md5' | 'md5-dos2unix' = 'md5') {
  const h = new TreeHasher({ cache: HashCache.load(undefined, path.dirname(abs)) });
  await h.add(abs, name);
  await h.run();
  return h.result(abs, name);
}

describe('DVC hashing (formats.md 1.5 vectors)', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('hashes file contents like DVC 3 (md5 of raw bytes)', () => {
    assert.equal(hashBytes(Buffer.from('foo')), 'acbd18db4cc2f85cedef654fccc4a4d8');
    assert.equal(hashBytes(Buffer.from('bar')), '37b51d194a7513e45b56f6524f2d51f2');
    assert.equal(hashBytes(Buffer.from('foo\n')), 'd3b07384d113edec49eaa6238ad5ff00');
    assert.equal(hashBytes(Buffer.from('')), 'd41d8cd98f00b204e9800998ecf8427e');
    assert.equal(hashBytes(Buffer.from('a,b\r\n1,2\r\n'), 'md5'), 'b202f333fba4fd38d4b8e5e693077aab');
  });

  it('hashes text with CRLF like DVC 2 (md5-dos2unix) and binary unchanged', async () => {
    assert.equal(hashBytes(Buffer.from('a,b\r\n1,2\r\n'), 'md5-dos2unix'), 'e5ebd4c02cefbe7955977c67ada242b7');
    root = tmpDir();
    writeTree(root, { 'a.csv': Buffer.from('a,b\r\n1,2\r\n'), 'b.bin': Buffer.from([0, 13, 10, 1]) });
    assert.equal(await hashFile(path.join(root, 'a.csv'), 'md5-dos2unix'), 'e5ebd4c02cefbe7955977c67ada242b7');
    assert.equal(await hashFile(path.join(root, 'a.csv'), 'md5'), 'b202f333fba4fd38d4b8e5e693077aab');
    // a NUL makes it binary: no conversion, so both algorithms agree
    assert.equal(await hashFile(path.join(root, 'b.bin'), 'md5-dos2unix'), await hashFile(path.join(root, 'b.bin'), 'md5'));
  });

  it('decides text-ness like istextblock: empty, NUL, the 30% threshold, bytes >= 0x80', () => {
    assert.equal(isTextBlock(Buffer.alloc(0)), true);
    assert.equal(isTextBlock(Buffer.from('hello\x00')), false);
    assert.equal(isTextBlock(Buffer.from('\t\n\r\f\bplain')), true);
    // 3 of 10 bytes non-text: 30% is still text; 4 of 10 is binary
    assert.equal(isTextBlock(Buffer.from([0x80, 0x81, 0x82, 97, 97, 97, 97, 97, 97, 97])), true);
    assert.equal(isTextBlock(Buffer.from([0x80, 0x81, 0x82, 0x83, 97, 97, 97, 97, 97, 97])), false);
    assert.equal(isTextBlock(Buffer.from([1, 2, 3, 4, 97, 97, 97, 97, 97, 97])), false);
  });

  it('decides text-ness from the first 512 bytes only and converts CRLF per 1 MiB chunk, as dvc-data does', async () => {
    root = tmpDir();
    // binary-looking start, then CRLF text: the whole file is binary for DVC, so no conversion
    const binStart = Buffer.concat([Buffer.alloc(512, 0x90), Buffer.from('x\r\n'.repeat(1000))]);
    assert.equal(hashBytes(binStart, 'md5-dos2unix'), hashBytes(binStart, 'md5'));
    // a CRLF split across the 1 MiB chunk boundary stays CRLF in DVC's legacy hash
    const a = Buffer.alloc(DVC_CHUNK - 1, 0x61);
    const split = Buffer.concat([a, Buffer.from('\r\nb\r\n')]);
    const expected = hashBytes(Buffer.concat([a, Buffer.from('\r\nb\n')]), 'md5');
    assert.equal(hashBytes(split, 'md5-dos2unix'), expected);
    fs.writeFileSync(path.join(root, 'big.txt'), split);
    assert.equal(await hashFile(path.join(root, 'big.txt'), 'md5-dos2unix'), expected);
    assert.deepEqual(dos2unix(Buffer.from('a\r\r\nb\rc\r')), Buffer.from('a\r\nb\rc\r'));
  });

  it('serialises a .dir manifest byte for byte like json.dumps(sort_keys=True)', () => {
    const entries = [
      { relpath: 'foo', md5: 'acbd18db4cc2f85cedef654fccc4a4d8' },
      { relpath: 'bar', md5: '37b51d194a7513e45b56f6524f2d51f2' },
    ];
    assert.equal(
      dirManifest(entries),
      '[{"md5": "37b51d194a7513e45b56f6524f2d51f2", "relpath": "bar"}, {"md5": "acbd18db4cc2f85cedef654fccc4a4d8", "relpath": "foo"}]',
    );
    assert.equal(dirHash(entries), '5ea40360f5b4ec688df672a4db9c17d1.dir');
    assert.equal(dirManifest([]), '[]');
    assert.equal(pyJsonDumps({ b: [1, 'é', null], a: 'x"\\\n\u007f\u{1F600}' }), '{"a": "x\\"\\\\\\n\\u007f\\ud83d\\ude00", "b": [1, "\\u00e9", null]}');
  });

  it('sorts relpaths by code point and escapes non-ASCII (the é.txt vector)', () => {
    const entries = [
      { relpath: 'é.txt', md5: '9dd4e461268c8034f5c8564e155c67a6' },
      { relpath: 'sub/a.txt', md5: 'd3b07384d113edec49eaa6238ad5ff00' },
      { relpath: 'b.txt', md5: 'c157a79031e1c40f85931829bc5fc552' },
    ];
    assert.match(dirManifest(entries), /"relpath": "\\u00e9\.txt"\}\]$/);
    assert.equal(dirHash(entries), '2eb899a82ddc705fa1de4a4ec5e19cd3.dir');
    // U+FFFD sorts before U+1F600 in Python (code points) but after it in UTF-16 unit order
    const order = dirManifest([
      { relpath: '\u{1F600}', md5: 'a' },
      { relpath: '\uFFFD', md5: 'b' },
    ]);
    assert.ok(order.indexOf('\\ufffd') < order.indexOf('\\ud83d'), order);
  });

  it('hashes real directories: the three directory vectors, with size and nfiles', async () => {
    root = tmpDir();
    writeTree(root, { 'd1/foo': 'foo', 'd1/bar': 'bar', 'd2/bar': 'bar\n', 'd2/baz': 'baz\n', 'd3/master': 'master', 'd3/one': 'one', 'd3/two': 'two' });
    assert.deepEqual(await hashPath(path.join(root, 'd1')), { kind: 'dir', md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2 });
    assert.equal(((await hashPath(path.join(root, 'd2'))) as { md5: string }).md5, '1f69c66028c35037e8bf67e5bc4ceb6a.dir');
    assert.deepEqual(await hashPath(path.join(root, 'd3')), { kind: 'dir', md5: '839ef9371606817569c1ee0e5f4ed233.dir', size: 12, nfiles: 3 });
    assert.deepEqual(await hashPath(path.join(root, 'nope')), { kind: 'missing' });
    assert.deepEqual(await hashPath(path.join(root, 'd1', 'foo')), { kind: 'file', md5: 'acbd18db4cc2f85cedef654fccc4a4d8', size: 3 });
  });

  it('hashes subfolders with POSIX relpaths and skips .git inside a tracked folder', async () => {
    root = tmpDir();
    writeTree(root, { 'd/b.txt': 'bar\n', 'd/sub/a.txt': 'foo\n', 'd/.git/HEAD': 'x' });
    const expected = dirHash([
      { relpath: 'b.txt', md5: 'c157a79031e1c40f85931829bc5fc552' },
      { relpath: 'sub/a.txt', md5: 'd3b07384d113edec49eaa6238ad5ff00' },
    ]);
    assert.deepEqual(await hashPath(path.join(root, 'd')), { kind: 'dir', md5: expected, size: 8, nfiles: 2 });
  });

  it('gives the same hashes and fingerprint when the stats of a big folder are spread over worker threads', async () => {
    root = tmpDir();
    const files: Record<string, string> = { 'd/.git/HEAD': 'x' };
    for (let i = 0; i < 60; i++) files[`d/s${i % 7}/f${i}.txt`] = `file ${i}\n`.repeat(i % 5);
    writeTree(root, files);
    fs.symlinkSync(path.join(root, 'd', 's0', 'f0.txt'), path.join(root, 'd', 'link.txt')); // followed: hashed as a file
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'd', 'dangling')); // skipped
    fs.symlinkSync(path.join(root, 'd', 's1'), path.join(root, 'd', 'dirlink')); // a link to a folder is not followed
    const expected = dirHash([
      ...Object.entries(files)
        .filter(([p]) => !p.includes('.git'))
        .map(([p, c]) => ({ relpath: p.slice(2), md5: hashBytes(Buffer.from(c)) })),
      { relpath: 'link.txt', md5: hashBytes(Buffer.from('')) },
    ]);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-hcache-'));
    try {
      const run = async (parallelStatFrom: number) => {
        const h = new TreeHasher({ cache: HashCache.load(cacheDir, root), parallelStatFrom });
        await h.add(path.join(root, 'd'), 'md5');
        await h.run();
        return { h, r: h.result(path.join(root, 'd'), 'md5') };
      };
      const inWorkers = await run(1);
      assert.deepEqual(inWorkers.r, { kind: 'dir', md5: expected, size: Object.values(files).reduce((n, c) => n + c.length, 0) - 1, nfiles: 61 });
      assert.equal(inWorkers.h.filesHashed, 61);
      // the same fingerprint on the calling thread: the folder's cached result answers, nothing is read
      const here = await run(Infinity);
      assert.deepEqual(here.r, inWorkers.r);
      assert.equal(here.h.filesHashed, 0);
      // a change is seen through the workers too
      fs.writeFileSync(path.join(root, 'd', 's3', 'f3.txt'), 'changed');
      const changed = await run(1);
      assert.equal(changed.h.filesHashed, 1);
      assert.notEqual((changed.r as { md5: string }).md5, expected);
    } finally {
      rmrf(cacheDir);
    }
  });

  it('walks a wide tree (folders walked by the workers) and a folder of more than one chunk the same on any number of threads', async () => {
    root = tmpDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 90; i++) files[`d/g${i % 3}/s${i % 45}/f${i}.txt`] = `file ${i}\n`; // 45 subfolders: more than the 32 listed here
    for (let i = 0; i < 4100; i++) files[`d/flat/x${i}`] = String(i % 7); // two chunks of one folder
    files['d/.dvc/ignored'] = 'x';
    writeTree(root, files);
    const d = path.join(root, 'd');
    // in a folder that a thread reads by name only (below the folders listed first): links followed to files only
    const s44 = path.join(d, 'g2', 's44');
    fs.symlinkSync(path.join(d, 'g0', 's0', 'f0.txt'), path.join(s44, 'link.txt'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(s44, 'dangling'));
    fs.symlinkSync(path.join(d, 'g1'), path.join(s44, 'dirlink'));
    fs.mkdirSync(path.join(s44, '.git'));
    fs.writeFileSync(path.join(s44, '.git', 'HEAD'), 'x');
    files['d/g2/s44/link.txt'] = files['d/g0/s0/f0.txt'];
    const walk = async (pool?: StatPool, parallelFrom?: number) => {
      const chunks = await walkTree(d, path.sep, { yielder: new Yielder(), pool, parallelFrom });
      return chunks.map((c) => ({ ...c, nums: [...c.nums] }));
    };
    const here = await walk(undefined, Infinity);
    const listedHere = here
      .flatMap((c) =>
        c.names
          .split('\0')
          .slice(0, c.count)
          .map((n) => c.rel + n),
      )
      .sort();
    assert.deepEqual(
      listedHere,
      Object.keys(files)
        .filter((p) => !p.includes('.dvc'))
        .map((p) => p.slice(2))
        .sort(),
    );
    assert.deepEqual(
      here.filter((c) => c.rel === 'flat/').map((c) => [c.part, c.count]),
      [
        [0, 4096],
        [1, 4],
      ],
    );
    for (const threads of [2, 3]) {
      const pool = StatPool.start(threads);
      try {
        assert.equal(pool.threads, threads);
        await pool.ready();
        // the threads take tasks as they come: a worker takes part in almost every walk, surely in one of five
        for (let i = 0; i < 5 && !pool.workerWalks; i++) assert.deepEqual(await walk(pool), here, `${threads} threads`);
        assert.ok(pool.workerWalks > 0, 'the workers took tasks');
      } finally {
        pool.close();
      }
    }
    // a walk started ahead is what the hasher gets (once), the same as a walk made when asked
    const hashWith = async (pool?: StatPool, dvcIgnore?: { root: string; ig: ReturnType<typeof ignore> }) => {
      const h = new TreeHasher({ cache: HashCache.load(undefined, root), pool, dvcIgnore });
      await h.add(d, 'md5');
      await h.run();
      return h.result(d, 'md5');
    };
    const plain = await hashWith();
    const ahead = StatPool.start(2);
    try {
      ahead.prefetch([d]);
      const p = ahead.takePrefetched(d);
      assert.ok(p);
      ahead.prefetch([d]);
      assert.deepEqual(await hashWith(ahead), plain);
      assert.equal(ahead.takePrefetched(d), undefined, 'taken by the hasher');
      // with a .dvcignore the walk ahead (which did not apply it) is not used
      ahead.prefetch([d]);
      const withIgnore = await hashWith(ahead, { root, ig: ignore().add('d/flat/\n') });
      assert.equal((withIgnore as { nfiles: number }).nfiles, (plain as { nfiles: number }).nfiles - 4100);
    } finally {
      ahead.close();
    }
    // a .dvcignore filter: every folder listed on this thread, the stats still shared
    const ig = ignore().add('g1/\n*.txt\n!f0.txt\n');
    const filtered = await walkTree(d, path.sep, {
      yielder: new Yielder(),
      parallelFrom: 1,
      ignored: (abs, isDir) => ig.ignores(path.relative(d, abs).split(path.sep).join('/') + (isDir ? '/' : '')),
    });
    assert.deepEqual(
      filtered
        .flatMap((c) =>
          c.names
            .split('\0')
            .slice(0, c.count)
            .map((n) => c.rel + n),
        )
        .filter((p) => !p.startsWith('flat/')),
      ['g0/s0/f0.txt'],
    );
    // a modified file changes its chunk's stats, whichever thread took them
    const pool = StatPool.start(2);
    try {
      fs.writeFileSync(path.join(d, 'g2/s5/f5.txt'), 'changed, longer');
      const after = await walk(pool);
      const changed = after.filter((c, i) => JSON.stringify(c) !== JSON.stringify(here[i])).map((c) => c.rel);
      assert.deepEqual(changed, ['g2/s5/']);
    } finally {
      pool.close();
    }
  });

  it('caches hashes outside the repository by (path, size, mtime, inode); a second pass reads no contents', async () => {
    root = tmpDir();
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-hcache-'));
    try {
      writeTree(root, { 'd/a': 'foo', 'd/b': 'bar' });
      const run = async () => {
        const h = new TreeHasher({ cache: HashCache.load(cacheDir, root) });
        await h.add(path.join(root, 'd'), 'md5');
        await h.run();
        return { h, r: h.result(path.join(root, 'd'), 'md5') };
      };
      const first = await run();
      assert.equal(first.h.filesHashed, 2);
      const second = await run();
      assert.equal(second.h.filesHashed, 0);
      assert.equal(second.h.filesFromCache, 2);
      assert.deepEqual(second.r, first.r);
      assert.equal(fs.readdirSync(root).join(), 'd', 'nothing written into the workspace');
      // a change of size and mtime is seen
      fs.writeFileSync(path.join(root, 'd/a'), 'fooo');
      const third = await run();
      assert.equal(third.h.filesHashed, 1);
      assert.notEqual((third.r as { md5: string }).md5, (first.r as { md5: string }).md5);
      // a cache folder inside the workspace is refused
      const inside = HashCache.load(path.join(root, '.cache'), root);
      inside.set(path.join(root, 'd/a'), { size: 1, mtimeMs: 1, ino: 1 }, 'md5', 'x');
      inside.save();
      assert.equal(fs.existsSync(path.join(root, '.cache')), false);
    } finally {
      rmrf(cacheDir);
    }
  });
});
