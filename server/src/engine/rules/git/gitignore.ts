import { defaultRunFolderNames } from '../../../../../shared/artefacts';
import { defineRepoRule } from '../../rule';
import type { Fix } from '../../types';

/** What a new ML project's .gitignore holds (the course template's, plus data and run artefacts). */
export const STANDARD_GITIGNORE = [
  '# Python',
  '__pycache__/',
  '*.py[cod]',
  '.venv/',
  '*.egg-info/',
  '.pytest_cache/',
  '.ruff_cache/',
  '',
  '# Data and models (version them with DVC)',
  '/data/',
  '/models/',
  '',
  '# Run artefacts',
  ...defaultRunFolderNames((f) => f.template).map((n) => `/${n}/`),
  '',
  '# Secrets',
  '.env',
  '',
].join('\n');

export const noGitignore = defineRepoRule({
  code: 'GIT009',
  name: 'no-gitignore',
  severity: 'warning',
  title: 'No .gitignore',
  doc: {
    what: 'The project has no `.gitignore` at its root.',
    why: 'Without it, `git add .` commits data, models, run folders, caches and secrets such as `.env`.',
    example: '$ ls -a\n.  ..  .git  README.md  src/\n',
    fix: 'Create a `.gitignore` that ignores Python caches, data, models, run folders and `.env` (the quick fix writes one).',
  },
  check(ctx) {
    if (ctx.ws.exists('.gitignore')) return;
    const at = ctx.anchor();
    if (!at) return;
    const fix: Fix = {
      title: 'Create a .gitignore for an ML project',
      preferred: true,
      changes: [
        {
          file: '.gitignore',
          create: true,
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: STANDARD_GITIGNORE }],
        },
      ],
    };
    ctx.report({ ...at, message: 'The project has no .gitignore: data, models, run folders and .env would be committed by `git add .`', fixes: [fix] });
  },
});
