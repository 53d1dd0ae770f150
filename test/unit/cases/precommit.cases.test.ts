import { ruleCases } from '../../support/ruleCases';
import { ccds, dtuTemplate } from './layouts';

const PRECOMMIT = dtuTemplate()['.pre-commit-config.yaml'] as string;
const CLOUDBUILD =
  "steps:\n- name: 'gcr.io/cloud-builders/docker'\n  id: 'Build container image'\n  args: ['build', '.', '-t', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/train', '-f', 'dockerfiles/train.dockerfile']\n- name: 'gcr.io/cloud-builders/docker'\n  id: 'Push container image'\n  args: ['push', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/train']\noptions:\n  logging: CLOUD_LOGGING_ONLY\n";
const TRAIN_DOCKERFILE =
  'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ src/\nENTRYPOINT ["python", "-u", "src/mnist_classifier/train.py"]\n';

ruleCases('PRE001', {
  valid: [
    { name: 'the DTU template has a .pre-commit-config.yaml', files: dtuTemplate() },
    { name: 'no ruff configured', files: { 'README.md': '# x\n', 'requirements.txt': 'torch==2.5.1\n' } },
  ],
  invalid: [
    {
      name: 'ccds configures ruff in pyproject.toml without pre-commit',
      files: ccds(),
      errors: [{ file: 'pyproject.toml', line: 19, message: 'ruff is configured in pyproject.toml but there is no .pre-commit-config.yaml' }],
    },
  ],
});

ruleCases('PRE002', {
  valid: [{ name: 'the template hooks ruff and ruff-format', files: dtuTemplate() }],
  invalid: [
    {
      name: 'a config with only pre-commit-hooks',
      files: dtuTemplate({
        '.pre-commit-config.yaml':
          'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: check-added-large-files\n      - id: detect-private-key\n',
      }),
      errors: [{ file: '.pre-commit-config.yaml', line: 1 }],
    },
  ],
});

ruleCases('PRE003', {
  valid: [{ name: 'check-added-large-files and detect-private-key', files: dtuTemplate() }],
  invalid: [
    {
      name: 'ruff only',
      files: dtuTemplate({
        '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.4\n    hooks:\n      - id: ruff\n',
      }),
      errors: [{ file: '.pre-commit-config.yaml', line: 1, message: 'check-added-large-files' }],
    },
  ],
});

ruleCases('PRE004', {
  valid: [{ name: 'pre-commit-hooks v5.0.0', files: dtuTemplate() }],
  invalid: [
    {
      name: 'the template’s old v3.2.0',
      files: dtuTemplate({ '.pre-commit-config.yaml': PRECOMMIT.replace('rev: v5.0.0', 'rev: v3.2.0') }),
      errors: [{ file: '.pre-commit-config.yaml', line: 3, text: 'v3.2.0' }],
    },
  ],
});

ruleCases('PRE005', {
  valid: [
    {
      name: 'the course cloudbuild.yaml builds dockerfiles/train.dockerfile',
      files: dtuTemplate({ 'cloudbuild.yaml': CLOUDBUILD, 'dockerfiles/train.dockerfile': TRAIN_DOCKERFILE }),
    },
  ],
  invalid: [
    {
      name: 'the README’s api.Dockerfile spelling, while the file is api.dockerfile',
      files: dtuTemplate({
        'cloudbuild.yaml': CLOUDBUILD.replace('dockerfiles/train.dockerfile', 'dockerfiles/train.Dockerfile'),
        'dockerfiles/train.dockerfile': TRAIN_DOCKERFILE,
      }),
      errors: [{ file: 'cloudbuild.yaml', line: 4, message: 'dockerfiles/train.Dockerfile' }],
    },
  ],
});

const SECRET_STEP = "- name: 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/train'\n  id: 'Train'\n  secretEnv: ['WANDB_API_KEY']\n";

ruleCases('PRE006', {
  valid: [
    {
      name: 'secretEnv declared in availableSecrets',
      files: dtuTemplate({
        'dockerfiles/train.dockerfile': TRAIN_DOCKERFILE,
        'cloudbuild.yaml':
          CLOUDBUILD.replace('options:', SECRET_STEP.trimEnd() + '\noptions:') +
          'availableSecrets:\n  secretManager:\n  - versionName: projects/$PROJECT_ID/secrets/wandb-api-key/versions/latest\n    env: WANDB_API_KEY\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'secretEnv without availableSecrets',
      files: dtuTemplate({
        'dockerfiles/train.dockerfile': TRAIN_DOCKERFILE,
        'cloudbuild.yaml': CLOUDBUILD.replace('options:', SECRET_STEP.trimEnd() + '\noptions:'),
      }),
      errors: [{ file: 'cloudbuild.yaml', line: 10, text: "'WANDB_API_KEY'" }],
    },
  ],
});

ruleCases('PRE007', {
  valid: [{ name: 'the template’s tasks.py runs files that exist', files: dtuTemplate() }],
  invalid: [
    {
      name: 'a docker_build task after dockerfiles/ was removed',
      files: dtuTemplate({
        'tasks.py':
          (dtuTemplate()['tasks.py'] as string) +
          '\n\n@task\ndef docker_build(ctx: Context) -> None:\n    ctx.run("docker build -t train -f dockerfiles/train.dockerfile .", echo=True, pty=True)\n',
      }),
      errors: [{ file: 'tasks.py', line: 16, text: 'dockerfiles/train.dockerfile' }],
    },
  ],
});
