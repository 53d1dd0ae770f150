import { isMap, isPair, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { isWorkflowFile, workflowOf } from '../../gha/workflow';

/** Matrix keys that hold versions of a tool (`python-version`, `python`, `py`, `node`, `torch`...). */
const VERSION_KEY = /version|^(python|py|node|nodejs|go|golang|java|ruby|dotnet|torch|pytorch|tensorflow|tf|cuda|r)$/i;

/**
 * A plain (unquoted) number whose text is not what GitHub passes on. GitHub reads workflows with a YAML 1.2 parser:
 * `3.10` is the number 3.1 and reaches the action as the string "3.1" (setup-python then installs Python 3.1, or fails
 * with "version 3.1 not found"); `20.10` becomes "20.1", `3.0` becomes "3". `3.11`, `3.9` and `20` survive unchanged.
 */
function lostText(doc: YamlDocument, n: unknown): { source: string; read: string } | undefined {
  if (!isScalar(n) || n.type !== Scalar.PLAIN || typeof n.value !== 'number' || !n.range) return undefined;
  const source = doc.text.slice(n.range[0], n.range[1]).trim();
  const read = String(n.value);
  return source !== read && /^\d+\.\d+$/.test(source) ? { source, read } : undefined;
}

/** `python-version: [3.9, 3.10]` runs 3.9 and Python 3.1: one job silently tests the wrong version, or fails. */
export const versionReadAsNumber = defineFileRule({
  code: 'GHA012',
  name: 'version-read-as-number',
  severity: 'warning',
  title: 'Unquoted version that YAML reads as a different number',
  doc: {
    what: 'A version in a workflow is written as a plain number whose trailing zero YAML drops: `3.10` in `strategy.matrix` (keys like `python-version`, `python`, `node`), in a step\'s `with:` input ending in `-version`, or in an `env:` variable named `*VERSION*`. `3.11`, `"3.10"` and `${{ matrix.python }}` are fine.',
    why: 'GitHub reads workflow files with a YAML 1.2 parser: `3.10` is the number 3.1, and the action receives "3.1". setup-python then looks for Python 3.1 (and fails, or finds an ancient build), setup-node installs 20.1 instead of 20.10. The job name still says 3.10.',
    example: 'strategy:\n  matrix:\n    python-version: [3.9, 3.10]\n',
    fix: 'Quote every version: `python-version: ["3.9", "3.10"]` (the quick fix quotes the value as written).',
    references: [
      'https://github.com/actions/setup-python/blob/main/docs/advanced-usage.md#using-the-python-version-input',
      'https://yaml.org/spec/1.2.2/#1022-tag-resolution',
    ],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    const doc = wf.doc;
    const report = (key: string, n: unknown): void => {
      const lost = lostText(doc, n);
      if (!lost) return;
      const range = doc.rangeOf(n as Node);
      ctx.report({
        message: `${key}: ${lost.source} is read as the number ${lost.read} (YAML): the job gets "${lost.read}", not "${lost.source}"; quote it: "${lost.source}"`,
        range,
        fixes: [{ title: `Quote it: "${lost.source}"`, changes: [{ file: ctx.file, edits: [{ range, newText: `"${lost.source}"` }] }], preferred: true }],
      });
    };
    const values = (key: string, v: unknown): void => {
      if (isSeq(v)) for (const it of v.items) report(key, it);
      else report(key, v);
    };
    const envVersions = (env: unknown): void => {
      if (!isMap(env)) return;
      for (const p of env.items) if (isScalar(p.key) && /VERSION/i.test(String(p.key.value))) report(String(p.key.value), p.value);
    };
    envVersions(YamlDocument.pair(doc.rootMap, 'env')?.value);
    for (const job of wf.jobs) {
      envVersions(YamlDocument.pair(job.node, 'env')?.value);
      const matrix = YamlDocument.pair(YamlDocument.pair(job.node, 'strategy')?.value, 'matrix')?.value;
      if (isMap(matrix)) {
        for (const p of matrix.items) {
          if (!isPair(p) || !isScalar(p.key)) continue;
          const k = String(p.key.value);
          if (k === 'include' || k === 'exclude') {
            if (!isSeq(p.value)) continue;
            for (const entry of p.value.items) {
              if (!isMap(entry)) continue;
              for (const ep of entry.items) if (isScalar(ep.key) && VERSION_KEY.test(String(ep.key.value))) values(String(ep.key.value), ep.value);
            }
          } else if (VERSION_KEY.test(k)) values(k, p.value);
        }
      }
      for (const step of job.steps) {
        for (const [k, pair] of step.withPairs) if (/(^|-)version$/i.test(k)) report(k, pair.value);
        envVersions(YamlDocument.pair(step.node, 'env')?.value);
      }
    }
  },
});
