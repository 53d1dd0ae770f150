import * as fs from 'node:fs';
import * as path from 'node:path';
import { lockWdirs, versionsFromFile, type DataVersion } from './dataVersions';
import { repoPathOf } from '../dvc/pipeline/files';
import { gitAt, requireRepository, showAt, VersioningError } from './git';
import type { TrackedRef, HistoryEntry, DataHistory } from '../../../../shared/types';
export type { TrackedRef, HistoryEntry, DataHistory } from '../../../../shared/types';

/** Picks the item's version out of a recording file's text (`wdirs`: a dvc.lock's stage folders, see lockWdirs). */
export function pickVersion(file: string, text: string, dataPath?: string, wdirs?: ReadonlyMap<string, string>): DataVersion | undefined {
  const versions = versionsFromFile(file, text, wdirs);
  if (dataPath === undefined) return versions.length === 1 ? versions[0] : undefined;
  return versions.find((v) => v.path === dataPath);
}

/** The stage folders of the dvc.yaml next to `file` (a dvc.lock) in the folder on disk; empty for a `.dvc` file. */
export async function folderLockWdirs(folder: string, file: string): Promise<Map<string, string>> {
  return lockWdirs(file, async (rel) => {
    const inside = repoPathOf('', rel);
    if (!inside) return undefined;
    try {
      return await fs.promises.readFile(path.join(folder, inside), 'utf8');
    } catch {
      return undefined;
    }
  });
}

/**
 * The commits where an item's hash changed, from `git log -- <file>` (following nothing else), with the tags that
 * record each version. `maxCommits` caps the log (a long history is truncated, oldest dropped).
 */
export async function dataHistory(folder: string, ref: TrackedRef, maxCommits = 300): Promise<DataHistory> {
  const git = gitAt(folder);
  await requireRepository(git, folder);
  // Paths in `git show <rev>:<path>` are relative to the top level; `./` makes them relative to the folder.
  const showPath = `./${ref.file}`;
  let workspaceText: string | undefined;
  try {
    workspaceText = fs.readFileSync(path.join(folder, ref.file), 'utf8');
  } catch {
    workspaceText = undefined;
  }
  // a dvc.lock's paths are relative to each stage's wdir: taken from the workspace's dvc.yaml, where the Data view's
  // item paths come from too
  const wdirs = await folderLockWdirs(folder, ref.file);
  const wsVersion = workspaceText !== undefined ? pickVersion(ref.file, workspaceText, ref.path, wdirs) : undefined;
  const dataPath = ref.path ?? wsVersion?.path;
  const SEP = '\x1f';
  let log = '';
  try {
    log = await git.raw(['log', `--max-count=${maxCommits + 1}`, `--format=%H${SEP}%aI${SEP}%an${SEP}%s`, '--', ref.file]);
  } catch {
    log = ''; // no commit yet
  }
  const rows = log
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(SEP));
  const truncated = rows.length > maxCommits;
  if (truncated) rows.length = maxCommits;
  const changes: HistoryEntry[] = [];
  let prevHash: string | undefined;
  let resolvedPath = dataPath;
  for (const [commit, date, author, subject] of rows.reverse()) {
    const text = await showAt(git, commit, showPath);
    const v = text !== undefined ? pickVersion(ref.file, text, resolvedPath, wdirs) : undefined;
    if (v) resolvedPath ??= v.path;
    const hash = v?.hash;
    if (v && hash !== prevHash) changes.push({ commit, date, author, subject: subject ?? '', tags: [], version: v, current: false });
    prevHash = hash;
  }
  if (!changes.length && !wsVersion) {
    throw new VersioningError(`${ref.file} records no version of ${ref.path ?? 'its data'} in the workspace or in any commit.`, 'not-tracked');
  }
  // Tags: the version each tag's tree records, attached to the latest change with that hash.
  const tagList = (await git.raw(['tag', '--list']))
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 500);
  for (const tag of tagList) {
    const text = await showAt(git, `refs/tags/${tag}`, showPath);
    const v = text !== undefined ? pickVersion(ref.file, text, resolvedPath, wdirs) : undefined;
    if (!v) continue;
    for (let i = changes.length - 1; i >= 0; i--) {
      if (changes[i].version.hash === v.hash) {
        changes[i].tags.push(tag);
        break;
      }
    }
  }
  const entries = changes.reverse();
  const current = entries.find((e) => e.version.hash === wsVersion?.hash);
  if (current) current.current = true;
  return {
    file: ref.file,
    path: resolvedPath ?? '',
    entries,
    ...(wsVersion ? { workspaceHash: wsVersion.hash } : {}),
    scanned: rows.length,
    truncated,
  };
}
