import { defineFileRule } from '../../rule';
import type { Range } from '../../types';
import { commandsOf, copySources, isDockerfile, joinPath, uvSyncAt, dockerfileOf } from '../../docker/dockerfile';
import { isWorkflowFile, rangeIn, workflowOf } from '../../gha/workflow';
import { isLockFileName } from '../../docker/contextFiles';

/** `uv sync --locked` and `COPY uv.lock` need the lock file in every fresh clone: CI and image builds fail without it. */
export const lockFileNotTracked = defineFileRule({
  code: 'DEP003',
  name: 'lock-file-not-tracked',
  severity: 'error',
  title: 'Lock file expected by CI or Docker but not tracked by git',
  doc: {
    what: 'A workflow runs `uv sync --locked`/`--frozen` (or `uv run --locked/--frozen`), or a Dockerfile copies `uv.lock`/`poetry.lock` or runs `uv sync --locked/--frozen`, but git does not track that lock file (it is missing, untracked, or ignored).',
    why: 'CI and Docker builds start from a fresh clone: `uv sync --locked` fails with "Unable to find lockfile", and `COPY uv.lock` fails with "not found". The course template asks users to create uv.lock themselves, and it is easy to forget to commit it, or to have `*.lock` in .gitignore.',
    example: '# .gitignore contains uv.lock\n- run: uv sync --locked\n',
    fix: 'Create the lock file (`uv lock`), remove it from `.gitignore`, and commit it: `git add uv.lock`.',
    references: ['https://docs.astral.sh/uv/concepts/projects/sync/#checking-if-the-lockfile-is-up-to-date'],
  },
  appliesTo: (rel) => isWorkflowFile(rel) || isDockerfile(rel),
  check(ctx) {
    const problem = (lock: string): string | undefined => {
      if (ctx.ws.isTracked(lock)) return undefined;
      if (!ctx.ws.exists(lock)) return 'does not exist';
      if (!ctx.ws.isGitRepository) return undefined;
      return ctx.ws.isIgnored(lock) ? 'is ignored by .gitignore' : 'is not committed';
    };
    const report = (lock: string, what: string, range: Range): void => {
      const p = problem(lock);
      if (p) ctx.report({ message: `${what} needs ${lock}, which ${p}: a fresh clone (CI, an image build) has no lock file`, range });
    };
    if (isWorkflowFile(ctx.file)) {
      const wf = workflowOf(ctx);
      if (!wf) return;
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          if (!step.run) continue;
          const m = /\buv\s+(sync|run|export)\b[^\n]*?(--locked|--frozen)/.exec(step.run.value);
          if (!m) continue;
          const dir = YamlDir(step.node);
          report(joinPath(dir, 'uv.lock'), `\`uv ${m[1]} ${m[2]}\``, rangeIn(wf.doc, step.run.node, m[2]));
        }
      }
      return;
    }
    const d = dockerfileOf(ctx);
    if (!d) return;
    let explicitCopy = false;
    let copiesAll = false;
    for (const i of d.p.instructions) {
      for (const s of copySources(i).sources) {
        const base = s.value.replace(/^\.\//, '');
        if (base === '.' || base === '') copiesAll = true;
        if (isLockFileName(base) && !base.includes('/')) {
          explicitCopy = true;
          report(joinPath(d.context, base), `${i.keyword} ${s.value}`, s.range);
        }
      }
    }
    if (explicitCopy || !copiesAll) return; // reported at the COPY, or the lock is not copied in at all
    for (const i of d.p.instructions) {
      if (i.keyword !== 'RUN') continue;
      for (const cmd of commandsOf(i.words)) {
        const flag = uvSyncAt(cmd) >= 0 ? cmd.find((w) => w.value === '--locked' || w.value === '--frozen') : undefined;
        if (flag) report(joinPath(d.context, 'uv.lock'), `uv sync ${flag.value}`, flag.range);
      }
    }
  },
});

/** `working-directory:` of a step, as a workspace folder. */
function YamlDir(step: { items: { key: unknown; value: unknown }[] }): string {
  for (const p of step.items) {
    const k = (p.key as { value?: unknown })?.value;
    const v = (p.value as { value?: unknown })?.value;
    if (k === 'working-directory' && typeof v === 'string' && !v.includes('${{')) return v.replace(/^\.\/?/, '');
  }
  return '';
}
