import { defineFileRule } from '../../rule';
import { appendToGitignore } from '../../fixes';
import { dvcPipeline, isDvcYaml } from '../../dvc/pipeline';

/** DVC writes `/<name>` into the .gitignore of the output's parent folder. */
export function dvcIgnoreEntry(rel: string): { gitignore: string; entry: string } {
  const i = rel.lastIndexOf('/');
  return i < 0 ? { gitignore: '.gitignore', entry: `/${rel}` } : { gitignore: `${rel.slice(0, i)}/.gitignore`, entry: `/${rel.slice(i + 1)}` };
}

export const stageOutTrackedByGit = defineFileRule({
  code: 'DVC007',
  name: 'stage-out-tracked-by-git',
  severity: 'error',
  title: 'Stage output also tracked by git',
  doc: {
    what: 'A cached stage output (an `outs`/`metrics`/`plots` entry without `cache: false`) is committed to git, or has files committed under it.',
    why: 'DVC caches the output and ignores it in git; committed anyway, it is versioned twice, bloats the history, and `dvc repro`/`dvc checkout` fight with git over the file ("output is already tracked by SCM").',
    example: '# dvc.yaml: outs: [models/model.pt]\n$ git ls-files models\nmodels/model.pt\n',
    fix: '`git rm -r --cached models/model.pt` and commit; DVC adds it to models/.gitignore on the next `dvc repro`. For small files you want in git (metrics), set `cache: false` instead.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const tracked = ctx.ws.tracked();
    const done = new Set<string>();
    for (const s of dvcPipeline(ctx).stages) {
      if (s.file !== ctx.file) continue;
      for (const o of s.outs) {
        if (o.external || o.unresolved || !o.cache || !o.rel || o.rel.startsWith('../') || done.has(o.rel)) continue;
        const inside = tracked.filter((t) => t === o.rel || t.startsWith(o.rel + '/'));
        if (!inside.length) continue;
        done.add(o.rel);
        const what =
          inside.length === 1 && inside[0] === o.rel
            ? 'is committed to git'
            : `has ${inside.length} file${inside.length > 1 ? 's' : ''} committed to git (${inside.slice(0, 3).join(', ')}${inside.length > 3 ? ', ...' : ''})`;
        ctx.report({
          message: `output \`${o.path}\` of stage \`${s.name}\` ${what}, and DVC caches it too: run \`git rm -r --cached ${o.rel}\`, or set \`cache: false\` to keep it in git only`,
          range: o.range,
        });
      }
    }
  },
});

export const stageOutNotIgnored = defineFileRule({
  code: 'DVC008',
  name: 'stage-out-not-ignored',
  severity: 'warning',
  title: 'Stage output not ignored by git',
  doc: {
    what: 'A cached stage output exists in the workspace, is not committed, and no `.gitignore` ignores it.',
    why: 'DVC ignores its outputs by writing `/<name>` to the `.gitignore` of the output’s folder; when that entry is lost (a rewritten .gitignore, outputs made by running the script by hand), the next `git add .` commits the data or model.',
    example: '# dvc.yaml: outs: [data/processed]\n# data/processed exists, data/.gitignore does not list /processed\n',
    fix: 'Add `/processed` to `data/.gitignore` (the quick fix does), as `dvc repro` would.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const done = new Set<string>();
    for (const s of dvcPipeline(ctx).stages) {
      if (s.file !== ctx.file) continue;
      for (const o of s.outs) {
        if (o.external || o.unresolved || !o.cache || !o.rel || o.rel.startsWith('../') || done.has(o.rel)) continue;
        if (!ctx.ws.exists(o.rel) || ctx.ws.isTracked(o.rel)) continue;
        const isDir = ctx.ws.isDirectory(o.rel);
        if (ctx.ws.isIgnored(o.rel, isDir)) continue;
        if (isDir && ctx.ws.tracked().some((t) => t.startsWith(o.rel + '/'))) continue; // DVC007's case
        done.add(o.rel);
        const { gitignore, entry } = dvcIgnoreEntry(o.rel);
        const fix = appendToGitignore(ctx.ws, [entry], `Add '${entry}' to ${gitignore} (as DVC does)`, gitignore);
        ctx.report({
          message: `output \`${o.path}\` of stage \`${s.name}\` exists but git does not ignore it; DVC expects '${entry}' in ${gitignore}`,
          range: o.range,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
