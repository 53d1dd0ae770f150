import { isMap, isPair, isScalar, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { isWorkflowFile, workflowOf } from '../../gha/workflow';

const SECRET_KEY = /(^|[_-])(token|secret|password|passwd|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|credentials_json)$/i;
const PLACEHOLDER = /^(|true|false|\d{1,6}|x+|\*+|none|null|changeme|dummy|test|example|<.*>|\$\{\{.*\}\}.*|.*\$\{\{.*)$/i;

/** A token written into a workflow is public to everyone who can read the repository, and in its history forever. */
export const literalSecretInWorkflow = defineFileRule({
  code: 'GHA008',
  name: 'literal-secret-in-workflow',
  severity: 'error',
  title: 'Literal secret in a workflow',
  doc: {
    what: 'An `env:` or `with:` value whose key names a secret (`*_TOKEN`, `*_API_KEY`, `*_SECRET`, `password`, `credentials_json`...) is written as a literal instead of `${{ secrets.X }}`.',
    why: 'Anyone who can read the repository (everyone, for a public course project) can use the key, and it stays in git history after it is removed. Keys found in public repositories are abused within minutes.',
    example: 'env:\n  WANDB_API_KEY: 3f1c9a...\n',
    fix: 'Rotate the key, store it as a repository secret, and use `WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}`.',
    references: ['https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    const visit = (n: unknown, parentKey: string): void => {
      if (isMap(n)) {
        for (const p of n.items) {
          if (!isPair(p)) continue;
          const k = isScalar(p.key) ? String(p.key.value) : '';
          if ((parentKey === 'env' || parentKey === 'with' || parentKey === 'secrets') && SECRET_KEY.test(k) && isScalar(p.value)) {
            const v = String(p.value.value ?? '').trim();
            // SEC002 leaves workflows to this rule, W&B keys included
            if (!PLACEHOLDER.test(v) && v.length >= 8) {
              const secret = k.toUpperCase().replace(/-/g, '_');
              const range = wf.doc.rangeOf(p.value as Node);
              ctx.report({
                message: `${k} is written into the workflow as a literal: rotate it, store it as a repository secret and use \${{ secrets.${secret} }}`,
                range,
                fixes: [
                  {
                    title: `Use \${{ secrets.${secret} }} (then create the secret ${secret})`,
                    changes: [{ file: ctx.file, edits: [{ range, newText: `\${{ secrets.${secret} }}` }] }],
                  },
                ],
              });
            }
          }
          visit(p.value, k);
        }
      } else if (n && typeof n === 'object' && 'items' in (n as object)) {
        for (const it of (n as { items: unknown[] }).items) visit(it, parentKey === 'steps' ? 'step' : parentKey);
      }
    };
    visit(wf.doc.rootMap, '');
  },
});
