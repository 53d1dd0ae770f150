import { ruleCases } from '../../support/ruleCases';
import { dtuTemplate } from './layouts';

/** The course's sweep (configs/sweep.yaml) with a program that logs validation_loss; `body` replaces method and parameters. */
const COURSE_SWEEP =
  'program: src/mnist_classifier/sweep_train.py\nname: sweepdemo\nproject: mnist\nmetric:\n  goal: minimize\n  name: validation_loss\nmethod: bayes\nparameters:\n  learning_rate:\n    min: 0.0001\n    max: 0.1\n    distribution: log_uniform_values\n  batch_size:\n    values: [16, 32, 64]\n  epochs:\n    values: [5, 10, 15]\nrun_cap: 10\n';
const PROGRAM = 'import wandb\n\nrun = wandb.init()\nwandb.log({"validation_loss": 0.1, "train_loss": 0.2})\n';
const course = (sweep: string, extra: Record<string, string> = {}) =>
  dtuTemplate({ 'configs/sweep.yaml': sweep, 'src/mnist_classifier/sweep_train.py': PROGRAM, ...extra });
const head = 'program: src/mnist_classifier/sweep_train.py\nmetric:\n  goal: minimize\n  name: validation_loss\n';

ruleCases('WB001', {
  valid: [{ name: 'the course sweep', files: course(COURSE_SWEEP) }],
  invalid: [
    {
      name: 'method bayesian and distribution loguniform',
      files: course(`${head}method: bayesian\nparameters:\n  lr:\n    distribution: loguniform\n    min: 0.0001\n    max: 0.1\n`),
      errors: [
        { file: 'configs/sweep.yaml', line: 5, text: 'bayesian' },
        { file: 'configs/sweep.yaml', line: 8, text: 'loguniform' },
      ],
    },
  ],
});

ruleCases('WB002', {
  valid: [{ name: 'min below max', files: course(COURSE_SWEEP) }],
  invalid: [
    {
      name: 'dropout min 0.5 max 0.1',
      files: course(`${head}method: random\nparameters:\n  dropout:\n    min: 0.5\n    max: 0.1\n`),
      errors: [{ file: 'configs/sweep.yaml', line: 8 }],
    },
  ],
});

ruleCases('WB003', {
  valid: [{ name: 'a grid over values', files: course(`${head}method: grid\nparameters:\n  batch_size:\n    values: [16, 32]\n  lr:\n    value: 0.01\n`) }],
  invalid: [
    {
      name: 'a grid with a continuous range',
      files: course(`${head}method: grid\nparameters:\n  lr:\n    min: 0.0001\n    max: 0.1\n`),
      errors: [{ file: 'configs/sweep.yaml', line: 7, text: 'lr' }],
    },
  ],
});

ruleCases('WB004', {
  valid: [
    {
      name: 'probabilities that sum to 1',
      files: course(`${head}method: random\nparameters:\n  optimizer:\n    values: [adam, sgd]\n    probabilities: [0.7, 0.3]\n`),
    },
  ],
  invalid: [
    {
      name: 'probabilities summing to 0.9',
      files: course(`${head}method: random\nparameters:\n  optimizer:\n    values: [adam, sgd]\n    probabilities: [0.7, 0.2]\n`),
      errors: [{ file: 'configs/sweep.yaml', line: 9 }],
    },
  ],
});

ruleCases('WB005', {
  valid: [
    { name: 'log_uniform_values with values (the course sweep)', files: course(COURSE_SWEEP) },
    {
      name: 'log_uniform with exponents',
      files: course(`${head}method: random\nparameters:\n  lr:\n    distribution: log_uniform\n    min: -9.21\n    max: -2.3\n`),
    },
  ],
  invalid: [
    {
      name: 'log_uniform with values (the course reference project’s mistake)',
      files: course(`${head}method: random\nparameters:\n  lr:\n    distribution: log_uniform\n    min: 0.0001\n    max: 0.1\n`),
      errors: [{ file: 'configs/sweep.yaml', line: 8, text: 'log_uniform' }],
      output: { 'configs/sweep.yaml': `${head}method: random\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.1\n` },
    },
  ],
});

ruleCases('WB006', {
  valid: [
    { name: 'the course sweep’s program exists', files: course(COURSE_SWEEP) },
    {
      name: 'a sweep passed to wandb.sweep by a script needs no program',
      files: dtuTemplate({
        'configs/sweep.yaml': COURSE_SWEEP.replace('program: src/mnist_classifier/sweep_train.py\n', ''),
        'src/mnist_classifier/sweep.py':
          'import wandb\nimport yaml\n\ncfg = yaml.safe_load(open("configs/sweep.yaml"))\nsweep_id = wandb.sweep(cfg, project="mnist")\n\n\ndef train():\n    wandb.init()\n    wandb.log({"validation_loss": 0.1})\n\n\nwandb.agent(sweep_id, function=train)\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'program: train.py, the script is under src/',
      files: course(COURSE_SWEEP.replace('program: src/mnist_classifier/sweep_train.py', 'program: train.py')),
      errors: [{ file: 'configs/sweep.yaml', line: 1, text: 'train.py' }],
    },
  ],
});

ruleCases('WB007', {
  valid: [
    {
      name: 'a Hydra program with ${args_no_hyphens}',
      files: dtuTemplate({
        'configs/sweep.yaml':
          'program: src/mnist_classifier/train.py\nmethod: random\nmetric:\n  name: validation_loss\nparameters:\n  lr:\n    values: [0.01, 0.001]\ncommand:\n  - ${env}\n  - ${interpreter}\n  - ${program}\n  - ${args_no_hyphens}\n',
        'src/mnist_classifier/log.py': 'import wandb\n\nwandb.log({"validation_loss": 1})\n',
      }),
    },
    { name: 'a program that is no Hydra app', files: course(COURSE_SWEEP) },
  ],
  invalid: [
    {
      name: 'a Hydra app swept with the default command (--lr=... is rejected by Hydra)',
      files: dtuTemplate({
        'configs/sweep.yaml':
          'program: src/mnist_classifier/train.py\nmethod: random\nmetric:\n  name: validation_loss\nparameters:\n  lr:\n    values: [0.01, 0.001]\n',
        'src/mnist_classifier/log.py': 'import wandb\n\nwandb.log({"validation_loss": 1})\n',
      }),
      errors: [{ file: 'configs/sweep.yaml', line: 1 }],
      output: {
        'configs/sweep.yaml':
          'program: src/mnist_classifier/train.py\nmethod: random\nmetric:\n  name: validation_loss\nparameters:\n  lr:\n    values: [0.01, 0.001]\ncommand:\n  - ${env}\n  - ${interpreter}\n  - ${program}\n  - ${args_no_hyphens}\n',
      },
    },
  ],
});

ruleCases('WB008', {
  valid: [
    { name: 'the metric is a wandb.log key', files: course(COURSE_SWEEP) },
    {
      name: 'a Lightning self.log name',
      files: course(COURSE_SWEEP.replace('name: validation_loss', 'name: val/acc'), {
        'src/mnist_classifier/lit.py':
          'from lightning import LightningModule\n\n\nclass M(LightningModule):\n    def validation_step(self, batch, i):\n        self.log("val/acc", 1.0)\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'val_accuracy while the code logs val_acc',
      files: course(COURSE_SWEEP.replace('name: validation_loss', 'name: val_accuracy')),
      errors: [{ file: 'configs/sweep.yaml', line: 6, text: 'val_accuracy' }],
    },
  ],
});
