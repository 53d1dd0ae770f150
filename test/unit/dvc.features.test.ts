import * as assert from 'node:assert/strict';
import { ALL_RULES, completionAt, definitionAt, Engine, hoverAt, Workspace } from '../../server/src/engine';
import type { Position } from '../../server/src/engine/types';
import { gitRepo, rmrf } from '../support/tmp';

const DVC_YAML = `vars:
  - seed: 7
stages:
  prepare:
    cmd: python prepare.py
    deps:
      - prepare.py
      - data/raw
    outs:
      - data/prepared.csv
  train:
    cmd: python train.py --seed \${seed}
    deps:
      - data/prepared.csv
    params:
      - train.lr
      - train.epochs
      - eval.yaml:
          - threshold
    outs:
      - model.pkl
  score:
    foreach: [us, eu]
    do:
      cmd: python score.py \${item}
      params:
        - train.lr
`;

const DVC_LOCK = `schema: '2.0'
stages:
  train:
    cmd: python train.py --seed 7
    params:
      params.yaml:
        train.lr: 0.01
        train.epochs: 10
      eval.yaml:
        threshold: 0.5
  score@us:
    cmd: python score.py us
    params:
      params.yaml:
        train.lr: 0.02
`;

/** Line and column of the `nth` occurrence of `needle` in dvc.yaml, plus `shift` characters. */
function at(needle: string, shift = 0, nth = 0): Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = DVC_YAML.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  const before = DVC_YAML.slice(0, i + shift);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

describe('dvc.yaml editor features (engine)', () => {
  let root = '';
  afterEach(() => rmrf(root));

  async function ctx(files: Record<string, string> = {}) {
    root = gitRepo({
      'dvc.yaml': DVC_YAML,
      'dvc.lock': DVC_LOCK,
      'params.yaml': 'train:\n  lr: 0.01\n  epochs: 20\n  batch: 32\nmodel:\n  depth: 4\n',
      'eval.yaml': 'threshold: 0.5\nother: 1\n',
      'prepare.py': 'print(1)\n',
      'data/raw/a.csv': 'x\n',
      'data/prepared.csv': 'x\n',
      ...files,
    });
    const ws = await Workspace.load(root);
    const engine = new Engine(ws, ALL_RULES);
    return (position: Position) => ({ ws, engine, file: 'dvc.yaml', position });
  }

  it('goes to definition from a dep or out path to the file, from a params key to where it is set', async () => {
    const c = await ctx();
    assert.deepEqual(definitionAt(c(at('- prepare.py', 4))), [
      { file: 'prepare.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    ]);
    assert.deepEqual(
      definitionAt(c(at('data/prepared.csv', 3, 1))).map((l) => l.file),
      ['data/prepared.csv'],
    );
    assert.deepEqual(definitionAt(c(at('data/raw', 2))), [], 'a folder is not a document');
    assert.deepEqual(definitionAt(c(at('model.pkl', 2))), [], 'an output not produced yet has nowhere to go');
    // train.epochs is on line 3 of params.yaml (0-based 2), the key `epochs`
    assert.deepEqual(definitionAt(c(at('train.epochs', 8))), [
      { file: 'params.yaml', range: { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } } },
    ]);
    assert.deepEqual(definitionAt(c(at('- threshold', 4))), [
      { file: 'eval.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } } },
    ]);
    assert.deepEqual(definitionAt(c(at('cmd: python prepare', 2))), [], 'nothing on a command');
  });

  it('hovers a params key with its value now and the one dvc.lock recorded, per generated stage', async () => {
    const c = await ctx();
    const epochs = hoverAt(c(at('train.epochs', 7)))
      .map((h) => h.markdown)
      .join('\n');
    assert.match(epochs, /`train\.epochs`: `20` in params\.yaml/);
    assert.match(epochs, /locked: `10` in dvc\.lock \(changed since the stage ran\)/);
    const lr = hoverAt(c(at('train.lr', 2)))
      .map((h) => h.markdown)
      .join('\n');
    assert.match(lr, /`0\.01` in params\.yaml/);
    assert.match(lr, /locked: `0\.01` in dvc\.lock$/m);
    const scoreLr = hoverAt(c(at('train.lr', 2, 1)))
      .map((h) => h.markdown)
      .join('\n');
    assert.match(scoreLr, /locked \(`score@us`\): `0\.02` in dvc\.lock \(changed since the stage ran\)/);
    assert.match(scoreLr, /locked \(`score@eu`\): the stage has not run/);
    assert.deepEqual(hoverAt(c(at('python prepare.py', 3))), []);
  });

  it('`${train.lr}` in a cmd hovers and goes to definition as the same key in `params:` does; `${seed}` from vars', async () => {
    const yaml = DVC_YAML.replace('cmd: python train.py --seed ${seed}', 'cmd: python train.py --seed ${seed} --lr ${train.lr}');
    const c = await ctx({ 'dvc.yaml': yaml });
    const pos = (needle: string, shift: number): Position => {
      const i = yaml.indexOf(needle) + shift;
      const before = yaml.slice(0, i);
      return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
    };
    const lr = hoverAt(c(pos('${train.lr}', 5)))
      .map((h) => h.markdown)
      .join('\n');
    assert.match(lr, /\*\*param\*\* `train\.lr`: `0\.01` in params\.yaml/);
    assert.deepEqual(hoverAt(c(pos('${train.lr}', 5)))[0].range, { start: pos('${train.lr}', 0), end: pos('${train.lr}', 11) });
    assert.deepEqual(definitionAt(c(pos('${train.lr}', 8))), [
      { file: 'params.yaml', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } } },
    ]);
    const seed = hoverAt(c(pos('${seed}', 3)))
      .map((h) => h.markdown)
      .join('\n');
    assert.match(seed, /`seed`: `7` in vars/);
    assert.deepEqual(
      definitionAt(c(pos('${seed}', 3))).map((l) => [l.file, l.range.start.line]),
      [['dvc.yaml', 1]],
    );
    // foreach's `${item}` is no param: nothing to say about a value
    assert.deepEqual(definitionAt(c(pos('${item}', 3))), []);
  });

  it('completes params keys in a stage params list (default and file-qualified)', async () => {
    const typing = DVC_YAML.replace('      - train.epochs\n', '      - train.epochs\n      - tr\n');
    const c = await ctx({ 'dvc.yaml': typing });
    const line = typing.split('\n').findIndex((l) => l === '      - tr');
    const items = completionAt({ ...c({ line, character: 10 }) });
    assert.deepEqual(
      items.map((i) => i.label),
      ['train', 'train.batch'],
      'keys already listed are left out',
    );
    assert.deepEqual(items[1].range, { start: { line, character: 8 }, end: { line, character: 10 } });
    assert.equal(items[1].detail, '32');
    const evalLine = typing.split('\n').findIndex((l) => l.includes('- threshold'));
    assert.deepEqual(
      completionAt(c({ line: evalLine, character: 12 })).map((i) => i.label),
      ['threshold', 'other'],
      'the keys of eval.yaml, not params.yaml',
    );
    // outside a params list: nothing
    assert.deepEqual(completionAt(c({ line: 4, character: 10 })), []);
  });

  it('completes keys inside ${ from params.yaml and vars', async () => {
    const typing = DVC_YAML.replace('--seed ${seed}', '--seed ${se');
    const c = await ctx({ 'dvc.yaml': typing.replace('stages:', 'stages:\n  x:\n    cmd: echo ${mo') });
    const text = typing.replace('stages:', 'stages:\n  x:\n    cmd: echo ${mo');
    const line = text.split('\n').findIndex((l) => l.includes('echo ${mo'));
    assert.deepEqual(
      completionAt(c({ line, character: text.split('\n')[line].length })).map((i) => i.label),
      ['model', 'model.depth'],
    );
    const seedLine = text.split('\n').findIndex((l) => l.includes('--seed ${se'));
    const seed = completionAt(c({ line: seedLine, character: text.split('\n')[seedLine].length }));
    assert.deepEqual(
      seed.map((i) => [i.label, i.documentation]),
      [['seed', 'from vars']],
    );
  });
});
