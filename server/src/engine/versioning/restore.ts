import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, dirHash, hashFile, inCache, listFiles } from './cache';
import { findDvcRoot } from './dataOps';
import type { DataVersion } from './dataVersions';
import { runDvcChecked, type DvcCommand, type DvcRunOptions, type DvcRunResult } from './dvcCli';
import { gitAt, requireRepository, resolveCommit, showAt, VersioningError } from './git';
import { folderLockWdirs, pickVersion, type TrackedRef } from './history';
import type { RestorePlan } from '../../../../shared/types';
export type { RestorePlan } from '../../../../shared/types';

const MAX_LISTED = 5;

/** Which current workspace files (or the directory listing) are not in the cache. Empty = all saved. */
async function unsavedWorkspaceContent(abs: string, cache: string, current: DataVersion | undefined): Promise<{ unsaved: string[]; hash?: string }> {
  const st = fs.statSync(abs);
  if (!st.isDirectory()) {
    const h = await hashFile(abs);
    return {
      unsaved: inCache(cache, h.md5) || inCache(cache, h.dos2unix) ? [] : [`${path.basename(abs)} (md5 ${h.md5})`],
      hash: current?.hashName === 'md5-dos2unix' ? h.dos2unix : h.md5,
    };
  }
  const { files, truncated } = listFiles(abs);
  if (truncated) return { unsaved: [`more than ${files.length} files: too many to verify`] };
  const unsaved: string[] = [];
  const entries: { md5: string; relpath: string }[] = [];
  for (const rel of files) {
    const h = await hashFile(path.join(abs, rel));
    const md5 = current?.hashName === 'md5-dos2unix' ? h.dos2unix : h.md5;
    entries.push({ md5, relpath: rel });
    if (!inCache(cache, h.md5) && !inCache(cache, h.dos2unix)) unsaved.push(`${rel} (md5 ${h.md5})`);
  }
  const hash = dirHash(entries);
  if (!inCache(cache, hash)) unsaved.unshift(`the directory listing object ${hash}`);
  return { unsaved, hash };
}

/**
 * Plans restoring `ref` to its version at `commit`: the recording file from that commit, then `dvc checkout` of the data.
 * Refuses (sets `refusal`) when the workspace holds content the DVC cache does not have, because checkout would replace it.
 */
export async function planRestore(folder: string, ref: TrackedRef, commit: string): Promise<RestorePlan> {
  const git = gitAt(folder);
  await requireRepository(git, folder);
  const full = await resolveCommit(git, commit);
  if (!full) throw new VersioningError(`'${commit}' is not a commit of this repository.`, 'unknown-commit');
  const text = await showAt(git, full, `./${ref.file}`);
  if (text === undefined) throw new VersioningError(`${ref.file} does not exist in commit ${full.slice(0, 8)}.`, 'not-tracked');
  let wsText: string | undefined;
  try {
    wsText = fs.readFileSync(path.join(folder, ref.file), 'utf8');
  } catch {
    wsText = undefined;
  }
  const wdirs = await folderLockWdirs(folder, ref.file);
  const current = wsText !== undefined ? pickVersion(ref.file, wsText, ref.path, wdirs) : undefined;
  const target = pickVersion(ref.file, text, ref.path ?? current?.path, wdirs);
  if (!target) throw new VersioningError(`${ref.file} in commit ${full.slice(0, 8)} records no version of ${ref.path ?? 'the data'}.`, 'not-tracked');
  const dvcRoot = findDvcRoot(folder);
  if (!dvcRoot) throw new VersioningError(`${folder} is not a DVC project (no .dvc folder): nothing can be checked out.`, 'not-tracked');
  const cache = cacheDir(dvcRoot);
  const abs = path.join(folder, target.path);
  let workspace: RestorePlan['workspace'] = 'absent';
  let refusal: string | undefined;
  if (fs.existsSync(abs)) {
    const { unsaved, hash } = await unsavedWorkspaceContent(abs, cache, current ?? target);
    if (hash && hash === target.hash) workspace = 'matches-target';
    else if (!unsaved.length) workspace = 'saved-in-cache';
    else {
      workspace = 'not-saved';
      const list = unsaved.slice(0, MAX_LISTED).join(', ') + (unsaved.length > MAX_LISTED ? `, and ${unsaved.length - MAX_LISTED} more` : '');
      refusal = `Not restored: the current content of ${target.path} is not saved in the DVC cache (${cache}): ${list}. Restoring would overwrite it and it could not be recovered. Save it first (\`dvc add ${target.path}\` or \`dvc commit\`), or move it out of the way, then retry.`;
    }
  }
  const targetMissingFromCache = !inCache(cache, target.hash);
  const changes = [
    `${ref.file}: from commit ${full.slice(0, 8)} (${target.hashName} ${target.hash})${ref.file.endsWith('dvc.lock') ? ' — this restores the whole lock file' : ''}`,
    `${target.path}: dvc checkout ${workspace === 'absent' ? '(absent now)' : workspace === 'matches-target' ? '(already this version)' : '(replaces the current content, which is in the cache)'}`,
  ];
  if (targetMissingFromCache) changes.push(`note: ${target.hash} is not in the local cache; dvc checkout will fail unless you Pull Data first`);
  return {
    folder,
    file: ref.file,
    path: target.path,
    commit: full,
    target,
    ...(current ? { current } : {}),
    workspace,
    ...(refusal ? { refusal } : {}),
    targetMissingFromCache,
    changes,
  };
}

/** Carries out a plan: refuses when the plan refused; `git checkout <commit> -- <file>`, then `dvc checkout -- <target>`. */
export async function restoreDataVersion(plan: RestorePlan, dvc: DvcCommand, run: Omit<DvcRunOptions, 'cwd'> = {}): Promise<DvcRunResult> {
  if (plan.refusal) throw new VersioningError(plan.refusal, 'not-in-cache');
  const git = gitAt(plan.folder);
  await git.raw(['checkout', plan.commit, '--', plan.file]);
  const target = plan.file.endsWith('.dvc') ? plan.file : plan.path;
  return runDvcChecked(dvc, ['checkout', '--', target], { ...run, cwd: plan.folder });
}
