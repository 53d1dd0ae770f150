import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { dirHash } from '../../server/src/engine/dvc/data/hashing';
import { readDvcFile } from '../../server/src/engine/dvc/data/dvcFiles';
import { loadDvcPipeline } from '../../server/src/engine/dvc/pipeline';
import { versionsFromDvcFile } from '../../server/src/engine/versioning/dataVersions';
import { listTrackedItems } from '../../server/src/engine/versioning/tracked';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * A `.dvc` file as DVC writes them after `dvc push` to a `version_aware` remote (a `files:` list, no `.dir` md5) next to
 * a plain one, in a subfolder with a `wdir` (old-style stage files have one): every user reads them with one reader.
 */
const AWARE = [
  'wdir: ..',
  'outs:',
  '- path: data/images',
  '  hash: md5',
  '  files:',
  '  - relpath: a.png',
  '    md5: 0cc175b9c0f1b6a831c399e269772661',
  '    size: 1',
  '    cloud: {s3: {version_id: v1}}',
  '  - relpath: b.png',
  '    md5: 92eb5ffee6ae2fec3ad71c777531578f',
  '    size: 1',
  '    cloud: {s3: {version_id: v2}}',
  '',
].join('\n');
const PLAIN = 'outs:\n- md5: 900150983cd24fb0d6963f7d28e17f72\n  size: 3\n  hash: md5\n  path: raw.csv\n';

describe('DVC files: one reader for rules, pipeline, status, Data view and versioning', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('the workspace, the pipeline, the Data view and a commit’s blob read the same outs (wdir, files: lists)', async () => {
    root = gitRepo({ 'pipelines/images.dvc': AWARE, 'pipelines/raw.dvc': PLAIN, 'README.md': '# x\n' });
    const ws = await Workspace.load(root);
    const tree = dirHash([
      { relpath: 'a.png', md5: '0cc175b9c0f1b6a831c399e269772661' },
      { relpath: 'b.png', md5: '92eb5ffee6ae2fec3ad71c777531578f' },
    ]);
    const expected = [
      ['pipelines/images.dvc', 'data/images', tree],
      ['pipelines/raw.dvc', 'pipelines/raw.csv', '900150983cd24fb0d6963f7d28e17f72'],
    ];
    const files = ['pipelines/images.dvc', 'pipelines/raw.dvc'];
    assert.deepEqual(
      files.flatMap((f) => readDvcFile(ws, f)!.outs.map((o) => [f, o.rel, o.md5])),
      expected,
      'readDvcFile',
    );
    assert.deepEqual(
      files.flatMap((f) => versionsFromDvcFile(f, fs.readFileSync(path.join(root, f), 'utf8')).map((v) => [v.file, v.path, v.hash])),
      expected,
      'versions of a commit (tag, history)',
    );
    assert.deepEqual(
      loadDvcPipeline(ws).dvcFiles.flatMap((d) => d.outs.map((o) => [d.file, o.rel, o.folder])),
      expected.map(([f, rel]) => [f, rel, f.endsWith('images.dvc')]),
      'the pipeline (DVC rules)',
    );
    assert.deepEqual(
      (await listTrackedItems(root)).map((i) => [i.source, i.path, i.hash]),
      expected,
      'the Data view',
    );
  });
});
