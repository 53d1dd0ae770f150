import { defineRepoRule } from '../../rule';
import { appendToGitignore } from '../../fixes';

/** Files that tools and operating systems leave behind, with the .gitignore entry that keeps them out. */
const JUNK: { test: (rel: string) => boolean; what: string; entry: string }[] = [
  {
    test: (r) => /(^|\/)__pycache__\//.test(r) || r.endsWith('.pyc') || r.endsWith('.pyo'),
    what: 'Python bytecode (__pycache__/, *.pyc)',
    entry: '__pycache__/',
  },
  { test: (r) => /(^|\/)\.DS_Store$/.test(r), what: 'macOS .DS_Store files', entry: '.DS_Store' },
  { test: (r) => /(^|\/)\.ipynb_checkpoints\//.test(r), what: 'Jupyter checkpoints (.ipynb_checkpoints/)', entry: '.ipynb_checkpoints/' },
  { test: (r) => /(^|\/)Thumbs\.db$/.test(r), what: 'Windows Thumbs.db files', entry: 'Thumbs.db' },
];

export const junkFilesTracked = defineRepoRule({
  code: 'GIT008',
  name: 'junk-files-tracked',
  severity: 'info',
  title: 'Generated junk files tracked',
  doc: {
    what: 'Python bytecode (`__pycache__/`, `*.pyc`), `.DS_Store`, `.ipynb_checkpoints/` or `Thumbs.db` files are committed. One finding per kind, on the first such file.',
    why: 'They are machine-specific, change on every run, and cause noisy diffs and merge conflicts.',
    example: '$ git ls-files | grep pyc\nsrc/digits/__pycache__/model.cpython-311.pyc\n',
    fix: 'Ignore them and remove them from the index: `git rm -r --cached --ignore-unmatch **/__pycache__ .DS_Store`.',
  },
  check(ctx) {
    for (const kind of JUNK) {
      const files = ctx.ws.tracked().filter(kind.test).sort();
      if (!files.length) continue;
      const fix = ctx.ws.isIgnored(files[0]) ? undefined : appendToGitignore(ctx.ws, [kind.entry]);
      ctx.report({
        file: files[0],
        message: `${files.length} file${files.length === 1 ? '' : 's'} of ${kind.what} ${files.length === 1 ? 'is' : 'are'} tracked by git; ignore '${kind.entry}' and remove ${files.length === 1 ? 'it' : 'them'} with 'git rm --cached'`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
