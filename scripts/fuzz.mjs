#!/usr/bin/env node
// The fuzz suite: `npm run fuzz -- --inputs N --seed S [--batch 200] [--keep]`.
//
// Seeds are the text files of examples/ and test/fixtures/. Each input is one seed mutated (byte flips, truncation,
// indentation, anchors/aliases, NUL, CRLF/lone CR, BOM, unicode, `${`, `{{`, deep nesting, bad UTF-8, long lines) and
// laid out under a name the engine reads (dvc.yaml, params.yaml, pyproject.toml, .gitignore, a run's
// .hydra/config.yaml, ...). A batch of inputs is one temporary git repository, checked by one `check --format json`
// and one `--format sarif` (odd batches without git), and each batch must give:
//   exit code 0 or 1, valid JSON and SARIF, no MLH000, every position inside its file (\n, \r\n and lone \r),
//   no file outside the workspace read (the CLI runs with scripts/fuzz-hook.cjs, which records the real path of every
//   file it opens; symlinks to a canary file outside are among the inputs), no write inside the workspace (a listing
//   with sizes and mtimes before and after).
// Deterministic for a seed (own PRNG). Exit 1 when a batch fails; failing batches are kept with --keep.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOOK = path.join(ROOT, 'scripts', 'fuzz-hook.cjs');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const CLI = path.resolve(opt('cli', path.join(ROOT, 'dist', 'cli.js')));
const INPUTS = Number(opt('inputs', 2000));
const SEED = Number(opt('seed', 1));
const BATCH = Number(opt('batch', 200));
const KEEP = args.includes('--keep');
const TIMEOUT_MS = Number(opt('timeout', 120_000));

// ------------------------------------------------------------------ PRNG (mulberry32)
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(SEED);
const int = (n) => Math.floor(rnd() * n);
const pick = (list) => list[int(list.length)];

// ------------------------------------------------------------------ seeds
function listFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile() && fs.statSync(p).size < 64 * 1024) out.push(p);
  }
  return out;
}
const seeds = [...listFiles(path.join(ROOT, 'examples')), ...listFiles(path.join(ROOT, 'test', 'fixtures'))]
  .sort()
  .map((p) => fs.readFileSync(p))
  .filter((b) => !b.subarray(0, 4096).includes(0));
seeds.push(
  Buffer.from('stages:\n  train:\n    cmd: python train.py ${lr}\n    deps: [data/raw.csv]\n    params: [lr]\n    outs: [model.pt]\n'),
  Buffer.from('defaults:\n  - _self_\n  - model: resnet\nlr: ${oc.env:LR,0.1}\nname: ${model.name}\n'),
  Buffer.from('[project]\nname = "x"\ndependencies = ["numpy", "torch>=2"]\n[tool.mlops-hygiene]\nignore = ["GIT001"]\n'),
  Buffer.from('[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n'),
);

/** Names the engine reads (a batch folder per input holds one of them). */
const NAMES = [
  'dvc.yaml',
  'dvc.lock',
  'params.yaml',
  'pyproject.toml',
  'requirements.txt',
  'Dockerfile',
  '.gitignore',
  '.dvcignore',
  '.dvc/config',
  'configs/config.yaml',
  'configs/model/resnet.yaml',
  'conf/config.yaml',
  '.github/workflows/ci.yml',
  '.pre-commit-config.yaml',
  'cloudbuild.yaml',
  'Makefile',
  'tasks.py',
  'train.py',
  'src/pkg/train.py',
  'MLproject',
  'sweep.yaml',
  'data/raw.dvc',
  'model.dvc',
  'environment.yml',
  '.env',
  'setup.cfg',
  'outputs/2024-01-01/10-00-00/.hydra/config.yaml',
  'outputs/2024-01-01/10-00-00/.hydra/overrides.yaml',
  'wandb/run-20240101_000000-abc/files/config.yaml',
  'mlruns/0/1/meta.yaml',
  'lightning_logs/version_0/hparams.yaml',
  'requirements/dev.txt',
  '.dockerignore',
];

// ------------------------------------------------------------------ mutators
const UNICODE = ['é', '\u200b', '\u202e', '😀', '\u0301', '\uffff', '\u2028', '\u00a0', 'Ω'];
const deep = (n) =>
  pick([
    () => '- '.repeat(n) + 'x',
    () => '['.repeat(n) + ']'.repeat(n),
    () => '{a: '.repeat(n) + '1' + '}'.repeat(n),
    () => Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1',
    () => '${'.repeat(n) + 'x' + '}'.repeat(n),
  ])();
const insertAt = (b, s) => {
  const at = int(b.length + 1);
  return Buffer.concat([b.subarray(0, at), Buffer.isBuffer(s) ? s : Buffer.from(s), b.subarray(at)]);
};
const lineAt = (b, fn) => {
  const lines = b.toString('utf8').split('\n');
  const i = int(lines.length);
  lines[i] = fn(lines[i]);
  return Buffer.from(lines.join('\n'));
};
const MUTATORS = {
  flip: (b) => {
    if (!b.length) return b;
    const c = Buffer.from(b);
    for (let k = 1 + int(4); k > 0; k--) c[int(c.length)] ^= 1 << int(8);
    return c;
  },
  truncate: (b) => b.subarray(0, int(b.length + 1)),
  indent: (b) => lineAt(b, (l) => (rnd() < 0.5 ? ' '.repeat(1 + int(5)) + l : l.replace(/^\s+/, '')) + (rnd() < 0.2 ? '\t' : '')),
  anchors: (b) =>
    insertAt(
      b,
      pick([
        '&a ',
        '*a',
        ' <<: *a\n',
        '&x [1, *x]',
        'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
        '*undefined',
      ]),
    ),
  nul: (b) => insertAt(b, Buffer.from([0])),
  crlf: (b) => Buffer.from(b.toString('utf8').replace(/\r?\n/g, '\r\n')),
  cr: (b) => Buffer.from(b.toString('utf8').replace(/\r?\n/g, '\r')),
  bom: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  unicode: (b) => insertAt(b, pick(UNICODE)),
  badUtf8: (b) => insertAt(b, Buffer.from([pick([0xff, 0xc3, 0xe2, 0x80, 0xed])])),
  interp: (b) => insertAt(b, pick(['${', '${a.b', '${oc.env:', '${item.x}', '${{ ', '${{ secrets.X }}', '}'])),
  jinja: (b) => insertAt(b, pick(['{{', '{{ x }}', '{%', '}}'])),
  deep: (b) => insertAt(b, '\n' + deep(50 + int(1500)) + '\n'),
  dupKey: (b) => lineAt(b, (l) => `${l}\n${l.replace(/:.*/, ':')}`),
  longLine: (b) => insertAt(b, 'x'.repeat(1000 + int(60_000))),
  collectionKey: (b) => insertAt(b, pick(['\n{}: 1\n', '\n[a, b]: 2\n', '\n? [x]\n: y\n'])),
  empty: () => Buffer.alloc(0),
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

function mutate(seed) {
  let b = seed;
  const used = [];
  for (let k = 1 + int(3); k > 0; k--) {
    const m = pick(MUTATOR_NAMES);
    used.push(m);
    b = MUTATORS[m](b);
  }
  return { data: b, used };
}

// ------------------------------------------------------------------ checks
function textIndex(text) {
  const lines = text.split(/\r\n|\r|\n/);
  return { lineCount: lines.length, lineLength: (l) => (lines[l] ?? '').length };
}

function fileText(abs) {
  try {
    const st = fs.statSync(abs);
    if (!st.isFile()) return '';
    return new TextDecoder('utf-8').decode(fs.readFileSync(abs)).replace(/^\ufeff/, '');
  } catch {
    return '';
  }
}

function positionsOutside(root, findings) {
  const bad = [];
  const cache = new Map();
  for (const f of findings) {
    if (!cache.has(f.file)) cache.set(f.file, textIndex(fileText(path.join(root, f.file))));
    const idx = cache.get(f.file);
    for (const [line, col] of [
      [f.line, f.column],
      [f.endLine, f.endColumn],
    ]) {
      const l = line - 1;
      const c = col - 1;
      if (!(l >= 0 && l < idx.lineCount && c >= 0 && c <= idx.lineLength(l)))
        bad.push(`${f.code} ${f.file}:${line}:${col} outside its file (${idx.lineCount} lines, line length ${idx.lineLength(l)})`);
    }
  }
  return bad;
}

function listing(root) {
  const out = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const st = fs.lstatSync(p);
      out.set(path.relative(root, p), `${st.size}:${st.mtimeMs}:${st.mode}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

function validSarif(text) {
  const s = JSON.parse(text);
  if (s.version !== '2.1.0' || !Array.isArray(s.runs) || !s.runs.length) return 'not SARIF 2.1.0 with runs';
  for (const r of s.runs[0].results ?? []) {
    if (typeof r.ruleId !== 'string' || typeof r.message?.text !== 'string') return `result without ruleId/message: ${JSON.stringify(r).slice(0, 200)}`;
    for (const loc of r.locations ?? []) {
      const reg = loc.physicalLocation?.region;
      if (reg && !(reg.startLine >= 1 && (reg.startColumn ?? 1) >= 1)) return `bad region ${JSON.stringify(reg)}`;
      const uri = loc.physicalLocation?.artifactLocation?.uri;
      if (typeof uri !== 'string' || uri.startsWith('/') || uri.includes('..')) return `bad uri ${uri}`;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ one batch
const tmpBase = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-fuzz-'));
const cacheHome = path.join(tmpBase, 'cache');
const canary = path.join(tmpBase, 'outside', 'canary.yaml');
fs.mkdirSync(path.dirname(canary), { recursive: true });
fs.writeFileSync(canary, 'secret: canary\n');

function writeInput(root, rel, data) {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, data);
}

function runBatch(b, count) {
  const root = path.join(tmpBase, `batch-${b}`);
  fs.mkdirSync(root, { recursive: true });
  const inputs = [];
  for (let i = 0; i < count; i++) {
    const { data, used } = mutate(pick(seeds));
    // a few inputs at the top level (pyproject.toml and .gitignore are read there), the rest one folder each
    const name = pick(NAMES);
    const rel = i < 6 ? name : `c${String(i).padStart(3, '0')}/${name}`;
    if (inputs.some((x) => x.rel === rel)) continue;
    writeInput(root, rel, data);
    inputs.push({ rel, used });
  }
  // symlinks out of the workspace, to a canary whose read the hook would record
  for (const rel of ['params.yaml', `c900/${pick(NAMES)}`, 'c901/dvc.yaml', 'c902/requirements.txt']) {
    const abs = path.join(root, rel);
    if (fs.existsSync(abs)) continue;
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.symlinkSync(canary, abs);
    inputs.push({ rel, used: ['symlink-outside'] });
  }
  const useGit = b % 2 === 0;
  if (useGit) {
    spawnSync('git', ['init', '-q'], { cwd: root });
    spawnSync('git', ['add', '-A'], { cwd: root });
  }
  const before = listing(root);
  const failures = [];
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  for (const format of ['json', 'sarif']) {
    const logFile = path.join(tmpBase, `fs-${b}-${format}.json`);
    const cliArgs = ['--require', HOOK, CLI, 'check', root, '--format', format, ...(useGit ? [] : ['--no-git'])];
    const r = spawnSync(process.execPath, cliArgs, { env: { ...env, FUZZ_FS_LOG: logFile }, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 1 << 30 });
    if (r.error || r.signal) failures.push(`${format}: ${r.error?.message ?? r.signal} (hang or crash)`);
    else if (r.status !== 0 && r.status !== 1) failures.push(`${format}: exit ${r.status}: ${r.stderr.slice(0, 400)}`);
    // stderr is for the CLI's own messages (its `note: ` lines), not a library's warnings or a stack trace
    const foreign = (r.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('note: '));
    if (foreign.length && !r.error) failures.push(`${format}: stderr: ${foreign.slice(0, 3).join(' | ').slice(0, 300)}`);
    if (r.status === 0 || r.status === 1) {
      try {
        if (format === 'json') {
          const findings = JSON.parse(r.stdout).findings;
          for (const f of findings.filter((x) => x.code === 'MLH000')) failures.push(`MLH000 ${f.file}: ${f.message}`);
          failures.push(...positionsOutside(root, findings));
        } else {
          const bad = validSarif(r.stdout);
          if (bad) failures.push(`sarif: ${bad}`);
        }
      } catch (e) {
        failures.push(`${format}: invalid output: ${e.message}`);
      }
    }
    try {
      const { read, write } = JSON.parse(fs.readFileSync(logFile, 'utf8'));
      const realRoot = fs.realpathSync(root);
      const allowed = [
        realRoot,
        fs.realpathSync(path.dirname(CLI)),
        fs.realpathSync(path.join(ROOT, 'node_modules')),
        cacheHome,
        '/proc/',
        '/sys/',
        '/dev/null',
        '/etc/',
      ];
      for (const p of read) {
        if (p === fs.realpathSync(canary)) failures.push(`read the canary outside the workspace through a symlink`);
        else if (!allowed.some((a) => p === a || p.startsWith(a.endsWith('/') ? a : a + path.sep))) failures.push(`read outside the workspace: ${p}`);
      }
      for (const p of write) if (p === realRoot || p.startsWith(realRoot + path.sep)) failures.push(`wrote inside the workspace: ${p}`);
    } catch (e) {
      failures.push(`${format}: no fs log (${e.message})`);
    }
  }
  const after = listing(root);
  for (const [p, v] of after) if (before.get(p) !== v) failures.push(`changed inside the workspace: ${p}`);
  for (const p of before.keys()) if (!after.has(p)) failures.push(`removed inside the workspace: ${p}`);
  return { root, inputs, failures: [...new Set(failures)] };
}

// ------------------------------------------------------------------ main
if (!fs.existsSync(CLI)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}
const t0 = Date.now();
let done = 0;
let failed = 0;
for (let b = 0; done < INPUTS; b++) {
  const n = Math.min(BATCH, INPUTS - done);
  const { root, inputs, failures } = runBatch(b, n);
  done += inputs.filter((i) => i.used[0] !== 'symlink-outside').length || n;
  if (failures.length) {
    failed++;
    console.log(`batch ${b} (${useGitLabel(b)}, ${inputs.length} files) FAILED${KEEP ? ` (kept: ${root})` : ''}`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
  } else {
    console.log(`batch ${b} (${useGitLabel(b)}, ${inputs.length} files): ok`);
  }
  if (!(KEEP && failures.length)) fs.rmSync(root, { recursive: true, force: true });
}
console.log(`fuzz: ${done} inputs, seed ${SEED}, ${failed} failing batch(es), ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (!KEEP || !failed) fs.rmSync(tmpBase, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

function useGitLabel(b) {
  return b % 2 === 0 ? 'git' : '--no-git';
}
