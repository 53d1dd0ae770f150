import { defineFileRule } from '../../rule';
import { isWorkflowFile, parseUses, rangeIn } from '../../gha/workflow';
import { ACTION_MIN_MAJOR } from './actionVersions';
import { workflowOf } from './shared';

export const outdatedAction = defineFileRule({
  code: 'GHA011',
  name: 'action-version-outdated',
  severity: 'warning',
  title: 'Outdated action version',
  doc: {
    what: 'A step uses a major version of a common action that is outdated: `actions/checkout@v2/v3`, `actions/setup-python` below v5, `actions/cache` below v4, `actions/upload-artifact`/`download-artifact` below v4, and others (the table with reasons is in the source, `rules/gha/actionVersions.ts`).',
    why: 'Old majors run on Node 12/16, which GitHub runners no longer support, or call services GitHub has shut down (artifacts v3, the legacy cache): the workflow warns on every run, then fails outright. Half of real ML repositories have at least one.',
    example: '- uses: actions/checkout@v3\n- uses: actions/setup-python@v4\n',
    fix: '- uses: actions/checkout@v4\n- uses: actions/setup-python@v5\n\n(the quick fix bumps to the oldest major that works; read the action\'s release notes for input changes).',
    references: ['https://github.blog/changelog/2024-03-07-github-actions-all-actions-will-run-on-node20-instead-of-node16-by-default/'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (!step.uses) continue;
        const u = parseUses(step.uses.value);
        if (!u || u.major === undefined) continue;
        const known = ACTION_MIN_MAJOR[u.action];
        if (!known || u.major >= known.min) continue;
        const range = rangeIn(wf.doc, step.uses.node, '@' + u.ref);
        const refRange = { start: { line: range.start.line, character: range.start.character + 1 }, end: range.end };
        ctx.report({
          message: `${u.action}@${u.ref} is outdated (${known.reason}); use @v${known.min} or newer`,
          range: refRange,
          fixes: [{ title: `Use ${u.action}@v${known.min}`, changes: [{ file: ctx.file, edits: [{ range: refRange, newText: `v${known.min}` }] }], preferred: true }],
        });
      }
    }
  },
});
