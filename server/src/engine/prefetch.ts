import type { MessagePort, Worker } from 'node:worker_threads';

/** node:worker_threads, loaded on first use: compiling it costs every command about 10 ms, and most never read ahead. */
let threads: typeof import('node:worker_threads') | undefined;
function workerThreads(): typeof import('node:worker_threads') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (threads ??= require('node:worker_threads') as typeof import('node:worker_threads'));
}

/**
 * Reads the files a first check will read, in the order it reads them, on a worker thread, while the main thread
 * analyses the ones already read. On a repository of 10,000 files the four system calls of each read (open, fstat,
 * read, close) were a fifth of a check's time; on the second core they overlap with the analysis instead.
 *
 * The worker reads exactly as `openPlainFile` does: O_NOFOLLOW (never through a symbolic link) and O_NONBLOCK (a FIFO
 * never blocks), then fstat on the descriptor; it hands over only regular files at most `maxBytes` long, read whole.
 * Anything else (a link, a FIFO, a folder, a missing or too-large file, any error) is handed over as `skip`, and the
 * main thread reads that file itself, on its general path with all its checks. So the worker never reads a file the
 * main thread would not have read, and never decides anything about it.
 *
 * Nothing waits on the worker for long: a file far ahead of it, or a worker that stalls (a hung network file system)
 * or fails, is read by the caller as if there were no prefetch.
 */

/** One file as the worker read it. */
export interface Prefetched {
  size: number;
  mtimeMs: number;
  ino: number;
  bytes: Buffer;
}

/**
 * Below this many files a worker's start-up (a few milliseconds on the other core) is not worth it.
 * `MLOPS_HYGIENE_NO_PREFETCH=1` turns reading ahead off (to compare, see docs/performance.md).
 */
export const PREFETCH_MIN_FILES = process.env.MLOPS_HYGIENE_NO_PREFETCH ? Infinity : 1000;
/** The caller waits for a file at most this far ahead of the worker; farther ones it reads itself. */
const MAX_LEAD = 256;
/** A worker that hands over nothing for this long is given up. */
const STALL_MS = 2000;

interface Batch {
  /** Plan index of the first entry; entries follow in plan order. */
  start: number;
  /** Per file: byte length in `buf`, or -1 when skipped. */
  lens: number[];
  sizes: number[];
  mtimes: number[];
  inos: number[];
  buf: ArrayBuffer;
}

/**
 * The worker's body, run from its source text (`eval`): it may use nothing but its own locals and `require`. Kept a
 * function (not a string) so the compiler checks it.
 */
function workerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const { workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { root, rels, maxBytes, port, signal } = workerData as { root: string; rels: string[]; maxBytes: number; port: MessagePort; signal: SharedArrayBuffer };
  const progress = new Int32Array(signal);
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);
  const BATCH_FILES = 128;
  const BATCH_BYTES = 512 * 1024;
  /** Read ahead of what the main thread has taken, at most (so what waits in memory stays small). */
  const AHEAD_FILES = 2048;
  const AHEAD_BYTES = 32 * 1024 * 1024;
  /** Bytes read before each file (to know how many wait beyond what was taken). */
  const before = new Float64Array(rels.length + 1);
  let total = 0;
  let start = 0;
  let lens: number[] = [];
  let sizes: number[] = [];
  let mtimes: number[] = [];
  let inos: number[] = [];
  let chunks: Buffer[] = [];
  let bytes = 0;
  const flush = (next: number): boolean => {
    if (!lens.length) {
      start = next;
      return true;
    }
    const buf = Buffer.concat(chunks, bytes);
    // a copy of exactly its bytes (a small Buffer shares a pool that cannot be transferred)
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    port.postMessage({ start, lens, sizes, mtimes, inos, buf: ab }, [ab]);
    Atomics.store(progress, 0, next);
    Atomics.notify(progress, 0);
    start = next;
    lens = [];
    sizes = [];
    mtimes = [];
    inos = [];
    chunks = [];
    bytes = 0;
    return true;
  };
  for (let i = 0; i < rels.length; i++) {
    // the main thread read these itself meanwhile (while this worker started): go on from where it is
    const at = Atomics.load(progress, 2);
    if (at >= i) {
      if (lens.length && !flush(i)) return;
      for (; i <= at; i++) before[i] = total;
      start = i;
      if (i >= rels.length) break;
    }
    before[i] = total;
    for (let taken = Atomics.load(progress, 2); i - taken > AHEAD_FILES || total - before[taken] > AHEAD_BYTES; taken = Atomics.load(progress, 2)) {
      Atomics.store(progress, 3, 1);
      const r = Atomics.wait(progress, 2, taken, 5000);
      Atomics.store(progress, 3, 0);
      if (r === 'timed-out') return; // nobody takes any more
    }
    let len = -1;
    let st: import('node:fs').Stats | undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(path.join(root, rels[i]), flags);
      st = fs.fstatSync(fd);
      if (st.isFile() && st.size <= maxBytes) {
        const b = Buffer.allocUnsafe(st.size);
        let n = 0;
        while (n < st.size) {
          const r = fs.readSync(fd, b, n, st.size - n, null);
          if (r === 0) break;
          n += r;
        }
        if (n === st.size) {
          chunks.push(b);
          bytes += n;
          total += n;
          len = n;
        }
      }
    } catch {
      len = -1;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    lens.push(len);
    sizes.push(len >= 0 ? st!.size : 0);
    mtimes.push(len >= 0 ? st!.mtimeMs : 0);
    inos.push(len >= 0 ? st!.ino : 0);
    if ((lens.length >= BATCH_FILES || bytes >= BATCH_BYTES) && !flush(i + 1)) return;
  }
  if (!flush(rels.length)) return;
  Atomics.store(progress, 1, 1);
  Atomics.notify(progress, 0);
}

export class Prefetcher {
  private readonly index = new Map<string, number>();
  private readonly ready = new Map<number, Prefetched | null>();
  /** Plan indexes asked for already: what arrives for them later is dropped. */
  private readonly taken = new Set<number>();
  /** Files handed over so far (plan order). */
  private received = 0;
  private worker?: Worker;
  private readonly port: MessagePort;
  private readonly progress: Int32Array;
  private dead = false;

  /** Starts reading `rels` (workspace-relative) under `root`, in that order. */
  constructor(root: string, rels: readonly string[], maxBytes: number) {
    rels.forEach((r, i) => this.index.set(r, i));
    const { MessageChannel, Worker } = workerThreads();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // [0] files handed over, [1] 1 when the worker is done, [2] where this thread is in the plan (the worker reads at
    // most so far ahead of it, and skips what this thread read itself), [3] 1 while the worker waits for [2] to move
    const signal = new SharedArrayBuffer(16);
    this.progress = new Int32Array(signal);
    this.progress[2] = -1; // nothing taken yet
    try {
      this.worker = new Worker(`(${workerMain.toString()})()`, {
        eval: true,
        workerData: { root, rels: [...rels], maxBytes, port: port2, signal },
        transferList: [port2],
        // what the worker may use: no inspector, no stdin, a small heap
        stdin: false,
        resourceLimits: { maxOldGenerationSizeMb: 64 },
      });
      this.worker.unref();
      this.worker.on('error', () => this.close());
      this.worker.on('exit', () => {
        this.worker = undefined;
      });
    } catch {
      this.dead = true;
    }
  }

  /** Files the worker has handed over so far (or skipped past): 0 while it starts. */
  get handedOver(): number {
    return Atomics.load(this.progress, 0);
  }

  /**
   * The file as the worker read it; `null` when the worker skipped it (the caller reads it on its general path);
   * undefined when it is not in the plan, was already taken, or is not there in time (the caller reads it itself).
   */
  take(rel: string): Prefetched | null | undefined {
    const i = this.index.get(rel);
    if (i === undefined) return undefined;
    this.index.delete(rel); // asked once: a second read of the file is the caller's (its cache answers it)
    if (!this.ready.has(i)) this.waitFor(i);
    const got = this.ready.get(i);
    this.ready.delete(i);
    this.taken.add(i); // what arrives for it later is dropped
    // where this thread is in the plan: it moves on as the units read their files in order (a file far ahead, which a
    // memo reads out of order, is not a position)
    const at = Atomics.load(this.progress, 2);
    if (i > at && i - at <= MAX_LEAD) {
      Atomics.store(this.progress, 2, i);
      if (Atomics.load(this.progress, 3) === 1) Atomics.notify(this.progress, 2);
    }
    return got;
  }

  private waitFor(i: number): void {
    const started = Date.now();
    for (;;) {
      this.drain();
      if (this.ready.has(i) || i < this.received || this.dead) return;
      if (i - this.received > MAX_LEAD) return;
      // the worker has not handed over anything yet (it is still starting): read this one rather than wait
      if (this.received === 0 && Atomics.load(this.progress, 0) === 0) return;
      const seen = Atomics.load(this.progress, 0);
      if (Atomics.load(this.progress, 1) === 1 && seen === this.received) return; // finished, all drained
      if (seen === this.received) Atomics.wait(this.progress, 0, seen, 50);
      if (Date.now() - started > STALL_MS) {
        this.close();
        return;
      }
    }
  }

  private drain(): void {
    const { receiveMessageOnPort } = workerThreads();
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const b = m.message as Batch;
      let off = 0;
      for (let k = 0; k < b.lens.length; k++) {
        const idx = b.start + k;
        const len = b.lens[k];
        // files no longer asked for (taken early, read by the caller meanwhile) are dropped at once
        if (!this.taken.has(idx))
          this.ready.set(idx, len < 0 ? null : { size: b.sizes[k], mtimeMs: b.mtimes[k], ino: b.inos[k], bytes: Buffer.from(b.buf, off, len) });
        if (len > 0) off += len;
      }
      this.received = b.start + b.lens.length;
    }
  }

  /** Stops the worker and forgets what it read (the caller reads everything itself from now on). */
  close(): void {
    this.dead = true;
    this.ready.clear();
    this.index.clear();
    this.port.close();
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate().catch(() => undefined);
  }
}
