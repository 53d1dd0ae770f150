import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AbortedError, Yielder } from './hashing';

/**
 * A unit of a tracked folder's walk: a folder to list and walk down (`names` undefined), or a folder already listed on
 * the calling thread (its file entries `names`, and which of them are symlinks, followed as DVC does).
 */
export interface ScanTask {
  abs: string;
  /** The folder's path inside the tracked folder: '' or 'a/b/'. */
  rel: string;
  names?: string[];
  links?: Uint8Array;
  /** For a slice of a listed folder's names (a multiple of CHUNK entries in): the number of its first chunk. */
  part0?: number;
}

/**
 * Up to CHUNK listed entries of one folder (its chunk number `part`), in listing order, with their stats: the regular
 * files only (after following symlinks), each name followed by NUL in `names`, and (size, mtimeMs, inode) per file in
 * `nums`. The chunks of a folder are the same whichever thread listed it or took the stats.
 */
export interface ScannedChunk {
  rel: string;
  part: number;
  names: string;
  count: number;
  nums: Float64Array;
}

/** A folder's files are fingerprinted in chunks of this many listed entries, so that one huge folder can be split too. */
const CHUNK = 4096;

/**
 * Lists a folder: its file entries (files and symlinks, in listing order) and, pushed to `below`, its subfolders.
 * `.git`, `.hg` and `.dvc` are never entered nor hashed (DVC's own filter); `ignored` is the .dvcignore filter.
 * Undefined when the folder cannot be read (DVC would fail; we hash what can be read and the hash will differ).
 * For the folders listed on the calling thread before the walk is shared out (and all of them with a .dvcignore).
 */
function listFolder(fsm: typeof fs, sep: string, task: ScanTask, below: ScanTask[], ignored?: (abs: string, isDir: boolean) => boolean): ScanTask | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fsm.readdirSync(task.abs, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const names: string[] = [];
  const links: number[] = [];
  for (const e of entries) {
    const n = e.name;
    if (n === '.git' || n === '.hg' || n === '.dvc') continue;
    const dir = e.isDirectory();
    if (ignored && ignored(task.abs + sep + n, dir)) continue;
    if (dir) below.push({ abs: task.abs + sep + n, rel: task.rel + n + '/' });
    else if (e.isFile() || e.isSymbolicLink()) {
      names.push(n);
      links.push(e.isFile() ? 0 : 1);
    }
  }
  return { abs: task.abs, rel: task.rel, names, links: Uint8Array.from(links) };
}

/**
 * Stats one folder's file entries, appending its chunks to `out` and the folders found in it to `below`. A folder not
 * listed yet is read by name only: the stat of each entry says what it is (no Dirent objects: a walk makes one stat per
 * entry either way). Self-contained (it only uses its arguments): the same source runs on the calling thread and,
 * through `toString()`, in the worker threads.
 */
function scanFolder(fsm: typeof fs, sep: string, chunk: number, task: ScanTask, out: ScannedChunk[], below: ScanTask[]): void {
  const listed = task.names !== undefined;
  let names = task.names;
  if (!names) {
    try {
      names = fsm.readdirSync(task.abs);
    } catch {
      return; // an unreadable folder: DVC would fail; we hash what can be read and the hash will differ
    }
  }
  let part = task.part0 ?? 0;
  let entries = 0; // file entries (files and symlinks) in this chunk: a chunk ends after `chunk` of them
  let kept: string[] = [];
  let nums = new Float64Array(3 * Math.min(chunk, names.length));
  for (let j = 0; j < names.length; j++) {
    const n = names[j];
    if (!listed && (n === '.git' || n === '.hg' || n === '.dvc')) continue;
    const abs = task.abs + sep + n;
    let st: fs.Stats | undefined;
    try {
      st = listed && task.links![j] ? fsm.statSync(abs) : fsm.lstatSync(abs);
      if (!listed && st.isSymbolicLink())
        st = fsm.statSync(abs); // followed, as DVC does
      else if (!listed && !st.isFile()) {
        if (st.isDirectory()) below.push({ abs, rel: task.rel + n + '/' });
        continue; // a folder, or neither file nor symlink (a fifo, a socket)
      }
    } catch {
      st = undefined; // vanished, or a dangling symlink: not a file DVC can hash
    }
    if (st && st.isFile()) {
      // a symlink to a folder is not followed (no loops)
      nums[3 * kept.length] = st.size;
      nums[3 * kept.length + 1] = st.mtimeMs;
      nums[3 * kept.length + 2] = st.ino;
      kept.push(n);
    }
    if (++entries === chunk) {
      if (kept.length)
        out.push({
          rel: task.rel,
          part,
          names: kept.join('\0') + '\0',
          count: kept.length,
          nums: kept.length * 3 === nums.length ? nums : nums.slice(0, 3 * kept.length),
        });
      part++;
      entries = 0;
      kept = [];
      nums = new Float64Array(3 * Math.min(chunk, names.length - j - 1));
    }
  }
  if (kept.length)
    out.push({
      rel: task.rel,
      part,
      names: kept.join('\0') + '\0',
      count: kept.length,
      nums: kept.length * 3 === nums.length ? nums : nums.slice(0, 3 * kept.length),
    });
}

/** Scans tasks and every folder below them, depth first. */
function scanAll(fsm: typeof fs, sep: string, chunk: number, tasks: ScanTask[], out: ScannedChunk[]): void {
  const stack = tasks.slice().reverse();
  while (stack.length) {
    const below: ScanTask[] = [];
    scanFolder(fsm, sep, chunk, stack.pop()!, out, below);
    for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]);
  }
}

/** Scans the tasks `next` gives, each with every folder below it, on this thread: yielding between folders. */
async function scanHere(
  next: () => ScanTask | undefined,
  sep: string,
  out: ScannedChunk[],
  opts: { yielder: Yielder; signal?: { aborted: boolean } },
): Promise<void> {
  const stack: ScanTask[] = [];
  for (let task = next(); task; task = next()) {
    stack.push(task);
    while (stack.length) {
      const below: ScanTask[] = [];
      scanFolder(fs, sep, CHUNK, stack.pop()!, out, below);
      for (let j = below.length - 1; j >= 0; j--) stack.push(below[j]);
      if (opts.signal?.aborted) throw new AbortedError();
      if (opts.yielder.due()) await opts.yielder.pause();
    }
  }
}

/**
 * Takes tasks from a list shared by every thread of a walk until none is left: `counters[0]` is the next task; the
 * thread `k` (a worker) marks `counters[1 + 2k]` while it takes one and counts in `counters[2 + 2k]` those it got, so the
 * calling thread knows, once the list is done, whether the worker has results to wait for. Self-contained like scanAll.
 */
function takeTasks(fsm: typeof fs, sep: string, chunk: number, tasks: ScanTask[], counters: Int32Array, k: number, out: ScannedChunk[]): void {
  for (;;) {
    Atomics.add(counters, 1 + 2 * k, 1);
    const i = Atomics.add(counters, 0, 1);
    if (i >= tasks.length) {
      Atomics.sub(counters, 1 + 2 * k, 1);
      return;
    }
    Atomics.add(counters, 2 + 2 * k, 1);
    Atomics.sub(counters, 1 + 2 * k, 1);
    scanAll(fsm, sep, chunk, [tasks[i]], out);
  }
}

// The functions keep the names they have in this build (a minified bundle renames them, and their calls to each other);
// the worker's own names are ones a minifier does not produce.
const WORKER_SOURCE = `
const $mlh_fs = require('node:fs');
const $mlh_port = require('node:worker_threads').parentPort;
${scanFolder.toString()}
${scanAll.toString()}
${takeTasks.toString()}
$mlh_port.on('message', ($mlh_m) => {
  const $mlh_out = [];
  ${takeTasks.name}($mlh_fs, $mlh_m.sep, $mlh_m.chunk, $mlh_m.tasks, new Int32Array($mlh_m.counters), $mlh_m.k, $mlh_out);
  $mlh_port.postMessage($mlh_out, $mlh_out.map(($mlh_c) => $mlh_c.nums.buffer));
});
`;

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** One worker thread that takes part in the walks it is sent, one after the other, answering each in order. */
class ScanWorker {
  private readonly w: Worker;
  private readonly pending: { resolve: (c: ScannedChunk[]) => void; reject: (e: Error) => void }[] = [];
  private dead?: Error;
  /** Settles when the thread runs (or failed to start). */
  readonly online: Promise<void>;

  constructor() {
    this.w = new Worker(WORKER_SOURCE, { eval: true });
    this.online = new Promise((resolve) => {
      this.w.once('online', resolve);
      this.w.once('error', () => resolve());
    });
    this.w.unref(); // an idle worker never keeps the process alive
    this.w.on('message', (m: ScannedChunk[]) => {
      this.pending.shift()?.resolve(m);
      if (!this.pending.length) this.w.unref();
    });
    this.w.on('error', (e) => this.fail(e));
    this.w.on('exit', (code) => this.fail(new Error(`scan worker exited with ${code}`)));
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }

  join(tasks: ScanTask[], sep: string, counters: SharedArrayBuffer, k: number): Promise<ScannedChunk[]> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.w.ref(); // answers are awaited: keep the process alive until they come
      this.w.postMessage({ tasks, sep, chunk: CHUNK, counters, k });
    });
  }

  close(): void {
    this.fail(new Error('closed'));
    void this.w.terminate();
  }
}

/**
 * Worker threads for the walk of big tracked folders (listing and stats are most of a status with no change). Started
 * ahead of need (`StatPool.start()` at the beginning of a status), their start-up overlaps the rest of the work; a walk
 * can even be started before anyone asks for it (`prefetch`). Idle workers never keep the process alive; `close()`
 * ends them.
 */
export class StatPool {
  /** Walks in which the worker threads took tasks (for tests: the workers really work). */
  workerWalks = 0;
  private readonly prefetched = new Map<string, Promise<ScannedChunk[]>>();

  private constructor(private readonly workers: ScanWorker[]) {}

  /** `threads` is the number of threads the work is spread over, the calling one included (default: the cores, 2 to 4). */
  static start(threads = Math.max(2, Math.min(cores(), 4))): StatPool {
    const workers: ScanWorker[] = [];
    for (let i = 1; i < threads; i++) {
      try {
        workers.push(new ScanWorker());
      } catch {
        break; // no worker threads here: the calling thread does all the work
      }
    }
    return new StatPool(workers);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Settles once every worker thread runs (or failed to start). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.online));
  }

  /**
   * Starts walking folders (absolute paths, no .dvcignore filter) now, with every thread, while the caller goes on with
   * other work (this thread walks between its awaits): `takePrefetched` then gives the result. For the folders the last
   * status walked, which a status with no change walks again.
   */
  prefetch(folders: string[], sep = path.sep): void {
    for (const abs of folders) {
      if (this.prefetched.has(abs)) continue;
      const walk = walkTree(abs, sep, { yielder: new Yielder(), pool: this, parallelFrom: 0 });
      walk.catch(() => undefined); // a failed prefetch is walked again when asked for
      this.prefetched.set(abs, walk);
    }
  }

  /** The prefetched walk of `abs`, once (later walks of it are fresh). */
  takePrefetched(abs: string): Promise<ScannedChunk[]> | undefined {
    const p = this.prefetched.get(abs);
    this.prefetched.delete(abs);
    return p;
  }

  /**
   * Walks `tasks` on this thread and every worker, each taking the next task from the shared list until none is left
   * (the threads that are free or faster take more). A worker that fails has its walk redone here.
   */
  async walkTasks(tasks: ScanTask[], sep: string, opts: { yielder: Yielder; signal?: { aborted: boolean } }): Promise<ScannedChunk[]> {
    const sab = new SharedArrayBuffer(4 * (1 + 2 * this.workers.length));
    const counters = new Int32Array(sab);
    const answers = this.workers.map((w, k) => w.join(tasks, sep, sab, k));
    for (const a of answers) a.catch(() => undefined); // awaited below
    const out: ScannedChunk[] = [];
    await scanHere(
      () => {
        const i = Atomics.add(counters, 0, 1);
        return i < tasks.length ? tasks[i] : undefined;
      },
      sep,
      out,
      opts,
    );
    let workers = false;
    for (let k = 0; k < answers.length; k++) {
      // a worker that took no task, and can take none now, has nothing to wait for (it may still be busy elsewhere)
      if (Atomics.load(counters, 1 + 2 * k) === 0 && Atomics.load(counters, 2 + 2 * k) === 0) continue;
      try {
        for (const c of await answers[k]) out.push(c);
        workers = true;
      } catch {
        if (opts.signal?.aborted) throw new AbortedError();
        const again: ScannedChunk[] = []; // which tasks it had is unknown: walk everything here
        scanAll(fs, sep, CHUNK, tasks, again);
        return again;
      }
    }
    if (workers) this.workerWalks++;
    return out;
  }

  close(): void {
    for (const w of this.workers) w.close();
  }
}

/** Below this many files known before the walk, and without a pool, everything is done on the calling thread. */
export const PARALLEL_STAT_FROM = 20_000;
/** The calling thread lists folders breadth first until this many are waiting: then they are shared out. */
const FRONTIER = 32;

export interface WalkOptions {
  yielder: Yielder;
  signal?: { aborted: boolean };
  /** Threads to use; without one, a pool is started when the tree looks big, and closed after. */
  pool?: StatPool;
  parallelFrom?: number;
  /** Whether a listed entry is excluded (.dvcignore); with a filter every folder is listed on the calling thread. */
  ignored?: (abs: string, isDir: boolean) => boolean;
}

/**
 * Walks a tracked folder: every regular file below it (symlinks followed, `.git`/`.hg`/`.dvc` skipped), with its
 * (size, mtime, inode), as chunks sorted by folder. The work is spread over threads for a big tree: this thread lists
 * the top folders breadth first, then the folders waiting to be walked and the files already listed (in chunks) go
 * into a list from which every thread takes the next task until none is left (this one yielding between folders).
 * The result does not depend on how the work was split.
 */
export async function walkTree(root: string, sep: string, opts: WalkOptions): Promise<ScannedChunk[]> {
  const listed: ScanTask[] = [];
  let files = 0;
  const queue: ScanTask[] = [{ abs: root, rel: '' }];
  // breadth first, until enough folders wait to be shared out (all of them with an ignore filter: workers cannot apply it)
  while (queue.length && (opts.ignored || queue.length < FRONTIER)) {
    const t = listFolder(fs, sep, queue.shift()!, queue, opts.ignored);
    if (t?.names!.length) {
      listed.push(t);
      files += t.names!.length;
    }
    if (opts.signal?.aborted) throw new AbortedError();
    if (opts.yielder.due()) await opts.yielder.pause();
  }
  // the tasks: the folders still to walk (whole subtrees, the biggest work) first, then the listed files in chunks
  const tasks: ScanTask[] = [...queue];
  for (const t of listed) {
    if (t.names!.length <= CHUNK) tasks.push(t);
    else
      for (let from = 0; from < t.names!.length; from += CHUNK)
        tasks.push({ ...t, names: t.names!.slice(from, from + CHUNK), links: t.links!.subarray(from, from + CHUNK), part0: from / CHUNK });
  }
  const bigEnough = queue.length > 0 || files >= (opts.parallelFrom ?? PARALLEL_STAT_FROM);
  const pool = bigEnough && tasks.length > 1 ? (opts.pool ?? StatPool.start()) : undefined;
  try {
    let out: ScannedChunk[];
    if (pool) out = await pool.walkTasks(tasks, sep, opts);
    else {
      out = [];
      let next = 0;
      await scanHere(() => tasks[next++], sep, out, opts);
    }
    return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : a.part - b.part));
  } finally {
    if (pool && !opts.pool) pool.close();
  }
}
