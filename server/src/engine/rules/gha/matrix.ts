import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { isWorkflowFile, workflowOf } from '../../gha/workflow';

/** `${{ matrix.python-version }}` with no such matrix key evaluates to an empty string: the job runs with a default. */
export const matrixKeyUndefined = defineFileRule({
  code: 'GHA005',
  name: 'matrix-key-undefined',
  severity: 'error',
  title: '`${{ matrix.x }}` without a matrix defining x',
  doc: {
    what: 'A job uses `${{ matrix.<key> }}` but its `strategy.matrix` does not define `<key>` (nor any `include` entry), or the job has no matrix at all.',
    why: "An undefined matrix value is an empty string: `python-version: ${{ matrix.python-version }}` silently runs the runner's default Python, `runs-on: ${{ matrix.os }}` fails; the tests do not run where you think they do.",
    example:
      'jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python-version }}\n',
    fix: 'jobs:\n  test:\n    strategy:\n      matrix:\n        python-version: ["3.11", "3.12"]\n',
    references: ['https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    for (const job of wf.jobs) {
      if (job.matrixKeys === 'dynamic') continue;
      const keys = job.matrixKeys;
      const visit = (n: unknown, inStrategy: boolean): void => {
        if (isPair(n)) {
          const k = isScalar(n.key) ? String(n.key.value) : '';
          visit(n.value, inStrategy || k === 'strategy');
          return;
        }
        if (isMap(n) || isSeq(n)) {
          for (const it of n.items) visit(it, inStrategy);
          return;
        }
        if (!isScalar(n) || typeof n.value !== 'string' || inStrategy || !(n as Node).range) return;
        for (const m of n.value.matchAll(/\$\{\{[^}]*?\bmatrix\.([A-Za-z_][\w-]*)/g)) {
          const key = m[1];
          if (keys?.has(key)) continue;
          const r = (n as Node).range!;
          const src = wf.doc.text.slice(r[0], r[1]);
          const at = src.indexOf(`matrix.${key}`);
          const range = at >= 0 ? wf.doc.index.rangeOf(r[0] + at, r[0] + at + `matrix.${key}`.length) : wf.doc.rangeOf(n as Node);
          ctx.report({
            message: keys
              ? `matrix.${key} is not defined by job '${job.id}'s strategy.matrix (it has ${[...keys].join(', ') || 'no keys'}): it evaluates to an empty string`
              : `job '${job.id}' uses matrix.${key} but has no strategy.matrix: it evaluates to an empty string`,
            range,
          });
        }
      };
      for (const p of job.node.items) visit(p, false);
    }
  },
});
