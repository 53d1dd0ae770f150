import { defineRepoRule } from '../../rule';
import { formatBytes } from '../../workspace';

const MB = 1024 * 1024;
/** GitHub warns above 50 MB and rejects pushes with files above 100 MB. */
export const GITHUB_WARN = 50 * MB;
export const GITHUB_LIMIT = 100 * MB;

export const fileOverGithubLimit = defineRepoRule({
  code: 'GIT007',
  name: 'file-over-github-limit',
  severity: 'error',
  title: "File above GitHub's size limits",
  doc: {
    what: 'A file that git tracks (or will commit: untracked and not ignored) is larger than 50 MB (warning) or 100 MB (error).',
    why: 'GitHub warns about files above 50 MB and rejects any push that contains a file above 100 MB, even in an old commit: the push fails until the history is rewritten.',
    example: '$ ls -lh data/train.parquet\n-rw-r--r-- 1 me me 180M data/train.parquet\n',
    fix: 'Remove it from git (`git rm --cached <file>`) and version it with DVC or Git LFS. If it is already in pushed history, rewrite it with git filter-repo.',
    references: ['https://docs.github.com/en/repositories/working-with-files/managing-large-files/about-large-files-on-github'],
  },
  check(ctx) {
    for (const [rel, e] of ctx.ws.entries()) {
      const st = ctx.ws.stat(rel);
      if (!st || st.isDirectory || st.size <= GITHUB_WARN) continue;
      const over = st.size > GITHUB_LIMIT;
      const state = e.tracked ? 'is tracked by git' : 'is not ignored and would be committed';
      ctx.report({
        file: rel,
        severity: over ? 'error' : 'warning',
        message: `${rel} (${formatBytes(st.size)}) ${state}; GitHub ${over ? 'rejects pushes with files above 100 MB' : 'warns about files above 50 MB'}`,
      });
    }
  },
});
