import { ruleCases } from '../../support/ruleCases';
import { dtuTemplate, lightningHydra } from './layouts';

const LH = lightningHydra;
const TRAIN_PY = LH()['src/train.py'] as string;
const TRAIN_YAML = LH()['configs/train.yaml'] as string;
const main = (args: string): string =>
  TRAIN_PY.replace('@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")', `@hydra.main(${args})`);

ruleCases('HYD001', {
  valid: [
    { name: 'lightning-hydra-template: ../configs from src/train.py', files: LH() },
    { name: 'DTU template: ../../configs from src/<pkg>/train.py', files: dtuTemplate() },
  ],
  invalid: [
    {
      name: 'config_path relative to the working directory, not to the file',
      files: LH({ 'src/train.py': main('version_base="1.3", config_path="configs", config_name="train.yaml"') }),
      errors: [{ file: 'src/train.py', line: 8, text: '"configs"', message: 'resolves to src/configs/' }],
    },
  ],
});

ruleCases('HYD002', {
  valid: [
    { name: 'config_name with and without .yaml', files: LH({ 'src/eval.py': main('version_base="1.3", config_path="../configs", config_name="train"') }) },
  ],
  invalid: [
    {
      name: 'a typo in config_name',
      files: LH({ 'src/train.py': main('version_base="1.3", config_path="../configs", config_name="trian"') }),
      errors: [{ file: 'src/train.py', line: 8, text: '"trian"' }],
    },
  ],
});

ruleCases('HYD003', {
  valid: [{ name: 'lightning-hydra-template uses rootutils and a relative config_path', files: LH() }],
  invalid: [
    {
      name: 'a config path built from os.getcwd()',
      files: LH({ 'src/train.py': 'import os\n\n' + main('version_base="1.3", config_path=f"{os.getcwd()}/configs", config_name="train.yaml"') }),
      errors: [{ file: 'src/train.py', line: 10 }],
    },
  ],
});

ruleCases('HYD004', {
  valid: [{ name: 'version_base="1.3"', files: LH() }],
  invalid: [
    {
      name: 'no version_base',
      files: LH({ 'src/train.py': main('config_path="../configs", config_name="train.yaml"') }),
      errors: [{ file: 'src/train.py', line: 8 }],
    },
  ],
});

ruleCases('HYD005', {
  valid: [
    {
      name: 'lightning-hydra-template: null options, optional local, the project’s hydra group, plugin options, experiments with override /group',
      files: LH(),
    },
  ],
  invalid: [
    {
      name: 'an option that is not in the group, with a suggestion',
      files: LH({ 'configs/train.yaml': TRAIN_YAML.replace('  - data: mnist\n', '  - data: mnst\n') }),
      errors: [{ file: 'configs/train.yaml', line: 5, text: 'mnst', message: "Could not find 'data/mnst' (did you mean 'mnist'?)" }],
    },
  ],
});

ruleCases('HYD006', {
  valid: [{ name: 'one _self_ per list', files: LH() }],
  invalid: [
    {
      name: '_self_ twice',
      files: LH({ 'configs/train.yaml': TRAIN_YAML.replace('  - debug: null\n', '  - debug: null\n  - _self_\n') }),
      errors: [{ file: 'configs/train.yaml', line: 16 }],
    },
  ],
});

ruleCases('HYD007', {
  valid: [
    { name: 'overrides last in the hydra group and experiment', files: LH() },
    {
      name: '_self_ after the overrides (the course layout)',
      files: LH({
        'configs/hydra/default.yaml':
          'defaults:\n  - override hydra_logging: colorlog\n  - override job_logging: colorlog\n  - _self_\n\njob:\n  chdir: false\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'a group after an override',
      files: LH({ 'configs/experiment/example.yaml': '# @package _global_\n\ndefaults:\n  - override /data: mnist\n  - /callbacks: default\n\nseed: 12345\n' }),
      errors: [{ file: 'configs/experiment/example.yaml', line: 4 }],
    },
  ],
});

ruleCases('HYD008', {
  valid: [
    {
      name: 'an optional local config that is git-ignored',
      git: true,
      files: LH(),
      untracked: { 'configs/local/default.yaml': 'paths:\n  data_dir: /scratch/data\n' },
    },
  ],
  invalid: [
    {
      name: 'a committed config uses a git-ignored one',
      git: true,
      files: LH({ 'configs/train.yaml': TRAIN_YAML.replace('  - debug: null\n', '  - debug: null\n  - secret: dev\n'), '.gitignore': 'configs/secret/\n' }),
      untracked: { 'configs/secret/dev.yaml': 'key: 1\n' },
      errors: [{ file: 'configs/train.yaml', line: 16 }],
    },
  ],
});

ruleCases('HYD009', {
  valid: [
    {
      name: 'resolvers with colons and strftime patterns; an escaped \\${',
      files: LH({ 'configs/extras/default.yaml': 'ignore_warnings: False\nliteral: \\${not.an.interpolation}\n' }),
    },
  ],
  invalid: [
    {
      name: 'an unclosed ${',
      files: LH({ 'configs/extras/default.yaml': 'ignore_warnings: False\nrun_dir: outputs/${task_name\n' }),
      errors: [{ file: 'configs/extras/default.yaml', line: 2 }],
    },
  ],
});

ruleCases('HYD010', {
  valid: [{ name: 'lightning-hydra-template: ${paths.data_dir} across groups, ${hydra:...}, ${now:...}', files: LH() }],
  invalid: [
    {
      name: 'a key the composed config does not have',
      files: LH({ 'configs/data/mnist.yaml': '_target_: src.data.mnist_datamodule.MNISTDataModule\ndata_dir: ${paths.dataset_dir}\nbatch_size: 128\n' }),
      errors: [{ file: 'configs/data/mnist.yaml', line: 2, text: 'dataset_dir', message: "Interpolation key 'paths.dataset_dir' not found" }],
    },
  ],
});

ruleCases('HYD011', {
  valid: [
    { name: 'built-in resolvers (oc.env, hydra, now)', files: LH() },
    {
      name: 'a resolver registered in the project’s code',
      files: LH({
        'src/utils.py': 'from omegaconf import OmegaConf\n\nOmegaConf.register_new_resolver("mul", lambda a, b: a * b)\n',
        'configs/extras/default.yaml': 'ignore_warnings: False\nscaled: ${mul:2,3}\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'the old env: resolver, with a suggestion',
      files: LH({ 'configs/extras/default.yaml': 'ignore_warnings: False\npath: ${env:HOME}\n' }),
      errors: [{ file: 'configs/extras/default.yaml', line: 2, text: 'env', message: "did you mean 'oc.env'" }],
    },
  ],
});

ruleCases('HYD012', {
  valid: [{ name: 'oc.env with a default', files: LH() }],
  invalid: [
    {
      name: 'oc.env without a default',
      files: LH({
        'configs/paths/default.yaml':
          'root_dir: ${oc.env:DATA_ROOT}\ndata_dir: ${paths.root_dir}/data/\nlog_dir: ${paths.root_dir}/logs/\noutput_dir: ${hydra:runtime.output_dir}\n',
      }),
      errors: [{ file: 'configs/paths/default.yaml', line: 1 }],
    },
  ],
});

ruleCases('HYD013', {
  valid: [
    {
      name: 'a ??? set on the command line in the Makefile',
      files: LH({
        'configs/eval.yaml':
          'defaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n  - trainer: default\n  - paths: default\n\ntask_name: "eval"\nckpt_path: ???\n',
        Makefile: 'eval:\n\tpython src/eval.py ckpt_path=logs/train/best.ckpt\n',
        'src/eval.py': main('version_base="1.3", config_path="../configs", config_name="eval.yaml"'),
      }),
    },
  ],
  invalid: [
    {
      name: 'a ??? nothing supplies',
      files: LH({
        'configs/eval.yaml':
          'defaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n  - trainer: default\n  - paths: default\n\ntask_name: "eval"\nckpt_path: ???\n',
        'src/eval.py': main('version_base="1.3", config_path="../configs", config_name="eval.yaml"'),
      }),
      errors: [{ file: 'configs/eval.yaml', line: 9 }],
    },
  ],
});

ruleCases('HYD014', {
  valid: [{ name: 'lightning-hydra-template targets into src/', files: LH() }],
  invalid: [
    {
      name: 'a class the module does not define',
      files: LH({ 'configs/data/mnist.yaml': '_target_: src.data.mnist_datamodule.MnistDataModule\ndata_dir: ${paths.data_dir}\n' }),
      errors: [{ file: 'configs/data/mnist.yaml', line: 1 }],
    },
  ],
});

ruleCases('HYD015', {
  valid: [{ name: 'torch, lightning and the optuna sweeper plugin declared', files: LH() }],
  invalid: [
    {
      name: 'hydra-optuna-sweeper not declared: named, never "hydra-plugins"',
      files: LH({ 'requirements.txt': 'torch==2.5.1\nlightning==2.4.0\nhydra-core==1.3.2\nhydra-colorlog==1.2.0\nrootutils==1.0.7\n' }),
      errors: [
        { file: 'configs/hparams_search/mnist_optuna.yaml', line: 4, message: 'hydra-optuna-sweeper' },
        { file: 'configs/hparams_search/mnist_optuna.yaml', line: 11, message: 'hydra-optuna-sweeper' },
      ],
    },
  ],
});
