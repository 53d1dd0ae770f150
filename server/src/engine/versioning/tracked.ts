import * as fs from 'node:fs';
import { lockedEntry, readDvcFile } from '../dvc/data/dvcFiles';
import { loadDvcPipeline, lockPathFor } from '../dvc/pipeline';
import { joinRel } from '../dvc/pipeline/dvcYaml';
import { Workspace } from '../workspace';
import type { DvcTrackedItem } from '../../../../shared/types';

/** A DVC-tracked item for the Data view when no native status is available (shared/types.ts: DvcTrackedItem). */
export type TrackedItem = DvcTrackedItem;

/**
 * Every `.dvc` file out and every dvc.yaml stage out, read by the engine's DVC readers: `.dvc` files by `readDvcFile`,
 * stages templated and expanded as DVC does (`foreach`/`matrix`, `${...}` from params.yaml and `vars`), each with the
 * hash its dvc.lock recorded. Listed with git (`useGit: false` in restricted mode: the walk, which never descends data
 * folders). Sorted by recording file, then as written.
 */
export async function listTrackedItems(folder: string, opts: { useGit?: boolean } = {}): Promise<TrackedItem[]> {
  const ws = await Workspace.load(folder, { useGit: opts.useGit ?? true });
  const pipeline = loadDvcPipeline(ws);
  const byFile = new Map<string, TrackedItem[]>();
  const add = (file: string, item: TrackedItem): void => {
    const list = byFile.get(file);
    if (list) list.push(item);
    else byFile.set(file, [item]);
  };
  for (const d of pipeline.dvcFiles) {
    byFile.set(d.file, []);
    for (const o of readDvcFile(ws, d.file)?.outs ?? [])
      if (o.rel !== undefined) add(d.file, { path: o.rel, source: d.file, kind: 'dvc-file', recordFile: d.file, ...(o.md5 ? { hash: o.md5 } : {}) });
  }
  for (const s of pipeline.stages) {
    const lockRel = lockPathFor(s.file);
    const locked = pipeline.lockedStage(s);
    for (const o of s.outs) {
      if (o.kind !== 'outs' || o.external || o.unresolved || o.rel.startsWith('../')) continue;
      const le = locked?.outs.find((e) => joinRel(s.wdir, e.path) === o.rel);
      // as recorded data (a `files:` list of a version_aware push is its `.dir` hash), as versions of a commit read it
      const hash = le ? lockedEntry(le, s.wdir).md5 : undefined;
      add(s.file, { path: o.rel, source: `${s.file}:${s.name}`, kind: 'stage-out', recordFile: lockRel, ...(hash ? { hash } : {}) });
    }
  }
  return [...byFile.keys()].sort().flatMap((f) => byFile.get(f)!);
}

/** Whether the folder uses DVC at all (a .dvc folder, a .dvc file or a dvc.yaml at the top). */
export function usesDvc(folder: string): boolean {
  try {
    return fs.readdirSync(folder).some((n) => n === '.dvc' || n === 'dvc.yaml' || (n.endsWith('.dvc') && n !== '.dvc'));
  } catch {
    return false;
  }
}
