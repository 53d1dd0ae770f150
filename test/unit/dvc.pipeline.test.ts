import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';
import { dvcPipeline, pyFloatRepr, pyStr, PyFloat, interpolate, Context, parseKey } from '../../server/src/engine/dvc/pipeline';
import { invocationOf, splitCommands } from '../../server/src/engine/dvc/pipeline/command';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

/** The fixture of formats.md 1.2 (the flow list with `${item}` quoted: unquoted, `{` starts a flow mapping in YAML). */
export const FIXTURE_1_2 = `vars:
  - config.json:train
  - model_type: cnn
stages:
  prepare:
    cmd: python prepare.py \${data.raw}
    deps: [prepare.py, "\${data.raw}"]
    params:
      - prepare.split
      - params2.yaml: [a.b]
      - custom.yaml:
    outs:
      - data/prepared
      - tmp/cache:
          cache: false
          persist: true
  train:
    foreach: [us, eu]          # -> train@us, train@eu
    do:
      cmd: python train.py --region \${item}
      outs: ["models/\${item}.pkl"]
  sweep:
    matrix: {lr: [0.1, 0.01], model: [a, b]}   # -> sweep@0.1-a ...
    cmd: python sweep.py --lr \${item.lr} --model \${item.model}
metrics: [metrics.json]
`;

async function pipelineOf(files: Record<string, string>) {
  const root = tmpDir('mlh-dvcp-');
  writeTree(root, files);
  const ws = await Workspace.load(root, { useGit: false });
  return { root, p: dvcPipeline({ ws }) };
}

describe('DVC pipeline library (templating as DVC does it)', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('expands the formats.md 1.2 fixture into the stage names DVC generates, with resolved commands and paths', async () => {
    const r = await pipelineOf({
      'dvc.yaml': FIXTURE_1_2,
      'params.yaml': 'prepare:\n  split: 0.2\ndata:\n  raw: data/raw.csv\n',
      'config.json': '{"train": {"epochs": 3}, "other": 1}',
    });
    root = r.root;
    const { p } = r;
    assert.deepEqual(p.files[0].problems, []);
    assert.deepEqual(
      p.stages.map((s) => s.name),
      ['prepare', 'train@us', 'train@eu', 'sweep@0.1-a', 'sweep@0.1-b', 'sweep@0.01-a', 'sweep@0.01-b'],
    );
    const prepare = p.stages[0];
    assert.deepEqual(prepare.cmd, ['python prepare.py data/raw.csv']);
    assert.deepEqual(
      prepare.deps.map((d) => d.rel),
      ['prepare.py', 'data/raw.csv'],
    );
    assert.deepEqual(
      prepare.outs.map((o) => [o.rel, o.cache, o.persist]),
      [
        ['data/prepared', true, false],
        ['tmp/cache', false, true],
      ],
    );
    assert.deepEqual(
      prepare.params.map((x) => `${x.file}:${x.key ?? '*'}`),
      ['params.yaml:prepare.split', 'params2.yaml:a.b', 'custom.yaml:*'],
    );
    assert.deepEqual(p.stages[2].cmd, ['python train.py --region eu']);
    assert.deepEqual(
      p.stages[2].outs.map((o) => o.rel),
      ['models/eu.pkl'],
    );
    assert.deepEqual(p.stages[5].cmd, ['python sweep.py --lr 0.01 --model a']);
    // vars `config.json:train` keeps the key: ${train.epochs} resolves, ${other} was not imported
    const c = new Context();
    c.merge({ train: { epochs: 3 } }, 'config.json');
    assert.equal(interpolate('${train.epochs}', c, 'cmd'), 3);
  });

  it('names foreach items like DVC: dict keys, scalar values, indexes for lists of composites; ${key} only for dicts', async () => {
    const r = await pipelineOf({
      'dvc.yaml': `stages:
  d:
    foreach: {us: {n: 1}, eu: {n: 2}}
    do:
      cmd: echo \${key} \${item.n}
  l:
    foreach: [{a: 1}, {a: 2}]
    do:
      cmd: echo \${item.a}
  f:
    foreach: [1e-3, true, 1.0]
    do:
      cmd: echo \${item}
  bad:
    foreach: [x]
    do:
      cmd: echo \${key}
`,
    });
    root = r.root;
    assert.deepEqual(
      r.p.stages.map((s) => `${s.name}=${s.cmd[0]}`),
      ['d@us=echo us 1', 'd@eu=echo eu 2', 'l@0=echo 1', 'l@1=echo 2', 'f@0.001=echo 0.001', 'f@true=echo true', 'f@1.0=echo 1.0', 'bad@x=echo ${key}'],
    );
    assert.deepEqual(
      r.p.files[0].problems.map((x) => x.message),
      ["failed to parse 'stages.bad@x.cmd' in 'dvc.yaml': Could not find 'key'"],
    );
  });

  it('matrix: cartesian product in key order, composite values named <key><index>', async () => {
    const r = await pipelineOf({
      'dvc.yaml': `stages:
  m:
    matrix:
      model: [a, b]
      cfg: [{x: 1}, {x: 2}]
    cmd: echo \${item.model} \${item.cfg.x}
`,
    });
    root = r.root;
    assert.deepEqual(
      r.p.stages.map((s) => `${s.name}=${s.cmd[0]}`),
      ['m@a-cfg0=echo a 1', 'm@a-cfg1=echo a 2', 'm@b-cfg0=echo b 1', 'm@b-cfg1=echo b 2'],
    );
  });

  it('reports an undefined key on the exact ${...} span with DVC wording, and keeps going', async () => {
    const text = 'stages:\n  build:\n    cmd: python build.py --m ${models.foobar}\n    deps: [build.py]\n';
    const r = await pipelineOf({ 'dvc.yaml': text, 'params.yaml': 'models:\n  cnn: 1\n' });
    root = r.root;
    const [pr] = r.p.files[0].problems;
    assert.equal(pr.message, "failed to parse 'stages.build.cmd' in 'dvc.yaml': Could not find 'models.foobar'");
    assert.deepEqual(pr.range, { start: { line: 2, character: 29 }, end: { line: 2, character: 45 } });
    assert.equal(r.p.stages[0].cmdUnresolved, true);
  });

  it('brackets, list indexes, escapes, dict expansion in cmd, and the type errors', async () => {
    const r = await pipelineOf({
      'dvc.yaml': `vars:
  - opts: {lr: 0.001, layers: [1, 2], verbose: true, quiet: false, name: my run}
stages:
  s:
    cmd: python t.py \${opts} \\\${literal} \${opts[lr]} \${opts.layers.1}
    deps: ["x/\${opts}"]
`,
    });
    root = r.root;
    assert.equal(r.p.stages[0].cmd[0], "python t.py --lr 0.001 --layers 1 2 --verbose --name 'my run' ${literal} 0.001 2");
    assert.deepEqual(
      r.p.files[0].problems.map((x) => x.message),
      ["failed to parse 'stages.s.deps[0]' in 'dvc.yaml': Cannot interpolate data of type 'dict'"],
    );
    assert.equal(parseKey('a[b].c[0]'), 'a.b.c.0');
  });

  it('auto-loads params.yaml beside dvc.yaml, rejects ${} inside vars, and reports a missing vars file', async () => {
    const r = await pipelineOf({
      'dvc.yaml': 'vars:\n  - missing.yaml\n  - x: ${y}\nstages:\n  s:\n    cmd: echo ${train.lr}\n',
      'params.yaml': 'train:\n  lr: 0.1\n',
    });
    root = r.root;
    assert.equal(r.p.stages[0].cmd[0], 'echo 0.1');
    assert.deepEqual(
      r.p.files[0].problems.map((x) => x.message),
      ["failed to parse 'vars' in 'dvc.yaml': vars file 'missing.yaml' does not exist", "failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed"],
    );
  });

  // DVC's Context.merge_from (dvc/parsing/context.py): `if path in self.imports: if not select_keys and
  // self.imports[path] is None: return  # allow specifying complete filepath multiple times`, then check_loaded raises
  // "cannot partially load '<item>' as it's already loaded." or "cannot load '<item>' as it's partially loaded already".
  it('vars: loading params.yaml again is a no-op, as in DVC; a partial load of a loaded file is DVC’s error', async () => {
    let r = await pipelineOf({
      'dvc.yaml':
        'vars:\n  - params.yaml\n  - config/model.yaml:model\nstages:\n  s:\n    vars:\n      - config/model.yaml:optim\n    cmd: echo ${train.lr} ${model.depth} ${optim.name}\n',
      'params.yaml': 'train:\n  lr: 0.1\n',
      'config/model.yaml': 'model:\n  depth: 3\noptim:\n  name: adam\n',
    });
    root = r.root;
    assert.deepEqual(
      r.p.files[0].problems.map((x) => x.message),
      [],
    );
    assert.equal(r.p.stages[0].cmd[0], 'echo 0.1 3 adam');
    rmrf(root);
    r = await pipelineOf({
      'dvc.yaml':
        'vars:\n  - params.yaml:train\n  - config/model.yaml:model\n  - config/model.yaml:model\n  - config/model.yaml\nstages:\n  s:\n    cmd: echo ${train.lr}\n',
      'params.yaml': 'train:\n  lr: 0.1\n',
      'config/model.yaml': 'model:\n  depth: 3\n',
    });
    root = r.root;
    assert.deepEqual(
      r.p.files[0].problems.map((x) => x.message),
      [
        "failed to parse 'vars' in 'dvc.yaml': cannot partially load 'params.yaml:train' as it's already loaded.",
        "failed to parse 'vars' in 'dvc.yaml': cannot load 'config/model.yaml:model' as it's partially loaded already",
        "failed to parse 'vars' in 'dvc.yaml': cannot load 'config/model.yaml' as it's partially loaded already",
      ],
    );
  });

  it('non-iterable foreach gives DVC’s message', async () => {
    const r = await pipelineOf({ 'dvc.yaml': 'vars:\n  - s: abc\nstages:\n  t:\n    foreach: ${s}\n    do:\n      cmd: echo\n' });
    root = r.root;
    assert.deepEqual(
      r.p.files[0].problems.map((x) => x.message),
      ["failed to parse 'stages.t.foreach' in 'dvc.yaml': expected list/dictionary, got str"],
    );
  });

  it('formats numbers as Python str() does', () => {
    assert.equal(pyFloatRepr(1e-5), '1e-05');
    assert.equal(pyFloatRepr(0.0001), '0.0001');
    assert.equal(pyFloatRepr(1e16), '1e+16');
    assert.equal(pyFloatRepr(123456789012345.6), '123456789012345.6');
    assert.equal(pyFloatRepr(2.5e-7), '2.5e-07');
    assert.equal(pyStr(new PyFloat(2)), '2.0');
    assert.equal(pyStr(3), '3');
  });

  it('finds the script a command runs', () => {
    const inv = (c: string) =>
      splitCommands(c)
        .map((w) => invocationOf(w))
        .map((i) => (i ? (i.kind === 'script' ? i.path : `-m ${i.module}`) : '-'));
    assert.deepEqual(inv('python -u src/train.py --x 1 && bash scripts/post.sh'), ['src/train.py', 'scripts/post.sh']);
    assert.deepEqual(inv('PYTHONPATH=. uv run python -m pkg.mod; Rscript analysis.R | tee log'), ['-m pkg.mod', 'analysis.R', '-']);
    assert.deepEqual(inv('python -c "print(1)"'), ['-']);
    assert.deepEqual(inv('python $SCRIPT'), ['-']);
  });
});
