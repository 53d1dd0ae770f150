import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';
import { findTrackingHints, trackingHintsInText } from '../../server/src/engine/runs/sources/hints';
import { RunsTrackingHintsRequest } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';
import { wandbRun } from '../support/runFixtures';
import { gitRepo, rmrf, writeTree } from '../support/tmp';

describe('runs: where the code logs its runs (tracking hints)', () => {
  it('finds literal MLflow server URIs and W&B projects', () => {
    const train = [
      'import mlflow, os, wandb',
      'mlflow.set_tracking_uri("http://mlflow.internal:5000/")',
      "os.environ['MLFLOW_TRACKING_URI'] = 'https://mlflow.example.com'",
      'run = wandb.init(project="seg", entity="vision-lab", config=cfg)',
      'wandb.init(project="solo")',
      '',
    ].join('\n');
    assert.deepEqual(trackingHintsInText(train, 'src/train.py'), [
      { kind: 'mlflow', value: 'http://mlflow.internal:5000', file: 'src/train.py', line: 2 },
      { kind: 'mlflow', value: 'https://mlflow.example.com', file: 'src/train.py', line: 3 },
      { kind: 'wandb', value: 'vision-lab/seg', file: 'src/train.py', line: 4 },
      { kind: 'wandb', value: '/solo', file: 'src/train.py', line: 5 },
    ]);
    assert.deepEqual(trackingHintsInText('MLFLOW_TRACKING_URI=http://10.0.0.5:5000\n', '.env'), [
      { kind: 'mlflow', value: 'http://10.0.0.5:5000', file: '.env', line: 1 },
    ]);
  });

  it('ignores what is not a literal server: variables, file stores, databricks, a project from the config', () => {
    const text = [
      'mlflow.set_tracking_uri(cfg.tracking_uri)',
      'mlflow.set_tracking_uri("file:./mlruns")',
      'mlflow.set_tracking_uri("databricks")',
      'mlflow.set_tracking_uri("sqlite:///mlflow.db")',
      'wandb.init(project=cfg.wandb.project)',
      'wandb.init(project=f"exp-{name}")',
      '',
    ].join('\n');
    assert.deepEqual(trackingHintsInText(text, 'train.py'), []);
    assert.deepEqual(trackingHintsInText('mlflow.set_tracking_uri("http://x:5000")\n', 'README.md'), [], 'prose is not code');
  });

  it('reads the files the workspace lists: not ignored files, not copies in run folders; one hint per value', async () => {
    const root = gitRepo(
      {
        '.gitignore': 'scratch/\n/wandb/\n',
        'src/train.py': 'mlflow.set_tracking_uri("http://team-mlflow:5000")\n',
        'src/eval.py': 'mlflow.set_tracking_uri("http://team-mlflow:5000")\n',
        'scratch/old.py': 'mlflow.set_tracking_uri("http://old-server:5000")\n',
      },
      ['.gitignore', 'src/train.py', 'src/eval.py'],
    );
    try {
      wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current' });
      writeTree(root, { 'wandb/run-20240501_100000-aaaa0001/files/code/src/train.py': 'mlflow.set_tracking_uri("http://copied:5000")\n' });
      const hints = findTrackingHints(await Workspace.load(root, { useGit: true }));
      assert.deepEqual(
        hints.map((h) => [h.value, h.file]),
        [['http://team-mlflow:5000', 'src/eval.py']],
      );
    } finally {
      rmrf(root);
    }
  });

  it('reads the top-level .env even when git ignores it (it usually is), and never keeps credentials of the URI', async () => {
    // cookiecutter-data-science and most templates ignore .env; MLflow's docs put MLFLOW_TRACKING_URI there
    const root = gitRepo(
      {
        '.gitignore': '.env\n.env.local\n',
        'src/train.py': 'import mlflow\nmlflow.log_param("lr", 0.1)\n',
        'docs/setup.md': 'MLFLOW_TRACKING_URI=http://docs-example:5000\n',
      },
      ['.gitignore', 'src/train.py', 'docs/setup.md'],
    );
    try {
      writeTree(root, {
        '.env':
          '# team server\nMLFLOW_TRACKING_USERNAME=ana\nMLFLOW_TRACKING_PASSWORD=s3cret\nMLFLOW_TRACKING_URI=https://ana:s3cret@mlflow.team.example:8443/?token=abc\n',
      });
      const hints = findTrackingHints(await Workspace.load(root, { useGit: true }));
      assert.deepEqual(hints, [{ kind: 'mlflow', value: 'https://mlflow.team.example:8443', file: '.env', line: 4 }]);
      assert.ok(!JSON.stringify(hints).includes('s3cret') && !JSON.stringify(hints).includes('abc'));
      // must not: an ignored .env deeper down is not read (only the workspace's own)
      rmrf(`${root}/.env`);
      writeTree(root, { 'scratch/.env': 'MLFLOW_TRACKING_URI=http://other:5000\n' });
      assert.deepEqual(findTrackingHints(await Workspace.load(root, { useGit: true })), []);
    } finally {
      rmrf(root);
    }
  });

  it('the language server answers mlopsHygiene/runs/trackingHints', async function () {
    this.timeout(30_000);
    const root = gitRepo({ 'README.md': '# x\n', 'src/train.py': 'import wandb\nwandb.init(project="seg", entity="vision-lab")\n' });
    const client = await LspTestClient.start(root);
    try {
      const r = await client.connection.sendRequest(RunsTrackingHintsRequest, {});
      assert.deepEqual(r.hints, [{ kind: 'wandb', value: 'vision-lab/seg', file: 'src/train.py', line: 2, workspaceFolder: root }]);
    } finally {
      await client.stop();
      rmrf(root);
    }
  });
});
