/**
 * DVC pipelines read from the files, as DVC reads them (no dvc CLI).
 *
 * API (for rules, editor features, the native status and the CLI):
 *   dvcPipeline(ctx)            the parsed pipeline of the workspace, memoised per check pass through `ctx.memo`
 *                               (pass `{ ws }` outside a check pass: it is then computed afresh). Never throws.
 *   DvcPipeline.files           every dvc.yaml: its stages (templating done: generated names `train@us`,
 *                               `sweep@0.1-a`), problems (template/vars errors on the exact span), the YAML document
 *   DvcPipeline.stages          all stages of all dvc.yaml files; paths resolved against the stage's wdir to
 *                               workspace-relative POSIX paths (DvcStage.deps/outs/params)
 *   DvcPipeline.lockOf(file)    the parsed dvc.lock next to a dvc.yaml (structure and recorded hashes, no hashing)
 *   DvcPipeline.lockedStage(s)  the dvc.lock entry of a stage, if any
 *   DvcPipeline.dvcFiles        `.dvc` files with their out paths (workspace-relative)
 *   DvcPipeline.producersOf(p)  stages whose outs are, contain or lie inside `p`
 *   DvcPipeline.dvcFileTracking(p)  the `.dvc` file whose out is, contains or lies inside `p`
 *   DvcPipeline.isFolder(p)     whether `p` is a folder: on disk, recorded as one (a `.dir` md5, `nfiles`, a `files:`
 *                               list, in a `.dvc` file or dvc.lock), or holding another path the pipeline names;
 *                               answers before `dvc pull` too (git's `name/` patterns match folders only)
 *   DvcPipeline.params(file)    a params file loaded with DVC's loader for its suffix (cached per pipeline)
 *   DvcPipeline.cycles()        stage cycles (each a list of stages)
 *
 * The readers themselves, for files that are not the workspace's (a commit's blobs: experiments, data versions):
 *   parseDvcYaml(files, file)   dvc.yaml through any PipelineFiles (SnapshotFiles: a commit's blobs, with its
 *                               params.yaml and vars files); parseDvcYamlFrom(file, read) fetches them one by one
 *   parseDvcLockText(file, t)   dvc.lock from its text (parseDvcLock reads the workspace's with the same code)
 *   dvcFileFromValue (../data)  a .dvc file's parsed contents (readDvcFile reads the workspace's)
 */
import type { Range } from '../../types';
import type { Workspace } from '../../workspace';
import { YamlDocument } from '../../text/yamlDocument';
import { isMap, isSeq, type Node } from 'yaml';
import { parseDvcLock, type DvcLock, type LockStage } from './dvcLock';
import { joinRel, parseDvcYaml, type DvcStage, type DvcYamlFile } from './dvcYaml';
import { loadParamsFile, type ParamsFile } from './paramsFile';
import { isDvcFile, readDvcFile, recordedAsFolder } from '../data/dvcFiles';

export * from './dvcYaml';
export * from './files';
export * from './dvcLock';
export * from './paramsFile';
export * from './values';
export * from './compare';
export { Context, interpolate, parseKey, TemplateError, TEMPLATE_RE, toStr } from './template';

export interface DvcFileOuts {
  file: string;
  /** `folder`: recorded as a folder (see recordedAsFolder); `cache`: `cache:` as written; `range`: the `path` value. */
  outs: { path: string; rel: string; range: Range; folder: boolean; cache?: boolean }[];
}

export interface DvcPipeline {
  files: DvcYamlFile[];
  stages: DvcStage[];
  dvcFiles: DvcFileOuts[];
  lockOf(dvcYaml: string): DvcLock | undefined;
  lockedStage(stage: DvcStage): LockStage | undefined;
  producersOf(rel: string): DvcStage[];
  dvcFileTracking(rel: string): DvcFileOuts | undefined;
  isFolder(rel: string): boolean;
  params(file: string): ParamsFile;
  cycles(): DvcStage[][];
}

export function isDvcYaml(rel: string): boolean {
  return rel === 'dvc.yaml' || rel.endsWith('/dvc.yaml');
}

export function isDvcLock(rel: string): boolean {
  return rel === 'dvc.lock' || rel.endsWith('/dvc.lock');
}

export { isDvcFile };

/** `a` is `b`, or one lies inside the other (DVC's overlapping paths). */
export function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(b + '/') || b.startsWith(a + '/');
}

export function lockPathFor(dvcYaml: string): string {
  return dvcYaml.slice(0, -'dvc.yaml'.length) + 'dvc.lock';
}

export function dvcPipeline(ctx: { ws: Workspace; memo?: <T>(key: string, compute: () => T) => T }): DvcPipeline {
  return ctx.memo ? ctx.memo('dvc.pipeline', () => loadDvcPipeline(ctx.ws)) : loadDvcPipeline(ctx.ws);
}

export function loadDvcPipeline(ws: Workspace): DvcPipeline {
  const yamls: string[] = [];
  const dvcs: string[] = [];
  for (const p of ws.paths()) {
    if (isDvcYaml(p)) yamls.push(p);
    else if (isDvcFile(p)) dvcs.push(p);
  }
  yamls.sort();
  dvcs.sort();
  const files = yamls.map((f) => parseDvcYaml(ws, f));
  const stages = files.flatMap((f) => f.stages);
  const dvcFiles = dvcs.map((f) => readDvcFileOuts(ws, f));
  const locks = new Map<string, DvcLock | undefined>();
  const paramsCache = new Map<string, ParamsFile>();
  const lockOf = (dvcYaml: string): DvcLock | undefined => {
    if (!locks.has(dvcYaml)) locks.set(dvcYaml, parseDvcLock(ws, lockPathFor(dvcYaml)));
    return locks.get(dvcYaml);
  };
  let cycles: DvcStage[][] | undefined;
  let recordedFolders: Set<string> | undefined;
  let named: string[] | undefined;
  const lockedStage = (s: DvcStage): LockStage | undefined => lockOf(s.file)?.stages.get(s.name);
  return {
    files,
    stages,
    dvcFiles,
    lockOf,
    lockedStage,
    producersOf: (rel) => stages.filter((s) => s.outs.some((o) => !o.external && !o.unresolved && overlaps(o.rel, rel))),
    dvcFileTracking: (rel) => dvcFiles.find((d) => d.outs.some((o) => overlaps(o.rel, rel))),
    isFolder: (rel) => {
      if (!rel) return true;
      if (ws.isDirectory(rel)) return true;
      if (!recordedFolders) {
        recordedFolders = new Set(dvcFiles.flatMap((d) => d.outs.filter((o) => o.folder).map((o) => o.rel)));
        for (const s of stages) {
          const l = lockedStage(s);
          for (const e of [...(l?.deps ?? []), ...(l?.outs ?? [])]) if (!e.repo && recordedAsFolder(e)) recordedFolders.add(joinRel(s.wdir, e.path));
        }
      }
      if (recordedFolders.has(rel)) return true;
      named ??= [
        ...dvcFiles.flatMap((d) => d.outs.map((o) => o.rel)),
        ...stages.flatMap((s) => [...s.deps, ...s.outs].filter((r) => !r.external && !r.unresolved).map((r) => r.rel)),
      ];
      return named.some((n) => n.startsWith(rel + '/'));
    },
    params: (file) => {
      let pf = paramsCache.get(file);
      if (!pf) paramsCache.set(file, (pf = loadParamsFile(ws, file)));
      return pf;
    },
    cycles: () => (cycles ??= findCycles(stages)),
  };
}

/** A `.dvc` file's outs (read by readDvcFile, the one reader), with the range of each `path` value. */
function readDvcFileOuts(ws: Workspace, file: string): DvcFileOuts {
  const res: DvcFileOuts = { file, outs: [] };
  const info = readDvcFile(ws, file);
  const y = ws.yaml(file);
  if (!info || !(y instanceof YamlDocument)) return res;
  const outs = YamlDocument.pair(y.rootMap, 'outs')?.value;
  const items = isSeq(outs) ? outs.items : [];
  for (const o of info.outs) {
    const item = o.index !== undefined ? items[o.index] : undefined;
    if (o.rel === undefined || !isMap(item)) continue;
    const p = YamlDocument.pair(item, 'path');
    res.outs.push({
      path: o.path,
      rel: o.rel,
      range: y.rangeOf((p?.value ?? item) as Node),
      folder: o.folder,
      ...(o.cache !== undefined ? { cache: o.cache } : {}),
    });
  }
  return res;
}

/** Stage B depends on stage A when one of B's deps overlaps one of A's outs. Returns each elementary cycle once. */
function findCycles(stages: DvcStage[]): DvcStage[][] {
  const edges = new Map<DvcStage, DvcStage[]>();
  for (const b of stages) {
    const ups: DvcStage[] = [];
    for (const a of stages) {
      if (a === b) continue;
      if (b.deps.some((d) => !d.external && !d.unresolved && a.outs.some((o) => !o.external && !o.unresolved && overlaps(o.rel, d.rel)))) ups.push(a);
    }
    edges.set(b, ups);
  }
  // Tarjan's strongly connected components: every component with more than one stage is a cycle
  let index = 0;
  const idx = new Map<DvcStage, number>();
  const low = new Map<DvcStage, number>();
  const stack: DvcStage[] = [];
  const on = new Set<DvcStage>();
  const out: DvcStage[][] = [];
  const visit = (v: DvcStage): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: DvcStage[] = [];
      let w: DvcStage;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.reverse());
    }
  };
  for (const s of stages) if (!idx.has(s)) visit(s);
  // a stage that depends on its own output is a cycle of one
  for (const s of stages) {
    if (s.deps.some((d) => !d.external && !d.unresolved && s.outs.some((o) => !o.external && !o.unresolved && overlaps(o.rel, d.rel)))) out.push([s]);
  }
  return out;
}
