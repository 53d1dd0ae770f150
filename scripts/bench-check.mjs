// Measures `mlops-hygiene check` (wall time, peak memory) on the bundled example and on a generated repository of
// 100,000 files, 90,000 of them under an ignored data/ folder, beside `git ls-files` on the same repository (the floor).
// Usage: npm run build && node scripts/bench-check.mjs [--files 100000] [--runs 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TOTAL = arg('--files', 100_000);
const RUNS = arg('--runs', 3);
const CLI = join(root, 'dist', 'cli.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };

function measure(cmd, args, cwd) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = TIME ? spawnSync(TIME, ['-f', '%M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 }) : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const kb = TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
    runs.push({ ms, mb: kb / 1024, status: r.status, stdout: r.stdout });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

function report(label, m) {
  console.log(`${label.padEnd(44)} ${m.ms.toFixed(0).padStart(7)} ms   peak ${Number.isNaN(m.mb) ? 'n/a' : m.mb.toFixed(0) + ' MB'}`);
}

// 1. the example
const ex = mkdtempSync(join(tmpdir(), 'mlh-bench-ex-'));
cpSync(join(root, 'examples', 'broken-project'), ex, { recursive: true });
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: ex });
execFileSync('git', ['add', '-A'], { cwd: ex });
execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-qm', 'x'], { cwd: ex, env });
console.log(`median of ${RUNS} runs${TIME ? '' : ' (install the `time` package for peak memory)'}`);
report('check examples/broken-project', measure(process.execPath, [CLI, 'check', ex, '--fail-on', 'never'], ex));
rmSync(ex, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });

// 2. a large repository
const big = mkdtempSync(join(tmpdir(), 'mlh-bench-big-'));
const dataFiles = Math.round(TOTAL * 0.9);
const srcFiles = TOTAL - dataFiles;
const t0 = Date.now();
writeFileSync(join(big, '.gitignore'), '/data/\n/outputs/\n/wandb/\n');
writeFileSync(join(big, 'README.md'), '# bench\n');
writeFileSync(join(big, 'pyproject.toml'), '[project]\nname = "bench"\ndependencies = ["torch==2.5.1"]\n');
for (let i = 0; i < dataFiles; i++) {
  const dir = join(big, 'data', 'raw', `shard${String(Math.floor(i / 1000)).padStart(3, '0')}`);
  if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `sample${i}.csv`), `a,b\n${i},${i * 2}\n`);
}
const kinds = ['py', 'yaml', 'md', 'txt', 'json'];
for (let i = 0; i < srcFiles; i++) {
  const dir = join(big, 'src', 'bench', `mod${Math.floor(i / 200)}`);
  if (i % 200 === 0) mkdirSync(dir, { recursive: true });
  const ext = kinds[i % kinds.length];
  writeFileSync(join(dir, `f${i}.${ext}`), ext === 'py' ? `def f${i}():\n    return ${i}\n` : ext === 'yaml' ? `lr: 0.001\nepochs: ${i}\n` : ext === 'json' ? `{"i": ${i}}\n` : `line ${i}\n`);
}
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: big });
execFileSync('git', ['config', 'gc.auto', '0'], { cwd: big });
execFileSync('git', ['add', '-A'], { cwd: big, maxBuffer: 1 << 30 });
execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-qm', 'x'], { cwd: big, env });
console.log(`generated ${TOTAL} files (${dataFiles} under ignored data/) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
report('git ls-files -co --exclude-standard (floor)', measure('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], big));
const m = measure(process.execPath, [CLI, 'check', big, '--fail-on', 'never', '--format', 'json'], big);
report(`check on ${TOTAL} files`, m);
console.log(`  findings: ${JSON.parse(m.stdout).findings.length}`);
rmSync(big, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
