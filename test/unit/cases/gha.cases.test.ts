import { ruleCases } from '../../support/ruleCases';
import { dtuTemplate } from './layouts';

/** The course's tests.yaml with current action versions: a matrix, pip cache, install, coverage + pytest. */
const TESTS = `name: Unit Tests

on:
  push:
    branches: [main]
  pull_request:
    branches: [main]

jobs:
  test:
    runs-on: \${{ matrix.operating-system }}
    strategy:
      matrix:
        operating-system: ["ubuntu-latest", "windows-latest", "macos-latest"]
        python-version: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v5
      - name: Set up Python
        uses: actions/setup-python@v6
        with:
          python-version: \${{ matrix.python-version }}
          cache: pip
          cache-dependency-path: requirements*.txt
      - name: Install dependencies
        run: |
          python -m pip install -U pip setuptools wheel
          pip install -r requirements.txt
          pip install -r requirements_dev.txt
      - name: Run tests & coverage
        run: |
          coverage run -m pytest tests/
          coverage report -m
`;
const course = (workflows: Record<string, string> = {}, extra: Record<string, string> = {}) =>
  dtuTemplate({ '.github/workflows/tests.yaml': TESTS, ...workflows, ...extra });
const job = (steps: string, head = '') =>
  `name: CI\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n${head}    steps:\n      - uses: actions/checkout@v5\n${steps}`;
const SETUP = '      - uses: actions/setup-python@v6\n        with:\n          python-version: "3.11"\n          cache: pip\n';

ruleCases('GHA001', {
  valid: [{ name: 'the course workflow runs coverage run -m pytest', files: course() }],
  invalid: [
    {
      name: 'tests but only a lint workflow',
      files: dtuTemplate({ '.github/workflows/lint.yaml': job(`${SETUP}      - run: pip install ruff==0.8.4\n      - run: ruff check .\n`) }),
      errors: [{ file: '.github/workflows/lint.yaml', line: 1, message: 'no GitHub Actions workflow runs the tests (checked .github/workflows/lint.yaml)' }],
    },
  ],
});

ruleCases('GHA002', {
  valid: [
    { name: 'setup-python with cache: pip', files: course() },
    {
      name: 'setup-uv v6 caches by default',
      files: course(
        { '.github/workflows/uv.yaml': job('      - uses: astral-sh/setup-uv@v7\n      - run: uv sync --locked\n') },
        { 'uv.lock': 'version = 1\n' },
      ),
    },
  ],
  invalid: [
    {
      name: 'pip install with no cache: the fix adds cache: pip',
      files: course({ '.github/workflows/tests.yaml': TESTS.replace('          cache: pip\n          cache-dependency-path: requirements*.txt\n', '') }),
      errors: [{ file: '.github/workflows/tests.yaml', line: 19 }],
      output: {
        '.github/workflows/tests.yaml': TESTS.replace('          cache: pip\n          cache-dependency-path: requirements*.txt\n', '').replace(
          '        with:\n',
          '        with:\n          cache: pip\n',
        ),
      },
    },
  ],
});

ruleCases('GHA003', {
  valid: [{ name: 'requirements*.txt matches', files: course() }],
  invalid: [
    {
      name: 'requirements-dev.txt, while the file is requirements_dev.txt',
      files: course({ '.github/workflows/tests.yaml': TESTS.replace('requirements*.txt', 'requirements-dev.txt') }),
      errors: [{ file: '.github/workflows/tests.yaml', line: 23, text: 'requirements-dev.txt' }],
    },
  ],
});

ruleCases('GHA004', {
  valid: [
    { name: 'requirements installed before pytest', files: course() },
    {
      name: 'tests run inside the image',
      files: course({
        '.github/workflows/docker.yaml': job('      - run: docker build -t app -f dockerfiles/train.dockerfile .\n      - run: docker run app pytest tests/\n'),
      }),
    },
  ],
  invalid: [
    {
      name: 'pip install pytest only, then pytest',
      files: course({ '.github/workflows/quick.yaml': job(`${SETUP}      - run: pip install pytest\n      - run: pytest tests/\n`) }),
      errors: [{ file: '.github/workflows/quick.yaml', line: 13 }],
    },
  ],
});

ruleCases('GHA005', {
  valid: [{ name: 'matrix keys defined', files: course() }],
  invalid: [
    {
      name: 'matrix.python-version in a job without a matrix',
      files: course({
        '.github/workflows/tests.yaml': TESTS.replace(
          '        operating-system: ["ubuntu-latest", "windows-latest", "macos-latest"]\n        python-version: ["3.11", "3.12"]\n',
          '        operating-system: ["ubuntu-latest"]\n',
        ),
      }),
      errors: [{ file: '.github/workflows/tests.yaml', line: 20, message: 'python-version' }],
    },
  ],
});

ruleCases('GHA006', {
  valid: [
    {
      name: 'ruff format --check and ruff check',
      files: course({
        '.github/workflows/lint.yaml': job(
          `${SETUP}      - run: pip install -r requirements_dev.txt\n      - run: ruff check .\n      - run: ruff format . --check\n`,
        ),
      }),
    },
  ],
  invalid: [
    {
      name: 'ruff format without --check and ruff check --exit-zero',
      files: course({
        '.github/workflows/lint.yaml': job(
          `${SETUP}      - run: pip install -r requirements_dev.txt\n      - run: ruff format .\n      - run: ruff check . --exit-zero\n`,
        ),
      }),
      errors: [
        { file: '.github/workflows/lint.yaml', line: 13 },
        { file: '.github/workflows/lint.yaml', line: 14 },
      ],
      output: {
        '.github/workflows/lint.yaml': job(
          `${SETUP}      - run: pip install -r requirements_dev.txt\n      - run: ruff format --check .\n      - run: ruff check . --exit-zero\n`,
        ),
      },
    },
  ],
});

const GCS = {
  '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = gs://mlops-bucket/dvc\n    version_aware = true\n',
  'requirements.txt': 'torch==2.5.1\ndvc[gs]==3.55.2\nhydra-core==1.3.2\nwandb==0.19.1\ntyper==0.15.1\n',
};

ruleCases('GHA007', {
  valid: [
    {
      name: 'google-github-actions/auth before dvc pull',
      files: course(
        {
          '.github/workflows/data.yaml': job(
            `${SETUP}      - run: pip install -r requirements.txt\n      - uses: google-github-actions/auth@v3\n        with:\n          credentials_json: \${{ secrets.GCP_SA_KEY }}\n      - run: dvc pull\n`,
          ),
        },
        GCS,
      ),
    },
    {
      name: 'a public https remote needs no auth (get-started)',
      files: course(
        { '.github/workflows/data.yaml': job(`${SETUP}      - run: pip install -r requirements.txt\n      - run: dvc pull\n`) },
        { '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = https://remote.dvc.org/get-started\n' },
      ),
    },
  ],
  invalid: [
    {
      name: 'dvc pull from gs:// with no authentication',
      files: course({ '.github/workflows/data.yaml': job(`${SETUP}      - run: pip install -r requirements.txt\n      - run: dvc pull\n`) }, GCS),
      errors: [{ file: '.github/workflows/data.yaml', line: 13 }],
    },
  ],
});

ruleCases('GHA008', {
  valid: [
    {
      name: 'secrets through ${{ secrets.X }}',
      files: course({
        '.github/workflows/train.yaml': job(
          `${SETUP}      - run: pip install -r requirements.txt\n      - run: python src/mnist_classifier/train.py\n        env:\n          WANDB_API_KEY: \${{ secrets.WANDB_API_KEY }}\n`,
        ),
      }),
    },
  ],
  invalid: [
    {
      name: 'a literal W&B key in env',
      files: course({
        '.github/workflows/train.yaml': job(
          `${SETUP}      - run: pip install -r requirements.txt\n      - run: python src/mnist_classifier/train.py\n        env:\n          WANDB_API_KEY: 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39\n`,
        ),
      }),
      errors: [{ file: '.github/workflows/train.yaml', line: 15 }],
    },
  ],
});

ruleCases('GHA009', {
  valid: [{ name: 'branches: [main] in a repository on main', git: true, files: course() }],
  invalid: [
    {
      name: 'branches: [master] while the repository is on main (the template’s README says master)',
      git: true,
      files: course({ '.github/workflows/tests.yaml': TESTS.replace(/branches: \[main\]/g, 'branches: [master]') }),
      errors: [{ file: '.github/workflows/tests.yaml', message: 'main' }],
    },
  ],
});

const DEPLOY =
  '  deploy:\n    runs-on: ubuntu-latest\n__NEEDS__    steps:\n      - uses: actions/checkout@v5\n      - uses: google-github-actions/auth@v3\n        with:\n          credentials_json: ${{ secrets.GCP_SA_KEY }}\n      - run: gcloud run deploy api --source . --region europe-west1\n';

ruleCases('GHA010', {
  valid: [{ name: 'deploy needs test', files: course({ '.github/workflows/tests.yaml': TESTS + DEPLOY.replace('__NEEDS__', '    needs: test\n') }) }],
  invalid: [
    {
      name: 'deploy runs beside the tests: the fix adds needs: test',
      files: course({ '.github/workflows/tests.yaml': TESTS + DEPLOY.replace('__NEEDS__', '') }),
      errors: [{ file: '.github/workflows/tests.yaml', line: 33, text: 'deploy' }],
      output: { '.github/workflows/tests.yaml': TESTS + DEPLOY.replace('__NEEDS__', '').replace('  deploy:\n', '  deploy:\n    needs: test\n') },
    },
  ],
});

ruleCases('GHA011', {
  valid: [{ name: 'checkout@v5 and setup-python@v6', files: course() }],
  invalid: [
    {
      name: 'checkout@v4 and setup-python@v5: the fix bumps each',
      files: course({
        '.github/workflows/tests.yaml': TESTS.replace('actions/checkout@v5', 'actions/checkout@v4').replace(
          'actions/setup-python@v6',
          'actions/setup-python@v5',
        ),
      }),
      errors: [
        { file: '.github/workflows/tests.yaml', line: 17 },
        { file: '.github/workflows/tests.yaml', line: 19 },
      ],
      output: { '.github/workflows/tests.yaml': TESTS },
    },
  ],
});

ruleCases('GHA012', {
  valid: [{ name: 'quoted versions', files: course() }],
  invalid: [
    {
      name: 'python-version: [3.11, 3.10]: the fix quotes 3.10',
      files: course({ '.github/workflows/tests.yaml': TESTS.replace('python-version: ["3.11", "3.12"]', 'python-version: [3.11, 3.10]') }),
      errors: [{ file: '.github/workflows/tests.yaml', line: 15, text: '3.10' }],
      output: { '.github/workflows/tests.yaml': TESTS.replace('python-version: ["3.11", "3.12"]', 'python-version: [3.11, "3.10"]') },
    },
  ],
});
