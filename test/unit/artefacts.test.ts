import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { ARTEFACT_FILE_PATTERN } from '../../client/src/selector';
import {
  DATA_EXTENSIONS,
  DEFAULT_RUN_FOLDERS,
  extensionOf,
  isDataFile,
  isModelFile,
  isWeightsFile,
  MODEL_EXTENSIONS,
  TABLE_EXTENSIONS,
} from '../../shared/artefacts';
import { STANDARD_GITIGNORE } from '../../server/src/engine/rules/git/gitignore';

const ROOT = path.resolve(__dirname, '../../..');

/** Names as projects have them: every kind of model and data file, nested, and the files around them that are neither. */
const NAMES = [
  'models/best.ckpt',
  'model.pt',
  'weights/resnet.pth',
  'export/model.onnx',
  'model.safetensors',
  'keras/model.h5',
  'model.keras',
  'mobile.tflite',
  'clf.pkl',
  'clf.pickle',
  'clf.joblib',
  'store.hdf5',
  'models/saved_model.pb',
  'checkpoints/pytorch_model.bin',
  'data/train.parquet',
  'part-0.pq',
  'x.feather',
  'x.arrow',
  'emb.npy',
  'emb.npz',
  'train.tfrecord',
  'shards/train-00000.tfrecords',
  'events.avro',
  'table.orc',
  'images.lmdb',
  'train.csv',
  'labels.tsv',
  'rows.jsonl',
  'rows.ndjson',
  'train.py',
  'params.yaml',
  'README.md',
  'requirements.txt',
  'dvc.lock',
  'data.dvc',
  '.gitignore',
  'Makefile',
  'notes.txt',
  'archive.tar.gz',
];

describe('model and data files: one list for the engine and the client (shared/artefacts.ts)', () => {
  it('the client attaches exactly the files the engine can report as a model or data file (no drift)', () => {
    for (const name of NAMES) {
      const engine = isModelFile(name) || isDataFile(name, Number.MAX_SAFE_INTEGER, 0);
      const client = minimatch(name, ARTEFACT_FILE_PATTERN, { dot: true });
      assert.equal(client, engine, `${name}: the client ${client ? 'attaches' : 'does not attach'} it, the engine ${engine ? 'can' : 'cannot'} report it`);
    }
  });

  it('the client attaches the formats its own copy had lost (.tfrecord, .avro, .orc, .lmdb, .pq, .ndjson)', () => {
    for (const name of ['a.tfrecord', 'a.avro', 'a.orc', 'a.lmdb', 'a.pq', 'a.ndjson']) assert.ok(minimatch(name, ARTEFACT_FILE_PATTERN), name);
  });

  it('classifies: weights always, generic binaries only in model folders, tables only above the size', () => {
    assert.equal(isModelFile('pytorch_model.bin'), false);
    assert.equal(isModelFile('checkpoints/pytorch_model.bin'), true);
    assert.equal(isWeightsFile('clf.pkl'), false, 'a pickle is a model file, not a sign of an ML project by itself');
    assert.equal(isWeightsFile('MODEL.PT'), true);
    assert.equal(isDataFile('labels.csv', 10, 1024), false);
    assert.equal(isDataFile('labels.csv', 2048, 1024), true);
    assert.equal(isDataFile('x.lmdb', 0, 1024), true);
    assert.equal(extensionOf('a/b/archive.tar.gz'), '.tar.gz');
    assert.equal(extensionOf('.env'), '');
    const all = [...MODEL_EXTENSIONS, ...DATA_EXTENSIONS, ...TABLE_EXTENSIONS];
    assert.equal(new Set(all).size, all.length, 'an extension is in one list only');
  });

  it('the activation events of package.json name model files the engine knows', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };
    const globs = pkg.activationEvents.filter((e) => /^workspaceContains:\*\*\/\*\.\{/.test(e));
    assert.ok(globs.length, 'no model-file activation event');
    for (const g of globs)
      for (const ext of /\{([^}]+)\}/.exec(g)![1].split(',')) assert.ok(MODEL_EXTENSIONS.has(`.${ext}`), `activation on .${ext}, not a model extension`);
  });

  it('the default run folders are what a new project ignores', () => {
    for (const f of DEFAULT_RUN_FOLDERS) assert.equal(STANDARD_GITIGNORE.split('\n').includes(`/${f.name}/`), f.template, f.name);
  });
});
