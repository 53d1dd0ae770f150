import * as assert from 'node:assert/strict';
import { pythonSatisfies } from '../../server/src/engine/rules/deps/pythonVersion';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const UV_WF =
  'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: astral-sh/setup-uv@v6\n      - run: uv sync --locked\n      - run: uv run pytest\n';
const PYPROJECT =
  '[project]\nname = "digits"\nversion = "0.1"\nrequires-python = ">=3.11"\ndependencies = ["torch==2.5.1"]\n[dependency-groups]\ndev = ["pytest==8.3.3"]\n';

describe('DEP003 lock file not tracked', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fires on uv sync --locked and COPY uv.lock when git ignores uv.lock', async () => {
    root = gitRepo(
      {
        'pyproject.toml': PYPROJECT,
        '.gitignore': 'uv.lock\n',
        'uv.lock': 'version = 1\n',
        '.github/workflows/ci.yml': UV_WF,
        Dockerfile: 'FROM python:3.11-slim\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --locked --no-cache\n',
      },
      ['pyproject.toml', '.gitignore', '.github/workflows/ci.yml', 'Dockerfile'],
    );
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP003'), ['.github/workflows/ci.yml:7', 'Dockerfile:2']);
    assert.match(f.find((x) => x.code === 'DEP003')!.message, /uv\.lock, which is ignored by \.gitignore/);
    const wf = f.find((x) => x.file === '.github/workflows/ci.yml' && x.code === 'DEP003')!;
    assert.deepEqual(wf.range, { start: { line: 6, character: 21 }, end: { line: 6, character: 29 } });
  });

  it('does not fire when uv.lock is committed, nor for uv sync without --locked', async () => {
    root = gitRepo({ 'pyproject.toml': PYPROJECT, 'uv.lock': 'version = 1\n', '.github/workflows/ci.yml': UV_WF });
    assert.deepEqual(where(await checkFolder(root), 'DEP003'), []);
    rmrf(root);
    root = gitRepo({ 'pyproject.toml': PYPROJECT, '.github/workflows/ci.yml': UV_WF.replace(' --locked', '') });
    assert.deepEqual(where(await checkFolder(root), 'DEP003'), []);
  });
});

describe('DEP005 CI tool not declared', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fires on ruff and mypy run in CI but declared nowhere, at the command', async () => {
    root = gitRepo({
      'pyproject.toml': PYPROJECT,
      '.github/workflows/lint.yml':
        'on: push\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install ruff mypy && ruff check .\n      - run: |\n          python -m mypy src\n          pytest\n      - run: pipx run black --check .\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP005'), ['.github/workflows/lint.yml:6', '.github/workflows/lint.yml:8']);
    const ruff = f.find((x) => x.code === 'DEP005')!;
    assert.deepEqual(ruff.range, { start: { line: 5, character: 38 }, end: { line: 5, character: 42 } });
  });

  it('does not fire when the tools are dev dependencies (requirements_dev.txt, pytest-cov for coverage)', async () => {
    root = gitRepo({
      'requirements.txt': 'torch==2.5.1\n',
      'requirements_dev.txt': '-r requirements.txt\nruff==0.7.4\npytest-cov==5.0.0\npytest==8.3.3\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install -r requirements_dev.txt\n      - run: ruff check . && coverage run -m pytest\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'DEP005'), []);
  });
});

describe('DEP006 Python version mismatch', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('pythonSatisfies reads PEP 440 specifiers at minor-version precision', () => {
    assert.equal(pythonSatisfies('3.10', '>=3.11'), false);
    assert.equal(pythonSatisfies('3.11', '>=3.11.4'), true);
    assert.equal(pythonSatisfies('3.13', '>=3.10,<3.13'), false);
    assert.equal(pythonSatisfies('3.12', '~=3.11'), true);
    assert.equal(pythonSatisfies('4.0', '~=3.11'), false);
    assert.equal(pythonSatisfies('3.12', '==3.11.*'), false);
    assert.equal(pythonSatisfies('3.11.7', '==3.11.*'), true);
  });

  it('fires on CI matrix values, .python-version and FROM tags outside requires-python', async () => {
    root = gitRepo({
      'pyproject.toml': PYPROJECT,
      '.python-version': '3.10\n',
      'dockerfiles/api.dockerfile': 'FROM python:3.10-slim AS base\nFROM base\n',
      'dockerfiles/train.dockerfile': 'FROM python:3.12-slim\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        py: ["3.9", "3.11"]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.py }}\n          cache: pip\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP006'), ['.github/workflows/ci.yml:7', '.python-version:1']);
    // api.dockerfile's last stage is FROM base: the python:3.10 tag of the first stage is not the final image
    const ci = f.find((x) => x.code === 'DEP006' && x.file.startsWith('.github'))!;
    assert.deepEqual(ci.range, { start: { line: 6, character: 13 }, end: { line: 6, character: 18 } });
    assert.equal(ci.related![0].file, 'pyproject.toml');
  });

  it('without requires-python compares the image with .python-version only', async () => {
    root = gitRepo({ '.python-version': '3.11.9\n', Dockerfile: 'FROM python:3.11.9-slim\n', 'train.dockerfile': 'FROM python:3.10\n' });
    assert.deepEqual(where(await checkFolder(root), 'DEP006'), ['train.dockerfile:1']);
  });
});
