import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { simpleGit } from 'simple-git';
import type { ParamValue, RunSummary } from '../../../../shared/types';
import type { ReadResult, RunReader } from './types';
import {
  blobEntry,
  DEFAULT_PARAMS,
  documentCache,
  joinRel,
  parseDvcLockText,
  parseDvcYaml,
  repoPathOf,
  SnapshotFiles,
  stageWdirs,
  toJs,
  type DvcPathRef,
  type DvcYamlFile,
  type SnapshotEntry,
} from '../dvc/pipeline';
import { emptyRun, flattenMetrics, flattenParams, listDir, parseJsonLoose, parseYamlLoose, shellWord, statOrUndefined } from './util';

/** Namespaces under refs/exps that are DVC's machinery, not experiments. */
const SKIP = new Set(['stash', 'apply', 'celery', 'exec', 'temp', 'runs', 'branches']);
/** At most this many experiments are read (each costs a few git objects). */
export const MAX_EXPERIMENTS = 2000;

export interface ExpRef {
  ref: string;
  sha: string;
  baseline: string;
  name: string;
}

/** Parses `refs/exps/<sha[0:2]>/<sha[2:]>/<name>`; machinery namespaces (stash, apply, celery, exec, temp) are skipped. */
export function parseExpRef(ref: string, sha: string): ExpRef | undefined {
  const parts = ref.split('/');
  if (parts[0] !== 'refs' || parts[1] !== 'exps' || parts.length < 5) return undefined;
  if (SKIP.has(parts[2])) return undefined;
  if (!/^[0-9a-f]{2}$/.test(parts[2]) || !/^[0-9a-f]{38}$/.test(parts[3])) return undefined;
  return { ref, sha, baseline: parts[2] + parts[3], name: parts.slice(4).join('/') };
}

interface GitObject {
  type: string;
  content: Buffer;
}

/** Reads objects with one `git cat-file --batch` process (spawned with an argument array, no shell). */
export function catFileBatch(cwd: string, specs: string[]): Promise<Map<string, GitObject | undefined>> {
  return new Promise((resolve) => {
    const out = new Map<string, GitObject | undefined>();
    if (!specs.length) return resolve(out);
    const proc = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    proc.on('error', () => resolve(out));
    proc.on('close', () => {
      const buf = Buffer.concat(chunks);
      let pos = 0;
      for (const spec of specs) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) break;
        const header = buf.subarray(pos, nl).toString('utf8');
        pos = nl + 1;
        const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
        if (!m) {
          out.set(spec, undefined); // "<spec> missing"
          continue;
        }
        const size = Number(m[3]);
        out.set(spec, { type: m[2], content: buf.subarray(pos, pos + size) });
        pos += size + 1;
      }
      resolve(out);
    });
    proc.stdin.on('error', () => undefined);
    proc.stdin.end(specs.map((s) => s.replace(/\n/g, '')).join('\n') + '\n');
  });
}

interface CommitInfo {
  parents: string[];
  time?: number;
  message: string;
}

function parseCommit(o: GitObject | undefined): CommitInfo | undefined {
  if (!o || o.type !== 'commit') return undefined;
  const text = o.content.toString('utf8');
  const [head, ...msg] = text.split('\n\n');
  const parents = [...head.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]);
  const c = /^committer .* (\d+) [+-]\d{4}$/m.exec(head);
  return { parents, time: c ? Number(c[1]) * 1000 : undefined, message: msg.join('\n\n').trim() };
}

/**
 * Params and metrics files a dvc.yaml names, read by the engine's dvc.yaml reader (templated as DVC does: `vars`,
 * params.yaml values, `${...}`, foreach/matrix; paths joined with each stage's `wdir`): the top-level `params` and
 * `metrics` lists, the stages' params files and `metrics` outs. `params.yaml` always (DVC's default params file).
 */
export function dvcFilesOf(f: DvcYamlFile): { params: string[]; metrics: string[] } {
  const params = new Set<string>([DEFAULT_PARAMS]);
  const metrics = new Set<string>();
  const usable = (r: DvcPathRef): boolean => !r.external && !r.unresolved && !r.rel.startsWith('../');
  for (const r of f.topParams) if (usable(r)) params.add(r.rel);
  for (const r of f.topMetrics) if (usable(r)) metrics.add(r.rel);
  for (const s of f.stages) {
    for (const p of s.params) params.add(p.file);
    for (const o of s.outs) if (o.kind === 'metrics' && usable(o)) metrics.add(o.rel);
  }
  return { params: [...params].filter((p) => /\.(ya?ml|json)$/.test(p)), metrics: [...metrics].filter((m) => /\.(ya?ml|json)$/.test(m)) };
}

/** Blobs larger than this are not read. */
const MAX_BLOB = 4 * 1024 * 1024;
/** Rounds of fetching what a dvc.yaml's templating reads (vars files), after params.yaml. */
const MAX_ROUNDS = 3;

interface CommitFiles {
  pipeline: DvcYamlFile;
  params: string[];
  metrics: string[];
}

function parseData(name: string, o: GitObject | undefined): unknown {
  if (!o || o.type !== 'blob' || o.content.length > MAX_BLOB) return undefined;
  const text = o.content.toString('utf8');
  try {
    return name.endsWith('.json') ? parseJsonLoose(text) : parseYamlLoose(text, name).value;
  } catch {
    return undefined;
  }
}

/**
 * Params of a commit: the params files themselves, else dvc.lock's recorded params (what the run used; read by the
 * engine's dvc.lock reader, files relative to each stage's wdir).
 */
function paramsAt(sha: string, objs: Map<string, GitObject | undefined>, at: CommitFiles, prefix: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const files = at.params;
  const lockObj = objs.get(`${sha}:${prefix}dvc.lock`);
  const lockText = blobEntry(lockObj, MAX_BLOB);
  const fromLock: Record<string, Record<string, unknown>> = {};
  if (lockText.ok) {
    const wdirs = stageWdirs(at.pipeline);
    for (const [name, st] of parseDvcLockText('dvc.lock', lockText.text).stages) {
      for (const [file, kv] of st.params) {
        const rel = joinRel(wdirs.get(name) ?? '', file);
        for (const [k, v] of kv) (fromLock[rel] ??= {})[k] = toJs(v.value);
      }
    }
  }
  for (const file of files) {
    const data = parseData(file, objs.get(`${sha}:${prefix}${file}`));
    const flat = data !== undefined ? flattenParams(data) : flattenParams(fromLock[file] ?? {});
    for (const [k, v] of Object.entries(flat)) out[file === 'params.yaml' ? k : `${file}:${k}`] = v;
  }
  return out;
}

function metricsAt(sha: string, objs: Map<string, GitObject | undefined>, files: string[], prefix: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const file of files) {
    const data = parseData(file, objs.get(`${sha}:${prefix}${file}`));
    const flat = flattenMetrics(data);
    for (const [k, v] of Object.entries(flat)) out[files.length > 1 ? `${file}:${k}` : k] = v;
  }
  return out;
}

/** Folders whose mtimes change when an experiment ref is added or removed (loose refs), plus packed-refs. */
function refDeps(gitDir: string): string[] {
  const deps = [path.join(gitDir, 'packed-refs'), path.join(gitDir, 'refs', 'exps')];
  for (const a of listDir(path.join(gitDir, 'refs', 'exps'))) {
    if (!a.isDirectory() || SKIP.has(a.name)) continue;
    deps.push(path.join(gitDir, 'refs', 'exps', a.name));
    for (const b of listDir(path.join(gitDir, 'refs', 'exps', a.name))) if (b.isDirectory()) deps.push(path.join(gitDir, 'refs', 'exps', a.name, b.name));
  }
  return deps;
}

export const dvcExpsReader: RunReader = {
  source: 'dvc-exp',

  watchPrefixes() {
    return ['.git/refs/exps/', '.git/packed-refs'];
  },

  discover(ctx) {
    // untrusted workspace: no git process (the index adds a note)
    if (!ctx.useGit || !statOrUndefined(path.join(ctx.root, '.git'))) return [];
    return [{ key: 'dvc-exp', source: 'dvc-exp', path: path.join(ctx.root, '.git') }];
  },

  async read(loc, ctx): Promise<ReadResult> {
    const git = simpleGit({ baseDir: ctx.root });
    let gitDir = loc.path;
    let prefix = '';
    try {
      gitDir = path.resolve(ctx.root, (await git.raw(['rev-parse', '--git-common-dir'])).trim());
      prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
    } catch {
      return { runs: [], deps: [loc.path] };
    }
    const deps = refDeps(gitDir);
    let listing = '';
    try {
      listing = await git.raw(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/exps/']);
    } catch {
      return { runs: [], deps };
    }
    const refs = listing
      .split('\n')
      .map((l) => l.trim().split(' '))
      .map(([ref, sha]) => (ref && sha ? parseExpRef(ref, sha) : undefined))
      .filter((r): r is ExpRef => !!r);
    if (!refs.length) return { runs: [], deps };
    const warnings: string[] = [];
    if (refs.length > MAX_EXPERIMENTS) {
      warnings.push(`${refs.length} experiments: only the ${MAX_EXPERIMENTS} first are shown`);
      refs.length = MAX_EXPERIMENTS;
    }
    const baselines = [...new Set(refs.map((r) => r.baseline))];
    const commits = [...refs.map((r) => r.sha), ...baselines];
    // each commit's dvc.yaml is read by the engine's dvc.yaml reader over that commit's blobs: round 1 fetches the
    // commits, dvc.yaml, dvc.lock and params.yaml; a parse that reads another file (a `vars` file) has it fetched and
    // parses again; then the params and metrics files it names are fetched (one `git cat-file --batch` per round)
    const objs = new Map<string, GitObject | undefined>();
    const specOf = (c: string, rel: string): string | undefined => {
      const p = repoPathOf(prefix, rel);
      return p === undefined ? undefined : `${c}:${p}`;
    };
    const lookupAt =
      (c: string) =>
      (rel: string): SnapshotEntry => {
        const spec = specOf(c, rel);
        if (spec === undefined) return { ok: false, reason: 'missing', detail: 'it is outside the repository' };
        return objs.has(spec) ? blobEntry(objs.get(spec), MAX_BLOB) : undefined;
      };
    const filesOf = new Map<string, CommitFiles>();
    const docs = documentCache();
    const pending = new Set(commits);
    let specs = new Set<string>();
    for (const c of commits) for (const s of [c, ...['dvc.yaml', 'dvc.lock', DEFAULT_PARAMS].map((f) => specOf(c, f)!)]) specs.add(s);
    for (let round = 0; specs.size; round++) {
      for (const [k, v] of await catFileBatch(ctx.root, [...specs])) objs.set(k, v);
      for (const s of specs) if (!objs.has(s)) objs.set(s, undefined); // not answered: missing
      specs = new Set();
      for (const c of [...pending]) {
        const files = new SnapshotFiles(lookupAt(c), docs);
        const pipeline = parseDvcYaml(files, 'dvc.yaml');
        const wanted = [...files.wanted].map((rel) => specOf(c, rel)).filter((s): s is string => s !== undefined && !objs.has(s));
        if (wanted.length && round < MAX_ROUNDS) {
          for (const s of wanted) specs.add(s);
          continue;
        }
        pending.delete(c);
        const named = dvcFilesOf(pipeline);
        filesOf.set(c, { pipeline, ...named });
        for (const file of [...named.params, ...named.metrics]) {
          const s = specOf(c, file);
          if (s !== undefined && !objs.has(s)) specs.add(s);
        }
      }
    }

    const runs: RunSummary[] = [];
    const baseParams = new Map<string, Record<string, ParamValue>>();
    for (const b of baselines) {
      const info = parseCommit(objs.get(b));
      const f = filesOf.get(b)!;
      const run = emptyRun({
        id: `dvc-exp:baseline:${b}`,
        source: 'dvc-exp',
        name: `${b.slice(0, 7)} (baseline)`,
        experiment: `baseline ${b.slice(0, 7)}`,
        status: 'finished',
        gitCommit: b,
        workspaceFolder: ctx.root,
        details: { baseline: b },
      });
      run.startTime = info?.time;
      if (!info) run.warnings.push(`baseline commit ${b.slice(0, 7)} is not in this repository (shallow clone or garbage-collected)`);
      else run.details!.message = info.message.split('\n')[0];
      run.params = paramsAt(b, objs, f, prefix);
      run.metrics = metricsAt(b, objs, f.metrics, prefix);
      baseParams.set(b, run.params);
      runs.push(run);
    }
    for (const r of refs) {
      const info = parseCommit(objs.get(r.sha));
      const f = filesOf.get(r.sha)!;
      const run = emptyRun({
        id: `dvc-exp:${r.baseline}/${r.name}`,
        source: 'dvc-exp',
        name: r.name,
        experiment: `baseline ${r.baseline.slice(0, 7)}`,
        status: 'finished',
        gitCommit: r.sha,
        workspaceFolder: ctx.root,
        details: { ref: r.ref, baseline: r.baseline },
      });
      if (!info) run.warnings.push(`the commit of ${r.ref} cannot be read`);
      else {
        run.startTime = info.time;
        if (info.parents[0] && info.parents[0] !== r.baseline) run.details!.parent = info.parents[0];
        const m = /dvc: commit experiment ([0-9a-f]+)/.exec(info.message);
        if (m) run.details!.expHash = m[1];
      }
      run.params = paramsAt(r.sha, objs, f, prefix);
      run.metrics = metricsAt(r.sha, objs, f.metrics, prefix);
      const base = baseParams.get(r.baseline) ?? {};
      const changed = Object.entries(run.params).filter(([k, v]) => base[k] !== v && !k.includes(':'));
      run.command = ['dvc', 'exp', 'run', ...changed.flatMap(([k, v]) => ['-S', shellWord(`${k}=${v === null ? 'null' : String(v)}`)])].join(' ');
      run.details!.apply = `dvc exp apply ${r.name}`;
      if (warnings.length) run.warnings.push(...warnings);
      runs.push(run);
    }
    return { runs, deps };
  },
};
