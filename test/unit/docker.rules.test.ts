import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const PY = { 'src/digits/__init__.py': '', 'src/digits/train.py': 'print(1)\n', 'src/digits/api.py': 'app = 1\n', 'requirements.txt': 'torch==2.5.1\n' };

function only(f: Finding[], prefix: string): string[] {
  return f
    .filter((x) => x.code.startsWith(prefix))
    .map((x) => `${x.code} ${x.file}:${x.range.start.line + 1}`)
    .sort();
}

describe('DKR rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a course-style pip dockerfile with the usual problems', async () => {
    root = gitRepo({
      ...PY,
      '.gitignore': '/models/\n.env\n',
      'data.dvc': 'outs:\n- md5: abc.dir\n  path: data\n',
      'dockerfiles/train.dockerfile': [
        'FROM python',
        'WORKDIR /app',
        'COPY src/ src/',
        'COPY requirements.txt requirements.txt',
        'COPY data/ data/',
        'COPY models/ models/',
        'COPY gcp-key.json gcp-key.json',
        'RUN pip install -r requirements.txt',
        'ENTRYPOINT ["python", "-u", "src/digits/train_model.py"]',
        '',
      ].join('\n'),
    });
    const f = await checkFolder(root);
    assert.deepEqual(only(f, 'DKR'), [
      'DKR001 dockerfiles/train.dockerfile:7',
      'DKR002 dockerfiles/train.dockerfile:5',
      'DKR002 dockerfiles/train.dockerfile:6',
      'DKR003 dockerfiles/train.dockerfile:3',
      'DKR004 dockerfiles/train.dockerfile:8',
      'DKR007 dockerfiles/train.dockerfile:9',
      'DKR009 dockerfiles/train.dockerfile:1',
    ]);
    const byCode = (c: string, line?: number) => f.find((x) => x.code === c && (line === undefined || x.range.start.line === line))!;
    assert.equal(byCode('DKR002', 4).severity, 'info'); // DVC-tracked
    assert.equal(byCode('DKR002', 5).severity, 'warning'); // git-ignored
    assert.match(byCode('DKR007').message, /src\/digits\/train_model\.py/);
    assert.deepEqual(byCode('DKR007').range, { start: { line: 8, character: 28 }, end: { line: 8, character: 55 } });
    // the quick fix adds --no-cache-dir right after `install`
    const fix = byCode('DKR004').fixes![0];
    const text = fs.readFileSync(path.join(root, 'dockerfiles/train.dockerfile'), 'utf8');
    assert.match(applyEdits(text, fix.changes[0].edits), /RUN pip install --no-cache-dir -r requirements.txt/);
  });

  it('a well-made uv dockerfile has no findings', async () => {
    root = gitRepo(
      {
        ...PY,
        'pyproject.toml': '[project]\nname = "digits"\nversion = "0.1"\ndependencies = ["torch==2.5.1"]\n',
        'uv.lock': 'version = 1\n',
        '.gitignore': '/models/\n.env\n/data/\n',
        '.dockerignore': '.git\ndata/\nmodels/\n.env\n',
        '.env': 'WANDB_API_KEY=x\n',
        'data.dvc': 'outs:\n- md5: abc.dir\n  path: data\n',
        Dockerfile: [
          'FROM ghcr.io/astral-sh/uv:python3.11-bookworm-slim AS build',
          'WORKDIR /app',
          'COPY uv.lock pyproject.toml ./',
          'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project',
          'COPY . .',
          'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
          'FROM build',
          'CMD ["uv", "run", "uvicorn", "digits.api:app", "--port", "8000"]',
          '',
        ].join('\n'),
      },
      [
        'Dockerfile',
        'pyproject.toml',
        'uv.lock',
        '.gitignore',
        '.dockerignore',
        'data.dvc',
        'src/digits/__init__.py',
        'src/digits/train.py',
        'src/digits/api.py',
        'requirements.txt',
      ],
    );
    const f = await checkFolder(root);
    assert.deepEqual(only(f, 'DKR'), []);
  });

  it('uv sync without cache setting or lock flag; COPY . . without .dockerignore lets .env in', async () => {
    root = gitRepo(
      {
        ...PY,
        'pyproject.toml': '[project]\nname = "digits"\nversion = "0.1"\ndependencies = ["torch==2.5.1"]\n',
        'uv.lock': 'version = 1\n',
        '.gitignore': '.env\n',
        '.env': 'WANDB_API_KEY=x\n',
        Dockerfile: 'FROM python:3.11-slim\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --no-install-project\nCOPY . .\nCMD ["uvicorn", "digits.app:app"]\n',
        'cloudbuild.yaml': "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: ['run', 'deploy', 'api', '--image', 'x']\n",
      },
      ['Dockerfile', 'pyproject.toml', 'uv.lock', '.gitignore', 'src/digits/__init__.py', 'src/digits/api.py', 'cloudbuild.yaml'],
    );
    const f = await checkFolder(root);
    assert.deepEqual(only(f, 'DKR'), [
      'DKR001 Dockerfile:4',
      'DKR005 Dockerfile:3',
      'DKR006 Dockerfile:3',
      'DKR007 Dockerfile:5',
      'DKR008 Dockerfile:5',
      'DKR010 Dockerfile:4',
    ]);
    const ign = f.find((x) => x.code === 'DKR010')!;
    assert.equal(ign.fixes![0].changes[0].file, '.dockerignore');
    assert.equal(ign.fixes![0].changes[0].create, true);
    assert.match(f.find((x) => x.code === 'DKR001')!.message, /\.env/);
    assert.match(f.find((x) => x.code === 'DKR008')!.message, /default port 8000.*cloudbuild\.yaml/);
  });

  it('DKR008 stays quiet without a Cloud Run deployment and with $PORT', async () => {
    root = gitRepo({
      ...PY,
      Dockerfile:
        'FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ src/\nCMD exec uvicorn digits.api:app --port ${PORT:-8080}\n',
      'api.dockerfile':
        'FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ src/\nCMD ["uvicorn", "digits.api:app", "--port", "8000"]\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'DKR008'), []);
  });
});
