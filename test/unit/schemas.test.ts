import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SCHEMAS, contributedSchemas, nameDecidesFormat } from '../../server/src/engine/schemas';
import { expectedSchemaFiles, expectedYamlValidation, SCHEMA_DIR } from '../../scripts/gen-schemas';
import { PROJECT_ROOT } from '../support/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { contributes: { yamlValidation?: unknown } };

/** A file each schema must accept and one it must reject (with the instance path ajv should complain about). */
const SAMPLES: Record<string, { valid: string; invalid: string; invalidAt: string }> = {
  'dvc-yaml.schema.json': {
    valid:
      'vars:\n  - params.yaml\nstages:\n  train:\n    cmd: python train.py --lr ${lr}\n    deps: [train.py, data/train.csv]\n    params: [lr]\n    outs:\n      - model.pkl:\n          cache: true\n    metrics:\n      - metrics.json:\n          cache: false\n',
    invalid: 'stages:\n  train:\n    cmd: python train.py\n    outs:\n      - model.pkl:\n          cahce: true\n',
    invalidAt: '/stages/train/outs/0/model.pkl',
  },
  'dvc-file.schema.json': {
    valid: 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 1024\n  nfiles: 3\n  hash: md5\n  path: data\n',
    invalid: 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: data\n  cahce: false\n',
    invalidAt: '/outs/0',
  },
  'dvc-lock.schema.json': {
    valid:
      "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: train.py\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef\n      size: 10\n    outs:\n    - path: model.pkl\n      md5: 0123456789abcdef0123456789abcdef\n",
    invalid: 'stages:\n  train:\n    cmd: python train.py\n',
    invalidAt: '',
  },
  'wandb-sweep.schema.json': {
    valid:
      'program: train.py\nmethod: bayes\nmetric:\n  name: val/loss\n  goal: minimize\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.1\n  batch_size:\n    values: [16, 32, 64]\n',
    invalid: 'program: train.py\nmethod: bayesian\nparameters:\n  lr:\n    values: [0.1]\n',
    invalidAt: '/method',
  },
  'mlproject.schema.json': {
    valid:
      'name: digits\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      lr: {type: float, default: 0.01}\n      data: path\n    command: python train.py --lr {lr} --data {data}\n',
    invalid: 'name: digits\ndocker_env:\n  volumes: [/data]\nentry_points:\n  main:\n    command: python train.py\n',
    invalidAt: '/docker_env',
  },
};

describe('JSON Schema export (npm run schemas)', () => {
  it('schemas/ is current with the zod schemas (run `npm run schemas` after changing one)', () => {
    const dir = path.join(PROJECT_ROOT, SCHEMA_DIR);
    const expected = expectedSchemaFiles();
    assert.equal(expected.size, SCHEMAS.length);
    for (const [name, text] of expected) {
      const file = path.join(dir, name);
      assert.ok(fs.existsSync(file), `${SCHEMA_DIR}/${name} is missing: run npm run schemas`);
      assert.equal(fs.readFileSync(file, 'utf8'), text, `${SCHEMA_DIR}/${name} is stale: run npm run schemas`);
    }
    const extra = fs.readdirSync(dir).filter((f) => !expected.has(f));
    assert.deepEqual(extra, [], 'files in schemas/ that no zod schema generates');
  });

  it('package.json contributes the yamlValidation entries of contributedSchemas, pointing at the exported files', () => {
    const want = expectedYamlValidation();
    assert.deepEqual(pkg.contributes.yamlValidation ?? [], want, 'run npm run schemas');
    for (const v of want) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, v.url)), v.url);
  });

  // redhat.vscode-yaml cannot be installed here (no network, no .vsix in the npm registry), so the association rules
  // are tested directly: the YAML extension applies a contributed schema to every file its fileMatch globs match.
  it('no contributed schema applies to a file of another format, or to a file one of our rules already validates', () => {
    const glob = (p: string): RegExp => {
      let re = '';
      for (const seg of p.split('/')) re += seg === '**' ? '(?:[^/]+/)*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '/';
      return new RegExp('^' + re.replace(/\/$/, '') + '$');
    };
    const matches = (fileMatch: string[], rel: string) => fileMatch.some((p) => glob(p).test(rel));
    // the glob itself (the YAML extension's semantics for these patterns)
    assert.ok(matches(['sweep*.yaml', '**/sweep*.yaml'], 'configs/hparams_search/sweep_optuna.yaml'));
    assert.ok(matches(['**/dvc.yaml'], 'pipelines/a/dvc.yaml') && !matches(['**/dvc.yaml'], 'pipelines/a/dvc.yaml.bak'));
    // a wildcard in the name does not decide the format; an extension or an exact name does
    assert.equal(nameDecidesFormat(['sweep*.yaml', '**/sweep*.yml']), false);
    assert.equal(nameDecidesFormat(['*.dvc', '**/*.dvc']), true);
    assert.equal(nameDecidesFormat(['MLproject', '**/MLproject']), true);
    const contributed = (pkg.contributes.yamlValidation ?? []) as { fileMatch: string[] }[];
    // a Hydra Optuna sweeper config (lightning-hydra-template's configs/hparams_search/) is not a W&B sweep
    for (const rel of ['configs/hparams_search/sweep_optuna.yaml', 'configs/hydra/sweeper/sweep.yaml', 'sweep.yaml']) {
      assert.deepEqual(
        contributed.filter((v) => matches(v.fileMatch, rel)),
        [],
        `a schema is applied to ${rel}`,
      );
    }
    // dvc.yaml, .dvc, dvc.lock, MLproject: DVC001, DVC050 and MLF001 report their schema problems; a contributed schema
    // would make the YAML extension report each a second time
    for (const rel of ['dvc.yaml', 'data/raw.dvc', 'dvc.lock', 'MLproject']) {
      assert.deepEqual(
        contributed.filter((v) => matches(v.fileMatch, rel)),
        [],
        `the YAML extension would report ${rel}'s schema problems again`,
      );
    }
    for (const s of SCHEMAS) assert.ok(s.validatedBy === undefined || /^[A-Z]+\d{3}$/.test(s.validatedBy), s.id);
    // and the rule: what is not validated by us and is decided by its name is contributed
    const probe = { id: 'x.schema.json', title: 'x', fileMatch: ['x.toml'], schema: SCHEMAS[0].schema };
    assert.deepEqual(contributedSchemas([probe, { ...probe, fileMatch: ['x*.yaml'] }, { ...probe, validatedBy: 'DVC001' }]), [probe]);
  });

  for (const s of SCHEMAS) {
    it(`${s.id}: ajv accepts a valid ${s.title} and rejects an invalid one where it is wrong`, () => {
      const sample = SAMPLES[s.id];
      assert.ok(sample, `no samples for ${s.id}: add a valid and an invalid file to SAMPLES`);
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, SCHEMA_DIR, s.id), 'utf8')));
      const good = parse(sample.valid) as unknown;
      assert.ok(validate(good), `valid sample rejected: ${ajv.errorsText(validate.errors)}`);
      assert.ok(s.schema.safeParse(good).success, 'the zod schema rejects the valid sample');
      const bad = parse(sample.invalid) as unknown;
      assert.equal(validate(bad), false, 'invalid sample accepted');
      assert.ok(
        validate.errors!.some((e) => e.instancePath === sample.invalidAt),
        `no error at ${JSON.stringify(sample.invalidAt)}: ${validate.errors!.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`,
      );
      assert.equal(s.schema.safeParse(bad).success, false, 'the zod schema accepts the invalid sample');
    });
  }
});
