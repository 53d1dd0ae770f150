import * as assert from 'node:assert/strict';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const GOOD = {
  'README.md': '# x\n',
  '.gitignore': '',
  'pyproject.toml': '[project]\nname = "digits"\n',
  'src/digits/__init__.py': '',
  'src/digits/train.py': 'def train(): ...\n',
  'tests/test_train.py': 'def test_train():\n    assert True\n',
};

describe('PRJ rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('do not fire on the course layout', async () => {
    root = gitRepo(GOOD);
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.code.startsWith('PRJ')).map((x) => x.code),
      [],
    );
  });

  it('PRJ001 no README, attached to pyproject.toml', async () => {
    const { 'README.md': _, ...rest } = GOOD;
    root = gitRepo(rest);
    assert.deepEqual(where(await checkFolder(root), 'PRJ001'), ['pyproject.toml:1']);
  });

  it('PRJ002 no tests, only for Python projects', async () => {
    const { 'tests/test_train.py': _, ...rest } = GOOD;
    root = gitRepo(rest);
    assert.deepEqual(where(await checkFolder(root), 'PRJ002'), ['pyproject.toml:1']);
    rmrf(root);
    root = gitRepo({ 'README.md': '# docs only\n', 'docs/index.md': '# x\n' });
    assert.deepEqual(where(await checkFolder(root), 'PRJ002'), []);
  });

  it('PRJ003 empty test file; a file with a test class passes', async () => {
    root = gitRepo({
      ...GOOD,
      'tests/test_data.py': 'import torch\n',
      'tests/test_model.py': 'class TestModel:\n    def test_shape(self):\n        assert 1\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'PRJ003'), ['tests/test_data.py:1']);
  });

  it('PRJ004 loose scripts; PRJ005 bad package name; PRJ006 no dependency file', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      '.gitignore': '',
      'train.py': 'x=1\n',
      'model.py': 'y=2\n',
      'src/My-Project/__init__.py': '',
      'tests/test_a.py': 'def test_a(): pass\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRJ004'), []); // src/My-Project has an __init__.py: there is a package
    assert.deepEqual(where(f, 'PRJ005'), ['src/My-Project/__init__.py:1']);
    assert.match(f.find((x) => x.code === 'PRJ005')!.message, /rename it to 'my_project'/);
    assert.deepEqual(where(f, 'PRJ006'), ['README.md:1']);
    rmrf(root);
    root = gitRepo({
      'README.md': '# x\n',
      '.gitignore': '',
      'requirements.txt': 'torch==2.5.1\n',
      'train.py': 'x=1\n',
      'model.py': 'y=2\n',
      'tests/test_a.py': 'def test_a(): pass\n',
    });
    const g = await checkFolder(root);
    assert.deepEqual(where(g, 'PRJ004'), ['README.md:1']);
    assert.deepEqual(where(g, 'PRJ006'), []);
    rmrf(root);
    root = gitRepo({
      'README.md': '# x\n',
      'requirements/base.txt': 'torch==2.5.1\n',
      'src/p/__init__.py': '',
      'src/p/a.py': '',
      'tests/test_a.py': 'def test_a(): pass\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'PRJ006'), [], 'requirements/base.txt declares dependencies');
  });
});

/**
 * PRJ005 asks Python's own question: is the folder name an identifier that is not a keyword? The course project's
 * src/FishClassifier/ imports fine (`import FishClassifier`; PEP 8 prefers lower case, the language does not care);
 * `src/my-package/`, `src/2fast/` and `src/class/` cannot be imported at all.
 */
describe('PRJ005 importable package names', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('does not fire on a mixed-case identifier (src/FishClassifier/, the course layout)', async () => {
    root = gitRepo({ ...GOOD, 'src/FishClassifier/__init__.py': '', 'src/FishClassifier/model.py': 'x = 1\n' });
    assert.deepEqual(where(await checkFolder(root), 'PRJ005'), []);
  });

  it('fires on names that are no identifier or a keyword', async () => {
    root = gitRepo({ ...GOOD, 'src/my-package/__init__.py': '', 'src/2fast/__init__.py': '', 'src/class/__init__.py': '' });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRJ005').sort(), ['src/2fast/__init__.py:1', 'src/class/__init__.py:1', 'src/my-package/__init__.py:1']);
    assert.match(f.find((x) => x.code === 'PRJ005' && x.file.startsWith('src/my-package'))!.message, /rename it to 'my_package'/);
    assert.match(f.find((x) => x.code === 'PRJ005' && x.file.startsWith('src/class'))!.message, /keyword/);
  });
});
