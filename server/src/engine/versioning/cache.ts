import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDvcConfig } from '../dvc/data/dvcConfig';

/**
 * The local DVC cache: where it is, whether an object is in it, and the hashes DVC gives workspace files, so a restore
 * can tell whether the current data would be lost. Layouts: DVC 3 `<cache>/files/md5/ab/cdef...`, DVC 2 `<cache>/ab/cdef...`
 * (both can coexist); directories are `.dir` objects listing their files.
 */

/** `[cache] dir` from .dvc/config.local, then .dvc/config (relative paths are relative to .dvc/), else `.dvc/cache`. */
export function cacheDir(dvcRoot: string): string {
  const dotDvc = path.join(dvcRoot, '.dvc');
  for (const name of ['config.local', 'config']) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dotDvc, name), 'utf8');
    } catch {
      continue;
    }
    const dir = parseDvcConfig(text, name)
      .filter((s) => s.kind === 'cache')
      .map((s) => s.options.get('dir')?.value)
      .filter((v): v is string => !!v)
      .pop();
    if (dir) return path.resolve(dotDvc, dir);
  }
  return path.join(dotDvc, 'cache');
}

/** The two paths an object can have: DVC 3 first, then DVC 2. */
export function cacheObjectPaths(cache: string, hash: string): string[] {
  const h = hash.toLowerCase();
  if (!/^[0-9a-f]{32}(\.dir)?$/.test(h)) return [];
  return [path.join(cache, 'files', 'md5', h.slice(0, 2), h.slice(2)), path.join(cache, h.slice(0, 2), h.slice(2))];
}

export function inCache(cache: string, hash: string): boolean {
  return cacheObjectPaths(cache, hash).some((p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** DVC's text test on a sample: empty = text, a NUL = binary, else binary when > 30% of bytes are not printable. */
export function looksLikeText(sample: Buffer): boolean {
  if (sample.length === 0) return true;
  let nonText = 0;
  for (const b of sample) {
    if (b === 0) return false;
    const text = (b >= 32 && b <= 126) || b === 10 || b === 13 || b === 9 || b === 12 || b === 8;
    if (!text) nonText++;
  }
  return nonText / sample.length <= 0.3;
}

export interface FileHashes {
  /** DVC 3 (`hash: md5`): md5 of the raw bytes. */
  md5: string;
  /** DVC 2 legacy: CRLF -> LF first when the file looks like text (equal to md5 for binary files). */
  dos2unix: string;
  size: number;
}

/** Both hashes of a file, streaming (a large file is never held in memory). */
export async function hashFile(abs: string): Promise<FileHashes> {
  const raw = createHash('md5');
  const d2u = createHash('md5');
  let size = 0;
  let isText: boolean | undefined;
  let pendingCR = false;
  await new Promise<void>((resolve, reject) => {
    const s = fs.createReadStream(abs, { highWaterMark: 1 << 20 });
    s.on('data', (chunk: string | Buffer) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      raw.update(buf);
      size += buf.length;
      if (isText === undefined) isText = looksLikeText(buf.subarray(0, 512));
      if (!isText) {
        d2u.update(buf);
        return;
      }
      // CRLF -> LF, with a CR at the end of a chunk held back until the next byte is known.
      let data = pendingCR ? Buffer.concat([Buffer.from([13]), buf]) : buf;
      pendingCR = data.length > 0 && data[data.length - 1] === 13;
      if (pendingCR) data = data.subarray(0, data.length - 1);
      let start = 0;
      const parts: Buffer[] = [];
      for (let i = 0; i < data.length - 1; i++) {
        if (data[i] === 13 && data[i + 1] === 10) {
          parts.push(data.subarray(start, i));
          start = i + 1;
        }
      }
      parts.push(data.subarray(start));
      for (const p of parts) d2u.update(p);
    });
    s.on('end', () => resolve());
    s.on('error', reject);
  });
  if (pendingCR) d2u.update(Buffer.from([13]));
  return { md5: raw.digest('hex'), dos2unix: d2u.digest('hex'), size };
}

/** Python's `json.dumps(obj, sort_keys=True)` for the string values DVC puts in `.dir` listings (ensure_ascii on). */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function codePointCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/** The `.dir` hash of a listing `[{md5, relpath}]`, serialised exactly as DVC does. */
export function dirHash(entries: { md5: string; relpath: string }[]): string {
  const sorted = [...entries].sort((a, b) => codePointCompare(a.relpath, b.relpath));
  const body = '[' + sorted.map((e) => `{"md5": ${pyJsonString(e.md5)}, "relpath": ${pyJsonString(e.relpath)}}`).join(', ') + ']';
  return createHash('md5').update(body, 'utf8').digest('hex') + '.dir';
}

/** Files under a folder (POSIX relpaths), not following symlinked folders, at most `max`. */
export function listFiles(root: string, max = 200_000): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) stack.push(r);
      else if (e.isFile() || e.isSymbolicLink()) {
        if (e.isSymbolicLink()) {
          try {
            if (!fs.statSync(path.join(root, r)).isFile()) continue;
          } catch {
            continue;
          }
        }
        files.push(r);
        if (files.length >= max) return { files, truncated: true };
      }
    }
  }
  return { files, truncated: false };
}
