import * as posix from 'node:path/posix';
import { isMap, isSeq, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { appendToGitignore, suggestionFix } from '../../fixes';
import { isDvcFile, lockedEntry, readDvcFile } from '../../dvc/data/dvcFiles';
import { dvcPipeline } from '../../dvc/pipeline';
import { dvcFileSchema, dvcLockSchema } from '../../dvc/data/schemas';
import { validateYaml } from '../../yaml/schemaIssues';
import { YamlDocument } from '../../text/yamlDocument';

const isLock = (rel: string): boolean => rel === 'dvc.lock' || rel.endsWith('/dvc.lock');

const folderOf = (rel: string): string => (posix.dirname(rel) === '.' ? '' : posix.dirname(rel));

export const dvcFileStructure = defineFileRule({
  code: 'DVC050',
  name: 'dvc-file-structure',
  severity: 'error',
  title: 'Invalid .dvc file or dvc.lock',
  doc: {
    what: "A `.dvc` file or `dvc.lock` does not have the structure DVC reads: an unknown key, a value of the wrong type, a lock without `schema: '2.0'`.",
    why: 'DVC refuses the file (`dvc pull`, `dvc status` and `dvc repro` fail), usually after a hand edit or a bad merge. A typo in a flag (`cahce: false`) is silently an error for DVC.',
    example: '# data.dvc\nouts:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: data\n  cahce: false\n',
    fix: 'Use the keys DVC knows (`path`, `md5`, `size`, `nfiles`, `hash`, `cache`, `persist`, `remote`, `push`, `desc`, `type`, `labels`, `meta`), or regenerate the file with `dvc add` / `dvc commit`.',
    references: ['https://dvc.org/doc/user-guide/project-structure/dvc-files'],
  },
  appliesTo: (rel) => isDvcFile(rel) || isLock(rel),
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    const lock = isLock(ctx.file);
    for (const p of validateYaml(doc, lock ? dvcLockSchema : dvcFileSchema, lock ? 'dvc.lock' : 'a .dvc file')) {
      const fix = p.suggestion ? suggestionFix(ctx.ws, ctx.file, p.range, p.suggestion.word, p.suggestion.to) : undefined;
      ctx.report({ message: p.message, range: p.range, ...(fix ? { fixes: [fix] } : {}) });
    }
    if (!lock && doc.toJS() && !doc.nodeAt(['outs']) && !doc.nodeAt(['deps'])) {
      ctx.report({ message: `${ctx.file} has no \`outs\`: it tracks nothing`, range: doc.rangeOf(doc.doc?.contents as Node) });
    }
  },
});

export const dvcOutNotIgnored = defineFileRule({
  code: 'DVC051',
  name: 'dvc-out-not-ignored',
  severity: 'warning',
  title: 'DVC-tracked data not ignored by git',
  doc: {
    what: 'A path tracked by a `.dvc` file is not ignored by git.',
    why: '`dvc add` writes `/<name>` into the `.gitignore` next to the data so that git never sees it. Without it, `git add .` commits the data itself: the repository grows by the size of the data, and the same data is tracked twice.',
    example:
      '# data.dvc tracks data/, and data/.gitignore or .gitignore does not ignore it\nouts:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: data\n',
    fix: 'Add `/data` to the `.gitignore` of the folder that holds it (the quick fix does this, as `dvc add` would).',
    references: ['https://dvc.org/doc/command-reference/add'],
  },
  appliesTo: isDvcFile,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    const pipeline = dvcPipeline(ctx);
    for (const out of pipeline.dvcFiles.find((d) => d.file === ctx.file)?.outs ?? []) {
      const rel = out.rel;
      if (out.cache === false || rel === '') continue;
      if (ctx.ws.isTracked(rel) || [...ctx.ws.filesUnder(rel)].some((f) => ctx.ws.isTracked(f))) continue; // DVC052's case
      // a folder-only pattern (`raw/`) matches only a folder, also one absent before `dvc pull`
      const isDir = out.folder || pipeline.isFolder(rel);
      if (ctx.ws.isIgnored(rel, isDir)) continue;
      const parent = folderOf(rel);
      const gitignore = parent ? `${parent}/.gitignore` : '.gitignore';
      const entry = '/' + posix.basename(rel);
      const fix = appendToGitignore(ctx.ws, [entry], `Add '${entry}' to ${gitignore} (as dvc add does)`, gitignore);
      ctx.report({
        message: `${rel} is tracked by DVC (${ctx.file}) but git does not ignore it; add '${entry}' to ${gitignore}`,
        range: out.range,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

export const dvcOutTrackedByGit = defineFileRule({
  code: 'DVC052',
  name: 'dvc-out-tracked-by-git',
  severity: 'warning',
  title: 'Data tracked by both DVC and git',
  doc: {
    what: 'A path tracked by a `.dvc` file is also committed to git (the file itself, or files inside the folder).',
    why: 'The same data is versioned twice: git keeps every version of it forever (clones grow), and the two can disagree after a `dvc checkout`. Four of the real ML repositories surveyed do this.',
    example: '$ git ls-files data/\ndata/train.csv\n# and data.dvc tracks data/\n',
    fix: '`git rm -r --cached data`, make sure `/data` is in `.gitignore`, and commit; DVC keeps tracking it.',
    references: ['https://dvc.org/doc/user-guide/how-to/stop-tracking-data'],
  },
  appliesTo: isDvcFile,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    for (const out of dvcPipeline(ctx).dvcFiles.find((d) => d.file === ctx.file)?.outs ?? []) {
      const rel = out.rel;
      if (rel === '') continue;
      const tracked = ctx.ws.isTracked(rel) ? [rel] : [...ctx.ws.filesUnder(rel)].filter((f) => ctx.ws.isTracked(f));
      if (!tracked.length) continue;
      const what =
        tracked.length === 1 && tracked[0] === rel
          ? 'is also committed to git'
          : `has ${tracked.length} file${tracked.length === 1 ? '' : 's'} committed to git (${tracked.slice(0, 3).join(', ')}${tracked.length > 3 ? ', ...' : ''})`;
      ctx.report({
        message: `${rel} is tracked by DVC (${ctx.file}) and ${what}; run \`git rm -r --cached ${rel}\``,
        range: out.range,
      });
    }
  },
});

export const legacyDvc2Hash = defineFileRule({
  code: 'DVC053',
  name: 'legacy-dvc2-hash',
  severity: 'hint',
  title: 'DVC 2 (legacy) hash',
  doc: {
    what: 'An entry of a `.dvc` file or `dvc.lock` has an `md5` but no `hash: md5`: it was written by DVC 2, and DVC 3 reads it as `md5-dos2unix` (text files hashed with CRLF turned into LF).',
    why: 'DVC 3 keeps such objects in the old cache layout and re-hashes the data on the next commit, so the first `dvc commit`/`dvc repro` after an upgrade rewrites hashes and may push the data again. Mixed projects are harder to reason about.',
    example: '# data.dvc\nouts:\n- md5: e5ebd4c02cefbe7955977c67ada242b7\n  size: 10\n  path: data.csv\n',
    fix: 'Run `dvc cache migrate --dvc-files` (DVC >= 3.x) or `dvc commit` with DVC 3, and commit the updated files.',
    references: ['https://dvc.org/doc/user-guide/upgrade'],
  },
  appliesTo: (rel) => isDvcFile(rel) || isLock(rel),
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    // the engine's readers decide what is a DVC 2 entry (`legacy`: an md5 and no `hash` key); the document only places it
    if (!isLock(ctx.file)) {
      const items = doc.nodeAt(['outs']);
      for (const out of readDvcFile(ctx.ws, ctx.file)?.outs ?? []) {
        if (!out.legacy || out.index === undefined) continue;
        const item = isSeq(items) ? items.items[out.index] : undefined;
        const md5 = isMap(item) ? YamlDocument.pair(item, 'md5') : undefined;
        if (!md5) continue;
        ctx.report({ message: `${out.path} in ${ctx.file} has a DVC 2 hash (no \`hash: md5\`); DVC 3 reads it as md5-dos2unix`, range: doc.keyRange(md5) });
      }
      return;
    }
    // dvc.lock: one finding per file, on the first legacy entry (a DVC 2 lock has them everywhere); a DVC 1 lock is DVC024's
    const lock = dvcPipeline(ctx).lockOf(ctx.file.slice(0, -'dvc.lock'.length) + 'dvc.yaml');
    if (!lock || lock.unreadable || lock.schema === undefined) return;
    const legacy = [...lock.stages.values()].flatMap((s) => [...s.deps, ...s.outs]).filter((e) => e.md5Range && lockedEntry(e, '').legacy);
    const count = legacy.length;
    if (count)
      ctx.report({
        message: `${count} entr${count === 1 ? 'y' : 'ies'} of ${ctx.file} ha${count === 1 ? 's a DVC 2 hash' : 've DVC 2 hashes'} (no \`hash: md5\`); DVC 3 reads them as md5-dos2unix`,
        range: legacy[0].md5Range!,
      });
  },
});
