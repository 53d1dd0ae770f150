import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { copyExample, PROJECT_ROOT, rmrf } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
/** The official SARIF 2.1.0 schema (draft-04), as shipped in Microsoft's jest-sarif package. */
const SCHEMA = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

describe('CLI output formats on the broken example', () => {
  let root = '';
  before(() => (root = copyExample('broken-project', true)));
  after(() => rmrf(root));

  it('--format sarif validates against the SARIF 2.1.0 schema and carries rules, regions and help', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--format', 'sarif'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr); // the example has errors
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
        tool: { driver: { rules: { id: string; helpUri: string }[] } };
      }[];
    };
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv as never);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = log.runs[0];
    assert.ok(run.results.length >= 5);
    for (const res of run.results) {
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
    }
    assert.ok(run.tool.driver.rules.every((x: { helpUri: string }) => x.helpUri.endsWith('.md')));
  });

  it('the validator rejects a broken SARIF log (the schema test can fail)', () => {
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal' }] }] }), false);
  });

  it('--format json lists findings with 1-based positions; --output writes a file', () => {
    const out = path.join(root, '..', `mlh-${process.pid}.json`);
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json', '--output', out, '--fail-on', 'never'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    const data = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(out);
    const env = data.findings.find((f: { code: string }) => f.code === 'SEC001');
    assert.deepEqual([env.file, env.line, env.column, env.severity], ['.env', 1, 1, 'error']);
  });

  it('--select and --ignore narrow the findings', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json', '--select', 'GIT', '--ignore', 'GIT001'], { encoding: 'utf8' });
    const codes = new Set(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code));
    assert.ok(codes.has('GIT002'));
    assert.ok(!codes.has('GIT001'));
    assert.ok([...codes].every((c) => String(c).startsWith('GIT')));
  });
});
