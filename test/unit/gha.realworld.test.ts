import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { compileFilterPattern, filterIncludes } from '../../server/src/engine/gha/filterPattern';
import { installsWhat, runsTests, shellCommands } from '../../server/src/engine/gha/workflow';
import { checkFolder, where } from '../support/check';
import { git, gitRepo, rmrf } from '../support/tmp';

/** A course project as it is on GitHub: src layout, split requirements, tests, a Dockerfile for the API. */
const PROJECT: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "digits"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n',
  'requirements/base.txt': 'torch==2.5.1\nfastapi==0.115.0\n',
  'requirements/dev.txt': '-r base.txt\npytest==8.3.3\n',
  'src/digits/__init__.py': '',
  'src/digits/api.py': 'import fastapi\napp = fastapi.FastAPI()\n',
  'tests/test_api.py': 'from digits import api\n\ndef test_app():\n    assert api.app\n',
  Dockerfile:
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements/ requirements/\nRUN pip install --no-cache-dir -r requirements/dev.txt\nCOPY src/ src/\nCOPY tests/ tests/\nRUN pip install --no-cache-dir -e .\nCMD ["uvicorn", "digits.api:app", "--host", "0.0.0.0", "--port", "8080"]\n',
  '.dockerignore': '.git\n.venv\ndata/\n',
};

function wf(steps: string, extra = ''): string {
  return `name: ci\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n${extra}    steps:\n      - uses: actions/checkout@v5\n${steps}`;
}

function line(f: Finding[], code: string, text: string): string[] {
  const lines = text.split('\n');
  return f.filter((x) => x.code === code).map((x) => lines[x.range.start.line].slice(x.range.start.character, x.range.end.character));
}

describe('GHA rules on real workflow patterns', () => {
  let root = '';
  afterEach(() => rmrf(root));

  // Fact: `pip3.11` and `python3.12 -m pip` are the same pip as `pip` (the versioned entry points pip installs, and the
  // interpreter's -m); the deadsnakes / setup-python images put them on PATH.
  it('GHA004 knows versioned pip and python, and still fires when only pytest is installed', () => {
    assert.equal(installsWhat('pip3.11 install -r requirements/dev.txt'), 'project');
    assert.equal(installsWhat('python3.12 -m pip install -e .'), 'project');
    assert.equal(installsWhat('py -3.12 -m pip install -r requirements.txt'), 'project');
    assert.equal(installsWhat('/opt/venv/bin/pip install -r requirements.txt'), 'project');
    assert.equal(installsWhat('pip3.11 install pytest'), 'packages');
    // installing pytest is not running it, with any pip
    assert.equal(runsTests('pip3.11 install pytest'), false);
    assert.equal(runsTests('python3.12 -m pip install pytest'), false);
    assert.equal(runsTests('python3.12 -m pytest -q'), true);
  });

  it('GHA004: versioned installs count; a job that installs only pytest still fires', async () => {
    const good = wf(
      '      - uses: actions/setup-python@v6\n        with:\n          python-version: "3.12"\n          cache: pip\n      - run: |\n          python3.12 -m pip install --upgrade pip\n          pip3.12 install -r requirements/dev.txt\n          pip3.12 install -e .\n      - run: python3.12 -m pytest tests/\n',
    );
    const bad = wf(
      '      - uses: actions/setup-python@v6\n        with:\n          python-version: "3.12"\n          cache: pip\n      - run: pip3.12 install pytest\n      - run: python3.12 -m pytest tests/\n',
    );
    root = gitRepo({ ...PROJECT, '.github/workflows/ci.yml': good, '.github/workflows/bad.yml': bad });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA004'), ['.github/workflows/bad.yml:16']);
    assert.match(f.find((x) => x.code === 'GHA004')!.message, /only installs individual packages/);
    assert.deepEqual(where(f, 'GHA001'), []);
  });

  // Fact: `docker run IMAGE cmd` and `docker compose run SERVICE cmd` run cmd inside the container, with what the
  // image's Dockerfile installed; the runner's Python is not involved.
  it('GHA004 stays quiet for tests run inside the image the job built; GHA001 counts them', async () => {
    const dockerRun = wf(
      '      - run: docker build -t digits-api:ci .\n      - run: |\n          docker run --rm \\\n            -e WANDB_MODE=offline \\\n            digits-api:ci pytest tests/ -q\n',
    );
    const compose = wf(
      '      - run: docker compose -f compose.ci.yml build\n      - run: docker compose -f compose.ci.yml run --rm api python -m pytest tests/\n',
    );
    // the same job, but pytest on the runner after building the image: the runner has nothing installed
    const runner = wf('      - run: docker build -t digits-api:ci .\n      - run: pytest tests/\n');
    root = gitRepo({
      ...PROJECT,
      'compose.ci.yml': 'services:\n  api:\n    build: .\n',
      '.github/workflows/docker.yml': dockerRun,
      '.github/workflows/compose.yml': compose,
      '.github/workflows/runner.yml': runner,
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA004'), ['.github/workflows/runner.yml:12']);
    assert.deepEqual(where(f, 'GHA001'), []);
    // the container's installs are not the runner's: no "dependencies installed without a cache" for them
    assert.deepEqual(where(f, 'GHA002'), []);
  });

  // Facts: the shell does not split on `&&` inside quotes, so `sh -c "a && b"` is one command whose argument is the
  // script `a && b` that sh then runs (in the container, for `docker run IMAGE sh -c ...`); a job with `container:` runs
  // every `run:` step inside that image (GitHub's "Running jobs in a container").
  it('GHA004 reads sh -c "..." scripts as the shell does: in the image the job built, or on the runner', async () => {
    // the cloudrun-api layout: tests run inside the image, after installing the dev requirements there
    const inImage = wf(
      '      - name: Build the image\n        run: docker build -t sentiment-api:test .\n      - name: Test inside the image\n        run: |\n          docker run --rm -v "$PWD/tests:/app/tests" sentiment-api:test \\\n            sh -c "pip install --no-cache-dir -r requirements/dev.txt && python -m pytest tests"\n',
    );
    // on the runner, a bash -c script that installs then tests
    const bashC = wf(
      '      - uses: actions/setup-python@v6\n        with:\n          python-version: "3.12"\n      - run: bash -c \'uv pip install --system -r requirements/dev.txt && pytest -q\'\n',
    );
    const inContainer = wf('      - run: pytest tests/\n', '    container:\n      image: ghcr.io/acme/digits-ci:latest\n');
    // on the runner, a script that only changes folder before the tests: nothing installed
    const noInstall = wf(
      '      - uses: actions/setup-python@v6\n        with:\n          python-version: "3.12"\n      - run: bash -c "cd src && python -m pytest ../tests"\n',
    );
    root = gitRepo({
      ...PROJECT,
      '.github/workflows/image.yml': inImage,
      '.github/workflows/bashc.yml': bashC,
      '.github/workflows/container.yml': inContainer,
      '.github/workflows/bare.yml': noInstall,
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA004'), ['.github/workflows/bare.yml:14']);
    // the command as the shell runs it, not a cut of the quoted text ending in a stray `"`
    assert.equal(f.find((x) => x.code === 'GHA004')!.message, "job 'test' runs `python -m pytest ../tests` but never installs the project or its dependencies");
    assert.deepEqual(line(f, 'GHA004', noInstall), ['python']);
    assert.deepEqual(where(f, 'GHA001'), []);
  });

  it('GHA004 knows the installers of uv, poetry, pipenv and conda', () => {
    for (const c of [
      'uv pip install -r requirements.txt',
      'uv sync --frozen',
      'poetry install --with dev',
      'pipenv install --dev',
      'conda env create -f environment.yml',
      'mamba env update -f environment.yml',
      'pip3.11 install -e .[dev]',
    ])
      assert.equal(installsWhat(c), 'project', c);
    assert.equal(installsWhat('uv pip install pytest'), 'packages');
  });

  it("shellCommands cuts at the shell's separators only: not inside quotes, not in comments", () => {
    assert.deepEqual(shellCommands('pip install -e .  # editable && fast\npytest -k "not slow && not gpu" | tee log.txt'), [
      { text: 'pip install -e .', inContainer: false },
      { text: 'pytest -k "not slow && not gpu"', inContainer: false },
      { text: 'tee log.txt', inContainer: false },
    ]);
    assert.deepEqual(shellCommands("docker run --rm img:ci bash -lc 'pip install -r req.txt; pytest'"), [
      { text: 'docker run --rm img:ci bash -lc', inContainer: true },
      { text: 'pip install -r req.txt', inContainer: true },
      { text: 'pytest', inContainer: true },
    ]);
    assert.deepEqual(shellCommands('pytest -q tests 2>&1 | tee log.txt\nmake test &>make.log'), [
      { text: 'pytest -q tests 2>&1', inContainer: false },
      { text: 'tee log.txt', inContainer: false },
      { text: 'make test &>make.log', inContainer: false },
    ]);
    assert.deepEqual(shellCommands('docker build -t api:ci . && docker run --rm api:ci python -m pytest -q'), [
      { text: 'docker build -t api:ci .', inContainer: false },
      { text: 'docker run --rm api:ci python -m pytest -q', inContainer: true },
    ]);
  });

  it('GHA001 still fires when no workflow runs the tests, in a container or not', async () => {
    root = gitRepo({
      ...PROJECT,
      '.github/workflows/build.yml': wf('      - run: docker build -t digits-api:ci .\n      - run: docker run --rm digits-api:ci python -c "import digits"\n'),
    });
    assert.deepEqual(where(await checkFolder(root), 'GHA001'), ['.github/workflows/build.yml:1']);
  });

  // Fact: setup-python resolves cache-dependency-path with @actions/glob = minimatch {dot, nobrace, noext, nonegate}:
  // `[a-z]` is a character class, `**` crosses folders.
  it('GHA003 reads cache-dependency-path as a real glob', async () => {
    const step = (p: string) =>
      `      - uses: actions/setup-python@v6\n        with:\n          python-version: "3.12"\n          cache: pip\n          cache-dependency-path: ${p}\n      - run: pip install -r requirements/dev.txt -e .\n      - run: pytest\n`;
    root = gitRepo({
      ...PROJECT,
      '.github/workflows/a.yml': wf(step("'requirements/[a-z]*.txt'")),
      '.github/workflows/b.yml': wf(step("'**/requirements/*.txt'")),
      '.github/workflows/c.yml': wf(step('|\n            requirements/base.txt\n            requirements/d?v.txt')),
      '.github/workflows/d.yml': wf(step("'requirements/[0-9]*.txt'")),
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA003'), ['.github/workflows/d.yml:15']);
  });

  // Facts: GitHub's "Filter pattern cheat sheet" (workflow syntax for GitHub Actions), patterns to match branches and
  // tags, each pattern with the examples the documentation says it matches. `?` and `+` apply to the preceding
  // character; `!` negates the earlier positive patterns and the last matching pattern decides.
  it('GitHub filter patterns follow the documented cheat sheet', () => {
    const docs: [string, string[], string[]][] = [
      ['feature/*', ['feature/my-branch', 'feature/your-branch'], ['feature/a/b']],
      ['feature/**', ['feature/beta-a/my-branch', 'feature/your-branch', 'feature/mona/the/octocat'], ['features/x']],
      ['main', ['main'], ['mainline']],
      ['releases/mona-the-octocat', ['releases/mona-the-octocat'], ['releases/mona']],
      ['*', ['main', 'releases'], ['all/the/branches']],
      ['**', ['all/the/branches', 'every/tag'], []],
      ['*feature', ['mona-feature', 'feature', 'ver-10-feature'], ['feature-x']],
      ['v2*', ['v2', 'v2.0', 'v2.9'], ['v3']],
      ['v[12].[0-9]+.[0-9]+', ['v1.10.1', 'v2.0.0'], ['v3.0.0', 'v1..1']],
      // file path examples of the same sheet: `?` is "zero or one of the preceding character"
      ['*.jsx?', ['page.js', 'page.jsx'], ['page.jsz', 'a/page.js']],
      ['**.js', ['index.js', 'js/index.js', 'src/js/app.js'], ['index.jsx']],
      ['**/README.md', ['README.md', 'docs/README.md'], ['README.mdx']],
    ];
    for (const [pattern, yes, no] of docs) {
      const re = compileFilterPattern(pattern);
      for (const n of yes) assert.ok(re.test(n), `${pattern} matches ${n}`);
      for (const n of no) assert.ok(!re.test(n), `${pattern} does not match ${n}`);
    }
    // a backslash escapes a special character: a branch literally named `c++`
    assert.ok(compileFilterPattern('c\\+\\+').test('c++'));
    assert.ok(!compileFilterPattern('c++').test('c++'));
    // order matters (the doc's example: `releases/**-alpha` excluded, then nothing re-includes it)
    const list = ['releases/**', '!releases/**-alpha'];
    assert.equal(filterIncludes(list, 'releases/10'), true);
    assert.equal(filterIncludes(list, 'releases/10-alpha'), false);
    assert.equal(filterIncludes(['!releases/**-alpha', 'releases/**'], 'releases/10-alpha'), true);
  });

  it('GHA009 uses the filter syntax, and knows branches-ignore', async () => {
    const on = (o: string) =>
      `on:\n${o}jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - run: pip install -r requirements/dev.txt -e .\n      - run: pytest\n`;
    root = gitRepo({
      ...PROJECT,
      // must not fire: every branch but dependabot's, and a `+` pattern that matches master
      '.github/workflows/a.yml': on("  push:\n    branches: ['**', '!dependabot/**']\n"),
      '.github/workflows/b.yml': on("  push:\n    branches: ['ma+ster', 'release/v[0-9]+']\n"),
      // must fire: only main; every branch except master; master re-excluded after the wildcard
      '.github/workflows/c.yml': on('  push:\n    branches: [main]\n'),
      '.github/workflows/d.yml': on('  push:\n    branches-ignore: [master, gh-pages]\n'),
      '.github/workflows/e.yml': on("  push:\n    branches: ['*', '!master']\n"),
    });
    git(root, 'branch', '-m', 'master');
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA009').sort(), ['.github/workflows/c.yml:3', '.github/workflows/d.yml:3', '.github/workflows/e.yml:3']);
    assert.match(f.find((x) => x.code === 'GHA009' && x.file.endsWith('d.yml'))!.message, /every branch except master, gh-pages.*'master'/);
  });

  // Facts (runs.using of each action's action.yml at its major tag, 2026-12-03): checkout v4 node20, v5 node24;
  // setup-python v5 node20, v6 node24; cache v4 node20, v5 node24; upload-artifact v4-v5 node20, v6 node24;
  // download-artifact v4-v6 node20, v7 node24; setup-uv v6 node20, v7 node24; codecov-action v5 composite.
  // GitHub forces Node 24 since June 2026 and removes Node 20 from runners on 16 September 2026 (changelog 2025-09-19).
  it('GHA011 follows the Node 24 migration', async () => {
    const steps = [
      '      - uses: actions/setup-python@v5', // node20: outdated
      '      - uses: actions/cache@v4', // node20: outdated
      '      - uses: actions/upload-artifact@v5', // still node20: outdated
      '      - uses: actions/download-artifact@v7', // node24: current
      '      - uses: astral-sh/setup-uv@v7', // node24: current
      '      - uses: codecov/codecov-action@v5', // composite: current
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8', // pinned SHA: cannot tell
      '      - uses: docker/build-push-action@v6', // node20: outdated
      '      - uses: google-github-actions/auth@v3', // node24: current
      '',
    ].join('\n');
    const text = wf(steps).replace('actions/checkout@v5', 'actions/checkout@v4');
    root = gitRepo({ ...PROJECT, '.github/workflows/ci.yml': text });
    const f = await checkFolder(root);
    assert.deepEqual(line(f, 'GHA011', text), ['v4', 'v5', 'v4', 'v5', 'v6']);
    const checkout = f.find((x) => x.code === 'GHA011' && /actions\/checkout/.test(x.message))!;
    assert.match(checkout.message, /v4 runs on Node 20, which GitHub runners no longer support\); use @v5/);
    assert.match(applyEdits(text, checkout.fixes![0].changes[0].edits), /actions\/checkout@v5\n/);
    assert.match(f.find((x) => x.code === 'GHA011' && /upload-artifact/.test(x.message))!.message, /use @v6/);
  });

  // Fact: GitHub parses workflows as YAML 1.2: a plain 3.10 is the float 3.1 and the action receives "3.1";
  // 20.10 becomes "20.1". Quoted strings, 3.11, 3.9 and expressions reach the action as written.
  it('GHA012 flags versions YAML reads as another number, on the exact item, with a quoting fix', async () => {
    const text = [
      'name: ci',
      'on: [push, pull_request]',
      'env:',
      '  PYTHON_VERSION: 3.10',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        python-version: [3.9, 3.10, 3.11, "3.12"]',
      '        os: [ubuntu-latest]',
      '        include:',
      "          - python-version: '3.10'",
      '            torch: 2.0',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '      - uses: actions/setup-python@v6',
      '        with:',
      '          python-version: ${{ matrix.python-version }}',
      '          cache: pip',
      '      - uses: actions/setup-node@v5',
      '        with:',
      '          node-version: 20.10',
      '      - run: pip install -r requirements/dev.txt -e .',
      '      - run: pytest',
      '  lint:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/setup-python@v6',
      '        with:',
      '          python-version: 3.10',
      '      - uses: actions/setup-python@v6',
      '        with:',
      "          python-version: '3.10'",
      '',
    ].join('\n');
    root = gitRepo({ ...PROJECT, '.github/workflows/ci.yml': text });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GHA012'), [
      '.github/workflows/ci.yml:4',
      '.github/workflows/ci.yml:10',
      '.github/workflows/ci.yml:14',
      '.github/workflows/ci.yml:23',
      '.github/workflows/ci.yml:31',
    ]);
    assert.deepEqual(line(f, 'GHA012', text), ['3.10', '3.10', '2.0', '20.10', '3.10']);
    const matrix = f.find((x) => x.code === 'GHA012' && x.range.start.line === 9)!;
    assert.match(matrix.message, /python-version: 3\.10 is read as the number 3\.1/);
    assert.match(applyEdits(text, matrix.fixes![0].changes[0].edits), /python-version: \[3\.9, "3\.10", 3\.11, "3\.12"\]/);
    assert.equal(fs.readFileSync(path.join(root, '.github/workflows/ci.yml'), 'utf8'), text);
  });
});
