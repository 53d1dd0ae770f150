// Benchmark: finding runs whose folders are 3 deep (issue 15), in process, with the engine the CLI and the server use.
//   npm run build && npx tsc -p . && node scripts/bench-runs-deep.mjs [N=10000] [SOURCE_DIRS=2000]
// Writes N runs (a quarter each): Hydra `src/models/outputs/<date>/<time>/`, W&B `experiments/a/b/wandb/run-*`, MLflow
// `code/models/mlruns/<exp>/<run>`, Lightning `research/tb/my_model/version_N`, next to SOURCE_DIRS source folders
// (packages with __init__.py, to make the walk do real work) and a `data/` and `.venv/` it must not enter. Prints
// (median of BENCH_ROUNDS=5, wall and CPU):
//   1. the marker walk alone (findRunStores: which stores exist)
//   2. discovery + summaries: what the Runs view's first list waits for (RunIndex.refresh lazy, fresh index)
//   3. the full listing with params and metrics (what `mlops-hygiene runs` does: listRuns)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fx = require(path.join(ROOT, 'out/test/support/runFixtures.js'));
const runs = require(path.join(ROOT, 'out/server/src/engine/runs/index.js'));

const N = Number(process.argv[2] ?? 10000);
const SRC = Number(process.argv[3] ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const per = Math.floor(N / 4);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-bench-deep-'));
const p2 = (n) => String(n).padStart(2, '0');
const write = (rel, text) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

let t = Date.now();
for (let i = 0; i < SRC; i++) write(`src/pkg${Math.floor(i / 50)}/mod${i}/__init__.py`, '');
for (let i = 0; i < 200; i++) write(`data/raw/part${i}/x.csv`, 'a,b\n');
write('.venv/lib/python3.11/site-packages/x/__init__.py', '');
for (let i = 0; i < per; i++) {
  const day = Math.floor(i / 50);
  const d = new Date(2024, 0, 1 + day, 8, 0, 0);
  const rel = `src/models/outputs/${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}/${p2(8 + Math.floor((i % 50) / 10))}-${p2((i % 10) * 5)}-00`;
  fx.hydraRun(dir, rel, { config: `model:\n  lr: ${(i % 7) / 1000}\nseed: ${i}\n`, overrides: [`seed=${i}`], mtime: d.getTime() });
}
const wbRoot = path.join(dir, 'experiments/a/b');
for (let i = 0; i < per; i++) {
  const d = new Date(2024, 1, 1, 0, 0, 0);
  d.setMinutes(i * 7);
  const name = `run-${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}_${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}-w${String(i).padStart(7, '0')}`;
  fx.wandbRun(wbRoot, name, { format: 'current', summary: JSON.stringify({ loss: 1 / (i + 1), _step: 100 }) });
}
const mlRoot = path.join(dir, 'code/models');
for (let e = 0; e < 5; e++) fx.mlflowExperiment(mlRoot, String(e), `exp-${e}`);
for (let i = 0; i < per; i++) {
  fx.mlflowRun(mlRoot, String(i % 5), i.toString(16).padStart(32, '0'), {
    name: `run-${i}`,
    start: Date.UTC(2024, 2, 1) + i * 60000,
    params: { lr: String((i % 7) / 1000) },
    metrics: { loss: `1 ${1 / (i + 1)} 0\n` },
  });
}
for (let i = 0; i < N - 3 * per; i++) {
  write(`research/tb/my_model/version_${i}/hparams.yaml`, `lr: 0.001\nseed: ${i}\n`);
  write(`research/tb/my_model/version_${i}/metrics.csv`, 'epoch,step,val_loss\r\n0,99,0.25\r\n');
}
const writeMs = Date.now() - t;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(fn) {
  const wall = [];
  const cpu = [];
  let last;
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu), rounds: wall.map((w) => Math.round(w)), last };
}

const walk = await measure(() => runs.findRunStores(dir));
const first = await measure(async () => {
  const index = new runs.RunIndex(dir, { useGit: false });
  await index.refresh(undefined, { lazy: true });
  return index.list().length;
});
const full = await measure(async () => (await runs.listRuns(dir, { useGit: false })).runs.length);

const load = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
console.log(`workspace: ${N} runs 3 folders deep + ${SRC} source folders (written in ${writeMs} ms); load average ${load}`);
console.log(`stores found: ${walk.last.stores.map((s) => `${s.tool} ${s.dir}`).join(', ')} (${walk.last.visited} folders listed)`);
console.log(`1. marker walk:                 ${walk.wall.toFixed(1)} ms wall, ${walk.cpu.toFixed(1)} ms CPU (rounds ${walk.rounds.join(', ')})`);
console.log(
  `2. discovery + summaries (view): ${first.wall.toFixed(1)} ms wall, ${first.cpu.toFixed(1)} ms CPU, ${first.last} runs (rounds ${first.rounds.join(', ')})`,
);
console.log(
  `3. full listing (CLI runs):      ${full.wall.toFixed(1)} ms wall, ${full.cpu.toFixed(1)} ms CPU, ${full.last} runs (rounds ${full.rounds.join(', ')})`,
);
fs.rmSync(dir, { recursive: true, force: true });
