import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SCHEMAS } from '../../server/src/engine/schemas';
import { expectedSchemaFiles, expectedYamlValidation, SCHEMA_DIR } from '../../scripts/gen-schemas';
import { PROJECT_ROOT } from '../support/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { contributes: { yamlValidation?: unknown } };

/** A file each schema must accept and one it must reject (with the instance path ajv should complain about). */
const SAMPLES: Record<string, { valid: string; invalid: string; invalidAt: string }> = {
  'dvc-yaml.schema.json': {
    valid: 'vars:\n  - params.yaml\nstages:\n  train:\n    cmd: python train.py --lr ${lr}\n    deps: [train.py, data/train.csv]\n    params: [lr]\n    outs:\n      - model.pkl:\n          cache: true\n    metrics:\n      - metrics.json:\n          cache: false\n',
    invalid: 'stages:\n  train:\n    cmd: python train.py\n    outs:\n      - model.pkl:\n          cahce: true\n',
    invalidAt: '/stages/train/outs/0/model.pkl',
  },
  'dvc-file.schema.json': {
    valid: 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 1024\n  nfiles: 3\n  hash: md5\n  path: data\n',
    invalid: 'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  path: data\n  cahce: false\n',
    invalidAt: '/outs/0',
  },
  'dvc-lock.schema.json': {
    valid: "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: train.py\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef\n      size: 10\n    outs:\n    - path: model.pkl\n      md5: 0123456789abcdef0123456789abcdef\n",
    invalid: 'stages:\n  train:\n    cmd: python train.py\n',
    invalidAt: '',
  },
  'wandb-sweep.schema.json': {
    valid: 'program: train.py\nmethod: bayes\nmetric:\n  name: val/loss\n  goal: minimize\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.1\n  batch_size:\n    values: [16, 32, 64]\n',
    invalid: 'program: train.py\nmethod: bayesian\nparameters:\n  lr:\n    values: [0.1]\n',
    invalidAt: '/method',
  },
  'mlproject.schema.json': {
    valid: 'name: digits\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      lr: {type: float, default: 0.01}\n      data: path\n    command: python train.py --lr {lr} --data {data}\n',
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

  it('package.json contributes one yamlValidation entry per schema, pointing at the exported file', () => {
    assert.deepEqual(pkg.contributes.yamlValidation, expectedYamlValidation(), 'run npm run schemas');
    for (const v of expectedYamlValidation()) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, v.url)), v.url);
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
