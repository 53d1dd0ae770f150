import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { simpleGit } from 'simple-git';
import { YamlDocument } from './text/yamlDocument';
import { TomlDocument } from './text/tomlDocument';
import { compileIgnore, type SkippedPattern } from './ignoreFile';
import { NotRegularFileError, openPlainFile, openRegularFile, readSmallPlainFile } from './regularFile';
import {
  collapseRunFolders,
  diskTree,
  findRunFolders,
  listingTree,
  mayMarkRunFolder,
  runFolderKind,
  RunFolderIndex,
  type FolderTree,
  type RunFolder,
} from './runs/folders';

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
const copyDirs = ignore().add(COPY_DIR_PATTERNS);
/** A relative POSIX path with an empty, `.` or `..` segment (or empty): `abs` lets path.join normalise those. */
const NOT_NORMALISED = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** The first folder of each pattern: a path that contains none of them is in no copy folder. */
const COPY_DIR_HEADS = [...new Set(COPY_DIR_PATTERNS.map((p) => p.split('/')[0] + '/'))];
/** False when no COPY_DIR_PATTERNS folder can be in `rel` (asked for every listed path: a substring test first). */
function mayBeInCopyDir(rel: string): boolean {
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

/** Texts larger than this are not read for analysis (a 50 MB YAML is data, not a config). */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/** A listing git process that writes nothing for this long is stopped and the walker lists instead. */
const GIT_QUIET_MS = 10_000;

export interface FileEntry {
  /** Known to git's index. */
  tracked: boolean;
}

export type ReadResult =
  /** `replaced`: the file is not valid UTF-8; its invalid bytes were decoded as U+FFFD, the first at this offset. */
  | { ok: true; text: string; replaced?: { offset: number } }
  | { ok: false; reason: 'missing' | 'directory' | 'too-large' | 'binary' | 'unreadable'; detail: string };

export interface FileStat {
  size: number;
  /**
   * Undefined (with `ino`) for a small file whose first read served as its stat (see readFresh): the listing's paths
   * are each read once, and a file event forgets both the stat and the text.
   */
  mtimeMs: number | undefined;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  ino: number | undefined;
}

export interface WorkspaceOptions {
  /** Spawn git to list files. Off in untrusted workspaces and when git is unusable. */
  useGit?: boolean;
  /** At most this many files are listed by the walker without git (protects against pathological trees). */
  maxWalkFiles?: number;
}

/** Something that wants to know which files a computation read, so it can be redone when they change. */
export interface ReadTracker {
  /** The computation used the contents of `rel`. */
  read(rel: string): void;
  /**
   * The computation used only whether `rel` exists, is listed or tracked, or its size: an unsaved edit of the file in the
   * editor cannot change that, only an event on disk can.
   */
  stat(rel: string): void;
  /**
   * Optional: the computation used the memoised value `key` (the engine knows what computing it read). A tracker without
   * this method is told the memo's reads one by one instead.
   */
  usedMemo?(key: string): void;
  /** The computation enumerated files, so it depends on the listing as a whole. */
  listed(): void;
}

interface CachedText {
  /** Undefined when the file was read without a stat (see readFresh): equal only to a stat that has none either. */
  mtimeMs: number | undefined;
  size: number;
  result: ReadResult;
  yaml?: YamlDocument;
  toml?: TomlDocument;
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

/**
 * The workspace model: which files exist, which git tracks, which are ignored, and their contents on demand.
 * Listing happens once (and again on demand after git operations); reads are cached by mtime and size, and the
 * editor's unsaved texts (overlays) take precedence over the disk.
 */
export class Workspace {
  /** Files listed: tracked ones and untracked ones that are not ignored. Keys are root-relative POSIX paths. */
  private readonly files = new Map<string, FileEntry>();
  /** Why the listing is incomplete, if it is (walk cap reached, unreadable folders). */
  readonly listingNotes: string[] = [];
  isGitRepository = false;
  /** How the files were listed: by git, or by the walker (no git wanted, not a repository, or git failed). */
  listedBy: 'git' | 'walk' = 'walk';
  /**
   * What git said when it could not list a folder that is inside a git repository (a corrupt index, a broken
   * repository, git missing): the listing fell back to the walker (MLH008). Undefined when git listed, or was not used.
   */
  gitFailure?: string;
  /** Folder prefix of `root` inside its git repository ('' at the top). */
  gitPrefix = '';
  gitTopLevel?: string;
  /** The default branch, once asked for (see `defaultBranch`); reset by a relist. */
  private branch?: { name: string | undefined };

  private readonly overlays = new Map<string, string>();
  private readonly cache = new Map<string, CachedText>();
  private readonly statCache = new Map<string, FileStat | null>();
  private matchers?: Matcher[];
  private tracker?: ReadTracker;
  private gitignorePaths?: string[];
  private visibleCache?: Map<string, FileEntry>;
  private trackedCache?: string[];

  private constructor(
    readonly root: string,
    readonly options: Required<WorkspaceOptions>,
  ) {}

  static async load(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
    const ws = new Workspace(path.resolve(root), {
      useGit: options.useGit ?? true,
      maxWalkFiles: options.maxWalkFiles ?? 500_000,
    });
    await ws.relist();
    return ws;
  }

  /** Re-reads the listing (after a checkout, a commit, or a batch of file events). Keeps text caches. */
  async relist(): Promise<void> {
    this.files.clear();
    this.trackedCache = undefined;
    this.listingNotes.length = 0;
    this.statCache.clear();
    this.matchers = undefined;
    this.visibleCache = undefined;
    this.isGitRepository = false;
    this.listedBy = 'walk';
    this.gitFailure = undefined;
    this.branch = undefined;
    this.runFolderCache = undefined;
    this.walkRunFolders.length = 0;
    this.artefactDirs.clear();
    if (this.options.useGit && (await this.listWithGit())) {
      this.listedBy = 'git';
      this.trackedCache = undefined; // asked while git was listing: that answer was of the empty listing
      return;
    }
    if (this.gitFailure) this.listingNotes.push(`git could not list the files (${this.gitFailure}): listed by walking the folder, honouring .gitignore`);
    this.walk();
  }

  /**
   * The branch CI runs on by default: origin's HEAD (`refs/remotes/origin/HEAD`), else the current branch. Undefined
   * without git (untrusted workspace, no repository, detached HEAD without a remote). Asked of git on first use only
   * (two short processes): most commands never need it.
   */
  get defaultBranch(): string | undefined {
    if (!this.isGitRepository) return undefined;
    if (!this.branch) {
      const originHead = this.gitSync(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'])
        .trim()
        .replace(/^origin\//, '');
      this.branch = { name: originHead || this.gitSync(['branch', '--show-current']).trim() || undefined };
    }
    return this.branch.name;
  }

  /** A git command's output ('' when it fails), run synchronously: for the answers asked for on first use. */
  private gitSync(args: string[]): string {
    const r = childProcess.spawnSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      timeout: 10_000,
      windowsHide: true,
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return r.status === 0 ? r.stdout : '';
  }

  private async listWithGit(): Promise<boolean> {
    if (!fs.existsSync(this.root)) return false;
    try {
      // two git processes at once (outside a repository both fail): where the repository is, and the tracked and
      // untracked files in one list (`-t` tags each entry: `?` untracked, a letter for the index's entries)
      // a git that goes quiet for 10 s is stopped (the walker lists instead): git opens every .gitignore it meets, and
      // a named pipe under that name (an untracked one: git cannot track pipes) blocked it, and us, forever
      // done when git's output is closed: simple-git's default also arms a 50 ms timer at exit, which kept a short
      // check (the CLI on a small project) alive for those 50 ms after its work was done
      const git = simpleGit({ baseDir: this.root, maxConcurrentProcesses: 2, timeout: { block: GIT_QUIET_MS }, completion: { onClose: true, onExit: false } });
      const [where, listed] = await Promise.all([
        git.raw(['rev-parse', '--show-toplevel', '--show-prefix']),
        git.raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard']),
      ]);
      const [top, prefix = ''] = where.split('\n').map((l) => l.trim());
      if (!top) return false;
      for (const e of splitZ(listed)) {
        const p = e.slice(2);
        if (isTemplatePath(p)) continue;
        const tracked = e[0] !== '?';
        const known = this.files.get(p);
        if (!known) this.files.set(p, { tracked });
        else if (tracked) known.tracked = true;
      }
      this.isGitRepository = true;
      this.gitTopLevel = top;
      this.gitPrefix = prefix;
      return true;
    } catch (e) {
      // not a repository, git missing, or a broken repository: fall back to the walker; inside a repository say so
      const said = gitErrorText(e);
      if (!/not a git repository/i.test(said) && insideGitRepository(this.root)) this.gitFailure = said || 'git failed without a message';
      return false;
    }
  }

  /**
   * Lists files without git, honouring .gitignore files, never following symlinks, never entering bulk folders, data
   * folders or run folders (recognised by their markers: a peek at their children, see runs/folders.ts).
   */
  private walk(): void {
    const stack: string[] = [''];
    const cap = this.options.maxWalkFiles;
    const dirMatchers: Matcher[] = [];
    const seen = new Set<string>();
    // folder contents read once: a peek for run-folder markers reads what the walk reads next when it descends
    const read = new Map<string, fs.Dirent[] | NodeJS.ErrnoException>();
    const readDirents = (dir: string): fs.Dirent[] | NodeJS.ErrnoException => {
      let r = read.get(dir);
      if (!r) {
        try {
          r = fs.readdirSync(path.join(this.root, dir), { withFileTypes: true });
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
        this.listingNotes.push(`could not list ${dir || '.'}: ${entries.code ?? String(entries)}`);
        continue;
      }
      const abs = path.join(this.root, dir);
      const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
      if (gi) {
        const r = readTextFile(path.join(abs, '.gitignore'), undefined, this.root);
        if (r.ok) dirMatchers.push({ dir, ig: this.compileGitignore(dir ? `${dir}/.gitignore` : '.gitignore', r.text) }); // else unreadable: treated as absent
      }
      for (const e of entries) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (BULK_DIRS.has(e.name) || isTemplatePath(rel)) continue;
          if (isIgnoredBy(dirMatchers, rel, true)) continue;
          const run = ARTEFACT_DIRS.has(rel) ? undefined : runFolderKind(tree, rel);
          if (ARTEFACT_DIRS.has(rel) || run) {
            // present but not walked: rules see it through exists() and runFolders(), never by listing its files
            this.listingNotes.push(`not walked: ${rel}/ (data or run artefacts; git lists it when git is usable)`);
            this.artefactDirs.add(rel);
            if (run) this.walkRunFolders.push(run);
            if (rel === 'data') this.listDvcPointers(rel, dirMatchers);
            continue;
          }
          if (seen.has(rel)) continue;
          seen.add(rel);
          stack.push(rel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          if (isIgnoredBy(dirMatchers, rel, false)) continue;
          this.files.set(rel, { tracked: false });
          if (this.files.size >= cap) {
            this.listingNotes.push(`stopped listing after ${cap} files`);
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
  private listDvcPointers(dir: string, matchers: Matcher[]): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(this.root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isFile() || !(e.name.endsWith('.dvc') || e.name === '.gitignore')) continue;
      const rel = `${dir}/${e.name}`;
      if (!isIgnoredBy(matchers, rel, false)) this.files.set(rel, { tracked: false });
    }
  }

  /** Artefact folders seen by the walker but not descended into. */
  readonly artefactDirs = new Set<string>();
  /** Run folders the walker found by their markers (and did not descend). */
  private readonly walkRunFolders: RunFolder[] = [];
  private runFolderCache?: RunFolderIndex;

  /**
   * The run folders of the workspace (W&B, MLflow, Hydra, Lightning), found by their markers in the listing (at any
   * depth) and, without git, by the walk's peek into the folders it did not descend. Cached until the listing changes.
   */
  runFolders(): RunFolderIndex {
    if (!this.runFolderCache) {
      const fromListing = findRunFolders(listingTree(this.files.keys()));
      this.runFolderCache = new RunFolderIndex(collapseRunFolders([...fromListing, ...this.walkRunFolders]));
    }
    return this.runFolderCache;
  }

  /**
   * The run folders at or below `rel` on disk, listed or not (a git-ignored `wandb/` is not in the listing but is in a
   * Docker build context): a bounded peek (`maxFolders` folders), for the folders a rule is about to name.
   */
  runFoldersOnDisk(rel: string, maxFolders = 64): RunFolder[] {
    this.tracker?.listed();
    return findRunFolders(diskTree(this.root), { start: rel, maxFolders, skip: (_d, name) => BULK_DIRS.has(name) });
  }

  /**
   * Whether a file is a copy rather than the project's own: inside a run folder (by its markers), a `.hydra/` folder,
   * DVC's cache or an environment. `settings.isRunArtefact` asks this.
   */
  isRunArtefact(rel: string): boolean {
    return rel !== '' && ((mayBeInCopyDir(rel) && copyDirs.ignores(rel)) || this.runFolders().containing(rel) !== undefined);
  }

  // ---------------------------------------------------------------- queries

  /**
   * The listing as the user sees it now: git's listing, minus untracked files that an unsaved edit of a .gitignore
   * (an editor overlay, e.g. after a quick fix) now ignores. Saved .gitignore changes are followed by a relist.
   */
  private visible(): Map<string, FileEntry> {
    // asked for every `has`: no array of the overlays' names when there is none (the CLI) or none is a .gitignore
    if (this.overlays.size === 0) return this.files;
    let ignoreEdited = false;
    for (const k of this.overlays.keys()) if (k === '.gitignore' || k.endsWith('/.gitignore')) ignoreEdited = true;
    if (!ignoreEdited) return this.files;
    if (this.visibleCache) return this.visibleCache;
    const matchers = this.ignoreMatchers();
    const m = new Map<string, FileEntry>();
    for (const [p, e] of this.files) if (e.tracked || !isIgnoredBy(matchers, p, false)) m.set(p, e);
    return (this.visibleCache = m);
  }

  /** Listed (tracked, or untracked and not ignored). */
  has(rel: string): boolean {
    this.tracker?.stat(rel);
    return this.visible().has(rel);
  }

  isTracked(rel: string): boolean {
    this.tracker?.stat(rel);
    return this.files.get(rel)?.tracked ?? false;
  }

  /** Number of listed files. */
  get size(): number {
    return this.visible().size;
  }

  /** Every listed path (tracked, or untracked and not ignored). */
  paths(): IterableIterator<string> {
    this.tracker?.listed();
    return this.visible().keys();
  }

  /** Listed paths with their entry. */
  entries(): IterableIterator<[string, FileEntry]> {
    this.tracker?.listed();
    return this.visible().entries();
  }

  /**
   * Tracked file paths, in listing order: one array per listing (several repository rules walk it, and a generator
   * over the listing's entries allocated a pair per file and rule).
   */
  tracked(): readonly string[] {
    this.tracker?.listed();
    if (!this.trackedCache) {
      const out: string[] = [];
      for (const [p, e] of this.files) if (e.tracked) out.push(p);
      this.trackedCache = out;
    }
    return this.trackedCache;
  }

  /** The tracker reads are currently reported to (the engine's memo uses it). */
  get currentTracker(): ReadTracker | undefined {
    return this.tracker;
  }

  /** Whether a path exists on disk (file or folder), listed or not. Does not follow symlinks out of the tree. */
  exists(rel: string): boolean {
    return this.stat(rel) !== undefined;
  }

  isDirectory(rel: string): boolean {
    return this.stat(rel)?.isDirectory ?? false;
  }

  /** lstat, cached until the next event touching the path. */
  stat(rel: string): FileStat | undefined {
    this.tracker?.stat(rel);
    const hit = this.statCache.get(rel);
    if (hit !== undefined) return hit ?? undefined;
    let st: FileStat | null = null;
    try {
      const s = fs.lstatSync(this.abs(rel));
      st = { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory(), isSymbolicLink: s.isSymbolicLink(), ino: s.ino };
    } catch {
      st = null;
    }
    this.statCache.set(rel, st);
    return st ?? undefined;
  }

  /** Listed files under a folder (prefix without trailing slash; '' for all). */
  *filesUnder(dir: string): Iterable<string> {
    const prefix = dir ? dir.replace(/\/$/, '') + '/' : '';
    this.tracker?.listed();
    for (const p of this.files.keys()) if (p.startsWith(prefix)) yield p;
  }

  /** Names in a folder on disk (not only listed ones); empty when it is absent or unreadable. */
  readDir(rel: string): fs.Dirent[] {
    this.tracker?.listed();
    try {
      return fs.readdirSync(this.abs(rel), { withFileTypes: true });
    } catch {
      return [];
    }
  }

  /**
   * Whether git would ignore `rel` (a folder when `isDir`), judged from the .gitignore files of the workspace and
   * .git/info/exclude with gitignore semantics (the `ignore` package), so it also answers for paths that do not exist.
   */
  isIgnored(rel: string, isDir = false): boolean {
    if (this.files.has(rel) && !isDir) return false;
    const matchers = this.ignoreMatchers();
    if (this.tracker) for (const gi of this.gitignorePaths ?? []) this.tracker.read(gi);
    return isIgnoredBy(matchers, rel, isDir);
  }

  /** Paths of the .gitignore files that decide about the workspace, top first. */
  gitignoreFiles(): string[] {
    return [...this.files.keys()].filter((p) => p === '.gitignore' || p.endsWith('/.gitignore')).sort((a, b) => a.split('/').length - b.split('/').length);
  }

  private ignoreMatchers(): Matcher[] {
    if (this.matchers) return this.matchers;
    const list: Matcher[] = [];
    const top = this.gitTopLevel ?? this.root;
    const prefix = this.gitTopLevel ? this.gitPrefix : '';
    const exclude = readTextFile(path.join(top, '.git', 'info', 'exclude'));
    if (exclude.ok) list.push({ dir: '', prefix, ig: compileIgnore(exclude.text).ig });
    // The workspace may be a sub-folder of its repository: the .gitignore files above it apply too.
    const segments = prefix.split('/').filter(Boolean);
    for (let i = 0; i < segments.length; i++) {
      const above = readTextFile(path.join(top, ...segments.slice(0, i), '.gitignore'));
      if (above.ok) list.push({ dir: '', prefix: segments.slice(i).join('/') + '/', ig: compileIgnore(above.text).ig });
    }
    this.gitignorePaths = this.gitignoreFiles();
    for (const gi of this.gitignorePaths) {
      const r = this.readText(gi);
      if (r.ok) list.push({ dir: gi === '.gitignore' ? '' : gi.slice(0, -'/.gitignore'.length), ig: this.compileGitignore(gi, r.text) });
    }
    this.matchers = list;
    return list;
  }

  /** Patterns of the workspace's .gitignore files that the matcher could not compile (skipped), by file. */
  private readonly skippedPatterns = new Map<string, SkippedPattern[]>();

  private compileGitignore(rel: string, text: string): Ignore {
    const { ig, skipped } = compileIgnore(text);
    if (skipped.length) this.skippedPatterns.set(rel, skipped);
    else this.skippedPatterns.delete(rel);
    return ig;
  }

  /** The .gitignore patterns that are not applied because they cannot be compiled (see compileIgnore). */
  unusableIgnorePatterns(): { file: string; skipped: SkippedPattern[] }[] {
    this.ignoreMatchers();
    if (this.tracker) for (const gi of this.gitignorePaths ?? []) this.tracker.read(gi);
    return [...this.skippedPatterns].filter(([file]) => this.files.has(file)).map(([file, skipped]) => ({ file, skipped }));
  }

  // ---------------------------------------------------------------- contents

  abs(rel: string): string {
    // asked several times per file read: a normalised relative path (no empty, `.` or `..` segment) is simply appended
    if (path.sep === '/' && !NOT_NORMALISED.test(rel)) return this.root === '/' ? `/${rel}` : `${this.root}/${rel}`;
    return path.join(this.root, ...rel.split('/'));
  }

  rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  /** While `tracker` is set, every read is reported to it (the engine uses this to know what to redo on a change). */
  withTracker<T>(tracker: ReadTracker | undefined, fn: () => T): T {
    const prev = this.tracker;
    this.tracker = tracker;
    try {
      return fn();
    } finally {
      this.tracker = prev;
    }
  }

  setOverlay(rel: string, text: string): void {
    this.overlays.set(rel, text);
    this.cache.delete(rel);
    if (rel.endsWith('.gitignore')) this.matchers = this.visibleCache = undefined;
  }

  clearOverlay(rel: string): void {
    this.overlays.delete(rel);
    this.cache.delete(rel);
    if (rel.endsWith('.gitignore')) this.matchers = this.visibleCache = undefined;
  }

  hasOverlay(rel: string): boolean {
    return this.overlays.has(rel);
  }

  /** Forget what is known about a path after a file event. */
  invalidate(rel: string, kind: 'created' | 'changed' | 'deleted'): void {
    this.cache.delete(rel);
    this.statCache.delete(rel);
    if (isTemplatePath(rel)) return;
    if (kind !== 'changed' && mayMarkRunFolder(rel)) this.runFolderCache = undefined;
    if (kind === 'created' && !this.files.has(rel) && !this.isIgnored(rel)) this.files.set(rel, { tracked: false });
    if (kind === 'deleted') {
      const e = this.files.get(rel);
      if (e && !e.tracked) this.files.delete(rel);
      for (const p of [...this.files.keys()]) if (p.startsWith(rel + '/') && !this.files.get(p)!.tracked) this.files.delete(p);
    }
    this.visibleCache = this.trackedCache = undefined;
    if (rel.endsWith('.gitignore') || rel.endsWith('info/exclude')) this.matchers = undefined;
  }

  /** A saved change to this path changes what git lists (ignore rules): the caller should relist. */
  static affectsListing(rel: string): boolean {
    return rel === '.gitignore' || rel.endsWith('/.gitignore');
  }

  /** Reads a text file: cached, size-limited, refusing binary and non-UTF-8 content with a reason. */
  readText(rel: string): ReadResult {
    this.tracker?.read(rel);
    const overlay = this.overlays.get(rel);
    if (overlay !== undefined) return { ok: true, text: overlay };
    return this.cachedEntry(rel).result;
  }

  /**
   * The first `maxBytes` bytes of a regular file (or of a symlink to one), as bytes: for a look at what a file is before
   * reading it whole (a key file by its PEM header, whatever its name). Never decodes, never reads more, never opens a
   * folder, a FIFO or a device. Undefined when there is no such file.
   */
  readHead(rel: string, maxBytes: number): Buffer | undefined {
    this.tracker?.read(rel);
    const overlay = this.overlays.get(rel);
    if (overlay !== undefined) return Buffer.from(overlay.slice(0, maxBytes), 'utf8').subarray(0, maxBytes);
    const st = this.stat(rel);
    if (!st || st.isDirectory) return undefined;
    let fd: number | undefined;
    try {
      if (!fs.statSync(this.abs(rel)).isFile()) return undefined; // a FIFO would block the process, a device never end
      // a link is followed only to a file inside the workspace, as readTextFile does: a committed `deploy_key -> ~/.ssh/id_rsa`
      // must never make the engine read the user's own key
      if (st.isSymbolicLink && !isInside(fs.realpathSync(this.root), fs.realpathSync(this.abs(rel)))) return undefined;
      fd = fs.openSync(this.abs(rel), fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)); // replaced by a FIFO meanwhile: no wait
      const buf = Buffer.alloc(Math.min(maxBytes, st.isSymbolicLink ? maxBytes : st.size));
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /**
   * The first read of a file nothing has stat'ed yet (most files of a first check): one open that refuses links and its
   * fstat give both the stat (cached as lstat would have) and the content. Links, folders, FIFOs and missing files take
   * the general path (lstat, then readTextFile's checks).
   */
  private readFresh(rel: string): CachedText | undefined {
    const small = readSmallPlainFile(this.abs(rel));
    if (small) {
      // the read itself says the path is a regular file of that size (see readSmallPlainFile)
      this.tracker?.stat(rel);
      const st: FileStat = { size: small.length, mtimeMs: undefined, isDirectory: false, isSymbolicLink: false, ino: undefined };
      this.statCache.set(rel, st);
      const entry: CachedText = { mtimeMs: undefined, size: small.length, result: decodeText(small) };
      this.cache.set(rel, entry);
      return entry;
    }
    const opened = openPlainFile(this.abs(rel));
    if (!opened) return undefined;
    const { fd, st: s } = opened;
    try {
      this.tracker?.stat(rel);
      const st: FileStat = { size: s.size, mtimeMs: s.mtimeMs, isDirectory: false, isSymbolicLink: false, ino: s.ino };
      this.statCache.set(rel, st);
      let result: ReadResult;
      try {
        result = s.size > MAX_TEXT_BYTES ? tooLarge(s.size) : decodeText(readOpened(fd, s.size));
      } catch (e) {
        result = { ok: false, reason: 'unreadable', detail: `could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
      }
      const entry: CachedText = { mtimeMs: st.mtimeMs, size: st.size, result };
      this.cache.set(rel, entry);
      return entry;
    } finally {
      fs.closeSync(fd);
    }
  }

  private cachedEntry(rel: string): CachedText {
    if (!this.statCache.has(rel) && !this.cache.has(rel)) {
      const fresh = this.readFresh(rel);
      if (fresh) return fresh;
    }
    const st = this.stat(rel);
    const hit = this.cache.get(rel);
    if (hit && st && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const entry: CachedText = { mtimeMs: st?.mtimeMs ?? -1, size: st?.size ?? -1, result: readTextFile(this.abs(rel), st, this.root) };
    this.cache.set(rel, entry);
    return entry;
  }

  /** The file parsed as YAML with positions, or the reason it could not be read. */
  yaml(rel: string): YamlDocument | Extract<ReadResult, { ok: false }> {
    const r = this.readText(rel);
    if (!r.ok) return r;
    if (this.overlays.has(rel)) return new YamlDocument(r.text);
    const entry = this.cachedEntry(rel);
    return (entry.yaml ??= new YamlDocument(r.text));
  }

  /** The file parsed as TOML, or the reason it could not be read. */
  toml(rel: string): TomlDocument | Extract<ReadResult, { ok: false }> {
    const r = this.readText(rel);
    if (!r.ok) return r;
    if (this.overlays.has(rel)) return new TomlDocument(r.text);
    const entry = this.cachedEntry(rel);
    return (entry.toml ??= new TomlDocument(r.text));
  }
}

function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}

/** A .gitignore's patterns: they apply below `dir` (workspace-relative); `prefix` is prepended for files above the root. */
interface Matcher {
  dir: string;
  ig: Ignore;
  prefix?: string;
}

function isIgnoredBy(matchers: Matcher[], rel: string, isDir: boolean): boolean {
  // gitignore: once a parent folder is ignored, nothing below it can be re-included.
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const dirLike = i < parts.length || isDir;
    let ignored = false;
    for (const m of matchers) {
      if (m.dir && !(sub === m.dir || sub.startsWith(m.dir + '/'))) continue;
      const local = (m.prefix ?? '') + (m.dir ? sub.slice(m.dir.length + 1) : sub);
      if (!local) continue;
      const r = m.ig.test(dirLike ? local + '/' : local);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    if (ignored) return true;
  }
  return false;
}

/**
 * The contents of an open regular file of `size` bytes (from its fstat): read into a buffer of that size, without the
 * second fstat and the read of the end that readFileSync(fd) makes. A size of 0 (some special files say so) reads on.
 */
function readOpened(fd: number, size: number): Buffer {
  if (size === 0) return fs.readFileSync(fd);
  const buf = Buffer.allocUnsafe(size);
  let n = 0;
  while (n < size) {
    const r = fs.readSync(fd, buf, n, size - n, null);
    if (r === 0) break;
    n += r;
  }
  return n < size ? buf.subarray(0, n) : buf;
}

/**
 * Reads a file as UTF-8 text or says why it is not one. Only regular files are read, and symbolic links that lead to a
 * regular file inside `root` (when given): a named pipe, a socket, a device or a link out of the workspace is refused
 * with a reason (MLH001), never opened in a way that could block.
 */
export function readTextFile(abs: string, st?: FileStat, root?: string): ReadResult {
  try {
    if (!st) {
      const s = fs.lstatSync(abs);
      st = { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory(), isSymbolicLink: s.isSymbolicLink(), ino: s.ino };
    }
  } catch {
    return { ok: false, reason: 'missing', detail: 'the file does not exist' };
  }
  if (st.isDirectory) return { ok: false, reason: 'directory', detail: 'it is a folder' };
  if (st.isSymbolicLink) {
    // Follow only links that stay readable files; a dangling link or a loop is reported, never followed further.
    try {
      const real = fs.statSync(abs);
      if (!real.isFile()) return { ok: false, reason: 'unreadable', detail: 'the symbolic link does not point at a file' };
      if (root !== undefined && !isInside(fs.realpathSync(root), fs.realpathSync(abs))) {
        return { ok: false, reason: 'unreadable', detail: 'the symbolic link points outside the workspace' };
      }
    } catch (e) {
      return { ok: false, reason: 'unreadable', detail: `broken symbolic link (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  let buf: Buffer;
  try {
    const { fd, st: real } = openRegularFile(abs);
    try {
      if (real.size > MAX_TEXT_BYTES) return tooLarge(real.size);
      buf = readOpened(fd, real.size);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (e instanceof NotRegularFileError) return { ok: false, reason: 'unreadable', detail: e.message };
    return { ok: false, reason: 'unreadable', detail: `could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  return decodeText(buf);
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/** The bytes of a file as text, or why they are not text. */
function decodeText(buf: Buffer): ReadResult {
  if (buf.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary', detail: 'it contains binary data (NUL bytes)' };
  // One policy for every kind of file: invalid UTF-8 is decoded with replacement characters, as editors show it, and
  // said (MLH001, info), rather than some kinds being skipped without a word and others analysed.
  try {
    return { ok: true, text: stripBom(FATAL_UTF8.decode(buf)) };
  } catch {
    const text = stripBom(LENIENT_UTF8.decode(buf));
    return { ok: true, text, replaced: { offset: Math.max(0, text.indexOf('\ufffd')) } };
  }
}

function tooLarge(size: number): ReadResult {
  return { ok: false, reason: 'too-large', detail: `${formatBytes(size)} is above the ${formatBytes(MAX_TEXT_BYTES)} read limit` };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isInside(root: string, p: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
