/**
 * Realistic project layouts the must-not-fire cases start from (written from the layouts described in
 * /work/shared/knowledge: cookiecutter-data-science v2, the DTU MLOps course template, lightning-hydra-template). Each is
 * a function so a case can spread it and add or override files.
 */

/** cookiecutter-data-science v2 (`ccds`), module `digits`, with the data folders kept by .gitkeep and /data/ ignored. */
export function ccds(extra: Record<string, string | Buffer> = {}): Record<string, string | Buffer> {
  return {
    '.gitignore': '# Data\n/data/\n/models/\n\n# Byte-compiled / optimized\n__pycache__/\n*.py[cod]\n\n.env\n.ipynb_checkpoints\n.DS_Store\n',
    Makefile: '.PHONY: requirements data\nrequirements:\n\tpip install -r requirements.txt\n\ndata: requirements\n\tpython digits/dataset.py\n',
    'README.md':
      '# digits\n\nA short description of the project.\n\n## Project Organization\n\n```\n├── data\n│   ├── raw\n├── models\n├── notebooks\n└── digits\n```\n',
    'pyproject.toml':
      '[build-system]\nrequires = ["flit_core >=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "digits"\nversion = "0.0.1"\ndescription = "A short description of the project."\nrequires-python = "~=3.11"\ndependencies = [\n  "loguru==0.7.2",\n  "numpy==1.26.4",\n  "pandas==2.2.2",\n  "scikit-learn==1.5.1",\n  "tqdm==4.66.4",\n  "typer==0.12.3",\n]\n\n[tool.ruff]\nline-length = 99\n',
    'requirements.txt': '-e .\nloguru==0.7.2\nnumpy==1.26.4\npandas==2.2.2\nscikit-learn==1.5.1\ntqdm==4.66.4\ntyper==0.12.3\npytest==8.2.2\n',
    'digits/__init__.py': 'from digits import config  # noqa: F401\n',
    'digits/config.py':
      'from pathlib import Path\n\nPROJ_ROOT = Path(__file__).resolve().parents[1]\nDATA_DIR = PROJ_ROOT / "data"\nRAW_DATA_DIR = DATA_DIR / "raw"\nMODELS_DIR = PROJ_ROOT / "models"\n',
    'digits/dataset.py':
      'import typer\nfrom loguru import logger\n\nfrom digits.config import RAW_DATA_DIR\n\napp = typer.Typer()\n\n\n@app.command()\ndef main():\n    logger.info(f"reading {RAW_DATA_DIR}")\n\n\nif __name__ == "__main__":\n    app()\n',
    'digits/features.py': 'import pandas as pd\n\n\ndef build(df: pd.DataFrame) -> pd.DataFrame:\n    return df\n',
    'digits/modeling/__init__.py': '',
    'digits/modeling/train.py':
      'import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n\n\ndef train(x: np.ndarray, y: np.ndarray) -> LogisticRegression:\n    return LogisticRegression().fit(x, y)\n',
    'digits/modeling/predict.py': 'def predict(model, x):\n    return model.predict(x)\n',
    'tests/test_data.py': 'from digits.features import build\n\n\ndef test_build():\n    assert build is not None\n',
    'notebooks/.gitkeep': '',
    'references/.gitkeep': '',
    'reports/figures/.gitkeep': '',
    'docs/.gitkeep': '',
    ...extra,
  };
}

/** The DTU MLOps course template (SkafteNicki/mlops_template, pip variant), project `mnist_classifier`. */
export function dtuTemplate(extra: Record<string, string | Buffer> = {}): Record<string, string | Buffer> {
  return {
    '.gitignore': '# Byte-compiled / optimized / DLL files\n__pycache__/\n*.py[cod]\n*.egg-info/\n.env\n.venv\n/data/\n/models/\n/outputs/\n/wandb/\n',
    '.pre-commit-config.yaml':
      'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: trailing-whitespace\n      - id: end-of-file-fixer\n      - id: check-yaml\n      - id: check-added-large-files\n      - id: detect-private-key\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.4\n    hooks:\n      - id: ruff\n        args: [--fix]\n      - id: ruff-format\n',
    '.python-version': '3.11\n',
    LICENSE: 'MIT License\n',
    'README.md': '# mnist_classifier\n\nClassifies MNIST digits.\n\n## Project structure\n\n```txt\n├── configs/\n├── src/mnist_classifier/\n└── tests/\n```\n',
    'pyproject.toml':
      '[build-system]\nrequires = ["setuptools", "wheel"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "mnist_classifier"\nversion = "0.0.1"\nrequires-python = ">=3.11"\ndynamic = ["dependencies", "optional-dependencies"]\n\n[tool.setuptools]\npackages = ["mnist_classifier"]\npackage-dir = {"" = "src"}\n\n[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.txt"]}\n\n[tool.setuptools.dynamic.optional-dependencies]\ndev = {file = ["requirements_dev.txt"]}\n\n[tool.ruff]\nline-length = 120\n',
    'requirements.txt': 'torch==2.5.1\ntorchvision==0.20.1\nhydra-core==1.3.2\nwandb==0.19.1\ntyper==0.15.1\n',
    'requirements_dev.txt': 'pytest==8.3.4\nruff==0.8.4\npre-commit==4.0.1\ncoverage==7.6.9\ninvoke==2.2.0\n',
    'tasks.py':
      'from invoke import Context, task\n\n\n@task\ndef train(ctx: Context) -> None:\n    ctx.run("python src/mnist_classifier/train.py", echo=True, pty=True)\n\n\n@task\ndef test(ctx: Context) -> None:\n    ctx.run("coverage run -m pytest tests/", echo=True, pty=True)\n',
    'src/mnist_classifier/__init__.py': '',
    'src/mnist_classifier/data.py': 'import torch\n\n\ndef corrupt_mnist():\n    return torch.zeros(1), torch.zeros(1)\n',
    'src/mnist_classifier/model.py':
      'import torch\nfrom torch import nn\n\n\nclass MyAwesomeModel(nn.Module):\n    def forward(self, x: torch.Tensor) -> torch.Tensor:\n        return x\n',
    'src/mnist_classifier/train.py':
      'import hydra\nimport torch\nimport wandb\n\nfrom mnist_classifier.model import MyAwesomeModel\n\n\n@hydra.main(config_path="../../configs", config_name="config", version_base="1.3")\ndef train(cfg) -> None:\n    wandb.init(project="mnist")\n    model = MyAwesomeModel()\n    torch.save(model.state_dict(), "models/model.pth")\n\n\nif __name__ == "__main__":\n    train()\n',
    'configs/config.yaml': 'defaults:\n  - _self_\n\nlr: 1e-3\nbatch_size: 32\nepochs: 10\nseed: 42\n',
    'tests/__init__.py': '',
    'tests/test_model.py':
      'import torch\n\nfrom mnist_classifier.model import MyAwesomeModel\n\n\ndef test_model():\n    assert MyAwesomeModel()(torch.zeros(1)).shape == (1,)\n',
    'tests/test_data.py':
      'from mnist_classifier.data import corrupt_mnist\n\n\ndef test_data():\n    train, test = corrupt_mnist()\n    assert train is not None\n',
    ...extra,
  };
}

const GS_DVC_YAML = `stages:
  prepare:
    cmd: python src/prepare.py data/data.xml
    deps:
    - data/data.xml
    - src/prepare.py
    params:
    - prepare.seed
    - prepare.split
    outs:
    - data/prepared
  featurize:
    cmd: python src/featurization.py data/prepared data/features
    deps:
    - data/prepared
    - src/featurization.py
    params:
    - featurize.max_features
    - featurize.ngrams
    outs:
    - data/features
  train:
    cmd: python src/train.py data/features model.pkl
    deps:
    - data/features
    - src/train.py
    params:
    - train.min_split
    - train.n_est
    - train.seed
    outs:
    - model.pkl
  evaluate:
    cmd: python src/evaluate.py model.pkl data/features
    deps:
    - data/features
    - model.pkl
    - src/evaluate.py
    outs:
    - eval/plots/images
    metrics:
    - eval/metrics.json:
        cache: false
`;

const GS_LOCK_STAGE = (name: string, cmd: string, params: Record<string, number>): string =>
  `  ${name}:\n    cmd: ${cmd}\n    params:\n      params.yaml:\n${Object.entries(params)
    .map(([k, v]) => `        ${k}: ${v}\n`)
    .join('')}`;

/**
 * The layout of DVC's get-started example (iterative/example-get-started): data/data.xml tracked by a .dvc file, a
 * four-stage pipeline with params.yaml, dvc.lock in sync with dvc.yaml, an S3 remote with its plugin declared.
 */
export function dvcGetStarted(extra: Record<string, string | Buffer> = {}): Record<string, string | Buffer> {
  return {
    '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://dvc-public/remote/get-started\n',
    '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
    '.dvcignore': '# Add patterns of files dvc should ignore\n',
    '.gitignore': '/model.pkl\n__pycache__/\n.venv/\n',
    'README.md': '# DVC get started\n\nRun `dvc repro`.\n',
    'requirements.txt': 'dvc[s3]==3.55.2\npandas==2.2.2\npyaml==24.7.0\nscikit-learn==1.5.1\nscipy==1.14.0\nmatplotlib==3.9.1\n',
    'data/.gitignore': '/data.xml\n/prepared\n/features\n',
    'data/data.xml.dvc': 'outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  size: 14445097\n  hash: md5\n  path: data.xml\n',
    'eval/.gitignore': '/plots/images\n',
    'params.yaml':
      'prepare:\n  split: 0.2\n  seed: 20170428\n\nfeaturize:\n  max_features: 100\n  ngrams: 1\n\ntrain:\n  seed: 20170428\n  n_est: 50\n  min_split: 0.01\n',
    'dvc.yaml': GS_DVC_YAML,
    'dvc.lock':
      "schema: '2.0'\nstages:\n" +
      GS_LOCK_STAGE('prepare', 'python src/prepare.py data/data.xml', { 'prepare.seed': 20170428, 'prepare.split': 0.2 }) +
      GS_LOCK_STAGE('featurize', 'python src/featurization.py data/prepared data/features', { 'featurize.max_features': 100, 'featurize.ngrams': 1 }) +
      GS_LOCK_STAGE('train', 'python src/train.py data/features model.pkl', { 'train.min_split': 0.01, 'train.n_est': 50, 'train.seed': 20170428 }) +
      '  evaluate:\n    cmd: python src/evaluate.py model.pkl data/features\n    deps:\n    - path: model.pkl\n      hash: md5\n      md5: 9f0f6ebd4b1d8fd0a5a0c3b2a5cf8e0b\n      size: 1863\n',
    'src/prepare.py':
      'import os\nimport random\nimport sys\n\nimport yaml\n\nparams = yaml.safe_load(open("params.yaml"))["prepare"]\ninput = sys.argv[1]\noutput_train = os.path.join("data", "prepared", "train.tsv")\nos.makedirs(os.path.join("data", "prepared"), exist_ok=True)\nwith open(output_train, "w", encoding="utf-8") as fd:\n    fd.write("")\n',
    'src/featurization.py': 'import sys\n\nimport pandas as pd\n\nin_path, out_path = sys.argv[1], sys.argv[2]\n',
    'src/train.py':
      'import pickle\nimport sys\n\nfrom sklearn.ensemble import RandomForestClassifier\n\noutput = sys.argv[2]\nclf = RandomForestClassifier()\nwith open(output, "wb") as fd:\n    pickle.dump(clf, fd)\n',
    'src/evaluate.py':
      'import json\nimport os\nimport sys\n\nEVAL_PATH = "eval"\nwith open(os.path.join(EVAL_PATH, "metrics.json"), "w") as fd:\n    json.dump({"avg_prec": 0.9}, fd)\n',
    ...extra,
  };
}

/**
 * ashleve/lightning-hydra-template, reduced: configs/train.yaml composing data, model, callbacks, trainer, paths, extras
 * and the project's own hydra group (colorlog overrides), an experiment in `_global_`, `_target_`s into src/.
 */
export function lightningHydra(extra: Record<string, string | Buffer> = {}): Record<string, string | Buffer> {
  return {
    '.project-root': '# marks the project root for rootutils\n',
    '.gitignore': '__pycache__/\n*.py[cod]\n/data/\n/logs/\n.env\n/configs/local/default.yaml\n',
    'README.md': '# Lightning-Hydra-Template\n\n```bash\npython src/train.py experiment=example\n```\n',
    'requirements.txt':
      'torch==2.5.1\ntorchvision==0.20.1\nlightning==2.4.0\ntorchmetrics==1.6.0\nhydra-core==1.3.2\nhydra-colorlog==1.2.0\nhydra-optuna-sweeper==1.2.0\nrootutils==1.0.7\nrich==13.9.4\npytest==8.3.4\n',
    'pyproject.toml': '[tool.pytest.ini_options]\naddopts = ["--color=yes", "--durations=0", "--strict-markers", "--doctest-modules"]\ntestpaths = "tests/"\n',
    Makefile: 'train: ## Train the model\n\tpython src/train.py\n\ntest: ## Test\n\tpytest -k "not slow"\n',
    'configs/train.yaml':
      '# @package _global_\n\ndefaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n  - callbacks: default\n  - trainer: default\n  - paths: default\n  - extras: default\n  - hydra: default\n  - experiment: null\n  - hparams_search: null\n  - optional local: default\n  - debug: null\n\ntask_name: "train"\ntags: ["dev"]\ntrain: True\ntest: True\nckpt_path: null\nseed: null\n',
    'configs/data/mnist.yaml':
      '_target_: src.data.mnist_datamodule.MNISTDataModule\ndata_dir: ${paths.data_dir}\nbatch_size: 128\ntrain_val_test_split: [55_000, 5_000, 10_000]\nnum_workers: 0\npin_memory: False\n',
    'configs/model/mnist.yaml':
      '_target_: src.models.mnist_module.MNISTLitModule\n\noptimizer:\n  _target_: torch.optim.Adam\n  _partial_: true\n  lr: 0.001\n  weight_decay: 0.0\n\nscheduler:\n  _target_: torch.optim.lr_scheduler.ReduceLROnPlateau\n  _partial_: true\n  mode: min\n  factor: 0.1\n  patience: 10\n\nnet:\n  _target_: src.models.components.simple_dense_net.SimpleDenseNet\n  input_size: 784\n  lin1_size: 64\n  output_size: 10\n\ncompile: false\n',
    'configs/callbacks/default.yaml':
      'defaults:\n  - model_checkpoint\n  - _self_\n\nmodel_checkpoint:\n  dirpath: ${paths.output_dir}/checkpoints\n  filename: "epoch_{epoch:03d}"\n  monitor: "val/acc"\n  mode: "max"\n',
    'configs/callbacks/model_checkpoint.yaml':
      'model_checkpoint:\n  _target_: lightning.pytorch.callbacks.ModelCheckpoint\n  dirpath: null\n  filename: null\n  monitor: null\n  mode: "min"\n',
    'configs/trainer/default.yaml':
      '_target_: lightning.pytorch.trainer.Trainer\n\ndefault_root_dir: ${paths.output_dir}\nmin_epochs: 1\nmax_epochs: 10\naccelerator: cpu\ndevices: 1\ndeterministic: False\n',
    'configs/paths/default.yaml':
      'root_dir: ${oc.env:PROJECT_ROOT,.}\ndata_dir: ${paths.root_dir}/data/\nlog_dir: ${paths.root_dir}/logs/\noutput_dir: ${hydra:runtime.output_dir}\nwork_dir: ${hydra:runtime.cwd}\n',
    'configs/extras/default.yaml': 'ignore_warnings: False\nenforce_tags: True\nprint_config: True\n',
    'configs/hydra/default.yaml':
      'defaults:\n  - override hydra_logging: colorlog\n  - override job_logging: colorlog\n\nrun:\n  dir: ${paths.log_dir}/${task_name}/runs/${now:%Y-%m-%d}_${now:%H-%M-%S}\nsweep:\n  dir: ${paths.log_dir}/${task_name}/multiruns/${now:%Y-%m-%d}_${now:%H-%M-%S}\n  subdir: ${hydra.job.num}\n',
    'configs/experiment/example.yaml':
      '# @package _global_\n\ndefaults:\n  - override /data: mnist\n  - override /model: mnist\n  - override /trainer: default\n\ntags: ["mnist", "simple_dense_net"]\nseed: 12345\n\ntrainer:\n  min_epochs: 10\n  max_epochs: 10\n\nmodel:\n  optimizer:\n    lr: 0.002\n\ndata:\n  batch_size: 64\n',
    'configs/hparams_search/mnist_optuna.yaml':
      '# @package _global_\n\ndefaults:\n  - override /hydra/sweeper: optuna\n\noptimized_metric: "val/acc_best"\n\nhydra:\n  mode: "MULTIRUN"\n  sweeper:\n    _target_: hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper\n    n_trials: 20\n    params:\n      model.optimizer.lr: interval(0.0001, 0.1)\n',
    'configs/debug/default.yaml': '# @package _global_\n\ntask_name: "debug"\nextras:\n  ignore_warnings: False\ntrainer:\n  max_epochs: 1\n',
    'configs/local/.gitkeep': '',
    'src/__init__.py': '',
    'src/train.py':
      'import hydra\nimport rootutils\nfrom omegaconf import DictConfig\n\nrootutils.setup_root(__file__, indicator=".project-root", pythonpath=True)\n\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")\ndef main(cfg: DictConfig) -> None:\n    datamodule = hydra.utils.instantiate(cfg.data)\n    model = hydra.utils.instantiate(cfg.model)\n\n\nif __name__ == "__main__":\n    main()\n',
    'src/data/__init__.py': '',
    'src/data/mnist_datamodule.py':
      'from lightning import LightningDataModule\n\n\nclass MNISTDataModule(LightningDataModule):\n    def __init__(self, data_dir: str = "data/", batch_size: int = 64) -> None:\n        super().__init__()\n',
    'src/models/__init__.py': '',
    'src/models/mnist_module.py':
      'from lightning import LightningModule\n\n\nclass MNISTLitModule(LightningModule):\n    def __init__(self, net, optimizer, scheduler, compile: bool) -> None:\n        super().__init__()\n',
    'src/models/components/__init__.py': '',
    'src/models/components/simple_dense_net.py':
      'from torch import nn\n\n\nclass SimpleDenseNet(nn.Module):\n    def __init__(self, input_size: int = 784, lin1_size: int = 256, output_size: int = 10) -> None:\n        super().__init__()\n',
    'tests/__init__.py': '',
    'tests/test_train.py': 'def test_train_fast_dev_run():\n    assert True\n',
    ...extra,
  };
}
