import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { gitRepo, PROJECT_ROOT, rmrf, tmpDir } from '../support/tmp';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as Action;
const SCHEMA = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/**
 * Evaluates the few expressions the action's env blocks use, as the runner would: `inputs.X` (the given value, else
 * the input's default), `github.action_path` (this checkout: the action is run from its own repository) and `runner.temp`.
 */
function expand(value: string, inputs: Record<string, string>, temp: string): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr.startsWith('inputs.')) {
      const name = expr.slice('inputs.'.length);
      assert.ok(action.inputs[name], `input ${name} is declared`);
      return inputs[name] ?? action.inputs[name].default ?? '';
    }
    if (expr === 'github.action_path') return PROJECT_ROOT;
    if (expr === 'runner.temp') return temp;
    throw new Error(`unexpected expression ${expr}`);
  });
}

/** Runs the action's shell steps in order (skipping `uses:` steps), in `cwd`, as a runner would; stops at a failure. */
function runShellSteps(cwd: string, inputs: Record<string, string>) {
  const temp = tmpDir('mlh-runner-');
  const output = path.join(temp, 'github_output');
  fs.writeFileSync(output, '');
  const results: { name: string; status: number | null; stdout: string; stderr: string }[] = [];
  for (const step of action.runs.steps) {
    if (!step.run) continue;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: output,
      GITHUB_WORKSPACE: cwd,
      XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, inputs, temp);
    // the runner's bash: `bash --noprofile --norc -eo pipefail {0}`
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd, env, encoding: 'utf8' });
    results.push({ name: step.name ?? '', status: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  return { results, temp, outputs: fs.readFileSync(output, 'utf8') };
}

describe('GitHub Action (action.yml)', function () {
  this.timeout(60_000);
  let root = '';
  let temp = '';
  afterEach(() => {
    if (root) rmrf(root);
    if (temp) rmrf(temp);
  });

  it('is a composite action with the inputs path, fail-on and select, uploading SARIF before the step that fails', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.name && action.description);
    for (const i of ['path', 'fail-on', 'select']) assert.ok(action.inputs[i]?.description, `input ${i}`);
    assert.equal(action.inputs['fail-on'].default, 'error');
    const steps = action.runs.steps;
    const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload > 0, 'uploads with github/codeql-action/upload-sarif');
    assert.match(steps[upload].with!.sarif_file, /steps\.sarif\.outputs\.sarif-file/);
    assert.ok(upload < steps.length - 1, 'the upload comes before the failing check, so findings are uploaded when it fails');
    for (const s of steps.filter((x) => x.run)) {
      assert.equal(s.shell, 'bash', 'a composite run step must name its shell');
      assert.doesNotMatch(s.run!, /\$\{\{/, 'inputs reach the script through env, never spliced into it (script injection)');
    }
  });

  it('its shell steps write a valid SARIF file, pass select through, and fail by fail-on', () => {
    root = gitRepo({ 'README.md': '# x\n', 'models/model.pt': Buffer.from([0, 1]) });
    const ok = runShellSteps(root, {});
    temp = ok.temp;
    assert.deepEqual(
      ok.results.map((r) => r.status),
      [0, 0],
      ok.results.map((r) => r.stderr).join('\n'),
    );
    const sarifFile = /^sarif-file=(.*)$/m.exec(ok.outputs)![1];
    const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    addFormats(ajv as never);
    assert.ok(ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')))(log));
    assert.ok((log.runs[0].results as { ruleId: string }[]).some((r) => r.ruleId === 'GIT001'));
    assert.match(ok.results[1].stdout, /^models\/model\.pt:1:1: warning GIT001/m);
    rmrf(temp);

    const failing = runShellSteps(root, { 'fail-on': 'warning', select: 'GIT001' });
    temp = failing.temp;
    assert.deepEqual(
      failing.results.map((r) => r.status),
      [0, 1],
      'a warning fails with fail-on: warning',
    );
    const sarif = JSON.parse(fs.readFileSync(path.join(temp, 'mlops-hygiene.sarif'), 'utf8'));
    assert.deepEqual([...new Set((sarif.runs[0].results as { ruleId: string }[]).map((r) => r.ruleId))], ['GIT001'], 'select is passed on');
  });
});
