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

interface CacheFile {
  version: 1;
  root: string;
  entries: Record<string, Row>;
}

/** Cap so that a cache never grows without bound over many projects' data churn. */
const MAX_ENTRIES = 2_000_000;

/**
 * Hashes already computed, keyed by (path, size, mtime, inode), kept OUTSIDE the user's repository (one JSON file per
 * workspace folder in a cache folder the caller chooses: VS Code's global storage, or the OS cache folder for the CLI).
 * A second status with no change reads no file contents, only stats.
 */
export class HashCache {
  private entries: Map<string, Row>;
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(readonly file: string | undefined, readonly root: string, entries: Map<string, Row>) {
    this.entries = entries;
  }

  /**
   * Loads the cache of `root` from `cacheDir`. A cache folder inside the workspace is refused (the cache then lives in
   * memory only): we never write into the user's repository. An unreadable or corrupt cache file is treated as empty.
   */
  static load(cacheDir: string | undefined, root: string): HashCache {
    const absRoot = path.resolve(root);
    if (!cacheDir || isInside(path.resolve(cacheDir), absRoot)) return new HashCache(undefined, absRoot, new Map());
    const file = path.join(path.resolve(cacheDir), `hashes-${createHash('sha256').update(absRoot).digest('hex').slice(0, 16)}.json`);
    const entries = new Map<string, Row>();
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (data.version === 1 && data.root === absRoot && data.entries && typeof data.entries === 'object') {
        for (const [k, v] of Object.entries(data.entries)) if (Array.isArray(v) && v.length === 5) entries.set(k, v);
      }
    } catch {
      /* no cache yet, or a corrupt one: start empty */
    }
    return new HashCache(file, absRoot, entries);
  }

  /** The hash recorded for this exact version of the file, if any. */
  get(abs: string, key: FileKey, name: HashName): string | undefined {
    const row = this.entries.get(abs);
    if (row && row[0] === key.size && row[1] === key.mtimeMs && row[2] === key.ino) {
      const v = name === 'md5' ? row[3] : row[4];
      if (v) {
        this.hits++;
        return v;
      }
    }
    this.misses++;
    return undefined;
  }

  set(abs: string, key: FileKey, name: HashName, value: string): void {
    let row = this.entries.get(abs);
    if (!row || row[0] !== key.size || row[1] !== key.mtimeMs || row[2] !== key.ino) {
      row = [key.size, key.mtimeMs, key.ino, null, null];
      this.entries.set(abs, row);
    }
    row[name === 'md5' ? 3 : 4] = value;
    this.dirty = true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Writes the cache if it changed (to a temporary file renamed into place: a crash never leaves half a cache). */
  save(): void {
    if (!this.dirty || !this.file) return;
    if (this.entries.size > MAX_ENTRIES) this.entries = new Map([...this.entries].slice(this.entries.size - MAX_ENTRIES));
    const data: CacheFile = { version: 1, root: this.root, entries: Object.fromEntries(this.entries) };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      /* a read-only or full cache folder: the next status hashes again, nothing breaks */
    }
  }
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
