import * as path from 'node:path';
import { parse } from 'yaml';
import { dvcFileFromValue, lockedEntry, type RecordedEntry } from '../dvc/data/dvcFiles';
import { parseDvcLockText } from '../dvc/pipeline/dvcLock';
import { parseDvcYamlFrom, stageWdirs } from '../dvc/pipeline/dvcYaml';
import type { DataVersion } from '../../../../shared/types';
export type { DataVersion } from '../../../../shared/types';

function safeParse(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch {
    return undefined;
  }
}

/** A recorded out (read by the engine's `.dvc` or dvc.lock reader) as a data version; undefined without a path or hash. */
function toVersion(o: RecordedEntry, file: string, stage?: string): DataVersion | undefined {
  if (o.rel === undefined || o.md5 === undefined || o.external) return undefined;
  return {
    path: o.rel,
    file,
    ...(stage !== undefined ? { stage } : {}),
    hash: o.md5,
    hashName: o.hashName,
    ...(o.size !== undefined ? { size: o.size } : {}),
    ...(o.nfiles !== undefined ? { nfiles: o.nfiles } : {}),
  };
}

/** The outs of a `.dvc` file (`file` is its repository-relative path), read by the engine's one `.dvc` reader. */
export function versionsFromDvcFile(file: string, text: string): DataVersion[] {
  return (dvcFileFromValue(file, safeParse(text))?.outs ?? []).map((o) => toVersion(o, file)).filter((v): v is DataVersion => !!v);
}

/**
 * The outs of every stage of a dvc.lock (`file` is its repository-relative path), read by the engine's one dvc.lock
 * reader (as the pipeline and the Data view read it: DVC 3 `hash: md5` and DVC 2 entries, `.dir` hashes, `files:` lists,
 * sizes, nfiles). dvc.lock paths are relative to the stage's wdir, which only dvc.yaml records: `wdirs` gives it by stage
 * name (stageWdirs of the dvc.yaml next to it); a stage it does not list runs in the lock's folder, DVC's default.
 */
export function versionsFromLock(file: string, text: string, wdirs?: ReadonlyMap<string, string>): DataVersion[] {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const out: DataVersion[] = [];
  for (const [stage, s] of parseDvcLockText(file, text).stages) {
    for (const e of s.outs) {
      const v = toVersion(lockedEntry(e, wdirs?.get(stage) ?? dir), file, stage);
      if (v) out.push(v);
    }
  }
  return out;
}

/**
 * The wdir of each stage of the dvc.yaml next to a dvc.lock (`lockFile` relative to the folder `read` reads from: a
 * folder on disk, a commit's tree), read by the engine's dvc.yaml reader with its templating; empty without a dvc.yaml.
 */
export async function lockWdirs(lockFile: string, read: (rel: string) => Promise<string | undefined>): Promise<Map<string, string>> {
  if (path.posix.basename(lockFile) !== 'dvc.lock') return new Map();
  const dvcYaml = lockFile.slice(0, -'dvc.lock'.length) + 'dvc.yaml';
  return stageWdirs(await parseDvcYamlFrom(dvcYaml, read));
}

/** Data versions from any recording file, chosen by its name. */
export function versionsFromFile(file: string, text: string, wdirs?: ReadonlyMap<string, string>): DataVersion[] {
  if (path.posix.basename(file) === 'dvc.lock') return versionsFromLock(file, text, wdirs);
  if (file.endsWith('.dvc')) return versionsFromDvcFile(file, text);
  return [];
}

/** Whether `rel` is a file that records data versions. */
export function isVersionFile(rel: string): boolean {
  return rel.endsWith('.dvc') || path.posix.basename(rel) === 'dvc.lock';
}
