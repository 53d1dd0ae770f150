import * as path from 'node:path';
import { computeHydraProject } from './hydra/project';
import { declaredDependencies } from './python/projectDependencies';
import type { Workspace } from './workspace';
import { defaultRunFolderNames, isWeightsFile } from '../../../shared/artefacts';

/**
 * What makes a workspace folder an ML project, for the editor (which checks only those, so a plain Python web app gets
 * no "no tests" warning the moment it opens; the CLI checks whatever it is pointed at):
 * - an ML dependency declared (a training, tracking, pipeline or model library: torch, scikit-learn, wandb, dvc, ...);
 * - a file of an ML tool: dvc.yaml, a `.dvc` file, `.dvc/config`, params.yaml, dvc.lock, MLproject, a W&B or MLflow run
 *   store (wandb/, mlruns/), Lightning logs;
 * - Hydra used by the code (`@hydra.main`, `compose`);
 * - a model file (.pt, .pth, .ckpt, .onnx, .safetensors, .h5, .keras, .tflite).
 * The answer is the first signal found, as a sentence for the log and the status bar, or undefined.
 */
export const ML_DEPENDENCIES: ReadonlySet<string> = new Set([
  'torch',
  'torchvision',
  'torchaudio',
  'pytorch-lightning',
  'lightning',
  'tensorflow',
  'tensorflow-cpu',
  'tensorflow-gpu',
  'keras',
  'jax',
  'flax',
  'optax',
  'scikit-learn',
  'sklearn',
  'xgboost',
  'lightgbm',
  'catboost',
  'statsmodels',
  'transformers',
  'datasets',
  'accelerate',
  'diffusers',
  'peft',
  'timm',
  'sentence-transformers',
  'tokenizers',
  'onnx',
  'onnxruntime',
  'tensorboard',
  'wandb',
  'mlflow',
  'mlflow-skinny',
  'dvc',
  'hydra-core',
  'omegaconf',
  'optuna',
  'ray',
  'comet-ml',
  'neptune',
  'clearml',
  'zenml',
  'kedro',
  'metaflow',
  'bentoml',
  'evidently',
  'deepspeed',
  'fastai',
  'spacy',
  'gensim',
]);

const ML_FILES = new Set(['dvc.yaml', 'dvc.lock', 'params.yaml', 'MLproject', '.dvc/config']);
/** The tools' run folders, but not Hydra's `outputs/` (a common name for anything). */
const ML_DIRS = defaultRunFolderNames((f) => !f.generic).map((n) => `${n}/`);

export function mlSignal(ws: Workspace): string | undefined {
  for (const rel of ws.paths()) {
    const base = path.posix.basename(rel);
    if (ML_FILES.has(rel) || ML_FILES.has(base)) return `${rel} (an ML tool's file)`;
    if (base.endsWith('.dvc') && base !== '.dvc') return `${rel} (a DVC-tracked item)`;
    if (ML_DIRS.some((d) => rel.startsWith(d) || rel.includes(`/${d}`))) return `${rel} (a run store)`;
    if (isWeightsFile(rel)) return `${rel} (a model file)`;
  }
  // ignored run stores and the DVC folder are not listed, but they exist
  for (const rel of ['.dvc/config', ...ML_DIRS.map((d) => d.slice(0, -1))]) if (ws.exists(rel)) return `${rel} (an ML tool's folder)`;
  let deps: { name: string; file: string }[] = [];
  try {
    deps = declaredDependencies(ws);
  } catch {
    deps = [];
  }
  const dep = deps.find((d) => ML_DEPENDENCIES.has(d.name));
  if (dep) return `the dependency ${dep.name} in ${dep.file}`;
  const hydra = computeHydraProject(ws);
  if (hydra.calls.length) return `Hydra in ${hydra.calls[0].file}`;
  return undefined;
}

/** What the editor's empty views say about this project: its real training script, config folder and DVC state. */
export interface ProjectLayout {
  /** The command that starts a training run: `python src/train.py`, `dvc exp run`. */
  startCommand?: string;
  /** The training script the command runs (workspace-relative), when it is a Python script. */
  trainScript?: string;
  /** The Hydra config folder of that script (workspace-relative, '' = the root), else the first existing one found. */
  configDir?: string;
  /** `.dvc/` exists (DVC is initialised). */
  dvc: boolean;
  /** dvc.yaml exists at the root. */
  pipeline: boolean;
}

/**
 * The project's layout as the engine detects it, for the Runs and Data views' empty states: the script Hydra runs
 * (`@hydra.main`, a `train*` one first), else `dvc exp run` when there is a pipeline, else a `train*.py` script; its
 * config folder from the call's `config_path` (lightning-hydra-template: `configs`; Hydra's tutorial: `conf`), else the
 * first config folder that exists (`.dvc/config`'s `[hydra]`, conventional `configs/` or `conf/`). Nothing is made up:
 * unknown parts are undefined.
 */
export function projectLayout(ws: Workspace): ProjectLayout {
  const hydraProject = computeHydraProject(ws);
  const paths = [...ws.paths()];
  const pipeline = paths.includes('dvc.yaml');
  const dvc = ws.isDirectory('.dvc');
  // lightning-hydra-template has src/train.py and src/eval.py: the training one first
  const mains = hydraProject.calls.filter((c) => c.kind === 'main');
  const hydra = mains.find((c) => /^train/i.test(path.posix.basename(c.file))) ?? mains[0];
  const existing = hydraProject.configDirs.find((d) => d.exists);
  const configDir = hydra?.dir !== undefined && !hydra.outside ? hydra.dir : existing?.dir;
  const withConfig = configDir !== undefined ? { configDir } : {};
  if (hydra) return { startCommand: `python ${hydra.file}`, trainScript: hydra.file, ...withConfig, dvc, pipeline };
  if (pipeline) return { startCommand: 'dvc exp run', ...withConfig, dvc, pipeline };
  const train = paths
    .filter((p) => /(^|\/)train[\w-]*\.py$/.test(p) && !/(^|\/)tests?\//.test(p))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
  return train ? { startCommand: `python ${train}`, trainScript: train, ...withConfig, dvc, pipeline } : { ...withConfig, dvc, pipeline };
}

/** The command that starts a training run in this project (`projectLayout(ws).startCommand`), undefined when none is found. */
export function trainingCommand(ws: Workspace): string | undefined {
  return projectLayout(ws).startCommand;
}
