import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AbortedError, type Yielder } from './hashing';

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
 * Self-contained (it only uses its arguments), like scanFolder: it also runs in the worker threads.
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
 * Stats one folder's file entries (listing it first when the task has no names), appending its chunks to `out` and the
 * folders found in it to `below`. Self-contained (it only uses its arguments): the same source runs on the calling
 * thread and, through `toString()`, in the worker threads.
 */
function scanFolder(fsm: typeof fs, sep: string, chunk: number, task: ScanTask, out: ScannedChunk[], below: ScanTask[]): void {
  const t = task.names ? task : listFolder(fsm, sep, task, below);
  if (!t) return;
  const names = t.names!;
  const links = t.links!;
  for (let from = 0, part = task.part0 ?? 0; from < names.length; from += chunk, part++) {
    const to = Math.min(names.length, from + chunk);
    const nums = new Float64Array(3 * (to - from));
    let kept = '';
    let count = 0;
    for (let j = from; j < to; j++) {
      let st: fs.Stats;
      try {
        st = links[j] ? fsm.statSync(t.abs + sep + names[j]) : fsm.lstatSync(t.abs + sep + names[j]);
      } catch {
        continue; // vanished, or a dangling symlink: not a file DVC can hash
      }
      if (!st.isFile()) continue; // a symlink to a folder is not followed (no loops)
      nums[3 * count] = st.size;
      nums[3 * count + 1] = st.mtimeMs;
      nums[3 * count + 2] = st.ino;
      kept += names[j] + '\0';
      count++;
    }
    if (!count) continue;
    out.push({ rel: t.rel, part, names: kept, count, nums: count * 3 === nums.length ? nums : nums.slice(0, 3 * count) });
  }
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

// The functions keep the names they have in this build (a minified bundle renames them, and their calls to each other);
// the worker's own names are ones a minifier does not produce.
const WORKER_SOURCE = `
const $mlh_fs = require('node:fs');
const $mlh_port = require('node:worker_threads').parentPort;
${listFolder.toString()}
${scanFolder.toString()}
${scanAll.toString()}
$mlh_port.on('message', ($mlh_m) => {
  const $mlh_out = [];
  ${scanAll.name}($mlh_fs, $mlh_m.sep, $mlh_m.chunk, $mlh_m.tasks, $mlh_out);
  $mlh_port.postMessage($mlh_out, $mlh_out.map(($mlh_c) => $mlh_c.nums.buffer));
});
`;

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** One worker thread that scans the tasks it is sent, one batch at a time. */
class ScanWorker {
  private readonly w: Worker;
  private pending?: { resolve: (c: ScannedChunk[]) => void; reject: (e: Error) => void };
  private dead?: Error;

  constructor() {
    this.w = new Worker(WORKER_SOURCE, { eval: true });
    this.w.unref(); // an idle worker never keeps the process alive
    this.w.on('message', (m: ScannedChunk[]) => this.settle(undefined, m));
    this.w.on('error', (e) => this.settle(e));
    this.w.on('exit', (code) => this.settle(new Error(`scan worker exited with ${code}`)));
  }

  private settle(e: Error | undefined, m?: ScannedChunk[]): void {
    if (e) this.dead ??= e;
    const p = this.pending;
    this.pending = undefined;
    this.w.unref();
    if (p) e ? p.reject(e) : p.resolve(m!);
  }

  scan(tasks: ScanTask[], sep: string): Promise<ScannedChunk[]> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('scan worker busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.w.ref(); // awaited: keep the process alive until the answer
      this.w.postMessage({ tasks, sep, chunk: CHUNK });
    });
  }

  close(): void {
    this.dead ??= new Error('closed');
    void this.w.terminate();
  }
}

/**
 * Worker threads for the walk of big tracked folders (listing and stats are most of a status with no change). Started
 * ahead of need (`StatPool.start()` at the beginning of a status) their start-up overlaps the rest of the work; idle
 * workers never keep the process alive; `close()` ends them.
 */
export class StatPool {
  /** Shares done by the worker threads (not by the calling thread after a worker failed). */
  workerShares = 0;

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

  /** Runs share i (i >= 1) on worker i - 1; a share whose worker fails is scanned here. */
  async share(i: number, tasks: ScanTask[], sep: string, signal?: { aborted: boolean }): Promise<ScannedChunk[]> {
    try {
      const out = await this.workers[i - 1].scan(tasks, sep);
      this.workerShares++;
      return out;
    } catch {
      if (signal?.aborted) throw new AbortedError();
      const out: ScannedChunk[] = [];
      scanAll(fs, sep, CHUNK, tasks, out);
      return out;
    }
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
 * the top folders breadth first, then the folders waiting to be walked and the files already listed are shared out
 * round robin; each thread lists and stats its share (this one yielding between folders). The result does
 * not depend on how the work was split.
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
  const bigEnough = queue.length > 0 || files >= (opts.parallelFrom ?? PARALLEL_STAT_FROM);
  const pool = bigEnough ? (opts.pool ?? StatPool.start()) : undefined;
  const threads = pool?.threads ?? 1;
  try {
    // shares: the listed files in chunks, biggest first to the least loaded thread; the folders still to walk round robin
    const chunks: ScanTask[] = [];
    for (const t of listed) {
      if (t.names!.length <= CHUNK) chunks.push(t);
      else for (let from = 0; from < t.names!.length; from += CHUNK) chunks.push({ ...t, names: t.names!.slice(from, from + CHUNK), links: t.links!.subarray(from, from + CHUNK), part0: from / CHUNK });
    }
    const shares: ScanTask[][] = Array.from({ length: threads }, () => []);
    const load = new Array<number>(threads).fill(0);
    for (const c of chunks.sort((a, b) => b.names!.length - a.names!.length)) {
      const i = load.indexOf(Math.min(...load));
      shares[i].push(c);
      load[i] += c.names!.length;
    }
    queue.forEach((t, k) => shares[k % threads].push(t));
    const others = shares.slice(1).map((s, k) => (s.length ? pool!.share(k + 1, s, sep, opts.signal) : Promise.resolve([])));
    for (const p of others) p.catch(() => undefined); // awaited below
    const out: ScannedChunk[] = [];
    const stack = shares[0].reverse();
    while (stack.length) {
      const below: ScanTask[] = [];
      scanFolder(fs, sep, CHUNK, stack.pop()!, out, below);
      for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]);
      if (opts.signal?.aborted) throw new AbortedError();
      if (opts.yielder.due()) await opts.yielder.pause();
    }
    for (const p of others) for (const c of await p) out.push(c);
    return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : a.part - b.part));
  } finally {
    if (pool && !opts.pool) pool.close();
  }
}
