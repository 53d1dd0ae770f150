import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const TRAIN = 'import wandb\n\ndef main():\n    wandb.init()\n    wandb.log({"val_loss": 0.1, "train_loss": 0.2})\n';

function messages(f: Finding[], code: string): string[] {
  return f.filter((x) => x.code === code).map((x) => x.message);
}

describe('WB001-WB008 W&B sweep configs', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a correct sweep has no WB finding; a Hydra config named sweep.yaml is not a sweep', async () => {
    root = gitRepo({
      'sweep.yaml':
        'program: train.py\nmethod: bayes\nmetric:\n  name: val_loss\n  goal: minimize\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.1\n  exp_lr:\n    distribution: log_uniform\n    min: -9.2\n    max: -2.3\n  layers:\n    values: [1, 2]\n  opt:\n    parameters:\n      momentum:\n        min: 0.5\n        max: 0.99\nearly_terminate:\n  type: hyperband\n  min_iter: 3\n',
      'configs/hparams/sweep.yaml': 'defaults:\n  - override /hydra/sweeper: optuna\nhydra:\n  sweeper:\n    direction: maximize\n',
      'train.py': TRAIN,
    });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.code.startsWith('WB')).map((x) => `${x.code} ${x.file}: ${x.message}`),
      [],
    );
  });

  it('WB001 reports schema problems on the exact node, with did-you-mean', async () => {
    root = gitRepo({
      'sweep.yaml':
        'program: train.py\nmethod: bayesian\nmetrc:\n  name: val_loss\nrun_cap: 0\nparameters:\n  lr:\n    distribution: loguniform\n    min: 0.1\n    max: 1\n  bs:\n    min: 16\n    max: 64\n    step: 8\n  drop: 0.5\n  wd:\n    distribution: normal\n    sigma: -1\n  n:\n    distribution: int_uniform\n    min: 1.5\n    max: 4\nearly_terminate:\n  type: hyperband\n',
      'train.py': TRAIN,
    });
    const f = await checkFolder(root);
    const m = messages(f, 'WB001');
    assert.ok(
      m.some((x) => /`method` is `bayesian`.*did you mean `bayes`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /unknown key `metrc`.*did you mean `metric`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /`run_cap`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /unknown distribution `loguniform`; did you mean `log_uniform`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /`bs` \(int_uniform, inferred\) does not take `step`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /`drop` must be a mapping.*write `value: 0.5`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /`wd`: `sigma` must not be negative/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /`n` is int_uniform: `min` must be an integer, found 1.5/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /early_terminate.*needs `min_iter`/.test(x)),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => /`early_terminate` needs a `metric`/.test(x)),
      m.join('\n'),
    );
    const wb = where(f, 'WB001');
    assert.ok(wb.includes('sweep.yaml:2')); // method value
    assert.ok(wb.includes('sweep.yaml:8')); // distribution value
    assert.ok(wb.includes('sweep.yaml:14')); // the `step` key
  });

  it('WB002 min >= max, WB003 grid over a continuous range, WB004 probabilities', async () => {
    root = gitRepo({
      'sweep.yaml':
        'program: train.py\nmethod: grid\nparameters:\n  lr:\n    min: 0.5\n    max: 0.1\n  opt:\n    values: [adam, sgd]\n    probabilities: [0.7, 0.2]\n  act:\n    values: [relu, gelu, tanh]\n    probabilities: [0.5, 0.5]\n  layers:\n    min: 1\n    max: 4\n  width:\n    values: [64, 128]\n',
      'train.py': TRAIN,
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'WB002'), ['sweep.yaml:5']);
    assert.deepEqual(where(f, 'WB003'), ['sweep.yaml:4', 'sweep.yaml:7', 'sweep.yaml:10']); // uniform, and categorical with probabilities; int_uniform is fine
    assert.deepEqual(where(f, 'WB004'), ['sweep.yaml:9', 'sweep.yaml:12']);
    assert.match(messages(f, 'WB004')[0], /probabilities sum to 0.9, not 1/);
    assert.match(messages(f, 'WB004')[1], /3 values but 2 probabilities/);
  });

  it('WB005 fires on log_uniform with value bounds, with a fix to log_uniform_values; not on exponent bounds', async () => {
    const sweep =
      'program: train.py\nmethod: random\nparameters:\n  lr:\n    distribution: log_uniform\n    min: 0.0001\n    max: 0.1\n  bs:\n    distribution: q_log_uniform\n    min: 16\n    max: 256\n  ok:\n    distribution: log_uniform\n    min: -9.21\n    max: -2.3\n  ok2:\n    distribution: log_uniform\n    min: 0\n    max: 5\n';
    root = gitRepo({ 'sweep.yaml': sweep, 'train.py': TRAIN });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'WB005'), ['sweep.yaml:5', 'sweep.yaml:9']);
    const lr = f.find((x) => x.code === 'WB005')!;
    assert.match(lr.message, /samples values between 1\.0001 and 1\.105; for bounds that are values use log_uniform_values/);
    assert.equal(applyEdits(sweep, lr.fixes![0].changes[0].edits).split('\n')[4], '    distribution: log_uniform_values');
    assert.match(messages(f, 'WB005')[1], /use q_log_uniform_values/);
  });

  it('WB006 program missing, with a suggestion; found next to the sweep is fine', async () => {
    root = gitRepo({
      'sweep.yaml': 'program: train.py\nmethod: random\nparameters:\n  a:\n    values: [1]\n',
      'configs/sweep.yaml': 'program: run.py\nmethod: random\nparameters:\n  a:\n    values: [1]\n',
      'configs/run.py': 'print(1)\n',
      'src/digits/train.py': 'print(1)\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'WB006'), ['sweep.yaml:1']);
    assert.match(messages(f, 'WB006')[0], /program `train.py` does not exist.*did you mean `src\/digits\/train.py`/);
  });

  it('WB007 Hydra program without ${args_no_hyphens}: fix adds the command; an existing one is respected', async () => {
    const hydraApp = 'import hydra\n\n@hydra.main(config_path="configs", config_name="config", version_base=None)\ndef main(cfg):\n    pass\n';
    const sweep = 'program: src/train.py\nmethod: random\nparameters:\n  lr:\n    values: [0.1, 0.01]\n';
    root = gitRepo({ 'sweep.yaml': sweep, 'src/train.py': hydraApp, 'configs/config.yaml': 'lr: 0.1\n' });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'WB007'), ['sweep.yaml:1']);
    const after = applyEdits(sweep, f.find((x) => x.code === 'WB007')!.fixes![0].changes[0].edits);
    assert.ok(after.endsWith('command:\n  - ${env}\n  - ${interpreter}\n  - ${program}\n  - ${args_no_hyphens}\n'), after);
    fs.writeFileSync(path.join(root, 'sweep.yaml'), after);
    assert.deepEqual(where(await checkFolder(root), 'WB007'), []);
    fs.writeFileSync(path.join(root, 'sweep.yaml'), sweep + 'command:\n  - ${env}\n  - python\n  - ${program}\n  - ${args}\n');
    const g = await checkFolder(root);
    assert.deepEqual(where(g, 'WB007'), ['sweep.yaml:6']); // the command key
    assert.match(
      applyEdits(sweep + 'command:\n  - ${env}\n  - python\n  - ${program}\n  - ${args}\n', g.find((x) => x.code === 'WB007')!.fixes![0].changes[0].edits),
      /- \$\{program\}\n  - \$\{args_no_hyphens\}\n$/,
    );
  });

  it('WB008 metric not logged: fires with the logged names, silent for f-strings, Lightning suffixes and opaque integrations', async () => {
    const sweep = (metric: string): string => `program: train.py\nmethod: bayes\nmetric:\n  name: ${metric}\nparameters:\n  a:\n    values: [1]\n`;
    root = gitRepo({ 'sweep.yaml': sweep('val_accuracy'), 'train.py': TRAIN });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'WB008'), ['sweep.yaml:4']);
    assert.match(messages(f, 'WB008')[0], /metric `val_accuracy` is not logged anywhere in the code \(logged: `val_loss`, `train_loss`\)/);
    rmrf(root);

    root = gitRepo({
      'sweep.yaml': sweep('val/accuracy'),
      'train.py': 'import wandb\nfor split in ["train", "val"]:\n    wandb.log({f"{split}/accuracy": 1.0})\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'WB008'), []);
    rmrf(root);

    root = gitRepo({
      'sweep.yaml': sweep('val_loss_epoch'),
      'model.py': 'class M:\n    def validation_step(self, b, i):\n        self.log("val_loss", 1.0, on_step=True, on_epoch=True)\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'WB008'), []);
    rmrf(root);

    root = gitRepo({
      'sweep.yaml': sweep('val_accuracy'),
      'train.py': 'import wandb\nfrom wandb.integration.keras import WandbMetricsLogger\nwandb.log({"lr": 1})\nmodel.fit(callbacks=[WandbMetricsLogger()])\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'WB008'), []);
    rmrf(root);

    root = gitRepo({ 'sweep.yaml': sweep('val_accuracy'), 'train.py': 'print("no logging at all")\n' });
    assert.deepEqual(where(await checkFolder(root), 'WB008'), []);
  });
});
