import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { readTextFile } from '../../server/src/engine/workspace';
import { gitRepo, rmrf } from '../support/tmp';

/** The read path's shortcuts (bench-check, issue 18) give what the general code gives. */
describe('workspace reads: abs() and the sized read', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('abs() is path.join for every relative path, normalised or not', async () => {
    root = gitRepo({ 'README.md': '# x\n' });
    const ws = await Workspace.load(root);
    for (const rel of ['README.md', 'a/b/c.yaml', '.hydra/config.yaml', '...', 'a..b/c', '', '.', '..', 'a//b', './a', 'a/./b', 'a/../b', '../outside', 'a/', 'src/x y/$(touch z).py']) {
      assert.equal(ws.abs(rel), path.join(ws.root, ...rel.split('/')), JSON.stringify(rel));
    }
  });

  it('reads files of 0 bytes, a few bytes, one pool chunk and beyond whole, with multi-byte characters intact', () => {
    root = gitRepo({ 'README.md': '# x\n' });
    const sizes = [0, 1, 4095, 4096, 8193, 70_001];
    for (const n of sizes) {
      const text = 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2);
      const abs = path.join(root, `f${n}.txt`);
      fs.writeFileSync(abs, text);
      const r = readTextFile(abs);
      assert.ok(r.ok, `${n} bytes`);
      assert.equal(r.ok && r.text, text, `${n} bytes`);
    }
  });
});
