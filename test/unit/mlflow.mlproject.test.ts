import * as assert from 'node:assert/strict';
import { applyEdits, type Finding } from '../../server/src/engine';
import { formatFields } from '../../server/src/engine/rules/mlflow/mlproject';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

function messages(f: Finding[], code: string): string[] {
  return f.filter((x) => x.code === code).map((x) => x.message);
}

/** The text a finding points at. */
function spanOf(text: string, f: Finding): string {
  const lines = text.split('\n');
  if (f.range.start.line === f.range.end.line) return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
  return [
    lines[f.range.start.line].slice(f.range.start.character),
    ...lines.slice(f.range.start.line + 1, f.range.end.line),
    lines[f.range.end.line].slice(0, f.range.end.character),
  ].join('\n');
}

const GOOD = `name: digits
python_env: python_env.yaml
entry_points:
  main:
    parameters:
      lr: {type: float, default: 1e-3}
      epochs: {type: int, default: 10}
      data: path
      source: {type: uri, default: "s3://bucket/train.csv"}
      note: {default: "x"}
      flag: {type: bool, default: true}
    command: "python train.py --lr {lr} --epochs {epochs} --data {data} --src {source} --note {note} --flag {flag} --json '{{}}' --fmt {lr:>{epochs}}"
  evaluate:
    command: >
      python evaluate.py
      --in {model}
    parameters:
      model: {type: path, default: models/model.pkl}
`;

describe('MLF001-MLF005 MLflow MLproject', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a correct MLproject (folded command, nested format spec, every type) has no MLF or YML finding', async () => {
    root = gitRepo({ MLproject: GOOD, 'python_env.yaml': 'python: "3.11"\ndependencies:\n  - mlflow\n', 'train.py': 'print(1)\n' });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => /^(MLF|YML)/.test(x.code)).map((x) => `${x.code} ${x.message}`),
      [],
    );
  });

  it('MLF001 structure from the zod schema: unknown keys (warnings, did-you-mean), missing command, wrong shapes, docker_env without image', async () => {
    const text = [
      'name: digits', // 1
      'entrypoints:', // 2
      '  main:',
      '    command: python a.py',
      'entry_points:', // 5
      '  main:',
      '    parameters:',
      '      lr: [1, 2]', // 8
      '      bs: {type: int, defualt: 3}', // 9
      '      wd: {type: float, default: [1]}', // 10
      '    command: python a.py {lr} {bs} {wd}',
      '  eval:', // 12
      '    paramters: {}', // 13
      'docker_env:', // 14
      '  volumes: [/data]',
      'databricks_spark_job:',
      '  python_file: a.py',
      '',
    ].join('\n');
    root = gitRepo({ MLproject: text });
    const f = await checkFolder(root);
    const mlf = f.filter((x) => x.code === 'MLF001');
    const m = mlf.map((x) => x.message);
    const at = (re: RegExp): Finding => {
      const x = mlf.find((y) => re.test(y.message));
      assert.ok(x, `no MLF001 matching ${re}:\n${m.join('\n')}`);
      return x;
    };
    const typo = at(/unknown key `entrypoints` in MLproject; did you mean `entry_points`\? \(MLflow ignores it\)/);
    assert.equal(typo.severity, 'warning');
    assert.equal(spanOf(text, typo), 'entrypoints');
    assert.equal(spanOf(text, at(/unknown key `defualt`.*did you mean `default`/)), 'defualt');
    assert.equal(spanOf(text, at(/unknown key `paramters`.*did you mean `parameters`/)), 'paramters');
    const lr = at(/`entry_points\.main\.parameters\.lr` in MLproject: expected .*string.* or a mapping, found a list/);
    assert.equal(lr.severity, 'error');
    assert.equal(spanOf(text, lr), '[1, 2]');
    assert.equal(spanOf(text, at(/`entry_points\.main\.parameters\.wd\.default` in MLproject: expected .*, found a list/)), '[1]');
    // a missing key is reported on the key of the mapping that lacks it, as for dvc.yaml and sweeps (yaml/schemaIssues.ts)
    assert.equal(spanOf(text, at(/missing required key `entry_points\.eval\.command`/)), 'eval');
    assert.equal(spanOf(text, at(/missing required key `docker_env\.image`/)), 'docker_env');
    // databricks_spark_job is a key MLflow reads; name is a string
    assert.ok(!m.some((x) => /databricks_spark_job|`name`/.test(x)), m.join('\n'));
  });

  it('MLF001 an empty MLproject or one that is a list', async () => {
    root = gitRepo({
      'a/MLproject': '# nothing yet\n',
      'b/MLproject': '- name: x\n',
      'c/MLproject': 'name: ok\nentry_points:\n  main:\n    command: python a.py\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'MLF001'), ['a/MLproject:1', 'b/MLproject:1']);
    assert.match(messages(f, 'MLF001').join('\n'), /MLproject is empty/);
    assert.match(messages(f, 'MLF001').join('\n'), /must be a YAML mapping/);
  });

  it('MLF002 several environments, on the later key; MLF003 missing environment file relative to the MLproject folder', async () => {
    const text = 'name: x\nconda_env: conda.yaml\npython_env: python_env.yaml\nentry_points:\n  main:\n    command: python a.py\n';
    root = gitRepo({
      'ml/MLproject': text,
      'ml/python_env.yaml': 'python: "3.11"\n',
      'conda.yaml': 'name: x\n', // at the root, not next to ml/MLproject
      'one/MLproject': 'docker_env:\n  image: python:3.11\nentry_points:\n  main:\n    command: python a.py\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'MLF002'), ['ml/MLproject:3']);
    const env = f.find((x) => x.code === 'MLF002')!;
    assert.equal(spanOf(text, env), 'python_env');
    assert.match(env.message, /declares `conda_env` and `python_env`: MLflow allows only one environment field/);
    assert.deepEqual(where(f, 'MLF003'), ['ml/MLproject:2']);
    const missing = f.find((x) => x.code === 'MLF003')!;
    assert.equal(spanOf(text, missing), 'conda.yaml');
    assert.match(missing.message, /conda_env file `conda.yaml` does not exist \(MLflow looks for ml\/conda.yaml\); the folder has `python_env.yaml`/);
  });

  it('MLF004 unknown type with a fix; float/int defaults that are not numbers as the script gets them; uri default without a scheme', async () => {
    const text = [
      'entry_points:',
      '  main:',
      '    parameters:',
      '      epochs: {type: integer, default: 10}', // 4: unknown type, fix to int
      '      lr: {type: float, default: fast}', // 5
      '      wd: {type: float, default: 1e-3}', // PyYAML string "1e-3": float() reads it
      '      n: {type: int, default: "12"}',
      '      m: {type: int, default: 1.5}', // 8
      '      on: {type: float, default: yes}', // 9: PyYAML True
      '      src: {type: uri, default: data/train.csv}', // 10
      '      out: {type: uri, default: "file:///tmp/out"}',
      '      req: float', // no default: required, fine
      '      x: {type: float, default: ~}',
      '      big: {type: float, default: 1_000}',
      '    command: python a.py {epochs} {lr} {wd} {n} {m} {on} {src} {out} {req} {x} {big}',
      '',
    ].join('\n');
    root = gitRepo({ MLproject: text });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'MLF004'), ['MLproject:4', 'MLproject:5', 'MLproject:8', 'MLproject:9', 'MLproject:10']);
    const [epochs, lr, m, on, src] = f.filter((x) => x.code === 'MLF004');
    assert.equal(spanOf(text, epochs), 'integer');
    assert.match(epochs.message, /type `integer`, which MLflow does not know .*did you mean `int`\?/);
    assert.match(applyEdits(text, epochs.fixes![0].changes[0].edits), /epochs: \{type: int, default: 10\}/);
    assert.equal(spanOf(text, lr), 'fast');
    assert.match(lr.message, /`lr` of entry point `main` is float, but its default `fast` is not a number/);
    assert.match(m.message, /is int, but its default `1.5` is not an integer/);
    assert.match(on.message, /default `yes` is not a number \(PyYAML reads it as True\)/);
    assert.match(src.message, /`src` .* is uri, but its default `data\/train.csv` is not a URI/);
    assert.equal(spanOf(text, src), 'data/train.csv');
  });

  it('MLF005 undeclared {param} on the exact span with a did-you-mean fix; {{ }} and format specs; a bare brace', async () => {
    const text = [
      'entry_points:',
      '  main:',
      '    parameters:',
      '      lr: float',
      '      seed_value: {type: int, default: 0}',
      '      sed: {type: int, default: 0}',
      '    command: "python train.py --lr {lr} --seed {seed_valeu} --cfg \'{{a}}\' --fmt {lr:.3f} --s {seed_value}"', // 7
      '  eval:',
      '    command: |',
      '      python eval.py \\',
      '        --k {k} --json {', // 11
      '',
    ].join('\n');
    root = gitRepo({ MLproject: text });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'MLF005'), ['MLproject:7', 'MLproject:11', 'MLproject:11']);
    const [seed, k, brace] = f.filter((y) => y.code === 'MLF005');
    // a swap of two letters; `sed` is no candidate (text/suggest.ts: `{seeds}` for `{sed}` is two edits in five letters, no suggestion)
    assert.match(
      seed.message,
      /uses `\{seed_valeu\}`, which is not a declared parameter \(declared: lr, seed_value, sed\): str.format fails with KeyError 'seed_valeu'; did you mean `\{seed_value\}`\?/,
    );
    assert.equal(spanOf(text, seed), '{seed_valeu}');
    assert.match(applyEdits(text, seed.fixes![0].changes[0].edits), /--seed \{seed_value\} --cfg/);
    assert.match(k.message, /entry point `eval` uses `\{k\}`.*\(it declares none\)/);
    assert.equal(spanOf(text, k), '{k}');
    assert.match(brace.message, /expected '\}' before end of string/);
    assert.equal(spanOf(text, brace), '{');
  });

  it('formatFields follows str.format: escapes, format specs with nested fields, attribute access, stray braces', () => {
    assert.deepEqual(
      formatFields('a {x} {{y}} {z:.2f} {w.attr} {v[0]} {u!r} {}').fields.map((f) => f.name),
      ['x', 'z', 'w', 'v', 'u', ''],
    );
    assert.deepEqual(
      formatFields('{a:{b}}').fields.map((f) => [f.name, f.offset, f.length]),
      [
        ['a', 0, 7],
        ['b', 3, 3],
      ],
    );
    assert.equal(formatFields('a } b').problem?.message, "Single '}' encountered in format string");
    assert.equal(formatFields('a {b').problem?.message, "expected '}' before end of string");
    assert.equal(formatFields('{{}}').problem, undefined);
  });
});
