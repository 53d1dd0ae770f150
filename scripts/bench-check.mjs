// Measures `mlops-hygiene check` (wall time, peak memory) on the bundled example and on a generated repository of
// 100,000 files, 90,000 of them under an ignored data/ folder, side by side with the floor on the same repository:
// listing and reading every tracked file (`git ls-files -z | xargs -0 cat`). Prints both, the ratio, and the language
// server's resident memory after its first check of that repository. Goal (issue 18): at most 4x the floor, at most
// 150 MB peak for check, and under 150 MB for the server.
// Usage: npm run build && node scripts/bench-check.mjs [--files 100000] [--runs 3] [--keep] [--dist DIR]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TOTAL = arg('--files', 100_000);
const RUNS = arg('--runs', 3);
/** `--dist DIR`: measure another build (for example main's, built in a scratch copy) on the same repository. */
const distAt = process.argv.indexOf('--dist');
const DIST = distAt > 0 ? process.argv[distAt + 1] : join(root, 'dist');
const CLI = join(DIST, 'cli.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };

/**
 * A `--require` hook that writes the main thread's own CPU time (from /proc, Linux only) to stderr at exit: the part of
 * a check that no other core can take over, and a figure that varies much less than wall time on a busy machine.
 */
const MAIN_CPU_HOOK = join(mkdtempSync(join(tmpdir(), 'mlh-bench-hook-')), 'main-cpu.cjs');
writeFileSync(
  MAIN_CPU_HOOK,
  "process.on('exit', () => { try { const ns = Number(require('fs').readFileSync('/proc/self/task/' + process.pid + '/schedstat', 'utf8').split(' ')[0]); process.stderr.write('\\nmain-thread-cpu-ms ' + (ns / 1e6).toFixed(1) + '\\n'); } catch {} });\n",
);

function measure(cmd, args, cwd) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const opts = { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: process.env };
    const r = TIME ? spawnSync(TIME, ['-f', '%M %U %S', cmd, ...args], opts) : spawnSync(cmd, args, opts);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const [kb, user, sys] = TIME ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
    const main = /main-thread-cpu-ms ([\d.]+)/.exec(r.stderr ?? '');
    runs.push({ ms, mb: kb / 1024, cpuMs: (user + sys) * 1000, mainMs: main ? Number(main[1]) : NaN, status: r.status, stdout: r.stdout });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

function report(label, m) {
  const cpu =
    (Number.isNaN(m.cpuMs) ? '' : `   cpu ${m.cpuMs.toFixed(0).padStart(5)} ms`) +
    (Number.isNaN(m.mainMs ?? NaN) ? '' : ` (main thread ${m.mainMs.toFixed(0)} ms)`);
  console.log(
    `${label.padEnd(44)} ${m.ms.toFixed(0).padStart(7)} ms${cpu}   peak ${Number.isNaN(m.mb) ? 'n/a' : m.mb.toFixed(0) + ' MB'}   (load average ${loadavg()[0].toFixed(1)})`,
  );
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
  writeFileSync(
    join(dir, `f${i}.${ext}`),
    ext === 'py' ? `def f${i}():\n    return ${i}\n` : ext === 'yaml' ? `lr: 0.001\nepochs: ${i}\n` : ext === 'json' ? `{"i": ${i}}\n` : `line ${i}\n`,
  );
}
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: big });
execFileSync('git', ['config', 'gc.auto', '0'], { cwd: big });
execFileSync('git', ['add', '-A'], { cwd: big, maxBuffer: 1 << 30 });
execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-qm', 'x'], { cwd: big, env });
console.log(`generated ${TOTAL} files (${dataFiles} under ignored data/) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
// warm the page cache once, so that neither side pays for the first read from disk
spawnSync('sh', ['-c', 'git ls-files -z | xargs -0 cat > /dev/null'], { cwd: big });
const floor = measure('sh', ['-c', 'git ls-files -z | xargs -0 cat > /dev/null'], big);
report('floor: git ls-files -z | xargs -0 cat', floor);
const m = measure(process.execPath, ['--require', MAIN_CPU_HOOK, CLI, 'check', big, '--fail-on', 'never', '--format', 'json'], big);
report(`check on ${TOTAL} files`, m);
console.log(`  findings: ${JSON.parse(m.stdout).findings.length}`);
console.log(
  `  ratio check / floor: ${(m.ms / floor.ms).toFixed(1)}x wall, ${(m.cpuMs / floor.cpuMs).toFixed(1)}x CPU (the main thread's CPU alone: ${(m.mainMs / floor.cpuMs).toFixed(1)}x the floor's CPU) (goal: at most 4x; peak ${Number.isNaN(m.mb) ? 'n/a' : m.mb.toFixed(0) + ' MB'}, goal at most 150 MB)`,
);
const server = await serverMemory(big);
console.log(
  `language server after its first check: ${server.rssMb.toFixed(0)} MB resident (peak ${server.hwmMb.toFixed(0)} MB), first check ${server.ms.toFixed(0)} ms (goal: under 150 MB)`,
);
if (!process.argv.includes('--keep')) rmSync(big, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
else console.log(`kept ${big}`);

/** Starts dist/server.js over stdio JSON-RPC, waits for its first check (status idle) and reads its memory. */
async function serverMemory(folder) {
  const require = createRequire(import.meta.url);
  const rpc = require('vscode-languageserver-protocol/node');
  const proc = spawn(process.execPath, [join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  let idle;
  const done = new Promise((r) => (idle = r));
  conn.onNotification('mlopsHygiene/status', (p) => p.state === 'idle' && idle());
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const t = process.hrtime.bigint();
  const uri = pathToFileURL(folder).toString();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'bench' }],
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { trusted: true },
  });
  conn.sendNotification('initialized', {});
  await done;
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await new Promise((r) => setTimeout(r, 300));
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  const out = { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, ms };
  proc.stdin.on('error', () => undefined); // the server may be gone before the last write
  await conn.sendRequest('shutdown').catch(() => undefined);
  const exited = new Promise((r) => proc.once('exit', r));
  await Promise.resolve(conn.sendNotification('exit')).catch(() => undefined);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  conn.dispose();
  proc.kill();
  return out;
}
