import * as fs from 'node:fs';

/**
 * Opening for reading: only regular files. A named pipe (FIFO) under a name the engine reads (params.yaml, dvc.lock, a
 * run's .hydra/config.yaml) blocked the process forever in open(2) until some writer appeared; a device (a link to
 * /dev/zero) never ends. O_NONBLOCK makes open(2) return at once for a FIFO (it has no effect on a regular file), and
 * fstat on the descriptor then refuses anything that is not a regular file, with no window between check and read.
 */
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly kind: string) {
    super(`it is not a regular file (${kind})`);
  }
}

/** What a non-regular file is, in words. */
export function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a folder';
  return 'not a file';
}

/** Opens `abs` for reading when it is (or a link leads to) a regular file; throws NotRegularFileError otherwise. */
export function openRegularFile(abs: string): { fd: number; st: fs.Stats } {
  const fd = fs.openSync(abs, READ_FLAGS);
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  if (!st.isFile()) {
    fs.closeSync(fd);
    throw new NotRegularFileError(kindOf(st));
  }
  return { fd, st };
}

/** A descriptor of `abs` itself, never of what a link points to; undefined when it cannot be opened so (or on Windows). */
function openNoFollow(abs: string): number | undefined {
  if (fs.constants.O_NOFOLLOW === undefined) return undefined;
  try {
    return fs.openSync(abs, READ_FLAGS | fs.constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
}

/**
 * Opens `abs` for reading only when it is itself a regular file (never through a symbolic link: O_NOFOLLOW), with its
 * stat from the descriptor: one open and one fstat serve as the lstat and the read of a file seen for the first time.
 * Undefined for anything else (a link, a folder, a FIFO, a missing file): the caller takes its general path.
 */
export function openPlainFile(abs: string): { fd: number; st: fs.Stats } | undefined {
  const fd = openNoFollow(abs);
  if (fd === undefined) return undefined;
  try {
    const st = fs.fstatSync(fd);
    if (st.isFile()) return { fd, st };
  } catch {
    /* closed below */
  }
  fs.closeSync(fd);
  return undefined;
}

/** The buffer of every first read by `readSmallPlainFile` (one process reads one file at a time). */
const SMALL_READ = Buffer.allocUnsafe(64 * 1024);

/**
 * The bytes of `abs` when it is itself a regular file (O_NOFOLLOW: never through a link) that one positioned read
 * returns whole: under 64 KB and not empty. No fstat: on 10,000 files the fstat and its Stats object were about a
 * quarter of reading them. What else opens is refused by the read itself: a folder (EISDIR), a FIFO or a terminal (ESPIPE: a
 * positioned read needs a seekable file; O_NONBLOCK already made the open return at once), a device that fills the
 * buffer or gives nothing. Undefined for all of those, a link, a missing file, a larger or an empty one: the caller
 * takes its general path (`openPlainFile`, then `openRegularFile`). The bytes are a view of a shared buffer, valid
 * until the next call: decode them at once.
 */
export function readSmallPlainFile(abs: string): Buffer | undefined {
  const fd = openNoFollow(abs);
  if (fd === undefined) return undefined;
  try {
    const n = fs.readSync(fd, SMALL_READ, 0, SMALL_READ.length, 0);
    return n > 0 && n < SMALL_READ.length ? SMALL_READ.subarray(0, n) : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The whole content of a regular file (see openRegularFile), at most `maxBytes` when given (else it throws). */
export function readRegularFile(abs: string, maxBytes?: number): Buffer {
  const { fd, st } = openRegularFile(abs);
  try {
    if (maxBytes !== undefined && st.size > maxBytes) throw new Error(`${st.size} bytes is above the ${maxBytes} read limit`);
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
