import { ruleCases } from '../../support/ruleCases';
import { ccds, dtuTemplate, lightningHydra } from './layouts';

/** The uv variant of the DTU template: [project].dependencies, a dev dependency group, uv.lock. */
const UV_PYPROJECT =
  '[project]\nname = "mnist_classifier"\nversion = "0.0.1"\nrequires-python = ">=3.11"\ndependencies = [\n  "torch>=2.5",\n  "hydra-core>=1.3.2",\n  "wandb>=0.19",\n  "typer>=0.15",\n]\n\n[dependency-groups]\ndev = ["pytest>=8.3", "ruff>=0.8", "coverage>=7.6", "invoke>=2.2", "pre-commit>=4.0"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';
const UV_LOCK =
  'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "torch"\nversion = "2.5.1"\nsource = { registry = "https://pypi.org/simple" }\n';
const WORKFLOW = (steps: string): string =>
  `name: Unit Tests\n\non:\n  push:\n    branches: [main]\n  pull_request:\n    branches: [main]\n\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n${steps}`;
const UV_STEPS =
  '      - uses: astral-sh/setup-uv@v6\n        with:\n          python-version: "3.11"\n      - run: uv sync --locked --dev\n      - run: uv run coverage run -m pytest tests/\n';
const uvTemplate = (extra: Record<string, string> = {}) =>
  dtuTemplate({ 'pyproject.toml': UV_PYPROJECT, 'uv.lock': UV_LOCK, '.github/workflows/tests.yaml': WORKFLOW(UV_STEPS), ...extra });
const uvNoReq = (extra: Record<string, string> = {}): Record<string, string | Buffer> => {
  const files = uvTemplate(extra);
  delete files['requirements.txt'];
  delete files['requirements_dev.txt'];
  return files;
};

ruleCases('DEP001', {
  valid: [
    { name: 'the DTU template pins every requirement', files: dtuTemplate() },
    { name: 'uv: ranges in pyproject.toml, pinned by uv.lock', files: uvNoReq() },
  ],
  invalid: [
    {
      name: 'bare names in requirements.txt',
      files: dtuTemplate({ 'requirements.txt': 'torch\ntorchvision==0.20.1\nhydra-core>=1.3\nwandb\n' }),
      errors: [
        { file: 'requirements.txt', line: 1, text: 'torch' },
        { file: 'requirements.txt', line: 4, text: 'wandb' },
      ],
    },
  ],
});

ruleCases('DEP002', {
  valid: [{ name: 'the DTU template: dynamic dependencies from requirements.txt and requirements_dev.txt', git: true, files: dtuTemplate() }],
  invalid: [
    {
      name: '-r a file that was moved',
      files: dtuTemplate({ 'requirements_dev.txt': '-r requirements/base.txt\npytest==8.3.4\n' }),
      errors: [{ file: 'requirements_dev.txt', line: 1, text: 'requirements/base.txt' }],
    },
  ],
});

ruleCases('DEP003', {
  valid: [{ name: 'uv.lock committed, the workflow syncs --locked', git: true, files: uvNoReq() }],
  invalid: [
    {
      name: 'uv.lock git-ignored while CI runs uv sync --locked',
      git: true,
      files: Object.fromEntries(Object.entries(uvNoReq({ '.gitignore': '__pycache__/\nuv.lock\n' })).filter(([k]) => k !== 'uv.lock')),
      untracked: { 'uv.lock': UV_LOCK },
      errors: [{ file: '.github/workflows/tests.yaml', line: 17, message: 'uv.lock' }],
    },
  ],
});

ruleCases('DEP004', {
  valid: [
    { name: 'ccds: every import declared (sklearn is scikit-learn)', files: ccds() },
    { name: 'lightning-hydra-template: omegaconf comes with hydra-core', files: lightningHydra() },
  ],
  invalid: [
    {
      name: 'import wandb with only torch and hydra-core declared',
      files: dtuTemplate({ 'requirements.txt': 'torch==2.5.1\ntorchvision==0.20.1\nhydra-core==1.3.2\ntyper==0.15.1\n' }),
      errors: [{ file: 'src/mnist_classifier/train.py', line: 3, text: 'wandb' }],
    },
  ],
});

ruleCases('DEP005', {
  valid: [
    { name: 'uv: coverage and pytest in the dev group', files: uvNoReq() },
    { name: 'ruff run with uvx is isolated on purpose', files: uvNoReq({ '.github/workflows/lint.yaml': WORKFLOW('      - run: uvx ruff check .\n') }) },
  ],
  invalid: [
    {
      name: 'pip install ruff && ruff check . with ruff declared nowhere',
      files: dtuTemplate({
        'requirements_dev.txt': 'pytest==8.3.4\n',
        '.github/workflows/lint.yaml': WORKFLOW(
          '      - uses: actions/setup-python@v5\n        with:\n          python-version: "3.11"\n          cache: pip\n      - run: pip install ruff && ruff check .\n',
        ),
      }),
      errors: [{ file: '.github/workflows/lint.yaml', line: 18, message: 'ruff' }],
    },
  ],
});

ruleCases('DEP006', {
  valid: [
    {
      name: '.python-version 3.11 and python:3.11-slim satisfy >=3.11',
      files: dtuTemplate({
        'dockerfiles/train.dockerfile':
          'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt --no-cache-dir\nCOPY src/ src/\nENTRYPOINT ["python", "-u", "src/mnist_classifier/train.py"]\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'FROM python:3.10-slim under requires-python >=3.11',
      files: dtuTemplate({
        'dockerfiles/train.dockerfile':
          'FROM python:3.10-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt --no-cache-dir\nCOPY src/ src/\nENTRYPOINT ["python", "-u", "src/mnist_classifier/train.py"]\n',
      }),
      errors: [{ file: 'dockerfiles/train.dockerfile', line: 1, message: '3.10' }],
    },
  ],
});
