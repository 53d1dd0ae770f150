import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Ignore } from 'ignore';
import { YamlDocument } from '../text/yamlDocument';
import { TomlDocument } from '../text/tomlDocument';
import { compileIgnore, type SkippedPattern } from '../ignoreFile';
import { openPlainFile, readSmallPlainFile } from '../regularFile';
import { collapseRunFolders, diskTree, findRunFolders, listingTree, mayMarkRunFolder, RunFolderIndex, type RunFolder } from '../runs/folders';
import { isIgnoredBy, type Matcher } from './ignore';
import { BULK_DIRS, copyDirs, isTemplatePath, listWithGit, mayBeInCopyDir, walk, type FileEntry } from './listing';
import { decodeText, isInside, MAX_TEXT_BYTES, readOpened, readTextFile, tooLarge, type FileStat, type ReadResult } from './reads';

/** A relative POSIX path with an empty, `.` or `..` segment (or empty): `abs` lets path.join normalise those. */
const NOT_NORMALISED = /(?:^|\/)\.{0,2}(?:\/|$)/;

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
    walk(
      {
        root: this.root,
        files: this.files,
        listingNotes: this.listingNotes,
        artefactDirs: this.artefactDirs,
        walkRunFolders: this.walkRunFolders,
        compileGitignore: (rel, text) => this.compileGitignore(rel, text),
      },
      this.options.maxWalkFiles,
    );
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
    const listed = await listWithGit(this.root, this.files);
    if ('failure' in listed) {
      this.gitFailure = listed.failure;
      return false;
    }
    this.isGitRepository = true;
    this.gitTopLevel = listed.top;
    this.gitPrefix = listed.prefix;
    return true;
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
    for (const k of this.overlays.keys())
      if (k === '.gitignore' || k.endsWith('/.gitignore')) {
        ignoreEdited = true;
        break;
      }
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
