import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyStructure, commitSnapshot, diffParams, planSnapshot, planStructure } from '../../server/src/engine/versioning';
import { git, rmrf, tmpDir, writeTree } from '../support/tmp';
import { versionedRepo } from '../support/versionedRepo';

describe('versioning: Snapshot Experiment on a real repository', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('commits only the changed params, configs, dvc.lock and .dvc files, with the changed parameters in the message', async () => {
    root = versionedRepo({
      'params.yaml': 'train:\n  lr: 0.01\n  epochs: 10\nseed: 1\n',
      'configs/model.yaml': 'depth: 3\n',
      'dvc.lock': "schema: '2.0'\nstages: {}\n",
      'src/train.py': 'print(1)\n',
      'notes.txt': 'n\n',
    });
    writeTree(root, {
      'params.yaml': 'train:\n  lr: 0.001\n  epochs: 10\n  batch: 32\n',
      'configs/model.yaml': 'depth: 4\n',
      'configs/new.toml': 'x = 1\n',
      'data.dvc': 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  path: data\n',
      'src/train.py': 'print(2)\n',
    });
    writeTree(root, { 'notes.txt': 'staged but not part of the snapshot\n' });
    git(root, 'add', 'notes.txt');
    const plan = await planSnapshot(root);
    assert.deepEqual(plan.files, ['configs/model.yaml', 'configs/new.toml', 'data.dvc', 'params.yaml']);
    assert.deepEqual(plan.leftOut, ['notes.txt', 'src/train.py']);
    const sha = await commitSnapshot(plan);
    assert.equal(git(root, 'rev-parse', 'HEAD').trim(), sha);
    assert.deepEqual(git(root, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), [
      'configs/model.yaml',
      'configs/new.toml',
      'data.dvc',
      'params.yaml',
    ]);
    const msg = git(root, 'log', '-1', '--format=%B');
    assert.match(msg, /^Snapshot experiment: train\.lr, train\.batch, seed, depth and 1 more\n/);
    assert.match(msg, /  params\.yaml:\n    train\.lr: 0\.01 -> 0\.001\n    train\.batch=32 \(new\)\n    seed removed\n/);
    assert.match(msg, /  configs\/model\.yaml:\n    depth: 3 -> 4\n/);
    assert.match(msg, /  configs\/new\.toml:\n    x=1 \(new\)\n/);
    // What was not part of it is untouched: code still modified, the staged file still staged.
    const status = git(root, 'status', '--porcelain').split('\n').filter(Boolean).sort();
    assert.deepEqual(status, [' M src/train.py', 'M  notes.txt']);
  });

  it('refuses when no params/config/lock/.dvc file changed', async () => {
    root = versionedRepo({ 'params.yaml': 'lr: 1\n', 'src/a.py': 'x\n' });
    fs.writeFileSync(path.join(root, 'src/a.py'), 'y\n');
    await assert.rejects(planSnapshot(root), (e: Error & { code?: string }) => e.code === 'nothing-to-commit' && /other changes: src\/a\.py/.test(e.message));
    assert.equal(git(root, 'rev-list', '--count', 'HEAD').trim(), '1');
  });

  it('commits a config whose name is a shell command as a plain file name', async () => {
    root = versionedRepo({ 'README.md': '# x\n' });
    const name = 'configs/$(touch PWNED);`touch PWNED2`.yaml';
    writeTree(root, { [name]: 'lr: 1\n' });
    const plan = await planSnapshot(root);
    assert.deepEqual(plan.files, [name]);
    await commitSnapshot(plan);
    assert.deepEqual(git(root, '-c', 'core.quotepath=off', 'show', '--name-only', '--format=', 'HEAD').trim().split('\n'), [name]);
    assert.equal(fs.readdirSync(root).filter((n) => n.startsWith('PWNED')).length, 0);
    assert.equal(fs.readdirSync(path.join(root, 'configs')).filter((n) => n.startsWith('PWNED')).length, 0);
  });

  it('diffs nested values and reports unparsable files instead of failing', () => {
    assert.deepEqual(diffParams('p.yaml', 'a:\n  b: [1, 2]\n', 'a:\n  b: [1, 3]\n'), [
      { file: 'p.yaml', key: 'a.b', before: '[1,2]', after: '[1,3]', kind: 'changed' },
    ]);
    assert.equal(diffParams('p.yaml', 'a: 1\n', 'a: [unclosed\n'), undefined);
    assert.deepEqual(diffParams('p.json', undefined, '{"x": {"y": true}}'), [{ file: 'p.json', key: 'x.y', after: 'true', kind: 'added' }]);
  });
});

describe('versioning: Set Up Project Structure', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('plans only the missing pieces and never overwrites an existing file', async () => {
    root = versionedRepo({
      'README.md': '# My project\n\n## Data\n\nOn the shared drive.\n',
      '.gitignore': '/data/\n__pycache__/',
      'tests/test_x.py': 'def test_x():\n    assert True\n',
      'models/README.txt': 'tracked on purpose\n',
    });
    const plan = await planStructure(root);
    const summary = plan.actions.map((a) => `${a.kind} ${a.path}`);
    assert.deepEqual(summary, [
      'mkdir data',
      'mkdir configs',
      'create configs/.gitkeep',
      'mkdir notebooks',
      'create notebooks/.gitkeep',
      'mkdir reports/figures',
      'create reports/figures/.gitkeep',
      'append .gitignore',
      'append README.md',
    ]);
    const gi = plan.actions.find((a) => a.path === '.gitignore');
    assert.ok(gi && gi.kind === 'append');
    assert.deepEqual(gi.entries, ['outputs/', 'multirun/', 'wandb/', 'mlruns/', 'lightning_logs/', '*.prof', '.env']);
    assert.match(plan.skipped.join('\n'), /\/models\/ not added to \.gitignore: git tracks files under models\//);
    const readme = plan.actions.find((a) => a.path === 'README.md');
    assert.ok(readme && readme.kind === 'append');
    assert.deepEqual(readme.entries, ['Project structure', 'Reproducing']);
    // A file appears between the preview and the confirmation: it is not overwritten.
    writeTree(root, { 'configs/.gitkeep': 'mine\n' });
    const result = applyStructure(plan);
    assert.equal(fs.readFileSync(path.join(root, 'configs/.gitkeep'), 'utf8'), 'mine\n');
    assert.match(result.skipped.join('\n'), /configs\/\.gitkeep: exists now, not overwritten/);
    assert.ok(fs.readFileSync(path.join(root, 'README.md'), 'utf8').startsWith('# My project\n\n## Data\n\nOn the shared drive.\n\n## Project structure\n'));
    assert.ok(fs.readFileSync(path.join(root, '.gitignore'), 'utf8').startsWith('/data/\n__pycache__/\n\n# Data and run artefacts'));
    assert.equal(fs.readFileSync(path.join(root, 'tests/test_x.py'), 'utf8'), 'def test_x():\n    assert True\n');
    assert.ok(fs.statSync(path.join(root, 'reports/figures')).isDirectory());
    // Applying the plan again changes nothing more; planning again finds nothing missing but what was skipped.
    const again = await planStructure(root);
    assert.deepEqual(
      again.actions.map((a) => `${a.kind} ${a.path}`),
      [],
    );
  });

  it('creates a README and a .gitignore in an empty folder (no git)', async () => {
    root = tmpDir();
    const plan = await planStructure(root);
    assert.ok(plan.actions.some((a) => a.kind === 'create' && a.path === 'README.md'));
    assert.ok(plan.actions.some((a) => a.kind === 'create' && a.path === '.gitignore' && a.content.includes('/data/\n/models/\n')));
    applyStructure(plan);
    assert.match(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), /## Data\n/);
    assert.ok(fs.existsSync(path.join(root, 'tests/__init__.py')));
  });
});
