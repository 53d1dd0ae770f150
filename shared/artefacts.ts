/**
 * What the ML tools write, by name: model and data file extensions and the tools' default run folders. Plain data and
 * string functions (no Node, no LSP import), so the engine (GIT001-GIT006, the ML-project signal, the Runs view, the
 * .gitignore and .dockerignore templates) and the client (which files it attaches to the language server) share one
 * list. A run folder is still recognised by its markers (server/src/engine/runs/folders.ts), never by these names
 * alone: the names are the defaults a template ignores and where the readers look first.
 */

/** Trained weights and checkpoints: files only ML tools write (PyTorch, Lightning, ONNX, safetensors, Keras, TF Lite). */
export const WEIGHTS_EXTENSIONS: readonly string[] = ['.pt', '.pth', '.ckpt', '.onnx', '.safetensors', '.h5', '.keras', '.tflite'];
/** Serialised objects that are often models but not only (a pickle, joblib, an HDF5 file, a protobuf, raw binaries). */
export const SERIALISED_EXTENSIONS: readonly string[] = ['.pkl', '.pickle', '.hdf5', '.joblib', '.pb', '.bin'];
/** Extensions of trained model files and serialised objects. */
export const MODEL_EXTENSIONS: ReadonlySet<string> = new Set([...WEIGHTS_EXTENSIONS, ...SERIALISED_EXTENSIONS]);
/** Extensions of data files: always data, whatever their size. */
export const DATA_EXTENSIONS: ReadonlySet<string> = new Set([
  '.parquet',
  '.pq',
  '.feather',
  '.arrow',
  '.npy',
  '.npz',
  '.tfrecord',
  '.tfrecords',
  '.avro',
  '.orc',
  '.lmdb',
]);
/** Text tables: data only above a size (small CSVs are often test fixtures or label maps). */
export const TABLE_EXTENSIONS: ReadonlySet<string> = new Set(['.csv', '.tsv', '.jsonl', '.ndjson']);

/** Every extension of a model, data or table file: the files that can carry a finding without having text to check. */
export const ARTEFACT_EXTENSIONS: readonly string[] = [...MODEL_EXTENSIONS, ...DATA_EXTENSIONS, ...TABLE_EXTENSIONS];

const basename = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);

/** The lower-case extension of a path's last segment (`.tar.gz` as one), or '' when it has none. */
export function extensionOf(rel: string): string {
  const base = basename(rel).toLowerCase();
  if (base.endsWith('.tar.gz')) return '.tar.gz';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

export function isModelFile(rel: string): boolean {
  const ext = extensionOf(rel);
  // `.bin` and `.pb` are model weights only in model-like places; elsewhere they are too generic to judge.
  if (ext === '.bin' || ext === '.pb') return /(^|\/)(models?|checkpoints?|weights)\//.test(rel);
  return MODEL_EXTENSIONS.has(ext);
}

/** Weights or a checkpoint (not a pickle or a generic binary): a file that by itself says the project is ML. */
export function isWeightsFile(rel: string): boolean {
  return WEIGHTS_EXTENSIONS.includes(extensionOf(rel));
}

/** A file whose extension may make it data (binary formats always, tables above a size): worth a stat. */
export function mayBeDataFile(rel: string): boolean {
  const ext = extensionOf(rel);
  return DATA_EXTENSIONS.has(ext) || TABLE_EXTENSIONS.has(ext);
}

export function isDataFile(rel: string, size: number, tableThreshold: number): boolean {
  const ext = extensionOf(rel);
  if (DATA_EXTENSIONS.has(ext)) return true;
  return TABLE_EXTENSIONS.has(ext) && size >= tableThreshold;
}

export type RunTool = 'W&B' | 'MLflow' | 'Hydra' | 'Lightning';

/** A folder name the tools write runs into by default, at the top of the project. */
export interface DefaultRunFolder {
  name: string;
  tool: RunTool;
  /** What it holds, for a template's comment or a message. */
  what: string;
  /** Also a common name for other things (Hydra's `outputs/`): by itself no sign that a project is ML. */
  generic?: boolean;
  /** In a new ML project's .gitignore (and .dockerignore). */
  template: boolean;
  /** The run readers list runs from it (a tracking server's artifact store holds no run records). */
  runs: boolean;
}

/**
 * The defaults: Hydra `outputs/<date>/<time>/` and `multirun/<date>/<time>/<n>/`, W&B `wandb/` (`.wandb/` when it
 * exists), MLflow's file store `mlruns/` and a tracking server's `mlartifacts/`, the Lightning loggers' `lightning_logs/`.
 */
export const DEFAULT_RUN_FOLDERS: readonly DefaultRunFolder[] = [
  { name: 'outputs', tool: 'Hydra', what: 'Hydra run folders', generic: true, template: true, runs: true },
  { name: 'multirun', tool: 'Hydra', what: 'Hydra sweep folders', template: true, runs: true },
  { name: 'wandb', tool: 'W&B', what: 'W&B local run files', template: true, runs: true },
  { name: '.wandb', tool: 'W&B', what: 'W&B local run files', template: false, runs: true },
  { name: 'mlruns', tool: 'MLflow', what: 'MLflow local store', template: true, runs: true },
  { name: 'mlartifacts', tool: 'MLflow', what: 'MLflow tracking server artifacts', template: false, runs: false },
  { name: 'lightning_logs', tool: 'Lightning', what: 'Lightning logs', template: true, runs: true },
];

/** The names of the default run folders that match `pick`, in the order above. */
export function defaultRunFolderNames(pick: (f: DefaultRunFolder) => boolean = () => true): string[] {
  return DEFAULT_RUN_FOLDERS.filter(pick).map((f) => f.name);
}
