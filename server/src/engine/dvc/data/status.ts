import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile } from '../../regularFile';
import ignore from 'ignore';
import type { Workspace } from '../../workspace';
import { cacheDirOf, dvcRootOf, dvcRoots, readDvcConfig } from './dvcConfig';
import { changedParams, cmdText, displayValue, isExternalPath, joinRel, loadDvcPipeline } from '../pipeline';
import { isDvcFile, lockedEntry, readDvcFile, type RecordedEntry } from './dvcFiles';
import { HashCache } from './hashCache';
import type { StatPool } from './statPool';
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
  /** Worker threads for the walk of big tracked folders, started ahead by the caller (who closes them). */
  pool?: StatPool;
}

/** A locked stage being checked: its data items, and the changes known without hashing (command, params, ...). */
interface PlannedStage {
  status: DataStageStatus;
  items: Planned[];
  fixed: string[];
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
  const hasher = new TreeHasher({ cache: hashCache, signal: opts.signal, onProgress: opts.onProgress, dvcIgnore, pool: opts.pool });
  const planned: Planned[] = [];
  const stages: PlannedStage[] = [];

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
  // pipelines: the stages as the pipeline family reads them (templating done: `train@us`), against their dvc.lock
  const pipeline = loadDvcPipeline(ws);
  for (const f of pipeline.files) {
    const prefix = f.file === 'dvc.yaml' ? '' : `${f.file}:`;
    if (f.unreadable) {
      notes.push(`${f.file}: could not be read (${f.unreadable})`);
      continue;
    }
    const lock = pipeline.lockOf(f.file);
    if (lock?.unreadable) {
      notes.push(`${lock.file}: could not be read (${lock.unreadable})`);
      continue;
    }
    for (const s of f.stages) {
      const locked = lock?.stages.get(s.name);
      if (!locked) {
        if (!s.frozen)
          stages.push({
            status: { name: prefix + s.name, state: 'never-run', changes: [lock ? 'never run: not in dvc.lock' : 'never run: there is no dvc.lock'] },
            items: [],
            fixed: [],
          });
        continue;
      }
      const stage: PlannedStage = { status: { name: prefix + s.name, state: 'unknown', changes: [] }, items: [], fixed: [] };
      const source = `${f.file}:${s.name}`;
      // a frozen stage's deps are not checked (DVC neither): only its outputs
      if (!s.frozen) {
        for (const d of locked.deps) {
          const p = await plan(lockedEntry(d, s.wdir), { source, kind: 'stage-dep' }, false);
          if (p) stage.items.push(p);
        }
      }
      for (const o of locked.outs) {
        const e = lockedEntry(o, s.wdir);
        // outs declared `cache: false` in dvc.yaml are never in the cache
        const declared = s.outs.find((x) => !x.unresolved && x.rel === e.rel);
        const p = await plan(e, { source, kind: 'stage-out' }, declared?.cache ?? true);
        if (p) stage.items.push(p);
      }
      // what dvc.yaml says now against what ran: command, deps and outs added or removed, params
      if (!s.cmdUnresolved && s.cmdValue !== undefined && locked.cmd !== undefined && cmdText(s.cmdValue) !== cmdText(locked.cmd))
        stage.fixed.push('command changed');
      const relOf = (p: string) => (isExternalPath(p) ? p : joinRel(s.wdir, p));
      const lockedDeps = new Set(locked.deps.map((d) => relOf(d.path)));
      const lockedOuts = new Set(locked.outs.map((o) => relOf(o.path)));
      for (const d of s.deps) if (!s.frozen && !d.external && !d.unresolved && !lockedDeps.has(d.rel)) stage.fixed.push(`${d.rel} is a new dependency`);
      for (const o of s.outs) if (!o.external && !o.unresolved && !lockedOuts.has(o.rel)) stage.fixed.push(`output ${o.rel} is new`);
      if (!f.problems.length) {
        const declaredDeps = new Set(s.deps.map((d) => d.rel));
        const declaredOuts = new Set(s.outs.map((o) => o.rel));
        for (const d of lockedDeps) if (!s.frozen && !declaredDeps.has(d)) stage.fixed.push(`${d} is no longer a dependency`);
        for (const o of lockedOuts) if (!declaredOuts.has(o)) stage.fixed.push(`output ${o} is no longer declared`);
      }
      if (!s.frozen) {
        for (const file of locked.params.keys()) {
          const pf = pipeline.params(joinRel(s.wdir, file));
          if (!pf.ok) stage.fixed.push(`${pf.file} is ${pf.missing ? 'missing' : 'unreadable'}`);
        }
        for (const c of changedParams(pipeline, s, locked)) {
          stage.fixed.push(
            c.state === 'new'
              ? `${c.file}: ${c.key} is new`
              : c.state === 'deleted'
                ? `${c.file}: ${c.key} was removed`
                : `${c.file}: ${c.key} changed (${short(displayValue(c.then))} -> ${short(displayValue(c.now))})`,
          );
        }
      }
      if (s.alwaysChanged) stage.fixed.push('always changed');
      stages.push(stage);
    }
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
    s.status.changes.push(...s.fixed);
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
    if (oid.endsWith('.dir') && hashCache.isComplete(cacheAbs, oid) && cacheObjectPaths(cacheAbs, oid).some((x) => fs.existsSync(x)))
      return { complete: true, missing: 0 };
    const r = objectInCache(cacheAbs, oid);
    if (r.complete && oid.endsWith('.dir')) hashCache.markComplete(cacheAbs, oid);
    return r;
  }

  function judge(p: Planned, now: PathHash): void {
    const it = p.item;
    const recorded = p.entry.md5;
    const inCache = recorded && p.checkCache ? (p.entry.files ? filesInCache(p.cacheAbs, p.entry.files) : inLocalCache(p.cacheAbs, recorded)) : undefined;
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
      const verb =
        it.kind === 'dvc-file'
          ? `\`dvc add ${it.path}\` or \`dvc commit ${it.source}\` records it`
          : it.kind === 'stage-out'
            ? '`dvc repro` or `dvc commit` records it'
            : '`dvc repro` re-runs the stage';
      it.detail = `changed since it was recorded (${recorded} -> ${now.md5}); ${verb}`;
      return;
    }
    if (inCache && !inCache.complete) {
      it.state = 'not-in-cache';
      it.detail =
        inCache.missing === 1 && !recorded.endsWith('.dir')
          ? 'the data matches but is not in the local cache (`dvc commit` or `dvc pull`)'
          : `the data matches but ${inCache.missing} object(s) are not in the local cache (\`dvc commit\` or \`dvc pull\`)`;
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

/** Whether the objects of a `files:` list (no `.dir` object is recorded for it) are all in the local cache. */
function filesInCache(cacheAbs: string, files: readonly { md5: string }[]): { complete: boolean; missing: number } {
  const missing = files.filter((f) => !cacheObjectPaths(cacheAbs, f.md5).some((p) => fs.existsSync(p))).length;
  return { complete: missing === 0, missing };
}

/** Whether an object (and, for a `.dir`, every file it lists) is in the local cache. */
export function objectInCache(cacheAbs: string, oid: string): { complete: boolean; missing: number } {
  const found = cacheObjectPaths(cacheAbs, oid).find((p) => fs.existsSync(p));
  if (!found) return { complete: false, missing: 1 };
  if (!oid.endsWith('.dir')) return { complete: true, missing: 0 };
  let list: unknown;
  try {
    list = JSON.parse(readRegularFile(found).toString('utf8'));
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

function short(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}
