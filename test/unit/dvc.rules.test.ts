import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const DVC = { select: ['DVC', 'MLH'] };

function msgs(f: Finding[], code: string): string[] {
  return f.filter((x) => x.code === code).map((x) => x.message);
}

describe('DVC pipeline rules (DVC001-DVC024)', () => {
  let root = '';
  afterEach(() => rmrf(root));
  const run = async (files: Record<string, string>, commit: string[] | 'all' = 'all') => {
    root = gitRepo(files, commit);
    return checkFolder(root, DVC);
  };

  it('DVC001 reports unknown keys with a suggestion, wrong types and a missing cmd on their nodes', async () => {
    const f = await run({
      'dvc.yaml':
        'stages:\n  train:\n    cmd: python t.py\n    dep: [t.py]\n    frozen: "yes"\n    outs:\n      - m.pkl:\n          cahce: false\n  eval:\n    deps: [m.pkl]\n  loop:\n    foreach: [a]\n    cmd: echo\n    do:\n      cmd: echo ${item}\nmetrix: [m.json]\n',
      't.py': '',
    });
    assert.deepEqual(where(f, 'DVC001').sort(), ['dvc.yaml:13', 'dvc.yaml:16', 'dvc.yaml:4', 'dvc.yaml:5', 'dvc.yaml:8', 'dvc.yaml:9'].sort());
    const m = msgs(f, 'DVC001');
    assert.ok(m.includes('unknown key `dep` in stage `train`; did you mean `deps`?'), m.join('\n'));
    assert.ok(m.includes("`frozen` of stage `train` must be true or false, found the string 'yes'"), m.join('\n'));
    assert.ok(m.includes('unknown key `cahce` in `outs[0].m.pkl` of stage `train`; did you mean `cache`?'), m.join('\n'));
    assert.ok(m.includes('stage `eval` has no `cmd` (required)'), m.join('\n'));
    assert.ok(
      m.some((x) => x.startsWith('unknown key `cmd` in stage `loop`') && x.includes('foreach')),
      m.join('\n'),
    );
    assert.ok(m.includes('unknown key `metrix` in the file; did you mean `metrics`?'), m.join('\n'));
    const dep = f.find((x) => x.code === 'DVC001' && x.message.includes('`dep`'))!;
    assert.deepEqual(dep.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 7 } });
  });

  it('DVC001 gives DVC’s own text for a params file mapped to a non-list, and stays quiet on a valid file', async () => {
    const f = await run({ 'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    params:\n      - p.yaml: lr\n', 'p.yaml': 'lr: 1\n' });
    assert.deepEqual(msgs(f, 'DVC001'), ["Expected list of params for custom params file 'p.yaml', got 'str'."]);
    rmrf(root);
    const ok = await run({
      'dvc.yaml':
        'vars:\n  - p.yaml\nstages:\n  s:\n    cmd: [echo a, echo b]\n    deps: [p.yaml]\n    params:\n      - p.yaml:\n    outs:\n      - out.txt:\n          cache: false\n    plots:\n      - pl.csv:\n          x: step\n    frozen: false\nplots:\n  - loss:\n      x: step\n      y: {pl.csv: loss}\nartifacts:\n  model:\n    path: out.txt\n    type: model\n',
      'p.yaml': 'lr: 1\n',
    });
    assert.deepEqual(msgs(ok, 'DVC001'), []);
  });

  it('DVC002 reports templating errors on the span; not on a template that resolves', async () => {
    const f = await run({
      'dvc.yaml': 'stages:\n  s:\n    cmd: python s.py ${models.foobar}\n    deps: [s.py]\n',
      'params.yaml': 'models:\n  cnn: x\n',
      's.py': '',
    });
    assert.deepEqual(msgs(f, 'DVC002'), ["failed to parse 'stages.s.cmd' in 'dvc.yaml': Could not find 'models.foobar'"]);
    assert.equal(f.find((x) => x.code === 'DVC002')!.range.start.character, 21);
    rmrf(root);
    const ok = await run({
      'dvc.yaml': 'stages:\n  s:\n    cmd: python s.py ${models.cnn}\n    deps: [s.py]\n',
      'params.yaml': 'models:\n  cnn: x\n',
      's.py': '',
    });
    assert.deepEqual(msgs(ok, 'DVC002'), []);
  });

  it('DVC003 fires for a dep nothing provides, never for produced, .dvc-tracked or existing deps', async () => {
    const f = await run({
      'dvc.yaml': `stages:
  prepare:
    cmd: python prepare.py
    deps: [prepare.py, data/raw, data/raw/part1.csv, data/missing.csv]
    outs: [data/processed]
  train:
    cmd: python train.py
    deps: [train.py, data/processed, data/processed/train.csv, https://example.com/x.csv]
    outs: [models/m.pkl]
  eval:
    foreach: [m.pkl]
    do:
      cmd: python eval.py
      deps: ["models/\${item}", eval.py]
`,
      'data/raw.dvc': 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: raw\n',
      'prepare.py': '',
      'train.py': '',
      'eval.py': '',
    });
    assert.deepEqual(where(f, 'DVC003'), ['dvc.yaml:4']);
    assert.deepEqual(msgs(f, 'DVC003'), [
      'stage `prepare` depends on `data/missing.csv`, which does not exist, is not an output of any stage and is not tracked by a .dvc file',
    ]);
    assert.equal(f.find((x) => x.code === 'DVC003')!.range.start.character, 53);
  });

  it('DVC004 fires for an output claimed twice or overlapping, or tracked by a .dvc file; DVC005 for cycles', async () => {
    const f = await run({
      'dvc.yaml': `stages:
  a:
    cmd: echo a
    deps: [b.csv]
    outs: [a.csv]
  b:
    cmd: echo b
    deps: [a.csv]
    outs: [b.csv]
  c:
    cmd: echo c
    outs: [data]
  d:
    cmd: echo d
    outs: [data/x.csv, raw]
  self:
    cmd: echo s
    deps: [s.txt]
    outs: [s.txt]
`,
      'raw.dvc': 'outs:\n- path: raw\n  md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n',
    });
    assert.deepEqual(msgs(f, 'DVC004').sort(), [
      'output `data/x.csv` of stage `d` lies inside `data`, an output of stage `c`',
      'output `raw` of stage `d` is also tracked by raw.dvc',
    ]);
    assert.deepEqual(msgs(f, 'DVC005').sort(), ['stage `self` depends on its own output `s.txt`', "stages `a`, `b` depend on each other's outputs in a cycle"]);
    rmrf(root);
    const ok = await run({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo a\n    outs: [a.csv]\n  b:\n    cmd: echo b\n    deps: [a.csv]\n    outs: [b.csv]\n' });
    assert.deepEqual([...where(ok, 'DVC004'), ...where(ok, 'DVC005')], []);
  });

  it('DVC006 fires for a missing script (relative to wdir) or project module; not for existing ones or installed modules', async () => {
    const f = await run({
      'dvc.yaml': `stages:
  a:
    cmd: python src/trian.py && python -m mypkg.nope
    outs: [a]
  b:
    wdir: sub
    cmd: bash run.sh && python -m mypkg.train && python -m spacy download x && Rscript ../r/an.R
    outs: [b]
  c:
    cmd: python -m src.mypkg.train
    outs: [c]
`,
      'src/train.py': '',
      'src/mypkg/__init__.py': '',
      'src/mypkg/train.py': '',
      'sub/run.sh': '',
      'sub/mypkg/__init__.py': '',
      'sub/mypkg/train/__main__.py': '',
    });
    assert.deepEqual(msgs(f, 'DVC006'), [
      'stage `a` runs `src/trian.py`, which does not exist',
      'stage `a` runs module `mypkg.nope`, but neither src/mypkg/nope.py nor src/mypkg/nope/__main__.py exists',
      'stage `b` runs `../r/an.R`, which does not exist (relative to sub/)',
    ]);
    assert.deepEqual(f.find((x) => x.code === 'DVC006')!.range, { start: { line: 2, character: 16 }, end: { line: 2, character: 28 } });
  });

  it('DVC007 fires for an output committed to git; DVC008 for an existing output not ignored, with DVC’s own .gitignore fix', async () => {
    root = gitRepo({
      'dvc.yaml':
        'stages:\n  s:\n    cmd: echo\n    outs: [models/m.pkl, data/processed, metrics.json, ok.bin]\n    metrics:\n      - scores.json:\n          cache: false\n',
      'models/m.pkl': 'x',
      '.gitignore': '/ok.bin\n',
    });
    fs.mkdirSync(path.join(root, 'data/processed'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data/processed/a.csv'), 'a');
    fs.writeFileSync(path.join(root, 'ok.bin'), 'a');
    fs.writeFileSync(path.join(root, 'scores.json'), '{}');
    const f = await checkFolder(root, DVC);
    assert.deepEqual(msgs(f, 'DVC007'), [
      'output `models/m.pkl` of stage `s` is committed to git, and DVC caches it too: run `git rm -r --cached models/m.pkl`, or set `cache: false` to keep it in git only',
    ]);
    assert.deepEqual(msgs(f, 'DVC008'), [
      "output `data/processed` of stage `s` exists but git does not ignore it; DVC expects '/processed' in data/.gitignore",
    ]);
    const fix = f.find((x) => x.code === 'DVC008')!.fixes![0];
    assert.equal(fix.changes[0].file, 'data/.gitignore');
    assert.equal(fix.changes[0].create, true);
    assert.equal(applyEdits('', fix.changes[0].edits), '/processed\n');
  });

  it('DVC009 fires for a stage with neither deps nor outs; DVC010 for backslash paths in cmd', async () => {
    const f = await run({
      'dvc.yaml':
        'stages:\n  a:\n    cmd: python src\\train.py --out data\\x\n  b:\n    cmd: printf "a\\nb" > /dev/null\n    always_changed: true\n  c:\n    cmd: python src/train.py\n    deps: [src/train.py]\n',
      'src/train.py': '',
    });
    assert.deepEqual(where(f, 'DVC009'), ['dvc.yaml:2']);
    assert.deepEqual(msgs(f, 'DVC010'), [
      'stage `a` writes `src\\train.py` with backslashes; the shell on Linux/macOS reads them as escapes: use `src/train.py`',
    ]);
  });

  it('DVC011/DVC012 check params files and keys (plain and file-qualified, YAML/JSON/TOML/Python); DVC013 hints unused keys', async () => {
    const f = await run({
      'dvc.yaml': `stages:
  s:
    cmd: echo \${data.path}
    params:
      - train.lrate
      - train.epochs
      - conf.json: [opt.beta, opt.gama]
      - conf.toml: [model.depth]
      - settings.py: [Train.batch, SEED]
      - nope.yaml: [x]
    outs: [o]
`,
      'params.yaml': 'train:\n  lr: 0.1\n  epochs: 3\ndata:\n  path: d\nunused:\n  a: 1\n',
      'conf.json': '{"opt": {"beta": 1, "gamma": 2}}',
      'conf.toml': '[model]\ndepth = 3\n',
      'settings.py': 'SEED = 1\n\nclass Train:\n    batch = 32\n',
    });
    assert.deepEqual(msgs(f, 'DVC011'), ['stage `s` reads params from nope.yaml, which does not exist']);
    assert.deepEqual(msgs(f, 'DVC012'), [
      'params key `train.lrate` of stage `s` is not in params.yaml (`train` has no `lrate`); did you mean `train.lr`?',
      'params key `opt.gama` of stage `s` is not in conf.json (`opt` has no `gama`); did you mean `opt.gamma`?',
    ]);
    assert.deepEqual(where(f, 'DVC013'), ['params.yaml:2', 'params.yaml:6']);
    assert.deepEqual(msgs(f, 'DVC013')[0], '`train.lr` in params.yaml is not used by any stage of dvc.yaml (not in any stage’s params, not in a ${...})');
    assert.equal(f.find((x) => x.code === 'DVC013')!.severity, 'hint');
  });

  // DVC's templating (dvc.org, "Templating" in the dvc.yaml reference): params.yaml is always loaded first into the
  // templating context, and `${...}` may appear in `foreach:` (`foreach: ${evaluate.splits}`, each value then `${item}`)
  // and in the lists of `matrix:`; `vars:` loads further files, `file:k1,k2` only the keys named. A key the pipeline
  // reads in any of these places is used, even if no stage lists it under `params`.
  it('DVC013 counts keys read by foreach, matrix and vars as used (the get-started evaluate stage); still hints a stale key', async () => {
    const f = await run({
      'dvc.yaml': `vars:
  - config/data.yaml:paths
stages:
  train:
    cmd: python src/train.py \${paths.features}
    params: [train.seed]
    outs: [model.pkl]
  evaluate:
    foreach: \${evaluate.splits}
    do:
      cmd: python src/evaluate.py model.pkl \${item}
      deps: [model.pkl]
      metrics:
      - eval/\${item}/metrics.json:
          cache: false
  sweep:
    matrix:
      model: \${sweep.models}
      lr: [0.1, 0.01]
    cmd: python src/sweep.py --model \${item.model} --lr \${item.lr}
    outs:
    - sweeps/\${item.model}-\${item.lr}
`,
      'params.yaml': 'train:\n  seed: 1\n  stale: 3\nevaluate:\n  splits:\n  - train\n  - test\nsweep:\n  models: [resnet, vit]\n',
      'config/data.yaml': 'paths:\n  features: data/features\n',
    });
    assert.deepEqual(msgs(f, 'DVC001'), []);
    assert.deepEqual(
      f.filter((x) => x.code === 'DVC013').map((x) => x.message),
      ['`train.stale` in params.yaml is not used by any stage of dvc.yaml (not in any stage’s params, not in a ${...})'],
    );
  });

  it('DVC013 counts a key that a sub-pipeline loads with vars (file:keys) as used in that file', async () => {
    const f = await run({
      'params.yaml': 'shared:\n  classes: 10\nother: 1\n',
      'dvc.yaml': 'stages:\n  a:\n    cmd: echo ${other}\n',
      'pipelines/train/dvc.yaml': 'vars:\n  - ../../params.yaml:shared\nstages:\n  t:\n    cmd: python train.py\n',
    });
    assert.deepEqual(where(f, 'DVC013'), []);
  });

  it('DVC020-DVC023 compare dvc.lock with dvc.yaml and the params files', async () => {
    const f = await run(
      {
        'dvc.yaml':
          'stages:\n  prepare:\n    cmd: python prepare.py data/raw.csv --fast\n    params: [prepare.split, prepare.seed]\n    outs: [data/prepared]\n  train:\n    cmd: echo\n    outs: [m]\n',
        'params.yaml': 'prepare:\n  split: 0.3\n  seed: 1\n',
        'dvc.lock':
          "schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py data/raw.csv\n    params:\n      params.yaml:\n        prepare.split: 0.2\n    outs:\n    - path: data/prepared\n      hash: md5\n      md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n      size: 6\n      nfiles: 2\n  old:\n    cmd: echo old\n",
      },
      ['dvc.yaml', 'params.yaml', 'dvc.lock'],
    );
    assert.deepEqual(msgs(f, 'DVC020'), ['stage `train` has never been run: it has no entry in dvc.lock']);
    assert.deepEqual(msgs(f, 'DVC021'), ['stage `old` is in dvc.lock but not in dvc.yaml: it was renamed or removed without re-running the pipeline']);
    assert.deepEqual(where(f, 'DVC021'), ['dvc.lock:14']);
    assert.deepEqual(msgs(f, 'DVC022'), [
      'command of stage `prepare` changed since it last ran: dvc.lock has `python prepare.py data/raw.csv`, dvc.yaml now runs `python prepare.py data/raw.csv --fast`',
    ]);
    assert.deepEqual(msgs(f, 'DVC023'), [
      'params of stage `prepare` changed since it last ran: `prepare.split` is 0.3 in params.yaml, dvc.lock has 0.2',
      'params of stage `prepare` changed since it last ran: `prepare.seed` (params.yaml) is new since it last ran',
    ]);
  });

  it('DVC020-DVC024 stay quiet when dvc.lock matches (1 == 1.0 as in Python), and DVC024 flags a DVC 1 lock file', async () => {
    const ok = await run({
      'dvc.yaml': 'stages:\n  prepare:\n    cmd: python prepare.py ${prepare.split}\n    params: [prepare.split]\n    outs: [out]\n',
      'params.yaml': 'prepare:\n  split: 1.0\n',
      'dvc.lock': "schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py 1.0\n    params:\n      params.yaml:\n        prepare.split: 1\n",
    });
    assert.deepEqual(
      ok.filter((x) => /^DVC02/.test(x.code)).map((x) => x.message),
      [],
    );
    rmrf(root);
    const f = await run({
      'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    outs: [o]\n',
      'dvc.lock': 's:\n  cmd: echo\n  outs:\n  - path: o\n    md5: acbd18db4cc2f85cedef654fccc4a4d8\n',
    });
    assert.deepEqual(where(f, 'DVC024'), ['dvc.lock:1']);
    assert.match(msgs(f, 'DVC024')[0], /no `schema` key: it is a DVC 1 lock file, which current DVC \(2 and 3\) does not accept/);
  });
});
