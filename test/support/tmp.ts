import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the project root is, from compiled tests (out/test/...) and from sources alike. */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') dir = path.dirname(dir);
  return dir;
})();

export const EXAMPLES = path.join(PROJECT_ROOT, 'examples');

/** A fresh temporary folder, removed by `cleanup()`. */
export function tmpDir(prefix = 'mlh-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (path -> content; Buffer for binary) under root, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

/**
 * A real git repository in a temp folder: `files` are written, then `commit` (default: all of them) are added and
 * committed; files not in `commit` stay untracked.
 */
export function gitRepo(files: Record<string, string | Buffer>, commit: string[] | 'all' = 'all'): string {
  const root = tmpDir('mlh-git-');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'commit.gpgsign', 'false');
  writeTree(root, files);
  const toAdd = commit === 'all' ? Object.keys(files) : commit;
  if (toAdd.length) {
    git(root, 'add', '-f', '--', ...toAdd);
    git(root, 'commit', '-q', '-m', 'initial');
  }
  return root;
}

/**
 * Copies a folder of examples/ to a temp folder. With `asGit`, makes it a git repository the way scripts/example.mjs
 * does: everything committed except the files examples/manifest.json lists as untracked.
 */
export function copyExample(name: string, asGit = false): string {
  const root = tmpDir(`mlh-${name}-`);
  fs.cpSync(path.join(EXAMPLES, name), root, { recursive: true });
  if (asGit) {
    const manifest = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'manifest.json'), 'utf8')) as Record<string, { untracked?: string[] }>;
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'config', 'commit.gpgsign', 'false');
    git(root, 'add', '-A', '-f', '--', '.', ...(manifest[name]?.untracked ?? []).map((p) => `:!${p}`));
    git(root, 'commit', '-q', '-m', 'example');
  }
  return root;
}

export function rmrf(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}
