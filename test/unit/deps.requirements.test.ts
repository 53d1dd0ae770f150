import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';
import { parseRequirementsText } from '../../server/src/engine/python/dependencies';
import { declaredDependencies } from '../../server/src/engine/python/projectDependencies';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

describe('requirements parsing', () => {
  it('reads includes, markers, extras, URLs, editables, hashes and continuations', () => {
    const lines = parseRequirementsText(
      [
        '# comment',
        '-r base.txt',
        '--constraint=constraints.txt',
        'torch==2.5.1 \\',
        '    --hash=sha256:abc',
        'hydra-core[colorlog]>=1.3 ; python_version >= "3.10"  # why',
        'my-lib @ git+https://github.com/x/my-lib.git@v1',
        'git+https://github.com/x/other.git#egg=other_pkg',
        '-e .',
        '--extra-index-url https://download.pytorch.org/whl/cpu',
        'numpy',
      ].join('\n'),
    );
    const summary = lines.map((l) => `${l.kind}:${l.name ?? l.target ?? l.url ?? ''}:${l.req?.specifier ?? ''}:${l.line}`);
    assert.deepEqual(summary, [
      'include:base.txt::1',
      'constraint:constraints.txt::2',
      'requirement:torch:==2.5.1:3',
      'requirement:hydra-core:>=1.3:5',
      'direct:my-lib::6',
      'direct:other-pkg::7',
      'editable:.::8',
      'option:::9',
      'requirement:numpy::10',
    ]);
    assert.deepEqual(lines[2].hashes, ['sha256:abc']);
    assert.deepEqual(lines[3].req!.extras, ['colorlog']);
    assert.equal(lines[3].req!.marker, 'python_version >= "3.10"');
    assert.deepEqual(lines[3].range, { start: { line: 5, character: 0 }, end: { line: 5, character: 25 } });
  });

  it('declaredDependencies follows -r includes (with a cycle) and pyproject dynamic files', async () => {
    const root = gitRepo({
      'requirements.txt': '-r requirements/base.txt\nwandb==0.18.0\n',
      'requirements/base.txt': '-r ../requirements.txt\ntorch==2.5.1\n',
      'requirements_dev.txt': 'pytest==8.3.3\n',
      'pyproject.toml':
        '[project]\nname = "x"\nversion = "0.1"\ndynamic = ["dependencies", "optional-dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = ["deps/main.txt"]}\noptional-dependencies = {dev = {file = ["deps/dev.txt"]}}\n',
      'deps/main.txt': 'dvc-gs==3.0.1\n',
      'deps/dev.txt': 'ruff==0.7.0\n',
    });
    try {
      const ws = await Workspace.load(root);
      const deps = declaredDependencies(ws)
        .map((d) => `${d.name}@${d.file}:${d.group}`)
        .sort();
      assert.deepEqual(deps, [
        'dvc-gs@deps/main.txt:main',
        'pytest@requirements_dev.txt:dev',
        'ruff@deps/dev.txt:dev',
        'torch@requirements/base.txt:main',
        'wandb@requirements.txt:main',
      ]);
    } finally {
      rmrf(root);
    }
  });
});

describe('DEP001 unpinned requirement', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fires on bare names in requirements files and pyproject without a lock, on the exact requirement', async () => {
    root = gitRepo({
      'requirements.txt': 'torch==2.5.1\nnumpy\nhydra-core[colorlog] ; python_version>"3.9"\n',
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1"\ndependencies = [\n  "wandb",\n  "torch>=2",\n]\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP001'), ['pyproject.toml:5', 'requirements.txt:2', 'requirements.txt:3']);
    const hydra = f.find((x) => x.code === 'DEP001' && x.range.start.line === 2)!;
    assert.deepEqual(hydra.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 20 } });
    assert.equal(hydra.severity, 'warning');
    const wandb = f.find((x) => x.code === 'DEP001' && x.file === 'pyproject.toml')!;
    assert.deepEqual(wandb.range, { start: { line: 4, character: 3 }, end: { line: 4, character: 8 } });
  });

  it('does not fire on pinned, constrained, URL, pip-tools .in or locked requirements; severity is configurable', async () => {
    root = gitRepo({
      'requirements.txt': '-c constraints.txt\ntorch==2.5.1\nnumpy\ngit+https://github.com/x/y.git#egg=y\n-e .\n',
      'constraints.txt': 'numpy==2.1.0\n',
      'requirements-dev.in': 'pytest\n',
      'requirements-dev.txt': 'pytest==8.3.3\n',
      'pyproject.toml': '[project]\nname = "x"\nversion = "0.1"\ndependencies = ["wandb"]\n[tool.mlops-hygiene]\nunpinned-severity = "info"\n',
      'uv.lock': 'version = 1\n',
      'sub/requirements.txt': 'pandas\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP001'), ['sub/requirements.txt:1']);
    assert.equal(f.find((x) => x.code === 'DEP001')!.severity, 'info');
  });
});

describe('DEP002 requirements file missing', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fires on a -r include and a dynamic dependency file that do not exist', async () => {
    root = gitRepo({
      'requirements_dev.txt': '-r requirements.txt\npytest==8.3.3\n',
      'pyproject.toml':
        '[project]\nname = "x"\nversion = "0.1"\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = ["requirement.txt"]}\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP002'), ['pyproject.toml:6', 'requirements_dev.txt:1']);
    const inc = f.find((x) => x.code === 'DEP002' && x.file === 'requirements_dev.txt')!;
    assert.deepEqual(inc.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 19 } });
  });

  it('does not fire when includes resolve relative to the including file', async () => {
    root = gitRepo({
      'requirements/dev.txt': '-r base.txt\npytest==8.3.3\n',
      'requirements/base.txt': 'torch==2.5.1\n',
      'pyproject.toml':
        '[project]\nname = "x"\nversion = "0.1"\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = ["requirements/base.txt"]}\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP002'), []);
  });
});
