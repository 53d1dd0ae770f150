import { defineFileRule } from '../../rule';
import { isWorkflowFile, rangeIn, stepCommands, workflowOf } from '../../gha/workflow';

/** A check step that exits 0 whatever it finds gives a green tick that means nothing. */
export const checkStepCannotFail = defineFileRule({
  code: 'GHA006',
  name: 'check-step-cannot-fail',
  severity: 'warning',
  title: 'A lint/format step that can never fail',
  doc: {
    what: 'A workflow step runs `ruff format` (or `black`/`isort`) without `--check`, `ruff check --exit-zero`, or ends a `pytest`/`ruff`/`mypy` command with `|| true`.',
    why: 'Without `--check` the formatter rewrites the files on the runner and exits 0; `--exit-zero` and `|| true` swallow every error. The job is always green, so formatting and lint errors reach main anyway.',
    example: '- run: ruff format .\n- run: ruff check . --exit-zero\n',
    fix: '- run: ruff format --check .\n- run: ruff check .\n',
    references: ['https://docs.astral.sh/ruff/formatter/#ruff-format'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (!step.run) continue;
        const text = step.run.value;
        for (const { text: cmd } of stepCommands(step)) {
          const fmt = /^(?:uv run |python -m |pipx run |uvx )?(ruff format|black|isort)\b(.*)$/.exec(cmd);
          if (fmt && !/--check|--diff/.test(fmt[2])) {
            const range = rangeIn(wf.doc, step.run.node, fmt[1]);
            ctx.report({
              message: `\`${fmt[1]}\` without --check rewrites the files on the runner and always succeeds: formatting errors never fail the job`,
              range,
              fixes: [
                {
                  title: 'Add --check',
                  changes: [{ file: ctx.file, edits: [{ range: { start: range.end, end: range.end }, newText: ' --check' }] }],
                  preferred: true,
                },
              ],
            });
          }
          if (/\bruff( check)?\b.*--exit-zero/.test(cmd)) {
            ctx.report({
              message: '`ruff check --exit-zero` exits 0 whatever it finds: lint errors never fail the job',
              range: rangeIn(wf.doc, step.run.node, '--exit-zero'),
            });
          }
        }
        for (const line of text.split(/\n/)) {
          const swallowed = /\b(pytest|ruff|mypy|flake8|pylint)\b[^|&;]*\|\|\s*(true|:|exit 0)\b/.exec(line);
          if (swallowed)
            ctx.report({
              message: `\`${swallowed[0]}\` swallows the failure of ${swallowed[1]}: the step is green whatever happens`,
              range: rangeIn(wf.doc, step.run.node, swallowed[0]),
            });
        }
      }
    }
  },
});
