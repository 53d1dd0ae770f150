import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  bumpVersion,
  createModelTag,
  latestVersion,
  parseVersionTag,
  planModelTag,
  prefixProblem,
  pushTag,
  withoutLocalPaths,
  type RunRecord,
} from '../../server/src/engine/versioning';
import { git, rmrf, writeTree } from '../support/tmp';
import { versionedRepo } from '../support/versionedRepo';

const LOCK = `schema: '2.0'
stages:
  train:
    cmd: python train.py
    outs:
    - path: models/model.pt
      hash: md5
      md5: d3b07384d113edec49eaa6238ad5ff00
      size: 4
`;
const DATA_DVC = `outs:
- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir
  size: 6
  nfiles: 2
  hash: md5
  path: data
`;

const RUN: RunRecord = {
  id: 'wandb:abc123',
  source: 'wandb',
  name: 'fluent-sun-7',
  status: 'finished',
  params: { lr: 0.001, 'model.depth': 4, optimizer: 'adam' },
  metrics: { 'val/acc': 0.93, loss: 0.21 },
};

describe('versioning: semantic version tags', () => {
  it('parses only <prefix>X.Y.Z and bumps from the highest', () => {
    assert.deepEqual(parseVersionTag('model-v1.2.3', 'model-v'), { major: 1, minor: 2, patch: 3 });
    assert.equal(parseVersionTag('model-v1.2', 'model-v'), undefined);
    assert.equal(parseVersionTag('model-v1.2.3-rc1', 'model-v'), undefined);
    assert.equal(parseVersionTag('data-v1.2.3', 'model-v'), undefined);
    assert.equal(parseVersionTag('model-v01.2.3', 'model-v'), undefined);
    // Numeric, not lexical, ordering: 1.10.0 > 1.9.0.
    const latest = latestVersion(['model-v1.9.0', 'model-v1.10.0', 'data-v7.0.0', 'v9.9.9'], 'model-v');
    assert.equal(latest?.tag, 'model-v1.10.0');
    assert.deepEqual(bumpVersion(latest?.version, 'minor'), { major: 1, minor: 11, patch: 0 });
    assert.deepEqual(bumpVersion(latest?.version, 'major'), { major: 2, minor: 0, patch: 0 });
    assert.deepEqual(bumpVersion(undefined, 'patch'), { major: 0, minor: 0, patch: 1 });
    assert.match(prefixProblem('my model-v')!, /character git does not allow/);
    assert.equal(prefixProblem('model-v'), undefined);
  });
});

/** The data of DATA_DVC and LOCK as recorded (formats.md 1.5: dir {foo:"foo", bar:"bar"} = 5ea40360....dir, "foo\n" = d3b07384...). */
function dataAsRecorded(root: string): void {
  writeTree(root, { 'data/foo': 'foo', 'data/bar': 'bar', 'models/model.pt': 'foo\n' });
}

describe('versioning: Tag Model Version on a real repository', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('writes an annotated tag recording the run, its params and metrics, and the data versions', async () => {
    root = versionedRepo({ 'README.md': '# x\n', '.gitignore': '/data\n/models/\n', 'dvc.lock': LOCK, 'data.dvc': DATA_DVC });
    dataAsRecorded(root);
    git(root, 'tag', 'model-v0.1.0');
    const plan = await planModelTag(root, { bump: 'minor', run: RUN });
    assert.equal(plan.tag, 'model-v0.2.0');
    assert.equal(plan.previousTag, 'model-v0.1.0');
    assert.deepEqual(plan.warnings, []);
    const made = await createModelTag(plan);
    assert.equal(git(root, 'cat-file', '-t', 'model-v0.2.0').trim(), 'tag'); // annotated, not lightweight
    assert.equal(git(root, 'rev-parse', 'model-v0.2.0^{commit}').trim(), git(root, 'rev-parse', 'HEAD').trim());
    assert.equal(made.commit, git(root, 'rev-parse', 'HEAD').trim());
    const msg = git(root, 'tag', '-l', '--format=%(contents)', 'model-v0.2.0');
    assert.match(msg, /^model-v0\.2\.0\n/);
    assert.match(msg, /Run: wandb:abc123 \(source: wandb, name: fluent-sun-7, status: finished\)/);
    assert.match(msg, /  lr: 0\.001\n/);
    assert.match(msg, /  model\.depth: 4\n/);
    assert.match(msg, /  val\/acc: 0\.93\n/);
    assert.match(msg, /  data: md5 5ea40360f5b4ec688df672a4db9c17d1\.dir \(2 files\) \[data\.dvc\]/);
    assert.match(msg, /  models\/model\.pt: md5 d3b07384d113edec49eaa6238ad5ff00 \[dvc\.lock:train\]/);
    // A second patch builds on the new tag.
    const next = await planModelTag(root, { bump: 'patch' });
    assert.equal(next.tag, 'model-v0.2.1');
    assert.match(next.message, /Run: none recorded/);
  });

  it('the message holds no absolute local path: run folder, command and values relative to the repository', async () => {
    root = versionedRepo({ 'README.md': '# x\n', '.gitignore': '/data\n/models/\n', 'dvc.lock': LOCK, 'data.dvc': DATA_DVC });
    dataAsRecorded(root);
    const run: RunRecord = {
      ...RUN,
      id: 'hydra:outputs/2024-05-01/12-30-00',
      source: 'hydra',
      folder: path.join(root, 'outputs', '2024-05-01', '12-30-00'),
      command: `python ${path.join(root, 'src', 'train.py')} data.dir=${path.join(root, 'data')} out=/home/alice/scratch/run1`,
      params: { 'paths.root_dir': root, 'paths.cache': 'C:\\Users\\alice\\cache', lr: 0.01 },
    };
    const plan = await planModelTag(root, { bump: 'patch', run });
    assert.ok(!plan.message.includes(root), plan.message);
    assert.doesNotMatch(plan.message, /\/home\/alice|C:\\Users|\/tmp\//);
    assert.match(plan.message, /^Run folder: outputs\/2024-05-01\/12-30-00$/m);
    assert.match(plan.message, /^Command: python src\/train\.py data\.dir=data out=~\/scratch\/run1$/m);
    assert.match(plan.message, /^  paths\.root_dir: \.$/m);
    assert.match(plan.message, /^  paths\.cache: "~\/cache"$/m);
    // a run folder outside the repository: its name only
    const outside = await planModelTag(root, { bump: 'patch', run: { ...run, folder: '/scratch/runs/exp7' } });
    assert.match(outside.message, /^Run folder: exp7 \(outside the repository\)$/m);
    // a sibling folder whose name starts like the repository's is not taken for it
    assert.equal(withoutLocalPaths(`${root}2/x and ${root}/y`, root), `${root}2/x and y`.replace(root, `${root}`));
  });

  it('warns when the workspace data does not match the recorded versions, and says which', async () => {
    root = versionedRepo({
      'README.md': '# x\n',
      '.gitignore': '/data\n/models/\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    outs:\n    - models/model.pt\n',
      'dvc.lock': LOCK,
      'data.dvc': DATA_DVC,
    });
    dataAsRecorded(root);
    const clean = await planModelTag(root, { bump: 'patch' });
    assert.deepEqual(clean.dataMismatch, [], 'must not warn: the data is as recorded');
    assert.deepEqual(clean.warnings, []);
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR');
    fs.rmSync(path.join(root, 'models', 'model.pt'));
    const plan = await planModelTag(root, { bump: 'patch' });
    assert.deepEqual(
      plan.dataMismatch.map((m) => `${m.path} ${m.state}`),
      ['data modified', 'models/model.pt missing'],
    );
    assert.match(
      plan.warnings.join('\n'),
      /The data in the workspace does not match the versions [0-9a-f]{8} records: data is modified \(5ea40360 recorded, [0-9a-f]{8} now\); models\/model\.pt is missing\./,
    );
    assert.deepEqual(plan.uncommitted, [], 'ignored data is not an uncommitted change: the warning is the only sign');
  });

  it('tags the commit the run recorded, not HEAD', async () => {
    root = versionedRepo({ 'README.md': '# x\n', 'data.dvc': DATA_DVC });
    const first = git(root, 'rev-parse', 'HEAD').trim();
    fs.writeFileSync(path.join(root, 'README.md'), '# y\n');
    git(root, 'commit', '-qam', 'later');
    const plan = await planModelTag(root, { bump: 'major', run: { ...RUN, gitCommit: first } });
    assert.equal(plan.commitFrom, 'run');
    await createModelTag(plan);
    assert.equal(git(root, 'rev-parse', 'model-v1.0.0^{commit}').trim(), first);
  });

  it('never moves or overwrites an existing tag', async () => {
    root = versionedRepo({ 'README.md': '# x\n' });
    const first = git(root, 'rev-parse', 'HEAD').trim();
    const plan = await planModelTag(root, { bump: 'major' });
    assert.equal(plan.tag, 'model-v1.0.0');
    // Someone creates the same tag on another commit between the preview and the confirmation.
    fs.writeFileSync(path.join(root, 'README.md'), '# y\n');
    git(root, 'commit', '-qam', 'later');
    git(root, 'tag', 'model-v1.0.0');
    const later = git(root, 'rev-parse', 'HEAD').trim();
    assert.notEqual(first, later);
    await assert.rejects(
      createModelTag({ ...plan, commit: first }),
      (e: Error & { code?: string }) => e.code === 'tag-exists' && /already exists/.test(e.message),
    );
    assert.equal(git(root, 'rev-parse', 'model-v1.0.0^{commit}').trim(), later);
    // A tag that is not a version does not fool the bump, and an explicit existing name is refused at planning too.
    const again = await planModelTag(root, { bump: 'major' });
    assert.equal(again.tag, 'model-v2.0.0');
  });

  it('warns about uncommitted changes and refuses unless told to tag anyway', async () => {
    root = versionedRepo({ 'README.md': '# x\n', 'params.yaml': 'lr: 0.1\n' });
    fs.writeFileSync(path.join(root, 'params.yaml'), 'lr: 0.2\n');
    const plan = await planModelTag(root, { bump: 'patch' });
    assert.deepEqual(plan.uncommitted, ['params.yaml']);
    assert.match(plan.warnings.join('\n'), /1 uncommitted change\(s\) \(params\.yaml\) are not part of the tagged commit/);
    await assert.rejects(createModelTag(plan), (e: Error & { code?: string }) => e.code === 'dirty-tree');
    assert.equal(git(root, 'tag', '--list').trim(), '');
    await createModelTag(plan, { allowDirty: true });
    assert.equal(git(root, 'tag', '--list').trim(), 'model-v0.0.1');
  });

  it('refuses a repository without commits and a bad prefix, with a message saying why', async () => {
    root = versionedRepo({});
    await assert.rejects(planModelTag(root, { bump: 'patch' }), /no commit yet/);
    fs.writeFileSync(path.join(root, 'a.txt'), 'a');
    git(root, 'add', 'a.txt');
    git(root, 'commit', '-qm', 'a');
    await assert.rejects(planModelTag(root, { bump: 'patch', prefix: 'bad prefix ' }), /tag prefix 'bad prefix ' contains a character/);
  });

  it('pushes one tag only, and says so when there is no remote', async () => {
    root = versionedRepo({ 'README.md': '# x\n' });
    await assert.rejects(pushTag(root, 'model-v0.0.1'), /no git remote/);
    const remote = versionedRepo({});
    try {
      git(remote, 'config', 'receive.denyCurrentBranch', 'ignore');
      git(root, 'remote', 'add', 'origin', remote);
      git(root, 'tag', '-a', 'model-v0.0.1', '-m', 'x');
      git(root, 'tag', 'other');
      await pushTag(root, 'model-v0.0.1');
      assert.deepEqual(git(remote, 'tag', '--list').trim().split('\n'), ['model-v0.0.1']);
    } finally {
      rmrf(remote);
    }
  });
});
