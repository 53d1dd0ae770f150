// Benchmark of the remote run sources: an MLflow tracking server with N runs in one experiment (the test's fake server,
// test/support/fakeTracking.ts, in a child process on 127.0.0.1 so its memory is not counted), read as the Runs view
// reads it: the first page (the view shows it at once), then the rest in the background.
//   npm run build && npx tsc -p . && node --expose-gc scripts/bench-remote-runs.mjs [N=10000] [FIRST_PAGE=200]
// Prints: time to the first page, time to all N runs, heap and RSS growth of the reading process holding all N runs,
// and the CPU time of this process. BENCH_ROUNDS (default 5) rounds; medians printed with every round.
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as os from 'node:os';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? 10000);
const FIRST = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

if (process.argv[2] === '--serve') {
  const fx = require(path.join(ROOT, 'out/test/support/fakeTracking.js'));
  const srv = await fx.fakeMlflow([{ experiment_id: '1', name: 'big' }], fx.manyMlflowRuns(Number(process.argv[3]))).start();
  process.send(srv.url);
} else {
  const src = require(path.join(ROOT, 'out/server/src/engine/runs/sources/index.js'));
  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(N)]);
  const url = await new Promise((resolve) => child.once('message', resolve));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const first = [];
  const all = [];
  let heapMb = 0;
  let held;
  let rssMb = 0;
  for (let round = 0; round < ROUNDS; round++) {
    held = undefined;
    globalThis.gc?.();
    const m0 = process.memoryUsage();
    const cpu0 = process.cpuUsage();
    const source = new src.MlflowServerSource(src.mlflowServerConfig(url, {}));
    const t0 = performance.now();
    const p1 = await source.list({ pageSize: FIRST });
    const tFirst = performance.now() - t0;
    const firstCount = p1.runs.length;
    const runs = [...p1.runs];
    let token = p1.nextPageToken;
    while (token) {
      const p = await source.list({ pageToken: token });
      runs.push(...p.runs);
      token = p.nextPageToken;
    }
    const tAll = performance.now() - t0;
    if (runs.length !== N) throw new Error(`expected ${N} runs, got ${runs.length}`);
    const count = runs.length;
    held = runs; // kept while the heap is measured (the view keeps them)
    globalThis.gc?.();
    const m1 = process.memoryUsage();
    const cpu = process.cpuUsage(cpu0);
    first.push(tFirst);
    all.push(tAll);
    // what holding the runs costs: the heap with them minus the heap once they are dropped
    held = undefined;
    runs.length = 0;
    p1.runs.length = 0;
    globalThis.gc?.();
    heapMb = (m1.heapUsed - process.memoryUsage().heapUsed) / 1048576;
    rssMb = m1.rss / 1048576;
    console.log(
      `round ${round + 1}: first page (${firstCount} runs) ${tFirst.toFixed(0)} ms; all ${count} runs ${tAll.toFixed(0)} ms; heap +${heapMb.toFixed(1)} MB holding them; RSS ${rssMb.toFixed(0)} MB; CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; load ${os.loadavg()[0].toFixed(2)}`,
    );
  }
  console.log(
    `median: first page ${median(first).toFixed(0)} ms, all ${N} runs ${median(all).toFixed(0)} ms${globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`,
  );
  child.kill();
}
