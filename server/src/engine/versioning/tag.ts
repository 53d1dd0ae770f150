import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { Workspace } from '../workspace';
import { dataStatus, defaultCacheDir, type DataStatus } from '../dvc/data';
import { lockWdirs, versionsFromFile, isVersionFile, type DataVersion } from './dataVersions';
import { repoPathOf } from '../dvc/pipeline/files';
import { gitAt, requireRepository, resolveCommit, showAt, splitZ, VersioningError, workingTreeState } from './git';
import { bumpVersion, formatVersion, latestVersion, prefixProblem, type Bump } from './semver';
import type { RunRecord, TagPlan } from '../../../../shared/types';
export type { RunRecord, TagPlan } from '../../../../shared/types';

export interface TagOptions {
  bump: Bump;
  /** Tag prefix (default `model-v`). */
  prefix?: string;
  /** The run the model comes from; its `gitCommit` is tagged when it resolves in this repository. */
  run?: RunRecord;
  /** Revision to tag when no run commit applies (default HEAD). */
  commit?: string;
  /** A line the user adds at the top of the message. */
  note?: string;
  /**
   * Compare the data versions the tagged commit records with the workspace (hashing as `dvc-status` does, with its
   * cache): default true. A mismatch is a warning that names the paths.
   */
  checkData?: boolean;
  /** Hash cache folder for that comparison (default: the platform's cache folder). */
  cacheDir?: string;
}

export const DEFAULT_TAG_PREFIX = 'model-v';

async function listTags(git: SimpleGit): Promise<string[]> {
  const out = await git.raw(['tag', '--list']);
  return out
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The data versions (hashes in every `.dvc` file and dvc.lock) recorded in `commit`'s tree. */
export async function dataVersionsAt(git: SimpleGit, commit: string): Promise<DataVersion[]> {
  const files = splitZ(await git.raw(['-c', 'core.quotepath=off', 'ls-tree', '-r', '-z', '--name-only', commit])).filter(isVersionFile);
  const out: DataVersion[] = [];
  for (const f of files.sort()) {
    // `ls-tree` names files relative to the folder, `<commit>:./<path>` reads them so (the folder may be a sub-folder)
    const text = await showAt(git, commit, `./${f}`);
    if (text === undefined) continue;
    // a dvc.lock's paths are relative to each stage's wdir, which the commit's dvc.yaml next to it says
    const wdirs = await lockWdirs(f, async (rel) => {
      const inside = repoPathOf('', rel);
      return inside ? showAt(git, commit, `./${inside}`) : undefined;
    });
    out.push(...versionsFromFile(f, text, wdirs));
  }
  return out;
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /^[\w.\-/+:]*$/.test(v) && v.length ? v : JSON.stringify(v);
  return String(v);
}

/**
 * A text with the local absolute paths taken out (a tag message is pushed with the tag): paths inside the repository
 * become relative to it (`file://` URIs too), other home folders `~/...` (`/home/<user>/`, `/Users/<user>/`,
 * `C:\Users\<user>\`), any other absolute path its last part with `(outside the repository)`.
 */
export function withoutLocalPaths(text: string, repoRoot: string): string {
  const roots = new Set([repoRoot, repoRoot.split(path.sep).join('/')]);
  let out = text;
  for (const r of roots) {
    if (!r || r === '/' || r === path.sep) continue;
    const esc = r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // the root itself (followed by the end, a space or a quote) or a path below it; never `/home/u/proj2` for `/home/u/proj`
    out = out.replace(new RegExp(`(?:file://)?${esc}(?:(?=[\\s'"]|$)|[\\\\/]([^\\s'"]*))`, 'gm'), (_m, rest: string | undefined) =>
      rest ? rest.split('\\').join('/') : '.',
    );
  }
  out = out.replace(/(?:file:\/\/)?(?:\/home\/|\/Users\/)[^/\s'"]+(\/[^\s'"]*)?/g, (_m, rest: string | undefined) => `~${rest ?? ''}`);
  out = out.replace(/\b[A-Za-z]:\\Users\\[^\\\s'"]+(\\[^\s'"]*)?/g, (_m, rest: string | undefined) => `~${(rest ?? '').split('\\').join('/')}`);
  return out;
}

/** A path for the tag message: relative to the repository, else without the local part. */
function repoPath(p: string, repoRoot: string): string {
  const rel = path.relative(repoRoot, p);
  if (rel === '') return '.';
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return `${path.basename(p)} (outside the repository)`;
}

/**
 * The annotated tag's message: subject line, then the run, its params and metrics, then the data versions. No local
 * absolute path is written (`repoRoot`: the repository's top folder; paths become relative to it).
 */
export function tagMessage(tag: string, commit: string, run: RunRecord | undefined, data: DataVersion[], note?: string, repoRoot?: string): string {
  const lines = [`${tag}${note ? `: ${note.split('\n')[0]}` : ''}`, '', `Commit: ${commit}`];
  if (run) {
    lines.push(`Run: ${run.id} (source: ${run.source}${run.name ? `, name: ${run.name}` : ''}${run.status ? `, status: ${run.status}` : ''})`);
    if (run.gitCommit && run.gitCommit !== commit) lines.push(`Run commit: ${run.gitCommit}`);
    if (run.folder)
      lines.push(
        `Run folder: ${repoRoot ? repoPath(run.folder, repoRoot) : path.isAbsolute(run.folder) ? `${path.basename(run.folder)} (outside the repository)` : run.folder}`,
      );
    const clean = (v: unknown) => (typeof v === 'string' && repoRoot ? withoutLocalPaths(v, repoRoot) : v);
    if (run.command) lines.push(`Command: ${clean(run.command)}`);
    const params = Object.keys(run.params).sort();
    lines.push('', `Params (${params.length}):`, ...params.map((k) => `  ${k}: ${formatValue(clean(run.params[k]))}`));
    const metrics = Object.keys(run.metrics).sort();
    lines.push('', `Metrics (${metrics.length}):`, ...metrics.map((k) => `  ${k}: ${formatValue(run.metrics[k])}`));
  } else {
    lines.push('Run: none recorded (tagging the commit only)');
  }
  lines.push('', `Data versions (${data.length}):`);
  for (const d of data)
    lines.push(`  ${d.path}: ${d.hashName} ${d.hash}${d.nfiles !== undefined ? ` (${d.nfiles} files)` : ''} [${d.stage ? `${d.file}:${d.stage}` : d.file}]`);
  if (!data.length) lines.push('  none (no .dvc file or dvc.lock in this commit)');
  const text = lines.join('\n') + '\n';
  return repoRoot ? withoutLocalPaths(text, repoRoot) : text;
}

/** The recorded versions of the tagged commit that the workspace's data does not match now. */
export function dataMismatches(data: DataVersion[], status: DataStatus): TagPlan['dataMismatch'] {
  const out: TagPlan['dataMismatch'] = [];
  for (const d of data) {
    const items = status.items.filter((i) => i.path === d.path && i.kind !== 'stage-dep');
    const item = items.find((i) => i.hash === d.hash) ?? items[0];
    if (!item) continue; // no longer tracked in the workspace: nothing to compare with
    if (item.state === 'missing') out.push({ path: d.path, state: 'missing', recorded: d.hash });
    else if (item.currentHash && item.currentHash !== d.hash) out.push({ path: d.path, state: 'modified', recorded: d.hash, current: item.currentHash });
  }
  return out;
}

/** Works out the next version tag, the commit and the message, without changing anything. */
export async function planModelTag(folder: string, options: TagOptions): Promise<TagPlan> {
  const git = gitAt(folder);
  await requireRepository(git, folder);
  const prefix = options.prefix ?? DEFAULT_TAG_PREFIX;
  const problem = prefixProblem(prefix);
  if (problem) throw new VersioningError(`Cannot tag: ${problem}. Change the setting mlopsHygiene.versioning.tagPrefix.`, 'invalid-name');
  if (!['major', 'minor', 'patch'].includes(options.bump))
    throw new VersioningError(`Unknown version bump '${String(options.bump)}': use major, minor or patch.`, 'invalid-name');
  const warnings: string[] = [];
  let commit: string | undefined;
  let commitFrom: TagPlan['commitFrom'] = 'head';
  if (options.run?.gitCommit) {
    commit = await resolveCommit(git, options.run.gitCommit);
    if (commit) commitFrom = 'run';
    else warnings.push(`The run's commit ${options.run.gitCommit} is not in this repository; tagging ${options.commit ?? 'HEAD'} instead.`);
  }
  if (!commit) {
    commit = await resolveCommit(git, options.commit ?? 'HEAD');
    commitFrom = options.commit ? 'revision' : 'head';
    if (!commit) {
      throw new VersioningError(
        options.commit
          ? `Cannot tag: '${options.commit}' is not a commit of this repository.`
          : 'Cannot tag: the repository has no commit yet. Commit your work first.',
        options.commit ? 'unknown-commit' : 'no-commit',
      );
    }
  }
  const tags = await listTags(git);
  const latest = latestVersion(tags, prefix);
  const tag = `${prefix}${formatVersion(bumpVersion(latest?.version, options.bump))}`;
  if (tags.includes(tag)) throw new VersioningError(`The tag ${tag} already exists. Tags are never moved or overwritten: choose another bump.`, 'tag-exists');
  try {
    await git.raw(['check-ref-format', `refs/tags/${tag}`]);
  } catch {
    throw new VersioningError(`'${tag}' is not a valid git tag name. Change the setting mlopsHygiene.versioning.tagPrefix.`, 'invalid-name');
  }
  const state = await workingTreeState(git);
  if (state.changed.length && commitFrom === 'head') {
    warnings.push(
      `${state.changed.length} uncommitted change(s) (${state.changed.slice(0, 5).join(', ')}${state.changed.length > 5 ? ', ...' : ''}) are not part of the tagged commit. Commit them first (Snapshot Experiment) or tag anyway.`,
    );
  }
  const dataVersions = await dataVersionsAt(git, commit);
  let dataMismatch: TagPlan['dataMismatch'] = [];
  if (dataVersions.length && options.checkData !== false) {
    try {
      const status = await dataStatus(await Workspace.load(folder), { cacheDir: options.cacheDir ?? defaultCacheDir() });
      dataMismatch = dataMismatches(dataVersions, status);
    } catch (e) {
      warnings.push(`The workspace's data could not be compared with the recorded versions: ${(e as Error).message}`);
    }
  }
  if (dataMismatch.length) {
    const say = (m: TagPlan['dataMismatch'][number]) =>
      m.state === 'missing' ? `${m.path} is missing` : `${m.path} is modified (${m.recorded.slice(0, 8)} recorded, ${m.current!.slice(0, 8)} now)`;
    warnings.push(
      `The data in the workspace does not match the versions ${commit.slice(0, 8)} records: ${dataMismatch.slice(0, 8).map(say).join('; ')}${dataMismatch.length > 8 ? `; and ${dataMismatch.length - 8} more` : ''}. The tag names the recorded versions: \`dvc commit\` (then commit) records the workspace's, \`dvc checkout\` restores the recorded ones.`,
    );
  }
  let repoRoot = folder;
  try {
    repoRoot = path.resolve((await git.raw(['rev-parse', '--show-toplevel'])).trim() || folder);
  } catch {
    /* the folder itself */
  }
  return {
    folder,
    tag,
    ...(latest ? { previousTag: latest.tag } : {}),
    commit,
    commitFrom,
    message: tagMessage(tag, commit, options.run, dataVersions, options.note, repoRoot),
    dataVersions,
    uncommitted: commitFrom === 'head' ? state.changed : [],
    warnings,
    dataMismatch,
  };
}

/**
 * Creates the annotated tag of a plan. Refuses when the tag exists by now (never `-f`), and on uncommitted changes unless
 * `allowDirty` (the changes would not be in the version the tag names).
 */
export async function createModelTag(plan: TagPlan, opts: { allowDirty?: boolean } = {}): Promise<{ tag: string; commit: string }> {
  const git = gitAt(plan.folder);
  if (plan.uncommitted.length && !opts.allowDirty) {
    throw new VersioningError(
      `Not tagged: ${plan.uncommitted.length} uncommitted change(s) (${plan.uncommitted.slice(0, 5).join(', ')}) would not be in ${plan.tag}. Commit them first, or confirm "tag anyway".`,
      'dirty-tree',
    );
  }
  const existing = await git.raw(['tag', '--list', plan.tag]);
  if (existing.trim()) throw new VersioningError(`The tag ${plan.tag} already exists. Tags are never moved or overwritten.`, 'tag-exists');
  // No -f: git itself refuses an existing name too. The message goes through -F - would need stdin; -m as one argument is safe.
  await git.raw(['tag', '-a', '--cleanup=whitespace', plan.tag, '-m', plan.message, plan.commit]);
  return { tag: plan.tag, commit: plan.commit };
}

/** Pushes one tag (never all tags, never forced). */
export async function pushTag(folder: string, tag: string, remote = 'origin'): Promise<string> {
  const git = gitAt(folder);
  if (remote.startsWith('-')) throw new VersioningError(`Invalid remote name '${remote}'.`, 'invalid-name');
  const remotes = (await git.raw(['remote']))
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!remotes.includes(remote)) {
    throw new VersioningError(
      remotes.length
        ? `No git remote '${remote}' (remotes: ${remotes.join(', ')}). Set mlopsHygiene.versioning.remote.`
        : `The repository has no git remote: add one with \`git remote add origin <url>\`, then push the tag.`,
      'invalid-name',
    );
  }
  return git.raw(['push', remote, `refs/tags/${tag}:refs/tags/${tag}`]);
}
