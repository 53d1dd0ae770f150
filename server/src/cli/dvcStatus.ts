import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Workspace } from '../engine/workspace';
import { dataStatus, defaultCacheDir, HashCache, StatPool, type DataStatus } from '../engine/dvc/data';

/** Folders of fewer files are not walked ahead: walking them when asked costs little. */
const PREFETCH_FROM_FILES = 1000;

/**
 * `mlops-hygiene dvc-status [path] [--format text|json]`: the native DVC status. Exit 0 in sync, 1 changes, 2 errors.
 * `pool`: the walk's worker threads, best started before this module loads (their start-up overlaps the loading, the
 * listing of the workspace by git and the reading of .dvc files); closed here.
 */
export async function dvcStatusCommand(args: string[], out: (s: string) => void, usage: (msg: string) => Error, pool = StatPool.start()): Promise<number> {
  try {
    return await run(args, out, usage, pool);
  } finally {
    pool.close();
  }
}

async function run(args: string[], out: (s: string) => void, usage: (msg: string) => Error, pool: StatPool): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'cache-dir': { type: 'string' },
      'no-git': { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw usage('dvc-status takes one path');
  const root = path.resolve(positionals[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw usage(`${root} is not a folder`);
  const format = values.format!;
  if (!['text', 'json'].includes(format)) throw usage(`--format must be text or json, not '${format}'`);
  const cacheDir = values['cache-dir'] ?? defaultCacheDir();
  // A status with no change walks the folders the last one walked: start on them now, while git lists the workspace and
  // the .dvc files are read (without a .dvcignore: the workers do not apply one).
  if (!fs.existsSync(path.join(root, '.dvcignore'))) pool.prefetch(HashCache.load(cacheDir, root).folders(PREFETCH_FROM_FILES));
  const ws = await Workspace.load(root, { useGit: !values['no-git'] });
  const status = await dataStatus(ws, { cacheDir, pool });
  out(format === 'json' ? JSON.stringify({ version: 1, root, ...status }, null, 2) : formatStatusText(status));
  const dirty = status.items.some((i) => i.state !== 'in-sync') || status.stages.some((s) => s.state !== 'up-to-date');
  return dirty ? 1 : 0;
}

/** The human form: one line per stage that is not up to date and per data item that is not in sync, then a summary. */
export function formatStatusText(s: DataStatus): string {
  const lines: string[] = [];
  for (const st of s.stages) {
    if (st.state === 'changed') lines.push(`stage \`${st.name}\` is out of date: ${st.changes.join(', ')}`);
    else if (st.state === 'never-run') lines.push(`stage \`${st.name}\` has never run (${st.changes.join(', ')})`);
    else if (st.state === 'unknown') lines.push(`stage \`${st.name}\`: status unknown`);
    else if (st.changes.length) lines.push(`stage \`${st.name}\` is up to date, but ${st.changes.join(', ')}`);
  }
  for (const it of s.items) {
    if (it.kind !== 'dvc-file' || it.state === 'in-sync') continue;
    const what = {
      modified: 'modified data not committed',
      missing: 'missing data',
      'not-in-cache': 'not in the cache',
      'not-computed': 'not committed yet',
      unknown: 'could not be checked',
    }[it.state];
    lines.push(`${it.source}: ${it.path}: ${what}${it.detail ? ` (${it.detail})` : ''}`);
  }
  const legacy = s.items.filter((i) => i.legacyHash).length;
  if (legacy)
    lines.push(`${legacy} entr${legacy === 1 ? 'y uses' : 'ies use'} DVC 2 (md5-dos2unix) hashes; \`dvc cache migrate\` and re-committing move them to DVC 3`);
  for (const n of s.notes) lines.push(`note: ${n}`);
  const tracked = s.items.length;
  const synced = s.items.filter((i) => i.state === 'in-sync').length;
  if (!tracked && !s.stages.length) lines.push('No DVC-tracked data and no pipeline stages found.');
  else if (synced === tracked && s.stages.every((x) => x.state === 'up-to-date')) lines.push('Data and pipelines are up to date.');
  const mb = (s.bytesHashed / 1024 / 1024).toFixed(1);
  lines.push(
    `${synced} of ${tracked} tracked paths in sync, ${s.stages.length} stage(s); ${s.filesHashed} file(s) hashed (${mb} MB), ${s.filesFromCache} from the hash cache; ${(s.durationMs / 1000).toFixed(2)} s`,
  );
  return lines.join('\n');
}
