import { defineFileRule } from '../../rule';
import { isWorkflowFile, stepCommands, type Job, workflowOf } from '../../gha/workflow';

function deploys(job: Job): boolean {
  if (/deploy|release|publish/i.test(job.id) || /deploy|release|publish/i.test(job.name ?? '')) return true;
  return job.steps.some(
    (s) =>
      /deploy-cloudrun|docker\/build-push-action|pypa\/gh-action-pypi-publish|deploy-appengine/.test(s.uses?.value ?? '') ||
      (s.run !== undefined && /\b(gcloud\s+(run|app|functions)\s+deploy|docker\s+push|twine\s+upload|uv\s+publish|kubectl\s+apply)\b/.test(s.run.value)),
  );
}

/** A deploy job that does not wait for the tests ships code whose tests are still running, or failed. */
export const deployWithoutTestNeeds = defineFileRule({
  code: 'GHA010',
  name: 'deploy-without-test-needs',
  severity: 'warning',
  title: 'Deploy job does not wait for the tests',
  doc: {
    what: 'In a workflow that has a job running the tests, a deploying job (its name says deploy/release/publish, or it runs `gcloud run deploy`, `docker push`, `twine upload`...) does not depend on that job through `needs:` (directly or through other jobs).',
    why: 'Jobs run in parallel unless `needs` orders them: the image is pushed and deployed while the tests run, and stays deployed when they fail.',
    example: 'jobs:\n  test:\n    ...\n  deploy:\n    runs-on: ubuntu-latest\n    steps: [...]\n',
    fix: 'jobs:\n  deploy:\n    needs: test\n',
    references: ['https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idneeds'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    const byId = new Map(wf.jobs.map((j) => [j.id, j]));
    const testJobs = wf.jobs.filter((j) => j.steps.some((s) => stepCommands(s).some((c) => c.runsTests)));
    if (!testJobs.length) return;
    const upstream = (j: Job, seen = new Set<string>()): Set<string> => {
      for (const n of j.needs) {
        if (seen.has(n)) continue;
        seen.add(n);
        const nj = byId.get(n);
        if (nj) upstream(nj, seen);
      }
      return seen;
    };
    for (const job of wf.jobs) {
      if (testJobs.includes(job) || !deploys(job)) continue;
      const ups = upstream(job);
      if (testJobs.some((t) => ups.has(t.id))) continue;
      const line = job.keyRange.start.line;
      const indent = ' '.repeat(job.keyRange.start.character + 2);
      const fix =
        job.needs.length === 0 && line + 1 < wf.doc.index.lineCount && !/\{/.test(wf.doc.index.lineText(line))
          ? [
              {
                title: `Add needs: ${testJobs[0].id}`,
                changes: [
                  {
                    file: ctx.file,
                    edits: [
                      {
                        range: { start: { line: line + 1, character: 0 }, end: { line: line + 1, character: 0 } },
                        newText: `${indent}needs: ${testJobs[0].id}\n`,
                      },
                    ],
                  },
                ],
                preferred: true,
              },
            ]
          : [];
      ctx.report({
        message: `job '${job.id}' deploys but does not need the test job '${testJobs.map((t) => t.id).join("', '")}': it runs in parallel with the tests and ships even when they fail`,
        range: job.keyRange,
        fixes: fix,
      });
    }
  },
});
