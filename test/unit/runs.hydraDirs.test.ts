import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { listRuns } from '../../server/src/engine/runs';
import { composedHydraPatterns } from '../../server/src/engine/runs/hydraDirs';
import { hydraRun, lightningHydraTemplate } from '../support/runFixtures';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

const LONG_AGO = () => Date.parse('2030-01-01T00:00:00Z');

describe('runs: Hydra output folders resolved from the composed config', () => {
  let root = '';
  beforeEach(() => (root = tmpDir('mlh-lht-')));
  afterEach(() => rmrf(root));

  it('resolves the template run and sweep dirs of train.yaml and eval.yaml to logs/<task>/runs|multiruns/<now>', async () => {
    lightningHydraTemplate(root);
    const { patterns, notes } = await composedHydraPatterns(root, false);
    const got = patterns.map((p) => `${p.kind} ${p.resolved} (${p.from})`).sort();
    assert.deepEqual(got, [
      'run logs/eval/runs/${now:%Y-%m-%d}_${now:%H-%M-%S} (configs/hydra/default.yaml)',
      'run logs/train/runs/${now:%Y-%m-%d}_${now:%H-%M-%S} (configs/hydra/default.yaml)',
      'sweep logs/eval/multiruns/${now:%Y-%m-%d}_${now:%H-%M-%S} (configs/hydra/default.yaml)',
      'sweep logs/train/multiruns/${now:%Y-%m-%d}_${now:%H-%M-%S} (configs/hydra/default.yaml)',
    ]);
    assert.deepEqual(notes, []);
  });

  it('lists the runs under logs/train/runs/<date> and the jobs of a multirun, named by their date folder', async () => {
    lightningHydraTemplate(root);
    hydraRun(root, 'logs/train/runs/2024-05-01_12-30-00', { job: 'train', config: 'task_name: train\nmodel:\n  optimizer:\n    lr: 0.001\nseed: 12345\n' });
    hydraRun(root, 'logs/train/runs/2024-05-02_08-00-00', { job: 'train', config: 'task_name: train\nmodel:\n  optimizer:\n    lr: 0.01\nseed: 12345\n' });
    hydraRun(root, 'logs/train/multiruns/2024-05-03_09-00-00/0', { job: 'train', mode: 'MULTIRUN', num: 0, overrides: ['model.optimizer.lr=0.1'] });
    hydraRun(root, 'logs/train/multiruns/2024-05-03_09-00-00/1', { job: 'train', mode: 'MULTIRUN', num: 1, overrides: ['model.optimizer.lr=0.2'] });
    hydraRun(root, 'logs/eval/runs/2024-05-04_10-00-00', { job: 'eval', config: 'task_name: eval\nckpt_path: x.ckpt\n' });
    const { runs, notes } = await listRuns(root, { useGit: false, now: LONG_AGO });
    const ids = runs.map((r) => r.id).sort();
    assert.deepEqual(ids, [
      'hydra:logs/eval/runs/2024-05-04_10-00-00',
      'hydra:logs/train/multiruns/2024-05-03_09-00-00/0',
      'hydra:logs/train/multiruns/2024-05-03_09-00-00/1',
      'hydra:logs/train/runs/2024-05-01_12-30-00',
      'hydra:logs/train/runs/2024-05-02_08-00-00',
    ]);
    const first = runs.find((r) => r.id === 'hydra:logs/train/runs/2024-05-01_12-30-00')!;
    assert.equal(first.name, '2024-05-01_12-30-00');
    assert.equal(first.experiment, 'train');
    assert.equal(first.params['model.optimizer.lr'], 0.001);
    assert.equal(first.startTime, new Date(2024, 4, 1, 12, 30, 0).getTime(), 'the start time comes from the folder name (local time)');
    assert.equal(runs.find((r) => r.id.endsWith('/1'))!.experiment, 'multirun logs/train/multiruns/2024-05-03_09-00-00');
    assert.ok(!notes.some((n) => /hydra\.run\.dir/.test(n)), `no "not searched" note: ${notes.join(' | ')}`);
  });

  it('PROJECT_ROOT is the folder holding .project-root (rootutils), also when the project is a subfolder of the workspace', async () => {
    // the same template one level down: its configs and .project-root live in ml/
    const sub = path.join(root, 'ml');
    lightningHydraTemplate(sub);
    hydraRun(sub, 'logs/train/runs/2024-05-01_12-30-00', { job: 'train' });
    const { patterns } = await composedHydraPatterns(root, false);
    assert.ok(
      patterns.some((p) => p.resolved === 'ml/logs/train/runs/${now:%Y-%m-%d}_${now:%H-%M-%S}'),
      patterns.map((p) => p.resolved).join(', '),
    );
    const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.deepEqual(
      runs.map((r) => r.id),
      ['hydra:ml/logs/train/runs/2024-05-01_12-30-00'],
    );
  });

  it('an unknown environment variable at the start cannot be searched: a note says so and names the setting', async () => {
    lightningHydraTemplate(root);
    writeTree(root, {
      'configs/paths/default.yaml': 'root_dir: ${oc.env:SCRATCH}\nlog_dir: ${paths.root_dir}/logs/\noutput_dir: ${hydra:runtime.output_dir}\n',
    });
    const { patterns, notes } = await composedHydraPatterns(root, false);
    assert.deepEqual(patterns, []);
    assert.ok(
      notes.some((n) =>
        n.includes(
          "hydra.run.dir '${paths.log_dir}/${task_name}/runs/${now:%Y-%m-%d}_${now:%H-%M-%S}' in configs/hydra/default.yaml starts with a value only known at run time",
        ),
      ),
      notes.join(' | '),
    );
    // the listing carries the note (the view shows it as a message row, the CLI prints it)
    const { notes: listed } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.ok(
      listed.some((n) => n.includes('only known at run time')),
      listed.join(' | '),
    );
  });

  it('an environment variable with a default resolves to the default; ${hydra.job.name} is the script stem', async () => {
    writeTree(root, {
      'train_net.py': 'import hydra\n\n@hydra.main(version_base=None, config_path="conf", config_name="config")\ndef main(cfg):\n    pass\n',
      'conf/config.yaml': 'out: ${oc.env:OUT_DIR,experiments}\nhydra:\n  run:\n    dir: ${out}/${hydra.job.name}/${now:%Y%m%d-%H%M%S}\n',
    });
    hydraRun(root, 'experiments/train_net/20240501-123000', { job: 'train_net' });
    const { patterns } = await composedHydraPatterns(root, false);
    assert.deepEqual(
      patterns.map((p) => p.resolved),
      ['experiments/train_net/${now:%Y%m%d-%H%M%S}'],
    );
    const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.deepEqual(
      runs.map((r) => [r.id, r.name, r.experiment]),
      [['hydra:experiments/train_net/20240501-123000', '20240501-123000', 'train_net']],
    );
  });

  it('a dir that resolves outside the workspace is reported, not searched', async () => {
    writeTree(root, {
      'main.py': 'import hydra\n\n@hydra.main(version_base=None, config_path="conf", config_name="config")\ndef main(cfg):\n    pass\n',
      'conf/config.yaml': 'hydra:\n  run:\n    dir: /scratch/runs/${now:%Y-%m-%d}\n',
    });
    const { patterns, notes } = await composedHydraPatterns(root, false);
    assert.deepEqual(patterns, []);
    assert.ok(
      notes.some((n) => n.includes('resolves to /scratch/runs/${now:%Y-%m-%d}, outside the workspace folder: not searched')),
      notes.join(' | '),
    );
  });
});
