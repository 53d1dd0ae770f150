import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { simpleGit } from 'simple-git';
import { runFolderKind, type FolderTree, type RunFolder } from '../runs/folders';
import { isIgnoredBy, type Matcher } from './ignore';
import { readTextFile } from './reads';

/**
 * Folders that are never project sources: in a walk without git they are not descended into, and file events inside them
 * are dropped. With git, git's own ignore rules decide, and these are only descended when git lists them.
 */
export const BULK_DIRS = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.ipynb_checkpoints',
  '.idea',
  '.vscode-test',
]);
/**
 * Data folders: listed as present, never walked without git (they can hold millions of files). Root-relative paths:
 * `data` is only the top-level folder: a nested `data/` is as often sources, e.g. the Hydra config group `configs/data/`
 * or a Python package `src/pkg/data/`, and skipping it made restricted mode report such configs as git-ignored (HYD008)
 * and miss their findings. Run folders (W&B, MLflow, Hydra, Lightning) are not descended either, at any depth, but they
 * are recognised by their markers (runs/folders.ts), not by their names: `src/pkg/wandb/` is a package.
 */
export const ARTEFACT_DIRS = new Set(['data', '.dvc/cache', '.dvc/tmp']);

/**
 * Folders whose files are copies or installed code, by name at any depth: Hydra's `.hydra/` (the composed config of a
 * run), DVC's cache, environments. Their files are never checked as the project's own.
 */
export const COPY_DIR_PATTERNS = ['.hydra/', '.dvc/cache/', '.dvc/tmp/', 'node_modules/', '.venv/', 'venv/'];
export const copyDirs = ignore().add(COPY_DIR_PATTERNS);

/** The first folder of each pattern: a path that contains none of them is in no copy folder. */
const COPY_DIR_HEADS = [...new Set(COPY_DIR_PATTERNS.map((p) => p.split('/')[0] + '/'))];
/** False when no COPY_DIR_PATTERNS folder can be in `rel` (asked for every listed path: a substring test first). */
export function mayBeInCopyDir(rel: string): boolean {
  return COPY_DIR_HEADS.some((h) => rel.includes(h));
}

/**
 * A path inside a cookiecutter template folder (`{{ cookiecutter.project_slug }}/...`): the files there are Jinja
 * templates of a project, not a project (their YAML does not even parse before rendering). Never listed, so every rule,
 * file or repository, sees the same workspace without them.
 */
export function isTemplatePath(rel: string): boolean {
  return /(^|\/)[^/]*\{\{\s*cookiecutter\.[^/]*(\/|$)/.test(rel);
}

/** A listing git process that writes nothing for this long is stopped and the walker lists instead. */
const GIT_QUIET_MS = 10_000;

export interface FileEntry {
  /** Known to git's index. */
  tracked: boolean;
}

/** The first lines of what a failed git process said (simple-git puts its stderr in the message), without blanks. */
function gitErrorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join(' ')
    .slice(0, 300);
}

/** Whether `dir` or a parent holds a `.git` (folder, or file of a worktree or submodule). */
function insideGitRepository(dir: string): boolean {
  for (let d = dir; ;) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    const up = path.dirname(d);
    if (up === d) return false;
    d = up;
  }
}

/** What a listing fills in: the workspace's own listing state (see Workspace.relist). */
export interface ListingTarget {
  readonly root: string;
  readonly files: Map<string, FileEntry>;
  readonly listingNotes: string[];
  readonly artefactDirs: Set<string>;
  readonly walkRunFolders: RunFolder[];
  compileGitignore(rel: string, text: string): Ignore;
}

/** What git said about the folder: where it is in its repository, or why it could not list it. */
export type GitListing = { top: string; prefix: string } | { failure: string | undefined };

/** Lists `root` with git into `files`. */
export async function listWithGit(root: string, files: Map<string, FileEntry>): Promise<GitListing> {
  if (!fs.existsSync(root)) return { failure: undefined };
  try {
    // two git processes at once (outside a repository both fail): where the repository is, and the tracked and
    // untracked files in one list (`-t` tags each entry: `?` untracked, a letter for the index's entries)
    // a git that goes quiet for 10 s is stopped (the walker lists instead): git opens every .gitignore it meets, and
    // a named pipe under that name (an untracked one: git cannot track pipes) blocked it, and us, forever
    // done when git's output is closed: simple-git's default also arms a 50 ms timer at exit, which kept a short
    // check (the CLI on a small project) alive for those 50 ms after its work was done
    const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 2, timeout: { block: GIT_QUIET_MS }, completion: { onClose: true, onExit: false } });
    const [where, listed] = await Promise.all([
      git.raw(['rev-parse', '--show-toplevel', '--show-prefix']),
      git.raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard']),
    ]);
    const [top, prefix = ''] = where.split('\n').map((l) => l.trim());
    if (!top) return { failure: undefined };
    for (const e of splitZ(listed)) {
      const p = e.slice(2);
      if (isTemplatePath(p)) continue;
      const tracked = e[0] !== '?';
      const known = files.get(p);
      if (!known) files.set(p, { tracked });
      else if (tracked) known.tracked = true;
    }
    return { top, prefix };
  } catch (e) {
    // not a repository, git missing, or a broken repository: fall back to the walker; inside a repository say so
    const said = gitErrorText(e);
    if (!/not a git repository/i.test(said) && insideGitRepository(root)) return { failure: said || 'git failed without a message' };
    return { failure: undefined };
  }
}

/**
 * Lists files without git, honouring .gitignore files, never following symlinks, never entering bulk folders, data
 * folders or run folders (recognised by their markers: a peek at their children, see runs/folders.ts).
 */
export function walk(t: ListingTarget, cap: number): void {
  const stack: string[] = [''];
  const dirMatchers: Matcher[] = [];
  const seen = new Set<string>();
  // folder contents read once: a peek for run-folder markers reads what the walk reads next when it descends
  const read = new Map<string, fs.Dirent[] | NodeJS.ErrnoException>();
  const readDirents = (dir: string): fs.Dirent[] | NodeJS.ErrnoException => {
    let r = read.get(dir);
    if (!r) {
      try {
        r = fs.readdirSync(path.join(t.root, dir), { withFileTypes: true });
      } catch (e) {
        r = e as NodeJS.ErrnoException;
      }
      read.set(dir, r);
    }
    return r;
  };
  const tree: FolderTree = {
    children: (dir) => {
      const r = readDirents(dir);
      return Array.isArray(r) ? new Map(r.map((e) => [e.name, e.isDirectory()])) : undefined;
    },
  };
  while (stack.length) {
    const dir = stack.pop()!;
    const entries = readDirents(dir);
    read.delete(dir);
    if (!Array.isArray(entries)) {
      t.listingNotes.push(`could not list ${dir || '.'}: ${entries.code ?? String(entries)}`);
      continue;
    }
    const abs = path.join(t.root, dir);
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      const r = readTextFile(path.join(abs, '.gitignore'), undefined, t.root);
      if (r.ok) dirMatchers.push({ dir, ig: t.compileGitignore(dir ? `${dir}/.gitignore` : '.gitignore', r.text) }); // else unreadable: treated as absent
    }
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (BULK_DIRS.has(e.name) || isTemplatePath(rel)) continue;
        if (isIgnoredBy(dirMatchers, rel, true)) continue;
        const run = ARTEFACT_DIRS.has(rel) ? undefined : runFolderKind(tree, rel);
        if (ARTEFACT_DIRS.has(rel) || run) {
          // present but not walked: rules see it through exists() and runFolders(), never by listing its files
          t.listingNotes.push(`not walked: ${rel}/ (data or run artefacts; git lists it when git is usable)`);
          t.artefactDirs.add(rel);
          if (run) t.walkRunFolders.push(run);
          if (rel === 'data') listDvcPointers(t, rel, dirMatchers);
          continue;
        }
        if (seen.has(rel)) continue;
        seen.add(rel);
        stack.push(rel);
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (isIgnoredBy(dirMatchers, rel, false)) continue;
        t.files.set(rel, { tracked: false });
        if (t.files.size >= cap) {
          t.listingNotes.push(`stopped listing after ${cap} files`);
          return;
        }
      }
    }
  }
}

/**
 * The top level of data/, without descending: `dvc add data/raw` writes data/raw.dvc and data/.gitignore there, and
 * without them the DVC rules and the status would not know the data is tracked (restricted mode, `--no-git`).
 */
function listDvcPointers(t: ListingTarget, dir: string, matchers: Matcher[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(t.root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isFile() || !(e.name.endsWith('.dvc') || e.name === '.gitignore')) continue;
    const rel = `${dir}/${e.name}`;
    if (!isIgnoredBy(matchers, rel, false)) t.files.set(rel, { tracked: false });
  }
}

function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}
