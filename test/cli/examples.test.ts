import * as assert from 'node:assert/strict';
import { checkFolder } from '../support/check';
import { copyExample, rmrf } from '../support/tmp';

describe('bundled examples', () => {
  it('the clean project has no findings at all', async () => {
    const root = copyExample('clean-project', true);
    try {
      const f = await checkFolder(root);
      assert.deepEqual(
        f.map((x) => `${x.code} ${x.file}: ${x.message}`),
        [],
      );
    } finally {
      rmrf(root);
    }
  });

  it('the broken project has findings of every family that has rules', async () => {
    const root = copyExample('broken-project', true);
    try {
      const codes = new Set((await checkFolder(root)).map((x) => x.code));
      for (const c of [
        'GIT001',
        'GIT002',
        'GIT003',
        'GIT005',
        'GIT006',
        'SEC001',
        'PRJ003',
        'YML001',
        'DEP001',
        'DEP002',
        'DKR001',
        'DKR003',
        'DKR004',
        'DKR007',
        'DKR008',
        'DKR009',
        'DKR010',
        'GHA002',
        'GHA003',
        'GHA004',
        'GHA005',
        'GHA006',
        'GHA007',
        'GHA008',
        'GHA009',
        'GHA010',
        'GHA011',
        'DEP003',
        'DEP004',
        'DEP005',
        'DEP006',
        'PRE002',
        'PRE003',
        'PRE004',
        'PRE005',
        'PRE006',
        'PRE007',
      ])
        assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
      // Hydra (HYD): a wrong config_path, no version_base, a missing option, a dangling interpolation, oc.env without default, a bad _target_
      for (const c of ['HYD001', 'HYD004', 'HYD005', 'HYD010', 'HYD012', 'HYD014']) assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
      // YAML loaders, W&B sweeps, MLproject (kept on their own line so that families do not edit the same line)
      for (const c of ['WB005']) assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
      // DVC data: data/raw tracked by DVC and committed to git, a DVC 2 hash, a gdrive remote with no default, no plugin declared, a secret in the tracked config
      for (const c of ['DVC052', 'DVC053', 'DVC060', 'DVC061', 'DVC062', 'DVC063']) assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
      // DVC pipeline (dvc.yaml with a foreach stage, dvc.lock, params.yaml): a missing script and dep, a params key typo, an unused key, stages never run, a changed command and params
      for (const c of ['DVC003', 'DVC006', 'DVC012', 'DVC013', 'DVC020', 'DVC022', 'DVC023'])
        assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
      // DVC014: src/digits/train.py saves models/model.pt, which the train stage (outs artifacts/${item}.pt) does not declare
      for (const c of ['DVC014']) assert.ok(codes.has(c), `expected ${c} in ${[...codes].join(', ')}`);
    } finally {
      rmrf(root);
    }
  });
});
