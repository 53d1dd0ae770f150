import { posix } from 'node:path';
import { defineRepoRule } from '../../rule';
import { appendToGitignore } from '../../fixes';

/** `.env`, `.env.local`, `.env.production`...; templates meant to be committed are not secrets. */
export function isEnvFile(rel: string): boolean {
  const base = posix.basename(rel);
  return (base === '.env' || base.startsWith('.env.')) && !/\.(example|sample|template|dist|defaults?)$/i.test(base);
}

export const envFileNotIgnored = defineRepoRule({
  code: 'SEC001',
  name: 'env-file-not-ignored',
  severity: 'error',
  title: '.env file tracked or not ignored',
  doc: {
    what: 'A `.env` file (where `WANDB_API_KEY` and cloud credentials usually live) is committed (error) or not ignored (warning). Templates such as `.env.example` are fine.',
    why: 'Anything committed is public once the repository is pushed, and stays in the history. Leaked W&B or cloud keys get abused within hours.',
    example: '$ git ls-files .env\n.env\n',
    fix: 'Ignore `.env`, remove it from git (`git rm --cached .env`), rotate the keys it held, and commit a `.env.example` with empty values instead.',
  },
  check(ctx) {
    for (const [rel, e] of ctx.ws.entries()) {
      if (!isEnvFile(rel) || ctx.settings.isRunArtefact(rel)) continue;
      if (e.tracked) {
        ctx.report({
          file: rel,
          message: `${rel} is committed to git; it usually holds API keys: remove it with 'git rm --cached ${rel}', rotate its keys and ignore it`,
        });
      } else {
        const fix = appendToGitignore(ctx.ws, [posix.basename(rel) === '.env' ? '.env' : `/${rel}`]);
        ctx.report({
          file: rel,
          severity: 'warning',
          message: `${rel} is not ignored by .gitignore; the next 'git add .' commits its secrets`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
