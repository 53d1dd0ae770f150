import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { listRuns } from '../../server/src/engine/runs';
import { hydraRun, lightningRun, mlflowExperiment, mlflowRun, wandbRun } from '../support/runFixtures';
import { gitRepo, PROJECT_ROOT, rmrf } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = PROJECT_ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('prints path:line:col: severity CODE message and exits by --fail-on', () => {
    root = gitRepo({ 'README.md': '# x\n', 'models/model.pt': Buffer.from([0, 1]) });
    const r = run(['check', root]);
    assert.match(r.stdout, /^models\/model\.pt:1:1: warning GIT001 models\/model\.pt is a model file tracked by git/m);
    assert.equal(r.code, 0, 'warnings do not fail with the default --fail-on error');
    assert.equal(run(['check', root, '--fail-on', 'warning']).code, 1);
  });

  it('exits 2 with a clear message on a bad option or path', () => {
    const r = run(['check', '/nonexistent/folder']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a folder/);
    assert.equal(run(['check', '.', '--format', 'xml']).code, 2);
  });

  it('rules lists every rule and prints one doc', () => {
    const list = run(['rules']).stdout;
    assert.match(list, /^GIT001 +model-file-tracked/m);
    const doc = execFileSync(process.execPath, [CLI, 'rules', 'GIT001'], { encoding: 'utf8' });
    assert.match(doc, /## Why is this bad\?/);
  });
});

describe('CLI runs', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('prints a table with chosen params and metrics, and JSON', () => {
    root = gitRepo({ 'README.md': '# x\n' });
    wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5, "acc": NaN}' });
    lightningRun(root, 0);
    const r = run(['runs', root, '--params', 'lr', '--metrics', 'loss,val_loss']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^SOURCE +EXPERIMENT +NAME +STATUS +STARTED +DURATION +COMMIT +lr +loss +val_loss +WARNINGS$/);
    assert.equal(lines.length, 3);
    assert.match(r.stdout, /^wandb +wandb +aaaa0001 +unknown +2024-05-01 10:00 +1m 00s +0\.001 +0\.5 *$/m);
    assert.match(r.stdout, /^lightning +lightning_logs +version_0 +finished .* 0\.001 +0\.2 *$/m);
    const j = JSON.parse(run(['runs', root, '--format', 'json']).stdout) as { runs: { id: string; metrics: Record<string, number | null> }[] };
    assert.deepEqual(j.runs.map((x) => x.id).sort(), ['lightning:version_0', 'wandb:run-20240501_100000-aaaa0001']);
    assert.equal(j.runs.find((x) => x.id.startsWith('wandb'))!.metrics.acc, null);
    assert.equal(run(['runs', root, '--format', 'xml']).code, 2);
  });

  it('finds the runs the Runs view finds: one discovery, run folders 3 deep included', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': 'outputs/\nmlruns/\nwandb/\n' });
    hydraRun(root, 'src/models/outputs/2024-01-01/10-00-00');
    mlflowExperiment(path.join(root, 'code/models'), '0', 'Default');
    mlflowRun(path.join(root, 'code/models'), '0', 'a'.repeat(32), { name: 'deep' });
    wandbRun(path.join(root, 'exp/a/b'), 'run-20240501_100000-deep0001', { format: 'current' });
    const j = JSON.parse(run(['runs', root, '--format', 'json', '--no-git']).stdout) as { runs: { id: string }[] };
    const view = await listRuns(root, { useGit: false });
    assert.deepEqual(j.runs.map((x) => x.id).sort(), view.runs.map((x) => x.id).sort());
    assert.deepEqual(j.runs.map((x) => x.id).sort(), [
      'hydra:src/models/outputs/2024-01-01/10-00-00',
      `mlflow:code/models/mlruns:0/${'a'.repeat(32)}`,
      'wandb:exp/a/b/wandb/run-20240501_100000-deep0001',
    ]);
  });
});
