import { ruleCases } from '../../support/ruleCases';
import { dtuTemplate, lightningHydra } from './layouts';

/** A W&B sweep config of the course (read by `wandb sweep` with PyYAML) with one parameter line to vary. */
const sweep = (param: string): string =>
  `program: src/mnist_classifier/sweep_train.py\nmethod: random\nmetric:\n  goal: minimize\n  name: validation_loss\nparameters:\n${param}`;
const PROGRAM = { 'src/mnist_classifier/sweep_train.py': 'import wandb\n\nrun = wandb.init()\nwandb.log({"validation_loss": 0.1})\n' };

ruleCases('YML001', {
  valid: [
    { name: 'Hydra configs with 1e-3 (OmegaConf reads them as floats): the DTU template’s lr', files: dtuTemplate() },
    {
      name: 'params.yaml is read by ruamel (YAML 1.2)',
      files: dtuTemplate({
        'params.yaml': 'lr: 1e-3\n',
        'dvc.yaml': 'stages:\n  t:\n    cmd: python src/mnist_classifier/train.py\n    params: [lr]\n    outs: [models]\n',
      }),
    },
    {
      name: 'a sweep with 1.0e-5 written the PyYAML way',
      files: dtuTemplate({ 'configs/sweep.yaml': sweep('  lr:\n    min: 1.0e-5\n    max: 1.0e-2\n'), ...PROGRAM }),
    },
  ],
  invalid: [
    {
      name: 'a W&B sweep with 1e-5 bounds (strings for PyYAML)',
      files: dtuTemplate({ 'configs/sweep.yaml': sweep('  lr:\n    min: 1e-5\n    max: 0.01\n'), ...PROGRAM }),
      errors: [{ file: 'configs/sweep.yaml', line: 8, text: '1e-5' }],
      output: { 'configs/sweep.yaml': sweep('  lr:\n    min: 1.0e-5\n    max: 0.01\n') },
    },
  ],
});

ruleCases('YML002', {
  valid: [
    {
      name: 'quoted "off" and true/false in Hydra configs',
      files: lightningHydra({ 'configs/logger/wandb.yaml': 'wandb:\n  mode: "off"\n  log_model: false\n' }),
    },
  ],
  invalid: [
    {
      name: 'wandb_mode: off in a Hydra config',
      files: lightningHydra({ 'configs/logger/wandb.yaml': 'wandb:\n  mode: off\n' }),
      errors: [{ file: 'configs/logger/wandb.yaml', line: 2, text: 'off' }],
    },
  ],
});

ruleCases('YML003', {
  valid: [
    {
      name: 'seed: 10 and a quoted "010"',
      files: dtuTemplate({ 'configs/sweep.yaml': sweep('  seed:\n    value: 10\n  code:\n    value: "010"\n'), ...PROGRAM }),
    },
  ],
  invalid: [
    {
      name: 'value: 010 in a sweep (octal 8 for PyYAML)',
      files: dtuTemplate({ 'configs/sweep.yaml': sweep('  seed:\n    value: 010\n'), ...PROGRAM }),
      errors: [{ file: 'configs/sweep.yaml', line: 8, text: '010' }],
    },
  ],
});

ruleCases('YML004', {
  valid: [
    {
      name: 'a quoted time limit',
      files: {
        MLproject:
          'name: digits\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      time_limit: {type: string, default: "1:30"}\n    command: python train.py --time-limit {time_limit}\n',
        'python_env.yaml': 'python: "3.11"\ndependencies:\n  - mlflow==2.19.0\n',
        'train.py': '',
      },
    },
  ],
  invalid: [
    {
      name: 'default: 1:30 in MLproject (90 for PyYAML)',
      files: {
        MLproject:
          'name: digits\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      time_limit: {type: string, default: 1:30}\n    command: python train.py --time-limit {time_limit}\n',
        'python_env.yaml': 'python: "3.11"\ndependencies:\n  - mlflow==2.19.0\n',
        'train.py': '',
      },
      errors: [{ file: 'MLproject', line: 6, text: '1:30' }],
    },
  ],
});

ruleCases('YML005', {
  valid: [
    {
      name: 'dates in Hydra configs stay strings for OmegaConf',
      files: lightningHydra({ 'configs/extras/default.yaml': 'ignore_warnings: False\nsnapshot: 2024-01-15\n' }),
    },
  ],
  invalid: [
    {
      name: 'a date in a file a script reads with yaml.safe_load',
      files: {
        'README.md': '# x\n',
        'data.yaml': 'snapshot: 2024-01-15\n',
        'src/proj/__init__.py': '',
        'src/proj/data.py': 'import yaml\n\nwith open("data.yaml") as f:\n    cfg = yaml.safe_load(f)\n',
      },
      errors: [{ file: 'data.yaml', line: 1, text: '2024-01-15' }],
    },
  ],
});
