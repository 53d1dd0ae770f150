// Loaded with `node --require` into the CLI by scripts/fuzz.mjs: wraps the fs functions that open or read files and
// records the real path (symlinks resolved) of every file the process opened, and of every file or folder it wrote,
// in FUZZ_FS_LOG when the process exits. No LD_PRELOAD: the CLI's own reads, whatever path string they used.
'use strict';
const fs = require('node:fs');
const log = process.env.FUZZ_FS_LOG;
if (log) {
  const origWrite = fs.writeFileSync;
  const seen = { read: new Set(), write: new Set() };
  const real = fs.realpathSync.native ?? fs.realpathSync;
  const note = (kind, p) => {
    if (typeof p !== 'string' && !(p instanceof URL) && !Buffer.isBuffer(p)) return; // a descriptor: opened already
    let r = String(p instanceof URL ? p.pathname : p);
    try {
      r = real(r);
    } catch {
      /* does not exist (yet): keep the path as given */
    }
    seen[kind].add(r);
  };
  const isWrite = (flags) =>
    typeof flags === 'string'
      ? /[wa+]/.test(flags)
      : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
  const wrap = (name, kindOf) => {
    const orig = fs[name];
    if (typeof orig !== 'function') return;
    fs[name] = function (...args) {
      const kind = kindOf(args);
      let ok = false;
      try {
        const r = orig.apply(this, args);
        ok = true;
        return r;
      } finally {
        // a read that failed read nothing (an open with O_NOFOLLOW of a link fails with ELOOP); a write is noted even when
        // it failed, since it was attempted inside or outside the workspace
        if (ok || kind === 'write') note(kind, args[0]);
      }
    };
  };
  wrap('openSync', (a) => (isWrite(a[1]) ? 'write' : 'read'));
  wrap('open', (a) => (isWrite(a[1]) ? 'write' : 'read'));
  wrap('readFileSync', () => 'read');
  wrap('readFile', () => 'read');
  wrap('createReadStream', () => 'read');
  for (const w of [
    'writeFileSync',
    'writeFile',
    'appendFileSync',
    'appendFile',
    'createWriteStream',
    'mkdirSync',
    'mkdir',
    'renameSync',
    'rename',
    'rmSync',
    'rm',
    'unlinkSync',
    'unlink',
    'copyFileSync',
    'symlinkSync',
    'truncateSync',
    'utimesSync',
    'chmodSync',
  ])
    wrap(w, () => 'write');
  for (const name of ['readFile', 'open', 'writeFile', 'mkdir', 'rename', 'rm', 'unlink', 'appendFile']) {
    const orig = fs.promises[name];
    fs.promises[name] = function (...args) {
      note(name === 'readFile' || (name === 'open' && !isWrite(args[1])) ? 'read' : 'write', args[0]);
      return orig.apply(this, args);
    };
  }
  process.on('exit', () => {
    origWrite(log, JSON.stringify({ read: [...seen.read], write: [...seen.write] }));
  });
}
