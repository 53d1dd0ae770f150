import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Ignore } from 'ignore';
import { AbortedError, dirHash, hashFile, hashSmallFileSync, Yielder, type DirEntry, type HashName } from './hashing';
import type { FileKey, HashCache } from './hashCache';
import { walkTree, type ScannedChunk, type StatPool } from './statPool';

export type PathHash =
  | { kind: 'file'; md5: string; size: number }
  | { kind: 'dir'; md5: string; size: number; nfiles: number }
  | { kind: 'missing' }
  | { kind: 'error'; detail: string };

/** One file to look up or hash: its absolute path and what identifies its version (a FileKey). */
interface FileToHash extends FileKey {
  abs: string;
  md5?: string;
}

interface Target {
  abs: string;
  name: HashName;
  kind: 'file' | 'dir' | 'missing' | 'error';
  detail?: string;
  /**
   * Its files, kept compact (there can be millions, and an unchanged folder needs nothing more): for a folder, the
   * chunks of its walk (names and (size, mtimeMs, inode) of each file, per folder); for a file, its own stats.
   */
  chunks: ScannedChunk[];
  single?: FileKey;
  nfiles: number;
  /** The files as objects, made only when the target's fingerprint missed (per-file cache lookups and hashing). */
  files?: FileToHash[];
  relpaths?: string[];
  /** For a dir: md5 over every file's (relpath, size, mtime, inode), in walk order; for a file: its (size, mtime, inode). */
  fp?: string;
  /** For a target whose fingerprint was found in the cache: the result, no per-file work (and no per-file cache) needed. */
  resolved?: { md5: string; size: number; nfiles: number };
}

export interface HashProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface TreeHasherOptions {
  cache: HashCache;
  signal?: { aborted: boolean };
  onProgress?: (p: HashProgress) => void;
  /** .dvcignore of the DVC project, matched against paths relative to `dvcIgnoreRoot`. */
  dvcIgnore?: { root: string; ig: Ignore };
  /** From how many files in one tracked folder its stats are spread over worker threads (default PARALLEL_STAT_FROM). */
  parallelStatFrom?: number;
  /** Worker threads for the walk of big folders, started ahead by the caller (who closes them); else started on need. */
  pool?: StatPool;
}

/**
 * Hashes workspace paths (files or directories) the way DVC does, in two phases: first every requested path is walked and
 * stat'ed (cheap), then only files whose (size, mtime, inode) is not in the hash cache are read. That gives exact
 * progress (bytes to hash are known) and makes a status with no change read no contents at all.
 */
export class TreeHasher {
  private readonly targets = new Map<string, Target>();
  private readonly yielder = new Yielder();
  filesHashed = 0;
  bytesHashed = 0;
  filesFromCache = 0;

  constructor(private readonly opts: TreeHasherOptions) {}

  /** Registers a path to hash with `name`; call `run()` once all are added. */
  async add(abs: string, name: HashName): Promise<void> {
    const id = `${name}\0${abs}`;
    if (this.targets.has(id)) return;
    const t: Target = { abs, name, kind: 'missing', chunks: [], nfiles: 0 };
    this.targets.set(id, t);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs); // follows a symlinked file or folder at the top, as DVC does
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      t.kind = 'error';
      t.detail = `cannot read ${abs}: ${code ?? String(e)}`;
      return;
    }
    if (st.isDirectory()) {
      t.kind = 'dir';
      await this.walk(abs, t);
    } else if (st.isFile()) {
      t.kind = 'file';
      t.single = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
      t.nfiles = 1;
      t.fp = `file\0${st.size}\0${st.mtimeMs}\0${st.ino}`; // a dir's fp is hex: the two never match each other
    } else {
      t.kind = 'error';
      t.detail = `${abs} is neither a file nor a folder`;
    }
  }

  /**
   * Lists a folder's files with their stats (spread over threads for a big tree: walkTree), and fingerprints them: one
   * md5 over every chunk's folder path, file names and raw (size, mtime, inode) doubles, so an unchanged folder costs
   * one stat per file and nothing else.
   */
  private async walk(root: string, t: Target): Promise<void> {
    const di = this.opts.dvcIgnore;
    // a walk started ahead (StatPool.prefetch) did not apply a .dvcignore: only used without one
    const ahead = di ? undefined : this.opts.pool?.takePrefetched(root);
    const early = ahead && (await ahead.catch(() => undefined));
    t.chunks =
      early ??
      (await walkTree(root, path.sep, {
        yielder: this.yielder,
        signal: this.opts.signal,
        pool: this.opts.pool,
        parallelFrom: this.opts.parallelStatFrom,
        ignored: di && ((abs, isDir) => this.ignoredByDvc(abs, isDir)),
      }));
    const fp = createHash('md5');
    for (const c of t.chunks) {
      fp.update(`${c.rel}\0${c.part}\0${c.names}`);
      fp.update(c.nums);
      t.nfiles += c.count;
    }
    t.fp = fp.digest('hex');
  }

  /** The target's files as objects (for per-file cache lookups and hashing), made once. */
  private filesOf(t: Target): FileToHash[] {
    if (t.files) return t.files;
    const sep = path.sep;
    t.files = [];
    t.relpaths = [];
    if (t.single) {
      t.files.push({ abs: t.abs, ...t.single });
      t.relpaths.push('');
    }
    for (const c of t.chunks) {
      const dirAbs = c.rel ? t.abs + sep + (sep === '/' ? c.rel : c.rel.replace(/\//g, sep)) : t.abs + sep;
      const names = c.names.split('\0');
      for (let i = 0; i < c.count; i++) {
        t.relpaths.push(c.rel + names[i]);
        t.files.push({ abs: dirAbs + names[i], size: c.nums[3 * i], mtimeMs: c.nums[3 * i + 1], ino: c.nums[3 * i + 2] });
      }
    }
    return t.files;
  }

  private ignoredByDvc(abs: string, isDir: boolean): boolean {
    const di = this.opts.dvcIgnore;
    if (!di) return false;
    const rel = path.relative(di.root, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) return false;
    return di.ig.ignores(isDir ? rel + '/' : rel);
  }

  /** Hashes every file not found in the cache, then saves the cache. */
  async run(): Promise<void> {
    const { cache } = this.opts;
    const todo: { file: FileToHash; name: HashName }[] = [];
    const queued = new Set<string>();
    let bytesTotal = 0;
    for (const t of this.targets.values()) {
      if (t.fp) {
        const hit = cache.getTarget(t.abs, t.name, t.fp);
        if (hit) {
          t.resolved = { md5: hit.md5, size: hit.size, nfiles: hit.nfiles };
          this.filesFromCache += t.nfiles;
          continue;
        }
      }
      for (const file of this.filesOf(t)) {
        const hit = cache.get(file.abs, file, t.name);
        if (hit) {
          file.md5 = hit;
          this.filesFromCache++;
          continue;
        }
        const id = `${t.name}\0${file.abs}`;
        if (queued.has(id)) continue;
        queued.add(id);
        todo.push({ file, name: t.name });
        bytesTotal += file.size;
      }
    }
    const progress: HashProgress = { filesDone: 0, filesTotal: todo.length, bytesDone: 0, bytesTotal };
    let lastReport = 0;
    const report = (force = false): void => {
      const now = performance.now();
      if (!force && now - lastReport < 200) return;
      lastReport = now;
      this.opts.onProgress?.({ ...progress });
    };
    report(true);
    try {
      for (const { file, name } of todo) {
        if (this.opts.signal?.aborted) throw new AbortedError();
        try {
          const small = hashSmallFileSync(file.abs, file.size, name);
          if (small !== undefined) {
            file.md5 = small;
            progress.bytesDone += file.size;
            report();
          } else {
            file.md5 = await hashFile(file.abs, name, {
              yielder: this.yielder,
              signal: this.opts.signal,
              onBytes: (n) => {
                progress.bytesDone += n;
                report();
              },
            });
          }
          cache.set(file.abs, file, name, file.md5);
          this.filesHashed++;
          this.bytesHashed += file.size;
        } catch (e) {
          if (e instanceof AbortedError) throw e;
          /* vanished or unreadable since the walk: the entry stays without a hash */
        }
        progress.filesDone++;
        if (this.yielder.due()) await this.yielder.pause();
      }
    } finally {
      cache.save();
    }
    // files listed twice (same abs, same algorithm, in two targets) got their hash in one of them
    if (queued.size) {
      const byId = new Map<string, string>();
      for (const t of this.targets.values()) for (const file of t.files ?? []) if (file.md5) byId.set(`${t.name}\0${file.abs}`, file.md5);
      for (const t of this.targets.values()) for (const file of t.files ?? []) file.md5 ??= byId.get(`${t.name}\0${file.abs}`);
    }
    report(true);
  }

  /** The result for a path added before `run()`. */
  result(abs: string, name: HashName): PathHash {
    const t = this.targets.get(`${name}\0${abs}`);
    if (!t) return { kind: 'error', detail: `${abs} was not hashed` };
    if (t.kind === 'missing') return { kind: 'missing' };
    if (t.kind === 'error') return { kind: 'error', detail: t.detail ?? 'unreadable' };
    if (t.resolved) return t.kind === 'file' ? { kind: 'file', md5: t.resolved.md5, size: t.resolved.size } : { kind: 'dir', ...t.resolved };
    const files = this.filesOf(t);
    const unreadable = files.find((f) => !f.md5);
    if (unreadable) return { kind: 'error', detail: `could not read ${unreadable.abs}` };
    if (t.kind === 'file') {
      t.resolved = { md5: files[0].md5!, size: files[0].size, nfiles: 1 };
      if (t.fp) this.opts.cache.setTarget(t.abs, t.name, { fp: t.fp, ...t.resolved });
      return { kind: 'file', md5: t.resolved.md5, size: t.resolved.size };
    }
    const entries: DirEntry[] = files.map((f, i) => ({ relpath: t.relpaths![i], md5: f.md5! }));
    t.resolved = { md5: dirHash(entries), size: files.reduce((n, f) => n + f.size, 0), nfiles: files.length };
    if (t.fp) this.opts.cache.setTarget(t.abs, t.name, { fp: t.fp, ...t.resolved });
    return { kind: 'dir', ...t.resolved };
  }
}
