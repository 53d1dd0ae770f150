import * as assert from 'node:assert/strict';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const RUFF_PYPROJECT = '[project]\nname = "digits"\nversion = "0.1"\ndependencies = ["torch==2.5.1"]\n\n[tool.ruff]\nline-length = 120\n';

describe('PRE rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('PRE001 fires at [tool.ruff] when there is no pre-commit config; not without ruff', async () => {
    root = gitRepo({ 'pyproject.toml': RUFF_PYPROJECT });
    assert.deepEqual(where(await checkFolder(root), 'PRE001'), ['pyproject.toml:6']);
    rmrf(root);
    root = gitRepo({ 'pyproject.toml': '[project]\nname = "x"\nversion = "0.1"\n' });
    assert.deepEqual(where(await checkFolder(root), 'PRE001'), []);
  });

  it("the template's pre-commit config: no ruff hook, no safety hooks, pre-commit-hooks v3.2.0", async () => {
    root = gitRepo({
      'pyproject.toml': RUFF_PYPROJECT,
      '.pre-commit-config.yaml':
        'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v3.2.0\n    hooks:\n      - id: trailing-whitespace\n      - id: check-yaml\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(
      ['PRE001', 'PRE002', 'PRE003', 'PRE004'].flatMap((c) => where(f, c)),
      ['.pre-commit-config.yaml:1', '.pre-commit-config.yaml:1', '.pre-commit-config.yaml:3'],
    );
    assert.match(f.find((x) => x.code === 'PRE003')!.message, /check-added-large-files or detect-private-key/);
  });

  it('a complete pre-commit config has no PRE findings', async () => {
    root = gitRepo({
      'pyproject.toml': RUFF_PYPROJECT,
      '.pre-commit-config.yaml':
        'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: check-added-large-files\n      - id: detect-private-key\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.7.4\n    hooks:\n      - id: ruff\n      - id: ruff-format\n',
    });
    assert.deepEqual(
      (await checkFolder(root)).filter((x) => x.code.startsWith('PRE')),
      [],
    );
  });

  it('PRE005/PRE006 on cloudbuild.yaml', async () => {
    root = gitRepo({
      'dockerfiles/api.dockerfile': 'FROM python:3.11-slim\n',
      'cloudbuild.yaml': [
        'steps:',
        '  - name: gcr.io/cloud-builders/docker',
        "    args: ['build', '-f', 'dockerfiles/api.Dockerfile', '-t', 'api', '.']",
        '  - name: gcr.io/cloud-builders/docker',
        "    args: ['build', '-f', 'dockerfiles/api.dockerfile', '-t', 'api', '.']",
        '  - name: gcr.io/cloud-builders/docker',
        "    args: ['build', '-t', 'api', '.']",
        '  - name: python',
        "    secretEnv: ['WANDB_API_KEY', 'GH_TOKEN']",
        'availableSecrets:',
        '  secretManager:',
        '    - versionName: projects/p/secrets/wandb/versions/latest',
        '      env: WANDB_API_KEY',
        '',
      ].join('\n'),
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRE005'), ['cloudbuild.yaml:3', 'cloudbuild.yaml:7']);
    assert.deepEqual(where(f, 'PRE006'), ['cloudbuild.yaml:9']);
    assert.deepEqual(f.find((x) => x.code === 'PRE006')!.range, { start: { line: 8, character: 33 }, end: { line: 8, character: 43 } });
  });

  it('PRE007 on tasks.py and Makefile commands that name missing files, not on existing ones', async () => {
    root = gitRepo({
      'src/digits/__init__.py': '',
      'src/digits/train.py': '',
      'dockerfiles/train.dockerfile': 'FROM python:3.11-slim\n',
      'tasks.py': [
        'from invoke import task',
        '@task',
        'def train(ctx):',
        '    ctx.run("python src/digits/train.py", echo=True)',
        '    ctx.run("python src/digits/evaluate.py")',
        '    ctx.run(f"docker build -t x -f dockerfiles/api.dockerfile .")',
        '    ctx.run("python -m digits.visualize")',
        '    ctx.run(f"python {SCRIPT}")',
        '',
      ].join('\n'),
      Makefile:
        'train:\n\tpython -u src/digits/train.py\n\tdocker build -f dockerfiles/train.dockerfile .\nlint:\n\tpython -m ruff check .\n\tpython scripts/lint.py\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRE007'), ['Makefile:6', 'tasks.py:5', 'tasks.py:6', 'tasks.py:7']);
    const ev = f.find((x) => x.code === 'PRE007' && x.range.start.line === 4)!;
    assert.deepEqual(ev.range, { start: { line: 4, character: 20 }, end: { line: 4, character: 42 } });
  });
});
