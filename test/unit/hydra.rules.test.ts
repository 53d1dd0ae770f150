import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { git, gitRepo, rmrf, tmpDir, writeTree } from '../support/tmp';

const TRAIN_PY = `import os
import hydra
from omegaconf import OmegaConf
OmegaConf.register_new_resolver("mul", lambda a, b: a * b)

@hydra.main(config_path="../../configs", config_name="config")
def main(cfg):
    pass

@hydra.main(config_path="../../confs", config_name="config", version_base="1.3")
def other(cfg):
    pass

@hydra.main(config_path="../../configs", config_name="trian", version_base="1.3")
def third(cfg):
    pass

@hydra.main(config_path=f"{os.getcwd()}/configs", config_name="config", version_base="1.3")
def fourth(cfg):
    pass
`;

const BROKEN_CONFIG = `defaults:
  - model: resnet18
  - data: mnst
  - optional local: paths
  - override hydra/job_logging: colorlog
  - _self_
  - _self_
  - secret: dev

lr: \${model.learning_rate}
batch: \${data.batch_size}
scaled: \${mul:\${lr},2}
path: \${env:HOME}
home: \${oc.env:HOME}
bad: \${model.lr
ckpt: ???
out: \${hydra:runtime.output_dir}
`;

const HYD = (f: Finding[]) => f.filter((x) => x.code.startsWith('HYD'));

describe('HYD rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fire on a broken Hydra setup, each at its exact place', async () => {
    root = gitRepo({
      'requirements.txt': 'hydra-core==1.3.2\ntorch==2.3.0\n',
      '.gitignore': 'configs/secret/\n',
      'src/proj/__init__.py': '',
      'src/proj/models.py': 'class Net:\n    pass\n\ndef build():\n    pass\n',
      'src/proj/train.py': TRAIN_PY,
      'configs/config.yaml': BROKEN_CONFIG,
      'configs/model/resnet18.yaml': '_target_: proj.models.Net\nlr: 0.1\n',
      'configs/model/vit.yaml': '_target_: proj.models.ViT\nlr: 0.01\nopt:\n  _target_: sklearn.linear_model.SGDClassifier\nwd: ${.lr}\nbad_rel: ${.nope}\n',
      'configs/data/mnist.yaml': 'batch_size: 64\n',
    });
    writeTree(root, { 'configs/secret/dev.yaml': 'key: 1\n' });
    const f = await checkFolder(root);
    const at = (code: string) => where(f, code);
    assert.deepEqual(at('HYD001'), ['src/proj/train.py:10']);
    assert.deepEqual(at('HYD002'), ['src/proj/train.py:14']);
    assert.deepEqual(at('HYD003'), ['src/proj/train.py:18']);
    assert.deepEqual(at('HYD004'), ['src/proj/train.py:6']);
    assert.deepEqual(at('HYD005'), ['configs/config.yaml:3']);
    assert.deepEqual(at('HYD006'), ['configs/config.yaml:7']);
    assert.deepEqual(at('HYD007'), ['configs/config.yaml:5']);
    assert.deepEqual(at('HYD008'), ['configs/config.yaml:8']);
    assert.deepEqual(at('HYD009'), ['configs/config.yaml:15']);
    assert.deepEqual(at('HYD010').sort(), ['configs/config.yaml:10', 'configs/model/vit.yaml:6']);
    assert.deepEqual(at('HYD011'), ['configs/config.yaml:13']);
    assert.deepEqual(at('HYD012'), ['configs/config.yaml:14']);
    assert.deepEqual(at('HYD013'), ['configs/config.yaml:16']);
    assert.deepEqual(at('HYD014'), ['configs/model/vit.yaml:1']);
    // colorlog: `override hydra/job_logging: colorlog` needs hydra-colorlog, which requirements.txt lacks
    assert.deepEqual(at('HYD015').sort(), ['configs/config.yaml:5', 'configs/model/vit.yaml:4']);

    const missing = f.find((x) => x.code === 'HYD005')!;
    assert.equal(missing.message, "In 'config': Could not find 'data/mnst' (did you mean 'mnist'?)\n\nAvailable options in 'data':\n\tmnist");
    assert.deepEqual(missing.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 14 } });
    const text = fs.readFileSync(path.join(root, 'configs/config.yaml'), 'utf8');
    assert.match(applyEdits(text, missing.fixes![0].changes[0].edits), /- data: mnist\n/);

    const key = f.find((x) => x.code === 'HYD010' && x.file === 'configs/config.yaml')!;
    assert.match(key.message, /Interpolation key 'model.learning_rate' not found: model has no key 'learning_rate'/);
    assert.deepEqual(key.range, { start: { line: 9, character: 12 }, end: { line: 9, character: 25 } });
    const rel = f.find((x) => x.code === 'HYD010' && x.file === 'configs/model/vit.yaml')!;
    assert.match(rel.message, /'model.nope' not found.*composed from configs\/config.yaml with model=vit/);
    assert.deepEqual(rel.range.start, { line: 5, character: 12 });
    const res = f.find((x) => x.code === 'HYD011')!;
    assert.match(res.message, /Resolver 'env' .*did you mean 'oc.env'/);
    assert.deepEqual(res.range, { start: { line: 12, character: 8 }, end: { line: 12, character: 11 } });
    assert.match(
      f.find((x) => x.code === 'HYD001')!.message,
      /resolves to confs\/ .* does not exist; relative to src\/proj\/train.py, the config folder is "..\/..\/configs"/,
    );
    assert.match(f.find((x) => x.code === 'HYD002')!.message, /did you mean "train"\?|configs in configs\/: config/);
    const vb = f.find((x) => x.code === 'HYD004')!;
    assert.match(applyEdits(TRAIN_PY, vb.fixes![0].changes[0].edits), /config_name="config", version_base="1.3"\)\ndef main/);
  });

  it('do not fire on a correct Hydra setup using packages, absolute groups, plugins, optional entries and escapes', async () => {
    root = gitRepo({
      'pyproject.toml':
        '[project]\nname = "proj"\nversion = "0.1.0"\ndependencies = ["hydra-core>=1.3", "hydra-colorlog>=1.2", "hydra-joblib-launcher>=1.2", "torch>=2"]\n',
      'src/proj/__init__.py': 'from .models import Net\n',
      'src/proj/models.py': 'class Net:\n    pass\n',
      'src/proj/train.py':
        'import hydra\nfrom omegaconf import OmegaConf\nOmegaConf.register_new_resolver("mul", lambda a, b: a * b)\n\n@hydra.main(config_path="../../configs", config_name="config", version_base="1.3")\ndef main(cfg):\n    pass\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python src/proj/train.py ckpt=models/best.ckpt\n',
      'configs/config.yaml': [
        'defaults:',
        '  - model: net',
        '  - data@dataset: mnist',
        '  - optional local: paths',
        '  - hydra/job_logging: colorlog',
        '  - experiment: null',
        '  - _self_',
        '  - override hydra/launcher: joblib',
        '',
        'lr: ${model.lr}',
        'bs: ${dataset.batch_size}',
        'twice: ${mul:${lr},2}',
        'bracket: ${model[lr]}',
        'escaped: \\${not.a.key}',
        'home: ${oc.env:HOME,/tmp}',
        'ckpt: ???',
        'run_dir: ${hydra:runtime.output_dir}',
        'now: ${now:%Y-%m-%d}',
        'trainer:',
        '  epochs: 3',
        '  sched:',
        '    total: ${..epochs}',
        '    first: ${.warmup}',
        '    warmup: 1',
        '',
      ].join('\n'),
      'configs/model/net.yaml': 'defaults:\n  - /optim: adam\n  - _self_\n_target_: proj.models.Net\nlr: 0.1\n',
      'configs/optim/adam.yaml': '_target_: torch.optim.Adam\nlr: ${model.lr}\n',
      'configs/data/mnist.yaml': 'batch_size: 64\nsize: ${.batch_size}\n',
      'configs/experiment/big.yaml': '# @package _global_\ndefaults:\n  - override /model: net\nlr_ref: ${model.lr}\ntrainer:\n  epochs: 50\n',
      'configs/sweep.yaml': 'program: src/proj/train.py\nmethod: grid\ncommand:\n  - ${env}\n  - ${interpreter}\n  - ${program}\n  - ${args_no_hyphens}\n',
      'outputs/2024-01-01/00-00-00/.hydra/config.yaml': 'lr: ${model.gone}\nx: ${nope:1}\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(
      HYD(f).map((x) => `${x.code} ${x.file}:${x.range.start.line + 1} ${x.message}`),
      [],
    );
    // the same keys, misspelt, are found: the composition (packages, relative keys, experiment override) is real
    const cfg = path.join(root, 'configs/config.yaml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('${dataset.batch_size}', '${dataset.batch_sz}').replace('${..epochs}', '${..epoch}'));
    fs.writeFileSync(path.join(root, 'configs/experiment/big.yaml'), '# @package _global_\ndefaults:\n  - override /model: net\nlr_ref: ${model.lrate}\n');
    const g = await checkFolder(root);
    assert.deepEqual(where(g, 'HYD010').sort(), ['configs/config.yaml:11', 'configs/config.yaml:22', 'configs/experiment/big.yaml:4']);
  });

  it('HYD007 does not count _self_ after the overrides (the course layout), and still fires on a group after them', async () => {
    // Fact (Hydra 1.1-1.3, hydra/_internal/defaults_list.py `_update_overrides`): the loop that raises "Overrides must
    // be at the end of the defaults list" starts with `if d.is_self(): continue`, so `_self_` may follow overrides.
    const files = {
      'requirements.txt': 'hydra-core==1.3.2\nhydra-colorlog==1.2.0\n',
      'src/fish/__init__.py': '',
      'src/fish/train.py': 'import hydra\n\n@hydra.main(version_base="1.3", config_path="../../configs", config_name="config")\ndef train(cfg):\n    pass\n',
      'configs/config.yaml':
        'defaults:\n  - model: default\n  - override hydra/job_logging: colorlog\n  - override hydra/hydra_logging: colorlog\n  - _self_\n\nseed: 42\n',
      'configs/model/default.yaml': 'lr: 1e-3\n',
    };
    root = gitRepo(files);
    assert.deepEqual(where(await checkFolder(root), 'HYD007'), []);
    rmrf(root);
    root = gitRepo({
      ...files,
      'configs/config.yaml': files['configs/config.yaml']
        .replace('  - _self_\n', '  - _self_\n  - model: default\n')
        .replace('  - model: default\n  - override', '  - override'),
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'HYD007'), ['configs/config.yaml:2', 'configs/config.yaml:3']);
    assert.match(f.find((x) => x.code === 'HYD007')!.message, /comes before 'model: default' \(entry 4\)/);
  });

  it('HYD008 fires on an untracked config that a committed config uses, not on an optional one', async () => {
    root = gitRepo(
      {
        'main.py': 'import hydra\n@hydra.main(config_path="conf", config_name="config", version_base="1.3")\ndef m(c):\n    pass\n',
        'conf/config.yaml': 'defaults:\n  - db: local\n  - optional extra: x\n  - _self_\n',
        'conf/db/local.yaml': 'host: x\n',
        'conf/extra/x.yaml': 'y: 1\n',
      },
      ['main.py', 'conf/config.yaml'],
    );
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'HYD008'), ['conf/config.yaml:2']);
    assert.match(f.find((x) => x.code === 'HYD008')!.message, /conf\/db\/local.yaml, which is not committed/);
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'all');
    assert.deepEqual(where(await checkFolder(root), 'HYD008'), []);
  });

  it('without git (restricted mode, check --no-git) a `data` config group is read, not reported as git-ignored', async () => {
    root = tmpDir();
    writeTree(root, {
      'main.py': 'import hydra\n@hydra.main(config_path="configs", config_name="config", version_base="1.3")\ndef m(c):\n    pass\n',
      'configs/config.yaml': 'defaults:\n  - data: digits\n  - _self_\n',
      'configs/data/digits.yaml': 'root: ${oc.env:DATA_DIR}\n',
      'data/raw/train.csv': 'x\n',
    });
    const f = await checkFolder(root, {}, false);
    assert.deepEqual(where(f, 'HYD008'), [], 'configs/data/digits.yaml is not ignored, only unwalked');
    assert.deepEqual(where(f, 'HYD012'), ['configs/data/digits.yaml:1'], 'the group file is checked like any config');
    // the same project with git: the same answer
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, '-c', 'commit.gpgsign=false', 'commit', '-qm', 'all');
    const g = await checkFolder(root);
    assert.deepEqual([where(g, 'HYD008'), where(g, 'HYD012')], [[], ['configs/data/digits.yaml:1']]);
  });

  it('HYD015 does not fire when the distribution is declared under another name, HYD014 finds re-exports', async () => {
    root = gitRepo({
      'requirements.txt': 'scikit-learn==1.5\nhydra-core\n',
      'proj/__init__.py': 'from proj.nets import Net as Net\n',
      'proj/nets.py': 'class Net:\n    pass\n',
      'main.py': 'import hydra\n@hydra.main(config_path="conf", config_name="config", version_base="1.3")\ndef m(c):\n    pass\n',
      'conf/config.yaml': 'a:\n  _target_: sklearn.svm.SVC\nb:\n  _target_: proj.Net\nc:\n  _target_: proj.nets.Missing\nd:\n  _target_: pandas.DataFrame\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'HYD014'), ['conf/config.yaml:6']);
    assert.deepEqual(where(f, 'HYD015'), ['conf/config.yaml:8']);
  });

  // Hydra's defaults list (hydra.cc, "The Defaults List"): in a config of group `experiment`, `- override /model: x`
  // names configs/model/x.yaml (absolute group), a plain `- example` names the config `experiment/example` (relative to
  // the group of the config that holds the list). `optional` entries may be missing; `_self_` is no config;
  // `${...}` entries are resolved from the choices of other groups (`- dataset_model: ${dataset}_${model}`). Options of `hydra/...` groups come from hydra-core (hydra/launcher:
  // basic, hydra/job_logging: default/disabled) and its plugins (hydra-colorlog's colorlog, hydra-optuna-sweeper's
  // optuna, hydra-joblib-launcher's joblib), installed packages, not files of the project.
  it('HYD005 checks experiment configs (lightning-hydra-template style): override /group and plain config entries', async () => {
    root = gitRepo({
      'requirements.txt': 'hydra-core==1.3.2\nhydra-colorlog==1.2.0\nhydra-optuna-sweeper==1.2.0\nlightning==2.4.0\n',
      'src/train.py': 'import hydra\n\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")\ndef main(cfg):\n    pass\n',
      'configs/train.yaml':
        '# @package _global_\ndefaults:\n  - _self_\n  - data: mnist\n  - model: resnet\n  - trainer: default\n  - experiment: null\n  - optional local: default\n  - hydra: default\n  - override hydra/job_logging: colorlog\n',
      // the group `hydra` itself is the project's (configs/hydra/default.yaml); hydra-core only provides `hydra: config`
      'configs/hydra/default.yaml': 'run:\n  dir: logs/${task_name}\n',
      'configs/eval.yaml': '# @package _global_\ndefaults:\n  - _self_\n  - data: mnist\n  - hydra: defualt\n',
      'configs/data/mnist.yaml': 'batch_size: 64\n',
      'configs/model/resnet.yaml': 'depth: 18\n',
      'configs/model/vit.yaml': 'patch: 16\n',
      'configs/trainer/default.yaml': 'max_epochs: 10\n',
      'configs/trainer/gpu.yaml': 'defaults:\n  - default\naccelerator: gpu\n',
      'configs/experiment/exp1.yaml': '# @package _global_\ndefaults:\n  - override /model: resnett\n  - override /trainer: gpu\n  - _self_\nseed: 1\n',
      'configs/experiment/exp2.yaml':
        '# @package _global_\ndefaults:\n  - exp1\n  - baseline\n  - optional /model: ${oc.env:MODEL,vit}\n  - /data_model: ${data}_${model}\n  - override /hydra/sweeper: optuna\n  - override /hydra/launcher: joblib\n  - _self_\n',
      'configs/hparams_search/optuna.yaml': '# @package _global_\ndefaults:\n  - override /hydra/sweeper: optuna\n  - override /hydra/sweeper/sampler: tpe\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'HYD005'), ['configs/eval.yaml:5', 'configs/experiment/exp1.yaml:3', 'configs/experiment/exp2.yaml:4']);
    const [hydraTypo, typo, plain] = f.filter((x) => x.code === 'HYD005');
    assert.equal(hydraTypo.message, "In 'eval': Could not find 'hydra/defualt' (did you mean 'default'?)\n\nAvailable options in 'hydra':\n\tdefault");
    assert.equal(
      typo.message,
      "In 'experiment/exp1': Could not find 'model/resnett' (did you mean 'resnet'?)\n\nAvailable options in 'model':\n\tresnet\n\tvit",
    );
    assert.match(plain.message, /^In 'experiment\/exp2': Could not find 'experiment\/baseline'/);
  });
});
