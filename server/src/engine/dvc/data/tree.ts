import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Ignore } from 'ignore';
import { AbortedError, dirHash, hashFile, Yielder, type DirEntry, type HashName } from './hashing';
import type { FileKey, HashCache } from './hashCache';

/** Names DVC never descends into inside a tracked directory (its DvcIgnoreFilter defaults). */
const NEVER_IN_DIRS = new Set(['.git', '.hg', '.dvc']);

export type PathHash =
  | { kind: 'file'; md5: string; size: number }
  | { kind: 'dir'; md5: string; size: number; nfiles: number }
  | { kind: 'missing' }
  | { kind: 'error'; detail: string };

interface FileToHash {
  abs: string;
  key: FileKey;
  md5?: string;
}

interface Target {
  abs: string;
  name: HashName;
  kind: 'file' | 'dir' | 'missing' | 'error';
  detail?: string;
  /** For a dir: its files (relpath inside the dir). For a file: one entry with relpath ''. */
  files: { relpath: string; file: FileToHash }[];
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
    const t: Target = { abs, name, kind: 'missing', files: [] };
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
      t.files.push({ relpath: '', file: { abs, key: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino } } });
    } else {
      t.kind = 'error';
      t.detail = `${abs} is neither a file nor a folder`;
    }
  }

  private async walk(root: string, t: Target): Promise<void> {
    const stack: string[] = [''];
    while (stack.length) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir ? path.join(root, dir) : root, { withFileTypes: true });
      } catch {
        continue; // an unreadable folder: DVC would fail; we hash what can be read and the hash will differ
      }
      for (const e of entries) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (NEVER_IN_DIRS.has(e.name)) continue;
        if (this.ignoredByDvc(path.join(root, rel), e.isDirectory())) continue;
        const abs = path.join(root, rel);
        if (e.isDirectory()) {
          stack.push(rel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          let st: fs.Stats;
          try {
            st = e.isFile() ? fs.lstatSync(abs) : fs.statSync(abs);
          } catch {
            continue; // dangling symlink: not a file DVC can hash
          }
          if (!st.isFile()) continue; // a symlink to a folder is not followed (no loops)
          t.files.push({ relpath: rel, file: { abs, key: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino } } });
        }
        if (this.opts.signal?.aborted) throw new AbortedError();
      }
      await this.yielder.maybe();
    }
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
      for (const { file } of t.files) {
        const hit = cache.get(file.abs, file.key, t.name);
        if (hit) {
          file.md5 = hit;
          this.filesFromCache++;
          continue;
        }
        const id = `${t.name}\0${file.abs}`;
        if (queued.has(id)) continue;
        queued.add(id);
        todo.push({ file, name: t.name });
        bytesTotal += file.key.size;
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
          file.md5 = await hashFile(file.abs, name, {
            yielder: this.yielder,
            signal: this.opts.signal,
            onBytes: (n) => {
              progress.bytesDone += n;
              report();
            },
          });
          cache.set(file.abs, file.key, name, file.md5);
          this.filesHashed++;
          this.bytesHashed += file.key.size;
        } catch (e) {
          if (e instanceof AbortedError) throw e;
          /* vanished or unreadable since the walk: the entry stays without a hash */
        }
        progress.filesDone++;
        await this.yielder.maybe();
      }
    } finally {
      cache.save();
    }
    // files listed twice (same abs, same algorithm, in two targets) got their hash in one of them
    const byId = new Map<string, string>();
    for (const t of this.targets.values()) for (const { file } of t.files) if (file.md5) byId.set(`${t.name}\0${file.abs}`, file.md5);
    for (const t of this.targets.values()) for (const { file } of t.files) file.md5 ??= byId.get(`${t.name}\0${file.abs}`);
    report(true);
  }

  /** The result for a path added before `run()`. */
  result(abs: string, name: HashName): PathHash {
    const t = this.targets.get(`${name}\0${abs}`);
    if (!t) return { kind: 'error', detail: `${abs} was not hashed` };
    if (t.kind === 'missing') return { kind: 'missing' };
    if (t.kind === 'error') return { kind: 'error', detail: t.detail ?? 'unreadable' };
    const unreadable = t.files.find((f) => !f.file.md5);
    if (unreadable) return { kind: 'error', detail: `could not read ${unreadable.file.abs}` };
    if (t.kind === 'file') return { kind: 'file', md5: t.files[0].file.md5!, size: t.files[0].file.key.size };
    const entries: DirEntry[] = t.files.map((f) => ({ relpath: f.relpath, md5: f.file.md5! }));
    return { kind: 'dir', md5: dirHash(entries), size: t.files.reduce((n, f) => n + f.file.key.size, 0), nfiles: t.files.length };
  }
}
