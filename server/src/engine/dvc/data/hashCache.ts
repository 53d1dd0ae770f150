import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HashName } from './hashing';

/** What identifies one version of a file without reading it (DVC's own state db uses the same: inode, mtime, size). */
export interface FileKey {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** [size, mtimeMs, ino, md5, md5-dos2unix] */
type Row = [number, number, number, string | null, string | null];

/** Cap so that a cache never grows without bound over many projects' data churn. */
const MAX_ENTRIES = 2_000_000;

interface FilesCacheFile {
  version: 2;
  root: string;
  /** Keyed by the path relative to `root` (POSIX); kept as the parsed object: no copy into a Map on load. */
  entries: Record<string, Row>;
}

/**
 * A tracked path's result (a folder, or a single file), valid while its fingerprint is the same: for a folder, md5 over
 * every file's (relpath, size, mtime, inode); for a file, its own (size, mtime, inode).
 */
export interface TargetResult {
  fp: string;
  md5: string;
  size: number;
  nfiles: number;
}

interface DirsCacheFile {
  version: 2;
  root: string;
  /** "<hash name>\0<relative path>" -> result, for every tracked folder and file. */
  dirs: Record<string, TargetResult>;
  /** `.dir` objects found complete in a DVC cache folder: "<cache folder>\0<oid>". */
  completeDirs: string[];
}

/**
 * Hashes already computed, keyed by (path, size, mtime, inode), kept OUTSIDE the user's repository (files in a cache
 * folder the caller chooses: VS Code's global storage, or the OS cache folder for the CLI). Two files per workspace
 * folder: a small one with the result of every tracked path (checked against a fingerprint of its stats, so an unchanged
 * folder of 100,000 files costs one walk and no per-file lookups, and an unchanged single file one stat) and the
 * per-file hashes, loaded only when some tracked path changed.
 * A second status with no change reads no file contents, only stats.
 */
export class HashCache {
  private filesDirty = false;
  private dirsDirty = false;
  private readonly prefix: string;
  private entries?: Record<string, Row>;
  private readonly dirs: Record<string, TargetResult>;
  readonly completeDirs: Set<string>;
  hits = 0;
  misses = 0;

  private constructor(
    private readonly base: string | undefined,
    readonly root: string,
    dirs: DirsCacheFile | undefined,
  ) {
    this.prefix = root.endsWith(path.sep) ? root : root + path.sep;
    this.dirs = dirs?.dirs ?? (Object.create(null) as Record<string, TargetResult>);
    this.completeDirs = new Set(dirs?.completeDirs ?? []);
    if (!base) this.entries = Object.create(null) as Record<string, Row>;
  }

  /**
   * Opens the cache of `root` in `cacheDir`. A cache folder inside the workspace is refused (the cache then lives in
   * memory only): we never write into the user's repository. An unreadable or corrupt cache file is treated as empty.
   */
  static load(cacheDir: string | undefined, root: string): HashCache {
    const absRoot = path.resolve(root);
    if (!cacheDir || isInside(path.resolve(cacheDir), absRoot)) return new HashCache(undefined, absRoot, undefined);
    const base = path.join(path.resolve(cacheDir), createHash('sha256').update(absRoot).digest('hex').slice(0, 16));
    const dirs = readJson<DirsCacheFile>(`${base}-dirs.json`);
    const ok = dirs && dirs.version === 2 && dirs.root === absRoot && isObject(dirs.dirs) && Array.isArray(dirs.completeDirs);
    return new HashCache(base, absRoot, ok ? dirs : undefined);
  }

  /** Where the per-file hashes are (for tests and diagnostics). */
  get filesPath(): string | undefined {
    return this.base && `${this.base}-files.json`;
  }

  private files(): Record<string, Row> {
    if (this.entries) return this.entries;
    const data = readJson<FilesCacheFile>(this.filesPath!);
    this.entries =
      data && data.version === 2 && data.root === this.root && isObject(data.entries) ? data.entries : (Object.create(null) as Record<string, Row>);
    return this.entries;
  }

  private keyOf(abs: string): string {
    const rel = abs.startsWith(this.prefix) ? abs.slice(this.prefix.length) : abs;
    return path.sep === '/' ? rel : rel.split(path.sep).join('/');
  }

  /** The hash recorded for this exact version of the file, if any. */
  get(abs: string, key: FileKey, name: HashName): string | undefined {
    const row = this.files()[this.keyOf(abs)];
    if (Array.isArray(row) && row[0] === key.size && row[1] === key.mtimeMs && row[2] === key.ino) {
      const v = name === 'md5' ? row[3] : row[4];
      if (typeof v === 'string') {
        this.hits++;
        return v;
      }
    }
    this.misses++;
    return undefined;
  }

  set(abs: string, key: FileKey, name: HashName, value: string): void {
    const files = this.files();
    const k = this.keyOf(abs);
    let row = files[k];
    if (!Array.isArray(row) || row[0] !== key.size || row[1] !== key.mtimeMs || row[2] !== key.ino) {
      row = [key.size, key.mtimeMs, key.ino, null, null];
      files[k] = row;
    }
    row[name === 'md5' ? 3 : 4] = value;
    this.filesDirty = true;
  }

  /** A tracked path's result if its fingerprint is unchanged. */
  getTarget(abs: string, name: HashName, fp: string): TargetResult | undefined {
    const r = this.dirs[`${name}\0${this.keyOf(abs)}`];
    return r && r.fp === fp ? r : undefined;
  }

  setTarget(abs: string, name: HashName, result: TargetResult): void {
    const k = `${name}\0${this.keyOf(abs)}`;
    const old = this.dirs[k];
    if (old && old.fp === result.fp && old.md5 === result.md5) return;
    this.dirs[k] = result;
    this.dirsDirty = true;
  }

  /** The folders whose results are cached with at least `minFiles` files (absolute paths): what the last status walked. */
  folders(minFiles: number): string[] {
    const out = new Set<string>();
    for (const [k, r] of Object.entries(this.dirs)) {
      if (!r || r.nfiles < minFiles || typeof r.fp !== 'string' || r.fp.startsWith('file\0')) continue;
      const rel = k.slice(k.indexOf('\0') + 1);
      out.add(rel ? path.join(this.root, ...rel.split('/')) : this.root);
    }
    return [...out];
  }

  /** Remembers that a `.dir` object and all its files were found in a DVC cache folder (objects are immutable). */
  markComplete(cacheAbs: string, oid: string): void {
    const k = `${cacheAbs}\0${oid}`;
    if (this.completeDirs.has(k)) return;
    this.completeDirs.add(k);
    this.dirsDirty = true;
  }

  isComplete(cacheAbs: string, oid: string): boolean {
    return this.completeDirs.has(`${cacheAbs}\0${oid}`);
  }

  /** Writes what changed (to temporary files renamed into place: a crash never leaves half a cache). */
  save(): void {
    if (!this.base) return;
    try {
      if (this.filesDirty && this.entries) {
        let entries = this.entries;
        const keys = Object.keys(entries);
        if (keys.length > MAX_ENTRIES) entries = Object.fromEntries(keys.slice(keys.length - MAX_ENTRIES).map((k) => [k, this.entries![k]]));
        writeAtomic(this.filesPath!, JSON.stringify({ version: 2, root: this.root, entries } satisfies FilesCacheFile));
        this.filesDirty = false;
      }
      if (this.dirsDirty) {
        writeAtomic(
          `${this.base}-dirs.json`,
          JSON.stringify({ version: 2, root: this.root, dirs: this.dirs, completeDirs: [...this.completeDirs].slice(-10_000) } satisfies DirsCacheFile),
        );
        this.dirsDirty = false;
      }
    } catch {
      /* a read-only or full cache folder: the next status hashes again, nothing breaks */
    }
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // no cache yet, or a corrupt one: start empty
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The CLI's cache folder: $XDG_CACHE_HOME/mlops-hygiene, or the platform's usual place. */
export function defaultCacheDir(): string {
  const env = process.env;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'mlops-hygiene');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'mlops-hygiene', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'mlops-hygiene');
  return path.join(os.homedir(), '.cache', 'mlops-hygiene');
}
