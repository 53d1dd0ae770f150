import { defineFileRule } from '../../rule';
import { isWorkflowFile, parseUses, rangeIn, workflowOf } from '../../gha/workflow';
import { ACTION_MIN_MAJOR, ACTION_TABLE_CHECKED, NODE_RUNTIME_SOURCE } from './actionVersions';

export const actionVersionOutdated = defineFileRule({
  code: 'GHA011',
  name: 'action-version-outdated',
  severity: 'warning',
  title: 'Outdated action version',
  doc: {
    what: `A step uses a major version of a common action that runs on a Node runtime GitHub's runners no longer support: Node 20 and older (\`actions/checkout\` below v5, \`actions/setup-python\` below v6, \`actions/cache\` below v5, \`actions/upload-artifact\` below v6, \`actions/download-artifact\` below v7, \`astral-sh/setup-uv\` below v7, \`docker/build-push-action\` below v7, \`google-github-actions/auth\` below v3, and others). The table, with each major's \`runs.using\` read from the action's own \`action.yml\`, is dated data in the source (\`rules/gha/actionVersions.ts\`, checked ${ACTION_TABLE_CHECKED}).`,
    why: 'GitHub deprecated Node 20 on its runners: since June 2026 Node 20 actions are forced onto Node 24 with a warning on every run, and Node 20 is removed from the runner in September 2026. Older majors (Node 12/16) and the retired artifact v3 and legacy cache services fail outright.',
    example: '- uses: actions/checkout@v4\n- uses: actions/setup-python@v5\n',
    fix: "- uses: actions/checkout@v5\n- uses: actions/setup-python@v6\n\n(the quick fix bumps to the oldest major that runs on Node 24; read the action's release notes for input changes).",
    references: [NODE_RUNTIME_SOURCE],
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
        const runtime = known.runs[u.major];
        const why = [
          runtime
            ? `v${u.major} runs on ${runtime.replace('node', 'Node ')}, which GitHub runners no longer support`
            : `v${u.major} predates the Node 24 releases`,
          ...(known.also && u.major <= 3 ? [known.also] : []),
        ].join('; ');
        const range = rangeIn(wf.doc, step.uses.node, '@' + u.ref);
        const refRange = { start: { line: range.start.line, character: range.start.character + 1 }, end: range.end };
        ctx.report({
          message: `${u.action}@${u.ref} is outdated (${why}); use @v${known.min} or newer`,
          range: refRange,
          fixes: [
            { title: `Use ${u.action}@v${known.min}`, changes: [{ file: ctx.file, edits: [{ range: refRange, newText: `v${known.min}` }] }], preferred: true },
          ],
        });
      }
    }
  },
});
