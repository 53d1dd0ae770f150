import * as fs from 'node:fs';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import ignore from 'ignore';
import { parse as parseToml } from 'smol-toml';
import { YamlDocument } from '../../text/yamlDocument';
import type { Workspace } from '../../workspace';
import { cacheDirOf, dvcRootOf, dvcRoots, readDvcConfig } from './dvcConfig';
import { isDvcFile, readDvcFile, readDvcLock, readPipelineFacts, type RecordedEntry } from './dvcFiles';
import { HashCache } from './hashCache';
import { TreeHasher, type HashProgress, type PathHash } from './tree';

// The shapes match DvcItemStatus / DvcStageStatus / DvcStatusResult of shared/protocol.ts (the engine does not import it).
export type DataItemState = 'in-sync' | 'modified' | 'missing' | 'not-in-cache' | 'not-computed' | 'unknown';
export interface DataItemStatus {
  /** Workspace-relative path of the data (file or folder). */
  path: string;
  /** What tracks it: a `.dvc` file path, or `<dvc.yaml path>:<stage>`. */
  source: string;
  kind: 'dvc-file' | 'stage-out' | 'stage-dep';
  state: DataItemState;
  detail?: string;
  /** The hash recorded in the .dvc file or dvc.lock. */
  hash?: string;
  /** The hash in the workspace now, when computed. */
  currentHash?: string;
  /** Recorded by DVC 2 (no `hash: md5`): compared with the legacy md5-dos2unix hash. */
  legacyHash?: boolean;
}
export interface DataStageStatus {
  /** `train`, or `sub/dvc.yaml:train` for a pipeline in a subfolder. */
  name: string;
  state: 'up-to-date' | 'changed' | 'never-run' | 'unknown';
  /** Human explanations, e.g. "data/processed changed". */
  changes: string[];
}
export interface DataStatus {
  items: DataItemStatus[];
  stages: DataStageStatus[];
  durationMs: number;
  /** Files whose contents were read, and files answered from the hash cache. */
  filesHashed: number;
  filesFromCache: number;
  bytesHashed: number;
  notes: string[];
}

export interface DataStatusOptions {
  /** Folder for the hash cache, outside the workspace (undefined: in memory only). */
  cacheDir?: string;
  signal?: { aborted: boolean };
  onProgress?: (p: HashProgress) => void;
}

interface Planned {
  entry: RecordedEntry;
  item: DataItemStatus;
  abs: string;
  /** The local DVC cache folder of the project the path belongs to. */
  cacheAbs: string;
  /** Whether to check the local DVC cache for the object. */
  checkCache: boolean;
}

/**
 * The native `dvc status`: compares what `.dvc` files and dvc.lock record with the workspace, hashing as DVC does, with a
 * hash cache so that a second status with no change reads no file contents. Never runs dvc.
 */
export async function dataStatus(ws: Workspace, opts: DataStatusOptions = {}): Promise<DataStatus> {
  const t0 = performance.now();
  const notes: string[] = [];
  const roots = dvcRoots(ws);
  const configs = new Map(roots.map((r) => [r, readDvcConfig(ws, r)]));
  const cacheOf = (rel: string) => {
    const root = dvcRootOf(roots, rel);
    const cfg = configs.get(root) ?? readDvcConfig(ws, root);
    const c = cacheDirOf(cfg);
    return c.abs ?? ws.abs(c.rel ?? '.dvc/cache');
  };
  let dvcIgnore: { root: string; ig: ReturnType<typeof ignore> } | undefined;
  const di = ws.readText('.dvcignore');
  if (di.ok) dvcIgnore = { root: ws.root, ig: ignore().add(di.text) };

  const hashCache = HashCache.load(opts.cacheDir, ws.root);
  const hasher = new TreeHasher({ cache: hashCache, signal: opts.signal, onProgress: opts.onProgress, dvcIgnore });
  const planned: Planned[] = [];
  const stages: { status: DataStageStatus; items: Planned[]; params: { file: string; base: string; values: Record<string, unknown> }[] }[] = [];

  const plan = async (entry: RecordedEntry, item: Omit<DataItemStatus, 'path' | 'state'>, checkCache: boolean): Promise<Planned | undefined> => {
    if (entry.external) return undefined;
    if (entry.rel === undefined) {
      notes.push(`${item.source}: ${entry.path} is outside the workspace; not checked`);
      return undefined;
    }
    const p: Planned = {
      entry,
      item: { ...item, path: entry.rel, state: 'unknown', hash: entry.md5, ...(entry.hashName === 'md5-dos2unix' ? { legacyHash: true } : {}) },
      abs: ws.abs(entry.rel),
      cacheAbs: cacheOf(entry.rel),
      checkCache,
    };
    await hasher.add(p.abs, entry.hashName);
    planned.push(p);
    return p;
  };

  const files = [...ws.paths()].sort();
  for (const rel of files.filter(isDvcFile)) {
    const info = readDvcFile(ws, rel);
    if (!info) {
      notes.push(`${rel}: could not be read as a .dvc file`);
      continue;
    }
    for (const out of info.outs) await plan(out, { source: rel, kind: 'dvc-file' }, out.cache !== false);
  }
  for (const rel of files.filter((f) => f === 'dvc.lock' || f.endsWith('/dvc.lock'))) {
    const yamlRel = rel.replace(/dvc\.lock$/, 'dvc.yaml');
    const facts = readPipelineFacts(ws, yamlRel);
    const lock = readDvcLock(ws, rel, (s) => facts?.plain.get(s)?.wdir);
    if (!lock) {
      notes.push(`${rel}: could not be read`);
      continue;
    }
    const prefix = yamlRel === 'dvc.yaml' ? '' : `${yamlRel}:`;
    const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
    for (const st of lock.stages) {
      const source = `${yamlRel}:${st.name}`;
      const stage = { status: { name: prefix + st.name, state: 'unknown' as DataStageStatus['state'], changes: [] as string[] }, items: [] as Planned[], params: [] as { file: string; base: string; values: Record<string, unknown> }[] };
      const pf = facts?.plain.get(st.name);
      for (const d of st.deps) {
        const p = await plan(d, { source, kind: 'stage-dep' }, false);
        if (p) stage.items.push(p);
      }
      for (const o of st.outs) {
        // outs declared `cache: false` in dvc.yaml are never in the cache; for template stages we cannot tell: skip the check
        const cached = !!pf && !pf.uncached.has(o.path);
        const p = await plan(o, { source, kind: 'stage-out' }, cached);
        if (p) stage.items.push(p);
      }
      const wdir = pf?.wdir ? posix.join(dir, pf.wdir) : dir;
      for (const [file, values] of Object.entries(st.params)) stage.params.push({ file, base: wdir, values });
      stages.push(stage);
    }
    if (facts) {
      const locked = new Set(lock.stages.map((s) => s.name));
      for (const name of facts.plain.keys()) {
        if (!locked.has(name)) stages.push({ status: { name: prefix + name, state: 'never-run', changes: ['never run: not in dvc.lock'] }, items: [], params: [] });
      }
    }
  }
  for (const rel of files.filter((f) => f === 'dvc.yaml' || f.endsWith('/dvc.yaml'))) {
    if (files.includes(rel.replace(/dvc\.yaml$/, 'dvc.lock'))) continue;
    const facts = readPipelineFacts(ws, rel);
    const prefix = rel === 'dvc.yaml' ? '' : `${rel}:`;
    for (const name of facts?.plain.keys() ?? []) stages.push({ status: { name: prefix + name, state: 'never-run', changes: ['never run: there is no dvc.lock'] }, items: [], params: [] });
  }

  await hasher.run();

  for (const p of planned) judge(p, hasher.result(p.abs, p.entry.hashName));
  for (const s of stages) {
    if (s.status.state === 'never-run') continue;
    for (const p of s.items) {
      const what = p.item.kind === 'stage-out' ? `output ${p.item.path}` : p.item.path;
      if (p.item.state === 'modified') s.status.changes.push(`${what} changed`);
      else if (p.item.state === 'missing') s.status.changes.push(`${what} is missing`);
      else if (p.item.state === 'unknown') s.status.changes.push(`${what}: ${p.item.detail ?? 'could not be checked'}`);
    }
    for (const pr of s.params) s.status.changes.push(...paramChanges(ws, pr.base, pr.file, pr.values));
    s.status.state = s.status.changes.length ? 'changed' : 'up-to-date';
    // an output that matches but is not in the cache does not make the stage out of date; say it anyway
    for (const p of s.items) if (p.item.state === 'not-in-cache') s.status.changes.push(`output ${p.item.path} is not in the cache`);
  }

  hashCache.save();
  return {
    items: planned.map((p) => p.item),
    stages: stages.map((s) => s.status),
    durationMs: Math.round(performance.now() - t0),
    filesHashed: hasher.filesHashed,
    filesFromCache: hasher.filesFromCache,
    bytesHashed: hasher.bytesHashed,
    notes,
  };

  /** A `.dir` object found complete once is remembered in the hash cache: the next status checks only the .dir file. */
  function inLocalCache(cacheAbs: string, oid: string): { complete: boolean; missing: number } {
    if (oid.endsWith('.dir') && hashCache.isComplete(cacheAbs, oid) && cacheObjectPaths(cacheAbs, oid).some((x) => fs.existsSync(x))) return { complete: true, missing: 0 };
    const r = objectInCache(cacheAbs, oid);
    if (r.complete && oid.endsWith('.dir')) hashCache.markComplete(cacheAbs, oid);
    return r;
  }

  function judge(p: Planned, now: PathHash): void {
    const it = p.item;
    const recorded = p.entry.md5;
    const inCache = recorded && p.checkCache ? inLocalCache(p.cacheAbs, recorded) : undefined;
    if (now.kind === 'error') {
      it.state = 'unknown';
      it.detail = now.detail;
      return;
    }
    if (now.kind === 'missing') {
      it.state = 'missing';
      it.detail =
        it.kind === 'stage-dep'
          ? 'missing from the workspace'
          : inCache?.complete
            ? 'missing from the workspace; `dvc checkout` restores it from the cache'
            : p.checkCache && recorded
              ? 'missing from the workspace and not in the local cache; `dvc pull` fetches it'
              : 'missing from the workspace';
      return;
    }
    it.currentHash = now.md5;
    if (!recorded) {
      it.state = 'not-computed';
      it.detail = 'no hash recorded yet (run `dvc commit`)';
      return;
    }
    if (recorded !== now.md5) {
      it.state = 'modified';
      const verb = it.kind === 'dvc-file' ? `\`dvc add ${it.path}\` or \`dvc commit ${it.source}\` records it` : it.kind === 'stage-out' ? '`dvc repro` or `dvc commit` records it' : '`dvc repro` re-runs the stage';
      it.detail = `changed since it was recorded (${recorded} -> ${now.md5}); ${verb}`;
      return;
    }
    if (inCache && !inCache.complete) {
      it.state = 'not-in-cache';
      it.detail = inCache.missing === 1 && !recorded.endsWith('.dir') ? 'the data matches but is not in the local cache (`dvc commit` or `dvc pull`)' : `the data matches but ${inCache.missing} object(s) are not in the local cache (\`dvc commit\` or \`dvc pull\`)`;
      return;
    }
    it.state = 'in-sync';
    if (it.legacyHash) it.detail = 'recorded with a DVC 2 (md5-dos2unix) hash';
  }
}

/** Where DVC keeps an object: DVC 3 `files/md5/ab/cdef...`, DVC 2 `ab/cdef...` (both layouts can coexist). */
export function cacheObjectPaths(cacheAbs: string, oid: string): string[] {
  const a = oid.slice(0, 2);
  const b = oid.slice(2);
  return [path.join(cacheAbs, 'files', 'md5', a, b), path.join(cacheAbs, a, b)];
}

/** Whether an object (and, for a `.dir`, every file it lists) is in the local cache. */
export function objectInCache(cacheAbs: string, oid: string): { complete: boolean; missing: number } {
  const found = cacheObjectPaths(cacheAbs, oid).find((p) => fs.existsSync(p));
  if (!found) return { complete: false, missing: 1 };
  if (!oid.endsWith('.dir')) return { complete: true, missing: 0 };
  let list: unknown;
  try {
    list = JSON.parse(fs.readFileSync(found, 'utf8'));
  } catch {
    return { complete: false, missing: 1 };
  }
  if (!Array.isArray(list)) return { complete: false, missing: 1 };
  let missing = 0;
  for (const e of list) {
    const md5 = (e as { md5?: unknown }).md5;
    if (typeof md5 !== 'string' || !cacheObjectPaths(cacheAbs, md5).some((p) => fs.existsSync(p))) missing++;
  }
  return { complete: missing === 0, missing };
}

function lookup(obj: unknown, dotted: string): { found: boolean; value?: unknown } {
  if (obj && typeof obj === 'object' && !Array.isArray(obj) && dotted in (obj as object)) return { found: true, value: (obj as Record<string, unknown>)[dotted] };
  let cur: unknown = obj;
  for (const k of dotted.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(k)) cur = cur[Number(k)];
    else if (cur && typeof cur === 'object' && k in (cur as object)) cur = (cur as Record<string, unknown>)[k];
    else return { found: false };
  }
  return { found: true, value: cur };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** Locked params values against the params file now: "params.yaml: train.lr changed (0.1 -> 0.01)". */
function paramChanges(ws: Workspace, base: string, file: string, locked: Record<string, unknown>): string[] {
  const rel = base ? posix.join(base, file) : file;
  const r = ws.readText(rel);
  if (!r.ok) return [`${file} is ${r.reason === 'missing' ? 'missing' : 'unreadable'}`];
  let data: unknown;
  try {
    if (rel.endsWith('.json')) data = JSON.parse(r.text);
    else if (rel.endsWith('.toml')) data = parseToml(r.text);
    else if (rel.endsWith('.py')) return []; // Python params files need an interpreter's view; not compared
    else {
      const doc = ws.yaml(rel);
      if (!(doc instanceof YamlDocument) || doc.hasErrors) return [`${file} has syntax errors`];
      data = doc.toJS();
    }
  } catch {
    return [`${file} cannot be parsed`];
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(locked)) {
    const now = lookup(data, key);
    if (!now.found) out.push(`${file}: ${key} was removed`);
    else if (!same(now.value, value)) out.push(`${file}: ${key} changed (${show(value)} -> ${show(now.value)})`);
  }
  return out;
}
