import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { dirHash } from '../../server/src/engine/dvc/data/hashing';
import { simpleGit } from 'simple-git';
import { dvcFileFromValue, lockedEntry, readDvcFile } from '../../server/src/engine/dvc/data/dvcFiles';
import { loadDvcPipeline, parseDvcLockText, stageWdirs } from '../../server/src/engine/dvc/pipeline';
import { listRuns } from '../../server/src/engine/runs';
import { versionsFromDvcFile, versionsFromLock } from '../../server/src/engine/versioning/dataVersions';
import { dataHistory } from '../../server/src/engine/versioning/history';
import { dataVersionsAt } from '../../server/src/engine/versioning/tag';
import { listTrackedItems } from '../../server/src/engine/versioning/tracked';
import { blobEntry, repoPathOf } from '../../server/src/engine/dvc/pipeline/files';
import { decodeText } from '../../server/src/engine/workspace/reads';
import { COOKIECUTTER, cookiecutterDvcRepo } from '../support/dvc';
import { git, gitRepo, rmrf, writeTree } from '../support/tmp';

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

/**
 * The readers of a commit's files (no workspace): an experiment's dvc.yaml read with that commit's params.yaml and vars
 * files, and the data versions of a commit's dvc.lock. A cookiecutter-data-science layout whose DVC project is the
 * sub-folder `ml/` of the repository (test/support/dvc.ts).
 */
describe('DVC readers of a commit: experiments and data versions read what the workspace readers read', () => {
  it("a commit's blob is decoded as a file on disk is (one policy), and its paths never leave the repository", () => {
    const blobs = [
      Buffer.from('lr: 0.1\n'),
      Buffer.from([0x6c, 0x72, 0x3a, 0x20, 0xff, 0x0a]), // one invalid byte: replaced and said, not dropped
      Buffer.concat([Buffer.from('x'.repeat(9000)), Buffer.from([0])]), // a NUL beyond the first 8 KB: still text
      Buffer.from([0x61, 0x00, 0x62]),
      Buffer.from('\ufeffbom: 1\n'),
    ];
    for (const b of blobs) assert.deepEqual(blobEntry({ type: 'blob', content: b }, 1 << 20), decodeText(b));
    assert.deepEqual(blobEntry({ type: 'blob', content: blobs[1] }, 1 << 20), { ok: true, text: 'lr: \ufffd\n', replaced: { offset: 4 } });
    assert.equal(blobEntry({ type: 'tree', content: Buffer.alloc(0) }, 10).ok, false);
    assert.equal(repoPathOf('ml/', 'params.yaml'), 'ml/params.yaml');
    assert.equal(repoPathOf('ml/', '../params.yaml'), 'params.yaml');
    for (const outside of ['../x', '/etc/passwd', 'C:\\x', 'https://example.com/x']) assert.equal(repoPathOf('', outside), undefined, outside);
    assert.equal(repoPathOf('ml/', '../../x'), undefined);
  });

  let root = '';
  afterEach(() => root && rmrf(root));
  const NOW = (): number => Date.parse('2030-01-01T00:00:00Z');

  /** An experiment of HEAD: `files` committed over it with `git commit-tree`, under refs/exps as DVC names it. */
  const experiment = (name: string, files: Record<string, string>): string => {
    const baseline = git(root, 'rev-parse', 'HEAD').trim();
    writeTree(root, files);
    git(root, 'add', '-A');
    const tree = git(root, 'write-tree').trim();
    const sha = git(root, 'commit-tree', tree, '-p', baseline, '-m', 'dvc: commit experiment 0a1b2c').trim();
    git(root, 'reset', '-q', '--hard', baseline);
    git(root, 'update-ref', `refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}/${name}`, sha);
    return sha;
  };

  // the experiments reader reads a repository's top folder (refs/exps are found from its .git)
  it('an experiment’s templated metrics (`${paths.metrics}` from params.yaml, top-level `${report.scores}` from a vars file) are found', async () => {
    const repo = cookiecutterDvcRepo('');
    root = repo.root;
    experiment('exp-lr', { 'params.yaml': COOKIECUTTER.params('0.1'), 'reports/metrics.json': '{"acc": 0.85}', 'reports/scores.json': '{"f1": 0.75}' });
    const { runs } = await listRuns(repo.project, { useGit: true, now: NOW });
    const exp = runs.find((r) => r.source === 'dvc-exp' && r.name === 'exp-lr');
    assert.ok(exp, `no exp-lr among ${runs.map((r) => r.name).join(', ')}`);
    // DVC: both lists are templated (stages by EntryDefinition, top-level metrics by TopDefinition), paths relative to
    // dvc.yaml's folder (a stage's to its wdir); `dvc exp show` shows the metrics of both files
    assert.deepEqual(exp.metrics, { 'reports/metrics.json:acc': 0.85, 'reports/scores.json:f1': 0.75 });
    assert.equal(exp.params['train.lr'], 0.1, 'the wdir stage’s ../../params.yaml is the project’s params.yaml');
    assert.equal(exp.command, 'dvc exp run -S train.lr=0.1');
    const base = runs.find((r) => r.source === 'dvc-exp' && r.name.endsWith('(baseline)'))!;
    assert.deepEqual(base.metrics, { 'reports/metrics.json:acc': 0.8, 'reports/scores.json:f1': 0.7 });
  });

  it('an experiment without the vars file, or with a `${...}` that fails, keeps the metrics that resolve', async () => {
    const repo = cookiecutterDvcRepo('');
    root = repo.root;
    git(root, 'rm', '-q', 'config/report.yaml');
    git(root, 'commit', '-q', '-m', 'no report vars');
    experiment('exp-broken', {
      'dvc.yaml': COOKIECUTTER.dvcYaml.replace('      - ${paths.model}\n', '      - ${paths.nowhere}\n'),
      'reports/metrics.json': '{"acc": 0.9}',
    });
    const { runs } = await listRuns(repo.project, { useGit: true, now: NOW });
    const exp = runs.find((r) => r.name === 'exp-broken')!;
    // DVC itself refuses such a dvc.yaml (`vars file ... does not exist`); the run list still shows what can be read
    assert.deepEqual(exp.metrics, { acc: 0.9 });
    assert.equal(exp.params['train.lr'], 0.01);
  });

  it('a commit’s dvc.lock gives the versions the workspace’s lock reader and the Data view give (hash: md5, wdir, files:, sizes, nfiles)', async () => {
    const repo = cookiecutterDvcRepo();
    root = repo.root;
    const ws = await Workspace.load(repo.project);
    const pipeline = loadDvcPipeline(ws);
    const fromLockReader = pipeline.stages.flatMap((s) =>
      (pipeline.lockedStage(s)?.outs ?? []).map((e) => {
        const r = lockedEntry(e, s.wdir);
        return [s.name, r.rel, r.md5, r.hashName, r.size, r.nfiles];
      }),
    );
    const images = dirHash([
      { relpath: 'a.png', md5: '0cc175b9c0f1b6a831c399e269772661' },
      { relpath: 'b.png', md5: '92eb5ffee6ae2fec3ad71c777531578f' },
    ]);
    // the facts: dvc.lock paths are relative to the stage's wdir (train runs in src/models); a `files:` list (a
    // version_aware push) stands for the `.dir` hash of the tree it lists; `.dir` outs keep size and nfiles
    assert.deepEqual(fromLockReader, [
      ['featurize', 'data/interim/images', images, 'md5', undefined, undefined],
      ['featurize', 'data/interim/tokens', '5ea40360f5b4ec688df672a4db9c17d1.dir', 'md5', 6, 2],
      ['featurize', 'data/processed/features.csv', 'd3b07384d113edec49eaa6238ad5ff00', 'md5', 4, undefined],
      ['train', 'models/model.pkl', '37b51d194a7513e45b56f6524f2d51f2', 'md5', 3, undefined],
      ['evaluate', 'reports/metrics.json', '3c1b1d1a3b0d7f3e8c5a0c52f9e8f1a0', 'md5', 12, undefined],
    ]);
    const versions = (await dataVersionsAt(simpleGit(repo.project), 'HEAD')).filter((v) => v.file === 'dvc.lock');
    assert.deepEqual(
      versions.map((v) => [v.stage, v.path, v.hash, v.hashName, v.size, v.nfiles]),
      fromLockReader,
      'the tag’s versions of HEAD',
    );
    const lockText = fs.readFileSync(path.join(repo.project, 'dvc.lock'), 'utf8');
    assert.deepEqual(versionsFromLock('dvc.lock', lockText, stageWdirs(pipeline.files[0])), versions, 'versionsFromLock with the stages’ wdirs');
    const dataView = (await listTrackedItems(repo.project)).filter((i) => i.kind === 'stage-out').map((i) => [i.path, i.hash]);
    assert.deepEqual(
      dataView.sort(),
      versions
        .filter((v) => v.stage !== 'evaluate')
        .map((v) => [v.path, v.hash])
        .sort(),
      'the Data view (metrics outs are not data items)',
    );
  });

  it('the history of a wdir stage’s out is found in every commit of dvc.lock', async () => {
    const repo = cookiecutterDvcRepo();
    root = repo.root;
    const h = await dataHistory(repo.project, { file: 'dvc.lock', path: 'models/model.pkl' });
    assert.deepEqual(
      h.entries.map((e) => [e.subject, e.version.path, e.version.stage, e.version.hash, e.current]),
      [
        ['retrain', 'models/model.pkl', 'train', '37b51d194a7513e45b56f6524f2d51f2', true],
        ['initial', 'models/model.pkl', 'train', 'acbd18db4cc2f85cedef654fccc4a4d8', false],
      ],
    );
  });

  it('a DVC 2 entry is one with an md5 and no `hash` key, for .dvc files and dvc.lock alike', () => {
    const lock = parseDvcLockText(
      'dvc.lock',
      "schema: '2.0'\nstages:\n  a:\n    cmd: x\n    outs:\n    - path: v2.csv\n      md5: e5ebd4c02cefbe7955977c67ada242b7\n    - path: v3.csv\n      hash: md5\n      md5: b202f333fba4fd38d4b8e5e693077aab\n    - path: aware\n      files:\n      - relpath: a\n        md5: 0cc175b9c0f1b6a831c399e269772661\n",
    );
    const fromLock = lock.stages.get('a')!.outs.map((e) => [e.path, lockedEntry(e, '').legacy, lockedEntry(e, '').hashName]);
    const dvc = dvcFileFromValue('x.dvc', {
      outs: [
        { path: 'v2.csv', md5: 'e5ebd4c02cefbe7955977c67ada242b7' },
        { path: 'v3.csv', hash: 'md5', md5: 'b202f333fba4fd38d4b8e5e693077aab' },
        { path: 'aware', files: [{ relpath: 'a', md5: '0cc175b9c0f1b6a831c399e269772661' }] },
      ],
    })!;
    const expected = [
      ['v2.csv', true, 'md5-dos2unix'],
      ['v3.csv', false, 'md5'],
      ['aware', false, 'md5-dos2unix'],
    ];
    assert.deepEqual(fromLock, expected);
    assert.deepEqual(
      dvc.outs.map((o) => [o.path, o.legacy, o.hashName]),
      expected,
    );
  });
});
