import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from './tmp';

/**
 * A fake `dvc` executable (a small Node script) for machines where the real CLI cannot be installed. It records every
 * argument array it receives (one JSON array per line in $FAKE_DVC_LOG), answers `--version`, and imitates the parts of
 * `add` (single files), `checkout`, `push` and `pull` the tests need. `FAKE_DVC_FAIL=<verb>` makes that verb fail the
 * way dvc does (ERROR line on stderr, exit 1). It is the real spawned process, so argument passing is tested for real.
 */
const SCRIPT = String.raw`#!${process.execPath}
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
let args = process.argv.slice(2);
if (args[0] === '-m' && args[1] === 'dvc') args = args.slice(2); // invoked as "python -m dvc"
if (process.env.FAKE_DVC_LOG) fs.appendFileSync(process.env.FAKE_DVC_LOG, JSON.stringify(args) + '\n');
const verb = args[0];
if (verb === '--version') { console.log('3.55.2'); process.exit(0); }
if (process.env.FAKE_DVC_FAIL === verb) {
  process.stderr.write('ERROR: failed to ' + verb + ' data to the cloud - config file error: no remote specified in /repo/.dvc/config. Setup default remote with\n    dvc remote add -d <name> <url>\n');
  process.exit(1);
}
const targets = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const cache = path.join(process.cwd(), '.dvc', 'cache', 'files', 'md5');
function obj(h) { return path.join(cache, h.slice(0, 2), h.slice(2)); }
if (verb === 'add') {
  for (const t of targets) {
    const buf = fs.readFileSync(t);
    const h = crypto.createHash('md5').update(buf).digest('hex');
    fs.mkdirSync(path.dirname(obj(h)), { recursive: true });
    fs.writeFileSync(obj(h), buf);
    const base = path.basename(t);
    fs.writeFileSync(t + '.dvc', 'outs:\n- md5: ' + h + '\n  size: ' + buf.length + '\n  hash: md5\n  path: ' + JSON.stringify(base) + '\n');
    const gi = path.join(path.dirname(t), '.gitignore');
    fs.appendFileSync(gi, '/' + base + '\n');
    console.log('Adding ' + t + ' to the cache');
  }
  process.exit(0);
}
if (verb === 'checkout') {
  for (const t of targets) {
    const text = fs.readFileSync(t.endsWith('.dvc') ? t : t + '.dvc', 'utf8');
    const h = /md5: ([0-9a-f]{32})/.exec(text)[1];
    const p = /path: "?([^"\n]+)"?/.exec(text)[1];
    const out = path.join(path.dirname(t), p);
    fs.rmSync(out, { force: true });
    fs.copyFileSync(obj(h), out);
    console.log('M       ' + out);
  }
  process.exit(0);
}
if (verb === 'push' || verb === 'pull') { console.log('2 files ' + verb + 'ed'); process.exit(0); }
process.stderr.write('ERROR: unexpected error - fake dvc does not know ' + verb + '\n');
process.exit(255);
`;

export interface FakeDvc {
  /** Folder holding the `dvc` executable (put it first on PATH). */
  bin: string;
  file: string;
  log: string;
  /** The argument arrays received so far. */
  calls(): string[][];
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

export function makeFakeDvc(): FakeDvc {
  const bin = tmpDir('mlh-fakedvc-');
  const file = path.join(bin, 'dvc');
  fs.writeFileSync(file, SCRIPT, { mode: 0o755 });
  const log = path.join(bin, 'calls.log');
  return {
    bin,
    file,
    log,
    calls: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as string[])
        : [],
    env: (extra = {}) => ({ ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_DVC_LOG: log, ...extra }),
  };
}
