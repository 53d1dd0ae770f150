import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotRegularFileError, openRegularFile } from '../regularFile';

/** Texts larger than this are not read for analysis (a 50 MB YAML is data, not a config). */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

export type ReadResult =
  /** `replaced`: the file is not valid UTF-8; its invalid bytes were decoded as U+FFFD, the first at this offset. */
  | { ok: true; text: string; replaced?: { offset: number } }
  | { ok: false; reason: 'missing' | 'directory' | 'too-large' | 'binary' | 'unreadable'; detail: string };

export interface FileStat {
  size: number;
  /**
   * Undefined (with `ino`) for a small file whose first read served as its stat (see readFresh): the listing's paths
   * are each read once, and a file event forgets both the stat and the text.
   */
  mtimeMs: number | undefined;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  ino: number | undefined;
}

/**
 * The contents of an open regular file of `size` bytes (from its fstat): read into a buffer of that size, without the
 * second fstat and the read of the end that readFileSync(fd) makes. A size of 0 (some special files say so) reads on.
 */
export function readOpened(fd: number, size: number): Buffer {
  if (size === 0) return fs.readFileSync(fd);
  const buf = Buffer.allocUnsafe(size);
  let n = 0;
  while (n < size) {
    const r = fs.readSync(fd, buf, n, size - n, null);
    if (r === 0) break;
    n += r;
  }
  return n < size ? buf.subarray(0, n) : buf;
}

/**
 * Reads a file as UTF-8 text or says why it is not one. Only regular files are read, and symbolic links that lead to a
 * regular file inside `root` (when given): a named pipe, a socket, a device or a link out of the workspace is refused
 * with a reason (MLH001), never opened in a way that could block.
 */
export function readTextFile(abs: string, st?: FileStat, root?: string): ReadResult {
  try {
    if (!st) {
      const s = fs.lstatSync(abs);
      st = { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory(), isSymbolicLink: s.isSymbolicLink(), ino: s.ino };
    }
  } catch {
    return { ok: false, reason: 'missing', detail: 'the file does not exist' };
  }
  if (st.isDirectory) return { ok: false, reason: 'directory', detail: 'it is a folder' };
  if (st.isSymbolicLink) {
    // Follow only links that stay readable files; a dangling link or a loop is reported, never followed further.
    try {
      const real = fs.statSync(abs);
      if (!real.isFile()) return { ok: false, reason: 'unreadable', detail: 'the symbolic link does not point at a file' };
      if (root !== undefined && !isInside(fs.realpathSync(root), fs.realpathSync(abs))) {
        return { ok: false, reason: 'unreadable', detail: 'the symbolic link points outside the workspace' };
      }
    } catch (e) {
      return { ok: false, reason: 'unreadable', detail: `broken symbolic link (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  let buf: Buffer;
  try {
    const { fd, st: real } = openRegularFile(abs);
    try {
      if (real.size > MAX_TEXT_BYTES) return tooLarge(real.size);
      buf = readOpened(fd, real.size);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (e instanceof NotRegularFileError) return { ok: false, reason: 'unreadable', detail: e.message };
    return { ok: false, reason: 'unreadable', detail: `could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  return decodeText(buf);
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/** The bytes of a file as text, or why they are not text. */
export function decodeText(buf: Buffer): ReadResult {
  if (buf.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary', detail: 'it contains binary data (NUL bytes)' };
  // One policy for every kind of file: invalid UTF-8 is decoded with replacement characters, as editors show it, and
  // said (MLH001, info), rather than some kinds being skipped without a word and others analysed.
  try {
    return { ok: true, text: stripBom(FATAL_UTF8.decode(buf)) };
  } catch {
    const text = stripBom(LENIENT_UTF8.decode(buf));
    return { ok: true, text, replaced: { offset: Math.max(0, text.indexOf('\ufffd')) } };
  }
}

export function tooLarge(size: number): ReadResult {
  return { ok: false, reason: 'too-large', detail: `${formatBytes(size)} is above the ${formatBytes(MAX_TEXT_BYTES)} read limit` };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isInside(root: string, p: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
