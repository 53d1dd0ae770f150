import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { defaultCacheDir } from '../engine/dvc/data/hashCache';

/**
 * The `mlops-hygiene` command (dist/cli.js): runs the CLI bundle (dist/cli-main.js) with V8's code cache, kept in the
 * CLI's cache folder (the user's own, beside the hash cache), so that a run does not parse and compile the 2-3 MB
 * bundle again (about 60 ms of every command's start). The cache is V8's to check: one made by another bundle, Node or
 * V8 version, or a damaged one, is rejected by V8 (the bundle is then compiled as usual) and written again after the
 * run. Node 22 has this built in (module.enableCompileCache); Node 20 does not.
 */
function launch(): void {
  const bundle = path.join(__dirname, 'cli-main.js');
  const source = fs.readFileSync(bundle, 'utf8');
  const st = fs.statSync(bundle);
  const dir = process.env.MLOPS_HYGIENE_NO_CODE_CACHE ? undefined : defaultCacheDir();
  // per installed bundle (its path), and per version of it and of V8
  const prefix = `cli-${createHash('sha256').update(bundle).digest('hex').slice(0, 12)}-`;
  const cacheFile = dir && path.join(dir, `${prefix}${process.versions.v8}-${process.arch}-${st.size}-${Math.floor(st.mtimeMs)}.v8cache`);
  let cached: Buffer | undefined;
  try {
    if (cacheFile) cached = fs.readFileSync(cacheFile);
  } catch {
    /* none yet */
  }
  // the CommonJS wrapper Node itself would put around the file
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source.replace(/^#!.*/, '')}\n})`, {
    filename: bundle,
    cachedData: cached,
  });
  if (cacheFile && (!cached || script.cachedDataRejected)) process.once('exit', () => saveCodeCache(script, cacheFile, prefix));
  const mod = { exports: {} as { main?: (argv: string[]) => Promise<number> } };
  (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
  void mod.exports.main!(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

/** Code caches kept at most (one per installed bundle: temporary installs, as `npx` makes, must not pile up). */
const MAX_CACHES = 8;

/**
 * After the run (the functions it compiled are in the cache too). Replaces the caches of older versions of the bundle,
 * and keeps the MAX_CACHES newest of all.
 */
function saveCodeCache(script: vm.Script, cacheFile: string, prefix: string): void {
  try {
    const data = script.createCachedData();
    const dir = path.dirname(cacheFile);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, cacheFile);
    const others = fs
      .readdirSync(dir)
      .filter((f) => /^cli-[0-9a-f]{12}-.*\.v8cache$/.test(f) && f !== path.basename(cacheFile))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    others.forEach(({ f }, i) => {
      if (f.startsWith(prefix) || i >= MAX_CACHES - 1) fs.rmSync(path.join(dir, f), { force: true });
    });
  } catch {
    /* a read-only cache folder: the next run compiles again, nothing breaks */
  }
}

launch();
