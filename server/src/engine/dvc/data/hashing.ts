import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { openRegularFile } from '../../regularFile';

/**
 * Hashing exactly as DVC does it (dvc-data's hashfile): DVC 3 hashes raw bytes (`hash: md5`); DVC 2 entries (no
 * `hash:` key) are read by DVC 3 as `md5-dos2unix`, where a file that looks like text has CRLF turned into LF first.
 * Files are streamed in fixed chunks: a 2 GB file never sits in memory.
 */
export type HashName = 'md5' | 'md5-dos2unix';

/**
 * dvc-data reads 1 MiB at a time and applies dos2unix to each chunk on its own (a CRLF split across two chunks stays
 * as it is): the legacy hash must use the same chunking to give the same result.
 */
export const DVC_CHUNK = 1024 * 1024;
/** Text-ness is decided once, from the first 512 bytes of the first chunk. */
export const TEXT_BLOCK = 512;
/** Raw md5 does not depend on chunking: read bigger chunks (fewer syscalls). */
const RAW_CHUNK = 8 * 1024 * 1024;

const TEXT_BYTES = (() => {
  const t = new Uint8Array(256);
  for (let b = 32; b < 127; b++) t[b] = 1;
  for (const b of [0x0a, 0x0d, 0x09, 0x0c, 0x08]) t[b] = 1; // \n \r \t \f \b
  return t;
})();

/** dvc-data's istextblock: empty is text, any NUL is binary, else binary when more than 30% of bytes are not text. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (let i = 0; i < block.length; i++) {
    const b = block[i];
    if (b === 0) return false;
    if (!TEXT_BYTES[b]) nontext++;
  }
  return nontext / block.length <= 0.3;
}

/** CRLF -> LF inside one chunk (Python's `data.replace(b"\r\n", b"\n")`). */
export function dos2unix(chunk: Buffer): Buffer {
  let i = chunk.indexOf(0x0d);
  if (i < 0) return chunk;
  const out = Buffer.allocUnsafe(chunk.length);
  let o = 0;
  let from = 0;
  while (i >= 0) {
    if (chunk[i + 1] === 0x0a) {
      o += chunk.copy(out, o, from, i);
      from = i + 1; // drop the CR, keep the LF
    }
    i = chunk.indexOf(0x0d, i + 1);
  }
  o += chunk.copy(out, o, from);
  return out.subarray(0, o);
}

/** md5 of bytes in memory, as DVC would hash a file with these contents. */
export function hashBytes(data: Buffer, name: HashName = 'md5'): string {
  const h = createHash('md5');
  if (name === 'md5' || !isTextBlock(data.subarray(0, TEXT_BLOCK))) h.update(data);
  else for (let off = 0; off < data.length; off += DVC_CHUNK) h.update(dos2unix(data.subarray(off, off + DVC_CHUNK)));
  return h.digest('hex');
}

/** Gives the event loop a turn every few milliseconds, so long hashing never starves the language server. */
export class Yielder {
  private last = performance.now();
  constructor(private readonly sliceMs = 8) {}
  /** Whether the slice is used up (cheap, synchronous: call `pause()` only then, to avoid a promise per file). */
  due(): boolean {
    return performance.now() - this.last >= this.sliceMs;
  }
  async pause(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    this.last = performance.now();
  }
  async maybe(): Promise<void> {
    if (this.due()) await this.pause();
  }
}

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface HashFileOptions {
  yielder?: Yielder;
  signal?: { aborted: boolean };
  /** Called with the number of bytes just hashed (progress). */
  onBytes?: (n: number) => void;
}

/**
 * md5 of a file as DVC computes it for `name`. Reads synchronously in chunks (fast on small files) and yields to the
 * event loop between chunks when a time slice is used up.
 */
export async function hashFile(abs: string, name: HashName, opts: HashFileOptions = {}): Promise<string> {
  const chunkSize = name === 'md5' ? RAW_CHUNK : DVC_CHUNK;
  const h = createHash('md5');
  const fd = openRegularFile(abs).fd;
  try {
    // a small file is read in one go into a buffer of its size (+1 to see the end); a big one chunk by chunk
    const buf = Buffer.allocUnsafe(Math.min(chunkSize, fs.fstatSync(fd).size + 1));
    let text: boolean | undefined = name === 'md5' ? false : undefined;
    for (;;) {
      // a full chunk, even if the OS returns it in pieces: dos2unix chunk boundaries must be DVC's
      let n = 0;
      while (n < buf.length) {
        const r = fs.readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
      }
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      if (text === undefined) text = isTextBlock(chunk.subarray(0, TEXT_BLOCK));
      h.update(text ? dos2unix(chunk) : chunk);
      opts.onBytes?.(n);
      if (n < chunkSize) break;
      if (opts.signal?.aborted) throw new AbortedError();
      await opts.yielder?.maybe();
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** A reusable buffer for small files (one chunk or less): read in one system call, hashed in one call. */
let smallBuf = Buffer.allocUnsafe(64 * 1024);
const oneShot = (crypto as { hash?: (alg: string, data: Buffer, enc: 'hex') => string }).hash;

/**
 * Hashes a file known (from a stat) to be at most one chunk long, synchronously: open, one read, close. Returns
 * undefined when the file turned out bigger than `size` (it changed since the stat): the caller falls back to hashFile.
 */
export function hashSmallFileSync(abs: string, size: number, name: HashName): string | undefined {
  if (size >= DVC_CHUNK) return undefined;
  if (smallBuf.length < size + 1) smallBuf = Buffer.allocUnsafe(Math.max(size + 1, smallBuf.length * 2));
  const fd = openRegularFile(abs).fd;
  let n = 0;
  try {
    for (;;) {
      const r = fs.readSync(fd, smallBuf, n, size + 1 - n, null);
      if (r === 0) break;
      n += r;
      if (n > size) return undefined; // grew since the stat
    }
  } finally {
    fs.closeSync(fd);
  }
  let data: Buffer = smallBuf.subarray(0, n);
  if (name === 'md5-dos2unix' && isTextBlock(data.subarray(0, TEXT_BLOCK))) data = dos2unix(data);
  return oneShot ? oneShot('md5', data, 'hex') : createHash('md5').update(data).digest('hex');
}

// ------------------------------------------------------------------ directories

export interface DirEntry {
  /** POSIX path relative to the directory. */
  relpath: string;
  md5: string;
}

/** Python's str ordering: by code point (JavaScript's default sort compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as Python's json.dumps writes it with ensure_ascii (the default): non-ASCII as lowercase \uXXXX. */
export function pyJsonString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`; // the common case: printable ASCII without quotes or backslashes
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else out += '\\u' + c.toString(16).padStart(4, '0'); // UTF-16 units: astral characters become surrogate pairs, as in Python
  }
  return out + '"';
}

/** Python's `json.dumps(value, sort_keys=True)` for JSON-like values (separators ", " and ": "). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pyJsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (Array.isArray(value)) return '[' + value.map(pyJsonDumps).join(', ') + ']';
  const keys = Object.keys(value as object).sort(compareCodePoints);
  return '{' + keys.map((k) => `${pyJsonString(k)}: ${pyJsonDumps((value as Record<string, unknown>)[k])}`).join(', ') + '}';
}

/** The bytes of a `.dir` manifest: entries sorted by relpath, serialised like DVC. */
export function dirManifest(entries: DirEntry[]): string {
  // Without surrogate pairs, UTF-16 unit order is code point order and the plain comparison is much faster.
  const astral = entries.some((e) => /[\uD800-\uDFFF]/.test(e.relpath));
  const sorted = [...entries].sort(
    astral ? (a, b) => compareCodePoints(a.relpath, b.relpath) : (a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0),
  );
  // faster than pyJsonDumps on 100,000 entries, same bytes ("md5" sorts before "relpath")
  return '[' + sorted.map((e) => `{"md5": ${pyJsonString(e.md5)}, "relpath": ${pyJsonString(e.relpath)}}`).join(', ') + ']';
}

/** The `.dir` hash of a manifest: md5 of its bytes, plus `.dir`. */
export function dirHash(entries: DirEntry[]): string {
  return createHash('md5').update(dirManifest(entries), 'utf8').digest('hex') + '.dir';
}
