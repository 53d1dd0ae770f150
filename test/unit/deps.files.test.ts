import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';
import { dependencyFiles } from '../../server/src/engine/python/projectDependencies';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * One answer to "which dependency files does this project have", used by PRJ006, the DEP rules, HYD015 and DVC062.
 * Layouts from the realistic corpus: dvc-get-started keeps its requirements in src/requirements.txt; the Cloud Run API
 * keeps them in api/requirements.txt, which its Dockerfile copies and installs (`pip install -r api/requirements.txt`).
 */
describe('dependency files of a project', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('finds requirements anywhere, -r includes, Dockerfile and workflow installs, manifests; not run copies or environments', async () => {
    root = gitRepo({
      'src/requirements.txt': 'dvc[s3]>=3.0\n-r ../deps/base.pip\n',
      'deps/base.pip': 'pandas==2.2.0\n',
      // pip resolves /tmp/prod.txt inside the image: it is the context's docker/prod.lst (COPY follows)
      Dockerfile: 'FROM python:3.11-slim\nWORKDIR /app\nCOPY docker/prod.lst /tmp/prod.txt\nRUN pip install --no-cache-dir -r /tmp/prod.txt\nCOPY . .\n',
      'docker/prod.lst': 'fastapi==0.110.0\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          python -m pip install -r ci/tools.pip\n          pytest\n',
      'ci/tools.pip': 'pytest==8.1.1\n',
      'envs/conda.yaml': 'dependencies:\n  - python=3.11\n',
      'pyproject.toml': '[tool.ruff]\nline-length = 120\n', // configuration only: declares nothing
      'svc/pyproject.toml': '[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["httpx==0.27.0"]\n',
      'wandb/run-20240101_120000-abc123/files/requirements.txt': 'torch==2.1.0\n',
      'wandb/run-20240101_120000-abc123/files/wandb-metadata.json': '{}\n',
      'wandb/run-20240101_120000-abc123/files/config.yaml': 'a: 1\n',
      '.venv/lib/requirements.txt': 'x\n',
      'src/train.py': 'import pandas\n',
    });
    const ws = await Workspace.load(root);
    const files = dependencyFiles(ws)
      .map((f) => `${f.file}:${f.kind}:${f.via}${f.from ? '<' + f.from.file : ''}`)
      .sort();
    assert.deepEqual(files, [
      'ci/tools.pip:requirements:workflow<.github/workflows/ci.yml',
      'deps/base.pip:requirements:include<src/requirements.txt',
      'docker/prod.lst:requirements:dockerfile<Dockerfile',
      'envs/conda.yaml:conda:name',
      'src/requirements.txt:requirements:name',
      'svc/pyproject.toml:pyproject:name',
    ]);
  });

  it('PRJ006 does not fire on the dvc-get-started layout (src/requirements.txt)', async () => {
    root = gitRepo({
      'README.md': '# get started\n',
      'dvc.yaml': 'stages:\n  prepare:\n    cmd: python src/prepare.py\n',
      'src/prepare.py': 'import pandas\n',
      'src/train.py': 'import sklearn\n',
      'src/requirements.txt': 'pandas\nscikit-learn>=1.3\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'PRJ006'), []);
  });

  it('PRJ006 does not fire when the Dockerfile installs api/requirements.txt (the Cloud Run layout)', async () => {
    root = gitRepo({
      'README.md': '# api\n',
      Dockerfile: 'FROM python:3.11-slim\nWORKDIR /app\nCOPY api/deps.txt api/deps.txt\nRUN pip install --no-cache-dir -r api/deps.txt\nCOPY . .\n',
      'api/__init__.py': '',
      'api/main.py': 'import fastapi\n',
      'api/deps.txt': 'fastapi==0.110.0\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'PRJ006'), []);
  });

  it('PRJ006 fires when nothing declares dependencies: a pyproject.toml with tool settings only is no declaration', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': '[tool.black]\nline-length = 100\n',
      'train.py': 'import torch\n',
      'model.py': 'import torch\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'PRJ006'), ['README.md:1']);
    assert.doesNotMatch(f.find((x) => x.code === 'PRJ006')!.message, /No pyproject\.toml/, 'there is a pyproject.toml: the message must not deny it');
  });

  it('HYD015 and DVC062 read src/requirements.txt like DEP004 does', async () => {
    const files = {
      'README.md': '# x\n',
      '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n',
      'src/train.py': 'import hydra\n@hydra.main(config_path="../conf", config_name="config", version_base=None)\ndef main(cfg):\n    pass\n',
      'conf/config.yaml': 'model:\n  _target_: torch.optim.Adam\n',
    };
    root = gitRepo({ ...files, 'src/requirements.txt': 'hydra-core==1.3.2\ntorch==2.5.1\ndvc[s3]==3.50.0\n' });
    const ok = await checkFolder(root);
    assert.deepEqual(where(ok, 'HYD015'), []);
    assert.deepEqual(where(ok, 'DVC062'), []);
    rmrf(root);
    root = gitRepo({ ...files, 'src/requirements.txt': 'hydra-core==1.3.2\ndvc==3.50.0\n' });
    const bad = await checkFolder(root);
    assert.deepEqual(where(bad, 'HYD015'), ['conf/config.yaml:2'], 'torch is in no dependency file');
    assert.deepEqual(where(bad, 'DVC062'), ['.dvc/config:4'], 'dvc-s3 is in no dependency file');
  });
});

/**
 * DEP001 and DEP002 read every requirements file of that answer, also one a Dockerfile or workflow installs under
 * another name (`pip install -r docker/prod-deps.txt`, `-r ci/tools.pip`); a text file nothing installs is no
 * requirements file, whatever it holds.
 */
describe('DEP001/DEP002 on requirements files found by what installs them', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fire in files a Dockerfile or workflow installs; not in other text files', async () => {
    root = gitRepo({
      'README.md': '# api\n',
      Dockerfile: 'FROM python:3.11-slim\nWORKDIR /app\nCOPY docker/prod-deps.txt /tmp/reqs.txt\nRUN pip install --no-cache-dir -r /tmp/reqs.txt\nCOPY . .\n',
      'docker/prod-deps.txt': 'fastapi==0.110.0\nuvicorn\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install -r ci/tools.pip && pytest\n',
      'ci/tools.pip': '-r ../lint/missing.txt\npytest==8.1.1\n',
      'notes.txt': 'pandas\nnumpy\n',
      'api/main.py': 'import fastapi\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP001'), ['docker/prod-deps.txt:2']);
    assert.deepEqual(where(f, 'DEP002'), ['ci/tools.pip:1']);
  });
});
