import { ruleCases } from '../../support/ruleCases';
import { dtuTemplate } from './layouts';

/** The DTU template's train.dockerfile written the way the course ends up with it (dependencies first, no cache). */
const TRAIN =
  'FROM python:3.11-slim\n\nRUN apt update && \\\n    apt install --no-install-recommends -y build-essential gcc && \\\n    apt clean && rm -rf /var/lib/apt/lists/*\n\nWORKDIR /app\nCOPY requirements.txt pyproject.toml ./\nRUN pip install -r requirements.txt --no-cache-dir\nCOPY src/ src/\nRUN pip install . --no-deps --no-cache-dir\n\nENTRYPOINT ["python", "-u", "src/mnist_classifier/train.py"]\n';
const API =
  'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nCOPY src/ src/\nCMD exec uvicorn src.mnist_classifier.api:app --host 0.0.0.0 --port ${PORT:-8080}\n';
const DOCKERIGNORE = '.git\n.venv\n__pycache__/\ndata/\nmodels/\n.env\n**/.env\n';
const withDocker = (extra: Record<string, string> = {}) =>
  dtuTemplate({
    'dockerfiles/train.dockerfile': TRAIN,
    'dockerfiles/api.dockerfile': API,
    'src/mnist_classifier/api.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
    '.dockerignore': DOCKERIGNORE,
    'cloudbuild.yaml':
      "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-f', 'dockerfiles/api.dockerfile', '-t', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api', '.']\n- name: gcr.io/cloud-builders/gcloud\n  args: ['run', 'deploy', 'api', '--image', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api', '--region', 'europe-west1']\nimages:\n- europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api\n",
    ...extra,
  });
const UV =
  'FROM ghcr.io/astral-sh/uv:python3.11-bookworm-slim AS build\nWORKDIR /app\nCOPY uv.lock pyproject.toml ./\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\nFROM build\nCMD ["uv", "run", "src/mnist_classifier/train.py"]\n';
const uvProject = (dockerfile: string) => ({
  ...withDocker({
    'pyproject.toml':
      '[project]\nname = "mnist_classifier"\nversion = "0.1"\nrequires-python = ">=3.11"\ndependencies = ["torch==2.5.1", "hydra-core==1.3.2", "wandb==0.19.1", "fastapi==0.115.6"]\n',
    'uv.lock': 'version = 1\n',
    Dockerfile: dockerfile,
  }),
});

ruleCases('DKR001', {
  valid: [{ name: 'COPY . . with .env excluded at every depth', files: uvProject(UV), untracked: { '.env': 'WANDB_API_KEY=x\n', 'api/.env': 'X=1\n' } }],
  invalid: [
    {
      name: 'a key file copied by name, and again by a COPY . . that .dockerignore lets it into',
      files: withDocker({
        '.dockerignore': '.git\n.env\ndata/\nmodels/\n',
        Dockerfile:
          'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt --no-cache-dir\nCOPY gcp-key.json /app/gcp-key.json\nCOPY . .\nCMD ["python", "src/mnist_classifier/train.py"]\n',
        'gcp-key.json': '{"type": "user"}\n',
        'api/.env': 'WANDB_API_KEY=x\n',
      }),
      errors: [
        { file: 'Dockerfile', line: 5, text: 'gcp-key.json', message: 'puts a credentials file into the image' },
        { file: 'Dockerfile', line: 6, text: '.', message: '.dockerignore does not exclude it' },
      ],
    },
  ],
});

ruleCases('DKR002', {
  valid: [
    {
      name: 'the data comes from dvc pull at run time',
      files: withDocker({ 'data.dvc': 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: data\n' }),
    },
  ],
  invalid: [
    {
      name: 'COPY data/ tracked by DVC (info) and COPY models/ git-ignored (warning)',
      git: true,
      files: withDocker({
        '.dockerignore': '.git\n.env\n',
        'data.dvc': 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: data\n',
        'dockerfiles/train.dockerfile': TRAIN.replace('COPY src/ src/\n', 'COPY src/ src/\nCOPY data/ data/\nCOPY models/ models/\n'),
      }),
      errors: [
        { file: 'dockerfiles/train.dockerfile', line: 11, severity: 'info' },
        { file: 'dockerfiles/train.dockerfile', line: 12, severity: 'warning', message: 'which git ignores: a fresh clone' },
      ],
    },
    {
      // the course's .dockerignore keeps models/ out of the context: BuildKit answers the COPY with `"/models" not
      // found`, whatever git ignores, so that is what the message says
      name: 'COPY models/ that .dockerignore excludes (and git ignores)',
      git: true,
      files: withDocker({ 'dockerfiles/train.dockerfile': TRAIN.replace('COPY src/ src/\n', 'COPY src/ src/\nCOPY models/ models/\n') }),
      untracked: { 'models/model.pt': 'weights' },
      errors: [
        {
          file: 'dockerfiles/train.dockerfile',
          line: 11,
          text: 'models/',
          severity: 'warning',
          message: 'which .dockerignore excludes from the build context',
        },
      ],
    },
  ],
});

ruleCases('DKR003', {
  valid: [
    { name: 'requirements installed before src/ is copied', files: withDocker() },
    { name: 'uv: sync --no-install-project first', files: uvProject(UV) },
  ],
  invalid: [
    {
      name: 'the template’s order: src/ before pip install',
      files: withDocker({
        'dockerfiles/train.dockerfile':
          'FROM python:3.11-slim\nCOPY requirements.txt requirements.txt\nCOPY pyproject.toml pyproject.toml\nCOPY src/ src/\nWORKDIR /\nRUN pip install -r requirements.txt --no-cache-dir\nRUN pip install . --no-deps --no-cache-dir\nENTRYPOINT ["python", "-u", "src/mnist_classifier/train.py"]\n',
      }),
      errors: [{ file: 'dockerfiles/train.dockerfile', line: 4 }],
    },
  ],
});

ruleCases('DKR004', {
  valid: [{ name: '--no-cache-dir, and a BuildKit cache mount', files: withDocker() }],
  invalid: [
    {
      name: 'pip install without --no-cache-dir: the fix adds it after install',
      files: withDocker({
        'dockerfiles/train.dockerfile': TRAIN.replace('RUN pip install -r requirements.txt --no-cache-dir', 'RUN pip install -r requirements.txt'),
      }),
      errors: [{ file: 'dockerfiles/train.dockerfile', line: 9 }],
      output: {
        'dockerfiles/train.dockerfile': TRAIN.replace(
          'RUN pip install -r requirements.txt --no-cache-dir',
          'RUN pip install --no-cache-dir -r requirements.txt',
        ),
      },
    },
  ],
});

ruleCases('DKR005', {
  valid: [
    { name: 'uv sync with a cache mount', files: uvProject(UV) },
    {
      name: 'ENV UV_NO_CACHE=1',
      files: uvProject(
        'FROM python:3.11-slim\nENV UV_NO_CACHE=1\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --locked --no-install-project\nCOPY src/ src/\nCMD ["uv", "run", "src/mnist_classifier/train.py"]\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'uv sync with neither: the fix adds --no-cache',
      files: uvProject(
        'FROM python:3.11-slim\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --locked --no-install-project\nCOPY src/ src/\nCMD ["uv", "run", "src/mnist_classifier/train.py"]\n',
      ),
      errors: [{ file: 'Dockerfile', line: 3 }],
      output: {
        Dockerfile:
          'FROM python:3.11-slim\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --no-cache --locked --no-install-project\nCOPY src/ src/\nCMD ["uv", "run", "src/mnist_classifier/train.py"]\n',
      },
    },
  ],
});

ruleCases('DKR006', {
  valid: [{ name: 'uv sync --locked', files: uvProject(UV) }],
  invalid: [
    {
      name: 'uv sync without --locked in a project with uv.lock: the fix adds --locked',
      files: uvProject(
        'FROM python:3.11-slim\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --no-cache --no-install-project\nCOPY src/ src/\nCMD ["uv", "run", "src/mnist_classifier/train.py"]\n',
      ),
      errors: [{ file: 'Dockerfile', line: 3 }],
      output: {
        Dockerfile:
          'FROM python:3.11-slim\nCOPY uv.lock pyproject.toml ./\nRUN uv sync --locked --no-cache --no-install-project\nCOPY src/ src/\nCMD ["uv", "run", "src/mnist_classifier/train.py"]\n',
      },
    },
  ],
});

ruleCases('DKR007', {
  valid: [{ name: 'the entrypoint script and the ASGI app exist', files: withDocker() }],
  invalid: [
    {
      name: 'an entrypoint that names a file that is not there',
      files: withDocker({ 'dockerfiles/train.dockerfile': TRAIN.replace('src/mnist_classifier/train.py', 'src/mnist_classifier/train_model.py') }),
      errors: [{ file: 'dockerfiles/train.dockerfile', line: 13, text: '"src/mnist_classifier/train_model.py"' }],
    },
  ],
});

ruleCases('DKR008', {
  valid: [
    { name: 'Cloud Run with $PORT in the shell form', files: withDocker() },
    {
      name: 'a fixed port without a Cloud Run deployment',
      files: withDocker({
        'cloudbuild.yaml': "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-f', 'dockerfiles/api.dockerfile', '.']\n",
        'dockerfiles/api.dockerfile': API.replace(
          'CMD exec uvicorn src.mnist_classifier.api:app --host 0.0.0.0 --port ${PORT:-8080}',
          'CMD ["uvicorn", "src.mnist_classifier.api:app", "--port", "8000"]',
        ),
      }),
    },
  ],
  invalid: [
    {
      name: 'port 8000 for an image Cloud Build deploys to Cloud Run',
      files: withDocker({
        'dockerfiles/api.dockerfile': API.replace(
          'CMD exec uvicorn src.mnist_classifier.api:app --host 0.0.0.0 --port ${PORT:-8080}',
          'CMD ["uvicorn", "src.mnist_classifier.api:app", "--host", "0.0.0.0", "--port", "8000"]',
        ),
      }),
      errors: [{ file: 'dockerfiles/api.dockerfile', line: 6, message: 'cloudbuild.yaml' }],
    },
  ],
});

ruleCases('DKR009', {
  valid: [{ name: 'tagged images, a build stage and scratch', files: uvProject(UV + 'FROM scratch AS empty\n') }],
  invalid: [
    {
      name: 'FROM python and :latest',
      files: withDocker({
        'dockerfiles/train.dockerfile': TRAIN.replace('FROM python:3.11-slim', 'FROM python'),
        'dockerfiles/gpu.dockerfile': 'FROM pytorch/pytorch:latest\nWORKDIR /app\n',
      }),
      errors: [
        { file: 'dockerfiles/gpu.dockerfile', line: 1 },
        { file: 'dockerfiles/train.dockerfile', line: 1 },
      ],
    },
  ],
});

ruleCases('DKR010', {
  valid: [{ name: 'COPY . . with .git, data/ and models/ excluded', files: uvProject(UV), untracked: { 'data/raw/x.csv': 'a\n', 'models/m.pt': 'x' } }],
  invalid: [
    {
      name: 'COPY . . and no .dockerignore: the fix creates one',
      files: {
        'README.md': '# x\n',
        'requirements.txt': 'torch==2.5.1\n',
        'src/p/__init__.py': '',
        'src/p/train.py': '',
        Dockerfile:
          'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "src/p/train.py"]\n',
      },
      errors: [{ file: 'Dockerfile', line: 5 }],
      output: { '.dockerignore': '.git\n.venv\n__pycache__/\ndata/\nmodels/\noutputs/\nmultirun/\nwandb/\nmlruns/\nlightning_logs/\n.dvc/cache/\n.env\n' },
    },
  ],
});
