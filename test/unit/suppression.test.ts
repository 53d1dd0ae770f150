import * as assert from 'node:assert/strict';
import { parseSuppressions } from '../../server/src/engine/suppression';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const KEY = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

/**
 * A realistic small DVC project: pyproject, README, .gitignore, tests, a training script with a W&B key written in it
 * (SEC002) and a dvc.yaml whose stage depends on a file that is not there (DVC003). `files` replaces or adds files.
 */
function project(files: Record<string, string> = {}): string {
  return gitRepo({
    'README.md': '# Proj\n\nTrains the model. Suppress a finding with `# mlops-hygiene: ignore[GIT001] -- reason`.\n',
    'pyproject.toml': '[project]\nname = "proj"\nversion = "0.1.0"\ndependencies = ["wandb==0.17.0"]\n',
    '.gitignore': 'data/\n.env\noutputs/\n',
    'tests/test_train.py': 'def test_x():\n    assert True\n',
    'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")\n`,
    'dvc.yaml': 'stages:\n  train:\n    cmd: python src/proj/train.py\n    deps:\n      - data/raw.csv\n    outs:\n      - models/model.pt\n',
    ...files,
  });
}

describe('suppression comments', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('parses codes with their columns, the file-level form and a reason that is never read as codes', () => {
    const [line, file] = parseSuppressions(
      'x = 1  # mlops-hygiene: ignore[SEC002, DVC] -- the key is a public test key, GIT001\n# mlops-hygiene: ignore-file[GHA001]\n',
    );
    assert.deepEqual(
      line.codes!.map((c) => [c.code, c.range.start.character]),
      [
        ['SEC002', 31],
        ['DVC', 39],
      ],
    );
    assert.equal(line.reason, 'the key is a public test key, GIT001');
    assert.equal(line.fileLevel, false);
    assert.deepEqual([file.fileLevel, file.line, file.codes!.map((c) => c.code)], [true, 1, ['GHA001']]);
    // `ignore-file` is not a bare line `ignore` that would suppress every code on its line
    assert.equal(parseSuppressions('# mlops-hygiene: ignore-file[GHA001]\n').filter((s) => !s.fileLevel).length, 0);
  });

  it('a reason after the codes still suppresses; ignore-file[CODE] suppresses the code anywhere in the file only', async () => {
    root = project({
      'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")  # mlops-hygiene: ignore[SEC002] -- a revoked demo key, kept for the tutorial\n`,
      'src/proj/eval.py': `# mlops-hygiene: ignore-file[SEC002] -- fixtures of the key scanner\nimport wandb\n\nwandb.login(key="${KEY}")\nwandb.login(key="${KEY}")\n`,
      'src/proj/serve.py': `import wandb\nwandb.login(key="${KEY}")\n`,
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'SEC002'), ['src/proj/serve.py:2']);
    assert.deepEqual(where(f, 'MLH005'), [], 'every suppression suppressed something');
  });

  it('MLH005: an unknown code, and a code that suppresses nothing, at the code; not on the used one beside them', async () => {
    root = project({
      'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")  # mlops-hygiene: ignore[SEC002, DCV003, GIT001]\n`,
      'dvc.yaml':
        'stages:\n  train:\n    cmd: python src/proj/train.py\n    deps:\n      - data/raw.csv  # mlops-hygiene: ignore[DVC003]\n    outs:\n      - models/model.pt  # mlops-hygiene: ignore\n',
    });
    const f = await checkFolder(root);
    const mlh = f.filter((x) => x.code === 'MLH005').map((x) => `${x.file}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.message}`);
    assert.deepEqual(mlh, [
      'dvc.yaml:7:28 this suppression comment suppresses nothing: no finding on this line or the next',
      "src/proj/train.py:2:94 'DCV003' in this suppression comment matches no rule (see `mlops-hygiene rules`)",
      "src/proj/train.py:2:102 'GIT001' in this suppression comment suppresses nothing: no GIT001 finding on this line or the next",
    ]);
    assert.deepEqual(where(f, 'SEC002'), []);
    assert.deepEqual(where(f, 'DVC003'), []);
    assert.equal(f.find((x) => x.code === 'MLH005')!.severity, 'warning');
  });

  it('MLH005 stays quiet for codes that did not run (select, ignore, per-file-ignores) and in Markdown', async () => {
    root = project({
      'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")  # mlops-hygiene: ignore[SEC002]\n`,
      'dvc.yaml': 'stages:\n  train:\n    cmd: python src/proj/train.py\n    deps:\n      - data/raw.csv  # mlops-hygiene: ignore[DVC003]\n',
      'docs/usage.md': 'Write `# mlops-hygiene: ignore[GIT001]` above the line.\n',
    });
    // SEC not selected: its suppression is not "unused", it did not run. DVC003 still suppresses its finding.
    assert.deepEqual(where(await checkFolder(root, { select: ['DVC', 'MLH'] }), 'MLH005'), []);
    assert.deepEqual(where(await checkFolder(root, { ignore: ['SEC002'] }), 'MLH005'), []);
    assert.deepEqual(where(await checkFolder(root, { perFileIgnores: { 'src/**': ['SEC'] } }), 'MLH005'), []);
    // and with everything on, none is unused either
    assert.deepEqual(where(await checkFolder(root), 'MLH005'), []);
    // while the same suppression fires once its finding is gone
    rmrf(root);
    root = project({ 'src/proj/train.py': 'import os\nimport wandb\nwandb.login(key=os.environ["WANDB_API_KEY"])  # mlops-hygiene: ignore[SEC002]\n' });
    assert.deepEqual(where(await checkFolder(root), 'MLH005'), ['src/proj/train.py:3']);
    assert.deepEqual(where(await checkFolder(root, { ignore: ['MLH005'] }), 'MLH005'), []);
  });
});
