import * as path from 'node:path';
import { parse } from 'yaml';
import { dvcFileFromValue } from '../dvc/data/dvcFiles';
import type { DataVersion } from '../../../../shared/types';
export type { DataVersion } from '../../../../shared/types';

function posixJoin(dir: string, rel: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, rel));
  return joined === '.' ? '' : joined;
}

function outEntries(outs: unknown): Record<string, unknown>[] {
  return Array.isArray(outs) ? outs.filter((o): o is Record<string, unknown> => !!o && typeof o === 'object' && !Array.isArray(o)) : [];
}

function toVersion(o: Record<string, unknown>, baseDir: string, file: string, stage?: string): DataVersion | undefined {
  const p = o.path;
  const md5 = o.md5;
  if (typeof p !== 'string' || (typeof md5 !== 'string' && typeof md5 !== 'number')) return undefined;
  return {
    path: posixJoin(baseDir, p),
    file,
    ...(stage ? { stage } : {}),
    hash: String(md5),
    hashName: o.hash === 'md5' ? 'md5' : 'md5-dos2unix',
    ...(typeof o.size === 'number' ? { size: o.size } : {}),
    ...(typeof o.nfiles === 'number' ? { nfiles: o.nfiles } : {}),
  };
}

function safeParse(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch {
    return undefined;
  }
}

/** The outs of a `.dvc` file (`file` is its repository-relative path), read by the engine's one `.dvc` reader. */
export function versionsFromDvcFile(file: string, text: string): DataVersion[] {
  const out: DataVersion[] = [];
  for (const o of dvcFileFromValue(file, safeParse(text))?.outs ?? []) {
    if (o.rel === undefined || o.md5 === undefined) continue;
    out.push({
      path: o.rel,
      file,
      hash: o.md5,
      hashName: o.hashName,
      ...(o.size !== undefined ? { size: o.size } : {}),
      ...(o.nfiles !== undefined ? { nfiles: o.nfiles } : {}),
    });
  }
  return out;
}

/** The outs of every stage of a dvc.lock (`file` is its repository-relative path). */
export function versionsFromLock(file: string, text: string): DataVersion[] {
  const doc = safeParse(text) as { stages?: Record<string, { outs?: unknown; wdir?: unknown }> } | undefined;
  if (!doc || typeof doc !== 'object' || !doc.stages || typeof doc.stages !== 'object') return [];
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const out: DataVersion[] = [];
  for (const [stage, def] of Object.entries(doc.stages)) {
    if (!def || typeof def !== 'object') continue;
    // dvc.lock paths are relative to the stage's wdir, which dvc.lock does not record; dvc.yaml's wdir is rare.
    for (const o of outEntries(def.outs)) {
      const v = toVersion(o, dir, file, stage);
      if (v) out.push(v);
    }
  }
  return out;
}

/** Data versions from any recording file, chosen by its name. */
export function versionsFromFile(file: string, text: string): DataVersion[] {
  if (path.posix.basename(file) === 'dvc.lock') return versionsFromLock(file, text);
  if (file.endsWith('.dvc')) return versionsFromDvcFile(file, text);
  return [];
}

/** Whether `rel` is a file that records data versions. */
export function isVersionFile(rel: string): boolean {
  return rel.endsWith('.dvc') || path.posix.basename(rel) === 'dvc.lock';
}
