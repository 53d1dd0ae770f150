import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { YamlDocument } from '../../server/src/engine/text/yamlDocument';
import { flattenIssues, validateYaml, type Issue } from '../../server/src/engine/yaml/schemaIssues';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const schema = z.strictObject({
  name: z.string(),
  train: z.strictObject({
    epochs: z.number().int(),
    shuffle: z.boolean().optional(),
    lr: z.union([z.number(), z.strictObject({ value: z.number() })]).optional(),
  }),
});
const spanOf = (text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string => {
  const lines = text.split('\n');
  return r.start.line === r.end.line ? lines[r.start.line].slice(r.start.character, r.end.character) : `${lines[r.start.line].slice(r.start.character)}...`;
};

describe('zod issue -> YAML node: one home (yaml/schemaIssues.ts)', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('puts each problem on its node: the unknown key (with its suggestion), the mapping lacking a key, the wrong value', () => {
    const text = 'name: x\ntrain:\n  epohcs: 3\n  shuffle: 5\n  lr: [1]\n';
    const problems = validateYaml(new YamlDocument(text), schema, 'the config');
    const got = problems.map((p) => [p.message, spanOf(text, p.range)]);
    assert.deepEqual(got.sort(), [
      ['`train.lr` in the config: expected a number or a mapping, found a list', '[1]'],
      ['`train.shuffle` in the config: expected true or false, found the number 5', '5'],
      ['the config: missing required key `train.epochs`', 'train'],
      ['unknown key `epohcs` in the config; did you mean `epochs`?', 'epohcs'],
    ]);
    assert.deepEqual(problems.find((p) => p.unknownKey)?.suggestion, { word: 'epohcs', to: 'epochs' });
  });

  it('a failed union keeps the branch the value was meant for', () => {
    const r = schema.safeParse({ name: 'x', train: { epochs: 1, lr: { value: 'high' } } });
    assert.ok(!r.success);
    const issues = flattenIssues(r.error.issues as unknown as Issue[]);
    assert.deepEqual(
      issues.map((i) => [i.code, i.path.join('.')]),
      [['invalid_type', 'train.lr.value']],
    );
  });

  it('every family writes what it found the same way: DVC001, DVC050, MLF001', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    frozen: 5\n',
      'data.dvc': 'outs:\n- md5: 900150983cd24fb0d6963f7d28e17f72\n  size: 3\n  hash: md5\n  path: data\n  cache: 5\n',
      MLproject: 'name: x\nentry_points:\n  main:\n    command: python train.py\n    parameters:\n      lr: 5\n',
      '.gitignore': '/data\n',
    });
    const f = await checkFolder(root);
    const msg = (code: string): string =>
      f
        .filter((x) => x.code === code)
        .map((x) => x.message)
        .join('\n');
    assert.match(msg('DVC001'), /`frozen` of stage `train` must be true or false, found the number 5/);
    assert.match(msg('DVC050'), /`outs\.0\.cache` in a \.dvc file: expected true or false, found the number 5/);
    assert.match(msg('MLF001'), /`entry_points\.main\.parameters\.lr` in MLproject: expected .* or a mapping, found the number 5/);
  });
});
