import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { git, gitRepo, rmrf } from '../support/tmp';

const PROJECT = {
  'requirements.txt': 'torch==2.5.1\n',
  'src/digits/__init__.py': '',
  'tests/test_model.py': 'def test_x():\n    assert True\n',
  '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = gs://bucket/dvc\n',
};

const BROKEN = `name: ci
on:
  push:
    branches: [main]
env:
  WANDB_API_KEY: 0123456789abcdef0123456789abcdef01234567
jobs:
  test:
    runs-on: \${{ matrix.os }}
    steps:
      - uses: actions/checkout@v3
      - uses: actions/setup-python@v4
        with:
          python-version: "3.11"
          cache-dependency-path: requirements-dev.txt
      - run: pip install pytest
      - run: ruff format . && ruff check . --exit-zero
      - run: dvc pull
      - run: pytest tests/
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy api --image x
`;

const CLEAN = `name: ci
on:
  push:
    branches: [master]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.11", "3.12"]
    env:
      WANDB_API_KEY: \${{ secrets.WANDB_API_KEY }}
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: \${{ matrix.python-version }}
          cache: pip
      - run: pip install -r requirements.txt && pip install -e .
      - run: ruff format --check . && ruff check .
      - uses: google-github-actions/auth@v3
        with:
          credentials_json: \${{ secrets.GCP_SA_KEY }}
      - run: dvc pull
      - run: pytest tests/
  deploy:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy api --image x
`;

function codes(f: Finding[]): string[] {
  return f
    .filter((x) => x.code.startsWith('GHA'))
    .map((x) => `${x.code}:${x.range.start.line + 1}`)
    .sort();
}

describe('GHA rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a workflow with the usual problems (on master, triggering on main)', async () => {
    root = gitRepo({ ...PROJECT, '.github/workflows/ci.yml': BROKEN });
    git(root, 'branch', '-m', 'master');
    const f = await checkFolder(root);
    assert.deepEqual(
      codes(f),
      [
        'GHA002:12',
        'GHA003:15',
        'GHA004:19',
        'GHA005:9',
        'GHA006:17',
        'GHA006:17',
        'GHA007:18',
        'GHA008:6',
        'GHA009:4',
        'GHA010:20',
        'GHA011:11',
        'GHA011:12',
      ].sort(),
    );
    const by = (c: string) => f.filter((x) => x.code === c);
    const text = fs.readFileSync(path.join(root, '.github/workflows/ci.yml'), 'utf8');
    // exact ranges
    assert.equal(text.split('\n')[8].slice(by('GHA005')[0].range.start.character, by('GHA005')[0].range.end.character), 'matrix.os');
    assert.equal(text.split('\n')[10].slice(by('GHA011')[0].range.start.character, by('GHA011')[0].range.end.character), 'v3');
    // fixes: bump, add --check, add cache: pip, add needs
    const fixed = (c: string, i = 0) => applyEdits(text, by(c)[i].fixes![0].changes[0].edits);
    assert.match(fixed('GHA011'), /actions\/checkout@v5/);
    assert.match(
      fixed(
        'GHA006',
        by('GHA006').findIndex((x) => x.fixes?.length),
      ),
      /ruff format --check \./,
    );
    assert.match(fixed('GHA002'), /with:\n {10}cache: pip\n {10}python-version: "3.11"\n/);
    assert.match(fixed('GHA010'), /deploy:\n {4}needs: test\n {4}runs-on/);
    assert.match(by('GHA009')[0].message, /'master'/);
    // the secret is never printed; the fix puts the secrets expression in its place
    assert.doesNotMatch(by('GHA008')[0].message, /0123456789abcdef/);
    assert.match(fixed('GHA008'), /WANDB_API_KEY: \$\{\{ secrets\.WANDB_API_KEY \}\}\n/);
  });

  it('a good workflow has no findings, and GHA001 does not fire when tests run', async () => {
    root = gitRepo({ ...PROJECT, '.github/workflows/ci.yml': CLEAN });
    git(root, 'branch', '-m', 'master');
    const f = await checkFolder(root);
    assert.deepEqual(codes(f), []);
  });

  it('GHA001 fires when tests exist and no workflow runs them; GHA009 is quiet without git', async () => {
    root = gitRepo({
      ...PROJECT,
      '.github/workflows/lint.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pipx run ruff check .\n',
    });
    git(root, 'branch', '-m', 'master');
    assert.deepEqual(where(await checkFolder(root), 'GHA001'), ['.github/workflows/lint.yml:1']);
    const noGit = await checkFolder(root, {}, false);
    assert.deepEqual(where(noGit, 'GHA009'), []);
  });

  it('setup-uv v6 caches by default; v5 without enable-cache does not', async () => {
    const wf = (v: string) =>
      `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: astral-sh/setup-uv@${v}\n      - run: uv sync --locked\n      - run: uv run pytest\n`;
    root = gitRepo({ ...PROJECT, '.github/workflows/a.yml': wf('v6'), '.github/workflows/b.yml': wf('v5') });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA002'), ['.github/workflows/b.yml:6']);
    assert.deepEqual(where(f, 'GHA004'), []);
  });
});
