// Benchmark of the Runs view's server side: N runs of mixed sources (Hydra, W&B, MLflow file store, Lightning) in a temp
// folder, listed through the real language server over stdio, as the client does.
//   npm run build && npx tsc -p . && node scripts/bench-runs.mjs [N=10000]
// Reports: first list (cold: every run read), the first level of the tree built from it, a second list (warm), the time
// from one new run's file event to the change notification (server-side refresh, after the debounce), and the server's
// resident memory after listing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rpc = require('vscode-languageserver-protocol/node');
const fx = require(path.join(ROOT, 'out/test/support/runFixtures.js'));
const model = require(path.join(ROOT, 'out/client/src/runs/model.js'));

const N = Number(process.argv[2] ?? 10000);
const per = Math.floor(N / 4);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-bench-runs-'));
const p2 = (n) => String(n).padStart(2, '0');

let t = Date.now();
// Hydra: per-day folders of 50 runs each
for (let i = 0; i < per; i++) {
  const day = Math.floor(i / 50);
  const d = new Date(2024, 0, 1 + day, 8, 0, 0);
  const rel = `outputs/${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}/${p2(8 + Math.floor((i % 50) / 10))}-${p2((i % 10) * 5)}-00`;
  fx.hydraRun(dir, rel, { config: `model:\n  lr: ${(i % 7) / 1000}\n  hidden: ${32 * (1 + (i % 4))}\nseed: ${i}\n`, overrides: [`seed=${i}`], mtime: d.getTime() });
}
// W&B
for (let i = 0; i < per; i++) {
  const d = new Date(2024, 1, 1, 0, 0, 0);
  d.setMinutes(i * 7);
  const name = `run-${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}_${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}-w${String(i).padStart(7, '0')}`;
  fx.wandbRun(dir, name, { format: i % 2 ? 'current' : 'legacy', summary: JSON.stringify({ loss: 1 / (i + 1), acc: (i % 100) / 100, _step: 100, _wandb: { runtime: 60 } }), metadata: fx.WANDB_METADATA });
}
// MLflow: 5 experiments
for (let e = 0; e < 5; e++) fx.mlflowExperiment(dir, String(e), `exp-${e}`);
for (let i = 0; i < per; i++) {
  const id = i.toString(16).padStart(32, '0');
  fx.mlflowRun(dir, String(i % 5), id, { name: `run-${i}`, start: Date.UTC(2024, 2, 1) + i * 60000, end: Date.UTC(2024, 2, 1) + i * 60000 + 30000, params: { lr: String((i % 7) / 1000), batch: '32' }, metrics: { loss: `1 ${1 / (i + 1)} 0\n2 ${0.5 / (i + 1)} 1\n`, acc: `2 ${(i % 100) / 100} 1\n` }, tags: { 'mlflow.source.git.commit': 'abcdef1234567890abcdef1234567890abcdef12' } });
}
// Lightning
for (let i = 0; i < N - 3 * per; i++) fx.lightningRun(dir, i, { mtime: Date.UTC(2024, 3, 1) + i * 60000 });
const writeMs = Date.now() - t;

const proc = spawn(process.execPath, [path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
let changed;
conn.onNotification('mlopsHygiene/runs/changed', (p) => changed?.(p));
conn.onRequest(rpc.RegistrationRequest.type, () => undefined);
conn.onRequest(rpc.ConfigurationRequest.type, (p) => p.items.map(() => ({})));
conn.onNotification(rpc.PublishDiagnosticsNotification.type, () => undefined);
conn.onNotification('mlopsHygiene/status', () => undefined);
conn.listen();
const uri = pathToFileURL(dir).toString();
await conn.sendRequest(rpc.InitializeRequest.type, {
  processId: process.pid,
  rootUri: uri,
  workspaceFolders: [{ uri, name: 'bench' }],
  capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true } },
  initializationOptions: { trusted: true },
});
await conn.sendNotification(rpc.InitializedNotification.type, {});
await new Promise((r) => setTimeout(r, 1000)); // let the diagnostics pass finish

const rss = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
const rssBefore = rss();
t = performance.now();
const first = await conn.sendRequest('mlopsHygiene/runs/list', {});
const coldMs = performance.now() - t;
t = performance.now();
const tree = model.buildTree(first.runs, '', { by: 'newest' });
const treeMs = performance.now() - t;
t = performance.now();
const second = await conn.sendRequest('mlopsHygiene/runs/list', {});
const warmMs = performance.now() - t;
const rssAfter = rss();

// one new run appears
const got = new Promise((r) => (changed = r));
const name = 'run-20250101_120000-newrun01';
fx.wandbRun(dir, name, { format: 'current', summary: '{"loss": 0.01}' });
const tEvent = performance.now();
await conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(path.join(dir, 'wandb', name, 'files', 'wandb-summary.json')).toString(), type: 1 }] });
const note = await got;
const notifyMs = performance.now() - tEvent;
t = performance.now();
const third = await conn.sendRequest('mlopsHygiene/runs/list', {});
const relistMs = performance.now() - t;

console.log(`runs written: ${first.runs.length} (${N} asked) in ${(writeMs / 1000).toFixed(1)} s`);
console.log(`first list (cold, every run read, over stdio): ${coldMs.toFixed(0)} ms (server-side ${first.durationMs} ms)`);
console.log(`first level of the tree (${tree.roots.length} sources) built from it: ${treeMs.toFixed(0)} ms -> cold total ${(coldMs + treeMs).toFixed(0)} ms`);
console.log(`second list (warm): ${warmMs.toFixed(0)} ms (server-side ${second.durationMs} ms)`);
console.log(`one new run: file event -> notification ${notifyMs.toFixed(0)} ms, of which debounce 500 ms; server refresh ${note.durationMs ?? '?'} ms; added ${note.added.join(',')}`);
console.log(`list after the new run: ${relistMs.toFixed(0)} ms (${third.runs.length} runs, newest ${third.runs[0].id})`);
console.log(`server RSS: ${rssBefore} MB before listing, ${rssAfter} MB after listing`);

await conn.sendRequest(rpc.ShutdownRequest.type).catch(() => undefined);
await conn.sendNotification(rpc.ExitNotification.type).catch(() => undefined);
conn.dispose();
proc.kill();
fs.rmSync(dir, { recursive: true, force: true });
