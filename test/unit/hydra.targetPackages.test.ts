import * as assert from 'node:assert/strict';
import { parseRequirementsText } from '../../server/src/engine/python/dependencies';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * HYD015 on the lightning-hydra-template layout. Facts (facebookresearch/hydra, plugins/<name>/setup.py, read
 * 2026-12-04): the distribution hydra-optuna-sweeper ships the module hydra_plugins.hydra_optuna_sweeper and requires
 * hydra-core and optuna; hydra-submitit-launcher requires submitit; there is no distribution "hydra-plugins"
 * (hydra_plugins is a namespace package every plugin adds to).
 */
const TORCH_URL = 'torch @ https://download.pytorch.org/whl/cu118/torch-2.1.0%2Bcu118-cp310-cp310-linux_x86_64.whl';
const PROJECT = {
  'README.md': '# lightning-hydra\n',
  'src/train.py': 'import hydra\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")\ndef main(cfg):\n    pass\n',
  'configs/train.yaml': 'defaults:\n  - model: mnist\n  - _self_\n',
  'configs/model/mnist.yaml': 'optimizer:\n  _target_: torch.optim.Adam\n  _partial_: true\n',
  'configs/hparams_search/mnist_optuna.yaml':
    '# @package _global_\ndefaults:\n  - override /hydra/sweeper: optuna\nhydra:\n  sweeper:\n    _target_: hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper\n    sampler:\n      _target_: optuna.samplers.TPESampler\n',
  'configs/launcher/slurm.yaml':
    '# @package _global_\nhydra:\n  launcher:\n    _target_: hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher\n',
};

describe('HYD015 target packages: Hydra plugins and direct-URL requirements', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a `name @ url.whl` requirement declares its name', () => {
    const [l] = parseRequirementsText(TORCH_URL + '\n');
    assert.equal(l.kind, 'direct');
    assert.equal(l.name, 'torch');
  });

  it('does not fire when the plugins and torch (by URL) are declared: optuna comes with hydra-optuna-sweeper', async () => {
    root = gitRepo({ ...PROJECT, 'requirements.txt': `${TORCH_URL}\nhydra-core==1.3.2\nhydra-optuna-sweeper==1.2.0\nhydra-submitit-launcher==1.2.0\n` });
    assert.deepEqual(where(await checkFolder(root), 'HYD015'), []);
  });

  it('fires when the plugin is not declared, naming hydra-optuna-sweeper, never "hydra-plugins"', async () => {
    root = gitRepo({ ...PROJECT, 'requirements.txt': 'hydra-core==1.3.2\n' });
    const f = (await checkFolder(root)).filter((x) => x.code === 'HYD015');
    assert.deepEqual(
      f.map((x) => `${x.file}:${x.range.start.line + 1}`),
      [
        'configs/hparams_search/mnist_optuna.yaml:3',
        'configs/hparams_search/mnist_optuna.yaml:6',
        'configs/hparams_search/mnist_optuna.yaml:8',
        'configs/launcher/slurm.yaml:4',
        'configs/model/mnist.yaml:2',
      ],
    );
    const msg = f.map((x) => x.message).join('\n');
    assert.match(msg, /OptunaSweeper needs the package 'hydra-optuna-sweeper'/);
    assert.match(msg, /TPESampler needs the package 'optuna'/);
    assert.match(msg, /SlurmLauncher needs the package 'hydra-submitit-launcher'/);
    assert.doesNotMatch(msg, /hydra-plugins/);
  });

  /**
   * The plugins' config-group options (ConfigStore names in plugins/<name>/hydra_plugins/... of facebookresearch/hydra,
   * and the plugins' documentation): hydra/sweeper optuna (hydra-optuna-sweeper), hydra/launcher submitit_local and
   * submitit_slurm (hydra-submitit-launcher), ray and ray_aws (hydra-ray-launcher), joblib (hydra-joblib-launcher),
   * hydra/job_logging and hydra/hydra_logging colorlog (hydra-colorlog). Without the plugin Hydra stops with "Could not
   * find 'hydra/sweeper/optuna'".
   */
  it('a defaults entry that picks a plugin option needs the plugin: fires when it is undeclared, not when declared', async () => {
    const files = {
      ...PROJECT,
      'configs/train.yaml':
        'defaults:\n  - model: mnist\n  - override hydra/job_logging: colorlog\n  - override hydra/launcher: submitit_slurm\n  - override hydra/hydra_logging: default\n  - _self_\n',
    };
    root = gitRepo({
      ...files,
      'requirements.txt': `${TORCH_URL}\nhydra-core==1.3.2\nhydra-colorlog==1.2.0\nhydra-optuna-sweeper==1.2.0\nhydra-submitit-launcher==1.2.0\n`,
    });
    assert.deepEqual(where(await checkFolder(root), 'HYD015'), []);
    rmrf(root);
    root = gitRepo({ ...files, 'requirements.txt': `${TORCH_URL}\nhydra-core==1.3.2\nhydra-submitit-launcher==1.2.0\n` });
    const f = (await checkFolder(root)).filter((x) => x.code === 'HYD015');
    assert.deepEqual(
      f.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character}-${x.range.end.character}`),
      [
        'configs/hparams_search/mnist_optuna.yaml:2:29-35',
        'configs/hparams_search/mnist_optuna.yaml:5:14-77',
        'configs/hparams_search/mnist_optuna.yaml:7:16-42',
        'configs/train.yaml:2:32-40',
      ],
    );
    assert.match(f.find((x) => x.file === 'configs/train.yaml')!.message, /hydra\/job_logging: colorlog.*'hydra-colorlog'/);
    assert.match(f[0].message, /hydra\/sweeper: optuna.*'hydra-optuna-sweeper'/);
  });
});
