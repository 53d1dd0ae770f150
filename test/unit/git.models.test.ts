import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

describe('GIT001/GIT002 model files', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('GIT001 fires on a committed checkpoint, attached to the file', async () => {
    root = gitRepo({ 'README.md': '# x\n', 'models/model.pt': Buffer.from([0, 1, 2, 3]) });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GIT001'), ['models/model.pt:1']);
    assert.match(f.find((x) => x.code === 'GIT001')!.message, /models\/model\.pt is a model file tracked by git/);
  });

  it('GIT001 does not fire on an untracked, ignored checkpoint, nor on model.py', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/models/\n', 'src/model.py': 'x = 1\n' });
    fs.mkdirSync(path.join(root, 'models'));
    fs.writeFileSync(path.join(root, 'models/model.pt'), Buffer.from([0, 1]));
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GIT001'), []);
    assert.deepEqual(where(f, 'GIT002'), []);
  });

  it('GIT002 fires on an untracked checkpoint that is not ignored, with a fix that appends to .gitignore', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '__pycache__/' }); // no trailing newline on purpose
    fs.mkdirSync(path.join(root, 'models'));
    fs.writeFileSync(path.join(root, 'models/best.ckpt'), Buffer.from([0, 1]));
    const f = await checkFolder(root);
    const g = f.filter((x) => x.code === 'GIT002');
    assert.deepEqual(where(f, 'GIT002'), ['models/best.ckpt:1']);
    const fix = g[0].fixes![0];
    assert.equal(fix.changes[0].file, '.gitignore');
    const after = applyEdits(fs.readFileSync(path.join(root, '.gitignore'), 'utf8'), fix.changes[0].edits);
    assert.equal(after, '__pycache__/\n/models/\n');
  });
});
