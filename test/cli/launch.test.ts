import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, rmrf } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

describe('CLI launcher (V8 code cache)', () => {
  let home = '';
  afterEach(() => home && rmrf(home));

  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } });
    return { code: r.status ?? -1, out: r.stdout + r.stderr };
  };
  const caches = () =>
    fs.existsSync(path.join(home, 'mlops-hygiene')) ? fs.readdirSync(path.join(home, 'mlops-hygiene')).filter((f) => f.endsWith('.v8cache')) : [];

  it('keeps the code cache in the CLI cache folder, uses it, and recovers from a damaged or an old one', () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-xdg-'));
    const first = run('rules', 'DVC001');
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /DVC001/);
    const [file] = caches();
    assert.ok(file, 'a code cache was written');
    const abs = path.join(home, 'mlops-hygiene', file);
    const stamp = fs.statSync(abs).mtimeMs;
    assert.deepEqual(run('rules', 'DVC001'), first, 'the same output from the cache');
    assert.equal(fs.statSync(abs).mtimeMs, stamp, 'an accepted cache is not written again');
    // damaged: V8 rejects it, the bundle is compiled as usual and the cache written again
    fs.writeFileSync(abs, Buffer.alloc(1000, 7));
    assert.deepEqual(run('rules', 'DVC001'), first);
    assert.notDeepEqual(fs.readFileSync(abs), Buffer.alloc(1000, 7));
    // the cache of an older build of the same bundle is replaced; exit codes and errors pass through
    const old = path.join(home, 'mlops-hygiene', file.replace(/-\d+\.v8cache$/, '-1.v8cache'));
    fs.renameSync(abs, old);
    const bad = run('dvc-status', '/nonexistent/folder');
    assert.equal(bad.code, 2);
    assert.match(bad.out, /is not a folder/);
    assert.deepEqual(caches(), [file]);
    // the caches of other installed bundles (temporary installs) are capped: the newest kept
    for (let i = 0; i < 10; i++) {
      const other = path.join(home, 'mlops-hygiene', `cli-${String(i).padStart(12, 'a')}-1.v8cache`);
      fs.writeFileSync(other, 'x');
      fs.utimesSync(other, 1000 + i, 1000 + i);
    }
    fs.rmSync(path.join(home, 'mlops-hygiene', file));
    assert.equal(run('--version').code, 0);
    assert.deepEqual(caches().sort(), [file, ...[3, 4, 5, 6, 7, 8, 9].map((i) => `cli-${String(i).padStart(12, 'a')}-1.v8cache`)].sort());
  });
});
