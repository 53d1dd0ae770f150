import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dirManifest, hashBytes, type DirEntry } from '../../server/src/engine/dvc/data/hashing';
import { git, gitRepo, writeTree } from './tmp';

/**
 * Puts objects into a DVC cache the way `dvc add`/`dvc commit` would: DVC 3 layout `files/md5/ab/cdef...` (or the DVC 2
 * layout with `legacy`), read-only files. Returns the object id.
 */
export function cacheFile(cacheDir: string, content: string | Buffer, legacy = false): string {
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  const oid = hashBytes(buf, legacy ? 'md5-dos2unix' : 'md5');
  writeObject(cacheDir, oid, buf, legacy);
  return oid;
}

/** Caches a directory's files and its `.dir` manifest; returns the `.dir` id. */
export function cacheDir(cacheDirPath: string, files: Record<string, string>): string {
  const entries: DirEntry[] = Object.entries(files).map(([relpath, content]) => ({ relpath, md5: cacheFile(cacheDirPath, content) }));
  const manifest = dirManifest(entries);
  const oid = hashBytes(Buffer.from(manifest)) + '.dir';
  writeObject(cacheDirPath, oid, Buffer.from(manifest), false);
  return oid;
}

function writeObject(cacheDirPath: string, oid: string, buf: Buffer, legacy: boolean): void {
  const p = legacy ? path.join(cacheDirPath, oid.slice(0, 2), oid.slice(2)) : path.join(cacheDirPath, 'files', 'md5', oid.slice(0, 2), oid.slice(2));
  fs.mkdirSync(path.dirname(p), { recursive: true });
  if (fs.existsSync(p)) return;
  fs.writeFileSync(p, buf, { mode: 0o444 });
}

/**
 * A DVC project as `dvc add` and `dvc repro` leave it: .dvc files and dvc.lock committed to git, the data ignored, the
 * objects in .dvc/cache. Everything is in sync until a test changes something.
 */
export function dvcProject(): string {
  const root = gitRepo(
    {
      '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n',
      '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
      '.gitignore': '/data\n/raw.csv\n/model.bin\n/gone.txt\n',
      'data.dvc': 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: data\n',
      // DVC 2 entry: no `hash: md5`, the CRLF text hashed with md5-dos2unix
      'raw.csv.dvc': 'outs:\n- md5: e5ebd4c02cefbe7955977c67ada242b7\n  size: 10\n  path: raw.csv\n',
      'gone.txt.dvc': 'outs:\n- md5: d3b07384d113edec49eaa6238ad5ff00\n  size: 4\n  hash: md5\n  path: gone.txt\n',
      'params.yaml': 'train:\n  lr: 0.1\n  epochs: 3\n',
      'train.py': 'print("train")\n',
      'dvc.yaml':
        'stages:\n  train:\n    cmd: python train.py\n    deps: [data, train.py]\n    params: [train.lr]\n    outs: [model.bin]\n  evaluate:\n    cmd: python eval.py\n    deps: [model.bin]\n',
      'dvc.lock': [
        "schema: '2.0'",
        'stages:',
        '  train:',
        '    cmd: python train.py',
        '    deps:',
        '    - path: data',
        '      hash: md5',
        '      md5: 5ea40360f5b4ec688df672a4db9c17d1.dir',
        '      size: 6',
        '      nfiles: 2',
        '    - path: train.py',
        '      hash: md5',
        '      md5: 2dd5b9a1fd7bd3f2f3f2d2fbae1e3f80',
        '      size: 15',
        '    params:',
        '      params.yaml:',
        '        train.lr: 0.1',
        '    outs:',
        '    - path: model.bin',
        '      hash: md5',
        '      md5: acbd18db4cc2f85cedef654fccc4a4d8',
        '      size: 3',
        '',
      ].join('\n'),
    },
    'all',
  );
  // the lock records train.py's real hash
  const trainMd5 = createHash('md5').update('print("train")\n').digest('hex');
  fs.writeFileSync(path.join(root, 'dvc.lock'), fs.readFileSync(path.join(root, 'dvc.lock'), 'utf8').replace('2dd5b9a1fd7bd3f2f3f2d2fbae1e3f80', trainMd5));
  writeTree(root, { 'data/foo': 'foo', 'data/bar': 'bar', 'raw.csv': Buffer.from('a,b\r\n1,2\r\n'), 'model.bin': 'foo' });
  const cache = path.join(root, '.dvc', 'cache');
  cacheDir(cache, { foo: 'foo', bar: 'bar' });
  cacheFile(cache, Buffer.from('a,b\r\n1,2\r\n'), true);
  cacheFile(cache, 'foo');
  cacheFile(cache, 'foo\n');
  return root;
}

/** Stage files of `cookiecutterDvcRepo` (a cookiecutter-data-science layout), relative to its DVC project `ml/`. */
export const COOKIECUTTER = {
  params: (lr: string): string =>
    [
      'paths:',
      '  features: data/processed/features.csv',
      '  model: models/model.pkl',
      '  metrics: reports/metrics.json',
      'train:',
      `  lr: ${lr}`,
      '  n_estimators: 100',
      '',
    ].join('\n'),
  /** A `vars` file: the top-level `metrics` list reads its path from it. */
  report: 'report:\n  scores: reports/scores.json\n',
  dvcYaml: [
    'vars:',
    '  - config/report.yaml',
    'stages:',
    '  featurize:',
    '    cmd: python src/features/build_features.py data/raw ${paths.features}',
    '    deps:',
    '      - src/features/build_features.py',
    '      - data/raw',
    '    outs:',
    '      - ${paths.features}',
    '      - data/interim/tokens',
    '      - data/interim/images',
    '  train:',
    '    wdir: src/models',
    '    cmd: python train_model.py',
    '    deps:',
    '      - train_model.py',
    '      - ../../${paths.features}',
    '    params:',
    '      - ../../params.yaml:',
    '          - train.lr',
    '          - train.n_estimators',
    '    outs:',
    '      - ../../${paths.model}',
    '  evaluate:',
    '    cmd: python src/models/predict_model.py',
    '    deps:',
    '      - ${paths.model}',
    '    metrics:',
    '      - ${paths.metrics}:',
    '          cache: false',
    'metrics:',
    '  - ${report.scores}',
    '',
  ].join('\n'),
  /** dvc.lock as DVC 3 writes it (`hash: md5`, outs sorted by path, paths relative to each stage's wdir). */
  dvcLock: (modelMd5: string): string =>
    [
      "schema: '2.0'",
      'stages:',
      '  featurize:',
      '    cmd: python src/features/build_features.py data/raw data/processed/features.csv',
      '    deps:',
      '    - path: data/raw',
      '      hash: md5',
      '      md5: 1f69c66028c35037e8bf67e5bc4ceb6a.dir',
      '      size: 8',
      '      nfiles: 2',
      '    outs:',
      '    - path: data/interim/images',
      '      hash: md5',
      '      files:',
      '      - relpath: a.png',
      '        md5: 0cc175b9c0f1b6a831c399e269772661',
      '        size: 1',
      '        cloud: {storage: {version_id: v1}}',
      '      - relpath: b.png',
      '        md5: 92eb5ffee6ae2fec3ad71c777531578f',
      '        size: 1',
      '        cloud: {storage: {version_id: v2}}',
      '    - path: data/interim/tokens',
      '      hash: md5',
      '      md5: 5ea40360f5b4ec688df672a4db9c17d1.dir',
      '      size: 6',
      '      nfiles: 2',
      '    - path: data/processed/features.csv',
      '      hash: md5',
      '      md5: d3b07384d113edec49eaa6238ad5ff00',
      '      size: 4',
      '  train:',
      '    cmd: python train_model.py',
      '    deps:',
      '    - path: ../../data/processed/features.csv',
      '      hash: md5',
      '      md5: d3b07384d113edec49eaa6238ad5ff00',
      '      size: 4',
      '    params:',
      '      ../../params.yaml:',
      '        train.lr: 0.01',
      '        train.n_estimators: 100',
      '    outs:',
      '    - path: ../../models/model.pkl',
      '      hash: md5',
      `      md5: ${modelMd5}`,
      '      size: 3',
      '  evaluate:',
      '    cmd: python src/models/predict_model.py',
      '    deps:',
      '    - path: models/model.pkl',
      '      hash: md5',
      `      md5: ${modelMd5}`,
      '      size: 3',
      '    outs:',
      '    - path: reports/metrics.json',
      '      hash: md5',
      '      md5: 3c1b1d1a3b0d7f3e8c5a0c52f9e8f1a0',
      '      size: 12',
      '',
    ].join('\n'),
};

/**
 * A git repository whose DVC project is the sub-folder `sub` (default `ml`; '' for the top), laid out like
 * cookiecutter-data-science: dvc.yaml with templated paths (params.yaml values and a `vars` file), a stage with a `wdir`,
 * dvc.lock as DVC 3 writes it, metrics under reports/. Two commits: the model changes in the second (its md5 goes from
 * `foo`'s to `bar`'s).
 */
export function cookiecutterDvcRepo(sub = 'ml'): { root: string; project: string } {
  const at = (rel: string): string => (sub ? `${sub}/${rel}` : rel);
  const files: Record<string, string> = {
    '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n    version_aware = true\n',
    '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
    '.gitignore': '/data\n/models\n',
    'params.yaml': COOKIECUTTER.params('0.01'),
    'config/report.yaml': COOKIECUTTER.report,
    'dvc.yaml': COOKIECUTTER.dvcYaml,
    'dvc.lock': COOKIECUTTER.dvcLock('acbd18db4cc2f85cedef654fccc4a4d8'),
    'src/features/build_features.py': 'print("features")\n',
    'src/models/train_model.py': 'print("train")\n',
    'src/models/predict_model.py': 'print("predict")\n',
    'reports/metrics.json': '{"acc": 0.8}',
    'reports/scores.json': '{"f1": 0.7}',
  };
  const root = gitRepo({ 'README.md': '# project\n', ...Object.fromEntries(Object.entries(files).map(([k, v]) => [at(k), v])) });
  git(root, 'config', 'user.name', 'Test');
  git(root, 'config', 'user.email', 'test@example.com');
  writeTree(root, { [at('dvc.lock')]: COOKIECUTTER.dvcLock('37b51d194a7513e45b56f6524f2d51f2') });
  git(root, 'commit', '-q', '-am', 'retrain');
  return { root, project: sub ? path.join(root, sub) : root };
}
