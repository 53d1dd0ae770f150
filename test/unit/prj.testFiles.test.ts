import * as assert from 'node:assert/strict';
import { Engine, Workspace } from '../../server/src/engine';
import { testFileWithoutTests } from '../../server/src/engine/rules/prj/layout';
import { collectedTestFiles } from '../../server/src/engine/python/testFiles';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * One answer to "which files does pytest collect", for PRJ002, PRJ003, PRJ004 and GHA001.
 * Facts: cookiecutter-data-science ships a root-level test_environment.py, a Python-version check with a `main()` that
 * its Makefile runs as `$(PYTHON_INTERPRETER) test_environment.py` (target `test_environment`); it defines no test.
 * pytest reads `testpaths` and `python_files` from the first of pytest.ini, pyproject.toml ([tool.pytest.ini_options]),
 * tox.ini ([pytest]) and setup.cfg ([tool:pytest]) that has them; python_files defaults to `test_*.py *_test.py`, and
 * without testpaths pytest collects from the root folder.
 */
const ENV_CHECK =
  'import sys\n\n\ndef main():\n    if sys.version_info.major != 3:\n        raise TypeError("This project requires Python 3")\n    print(">>> Development environment passes all tests!")\n\n\nif __name__ == "__main__":\n    main()\n';
const COOKIECUTTER = {
  'README.md': '# fish\n',
  'requirements.txt': 'torch==2.5.1\n',
  Makefile: 'PYTHON_INTERPRETER = python3\n\n## Test python environment is setup correctly\ntest_environment:\n\t$(PYTHON_INTERPRETER) test_environment.py\n',
  'test_environment.py': ENV_CHECK,
  'src/fish/__init__.py': '',
  'src/fish/model.py': 'x = 1\n',
};

describe('test files pytest collects', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a root-level version check that the Makefile runs as a script is no test file (PRJ003, PRJ002, GHA001)', async () => {
    root = gitRepo({
      ...COOKIECUTTER,
      '.github/workflows/lint.yml': 'on: push\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python test_environment.py\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRJ003'), []);
    assert.deepEqual(where(f, 'GHA001'), [], 'no test file: nothing for CI to run');
    assert.deepEqual(where(f, 'PRJ002'), ['README.md:1'], 'the project has no tests');
  });

  it('still reports an empty tests/test_*.py and tests no workflow runs', async () => {
    root = gitRepo({
      ...COOKIECUTTER,
      'tests/test_data.py': 'import torch\n',
      'tests/test_model.py': 'def test_shape():\n    assert True\n',
      '.github/workflows/lint.yml': 'on: push\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRJ003'), ['tests/test_data.py:1']);
    assert.deepEqual(where(f, 'GHA001'), ['.github/workflows/lint.yml:1']);
    assert.match(f.find((x) => x.code === 'GHA001')!.message, /^2 test files \(e\.g\. tests\/test_data\.py\)/);
  });

  it('honours testpaths and python_files from pyproject.toml, pytest.ini, tox.ini and setup.cfg', async () => {
    const files = {
      'tests/check_model.py': 'def test_shape():\n    assert True\n',
      'tests/check_empty.py': 'import os\n',
      'tests/test_old.py': 'import os\n', // not collected with python_files = check_*.py
      'scripts/check_upload.py': 'print("upload")\n', // outside testpaths
    };
    const configs: Record<string, string> = {
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\npython_files = ["check_*.py"]\n',
      'pytest.ini': '[pytest]\ntestpaths = tests\npython_files = check_*.py\n',
      'tox.ini': '[tox]\nenvlist = py311\n\n[pytest]\ntestpaths =\n    tests\npython_files = check_*.py\n',
      'setup.cfg': '[metadata]\nname = x\n\n[tool:pytest]\ntestpaths = tests\npython_files = check_*.py\n',
    };
    for (const [cfg, text] of Object.entries(configs)) {
      root = gitRepo({ ...files, [cfg]: text, 'requirements.txt': 'pytest==8.3.3\n' });
      const ws = await Workspace.load(root);
      assert.deepEqual(collectedTestFiles(ws).sort(), ['tests/check_empty.py', 'tests/check_model.py'], cfg);
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'PRJ003'), ['tests/check_empty.py:1'], cfg);
      rmrf(root);
    }
    root = '';
  });

  it('a Makefile edit re-checks the test candidates, not every Python file (PRJ003 asks the name first)', async () => {
    root = gitRepo({ ...COOKIECUTTER, 'tests/test_model.py': 'def test_shape():\n    assert True\n' });
    const ws = await Workspace.load(root);
    const engine = new Engine(ws, [testFileWithoutTests]);
    assert.deepEqual(
      engine.checkAll().map((f) => f.file),
      [],
    );
    ws.setOverlay('Makefile', 'test:\n\tpytest\n'); // test_environment.py is no longer run as a script
    const touched = engine.update(['Makefile'], false, 'edit');
    assert.ok(touched.has('test_environment.py'), [...touched].join(', '));
    assert.ok(!touched.has('src/fish/model.py'), `a module that is no test candidate was re-checked: ${[...touched].join(', ')}`);
    assert.deepEqual(
      engine.findingsFor('test_environment.py').map((f) => f.code),
      ['PRJ003'],
    );
  });
});
