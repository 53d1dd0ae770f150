import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine';
import { dockerignoreMatcher } from '../../server/src/engine/docker/dockerfile';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/** A Cloud Run API project as such projects are on GitHub: FastAPI app, DVC data, a service-account key for local runs. */
const API: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "digits"\nversion = "0.1.0"\ndependencies = ["fastapi==0.115.0", "torch==2.5.1"]\n',
  'requirements.txt': 'fastapi==0.115.0\ntorch==2.5.1\n',
  'src/digits/__init__.py': '',
  'src/digits/api.py': 'import fastapi\napp = fastapi.FastAPI()\n',
  // a Python package named like a credentials folder: source code, not keys
  'src/digits/secrets/__init__.py': 'def load():\n    return {}\n',
  'tests/test_api.py': 'def test_x():\n    assert True\n',
  'data/.gitignore': '/raw\n',
  'data/raw.dvc': 'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 2048\n  nfiles: 2\n  hash: md5\n  path: raw\n',
  'data/raw/digits.csv': 'a,b\n1,2\n',
  '.gitignore': '.env\n.venv/\n/keys/\n*-sa.json\n/models/\n',
  '.env': 'WANDB_API_KEY=0123456789abcdef\n',
  'api/main.py': 'from digits.api import app\n',
  'api/.env': 'DATABASE_URL=postgres://u:p@h/db\n',
  'keys/gcp-sa.json': '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n"}\n',
  'deploy-sa.json': '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n"}\n',
  // listed (committed by mistake) and only recognisable by its content
  'config/gcp.json':
    '{\n  "type": "service_account",\n  "project_id": "digits",\n  "private_key_id": "abc",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n"\n}\n',
  'config/app.json': '{"log_level": "info"}\n',
};
const COMMITTED = Object.keys(API).filter((p) => !/^(\.env|api\/\.env|keys\/|deploy-sa\.json|data\/raw\/)/.test(p));

function found(f: Finding[], prefix = 'DKR'): string[] {
  return f
    .filter((x) => x.code.startsWith(prefix))
    .map((x) => `${x.code} ${x.file}:${x.range.start.line + 1}`)
    .sort();
}

describe('DKR rules on real project layouts', () => {
  let root = '';
  afterEach(() => rmrf(root));

  // Facts (Docker docs, "Build context", .dockerignore files): patterns are matched with Go's filepath.Match relative
  // to the context root, which is both the working and the root directory: `.env`, `*.pt`, `data` match only at the
  // root; `**` matches any number of folders (`**/.env` everywhere); a matched folder excludes its content; `!` lines
  // re-include and the last matching line decides. `.gitignore` differs: there `.env` and `data` match at any depth.
  it('.dockerignore is matched with Docker semantics, not gitignore ones', () => {
    const m = dockerignoreMatcher('# local files\n.env\n*.pt\ndata\n/models/\n');
    assert.equal(m('.env'), true);
    assert.equal(m('api/.env'), false);
    assert.equal(m('model.pt'), true);
    assert.equal(m('checkpoints/model.pt'), false);
    assert.equal(m('data/raw/digits.csv'), true);
    assert.equal(m('src/digits/data/loader.py'), false);
    assert.equal(m('models/best.pt'), true);
    const all = dockerignoreMatcher('**/.env\n*.md\n!README.md\n');
    assert.equal(all('api/.env'), true);
    assert.equal(all('NOTES.md'), true);
    assert.equal(all('README.md'), false);
  });

  it('COPY . . with a .dockerignore of `.env` still copies api/.env, keys/ and service-account keys (DKR001)', async () => {
    root = gitRepo(
      {
        ...API,
        '.dockerignore': '.git\n.venv\n.env\ndata/\n',
        Dockerfile:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD exec uvicorn digits.api:app --host 0.0.0.0 --port ${PORT:-8080}\n',
      },
      [...COMMITTED, '.dockerignore', 'Dockerfile'],
    );
    const f = await checkFolder(root);
    const dkr001 = f.filter((x) => x.code === 'DKR001').map((x) => x.message);
    assert.equal(dkr001.length, 4, dkr001.join('\n'));
    assert.match(dkr001.join('\n'), /copies api\/\.env \(credentials\)/);
    assert.match(dkr001.join('\n'), /copies config\/gcp\.json \(a service-account key\)/);
    assert.match(dkr001.join('\n'), /copies deploy-sa\.json \(credentials\)/);
    assert.match(dkr001.join('\n'), /copies the credentials folder keys\//);
    // the root .env is excluded; config/app.json and the src/digits/secrets package are not credentials
    assert.doesNotMatch(dkr001.join('\n'), /copies \.env|app\.json|src\/digits\/secrets/);
  });

  it('must not fire: the Cloud Run project whose .dockerignore excludes them, and COPY src/ src/', async () => {
    const ignore = '.git\n.venv\n**/.env\nkeys/\n**/*-sa.json\nconfig/gcp.json\ndata/\nmodels/\n';
    root = gitRepo(
      {
        ...API,
        '.dockerignore': ignore,
        Dockerfile:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD exec uvicorn digits.api:app --host 0.0.0.0 --port ${PORT:-8080}\n',
        'dockerfiles/api.dockerfile':
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ src/\nCMD exec uvicorn digits.api:app --host 0.0.0.0 --port ${PORT:-8080}\n',
      },
      [...COMMITTED, '.dockerignore', 'Dockerfile', 'dockerfiles/api.dockerfile'],
    );
    const f = await checkFolder(root);
    assert.deepEqual(found(f), []);
  });

  it('one problem, one finding: a copied .env is DKR001 only; a git-ignored lock file is DEP003 only', async () => {
    root = gitRepo(
      {
        ...API,
        'uv.lock': 'version = 1\n',
        '.gitignore': API['.gitignore'] + 'uv.lock\nsettings.local.yaml\n',
        'settings.local.yaml': 'debug: true\n',
        'models/best.pt': 'x',
        'dockerfiles/train.dockerfile':
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY .env .env\nCOPY uv.lock pyproject.toml ./\nCOPY uv.lock models/ /app/\nCOPY settings.local.yaml .\nCOPY src/ src/\nCMD ["python", "-m", "digits.api"]\n',
      },
      [...COMMITTED, 'dockerfiles/train.dockerfile'],
    );
    const f = await checkFolder(root);
    const onFile = f.filter((x) => x.file === 'dockerfiles/train.dockerfile' && /^(DKR00[12]|DEP003)$/.test(x.code));
    assert.deepEqual(onFile.map((x) => `${x.code}:${x.range.start.line + 1}:${x.range.start.character}`).sort(), [
      'DEP003:4:5', // COPY uv.lock: ignored lock file (DEP003), not also "git-ignored data" (DKR002)
      'DEP003:5:5', // same line, two problems: the lock file ...
      'DKR001:3:5', // .env: credentials, not also "fetch it with DVC"
      'DKR002:5:13', // ... and the git-ignored models/ folder
      'DKR002:6:5',
    ]);
    const settings = onFile.find((x) => x.code === 'DKR002' && x.range.start.line === 5)!;
    assert.doesNotMatch(settings.message, /DVC/);
    assert.match(onFile.find((x) => x.code === 'DKR002' && x.range.start.line === 4)!.message, /models\/.*fetch it with DVC/);
  });

  // Fact: `dvc add data/raw` writes data/raw.dvc and puts `/raw` in data/.gitignore; data/ itself stays a normal
  // folder, so `COPY data/ data/` copies the DVC-tracked data/raw/ with it.
  it('COPY data/ data/ and COPY . . include a folder DVC tracks inside data/ (DKR002); DKR010 does not repeat it', async () => {
    root = gitRepo(
      {
        ...API,
        '.dockerignore': '.git\n.venv\n**/.env\nkeys/\n**/*-sa.json\nconfig/gcp.json\n',
        'dockerfiles/train.dockerfile':
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ src/\nCOPY data/ data/\nCMD ["python", "-m", "digits.api"]\n',
        Dockerfile:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD exec uvicorn digits.api:app --host 0.0.0.0 --port ${PORT:-8080}\n',
      },
      [...COMMITTED, '.dockerignore', 'Dockerfile', 'dockerfiles/train.dockerfile'],
    );
    const f = await checkFolder(root);
    assert.deepEqual(found(f), ['DKR002 Dockerfile:5', 'DKR002 dockerfiles/train.dockerfile:6']);
    for (const x of f.filter((y) => y.code === 'DKR002')) assert.match(x.message, /data\/raw \(data\/raw\.dvc\)/);
  });
});
