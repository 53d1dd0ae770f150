import { ruleCases } from '../../support/ruleCases';
import { ccds, dtuTemplate } from './layouts';

const GOOD = {
  'README.md': '# x\n',
  '.gitignore': '',
  'pyproject.toml': '[project]\nname = "digits"\n',
  'src/digits/__init__.py': '',
  'src/digits/train.py': 'def train(): ...\n',
  'tests/test_train.py': 'def test_train():\n    assert True\n',
};
const without = (files: Record<string, string>, ...names: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(files).filter(([k]) => !names.includes(k)));

ruleCases('PRJ001', {
  valid: [
    { name: 'ccds', files: ccds() },
    { name: 'README.rst', files: { ...without(GOOD, 'README.md'), 'README.rst': 'x\n=\n' } },
  ],
  invalid: [{ name: 'no README: on pyproject.toml', files: without(GOOD, 'README.md'), errors: [{ file: 'pyproject.toml', line: 1 }] }],
});

ruleCases('PRJ002', {
  valid: [
    { name: 'the DTU template has tests/', files: dtuTemplate() },
    { name: 'a docs-only repository is no Python project', files: { 'README.md': '# docs only\n', 'docs/index.md': '# x\n' } },
  ],
  invalid: [{ name: 'a package without tests', files: without(GOOD, 'tests/test_train.py'), errors: [{ file: 'pyproject.toml', line: 1 }] }],
});

ruleCases('PRJ003', {
  valid: [
    { name: 'the DTU template’s tests', files: dtuTemplate() },
    { name: 'a test class and test functions', files: { ...GOOD, 'tests/test_model.py': 'class TestModel:\n    def test_shape(self):\n        assert 1\n' } },
  ],
  invalid: [
    { name: 'a test file with imports only', files: { ...GOOD, 'tests/test_data.py': 'import torch\n' }, errors: [{ file: 'tests/test_data.py', line: 1 }] },
  ],
});

ruleCases('PRJ004', {
  valid: [
    { name: 'ccds: the module folder is a package', files: ccds() },
    {
      name: "a package under src/ with a hyphen still counts as a package (PRJ005's)",
      files: { 'README.md': '# x\n', 'train.py': 'x=1\n', 'src/My-Project/__init__.py': '', 'tests/test_a.py': 'def test_a(): pass\n' },
    },
  ],
  invalid: [
    {
      name: 'loose scripts only',
      files: {
        'README.md': '# x\n',
        '.gitignore': '',
        'requirements.txt': 'torch==2.5.1\n',
        'train.py': 'x=1\n',
        'model.py': 'y=2\n',
        'tests/test_a.py': 'def test_a(): pass\n',
      },
      errors: [{ file: 'README.md', line: 1 }],
    },
  ],
});

ruleCases('PRJ005', {
  valid: [
    { name: 'the DTU template: src/mnist_classifier/', files: dtuTemplate() },
    {
      name: 'a mixed-case identifier (src/FishClassifier/, a course project)',
      files: { ...GOOD, 'src/FishClassifier/__init__.py': '', 'src/FishClassifier/model.py': 'x = 1\n' },
    },
  ],
  invalid: [
    {
      name: 'names that are no identifier or a keyword',
      files: { ...GOOD, 'src/my-package/__init__.py': '', 'src/2fast/__init__.py': '', 'src/class/__init__.py': '' },
      errors: [
        { file: 'src/2fast/__init__.py' },
        { file: 'src/class/__init__.py', message: 'keyword' },
        { file: 'src/my-package/__init__.py', message: "rename it to 'my_package'" },
      ],
    },
  ],
});

ruleCases('PRJ006', {
  valid: [
    { name: 'the DTU template: requirements.txt', files: dtuTemplate() },
    {
      name: 'requirements/base.txt',
      files: {
        'README.md': '# x\n',
        'requirements/base.txt': 'torch==2.5.1\n',
        'src/p/__init__.py': '',
        'src/p/a.py': '',
        'tests/test_a.py': 'def test_a(): pass\n',
      },
    },
  ],
  invalid: [
    {
      name: 'no dependency file anywhere: on README.md',
      files: { 'README.md': '# x\n', '.gitignore': '', 'src/p/__init__.py': '', 'tests/test_a.py': 'def test_a(): pass\n' },
      errors: [{ file: 'README.md', line: 1 }],
    },
  ],
});
