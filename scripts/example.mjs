// Builds a real git repository from an example project (a nested .git cannot be committed here), then runs the CLI
// on it, and removes it again (`--keep` leaves it, to open it in VS Code). examples/manifest.json says which files stay
// untracked. Usage: node scripts/example.mjs [name] [--keep] [cli args...]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const [name = 'broken-project', ...cliArgs] = args.filter((a) => a !== '--keep');
const manifest = JSON.parse(readFileSync(join(root, 'examples', 'manifest.json'), 'utf8'));
const spec = manifest[name];
if (!spec) {
  console.error(`no example '${name}' in examples/manifest.json (have: ${Object.keys(manifest).join(', ')})`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `mlops-hygiene-${name}-`));
cpSync(join(root, 'examples', name), dir, { recursive: true });
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Example',
  GIT_AUTHOR_EMAIL: 'example@example.com',
  GIT_COMMITTER_NAME: 'Example',
  GIT_COMMITTER_EMAIL: 'example@example.com',
};
const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
git('init', '-q', '-b', 'main');
git('add', '-A', '-f', '--', '.', ...(spec.untracked ?? []).map((p) => `:!${p}`));
git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', `example: ${name}`);
console.log(`Example '${name}' as a git repository in ${dir}${keep ? ' (kept)' : ' (removed afterwards; --keep leaves it)'}\n`);
const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', dir, ...cliArgs], { stdio: 'inherit' });
if (!keep) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
process.exit(spec.expectFindings && r.status === 1 ? 0 : (r.status ?? 2));
