// Benchmark of the native DVC status (`mlops-hygiene dvc-status`) on a generated DVC project: a tracked directory of
// 100,000 small files and a tracked 2 GB file, in /tmp, removed at the end. Measures
//   - md5sum over the same bytes (the hashing floor),
//   - the cold status (empty hash cache: every byte is read and hashed),
//   - the warm status (no change: stats only, no contents read), run 5 times: the median, and the fastest.
// Goal: cold within 1.5x of md5sum, warm under 1 second. CPU times (user + system, of the measured process and its
// threads and children) and the load average are printed beside the wall times: wall time is inflated by other load.
// Usage: npm run build && node scripts/bench-dvc-status.mjs [--files 100000] [--big-mb 2048]
// Heavy (2 GB of disk, minutes of CPU): run it rarely.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { files: { type: 'string', default: '100000' }, 'big-mb': { type: 'string', default: '2048' } } });
const nFiles = Number(values.files);
const bigMb = Number(values['big-mb']);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.MLH_CLI ?? join(repo, 'dist', 'cli.js');

const root = mkdtempSync(join(tmpdir(), 'mlh-bench-dvc-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'mlh-bench-dvc-cache-'));
const seconds = (ms) => (ms / 1000).toFixed(2) + ' s';

/** CPU seconds used by waited-for children (utime + stime, from /proc/self/stat on Linux): unaffected by other load. */
function childCpu() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

function timed(fn) {
  const t0 = performance.now();
  const c0 = childCpu();
  const r = fn();
  return { ms: performance.now() - t0, cpu: childCpu() - c0, r };
}

try {
  // ---- generate the project
  const gen = timed(() => {
    spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    mkdirSync(join(root, '.dvc'));
    writeFileSync(join(root, '.dvc', 'config'), '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/path\n');
    writeFileSync(join(root, '.dvc', '.gitignore'), '/config.local\n/tmp\n/cache\n');
    writeFileSync(join(root, '.gitignore'), '/data\n');
    const paths = [];
    const block = randomBytes(1 << 20);
    for (let i = 0; i < nFiles; i++) {
      const dir = join(root, 'data', 'images', `shard-${String(Math.floor(i / 1000)).padStart(3, '0')}`);
      if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
      const p = join(dir, `img-${i}.bin`);
      const off = (i * 7919) % (block.length - 4096);
      writeFileSync(p, block.subarray(off, off + 200 + (i % 3800))); // 200 B to 4 KB, real bytes
      paths.push(p);
    }
    // the big file: 16 MiB random blocks, each one made distinct, written for real
    const big = join(root, 'data', 'big.bin');
    const fd = openSync(big, 'w');
    const chunk = randomBytes(16 << 20);
    for (let i = 0; i < bigMb / 16; i++) {
      chunk.writeUInt32LE(i, 0);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    paths.push(big);
    // .dvc files in DVC 3 form; hashes are placeholders replaced after the cold run (the timing does not depend on them)
    writeFileSync(join(root, 'data', '..', 'images.dvc'), 'outs:\n- md5: 00000000000000000000000000000000.dir\n  hash: md5\n  path: data/images\n');
    writeFileSync(join(root, 'big.dvc'), 'outs:\n- md5: 00000000000000000000000000000000\n  hash: md5\n  path: data/big.bin\n');
    spawnSync('git', ['add', '.dvc', '.gitignore', 'images.dvc', 'big.dvc'], { cwd: root });
    // written out now: the kernel's writeback of 2 GB would otherwise run during the measurements
    spawnSync('sync');
    return paths;
  });
  const paths = gen.r;
  console.log(`generated ${nFiles} small files and a ${bigMb} MB file in ${seconds(gen.ms)} (${root})`);

  const md5sum = () =>
    timed(() => {
      const r = spawnSync('xargs', ['-0', 'md5sum'], { input: paths.join('\0'), maxBuffer: 1 << 30, stdio: ['pipe', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error('md5sum failed');
    });
  const status = () =>
    timed(() => {
      const r = spawnSync(process.execPath, [cli, 'dvc-status', root, '--cache-dir', cacheDir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status === 2) throw new Error(r.stderr);
      return JSON.parse(r.stdout);
    });

  const m1 = md5sum();
  const cold = status();
  const m2 = md5sum();
  const floor = Math.min(m1.ms, m2.ms);
  const floorCpu = Math.min(m1.cpu, m2.cpu);
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  console.log(`load average: ${load()} on the machine while measuring md5sum and the cold status`);
  console.log(
    `md5sum over the same bytes: ${seconds(m1.ms)} and ${seconds(m2.ms)} wall (floor ${seconds(floor)}); CPU ${m1.cpu.toFixed(2)} s and ${m2.cpu.toFixed(2)} s`,
  );
  console.log(
    `cold status: ${seconds(cold.ms)} wall, CPU ${cold.cpu.toFixed(2)} s (${cold.r.filesHashed} files hashed, ${(cold.r.bytesHashed / 2 ** 20).toFixed(0)} MiB) = ${(cold.ms / floor).toFixed(2)}x md5sum wall, ${(cold.cpu / floorCpu).toFixed(2)}x md5sum CPU`,
  );
  // record the real hashes, as `dvc add` would have, so the warm run is a clean "up to date"
  const byPath = Object.fromEntries(cold.r.items.map((i) => [i.path, i.currentHash]));
  writeFileSync(join(root, 'images.dvc'), `outs:\n- md5: ${byPath['data/images']}\n  hash: md5\n  path: data/images\n`);
  writeFileSync(join(root, 'big.dvc'), `outs:\n- md5: ${byPath['data/big.bin']}\n  hash: md5\n  path: data/big.bin\n`);
  const warms = [];
  for (let i = 0; i < 5; i++) warms.push(status());
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const warmMs = median(warms.map((w) => w.ms));
  const w0 = warms[0].r;
  if (warms.some((w) => w.r.filesHashed))
    console.log(`warning: a warm run hashed files (${warms.map((w) => w.r.filesHashed).join(', ')}): the project changed while measuring`);
  console.log(
    `warm status (no change), 5 runs: median ${seconds(warmMs)} wall (fastest ${seconds(Math.min(...warms.map((w) => w.ms)))}; ${warms.map((w) => (w.ms / 1000).toFixed(2)).join(', ')}), median CPU ${median(warms.map((w) => w.cpu)).toFixed(2)} s; ${w0.filesHashed} files hashed, ${w0.filesFromCache} from the hash cache; load average ${load()}`,
  );
  console.log(`goals: cold <= 1.5x md5sum: ${cold.ms <= 1.5 * floor ? 'met' : 'NOT met'}; warm < 1 s: ${warmMs < 1000 ? 'met' : 'NOT met'}`);
} finally {
  if (process.env.MLH_BENCH_KEEP) console.log(`kept ${root} (hash cache ${cacheDir})`);
  else {
    rmSync(root, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
