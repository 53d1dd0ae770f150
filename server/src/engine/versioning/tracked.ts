import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { versionsFromDvcFile, versionsFromLock } from './dataVersions';
import { gitAt, splitZ } from './git';

import type { DvcTrackedItem } from '../../../../shared/types';

/** A DVC-tracked item for the Data view when no native status is available (shared/types.ts: DvcTrackedItem). */
export type TrackedItem = DvcTrackedItem;

function read(abs: string): string | undefined {
  try {
    const st = fs.statSync(abs);
    if (!st.isFile() || st.size > 5 * 1024 * 1024) return undefined;
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

async function listRecordingFiles(folder: string, useGit: boolean): Promise<string[]> {
  try {
    if (!useGit) throw new Error('no git');
    const out = await gitAt(folder).raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.dvc', 'dvc.yaml', '**/dvc.yaml']);
    return [...new Set(splitZ(out))].filter((p) => fs.existsSync(path.join(folder, p))).sort();
  } catch {
    // Not a git repository: the folder's top level only (never a walk of data folders).
    try {
      return fs.readdirSync(folder).filter((n) => n.endsWith('.dvc') || n === 'dvc.yaml').filter((n) => n !== '.dvc').sort();
    } catch {
      return [];
    }
  }
}

/** Every `.dvc` file out (listed with git; `useGit: false` in restricted mode looks at the folder's top level only) and every dvc.yaml stage out (string or `{path: flags}` entries; templated names skipped). */
export async function listTrackedItems(folder: string, opts: { useGit?: boolean } = {}): Promise<TrackedItem[]> {
  const items: TrackedItem[] = [];
  for (const rel of await listRecordingFiles(folder, opts.useGit ?? true)) {
    const text = read(path.join(folder, rel));
    if (text === undefined) continue;
    if (rel.endsWith('.dvc')) {
      const versions = versionsFromDvcFile(rel, text);
      for (const v of versions) items.push({ path: v.path, source: rel, kind: 'dvc-file', recordFile: rel, hash: v.hash });
      continue;
    }
    let doc: { stages?: Record<string, { outs?: unknown; metrics?: unknown; plots?: unknown; wdir?: unknown }> } | undefined;
    try {
      doc = parse(text, { maxAliasCount: 100, logLevel: 'error' }) as typeof doc;
    } catch {
      continue;
    }
    if (!doc || typeof doc !== 'object' || !doc.stages || typeof doc.stages !== 'object') continue;
    const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    const lockRel = dir ? `${dir}/dvc.lock` : 'dvc.lock';
    const lockText = read(path.join(folder, lockRel));
    const lockVersions = lockText ? versionsFromLock(lockRel, lockText) : [];
    for (const [stage, def] of Object.entries(doc.stages)) {
      if (!def || typeof def !== 'object' || !Array.isArray(def.outs)) continue;
      const wdir = typeof def.wdir === 'string' ? def.wdir : '';
      for (const o of def.outs as unknown[]) {
        const p = typeof o === 'string' ? o : o && typeof o === 'object' ? Object.keys(o)[0] : undefined;
        if (!p || p.includes('${')) continue;
        const full = path.posix.normalize(path.posix.join(dir, wdir, p)).replace(/\/+$/, '');
        const lv = lockVersions.find((v) => v.path === full && v.stage === stage);
        items.push({ path: full, source: `${rel}:${stage}`, kind: 'stage-out', recordFile: lockRel, ...(lv ? { hash: lv.hash } : {}) });
      }
    }
  }
  return items;
}

/** Whether the folder uses DVC at all (a .dvc folder, a .dvc file or a dvc.yaml at the top). */
export function usesDvc(folder: string): boolean {
  try {
    return fs.readdirSync(folder).some((n) => n === '.dvc' || n === 'dvc.yaml' || (n.endsWith('.dvc') && n !== '.dvc'));
  } catch {
    return false;
  }
}
