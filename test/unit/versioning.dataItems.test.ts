import * as assert from 'node:assert/strict';
import { itemsFromStatus, recordFileOf, RESTRICTED_MESSAGE } from '../../client/src/versioning/dataModel';
import { Workspace } from '../../server/src/engine';
import { dataStatus } from '../../server/src/engine/dvc/data';
import { dataHistory } from '../../server/src/engine/versioning';
import { rmrf, writeTree } from '../support/tmp';
import { versionedRepo } from '../support/versionedRepo';

/**
 * Data Version History offers exactly the Data view's items (one list, `DataViewProvider.items`): here a stage out of a
 * `foreach` stage, which DVC names `train@us` in dvc.lock (formats.md 1.2-1.3), and whose out is templated in dvc.yaml
 * (`models/${item}.pkl`). Hashes from formats.md 1.5: "foo\n" = d3b07384..., "bar" = 37b51d19....
 */
describe('versioning: the Data view and Data Version History list the same items', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a templated foreach stage out is an item with its dvc.lock, and its history is found', async () => {
    root = versionedRepo({
      '.gitignore': '/models/\n',
      'dvc.yaml': 'stages:\n  train:\n    foreach: [us, eu]\n    do:\n      cmd: python train.py --region ${item}\n      outs:\n      - models/${item}.pkl\n',
      'dvc.lock':
        "schema: '2.0'\nstages:\n  train@us:\n    cmd: python train.py --region us\n    outs:\n    - path: models/us.pkl\n      hash: md5\n      md5: d3b07384d113edec49eaa6238ad5ff00\n      size: 4\n  train@eu:\n    cmd: python train.py --region eu\n    outs:\n    - path: models/eu.pkl\n      hash: md5\n      md5: 37b51d194a7513e45b56f6524f2d51f2\n      size: 3\n",
      'train.py': 'print(1)\n',
    });
    writeTree(root, { 'models/us.pkl': 'foo\n', 'models/eu.pkl': 'BAR' });
    const status = await dataStatus(await Workspace.load(root));
    const items = itemsFromStatus(root, status.items);
    assert.deepEqual(
      items.map((i) => `${i.path} ${i.source} ${i.recordFile} ${i.state}`).sort(),
      ['models/eu.pkl dvc.yaml:train@eu dvc.lock modified', 'models/us.pkl dvc.yaml:train@us dvc.lock not-in-cache'],
      'as recorded, but no .dvc/cache in this repository',
    );
    const history = await dataHistory(root, { file: items[0].recordFile, path: 'models/us.pkl' });
    assert.equal(history.entries.length, 1);
    assert.equal(history.entries[0].version.hash, 'd3b07384d113edec49eaa6238ad5ff00');
  });

  it('record files: a .dvc file itself, the dvc.lock beside a dvc.yaml in a subfolder', () => {
    assert.equal(recordFileOf('data/raw.dvc'), 'data/raw.dvc');
    assert.equal(recordFileOf('dvc.yaml:train@us'), 'dvc.lock');
    assert.equal(recordFileOf('sub/dvc.yaml:prep'), 'sub/dvc.lock');
  });

  it('in a restricted workspace the view says why its actions are disabled', () => {
    assert.match(RESTRICTED_MESSAGE, /not trusted/);
    assert.match(RESTRICTED_MESSAGE, /run git and dvc and are disabled until you trust the workspace/);
  });
});
