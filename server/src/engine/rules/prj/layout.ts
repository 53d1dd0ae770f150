import { posix } from 'node:path';
import { defineFileRule, defineRepoRule, type RepoContext } from '../../rule';
import { dependencySourcesOf } from '../../python/projectDependencies';
import { isModuleName, PYTHON_KEYWORDS } from '../../python/identifiers';
import { definesTests, isCollectedTestFile, testFilesOf } from '../../python/testFiles';

/** Python files of the project itself (not run copies, not virtual environments). */
export function projectPythonFiles(ctx: RepoContext): string[] {
  return ctx.memo('prj:python-files', () => [...ctx.ws.paths()].filter((p) => p.endsWith('.py') && !ctx.settings.isRunArtefact(p)).sort());
}

export const noReadme = defineRepoRule({
  code: 'PRJ001',
  name: 'no-readme',
  severity: 'warning',
  title: 'No README',
  doc: {
    what: 'The project has no README (`README.md`, `README.rst` or `README.txt`) at its root.',
    why: 'A README says what the project does and how to install, train and test it: without one nobody (including you in six months) can reproduce a result.',
    example: '$ ls\npyproject.toml  src/  tests/\n',
    fix: "Write a README.md with the project's goal, how to set it up, how to get the data, how to train and how to run the tests.",
  },
  check(ctx) {
    if (['README.md', 'README.rst', 'README.txt', 'README', 'readme.md', 'Readme.md'].some((f) => ctx.ws.exists(f))) return;
    const at = ctx.anchor();
    if (at) ctx.report({ ...at, message: 'The project has no README.md: say what it does and how to install, train and test it' });
  },
});

export const noTests = defineRepoRule({
  code: 'PRJ002',
  name: 'no-tests',
  severity: 'warning',
  title: 'No tests',
  doc: {
    what: "A Python project has no test files: none that pytest would collect (`test_*.py` or `*_test.py`, or the `python_files` and `testpaths` of the pytest configuration in pytest.ini, pyproject.toml, tox.ini or setup.cfg). A script the project runs with `python` (cookiecutter-data-science's `test_environment.py`, run by its Makefile) is not a test file.",
    why: 'Untested data loading and model code breaks silently: shapes, normalisation, a changed API. Tests that run in CI catch it before a training run wastes hours.',
    example: '$ find . -name "test_*.py"\n$\n',
    fix: 'Add `tests/test_data.py` and `tests/test_model.py` with pytest functions (`def test_...`), e.g. that the dataset has the expected length and the model output shape is right.',
  },
  check(ctx) {
    const py = projectPythonFiles(ctx);
    if (!py.length || testFilesOf(ctx).size) return;
    const at = ctx.anchor('pyproject.toml', 'README.md');
    if (at)
      ctx.report({
        ...at,
        message: `The project has ${py.length} Python file${py.length === 1 ? '' : 's'} and no tests (no test_*.py); add a tests/ folder with pytest tests`,
      });
  },
});

export const testFileWithoutTests = defineFileRule({
  code: 'PRJ003',
  name: 'test-file-without-tests',
  severity: 'warning',
  title: 'Test file without tests',
  doc: {
    what: 'A file pytest collects (`test_*.py`, `*_test.py` or the configured `python_files`, under `testpaths`) defines no test: no `def test_...` function and no `class Test...`. A root-level script the project runs with `python` from a Makefile, tasks.py or a workflow (`python test_environment.py`) is not a test file.',
    why: 'pytest collects nothing from it, so it looks like coverage while testing nothing. The course template ships such empty files; they are meant to be filled.',
    example: '# tests/test_model.py\nimport torch\n',
    fix: 'Write at least one `def test_...():` with an assertion, or delete the file.',
  },
  appliesTo: (rel) => rel.endsWith('.py'),
  check(ctx) {
    if (!isCollectedTestFile(ctx, ctx.file)) return;
    const r = ctx.text();
    if (!r.ok || definesTests(r.text)) return;
    ctx.report({ message: `${ctx.file} defines no test (no 'def test_...' and no 'class Test...'); pytest collects nothing from it` });
  },
});

export const noSourcePackage = defineRepoRule({
  code: 'PRJ004',
  name: 'no-source-package',
  severity: 'info',
  title: 'Python code not in a package',
  doc: {
    what: 'The project has Python files but none of them is in a package (no `__init__.py` outside tests), as in `src/<project_name>/`.',
    why: 'Loose scripts import each other through the working directory: they break when run from another folder, in tests and in Docker. A package installed with `pip install -e .` imports the same way everywhere.',
    example: '$ ls\ntrain.py  model.py  data.py\n',
    fix: 'Move the code to `src/<project_name>/` with an `__init__.py`, declare it in pyproject.toml, install it with `pip install -e .`.',
  },
  check(ctx) {
    const tests = testFilesOf(ctx);
    const py = projectPythonFiles(ctx).filter(
      (p) =>
        !tests.has(p) &&
        !/(^|\/)(tests?|docs|notebooks|scripts)\//.test(p) &&
        posix.basename(p) !== 'conftest.py' &&
        posix.basename(p) !== 'setup.py' &&
        posix.basename(p) !== 'tasks.py' &&
        posix.basename(p) !== 'noxfile.py',
    );
    if (py.length < 2) return; // a single script is a script, not a project
    if (projectPythonFiles(ctx).some((p) => posix.basename(p) === '__init__.py' && !/(^|\/)tests?\//.test(p))) return;
    const at = ctx.anchor('pyproject.toml', 'README.md');
    if (at)
      ctx.report({
        ...at,
        message: `${py.length} Python files (${py.slice(0, 3).join(', ')}${py.length > 3 ? ', ...' : ''}) are not in a package; move them to src/<project_name>/ with an __init__.py`,
      });
  },
});

export const packageNameInvalid = defineRepoRule({
  code: 'PRJ005',
  name: 'package-name-invalid',
  severity: 'warning',
  title: 'Package folder name is not importable',
  doc: {
    what: 'A folder under `src/` holds Python files but its name cannot be imported: it is not a Python identifier (a hyphen, a dot, a leading digit: `src/my-project/`, `src/2fast/`) or it is a keyword (`src/class/`). Mixed case (`src/FishClassifier/`) imports fine and is not reported.',
    why: 'Python cannot `import my-project` (or `import class`): the package only works through path hacks, and tools disagree on its name.',
    example: 'src/mnist-classifier/__init__.py\n',
    fix: 'Rename the folder to an identifier, by convention lower case (`src/mnist_classifier/`), and update the imports and pyproject.toml.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const p of projectPythonFiles(ctx)) {
      const m = /^src\/([^/]+)\/[^/]+\.py$/.exec(p);
      if (!m || seen.has(m[1])) continue;
      seen.add(m[1]);
      if (isModuleName(m[1])) continue;
      const why = PYTHON_KEYWORDS.has(m[1]) ? ' (a Python keyword)' : '';
      const to = m[1]
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .replace(/^(\d)/, '_$1');
      ctx.report({ file: p, message: `src/${m[1]}/ is not an importable package name${why}; rename it to '${PYTHON_KEYWORDS.has(to) ? to + '_' : to}'` });
    }
  },
});

export const noDependencyFile = defineRepoRule({
  code: 'PRJ006',
  name: 'no-dependency-file',
  severity: 'warning',
  title: 'Dependencies not declared',
  doc: {
    what: 'A Python project has no file that declares its dependencies, in any folder: no `requirements*.txt` (`src/requirements.txt` and `api/requirements.txt` count), no `pyproject.toml` with `[project]`, `[build-system]` or Poetry tables (one with tool settings only declares nothing), no `setup.py`, `setup.cfg` with `[options]`, `environment.yml`, MLflow `python_env.yaml` or `Pipfile`, and no file that a Dockerfile or a workflow installs with `pip install -r`.',
    why: 'Nobody can recreate the environment the results came from, neither a colleague nor CI nor a Docker build.',
    example: '$ ls\nsrc/  tests/  README.md\n',
    fix: 'Declare the dependencies with versions in `pyproject.toml` (`[project] dependencies`) or `requirements.txt`, e.g. with `uv add` or `pip freeze`.',
  },
  check(ctx) {
    const py = projectPythonFiles(ctx);
    if (py.length < 2) return;
    if (dependencySourcesOf(ctx).files.length) return;
    const at = ctx.anchor('README.md');
    if (at)
      ctx.report({
        ...at,
        message:
          "No file declares the project's dependencies (requirements*.txt, pyproject.toml [project], setup.py, environment.yml, or a file a Dockerfile or workflow installs with `pip install -r`); the environment cannot be recreated",
      });
  },
});
