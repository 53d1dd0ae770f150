import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/** The suggestion of a "did you mean" message, in any of the quotes the families use. */
function suggestion(message: string): string | undefined {
  // an MLproject placeholder is suggested with its braces (`{lr}`); the fix writes the name inside them
  return /did you mean [`'"]([^`'"]+)[`'"]\?/.exec(message)?.[1]?.replace(/^\{(.+)\}$/, '$1');
}

/**
 * One small ML project with a typo in each family that says "did you mean": DVC pipeline keys and params keys, a .dvc
 * file, MLproject, a W&B sweep (top-level key, distribution, parameter key) and Hydra (defaults option, interpolation).
 */
const FILES: Record<string, string> = {
  'README.md': '# digits\n',
  'pyproject.toml': '[project]\nname = "digits"\nversion = "0.1.0"\ndependencies = ["dvc==3.50.0", "hydra-core==1.3.2", "wandb==0.17.0", "mlflow==2.14.0"]\n',
  'tests/test_x.py': 'def test_x():\n    assert True\n',
  'train.py':
    'import hydra\nimport wandb\n\n\n@hydra.main(version_base="1.3", config_path="configs", config_name="config")\ndef main(cfg):\n    wandb.log({"val_loss": 0.1})\n\n\nif __name__ == "__main__":\n    main()\n',
  'params.yaml': 'train:\n  lr: 0.01\n  epochs: 10\n',
  'dvc.yaml':
    'stages:\n  train:\n    cmd: python train.py\n    dep:\n      - train.py\n    params:\n      - train.lrate\n      - train.epochs\n    outs:\n      - model.pkl\n',
  'data.dvc': 'outs:\n- md5: 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d\n  size: 10\n  path: data\n  cahce: false\n',
  MLproject: 'name: digits\nentrypoints:\n  main:\n    command: python train.py\n',
  'mlflow/MLproject': 'name: digits\nentry_points:\n  main:\n    parameters:\n      lr: {type: flaot, default: 0.1}\n    command: python train.py --lr {lrr}\n',
  'evaluate.py':
    'import hydra\n\n\n@hydra.main(version_base="1.3", config_path="configs", config_name="confg")\ndef main(cfg):\n    pass\n\n\nif __name__ == "__main__":\n    main()\n',
  'sweep.yaml':
    'program: train.py\nmethod: bayes\nmetirc:\n  name: val_loss\n  goal: minimize\nparameters:\n  lr:\n    distribution: log_unifrom_values\n    min: 0.0001\n    max: 0.1\n  batch:\n    values: [16, 32]\n    maximum: 3\n',
  'configs/config.yaml': 'defaults:\n  - model: smal\n  - _self_\n\nlr: 0.1\nopt:\n  lr: ${lrr}\n',
  'configs/model/small.yaml': 'depth: 4\n',
};

describe('"did you mean" comes with the quick fix that applies it, in every family', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('each finding that suggests a name has a fix writing it where the typo is; applied, the finding goes', async () => {
    root = gitRepo(FILES);
    const findings = await checkFolder(root);
    const suggesting = findings.filter((f) => suggestion(f.message));
    const codes = [...new Set(suggesting.map((f) => f.code))].sort();
    // the families this project exercises (a rule that stops suggesting is noticed here)
    for (const c of ['DVC001', 'DVC012', 'DVC050', 'HYD002', 'HYD005', 'HYD010', 'MLF001', 'MLF004', 'MLF005', 'WB001'])
      assert.ok(codes.includes(c), `no "did you mean" from ${c}: ${codes.join(', ')}`);
    const without = suggesting.filter((f) => !f.fixes?.some((x) => x.changes.some((c) => c.edits.some((e) => e.newText.includes(suggestion(f.message)!)))));
    assert.deepEqual(
      without.map((f) => `${f.code} ${f.file}:${f.range.start.line + 1} ${f.message.split('\n')[0]}`),
      [],
      'findings that suggest a name without a fix that writes it',
    );
    for (const f of suggesting) await appliedRemoves(f);
  });

  async function appliedRemoves(f: Finding): Promise<void> {
    const want = suggestion(f.message)!;
    const fix = f.fixes!.find((x) => x.changes.some((c) => c.edits.some((e) => e.newText.includes(want))))!;
    // a guess is never a safe (preferred) fix, in any family: fix-all on save and `check --fix` leave it alone (HYD002,
    // HYD005, HYD010 and MLF004/MLF005 marked theirs preferred, so `check --fix` rewrote config_name="trian" as "train")
    assert.ok(!f.fixes!.some((x) => x.preferred), `${f.code}: a guess must not be a safe (preferred) fix: ${f.fixes!.map((x) => x.title).join(', ')}`);
    const dir = gitRepo(FILES);
    try {
      for (const c of fix.changes) {
        const file = path.join(dir, c.file);
        fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), c.edits));
      }
      const after = await checkFolder(dir);
      const same = after.filter((x) => x.code === f.code && x.file === f.file && x.message === f.message);
      assert.deepEqual(
        same.map((x) => x.message),
        [],
        `${f.code} "${fix.title}" did not remove the finding`,
      );
    } finally {
      rmrf(dir);
    }
  }
});
