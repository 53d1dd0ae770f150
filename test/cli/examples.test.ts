import * as assert from 'node:assert/strict';
import { checkFolder } from '../support/check';
import { copyExample, rmrf } from '../support/tmp';

describe('bundled examples', () => {
  it('the clean project has no findings at all', async () => {
    const root = copyExample('clean-project', true);
    try {
      const f = await checkFolder(root);
      assert.deepEqual(f.map((x) => `${x.code} ${x.file}: ${x.message}`), []);
    } finally {
      rmrf(root);
    }
  });

  it('the broken project has findings of every family that has rules', async () => {
    const root = copyExample('broken-project', true);
    try {
      const codes = new Set((await checkFolder(root)).map((x) => x.code));
      for (const c of ['GIT001', 'GIT002', 'GIT003', 'GIT005', 'GIT006', 'SEC001', 'PRJ003', 'PRJ006', 'YML001']) assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
    } finally {
      rmrf(root);
    }
  });
});
