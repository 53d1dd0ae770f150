import { simpleGit, type SimpleGit } from 'simple-git';
import type { VersioningErrorCode } from '../../../../shared/types';
export type { VersioningErrorCode } from '../../../../shared/types';

/**
 * Every git call of the versioning commands goes through simple-git, which spawns `git` with an argument array (no
 * shell), so paths such as `$(rm -rf ~).csv` reach git as plain names. Paths are always passed after `--`.
 */
export function gitAt(folder: string): SimpleGit {
  return simpleGit({ baseDir: folder, maxConcurrentProcesses: 2, trimmed: false });
}

/** Splits NUL-separated git output. */
export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}

/** The content of `rel` at `commit` (`git show commit:rel`), or undefined when the file did not exist there. */
export async function showAt(git: SimpleGit, commit: string, rel: string): Promise<string | undefined> {
  try {
    return await git.raw(['show', `${commit}:${rel}`]);
  } catch {
    return undefined;
  }
}

/** Full commit id of a revision, or undefined when it does not resolve. */
export async function resolveCommit(git: SimpleGit, rev: string): Promise<string | undefined> {
  if (rev.startsWith('-')) return undefined;
  try {
    return (await git.raw(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface WorkingTreeState {
  /** Tracked files with staged or unstaged changes (including deletions). */
  changed: string[];
  /** Files git does not track and does not ignore. */
  untracked: string[];
}

/** `git status` as two lists of repository-relative paths (relative to `folder` when it is the top level). */
export async function workingTreeState(git: SimpleGit): Promise<WorkingTreeState> {
  const out = await git.raw(['-c', 'core.quotepath=off', 'status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const parts = splitZ(out);
  const changed: string[] = [];
  const untracked: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i];
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code === '??') untracked.push(file);
    else if (code !== '!!') changed.push(file);
    if (code[0] === 'R' || code[0] === 'C') i++; // the original path follows a rename/copy
  }
  return { changed, untracked };
}

/** Map commit id -> tag names pointing at it (annotated tags are peeled). */
export async function tagsByCommit(git: SimpleGit): Promise<Map<string, string[]>> {
  const out = await git.raw(['for-each-ref', '--format=%(objectname) %(*objectname) %(refname:short)', 'refs/tags']);
  const map = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const m = /^(\S+) (\S*) (.+)$/.exec(line.trim());
    if (!m) continue;
    const commit = m[2] || m[1];
    const list = map.get(commit) ?? [];
    list.push(m[3]);
    map.set(commit, list);
  }
  return map;
}

/** Fails with a clear message when `folder` is not inside a git repository. Returns the top level. */
export async function requireRepository(git: SimpleGit, folder: string): Promise<string> {
  try {
    return (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  } catch {
    throw new VersioningError(`${folder} is not a git repository. Run \`git init\` first (versioning commands record their work in git).`, 'not-a-repository');
  }
}

/** A refusal or failure the UI shows as is: the message says what happened and what to do. */
export class VersioningError extends Error {
  constructor(
    message: string,
    readonly code: VersioningErrorCode,
  ) {
    super(message);
    this.name = 'VersioningError';
  }
}
