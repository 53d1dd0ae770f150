import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AbortedError, type Yielder } from './hashing';

/** One folder listed by a walk: the names of its file entries, and which of them are symlinks (followed, as DVC does). */
export interface ListedDir {
  abs: string;
  names: string[];
  links: Uint8Array;
}

/** (size, mtimeMs, inode) of every listed entry, in listing order, and whether it is a regular file (0 = skip it). */
export interface ListedStats {
  nums: Float64Array;
  ok: Uint8Array;
}

/** Below this many files the stats are taken on the calling thread: starting a worker costs more than it saves. */
export const PARALLEL_STAT_FROM = 20_000;

/**
 * Stats of folders `[from, to)` into `nums`/`ok` starting at entry `at`. Self-contained (it only uses its arguments):
 * the same source runs on the calling thread and, through `toString()`, in the worker threads.
 */
function statInto(fsm: typeof fs, sep: string, dirs: { abs: string; names: string[]; links: Uint8Array }[], from: number, to: number, nums: Float64Array, ok: Uint8Array, at: number): number {
  for (let d = from; d < to; d++) {
    const dir = dirs[d];
    for (let j = 0; j < dir.names.length; j++, at++) {
      const abs = dir.abs + sep + dir.names[j];
      let st: fs.Stats | undefined;
      try {
        st = dir.links[j] ? fsm.statSync(abs) : fsm.lstatSync(abs);
      } catch {
        continue; // vanished, or a dangling symlink: not a file DVC can hash
      }
      if (!st.isFile()) continue; // a symlink to a folder is not followed (no loops)
      ok[at] = 1;
      nums[3 * at] = st.size;
      nums[3 * at + 1] = st.mtimeMs;
      nums[3 * at + 2] = st.ino;
    }
  }
  return at;
}

const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');
const statInto = ${statInto.toString()};
parentPort.once('message', (m) => {
  const total = m.dirs.reduce((n, d) => n + d.names.length, 0);
  const nums = new Float64Array(3 * total);
  const ok = new Uint8Array(total);
  statInto(fs, m.sep, m.dirs, 0, m.dirs.length, nums, ok, 0);
  parentPort.postMessage({ nums, ok }, [nums.buffer, ok.buffer]);
});
`;

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Stats in a worker thread; rejects if the worker cannot start or fails (the caller then stats on its own thread). */
function statInWorker(dirs: ListedDir[], sep: string, signal?: { aborted: boolean }): { result: Promise<ListedStats>; stop: () => void } {
  const w = new Worker(WORKER_SOURCE, { eval: true });
  const result = new Promise<ListedStats>((resolve, reject) => {
    w.once('message', (m: ListedStats) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(signal?.aborted ? 'cancelled' : `stat worker exited with ${code}`)));
  });
  w.postMessage({ dirs, sep });
  return { result, stop: () => void w.terminate() };
}

/**
 * Takes the stats of every listed file, in order. A big tree is split into contiguous shares of about the same number of
 * files: the worker threads stat theirs while this thread stats the first share (yielding between folders), so the
 * system calls, most of a warm status, use every core. The result does not depend on the split.
 */
export async function statListed(dirs: ListedDir[], sep: string, opts: { yielder: Yielder; signal?: { aborted: boolean }; parallelFrom?: number }): Promise<ListedStats> {
  const total = dirs.reduce((n, d) => n + d.names.length, 0);
  const nums = new Float64Array(3 * total);
  const ok = new Uint8Array(total);
  const shares = total >= (opts.parallelFrom ?? PARALLEL_STAT_FROM) ? Math.max(2, Math.min(cores(), 4)) : 1;
  // share boundaries, as folder indexes
  const bounds = [0];
  for (let d = 0, seen = 0; d < dirs.length && bounds.length < shares; d++) {
    seen += dirs[d].names.length;
    if (seen >= (total * bounds.length) / shares) bounds.push(d + 1);
  }
  bounds.push(dirs.length);
  const starts = bounds.map((b) => dirs.slice(0, b).reduce((n, x) => n + x.names.length, 0));
  const workers = bounds.slice(1, -1).map((b, i) => {
    const share = { from: b, to: bounds[i + 2], at: starts[i + 1] };
    let w: { result: Promise<ListedStats>; stop: () => void };
    try {
      w = statInWorker(dirs.slice(share.from, share.to), sep, opts.signal);
    } catch {
      w = { result: Promise.reject(new Error('no worker')), stop: () => undefined };
    }
    w.result.catch(() => undefined); // awaited below; a failure then means "do the share here"
    return { ...share, ...w };
  });
  try {
    let at = 0;
    for (let d = 0; d < bounds[1]; d++) {
      at = statInto(fs, sep, dirs, d, d + 1, nums, ok, at);
      if (opts.signal?.aborted) throw new AbortedError();
      if (opts.yielder.due()) await opts.yielder.pause();
    }
    for (const w of workers) {
      try {
        const r = await w.result;
        nums.set(r.nums, 3 * w.at);
        ok.set(r.ok, w.at);
      } catch {
        if (opts.signal?.aborted) throw new AbortedError();
        statInto(fs, sep, dirs, w.from, w.to, nums, ok, w.at); // no worker: do its share here
      }
    }
  } finally {
    for (const w of workers) w.stop();
  }
  return { nums, ok };
}
