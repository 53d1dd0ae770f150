import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf, writeTree } from '../support/tmp';

const DATA_DVC = 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: data\n';
const CONFIG_OK = '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n';

describe('DVC050-DVC065 .dvc files, dvc.lock and .dvc/config', () => {
  let root = '';
  afterEach(() => rmrf(root));
  const msg = (f: Awaited<ReturnType<typeof checkFolder>>, code: string) => f.filter((x) => x.code === code).map((x) => x.message);

  it('a correct DVC setup has no DVC finding', async () => {
    root = gitRepo({
      '.dvc/config': CONFIG_OK,
      '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
      '.gitignore': '/data\n',
      'data.dvc': DATA_DVC,
      'requirements.txt': 'dvc[s3]>=3\n',
      'dvc.lock':
        "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: data\n      hash: md5\n      md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n      size: 6\n      nfiles: 2\n",
    });
    writeTree(root, { 'data/foo': 'foo', 'data/bar': 'bar', '.dvc/config.local': '[\'remote "storage"\']\n    secret_access_key = abc\n' });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.code.startsWith('DVC')).map((x) => `${x.code} ${x.message}`),
      [],
    );
  });

  it('DVC050 points at an unknown key with a did-you-mean, and at a lock without schema', async () => {
    root = gitRepo({
      '.dvc/config': CONFIG_OK,
      '.gitignore': '/data\n',
      'data.dvc': DATA_DVC.replace('  path: data\n', '  path: data\n  cahce: false\n'),
      'dvc.lock': 'stages:\n  a:\n    cmd: x\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC050'), ['data.dvc:7', 'dvc.lock:1']);
    assert.match(msg(f, 'DVC050')[0], /unknown key `cahce` in a \.dvc file; did you mean `cache`\?/);
    assert.equal(f.find((x) => x.code === 'DVC050' && x.file === 'data.dvc')!.range.start.character, 2);
    assert.match(msg(f, 'DVC050')[1], /missing required key `schema`/);
  });

  it('DVC051 fires on an out git does not ignore, with a fix into the parent folder .gitignore; not when ignored', async () => {
    root = gitRepo({ '.dvc/config': CONFIG_OK, 'datasets/raw.dvc': DATA_DVC.replace('path: data', 'path: raw'), 'datasets/.gitignore': '/other\n' });
    writeTree(root, { 'datasets/raw/a.csv': 'x' });
    let f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC051'), ['datasets/raw.dvc:6']);
    const fix = f.find((x) => x.code === 'DVC051')!.fixes![0];
    assert.equal(fix.changes[0].file, 'datasets/.gitignore');
    assert.equal(applyEdits('/other\n', fix.changes[0].edits), '/other\n/raw\n');
    fs.appendFileSync(path.join(root, 'datasets/.gitignore'), '/raw\n');
    f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC051'), []);
  });

  // A fresh clone of a course project (cookiecutter layout) before `dvc pull`: data/ is absent, the root .gitignore
  // ignores the folders with folder-only patterns. git semantics: a pattern ending in `/` matches only a directory, so
  // whether the out is a folder must come from the .dvc file itself: a `.dir` md5, an `nfiles`, or the `files:` list
  // that `dvc push` writes to a `version_aware` remote (no `.dir` md5 then; relpath/md5/size/cloud per file).
  const FILES_FORM =
    "outs:\n- hash: md5\n  path: raw\n  files:\n  - relpath: salmon/00001.png\n    md5: 1a7f3c9e0b2d4f6a8c0e2b4d6f8a0c2e\n    size: 5412\n    cloud:\n      remote_storage:\n        etag: CLi0vYqJ2YUDEAE=\n        version_id: '1712750419581624'\n";
  const NFILES_ONLY = 'outs:\n- hash: md5\n  path: raw\n  nfiles: 3\n';
  for (const [pattern, where_] of [
    ['data/raw/', '.gitignore'],
    ['data/*', '.gitignore'],
    ['raw/', '.gitignore'],
    ['data/', '.gitignore'],
    ['/raw/', 'data/.gitignore'],
  ] as const) {
    it(`DVC051 stays quiet on a folder out absent before dvc pull, ignored by \`${pattern}\` in ${where_} (files: list, nfiles)`, async () => {
      for (const dvc of [FILES_FORM, NFILES_ONLY, DATA_DVC.replace('path: data', 'path: raw')]) {
        root = gitRepo({ '.dvc/config': CONFIG_OK, 'data/raw.dvc': dvc, [where_]: `# data is pulled with dvc\n${pattern}\n` });
        const f = await checkFolder(root);
        assert.deepEqual(where(f, 'DVC051'), [], dvc);
        rmrf(root);
      }
    });
  }

  it('DVC051 takes a folder out from the pipeline too (a dvc.lock `.dir` entry, a dep under it), and still fires on a file out', async () => {
    // data/raw.dvc records a plain md5 with no .dir, files or nfiles (a hand-edited file), but dvc.lock records the
    // same path as a folder: `data/raw/` matches it
    root = gitRepo({
      '.dvc/config': CONFIG_OK,
      '.gitignore': 'data/raw/\nmodels/\nscores/\n',
      'data/raw.dvc': 'outs:\n- md5: 1a7f3c9e0b2d4f6a8c0e2b4d6f8a0c2e\n  hash: md5\n  path: raw\n',
      'dvc.yaml': 'stages:\n  prepare:\n    cmd: python src/prepare.py data/raw/salmon\n    deps:\n    - data/raw/salmon\n    outs:\n    - data/prepared\n',
      // models/model.pt is a file out: `models/` ignores the folder models, so it is ignored too (its parent folder)
      'models/model.pt.dvc': 'outs:\n- md5: 2b8a4d0f1c3e5a7b9d1f3c5e7a9b1d3f\n  size: 10\n  hash: md5\n  path: model.pt\n',
      // a file out that a folder-only pattern does not match: `scores/` ignores only a folder named scores
      'scores.dvc': 'outs:\n- md5: 3c9b5e1a2d4f6b8c0e2a4d6f8b0c2e4a\n  size: 10\n  hash: md5\n  path: scores\n',
      'data/.gitignore': '/prepared\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC051'), ['scores.dvc:5']);
  });

  it('DVC051 fires on a files: list out that no pattern ignores', async () => {
    root = gitRepo({ '.dvc/config': CONFIG_OK, 'data/raw.dvc': FILES_FORM, '.gitignore': 'data/processed/\n' });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC051'), ['data/raw.dvc:3']);
    assert.match(msg(f, 'DVC051')[0], /data\/raw is tracked by DVC \(data\/raw\.dvc\) but git does not ignore it; add '\/raw' to data\/\.gitignore/);
  });

  it('DVC052 fires when the data is also committed to git, and DVC051 then stays quiet', async () => {
    root = gitRepo({ '.dvc/config': CONFIG_OK, 'data.dvc': DATA_DVC, 'data/foo': 'foo', 'data/bar': 'bar' });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC052'), ['data.dvc:6']);
    assert.match(
      msg(f, 'DVC052')[0],
      /data is tracked by DVC \(data\.dvc\) and has 2 files committed to git \(data\/bar, data\/foo\); run `git rm -r --cached data`/,
    );
    assert.deepEqual(where(f, 'DVC051'), []);
  });

  it('DVC053 reports a DVC 2 hash at low severity, once per dvc.lock; not for DVC 3 entries', async () => {
    root = gitRepo({
      '.dvc/config': CONFIG_OK,
      '.gitignore': '/data\n/raw.csv\n',
      'raw.csv.dvc': 'outs:\n- md5: e5ebd4c02cefbe7955977c67ada242b7\n  size: 10\n  path: raw.csv\n',
      'data.dvc': DATA_DVC,
      'dvc.lock':
        "schema: '2.0'\nstages:\n  a:\n    cmd: x\n    deps:\n    - path: raw.csv\n      md5: e5ebd4c02cefbe7955977c67ada242b7\n      size: 10\n    outs:\n    - path: out.csv\n      md5: e5ebd4c02cefbe7955977c67ada242b7\n      size: 10\n",
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC053'), ['dvc.lock:7', 'raw.csv.dvc:2']);
    assert.equal(f.find((x) => x.code === 'DVC053')!.severity, 'hint');
    assert.match(msg(f, 'DVC053')[0], /2 entries of dvc\.lock have DVC 2 hashes/);
  });

  it('DVC060-DVC064 on .dvc/config: no default remote, gdrive, missing plugin, credentials, version_aware', async () => {
    root = gitRepo({
      '.dvc/config': '[\'remote "drive"\']\n    url = gdrive://1AbC\n[\'remote "gcs"\']\n    url = gs://bucket/dvc\n    secret_access_key = AKIAsecret\n',
      'requirements.txt': 'dvc>=3\ntorch\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC060'), ['.dvc/config:1']);
    assert.match(msg(f, 'DVC060')[0], /defines `drive`, `gcs` but no default remote \(core\.remote\); run `dvc remote default drive`/);
    assert.deepEqual(where(f, 'DVC061'), ['.dvc/config:2']);
    assert.deepEqual(where(f, 'DVC062'), ['.dvc/config:2', '.dvc/config:4']);
    assert.match(
      msg(f, 'DVC062')[1],
      /remote `gcs` \(gs:\/\/\) needs the `dvc-gs` package, which is not among the declared dependencies \(requirements\.txt\)/,
    );
    assert.deepEqual(where(f, 'DVC063'), ['.dvc/config:5']);
    assert.doesNotMatch(msg(f, 'DVC063')[0], /AKIAsecret/, 'the secret is not repeated');
    const cred = f.find((x) => x.code === 'DVC063')!;
    assert.deepEqual([cred.range.start.character, cred.range.end.character], [4, 34]);
    assert.deepEqual(where(f, 'DVC064'), ['.dvc/config:4']);
  });

  it('DVC060 names an undefined default remote; DVC062 accepts dvc[gs] and dvc-gdrive', async () => {
    root = gitRepo({
      '.dvc/config': '[core]\n    remote = store\n[\'remote "storage"\']\n    url = gs://bucket/dvc\n    version_aware = true\n',
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["dvc[gs]>=3"]\n',
    });
    const f = await checkFolder(root);
    assert.match(msg(f, 'DVC060')[0], /core\.remote is `store`, but no remote of that name is defined \(have: storage\)/);
    assert.deepEqual(where(f, 'DVC062'), []);
    assert.deepEqual(where(f, 'DVC064'), []);
  });

  it('DVC065 fires on data/ with content and no DVC; not with DVC, nor on an empty data/ with .gitkeep', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/data/raw\n' });
    writeTree(root, { 'data/raw/train.csv': 'a,b\n' });
    let f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC065'), ['README.md:1']);
    assert.match(msg(f, 'DVC065')[0], /data\/ holds 1 entry \(raw\)/);
    fs.rmSync(path.join(root, 'data/raw'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data/.gitkeep'), '');
    f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC065'), []);
    writeTree(root, { 'data/raw/train.csv': 'a,b\n', '.dvc/config': '' });
    f = await checkFolder(root);
    assert.deepEqual(where(f, 'DVC065'), []);
  });
});
