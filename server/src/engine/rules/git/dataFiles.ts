import { defineRepoRule, type RepoContext } from '../../rule';
import { appendToGitignore } from '../../fixes';
import { formatBytes } from '../../workspace';
import { isDataFile, isModelFile, mayBeDataFile } from '../../../../../shared/artefacts';
import { ignoreEntryFor } from './artefacts';

/** Files under a top-level data/ folder that are not data: docs, code, placeholders, DVC pointers. */
const NOT_DATA_IN_DATA_DIR = /(^|\/)(\.gitkeep|\.keep|\.gitignore|README[^/]*|[^/]*\.(dvc|md|py|txt|rst))$/i;
const MAX_PER_RULE = 200;

/** Listed files that are data (not models: GIT001/GIT002 cover those), with their size. */
function dataFiles(ctx: RepoContext, tracked: boolean): { rel: string; size: number }[] {
  const threshold = ctx.option('large-file-mb', 1) * 1024 * 1024;
  const out: { rel: string; size: number }[] = [];
  for (const [rel, entry] of ctx.ws.entries()) {
    if (entry.tracked !== tracked || ctx.settings.isRunArtefact(rel) || isModelFile(rel)) continue;
    const inDataDir = rel.startsWith('data/') && !NOT_DATA_IN_DATA_DIR.test(rel);
    // only stat what could be data: the extension or the folder says so
    if (!inDataDir && !mayBeDataFile(rel)) continue;
    const size = ctx.ws.stat(rel)?.size ?? 0;
    if (inDataDir || isDataFile(rel, size, threshold)) out.push({ rel, size });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

export const dataFileTracked = defineRepoRule({
  code: 'GIT003',
  name: 'data-file-tracked',
  severity: 'warning',
  title: 'Data file tracked by git',
  doc: {
    what: 'A data file is committed to git: anything under the top-level `data/` folder (except READMEs, code and `.dvc` pointers), binary data formats (`.parquet`, `.npy`, `.feather`, `.tfrecord`, ...) anywhere, and tables (`.csv`, `.tsv`, `.jsonl`) above 1 MB (`large-file-mb` option).',
    why: 'Data does not belong in git: every version stays in the history forever, clones get slow, GitHub warns above 50 MB and rejects files above 100 MB. DVC keeps data versioned next to the code with git holding only small pointer files.',
    example: '$ git ls-files data/\ndata/raw/train.csv\n',
    fix: '`git rm -r --cached data/` then `dvc add data/` (which writes `data.dvc` and ignores `/data`), and commit `data.dvc` and `.gitignore`.',
    references: ['https://dvc.org/doc/start/data-management/data-versioning'],
  },
  check(ctx) {
    const files = dataFiles(ctx, true);
    files.slice(0, MAX_PER_RULE).forEach(({ rel, size }, i) => {
      const more = i === MAX_PER_RULE - 1 && files.length > MAX_PER_RULE ? ` (and ${files.length - MAX_PER_RULE} more data files)` : '';
      ctx.report({ file: rel, message: `${rel} (${formatBytes(size)}) is data tracked by git; version it with DVC instead${more}` });
    });
  },
});

export const dataFileNotIgnored = defineRepoRule({
  code: 'GIT004',
  name: 'data-file-not-ignored',
  severity: 'warning',
  title: 'Data file not ignored',
  doc: {
    what: 'A data file (see GIT003 for what counts as data) is in the working tree, not committed yet, and not ignored by `.gitignore`.',
    why: 'The next `git add .` commits it, and then it is in the history for good.',
    example: '# data/raw/train.csv exists; .gitignore does not ignore /data/\n',
    fix: 'Track the data with DVC (`dvc add data/`, which also ignores it), or add `/data/` to `.gitignore`.',
  },
  check(ctx) {
    const files = dataFiles(ctx, false);
    const fixes = new Map<string, ReturnType<typeof appendToGitignore>>();
    files.slice(0, MAX_PER_RULE).forEach(({ rel, size }) => {
      const entry = ignoreEntryFor(rel);
      if (!fixes.has(entry)) fixes.set(entry, appendToGitignore(ctx.ws, [entry]));
      const fix = fixes.get(entry);
      ctx.report({
        file: rel,
        message: `${rel} (${formatBytes(size)}) is data that git does not ignore; track it with DVC or add '${entry}' to .gitignore`,
        fixes: fix ? [fix] : [],
      });
    });
  },
});
