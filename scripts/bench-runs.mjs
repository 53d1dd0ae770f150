// Benchmark of the Runs view: N runs of mixed sources (Hydra, W&B, MLflow file store, Lightning) in a temp folder,
// listed through the real language server over stdio, as the client does (the client's own tree model builds the tree).
//   npm run build && npx tsc -p . && node scripts/bench-runs.mjs [N=10000]
// Prints exactly the figures of the issue, each with wall time, CPU time (server and bench process) and the load average:
//   1. first level of the tree as the user sees it, cold: the first list request to a fresh server + building the tree
//      from it; BENCH_ROUNDS (5) fresh servers, the median printed with every round (wall time on a shared machine
//      varies by tens of ms)
//   2. all N runs listed with params/metrics: from the first request until the background reading is announced done
//      and the view has the complete list (as the client does: one more list request + the tree)
//   3. refresh after one new run: its file event -> change notification -> the tree rebuilt with it
//   4. server memory (RSS) after listing
//   5. the experiments table: its request, and the real webview page in headless Chromium from the data message to the
//      first frame with rows painted (after the list, and cold: the table as a fresh server's first request)
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
/** What the client does with a list it receives (runs on the wire leave out their defaults). */
const { runFromWire } = require(path.join(ROOT, 'out/shared/runCodec.js'));
const received = (r) => r.runs.map((w) => runFromWire(w, r.workspaceFolder));

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
  fx.hydraRun(dir, rel, {
    config: `model:\n  lr: ${(i % 7) / 1000}\n  hidden: ${32 * (1 + (i % 4))}\nseed: ${i}\n`,
    overrides: [`seed=${i}`],
    mtime: d.getTime(),
  });
}
// W&B
for (let i = 0; i < per; i++) {
  const d = new Date(2024, 1, 1, 0, 0, 0);
  d.setMinutes(i * 7);
  const name = `run-${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}_${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}-w${String(i).padStart(7, '0')}`;
  fx.wandbRun(dir, name, {
    format: i % 2 ? 'current' : 'legacy',
    summary: JSON.stringify({ loss: 1 / (i + 1), acc: (i % 100) / 100, _step: 100, _wandb: { runtime: 60 } }),
    metadata: fx.WANDB_METADATA,
  });
}
// MLflow: 5 experiments
for (let e = 0; e < 5; e++) fx.mlflowExperiment(dir, String(e), `exp-${e}`);
for (let i = 0; i < per; i++) {
  const id = i.toString(16).padStart(32, '0');
  fx.mlflowRun(dir, String(i % 5), id, {
    name: `run-${i}`,
    start: Date.UTC(2024, 2, 1) + i * 60000,
    end: Date.UTC(2024, 2, 1) + i * 60000 + 30000,
    params: { lr: String((i % 7) / 1000), batch: '32' },
    metrics: { loss: `1 ${1 / (i + 1)} 0\n2 ${0.5 / (i + 1)} 1\n`, acc: `2 ${(i % 100) / 100} 1\n` },
    tags: { 'mlflow.source.git.commit': 'abcdef1234567890abcdef1234567890abcdef12' },
  });
}
// Lightning
for (let i = 0; i < N - 3 * per; i++) fx.lightningRun(dir, i, { mtime: Date.UTC(2024, 3, 1) + i * 60000 });
const writeMs = Date.now() - t;

/** A language server over stdio on the generated workspace, idle after its diagnostics pass. */
async function startServer() {
  const proc = spawn(
    process.execPath,
    [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), path.join(ROOT, 'dist/server.js'), '--stdio'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
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
  const server = { proc, conn };
  // let the diagnostics pass finish: the server is idle when it used under 5 ms CPU in 300 ms
  for (let prev = serverCpu(server), i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = serverCpu(server);
    if (now - prev < 5) break;
    prev = now;
  }
  return server;
}

async function stopServer({ proc, conn }) {
  await conn.sendRequest(rpc.ShutdownRequest.type).catch(() => undefined);
  await conn.sendNotification(rpc.ExitNotification.type).catch(() => undefined);
  await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
  conn.dispose();
  proc.kill();
}

const rss = ({ proc }) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
/** CPU ms (user + system) the server process used so far. */
const TICK_MS = 1000 / 100; // USER_HZ
function serverCpu({ proc }) {
  const f = fs.readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}
const benchCpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const phase = (server) => ({ server, t: performance.now(), s: serverCpu(server), b: benchCpu() });
const ms = (p0) => ({ wall: performance.now() - p0.t, server: serverCpu(p0.server) - p0.s, view: benchCpu() - p0.b });
const fmt = (m) => `${m.wall.toFixed(0)} ms wall, CPU ${m.server.toFixed(0)} ms server + ${m.view.toFixed(0)} ms view`;
const since = (p0) => fmt(ms(p0));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// 1. first level, cold: a fresh server each round (wall times on a shared machine vary by tens of ms: the median counts)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const rounds = [];
let server;
let first;
let tree1;
let lastP1;
let rssBefore;
for (let round = 0; round < ROUNDS; round++) {
  server = await startServer();
  rssBefore = rss(server);
  // when the answer's bytes arrive (BENCH_DEBUG=1 prints them: where the first level's time goes)
  const chunks = [];
  server.proc.stdout.on('data', (b) => chunks.push([performance.now(), b.length]));
  const p1 = (lastP1 = phase(server));
  first = await server.conn.sendRequest('mlopsHygiene/runs/list', {});
  const got = performance.now();
  tree1 = model.buildTree(received(first), '', { by: 'newest' });
  rounds.push({ ...ms(p1), serverSide: first.durationMs, load: load() });
  if (process.env.BENCH_DEBUG) {
    const mine = chunks.filter(([t]) => t >= p1.t);
    const bytes = mine.reduce((n, [, l]) => n + l, 0);
    console.log(
      `   debug: server-side ${first.durationMs} ms; first byte +${(mine[0][0] - p1.t).toFixed(0)} ms, last byte +${(mine.at(-1)[0] - p1.t).toFixed(0)} ms (${(bytes / 1e6).toFixed(2)} MB in ${mine.length} chunks); parsed +${(got - p1.t).toFixed(0)} ms; tree ${(performance.now() - got).toFixed(0)} ms`,
    );
  }
  if (round < ROUNDS - 1) await stopServer(server);
}
const byWall = [...rounds].sort((a, b) => a.wall - b.wall);
const median = byWall[Math.floor((byWall.length - 1) / 2)];
const { conn } = server;
let changed = [];
let onChange;
conn.onNotification('mlopsHygiene/runs/changed', (p) => {
  changed.push(p);
  onChange?.();
});
const waitChange = (pred) =>
  new Promise((resolve) => {
    const check = () => {
      const hit = changed.find(pred);
      if (hit) {
        onChange = undefined;
        resolve(hit);
      }
    };
    onChange = check;
    check();
  });

// 2. every run with its params and metrics

const done = first.pending ? await waitChange((c) => c.pending === 0) : undefined;
const allList = await conn.sendRequest('mlopsHygiene/runs/list', {});
const all = { runs: received(allList) };
model.buildTree(all.runs, '', { by: 'newest' });
// from the last round's list request, which started the background reading
const complete = since(lastP1);
const withParams = all.runs.filter((r) => Object.keys(r.params).length || Object.keys(r.metrics).length).length;
const rssAfter = rss(server);
changed = [];

// 3. one new run appears
await new Promise((r) => setTimeout(r, 1100)); // past the per-run-folder throttle of anything read before
const name = 'run-20250101_120000-newrun01';
fx.wandbRun(dir, name, { format: 'current', summary: '{"loss": 0.01}' });
const p3 = phase(server);
await conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
  changes: [{ uri: pathToFileURL(path.join(dir, 'wandb', name, 'files', 'wandb-summary.json')).toString(), type: 1 }],
});
const note = await waitChange((c) => c.added.length);
const notifyMs = performance.now() - p3.t;
let runs = note.runs
  ? model.patchRuns(
      all.runs,
      note.runs.map((w) => runFromWire(w, note.workspaceFolder)),
      note.removed,
    )
  : received(await conn.sendRequest('mlopsHygiene/runs/list', {}));
const tree3 = model.buildTree(runs, '', { by: 'newest' });
const refresh = since(p3);
const shownNew = tree3.roots.some((s) => s.children.some((e) => e.children.some((r) => r.id.endsWith(`wandb:${name}`))));

console.log(`runs: ${all.runs.length} (${N} asked, written in ${(writeMs / 1000).toFixed(1)} s); ${os.cpus().length} CPUs`);
console.log(
  `1. first level of the tree, cold (list request + tree of ${tree1.roots.length} sources, ${first.pending ?? 0} runs still to read), a fresh server in each of ${ROUNDS} rounds: median ${fmt(median)} (server-side ${median.serverSide} ms; load ${median.load}); all rounds ${rounds.map((r) => r.wall.toFixed(0)).join(', ')} ms wall`,
);
console.log(
  `2. all ${all.runs.length} runs with params/metrics (${withParams} have some) in the view: ${complete} (background reading ${done ? done.durationMs + ' ms server-side' : 'not needed'}); load ${load()}`,
);
console.log(
  `3. refresh after one new run: file event -> notification ${notifyMs.toFixed(0)} ms (server refresh ${note.durationMs ?? '?'} ms), -> tree with it ${refresh}${shownNew ? '' : ' (NOT SHOWN)'}; ${note.runs ? 'patched from the notification' : 'listed again'}; load ${load()}`,
);
console.log(`4. server RSS: ${rssBefore} MB before listing, ${rssAfter} MB after listing all runs with params/metrics`);

// 5. the experiments table's first paint: the table request, then the real webview page (media/runsTable.js and .css
// under the extension's CSP) in headless Chromium, from the data message to the first frame with rows painted
const { chromium } = require('playwright-core');
const { tableHtml } = require(path.join(ROOT, 'out/client/src/runs/table.js'));
const browser = await chromium.launch({
  executablePath: process.env.MLH_E2E_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const pageFile = path.join(dir, '.bench-table.html');
const media = pathToFileURL(path.join(ROOT, 'media')).toString();
const stub = path.join(dir, '.bench-stub.js'); // VS Code's acquireVsCodeApi, recording what the page posts
fs.writeFileSync(
  pageFile,
  tableHtml({ cspSource: 'file:', scriptUri: `${media}/runsTable.js`, styleUri: `${media}/runsTable.css`, title: 'Experiments' }).replace(
    '<script src=',
    `<script src="${pathToFileURL(stub)}"></script><script src=`,
  ),
);
fs.writeFileSync(
  stub,
  'window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push([performance.now(), m]), getState: () => undefined, setState: () => undefined });\n',
);
async function paint(table) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(pathToFileURL(pageFile).toString());
  await page.waitForFunction(() => window.__posted.some(([, m]) => m.type === 'ready'));
  const t = performance.now();
  const inPage = await page.evaluate(async (tbl) => {
    const t0 = performance.now();
    window.postMessage({ type: 'data', table: tbl }, '*');
    await new Promise((resolve) => {
      const check = () => (window.__posted.some(([, m]) => m.type === 'painted') ? resolve() : setTimeout(check, 1));
      check();
    });
    const painted = window.__posted.find(([, m]) => m.type === 'painted')[0];
    return { paintMs: painted - t0, rowsInDom: document.querySelectorAll('#rows .tr').length };
  }, table);
  const total = performance.now() - t;
  await page.close();
  return { ...inPage, total };
}
const pt = phase(server);
const table = await conn.sendRequest('mlopsHygiene/runs/table', {});
const tableReq = ms(pt);
const warm = await paint(table);
await stopServer(server);
const fresh = await startServer();
const pc = phase(fresh);
const coldTable = await fresh.conn.sendRequest('mlopsHygiene/runs/table', {});
const coldReq = ms(pc);
const cold = await paint(coldTable);
await stopServer(fresh);
await browser.close();
const bytes = (x) => (JSON.stringify(x).length / 1e6).toFixed(2);
console.log(
  `5. experiments table, ${table.rows.length} rows x ${table.columns.length} columns (${bytes(table)} MB): request ${fmt(tableReq)} (server-side ${table.durationMs} ms), webview data -> first paint ${warm.paintMs.toFixed(0)} ms (${warm.rowsInDom} rows in the DOM): ${(tableReq.wall + warm.paintMs).toFixed(0)} ms; cold (table first, fresh server, ${coldTable.rows.filter((r) => r.pending).length} rows pending, ${bytes(coldTable)} MB): request ${fmt(coldReq)}, paint ${cold.paintMs.toFixed(0)} ms: ${(coldReq.wall + cold.paintMs).toFixed(0)} ms; load ${load()}`,
);

if (process.env.MLH_BENCH_KEEP) console.log(`kept ${dir}`);
else fs.rmSync(dir, { recursive: true, force: true });
