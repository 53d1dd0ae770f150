import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { gitRepo, PROJECT_ROOT, rmrf } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = PROJECT_ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('prints path:line:col: severity CODE message and exits by --fail-on', () => {
    root = gitRepo({ 'README.md': '# x\n', 'models/model.pt': Buffer.from([0, 1]) });
    const r = run(['check', root]);
    assert.match(r.stdout, /^models\/model\.pt:1:1: warning GIT001 models\/model\.pt is a model file tracked by git/m);
    assert.equal(r.code, 0, 'warnings do not fail with the default --fail-on error');
    assert.equal(run(['check', root, '--fail-on', 'warning']).code, 1);
  });

  it('exits 2 with a clear message on a bad option or path', () => {
    const r = run(['check', '/nonexistent/folder']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a folder/);
    assert.equal(run(['check', '.', '--format', 'xml']).code, 2);
  });

  it('rules lists every rule and prints one doc', () => {
    const list = run(['rules']).stdout;
    assert.match(list, /^GIT001 +model-file-tracked/m);
    const doc = execFileSync(process.execPath, [CLI, 'rules', 'GIT001'], { encoding: 'utf8' });
    assert.match(doc, /## Why is this bad\?/);
  });
});
