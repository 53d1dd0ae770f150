import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireDvc, runDvcChecked, type DvcCommand, type DvcLocateOptions, type DvcRunOptions, type DvcRunResult } from './dvcCli';
import { gitAt, VersioningError } from './git';
import type { TrackPlan, TrackResult, DataVerb } from '../../../../shared/types';
export type { TrackPlan, TrackResult, DataVerb } from '../../../../shared/types';

/** The folder holding `.dvc/` at or above `folder` (stopping at the filesystem root), or undefined. */
export function findDvcRoot(folder: string): string | undefined {
  let dir = path.resolve(folder);
  for (;;) {
    try {
      if (fs.statSync(path.join(dir, '.dvc')).isDirectory()) return dir;
    } catch {
      /* keep looking */
    }
    if (fs.existsSync(path.join(dir, '.git'))) return undefined; // DVC roots are at or below the git root
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function requireDvcRoot(folder: string): string {
  const root = findDvcRoot(folder);
  if (!root)
    throw new VersioningError(
      `${folder} is not a DVC project (no .dvc folder). Initialise it with \`dvc init\` and commit .dvc/, then retry. Nothing was changed.`,
      'not-tracked',
    );
  return root;
}

/** Normalises a user-chosen target to a folder-relative POSIX path inside the folder, or throws. */
export function normaliseTarget(folder: string, target: string): string {
  const abs = path.resolve(folder, target);
  const rel = path.relative(folder, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw new VersioningError(`'${target}' is not inside ${folder}.`, 'invalid-name');
  const posix = rel.split(path.sep).join('/').replace(/\/+$/, '');
  if (posix === '.git' || posix.startsWith('.git/') || posix === '.dvc' || posix.startsWith('.dvc/'))
    throw new VersioningError(`'${posix}' belongs to git or DVC itself and cannot be tracked.`, 'invalid-name');
  return posix;
}

/** What `Track Data with DVC` will do for `target` (no change made). */
export function planTrack(folder: string, target: string): TrackPlan {
  requireDvcRoot(folder);
  const rel = normaliseTarget(folder, target);
  let st: fs.Stats;
  try {
    st = fs.statSync(path.join(folder, rel));
  } catch {
    throw new VersioningError(`'${rel}' does not exist.`, 'not-tracked');
  }
  if (rel.endsWith('.dvc')) throw new VersioningError(`'${rel}' is a .dvc file; choose the data it should track.`, 'invalid-name');
  const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  const gitignore = dir ? `${dir}/.gitignore` : '.gitignore';
  return {
    folder,
    target: rel,
    isDirectory: st.isDirectory(),
    changes: [
      `${rel}.dvc (created or updated by dvc add)`,
      `${gitignore} (dvc add adds /${path.posix.basename(rel)})`,
      `git index: stage ${rel}.dvc and ${gitignore}`,
      `DVC cache: a copy of ${rel}`,
    ],
  };
}

/** `dvc add -- <target>`, then `git add -- <target>.dvc <dir>/.gitignore`. */
export async function trackData(plan: TrackPlan, dvc: DvcCommand, run: Omit<DvcRunOptions, 'cwd'> = {}): Promise<TrackResult> {
  const output = await runDvcChecked(dvc, ['add', '--', plan.target], { ...run, cwd: plan.folder });
  const dvcFile = `${plan.target}.dvc`;
  const dir = path.posix.dirname(plan.target) === '.' ? '' : path.posix.dirname(plan.target);
  const gitignore = dir ? `${dir}/.gitignore` : '.gitignore';
  const staged = [dvcFile, gitignore].filter((f) => fs.existsSync(path.join(plan.folder, f)));
  if (staged.length) await gitAt(plan.folder).raw(['add', '--', ...staged]);
  return { dvcFile, staged, output };
}

/** `dvc push|pull|checkout [-- targets]` in `folder`, throwing the CLI's message on failure. */
export async function runDataCommand(
  folder: string,
  verb: DataVerb,
  targets: string[],
  dvc: DvcCommand,
  run: Omit<DvcRunOptions, 'cwd'> = {},
): Promise<DvcRunResult> {
  requireDvcRoot(folder);
  const rels = targets.map((t) => normaliseTarget(folder, t));
  return runDvcChecked(dvc, rels.length ? [verb, '--', ...rels] : [verb], { ...run, cwd: folder });
}

/**
 * `dvc init` in `folder`, with `--subdir` when the folder is not the root of its git repository (DVC refuses otherwise).
 * Nothing is run when the folder has a `.dvc` folder already.
 */
export async function initDvc(folder: string, dvc: DvcCommand, run: Omit<DvcRunOptions, 'cwd'> = {}): Promise<{ initialized: boolean; output: string }> {
  if (fs.existsSync(path.join(folder, '.dvc'))) return { initialized: false, output: '' };
  const subdir = !fs.existsSync(path.join(folder, '.git'));
  const r = await runDvcChecked(dvc, ['init', ...(subdir ? ['--subdir'] : [])], { ...run, cwd: folder });
  return { initialized: true, output: r.stdout + r.stderr };
}

export { requireDvc, type DvcLocateOptions };
