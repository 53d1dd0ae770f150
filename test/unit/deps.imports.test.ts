import * as assert from 'node:assert/strict';
import { scanImports } from '../../server/src/engine/python/imports';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const TRAIN = `"""Train the model.

import notamodule
"""
from __future__ import annotations
import os, json
from typing import TYPE_CHECKING
import torch
import wandb
from sklearn.metrics import f1_score
from omegaconf import DictConfig
import cv2
from . import data
from .model import Net
from digits.utils import seed
import helpers
if TYPE_CHECKING:
    import pandas
try:
    import onnx
except ImportError:
    onnx = None
from google.cloud import storage
`;

describe('DEP004 undeclared import', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('scanImports skips docstrings and relative imports, marks TYPE_CHECKING and try/ImportError imports optional', () => {
    const imps = scanImports(TRAIN);
    assert.deepEqual(
      imps.map((i) => `${i.module}${i.optional ? '?' : ''}@${i.line}:${i.character}`),
      [
        '__future__@4:5',
        'os@5:7',
        'json@5:11',
        'typing@6:5',
        'torch@7:7',
        'wandb@8:7',
        'sklearn.metrics@9:5',
        'omegaconf@10:5',
        'cv2@11:7',
        'digits.utils@14:5',
        'helpers@15:7',
        'pandas?@17:11',
        'onnx?@19:11',
        'google.cloud@22:5',
      ],
    );
  });

  it('fires only on wandb and cv2 (undeclared), at the import name', async () => {
    root = gitRepo({
      'requirements.txt': 'torch==2.5.1\nscikit-learn==1.5.2\nhydra-core==1.3.2\ngoogle-cloud-storage==2.18.2\n',
      'src/digits/__init__.py': '',
      'src/digits/train.py': TRAIN,
      'src/digits/utils.py': 'import random\n',
      'scripts/helpers.py': '',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'DEP004'), ['src/digits/train.py:9', 'src/digits/train.py:12']);
    const w = f.find((x) => x.code === 'DEP004')!;
    assert.deepEqual(w.range, { start: { line: 8, character: 7 }, end: { line: 8, character: 12 } });
    assert.match(f.find((x) => x.code === 'DEP004' && x.range.start.line === 11)!.message, /opencv-python/);
  });

  it('stays quiet when dependencies are declared where it cannot read them (setup.py install_requires) or nowhere', async () => {
    root = gitRepo({
      'setup.py': 'from setuptools import setup\nsetup(install_requires=["wandb"])\n',
      'requirements.txt': 'torch==2.5.1\n',
      'train.py': 'import wandb\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'DEP004'), []);
    rmrf(root);
    root = gitRepo({ 'train.py': 'import wandb\n' });
    assert.deepEqual(where(await checkFolder(root), 'DEP004'), []);
  });
});

/**
 * Import names from the realistic corpus (mlflow-project: `from box import ConfigBox` with python-box, `from imblearn
 * import ...` with imbalanced-learn) and from cloud services (`from google.cloud import bigquery` needs
 * google-cloud-bigquery; `import grpc` is grpcio; botocore comes with boto3; omegaconf with hydra-core). The standard
 * library is typeshed's stdlib/VERSIONS: `compression` and `annotationlib` are new in 3.14, `_collections_abc` private.
 */
describe('DEP004 import names and the standard library', () => {
  let root = '';
  afterEach(() => rmrf(root));
  const TRAIN = [
    'from box import ConfigBox',
    'from imblearn.over_sampling import SMOTE',
    'from google.cloud import storage',
    'import botocore.exceptions',
    'from omegaconf import OmegaConf',
    'import compression.zstd',
    'import annotationlib',
    'from _collections_abc import Mapping',
    'import grpc',
    'from google.cloud import bigquery',
    'from google.cloud import storage, pubsub_v1',
    '',
  ].join('\n');

  it('does not fire on distributions known by another name, installed by a declared one, or in the standard library', async () => {
    root = gitRepo({
      'requirements.txt':
        'python-box==7.1.1\nimbalanced-learn==0.11.0\ngoogle-cloud-storage==2.16.0\nboto3==1.34.0\nhydra-core==1.3.2\ngrpcio==1.62.0\ngoogle-cloud-bigquery==3.20.0\ngoogle-cloud-pubsub==2.21.0\n',
      'train.py': TRAIN,
    });
    assert.deepEqual(where(await checkFolder(root), 'DEP004'), []);
  });

  it('fires on the undeclared ones, naming the distribution (google-cloud-bigquery, grpcio), never protobuf', async () => {
    root = gitRepo({ 'requirements.txt': 'python-box==7.1.1\ngoogle-cloud-storage==2.16.0\nhydra-core==1.3.2\n', 'train.py': TRAIN });
    const f = (await checkFolder(root)).filter((x) => x.code === 'DEP004');
    assert.deepEqual(
      f.map((x) => x.range.start.line + 1),
      [2, 4, 9, 10, 11],
    );
    const msg = f.map((x) => x.message).join('\n');
    assert.match(msg, /imblearn is imported here but no dependency file declares imbalanced-learn/);
    assert.match(msg, /botocore is imported here but no dependency file declares botocore/);
    assert.match(msg, /grpc is imported here but no dependency file declares grpcio/);
    assert.match(msg, /google\.cloud\.bigquery is imported here but no dependency file declares google-cloud-bigquery/);
    assert.match(msg, /google\.cloud\.pubsub_v1 is imported here but no dependency file declares google-cloud-pubsub \(/);
    assert.doesNotMatch(msg, /protobuf/);
  });
});
