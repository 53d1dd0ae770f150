import { posix } from 'node:path';

/** Extensions of trained model files and serialised objects. */
export const MODEL_EXTENSIONS = new Set(['.pt', '.pth', '.ckpt', '.onnx', '.pkl', '.pickle', '.h5', '.hdf5', '.joblib', '.safetensors', '.keras', '.tflite', '.pb', '.bin']);
/** Extensions of data files: always data, whatever their size. */
export const DATA_EXTENSIONS = new Set(['.parquet', '.feather', '.arrow', '.npy', '.npz', '.tfrecord', '.tfrecords', '.avro', '.orc', '.lmdb', '.pq']);
/** Text tables: data only above a size (small CSVs are often test fixtures or label maps). */
export const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.jsonl', '.ndjson']);

export function extensionOf(rel: string): string {
  const base = posix.basename(rel).toLowerCase();
  if (base.endsWith('.tar.gz')) return '.tar.gz';
  return posix.extname(base);
}

export function isModelFile(rel: string): boolean {
  const ext = extensionOf(rel);
  // `.bin` and `.pb` are model weights only in model-like places; elsewhere they are too generic to judge.
  if (ext === '.bin' || ext === '.pb') return /(^|\/)(models?|checkpoints?|weights)\//.test(rel);
  return MODEL_EXTENSIONS.has(ext);
}

export function isDataFile(rel: string, size: number, tableThreshold: number): boolean {
  const ext = extensionOf(rel);
  if (DATA_EXTENSIONS.has(ext)) return true;
  return TABLE_EXTENSIONS.has(ext) && size >= tableThreshold;
}

/** The .gitignore entry that covers a file: its folder when it sits in a well-known artefact folder, else the file. */
export function ignoreEntryFor(rel: string): string {
  const top = rel.split('/')[0];
  if (rel.includes('/') && ['data', 'models', 'checkpoints'].includes(top)) return `/${top}/`;
  return `/${rel}`;
}
