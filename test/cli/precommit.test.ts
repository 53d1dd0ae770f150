import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { git, gitRepo, PROJECT_ROOT, rmrf, tmpDir } from '../support/tmp';

interface HookDef {
  id: string;
  name: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
  always_run?: boolean;
}

const hooks = parse(fs.readFileSync(path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as HookDef[];
const preCommit = ((): string | undefined => {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();

/** A project with an error to report: a committed .env that .gitignore does not ignore (SEC001, an error). */
function project(): string {
  return gitRepo({ 'README.md': '# x\n', '.gitignore': 'data/\n', '.env': 'WANDB_API_KEY=changeme\n', 'train.py': 'print(1)\n' });
}

function runPreCommit(args: string[], cwd: string, home: string) {
  return spawnSync('pre-commit', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      PRE_COMMIT_HOME: home,
      PRE_COMMIT_COLOR: 'never',
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });
}

describe('pre-commit hook (.pre-commit-hooks.yaml)', function () {
  let root = '';
  let home = '';
  afterEach(() => {
    if (root) rmrf(root);
    if (home) rmrf(home);
  });

  it('defines mlops-hygiene as a node hook running `mlops-hygiene check` on the whole project', () => {
    const [hook] = hooks;
    assert.equal(hooks.length, 1);
    assert.deepEqual([hook.id, hook.language, hook.entry, hook.pass_filenames, hook.always_run], ['mlops-hygiene', 'node', 'mlops-hygiene check', false, true]);
    // `entry` is the package's bin: what `npm install -g` of this package puts on PATH
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.ok(pkg.bin[hook.entry.split(' ')[0]]);
  });

  it('as pre-commit runs it: fails the commit on an error, runs with no file staged (always_run), passes no file names', function () {
    if (!preCommit) return this.skip(); // pre-commit is not installed (.ci/run installs Debian's pre-commit)
    this.timeout(120_000);
    root = project();
    home = tmpDir('mlh-pre-commit-home-');
    // the hook definition itself, with its entry pointed at this checkout's build: `language: system` runs the entry as
    // it is, where `language: node` would first install this repository with npm (the next test does that)
    const hook = {
      ...hooks[0],
      language: 'system',
      entry: `${process.execPath} ${path.join(PROJECT_ROOT, 'dist', 'cli.js')} ${hooks[0].entry.split(' ').slice(1).join(' ')}`,
    };
    fs.writeFileSync(path.join(root, '.pre-commit-config.yaml'), stringify({ repos: [{ repo: 'local', hooks: [hook] }] }));
    git(root, 'add', '.pre-commit-config.yaml');
    git(root, 'commit', '-q', '-m', 'pre-commit');
    // nothing staged, no --all-files: always_run still runs it
    const r = runPreCommit(['run', 'mlops-hygiene', '--verbose'], root, home);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^\.env:1:1: error SEC001 /m);
    assert.match(r.stdout, /mlops-hygiene\.+Failed/);
    // once fixed, the hook passes
    fs.writeFileSync(path.join(root, '.gitignore'), 'data/\n.env\n');
    git(root, 'rm', '-q', '--cached', '.env');
    git(root, 'add', '.gitignore');
    const ok = runPreCommit(['run', 'mlops-hygiene'], root, home);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  });

  it('`pre-commit try-repo` installs this repository as a node hook (npm install, npm pack, npm install -g) and runs it', function () {
    // pre-commit runs `npm install` of all the dev dependencies in a clone (about 2-3 minutes with the npm cache): CI
    // (.ci/run sets CI) or MLH_TEST_PRECOMMIT_NODE=1 only
    if (!preCommit) return this.skip();
    if (!process.env.CI && !process.env.MLH_TEST_PRECOMMIT_NODE) return this.skip();
    this.timeout(600_000);
    root = project();
    home = tmpDir('mlh-pre-commit-home-');
    const r = runPreCommit(['try-repo', PROJECT_ROOT, 'mlops-hygiene', '--all-files', '--verbose'], root, home);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^\.env:1:1: error SEC001 /m, r.stdout + r.stderr);
    // pre-commit built its own environment from a clone of this repository (in a temporary folder try-repo removes)
    assert.match(r.stdout + r.stderr, /Installing environment for /);
  });
});
