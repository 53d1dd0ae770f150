import * as fs from 'node:fs';
import * as path from 'node:path';
import { COOKIECUTTER, dvcProject } from '../../support/dvc';
import { ruleCases } from '../../support/ruleCases';
import { dvcGetStarted } from './layouts';

const GS = dvcGetStarted;
const DVC3_LOCK = COOKIECUTTER.dvcLock('acbd18db4cc2f85cedef654fccc4a4d8');
/** A DVC project in the sub-folder `ml/` of the workspace. */
const inMl = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries({ '.dvc/config': '', ...files }).map(([k, v]) => [`ml/${k}`, v]));
const GS_YAML = GS()['dvc.yaml'] as string;
const GS_PARAMS = GS()['params.yaml'] as string;
const DATA_DVC = 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: data\n';
const CONFIG_OK = '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n';

// ---------------------------------------------------------------- pipelines: dvc.yaml

ruleCases('DVC001', {
  valid: [
    { name: 'the get-started pipeline', files: GS() },
    {
      name: 'vars, a params file without keys, cmd lists, plots and artifacts',
      files: {
        'dvc.yaml':
          'vars:\n  - p.yaml\nstages:\n  s:\n    cmd: [echo a, echo b]\n    deps: [p.yaml]\n    params:\n      - p.yaml:\n    outs:\n      - out.txt:\n          cache: false\n    plots:\n      - pl.csv:\n          x: step\n    frozen: false\nplots:\n  - loss:\n      x: step\n      y: {pl.csv: loss}\nartifacts:\n  model:\n    path: out.txt\n    type: model\n',
        'p.yaml': 'lr: 1\n',
      },
    },
  ],
  invalid: [
    {
      name: 'an unknown key with a suggestion, a string for a boolean, a stage without cmd',
      files: { 'dvc.yaml': 'stages:\n  train:\n    cmd: python t.py\n    dep: [t.py]\n    frozen: "yes"\n  eval:\n    deps: [m.pkl]\n', 't.py': '' },
      errors: [
        { file: 'dvc.yaml', line: 4, column: 5, text: 'dep', message: 'unknown key `dep` in stage `train`; did you mean `deps`?' },
        { file: 'dvc.yaml', line: 5, text: '"yes"', message: "must be true or false, found the string 'yes'" },
        { file: 'dvc.yaml', line: 6, message: 'stage `eval` has no `cmd` (required)' },
      ],
    },
    {
      name: 'a params file mapped to a string: DVC’s own text',
      files: { 'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    params:\n      - p.yaml: lr\n', 'p.yaml': 'lr: 1\n' },
      errors: [{ file: 'dvc.yaml', message: "Expected list of params for custom params file 'p.yaml', got 'str'." }],
    },
  ],
});

ruleCases('DVC002', {
  valid: [
    { name: 'get-started has no ${...}', files: GS() },
    {
      name: 'a template that resolves from params.yaml',
      files: { 'dvc.yaml': 'stages:\n  s:\n    cmd: python s.py ${models.cnn}\n    deps: [s.py]\n', 'params.yaml': 'models:\n  cnn: x\n', 's.py': '' },
    },
  ],
  invalid: [
    {
      name: 'a key in none of the variables, on the ${...} span',
      files: { 'dvc.yaml': 'stages:\n  s:\n    cmd: python s.py ${models.foobar}\n    deps: [s.py]\n', 'params.yaml': 'models:\n  cnn: x\n', 's.py': '' },
      errors: [{ file: 'dvc.yaml', line: 3, column: 22, message: "failed to parse 'stages.s.cmd' in 'dvc.yaml': Could not find 'models.foobar'" }],
    },
  ],
});

ruleCases('DVC003', {
  valid: [
    { name: 'get-started: data.xml is .dvc-tracked, the rest produced by earlier stages (none on disk)', files: GS() },
    {
      name: 'deps inside a produced folder or a .dvc-tracked folder, a URL, foreach items',
      files: {
        'dvc.yaml':
          'stages:\n  prepare:\n    cmd: python prepare.py\n    deps: [prepare.py, data/raw, data/raw/part1.csv]\n    outs: [data/processed]\n  train:\n    cmd: python train.py\n    deps: [train.py, data/processed/train.csv, https://example.com/x.csv]\n    outs: [models/m.pkl]\n  eval:\n    foreach: [m.pkl]\n    do:\n      cmd: python eval.py\n      deps: ["models/${item}", eval.py]\n',
        'data/raw.dvc': DATA_DVC.replace('path: data', 'path: raw'),
        'prepare.py': '',
        'train.py': '',
        'eval.py': '',
      },
    },
  ],
  invalid: [
    {
      name: 'a typo in a dep: nothing produces data/feature',
      files: GS({ 'dvc.yaml': GS_YAML.replace('    - data/features\n    - src/train.py', '    - data/feature\n    - src/train.py') }),
      errors: [
        {
          file: 'dvc.yaml',
          line: 25,
          text: 'data/feature',
          message: 'stage `train` depends on `data/feature`, which does not exist, is not an output of any stage and is not tracked by a .dvc file',
        },
      ],
    },
  ],
});

ruleCases('DVC004', {
  valid: [{ name: 'get-started: each stage its own outputs', files: GS() }],
  invalid: [
    {
      name: 'an out inside another stage’s out, and an out also tracked by a .dvc file',
      files: {
        'dvc.yaml': 'stages:\n  c:\n    cmd: echo c\n    outs: [data]\n  d:\n    cmd: echo d\n    outs: [data/x.csv, raw]\n',
        'raw.dvc': 'outs:\n- path: raw\n  md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n',
      },
      errors: [
        { file: 'dvc.yaml', line: 7, text: 'data/x.csv', message: 'output `data/x.csv` of stage `d` lies inside `data`, an output of stage `c`' },
        { file: 'dvc.yaml', line: 7, text: 'raw', message: 'output `raw` of stage `d` is also tracked by raw.dvc' },
      ],
    },
  ],
});

ruleCases('DVC005', {
  valid: [
    { name: 'get-started: prepare -> featurize -> train -> evaluate', files: GS() },
    {
      name: 'a chain a -> b',
      files: { 'dvc.yaml': 'stages:\n  a:\n    cmd: echo a\n    outs: [a.csv]\n  b:\n    cmd: echo b\n    deps: [a.csv]\n    outs: [b.csv]\n' },
    },
  ],
  invalid: [
    {
      name: 'two stages in a cycle and a stage reading its own output',
      files: {
        'dvc.yaml':
          'stages:\n  a:\n    cmd: echo a\n    deps: [b.csv]\n    outs: [a.csv]\n  b:\n    cmd: echo b\n    deps: [a.csv]\n    outs: [b.csv]\n  self:\n    cmd: echo s\n    deps: [s.txt]\n    outs: [s.txt]\n',
      },
      errors: [
        { file: 'dvc.yaml', message: "stages `a`, `b` depend on each other's outputs in a cycle" },
        { file: 'dvc.yaml', message: 'stage `self` depends on its own output `s.txt`' },
      ],
    },
  ],
});

ruleCases('DVC006', {
  valid: [
    { name: 'get-started scripts exist', files: GS() },
    {
      name: 'a module of the project under wdir, an installed module',
      files: {
        'dvc.yaml': 'stages:\n  b:\n    wdir: sub\n    cmd: bash run.sh && python -m mypkg.train && python -m spacy download x\n    outs: [b]\n',
        'sub/run.sh': '',
        'sub/mypkg/__init__.py': '',
        'sub/mypkg/train/__main__.py': '',
      },
    },
  ],
  invalid: [
    {
      name: 'a misspelt script and a missing module of a project package',
      files: {
        'dvc.yaml': 'stages:\n  a:\n    cmd: python src/trian.py && python -m mypkg.nope\n    outs: [a]\n',
        'src/train.py': '',
        'src/mypkg/__init__.py': '',
      },
      errors: [
        { file: 'dvc.yaml', line: 3, column: 17, text: 'src/trian.py', message: 'stage `a` runs `src/trian.py`, which does not exist' },
        { file: 'dvc.yaml', line: 3, message: 'stage `a` runs module `mypkg.nope`, but neither src/mypkg/nope.py nor src/mypkg/nope/__main__.py exists' },
      ],
    },
  ],
});

ruleCases('DVC007', {
  valid: [
    {
      name: 'get-started: outputs ignored and untracked, metrics with cache: false committed',
      git: true,
      files: GS({ 'eval/metrics.json': '{"avg_prec": 0.9}\n' }),
      untracked: { 'model.pkl': 'x', 'data/prepared/train.tsv': 'a\n' },
    },
  ],
  invalid: [
    {
      name: 'a cached out committed to git',
      git: true,
      files: { 'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    outs: [models/m.pkl]\n', 'models/m.pkl': 'x' },
      errors: [{ file: 'dvc.yaml', line: 4, text: 'models/m.pkl', message: 'output `models/m.pkl` of stage `s` is committed to git, and DVC caches it too' }],
    },
  ],
});

ruleCases('DVC008', {
  valid: [
    {
      name: 'get-started after dvc repro: data/.gitignore lists the outputs',
      git: true,
      files: GS(),
      untracked: { 'data/prepared/train.tsv': 'a\n', 'data/features/train.pkl': 'x', 'model.pkl': 'x' },
    },
  ],
  invalid: [
    {
      name: 'an existing out that no .gitignore ignores: the fix writes data/.gitignore as dvc repro would',
      git: true,
      files: { 'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    outs: [data/processed]\n', '.gitignore': '' },
      untracked: { 'data/processed/a.csv': 'a' },
      errors: [{ file: 'dvc.yaml', line: 4, text: 'data/processed', message: "DVC expects '/processed' in data/.gitignore" }],
      output: { 'data/.gitignore': '/processed\n' },
    },
  ],
});

ruleCases('DVC009', {
  valid: [
    { name: 'get-started stages', files: GS() },
    {
      name: 'always_changed: true says running every time is intended',
      files: { 'dvc.yaml': 'stages:\n  b:\n    cmd: python report.py\n    always_changed: true\n', 'report.py': '' },
    },
  ],
  invalid: [
    {
      name: 'a stage with a cmd only',
      files: { 'dvc.yaml': 'stages:\n  train:\n    cmd: python src/train.py\n', 'src/train.py': '' },
      errors: [{ file: 'dvc.yaml', line: 2, text: 'train' }],
    },
  ],
});

ruleCases('DVC010', {
  valid: [
    { name: 'get-started commands', files: GS() },
    {
      name: 'forward slashes, and a backslash escape inside quotes for printf',
      files: {
        'dvc.yaml': 'stages:\n  b:\n    cmd: printf "a\\nb" > out.txt && python src/train.py --data data/processed\n    outs: [out.txt]\n',
        'src/train.py': '',
      },
    },
  ],
  invalid: [
    {
      name: 'Windows paths in cmd',
      files: { 'dvc.yaml': 'stages:\n  a:\n    cmd: python src\\train.py --out data\\x\n    outs: [data/x]\n', 'src/train.py': '' },
      errors: [
        {
          file: 'dvc.yaml',
          line: 3,
          message: 'stage `a` writes `src\\train.py` with backslashes; the shell on Linux/macOS reads them as escapes: use `src/train.py`',
        },
      ],
    },
  ],
});

ruleCases('DVC011', {
  valid: [
    { name: 'get-started params.yaml', files: GS() },
    {
      name: 'params from JSON, TOML and Python files',
      files: {
        'dvc.yaml':
          'stages:\n  s:\n    cmd: echo\n    params:\n      - conf.json: [opt.beta]\n      - conf.toml: [model.depth]\n      - settings.py: [Train.batch, SEED]\n    outs: [o]\n',
        'conf.json': '{"opt": {"beta": 1}}',
        'conf.toml': '[model]\ndepth = 3\n',
        'settings.py': 'SEED = 1\n\nclass Train:\n    batch = 32\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a params file that does not exist',
      files: {
        'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    params:\n      - configs/train.yaml:\n          - lr\n    outs: [m]\n',
        'train.py': '',
        'configs/training.yaml': 'lr: 1\n',
      },
      errors: [{ file: 'dvc.yaml', line: 5, message: 'stage `train` reads params from configs/train.yaml, which does not exist' }],
    },
  ],
});

ruleCases('DVC012', {
  valid: [{ name: 'get-started keys all in params.yaml', files: GS() }],
  invalid: [
    {
      name: 'a misspelt key, with a suggestion; in a JSON file too',
      files: {
        'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    params:\n      - train.lrate\n      - conf.json: [opt.gama]\n    outs: [o]\n',
        'params.yaml': 'train:\n  lr: 0.1\n',
        'conf.json': '{"opt": {"gamma": 2}}',
      },
      errors: [
        {
          file: 'dvc.yaml',
          line: 5,
          text: 'train.lrate',
          message: 'params key `train.lrate` of stage `s` is not in params.yaml (`train` has no `lrate`); did you mean `train.lr`?',
        },
        { file: 'dvc.yaml', line: 6, message: 'did you mean `opt.gamma`?' },
      ],
    },
  ],
});

ruleCases('DVC013', {
  valid: [
    { name: 'get-started: every key listed by a stage', files: GS() },
    {
      name: 'keys read by foreach, matrix and vars count as used',
      files: {
        'dvc.yaml':
          'vars:\n  - config/data.yaml:paths\nstages:\n  train:\n    cmd: python src/train.py ${paths.features}\n    params: [train.seed]\n    outs: [model.pkl]\n  evaluate:\n    foreach: ${evaluate.splits}\n    do:\n      cmd: python src/evaluate.py model.pkl ${item}\n      deps: [model.pkl]\n  sweep:\n    matrix:\n      model: ${sweep.models}\n      lr: [0.1, 0.01]\n    cmd: python src/sweep.py --model ${item.model} --lr ${item.lr}\n    outs:\n    - sweeps/${item.model}-${item.lr}\n',
        'params.yaml': 'train:\n  seed: 1\nevaluate:\n  splits:\n  - train\n  - test\nsweep:\n  models: [resnet, vit]\n',
        'config/data.yaml': 'paths:\n  features: data/features\n',
      },
    },
    {
      // DVC templates the top-level metrics/params lists with the file's context too (dvc/parsing TopDefinition)
      name: 'a key read only by the top-level metrics list counts as used',
      files: {
        'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    params: [train.lr]\nmetrics:\n  - ${reports.scores}\n',
        'params.yaml': 'train:\n  lr: 0.1\nreports:\n  scores: reports/scores.json\n',
      },
    },
  ],
  invalid: [
    {
      name: 'get-started with a dropout no stage lists (a hint)',
      files: GS({ 'params.yaml': GS_PARAMS.replace('  min_split: 0.01\n', '  min_split: 0.01\n  dropout: 0.2\n') }),
      errors: [
        { file: 'params.yaml', line: 13, text: 'dropout', severity: 'hint', message: '`train.dropout` in params.yaml is not used by any stage of dvc.yaml' },
      ],
    },
  ],
});

ruleCases('DVC014', {
  valid: [
    { name: 'get-started: writes go through variables (sys.argv, os.path.join of a name)', files: GS() },
    {
      name: 'a write inside a declared out folder',
      files: {
        'dvc.yaml': 'stages:\n  train:\n    cmd: python src/train.py\n    outs: [models]\n',
        'src/train.py': 'import joblib\n\njoblib.dump({}, "models/scaler.joblib")\n',
      },
    },
  ],
  invalid: [
    {
      name: 'joblib.dump of a file the stage does not declare',
      files: {
        'dvc.yaml': 'stages:\n  train:\n    cmd: python src/train.py\n    outs: [models/model.pt]\n',
        'src/train.py': 'import joblib\nimport torch\n\ntorch.save({}, "models/model.pt")\njoblib.dump({}, "models/scaler.joblib")\n',
      },
      errors: [
        {
          file: 'dvc.yaml',
          line: 3,
          column: 10,
          severity: 'info',
          message: 'writes `models/scaler.joblib` (line 5, joblib.dump), but the stage does not declare it in outs, metrics or plots',
        },
      ],
    },
  ],
});

// ---------------------------------------------------------------- dvc.lock against dvc.yaml

const LOCK_RUN = {
  'dvc.yaml':
    'stages:\n  prepare:\n    cmd: python prepare.py data/raw.csv --fast\n    params: [prepare.split, prepare.seed]\n    outs: [data/prepared]\n  train:\n    cmd: echo\n    outs: [m]\n',
  'params.yaml': 'prepare:\n  split: 0.3\n  seed: 1\n',
  'dvc.lock':
    "schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py data/raw.csv\n    params:\n      params.yaml:\n        prepare.split: 0.2\n    outs:\n    - path: data/prepared\n      hash: md5\n      md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n      size: 6\n      nfiles: 2\n  old:\n    cmd: echo old\n",
};
const LOCK_OK = {
  'dvc.yaml': 'stages:\n  prepare:\n    cmd: python prepare.py ${prepare.split}\n    params: [prepare.split]\n    outs: [out]\n',
  'params.yaml': 'prepare:\n  split: 1.0\n',
  'dvc.lock': "schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py 1.0\n    params:\n      params.yaml:\n        prepare.split: 1\n",
};

ruleCases('DVC020', {
  valid: [
    { name: 'get-started: every stage in dvc.lock', files: GS() },
    { name: 'no dvc.lock yet (never reported then)', files: { 'dvc.yaml': 'stages:\n  train:\n    cmd: echo\n    outs: [m]\n' } },
  ],
  invalid: [
    {
      name: 'a stage without a lock entry',
      files: LOCK_RUN,
      errors: [{ file: 'dvc.yaml', line: 6, text: 'train', message: 'stage `train` has never been run: it has no entry in dvc.lock' }],
    },
  ],
});

ruleCases('DVC021', {
  valid: [{ name: 'get-started lock has only current stages', files: GS() }],
  invalid: [
    {
      name: 'a stage renamed in dvc.yaml, still in dvc.lock',
      files: LOCK_RUN,
      errors: [{ file: 'dvc.lock', line: 14, message: 'stage `old` is in dvc.lock but not in dvc.yaml' }],
    },
  ],
});

ruleCases('DVC022', {
  valid: [
    { name: 'a templated cmd equal to the lock’s after templating (1.0)', files: LOCK_OK },
    { name: 'get-started', files: GS() },
  ],
  invalid: [
    {
      name: 'a flag added since the last run',
      files: LOCK_RUN,
      errors: [
        { file: 'dvc.yaml', line: 3, message: 'dvc.lock has `python prepare.py data/raw.csv`, dvc.yaml now runs `python prepare.py data/raw.csv --fast`' },
      ],
    },
  ],
});

ruleCases('DVC023', {
  valid: [
    { name: '1 in the lock equals 1.0 in params.yaml, as in Python', files: LOCK_OK },
    { name: 'get-started', files: GS() },
  ],
  invalid: [
    {
      name: 'a changed value and a new key',
      files: LOCK_RUN,
      errors: [
        { file: 'dvc.yaml', message: '`prepare.split` is 0.3 in params.yaml, dvc.lock has 0.2' },
        { file: 'dvc.yaml', message: '`prepare.seed` (params.yaml) is new since it last ran' },
      ],
    },
  ],
});

ruleCases('DVC024', {
  valid: [
    { name: 'get-started dvc.lock (schema 2.0)', files: GS() },
    { name: 'a lock with schema 2.0', files: LOCK_OK },
  ],
  invalid: [
    {
      name: 'a DVC 1 lock file (stages at the top level)',
      files: {
        'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    outs: [o]\n',
        'dvc.lock': 's:\n  cmd: echo\n  outs:\n  - path: o\n    md5: acbd18db4cc2f85cedef654fccc4a4d8\n',
      },
      errors: [{ file: 'dvc.lock', line: 1, message: /no `schema` key: it is a DVC 1 lock file/ }],
    },
  ],
});

// ---------------------------------------------------------------- .dvc files, config, data

ruleCases('DVC050', {
  valid: [{ name: 'get-started .dvc file and lock', files: GS() }],
  invalid: [
    {
      name: 'a typo in a .dvc file, and a lock without schema',
      files: { '.dvc/config': CONFIG_OK, '.gitignore': '/data\n', 'data.dvc': DATA_DVC + '  cahce: false\n', 'dvc.lock': 'stages:\n  a:\n    cmd: x\n' },
      errors: [
        { file: 'data.dvc', line: 7, column: 3, text: 'cahce', message: 'unknown key `cahce` in a .dvc file; did you mean `cache`?' },
        { file: 'dvc.lock', line: 1, message: 'missing required key `schema`' },
      ],
    },
  ],
});

ruleCases('DVC051', {
  valid: [
    { name: 'get-started: data/.gitignore lists data.xml (before dvc pull it is absent)', git: true, files: GS() },
    {
      name: 'a folder out absent before dvc pull, ignored by a folder pattern',
      git: true,
      files: { '.dvc/config': CONFIG_OK, '.gitignore': 'data/raw/\n', 'data/raw.dvc': 'outs:\n- hash: md5\n  path: raw\n  nfiles: 3\n' },
    },
  ],
  invalid: [
    {
      name: 'an out git does not ignore: the fix goes to the folder’s .gitignore',
      git: true,
      files: { '.dvc/config': CONFIG_OK, 'datasets/raw.dvc': DATA_DVC.replace('path: data', 'path: raw'), 'datasets/.gitignore': '/other\n' },
      untracked: { 'datasets/raw/a.csv': 'x' },
      errors: [{ file: 'datasets/raw.dvc', line: 6 }],
      output: { 'datasets/.gitignore': '/other\n/raw\n' },
    },
  ],
});

ruleCases('DVC052', {
  valid: [{ name: 'get-started: data.xml is ignored, not committed', git: true, files: GS(), untracked: { 'data/data.xml': '<xml/>\n' } }],
  invalid: [
    {
      name: 'the data also committed to git',
      git: true,
      files: { '.dvc/config': CONFIG_OK, 'data.dvc': DATA_DVC, 'data/foo': 'foo', 'data/bar': 'bar' },
      errors: [
        {
          file: 'data.dvc',
          line: 6,
          message: 'data is tracked by DVC (data.dvc) and has 2 files committed to git (data/bar, data/foo); run `git rm -r --cached data`',
        },
      ],
    },
  ],
});

ruleCases('DVC053', {
  valid: [
    { name: 'DVC 3 entries (hash: md5)', files: GS() },
    {
      name: 'a cookiecutter layout in ml/: a DVC 3 dvc.lock with a wdir stage, a files: list, .dir outs',
      files: inMl({
        'dvc.yaml': COOKIECUTTER.dvcYaml,
        'params.yaml': COOKIECUTTER.params('0.01'),
        'config/report.yaml': COOKIECUTTER.report,
        'dvc.lock': DVC3_LOCK,
      }),
    },
  ],
  invalid: [
    {
      name: 'the same lock written by DVC 2 (no hash: keys; the files: list has no md5, so it is not counted)',
      files: inMl({
        'dvc.yaml': COOKIECUTTER.dvcYaml,
        'params.yaml': COOKIECUTTER.params('0.01'),
        'config/report.yaml': COOKIECUTTER.report,
        'dvc.lock': DVC3_LOCK.replace(/^ +hash: md5\n/gm, ''),
      }),
      errors: [{ file: 'ml/dvc.lock', line: 7, text: 'md5', severity: 'hint', message: '7 entries of ml/dvc.lock have DVC 2 hashes' }],
    },
    {
      name: 'a DVC 2 .dvc file and a lock with two DVC 2 entries (one finding for the lock)',
      files: {
        '.dvc/config': CONFIG_OK,
        'raw.csv.dvc': 'outs:\n- md5: e5ebd4c02cefbe7955977c67ada242b7\n  size: 10\n  path: raw.csv\n',
        'dvc.lock':
          "schema: '2.0'\nstages:\n  a:\n    cmd: x\n    deps:\n    - path: raw.csv\n      md5: e5ebd4c02cefbe7955977c67ada242b7\n      size: 10\n    outs:\n    - path: out.csv\n      md5: e5ebd4c02cefbe7955977c67ada242b7\n      size: 10\n",
      },
      errors: [
        { file: 'dvc.lock', line: 7, severity: 'hint', message: '2 entries of dvc.lock have DVC 2 hashes' },
        { file: 'raw.csv.dvc', line: 2 },
      ],
    },
  ],
});

const BAD_CONFIG = '[\'remote "drive"\']\n    url = gdrive://1AbC\n[\'remote "gcs"\']\n    url = gs://bucket/dvc\n    secret_access_key = AKIAsecret\n';

ruleCases('DVC060', {
  valid: [{ name: 'get-started: core.remote = storage', files: GS() }],
  invalid: [
    {
      name: 'remotes but no default',
      files: { '.dvc/config': BAD_CONFIG, 'requirements.txt': 'dvc>=3\n' },
      errors: [{ file: '.dvc/config', line: 1, message: 'defines `drive`, `gcs` but no default remote (core.remote); run `dvc remote default drive`' }],
    },
    {
      name: 'a default that names no remote',
      files: {
        '.dvc/config': '[core]\n    remote = store\n[\'remote "storage"\']\n    url = gs://bucket/dvc\n    version_aware = true\n',
        'requirements.txt': 'dvc[gs]>=3\n',
      },
      errors: [{ file: '.dvc/config', message: 'core.remote is `store`, but no remote of that name is defined (have: storage)' }],
    },
  ],
});

ruleCases('DVC061', {
  valid: [{ name: 'an S3 remote', files: GS() }],
  invalid: [{ name: 'a gdrive:// remote', files: { '.dvc/config': BAD_CONFIG, 'requirements.txt': 'dvc>=3\n' }, errors: [{ file: '.dvc/config', line: 2 }] }],
});

ruleCases('DVC062', {
  valid: [
    { name: 'get-started declares dvc[s3]', files: GS() },
    {
      name: 'dvc[gs] in pyproject.toml',
      files: {
        '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = gs://bucket/dvc\n    version_aware = true\n',
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["dvc[gs]>=3"]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'gdrive:// and gs:// remotes with only dvc declared',
      files: { '.dvc/config': BAD_CONFIG, 'requirements.txt': 'dvc>=3\ntorch\n' },
      errors: [
        { file: '.dvc/config', line: 2, message: 'dvc-gdrive' },
        {
          file: '.dvc/config',
          line: 4,
          message: 'remote `gcs` (gs://) needs the `dvc-gs` package, which is not among the declared dependencies (requirements.txt)',
        },
      ],
    },
  ],
});

ruleCases('DVC063', {
  valid: [
    {
      name: 'the credential in .dvc/config.local (not committed)',
      git: true,
      files: { '.dvc/config': CONFIG_OK, '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n', 'requirements.txt': 'dvc[s3]>=3\n' },
      untracked: { '.dvc/config.local': '[\'remote "storage"\']\n    secret_access_key = abc\n' },
    },
  ],
  invalid: [
    {
      name: 'a secret key in the committed config, not repeated in the message',
      files: { '.dvc/config': BAD_CONFIG, 'requirements.txt': 'dvc>=3\n' },
      errors: [{ file: '.dvc/config', line: 5, column: 5, text: 'secret_access_key = AKIAsecret', message: /^(?!.*AKIAsecret)/ }],
    },
  ],
});

ruleCases('DVC064', {
  valid: [
    {
      name: 'a gs:// remote with version_aware = true',
      files: {
        '.dvc/config': '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = gs://bucket/dvc\n    version_aware = true\n',
        'requirements.txt': 'dvc[gs]>=3\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a gs:// remote without version_aware',
      files: { '.dvc/config': BAD_CONFIG, 'requirements.txt': 'dvc>=3\n' },
      errors: [{ file: '.dvc/config', line: 4 }],
    },
  ],
});

ruleCases('DVC065', {
  valid: [
    { name: 'an empty data/ kept by .gitkeep', git: true, files: { 'README.md': '# x\n', '.gitignore': '/data/raw\n', 'data/.gitkeep': '' } },
    { name: 'get-started uses DVC', git: true, files: GS(), untracked: { 'data/data.xml': '<xml/>\n' } },
  ],
  invalid: [
    {
      name: 'data/ with content and no DVC',
      git: true,
      files: { 'README.md': '# x\n', '.gitignore': '/data/raw\n' },
      untracked: { 'data/raw/train.csv': 'a,b\n' },
      errors: [{ file: 'README.md', line: 1, message: 'data/ holds 1 entry (raw)' }],
    },
  ],
});

ruleCases('DVC066', {
  valid: [
    { name: 'every stage that ran is up to date (test/support/dvc.ts: as dvc add and dvc repro leave it)', project: dvcProject, dvcStatus: true },
    {
      name: 'a clone before dvc pull: deps and outs only missing',
      project: dvcProject,
      dvcStatus: true,
      setup: (root) => {
        fs.rmSync(path.join(root, 'data'), { recursive: true });
        fs.rmSync(path.join(root, 'model.bin'));
      },
    },
  ],
  invalid: [
    {
      name: 'a dep changed since dvc repro: on the stage name, with what changed',
      project: dvcProject,
      dvcStatus: true,
      setup: (root) => fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR'),
      errors: [{ file: 'dvc.yaml', line: 2, column: 3, text: 'train', severity: 'info', message: 'stage `train` is out of date: data changed' }],
    },
  ],
});
