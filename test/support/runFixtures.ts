import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, writeTree } from './tmp';

/**
 * Run folders written from the on-disk formats (shared/knowledge/formats.md sections 1.8, 2-5), one helper per tool.
 * Used by the reader tests, the tree-model tests and scripts/bench-runs.mjs (through out/).
 */

/** Sets the modification time of every file under `dir` (fixtures look like old, finished runs unless a test says otherwise). */
export function setMtimes(dir: string, ms: number): void {
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      fs.utimesSync(p, ms / 1000, ms / 1000);
    }
  };
  walk(dir);
  fs.utimesSync(dir, ms / 1000, ms / 1000);
}

/** A Hydra job folder: .hydra/{config,hydra,overrides}.yaml and <job>.log. */
export function hydraRun(
  root: string,
  rel: string,
  opts: { job?: string; config?: string; overrides?: string[]; log?: string; num?: number; mode?: 'RUN' | 'MULTIRUN'; mtime?: number | null } = {},
): void {
  const job = opts.job ?? 'train';
  const overrides = opts.overrides ?? [];
  writeTree(root, {
    [`${rel}/.hydra/config.yaml`]: opts.config ?? 'model:\n  lr: 0.001\n  layers: [64, 32]\nseed: 42\ndata:\n  path: ${oc.env:DATA,data}/raw\n',
    [`${rel}/.hydra/hydra.yaml`]:
      `hydra:\n  run:\n    dir: outputs/\${now:%Y-%m-%d}/\${now:%H-%M-%S}\n  mode: ${opts.mode ?? 'RUN'}\n  job:\n    name: ${job}\n    chdir: null\n` +
      (opts.num !== undefined ? `    num: ${opts.num}\n` : '') +
      `  runtime:\n    version: 1.3.2\n    cwd: /home/u/proj\n    choices:\n      model: cnn\n      hydra/launcher: basic\n`,
    [`${rel}/.hydra/overrides.yaml`]: overrides.length ? overrides.map((o) => `- ${o}`).join('\n') + '\n' : '[]\n',
    [`${rel}/${job}.log`]: opts.log ?? `[2024-05-01 12:30:00,000][__main__][INFO] - epoch 1 loss 0.5\n`,
  });
  if (opts.mtime !== null) setMtimes(path.join(root, rel), opts.mtime ?? new Date(2024, 4, 1, 12, 31, 0).getTime());
}

/** A W&B run folder. `format`: current (wandb-core, 4-space indent, `{value}` only) or legacy (`wandb_version: 1`, `{desc, value}`). */
export function wandbRun(
  root: string,
  name: string,
  opts: {
    format?: 'current' | 'legacy';
    summary?: string;
    metadata?: string | null;
    txlog?: Buffer | null;
    synced?: boolean;
    configText?: string;
    mtime?: number | null;
  } = {},
): string {
  const dir = path.join(root, 'wandb', name);
  const id = /-([A-Za-z0-9]+)$/.exec(name)![1];
  const files: Record<string, string | Buffer> = {};
  if (opts.configText !== undefined) files['files/config.yaml'] = opts.configText;
  else if (opts.format === 'legacy')
    files['files/config.yaml'] =
      'wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.16.6\nlr:\n  desc: null\n  value: 0.01\nepochs:\n  desc: null\n  value: 10\noptimizer:\n  desc: null\n  value:\n    name: adam\n    betas: [0.9, 0.999]\n';
  else if (opts.format === 'current')
    files['files/config.yaml'] =
      '_wandb:\n    value:\n        cli_version: 0.19.1\nepochs:\n    value: 5\nlr:\n    value: 0.001\nnested:\n    value:\n        list:\n            - a\n        text: xyz\n';
  if (opts.summary !== undefined) files['files/wandb-summary.json'] = opts.summary;
  if (opts.metadata !== null && opts.metadata !== undefined) files['files/wandb-metadata.json'] = opts.metadata;
  if (opts.txlog !== null) files[`run-${id}.wandb`] = opts.txlog ?? wandbLog();
  if (opts.synced) files[`run-${id}.wandb.synced`] = '';
  writeTree(dir, files);
  if (opts.mtime !== null) {
    const m = /-(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})-/.exec(name)!;
    setMtimes(dir, opts.mtime ?? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5] + 1, +m[6]).getTime());
  }
  return dir;
}

/** The 7-byte header of a W&B transaction log followed by some (meaningless) record bytes. */
export function wandbLog(extra = 32): Buffer {
  return Buffer.concat([Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]), Buffer.alloc(extra, 1)]);
}

export const WANDB_METADATA = JSON.stringify({
  os: 'Linux-6.1',
  python: 'CPython 3.11.4',
  startedAt: '2024-05-01T10:00:00.123456Z',
  args: ['--epochs', '5', 'model.lr=0.001'],
  program: 'src/proj/train.py',
  codePath: 'src/proj/train.py',
  git: { remote: 'https://github.com/u/proj.git', commit: '0123456789abcdef0123456789abcdef01234567' },
  host: 'box',
});

/** An MLflow file-store run: meta.yaml (PyYAML, sorted keys), params/, metrics/, tags/. */
export function mlflowRun(
  root: string,
  exp: string,
  runId: string,
  opts: {
    status?: number;
    lifecycle?: string;
    name?: string;
    start?: number;
    end?: number;
    params?: Record<string, string>;
    metrics?: Record<string, string>;
    tags?: Record<string, string>;
    meta?: string | null;
  } = {},
): void {
  const base = `mlruns/${exp}/${runId}`;
  const files: Record<string, string> = {};
  if (opts.meta !== null) {
    files[`${base}/meta.yaml`] =
      opts.meta ??
      `artifact_uri: file:///home/u/proj/mlruns/${exp}/${runId}/artifacts\nend_time: ${opts.end ?? 1672364273335}\nentry_point_name: ''\nexperiment_id: '${exp}'\nlifecycle_stage: ${opts.lifecycle ?? 'active'}\nrun_id: ${runId}\nrun_name: ${opts.name ?? 'beautiful-dog-902'}\nrun_uuid: ${runId}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${opts.start ?? 1672364273319}\nstatus: ${opts.status ?? 3}\ntags: []\nuser_id: wavet\n`;
  }
  for (const [k, v] of Object.entries(opts.params ?? {})) files[`${base}/params/${k}`] = v;
  for (const [k, v] of Object.entries(opts.metrics ?? {})) files[`${base}/metrics/${k}`] = v;
  for (const [k, v] of Object.entries(opts.tags ?? {})) files[`${base}/tags/${k}`] = v;
  writeTree(root, files);
  fs.mkdirSync(path.join(root, base, 'artifacts'), { recursive: true });
}

export function mlflowExperiment(root: string, id: string, name: string, lifecycle = 'active', under = 'mlruns'): void {
  writeTree(root, {
    [`${under}/${id}/meta.yaml`]: `artifact_location: file:///home/u/proj/mlruns/${id}\ncreation_time: 1672364270000\nexperiment_id: '${id}'\nlast_update_time: 1672364270000\nlifecycle_stage: ${lifecycle}\nname: ${name}\n`,
  });
}

/** A Lightning version folder: hparams.yaml (with a Python tuple tag), a sparse CRLF metrics.csv, checkpoints. */
export function lightningRun(root: string, version: number, opts: { hparams?: string; csv?: string; ckpts?: string[]; mtime?: number | null } = {}): void {
  const base = `lightning_logs/version_${version}`;
  const files: Record<string, string> = {
    [`${base}/hparams.yaml`]: opts.hparams ?? 'lr: 0.001\nbatch_size: 32\nkernel: !!python/tuple\n- 3\n- 3\n',
    [`${base}/metrics.csv`]: opts.csv ?? 'epoch,step,train_loss,val_loss\r\n0,49,0.5,\r\n0,99,,0.25\r\n1,149,0.3,\r\n1,199,,0.2\r\n',
  };
  for (const c of opts.ckpts ?? ['epoch=1-step=200.ckpt', 'last.ckpt']) files[`${base}/checkpoints/${c}`] = 'not a real checkpoint';
  writeTree(root, files);
  if (opts.mtime !== null) {
    const t = opts.mtime ?? new Date(2024, 3, 1, 9, 0, 0).getTime() + version * 3600_000;
    setMtimes(path.join(root, base), t);
    fs.utimesSync(path.join(root, base, 'metrics.csv'), (t + 600_000) / 1000, (t + 600_000) / 1000);
  }
}

/** The MLflow SQL store layout (subset of MLflow's tables, columns as MLflow names them), created with sql.js. */
export const MLFLOW_DB_SCHEMA = `
CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) NOT NULL UNIQUE, artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT);
CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT, deleted_time BIGINT, source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER);
CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, run_uuid));
CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(8000), run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, run_uuid));
CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL, step BIGINT NOT NULL DEFAULT 0, is_nan BOOLEAN NOT NULL DEFAULT 0, PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));
CREATE TABLE latest_metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT, step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, run_uuid));
`;

/** A small DVC project in a real git repository with experiment refs: one loose, one packed, plus machinery refs to skip. */
export function dvcExperimentRepo(root: string): { baseline: string; exp1: string; exp2: string } {
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'commit.gpgsign', 'false');
  writeTree(root, {
    '.dvc/config': '',
    'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    params:\n      - train.lr\n    metrics:\n      - metrics.json:\n          cache: false\n',
    'params.yaml': 'train:\n  lr: 0.01\n  epochs: 10\n',
    'metrics.json': '{"acc": 0.8, "loss": 0.5}',
    'dvc.lock': "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    params:\n      params.yaml:\n        train.lr: 0.01\n",
  });
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'baseline');
  const baseline = git(root, 'rev-parse', 'HEAD').trim();
  const expCommit = (lr: string, acc: string, hash: string): string => {
    writeTree(root, { 'params.yaml': `train:\n  lr: ${lr}\n  epochs: 10\n`, 'metrics.json': `{"acc": ${acc}, "loss": 0.4}` });
    git(root, 'add', '-A');
    const tree = git(root, 'write-tree').trim();
    return git(root, 'commit-tree', tree, '-p', baseline, '-m', `dvc: commit experiment ${hash}`).trim();
  };
  const exp1 = expCommit('0.1', '0.85', 'a1b2c3');
  const exp2 = expCommit('0.001', '0.9', 'd4e5f6');
  git(root, 'checkout', '-q', '--', '.');
  git(root, 'reset', '-q', '--hard', baseline);
  const refBase = `refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}`;
  git(root, 'update-ref', `${refBase}/exp-packed`, exp1);
  git(root, 'update-ref', 'refs/exps/stash', exp1);
  git(root, 'update-ref', `refs/exps/celery/${baseline.slice(0, 2)}/x`, exp1);
  git(root, 'pack-refs', '--all');
  git(root, 'update-ref', `${refBase}/exp-loose`, exp2);
  return { baseline, exp1, exp2 };
}

/**
 * A project laid out like ashleve/lightning-hydra-template (facts from its configs, written here, not copied):
 * - `src/train.py`: `rootutils.setup_root(__file__, indicator=".project-root", pythonpath=True)` (sets PROJECT_ROOT to the
 *   folder holding `.project-root`) and `@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")`.
 * - `configs/train.yaml`: `# @package _global_`, defaults `_self_, data: mnist, ..., paths: default, extras: default,
 *   hydra: default, experiment: null, optional local: default, debug: null`, and `task_name: "train"`.
 * - `configs/eval.yaml`: the same groups and `task_name: "eval"`.
 * - `configs/paths/default.yaml`: `root_dir: ${oc.env:PROJECT_ROOT}`, `log_dir: ${paths.root_dir}/logs/` (trailing slash),
 *   `output_dir: ${hydra:runtime.output_dir}`, `work_dir: ${hydra:runtime.cwd}`.
 * - `configs/hydra/default.yaml`: `run.dir: ${paths.log_dir}/${task_name}/runs/${now:%Y-%m-%d}_${now:%H-%M-%S}`,
 *   `sweep.dir: ${paths.log_dir}/${task_name}/multiruns/${now:%Y-%m-%d}_${now:%H-%M-%S}`, `sweep.subdir: ${hydra.job.num}`.
 * - `configs/logger/csv.yaml`: CSVLogger with `save_dir: "${paths.output_dir}"`, `name: "csv/"`: Lightning then writes
 *   `<run dir>/csv/version_0/metrics.csv` and `hparams.yaml` inside the Hydra run folder; WandbLogger with the same
 *   save_dir writes `<run dir>/wandb/run-*`. `/logs/` is in its .gitignore.
 */
export function lightningHydraTemplate(root: string): void {
  writeTree(root, {
    '.project-root': '# marks the project root for rootutils\n',
    '.gitignore': '/logs/\n/data/\n',
    'src/__init__.py': '',
    'src/train.py':
      'import hydra\nimport rootutils\nfrom omegaconf import DictConfig\n\nrootutils.setup_root(__file__, indicator=".project-root", pythonpath=True)\n\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="train.yaml")\ndef main(cfg: DictConfig) -> None:\n    pass\n\n\nif __name__ == "__main__":\n    main()\n',
    'src/eval.py':
      'import hydra\nimport rootutils\n\nrootutils.setup_root(__file__, indicator=".project-root", pythonpath=True)\n\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="eval.yaml")\ndef main(cfg):\n    pass\n',
    'configs/train.yaml':
      '# @package _global_\n\ndefaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n  - logger: null\n  - trainer: default\n  - paths: default\n  - extras: default\n  - hydra: default\n  - experiment: null\n  - optional local: default\n  - debug: null\n\ntask_name: "train"\ntags: ["dev"]\ntrain: True\ntest: True\nckpt_path: null\nseed: null\n',
    'configs/eval.yaml':
      '# @package _global_\n\ndefaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n  - logger: null\n  - trainer: default\n  - paths: default\n  - extras: default\n  - hydra: default\n\ntask_name: "eval"\ntags: ["dev"]\nckpt_path: ???\n',
    'configs/data/mnist.yaml': '_target_: src.data.mnist_datamodule.MNISTDataModule\ndata_dir: ${paths.data_dir}\nbatch_size: 128\n',
    'configs/model/mnist.yaml': '_target_: src.models.mnist_module.MNISTLitModule\noptimizer:\n  lr: 0.001\n',
    'configs/trainer/default.yaml': '_target_: lightning.pytorch.trainer.Trainer\ndefault_root_dir: ${paths.output_dir}\nmax_epochs: 10\n',
    'configs/logger/csv.yaml':
      'csv:\n  _target_: lightning.pytorch.loggers.csv_logs.CSVLogger\n  save_dir: "${paths.output_dir}"\n  name: "csv/"\n  prefix: ""\n',
    'configs/extras/default.yaml': 'ignore_warnings: False\nenforce_tags: True\nprint_config: True\n',
    'configs/paths/default.yaml':
      'root_dir: ${oc.env:PROJECT_ROOT}\ndata_dir: ${paths.root_dir}/data/\nlog_dir: ${paths.root_dir}/logs/\noutput_dir: ${hydra:runtime.output_dir}\nwork_dir: ${hydra:runtime.cwd}\n',
    'configs/hydra/default.yaml':
      'defaults:\n  - override hydra_logging: colorlog\n  - override job_logging: colorlog\n\nrun:\n  dir: ${paths.log_dir}/${task_name}/runs/${now:%Y-%m-%d}_${now:%H-%M-%S}\nsweep:\n  dir: ${paths.log_dir}/${task_name}/multiruns/${now:%Y-%m-%d}_${now:%H-%M-%S}\n  subdir: ${hydra.job.num}\n\njob_logging:\n  handlers:\n    file:\n      filename: ${hydra.runtime.output_dir}/${task_name}.log\n',
  });
}
