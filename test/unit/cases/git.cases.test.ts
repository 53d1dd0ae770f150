import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleCases } from '../../support/ruleCases';
import { ccds, dtuTemplate } from './layouts';

/** A sparse file of `mb` megabytes (its real size, without writing the bytes). */
function sparse(root: string, rel: string, mb: number): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  const fd = fs.openSync(path.join(root, rel), 'w');
  fs.ftruncateSync(fd, mb * 1024 * 1024);
  fs.closeSync(fd);
}

const WANDB_RUN = 'wandb/run-20241105_101010-ab12cd34';

ruleCases('GIT001', {
  valid: [
    {
      name: 'ccds: models/ ignored, the checkpoint untracked; model code named model.py',
      git: true,
      files: ccds({ 'digits/modeling/model.py': 'class Model: ...\n' }),
      untracked: { 'models/model.pkl': Buffer.from([0x80, 4]) },
    },
    {
      name: 'a model tracked by DVC: the .dvc pointer is committed, the file ignored',
      git: true,
      files: dtuTemplate({
        'models/model.pth.dvc': 'outs:\n- md5: 0cc175b9c0f1b6a831c399e269772661\n  size: 1\n  hash: md5\n  path: model.pth\n',
        'models/.gitignore': '/model.pth\n',
      }),
      untracked: { 'models/model.pth': 'a' },
    },
  ],
  invalid: [
    {
      name: 'a committed checkpoint under models/',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '__pycache__/\n', 'models/model.pth': Buffer.from([0x50, 0x4b, 3, 4]) },
      errors: [{ file: 'models/model.pth', line: 1, column: 1, text: '', message: 'models/model.pth' }],
    },
  ],
});

ruleCases('GIT002', {
  valid: [
    { name: 'dtu template: /models/ ignored', git: true, files: dtuTemplate(), untracked: { 'models/model.pth': Buffer.from([0, 1]) } },
    { name: "a committed model is GIT001's, not GIT002's", git: true, files: { 'README.md': '# x\n', '.gitignore': '', 'model.onnx': Buffer.from([8, 1]) } },
  ],
  invalid: [
    {
      name: 'an untracked checkpoint not ignored (the .gitignore lacks a final newline): the fix appends /models/',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '__pycache__/' },
      untracked: { 'models/best.ckpt': Buffer.from([0, 1]) },
      errors: [{ file: 'models/best.ckpt', line: 1, message: 'models/best.ckpt' }],
      output: { '.gitignore': '__pycache__/\n/models/\n' },
    },
  ],
});

ruleCases('GIT003', {
  valid: [
    {
      name: 'ccds: data/ ignored, only .gitkeep files and a README committed there',
      git: true,
      files: ccds({ 'data/raw/.gitkeep': '', 'data/README.md': '# data\n', 'data/raw.dvc': 'outs:\n- path: raw\n' }),
      untracked: { 'data/raw/train.csv': 'a,b\n1,2\n' },
    },
    { name: 'a small CSV fixture under tests/', git: true, files: dtuTemplate({ 'tests/fixtures/labels.csv': 'a\n1\n' }) },
  ],
  invalid: [
    {
      name: 'committed data under data/ and a binary format anywhere',
      git: true,
      files: { 'README.md': '# x\n', 'data/raw/train.csv': 'a,b\n1,2\n', 'src/features.npy': Buffer.from([0x93, 0x4e, 0x55]) },
      errors: [
        { file: 'data/raw/train.csv', line: 1, message: 'data/raw/train.csv' },
        { file: 'src/features.npy', message: 'src/features.npy' },
      ],
    },
  ],
});

ruleCases('GIT004', {
  valid: [
    { name: 'ccds ignores /data/', git: true, files: ccds(), untracked: { 'data/raw/train.parquet': Buffer.from('PAR1') } },
    {
      name: 'data tracked with DVC: dvc add wrote data/.gitignore',
      git: true,
      files: dtuTemplate({
        '.gitignore': '__pycache__/\n',
        'data/.gitignore': '/raw\n',
        'data/raw.dvc': 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: raw\n',
      }),
      untracked: { 'data/raw/train.csv': 'a\n' },
    },
  ],
  invalid: [
    {
      name: 'untracked data not ignored: the fix ignores /data/',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '*.pyc\n' },
      untracked: { 'data/raw/train.parquet': Buffer.from('PAR1') },
      errors: [{ file: 'data/raw/train.parquet', message: 'data/raw/train.parquet' }],
      output: { '.gitignore': '*.pyc\n/data/\n' },
    },
  ],
});

ruleCases('GIT005', {
  valid: [
    {
      name: 'dtu template ignores /outputs/ and /wandb/',
      git: true,
      files: dtuTemplate(),
      untracked: { [`${WANDB_RUN}/files/config.yaml`]: 'lr: 1\n', 'outputs/2024-01-01/12-00-00/.hydra/config.yaml': 'a: 1\n' },
    },
    {
      name: 'a package named wandb and a config group named wandb are no run folders',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '', 'src/pkg/wandb/__init__.py': '', 'configs/wandb/default.yaml': 'project: x\n' },
    },
  ],
  invalid: [
    {
      name: 'wandb/ and mlruns/ not ignored: one fix adds both',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '__pycache__/\n\n' },
      untracked: { [`${WANDB_RUN}/files/config.yaml`]: 'x', 'mlruns/0/meta.yaml': 'name: Default\n' },
      errors: [
        { file: '.gitignore', line: 1, message: 'mlruns/' },
        { file: '.gitignore', line: 1, message: 'wandb/' },
      ],
      output: { '.gitignore': '__pycache__/\n\n/mlruns/\n/wandb/\n' },
    },
  ],
});

ruleCases('GIT006', {
  valid: [
    {
      name: 'run folders ignored and untracked',
      git: true,
      files: dtuTemplate(),
      untracked: { [`${WANDB_RUN}/files/wandb-metadata.json`]: '{"email": "a@b.c"}' },
    },
  ],
  invalid: [
    {
      name: 'a committed MLflow run: named by the file with a home path, without printing it',
      git: true,
      files: {
        'README.md': '# x\n',
        '.gitignore': '/mlruns/\n',
        'mlruns/0/0123456789abcdef0123456789abcdef/meta.yaml':
          'artifact_uri: file:///home/alice/proj/mlruns/0/0123456789abcdef0123456789abcdef/artifacts\nrun_id: 0123456789abcdef0123456789abcdef\n',
        'mlruns/0/0123456789abcdef0123456789abcdef/params/lr': '0.1',
      },
      errors: [{ file: 'mlruns/0/0123456789abcdef0123456789abcdef/meta.yaml', message: /2 files of mlruns\/ \(MLflow runs\) are committed.*absolute paths/ }],
    },
  ],
});

ruleCases('GIT007', {
  valid: [
    {
      name: 'a 49 MB file and an ignored 120 MB one',
      git: true,
      files: ccds(),
      setup: (root) => {
        sparse(root, 'reports/big.pdf', 49);
        sparse(root, 'data/raw/huge.bin', 120);
      },
    },
  ],
  invalid: [
    {
      name: 'an untracked 101 MB file (error) and a 60 MB one (warning)',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '' },
      setup: (root) => {
        sparse(root, 'big.bin', 101);
        sparse(root, 'mid.bin', 60);
      },
      errors: [
        { file: 'big.bin', severity: 'error', message: 'not ignored and would be committed; GitHub rejects' },
        { file: 'mid.bin', severity: 'warning' },
      ],
    },
  ],
});

ruleCases('GIT008', {
  valid: [
    {
      name: 'untracked bytecode, ignored by ccds',
      git: true,
      files: ccds(),
      untracked: { 'digits/__pycache__/config.cpython-311.pyc': 'x', '.DS_Store': 'x' },
    },
  ],
  invalid: [
    {
      name: 'committed bytecode and .DS_Store: one finding per kind; the fixes ignore both (two rounds, as check --fix)',
      git: true,
      files: { 'README.md': '# x\n', 'src/a/__pycache__/m.cpython-311.pyc': 'x', 'src/a/__pycache__/n.cpython-311.pyc': 'x', '.DS_Store': 'x' },
      errors: [{ file: '.DS_Store' }, { file: 'src/a/__pycache__/m.cpython-311.pyc', message: /^2 files of Python bytecode/ }],
      output: { '.gitignore': '.DS_Store\n__pycache__/\n' },
    },
  ],
});

ruleCases('GIT009', {
  valid: [
    { name: 'ccds has a .gitignore', git: true, files: ccds() },
    { name: 'a .gitignore without git', files: { 'README.md': '# x\n', '.gitignore': '' } },
  ],
  invalid: [
    {
      name: 'no .gitignore: on pyproject.toml, the fix creates one ignoring /data/',
      git: true,
      files: { 'README.md': '# x\n', 'pyproject.toml': '[project]\nname = "x"\n' },
      errors: [{ file: 'pyproject.toml', line: 1 }],
      output: {
        '.gitignore':
          '# Python\n__pycache__/\n*.py[cod]\n.venv/\n*.egg-info/\n.pytest_cache/\n.ruff_cache/\n\n# Data and models (version them with DVC)\n/data/\n/models/\n\n# Run artefacts\n/outputs/\n/multirun/\n/wandb/\n/mlruns/\n/lightning_logs/\n\n# Secrets\n.env\n',
      },
    },
  ],
});
