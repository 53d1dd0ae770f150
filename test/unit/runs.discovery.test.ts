import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildTree, nodeDescription, runNodeChildren, type RunNode } from '../../client/src/runs/model';
import { findRunStores, hydraRunsIn, listRuns, RunIndex } from '../../server/src/engine/runs';
import { hydraRun, lightningHydraTemplate, mlflowExperiment, mlflowRun, setMtimes, wandbRun } from '../support/runFixtures';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

const LONG_AGO = () => Date.parse('2030-01-01T00:00:00Z');
const OLD = new Date(2024, 4, 1, 13, 0, 0).getTime();

/**
 * Lightning's CSVLogger (formats.md section 5): `metrics.csv` has the sorted union of the logged keys plus `epoch` and
 * `step` as header, sparse rows, CRLF line ends. lightning-hydra-template logs `train/loss`, `train/acc`, `val/loss`,
 * `val/acc`, `val/acc_best` (src/models/mnist_module.py) with `name: "csv/"` and `save_dir: ${paths.output_dir}`.
 */
const TEMPLATE_CSV =
  'epoch,step,train/acc,train/loss,val/acc,val/acc_best,val/loss\r\n0,0,,,0.1,0.1,2.3\r\n0,429,0.85,0.5,,,\r\n0,429,,,0.95,0.95,0.17\r\n1,859,0.96,0.13,,,\r\n1,859,,,0.97,0.97,0.1\r\n';

/** A template run: the Hydra job folder with a CSVLogger, a WandbLogger (offline) and ModelCheckpoint inside. */
function templateRun(root: string, rel: string, opts: { wandb?: boolean; overrides?: string[]; num?: number; mode?: 'RUN' | 'MULTIRUN' } = {}): void {
  hydraRun(root, rel, {
    job: 'train',
    config: 'task_name: train\nmodel:\n  optimizer:\n    lr: 0.001\nseed: 12345\n',
    overrides: opts.overrides,
    num: opts.num,
    mode: opts.mode,
    mtime: null,
  });
  writeTree(root, {
    [`${rel}/csv/version_0/hparams.yaml`]: 'model/params/total: 67978\ndata/batch_size: 128\n',
    [`${rel}/csv/version_0/metrics.csv`]: TEMPLATE_CSV,
    [`${rel}/checkpoints/epoch_001.ckpt`]: 'not a checkpoint',
    [`${rel}/checkpoints/last.ckpt`]: 'not a checkpoint',
  });
  if (opts.wandb)
    wandbRun(path.join(root, rel), 'offline-run-20240501_123005-abcd1234', {
      format: 'current',
      summary: '{"val/acc": 0.97, "test/acc": 0.975, "_step": 3, "_runtime": 60}',
      mtime: null,
    });
  setMtimes(path.join(root, rel), OLD);
}

describe('runs: discovery where real projects put them', () => {
  let root = '';
  beforeEach(() => (root = tmpDir('mlh-disc-')));
  afterEach(() => rmrf(root));

  it('lightning-hydra-template: runs under logs/<task>/runs/<date>, the loggers inside a run are that run (not separate runs)', async () => {
    lightningHydraTemplate(root);
    templateRun(root, 'logs/train/runs/2024-05-01_12-30-00', { wandb: true });
    templateRun(root, 'logs/train/multiruns/2024-05-03_09-00-00/0', { num: 0, mode: 'MULTIRUN', overrides: ['model.optimizer.lr=0.01'] });
    writeTree(root, { 'logs/train/multiruns/2024-05-03_09-00-00/multirun.yaml': 'hydra:\n  mode: MULTIRUN\n' });
    // configs/logger/mlflow.yaml: tracking_uri: file:${paths.log_dir}/mlflow/mlruns (a store of its own, outside the runs)
    mlflowExperiment(path.join(root, 'logs/mlflow'), '1', 'train');
    mlflowRun(path.join(root, 'logs/mlflow'), '1', 'c'.repeat(32), { name: 'mlf-template', metrics: { 'val/acc': '1700000000000 0.97 1\n' } });
    const { runs, notes } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.deepEqual(
      runs.map((r) => r.id).sort(),
      [`mlflow:logs/mlflow/mlruns:1/${'c'.repeat(32)}`, 'hydra:logs/train/multiruns/2024-05-03_09-00-00/0', 'hydra:logs/train/runs/2024-05-01_12-30-00'].sort(),
    );
    assert.ok(!runs.some((r) => r.source === 'lightning' || r.source === 'wandb'), 'csv/version_0 and wandb/ inside a Hydra run are not runs of their own');
    const run = runs.find((r) => r.id === 'hydra:logs/train/runs/2024-05-01_12-30-00')!;
    assert.equal(run.name, '2024-05-01_12-30-00');
    assert.equal(run.params['model.optimizer.lr'], 0.001, 'params: the Hydra config');
    assert.equal(run.metrics['val/acc'], 0.97, 'the CSVLogger final value');
    assert.equal(run.metrics['train/loss'], 0.13);
    assert.equal(run.metrics['test/acc'], 0.975, 'a W&B summary value the CSV does not have');
    assert.equal(run.details?.trackers, 'Lightning csv/version_0, W&B wandb/offline-run-20240501_123005-abcd1234');
    assert.equal(run.details?.checkpoints, 'epoch_001.ckpt, last.ckpt');
    assert.ok(!notes.some((n) => /hydra\.run\.dir/.test(n)), notes.join(' | '));
    // the chart reads the CSV's history for the Hydra run, with integer steps
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
    await index.refresh();
    const { series, warnings } = await index.history([run.id], ['val/loss']);
    assert.deepEqual(warnings, []);
    assert.deepEqual(series, [
      {
        runId: run.id,
        metric: 'val/loss',
        points: [
          [0, 2.3],
          [429, 0.17],
          [859, 0.1],
        ],
      },
    ]);
  });

  it('finds run folders 3 deep by their markers, never sources named like them, nor inside data/, .venv/, node_modules/', async () => {
    hydraRun(root, 'src/models/outputs/2024-01-01/10-00-00', { config: 'lr: 0.1\n' });
    hydraRun(root, 'src/models/outputs/2024-01-02/11-00-00', { config: 'lr: 0.2\n' });
    mlflowExperiment(path.join(root, 'code/models'), '1', 'digits');
    mlflowRun(path.join(root, 'code/models'), '1', 'a'.repeat(32), { name: 'deep-mlflow', params: { lr: '0.01' } });
    wandbRun(path.join(root, 'experiments/a/b'), 'run-20240501_100000-deep0001', { format: 'current', summary: '{"acc": 0.9}' });
    writeTree(root, {
      'research/tb/my_model/version_0/hparams.yaml': 'lr: 0.001\n',
      'research/tb/my_model/version_0/metrics.csv': 'epoch,step,val_loss\r\n0,99,0.25\r\n',
      // sources named like run folders: a package and a config group
      'src/pkg/wandb/__init__.py': '',
      'src/pkg/wandb/run-20240501_100000-notarun/helper.py': '',
      'configs/mlruns/default.yaml': 'x: 1\n',
      // run stores in bulk folders: not walked
      'data/mlruns/0/meta.yaml': 'name: Default\n',
      [`data/mlruns/0/${'d'.repeat(32)}/meta.yaml`]: 'run_id: x\n',
      '.venv/lib/python3.11/site-packages/pkg/outputs/2024-01-01/10-00-00/.hydra/config.yaml': 'a: 1\n',
      'node_modules/x/wandb/run-20240501_100000-nodemod1/files/config.yaml': 'a: 1\n',
    });
    const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.deepEqual(runs.map((r) => r.id).sort(), [
      'hydra:src/models/outputs/2024-01-01/10-00-00',
      'hydra:src/models/outputs/2024-01-02/11-00-00',
      'lightning:research/tb/my_model/version_0',
      `mlflow:code/models/mlruns:1/${'a'.repeat(32)}`,
      'wandb:experiments/a/b/wandb/run-20240501_100000-deep0001',
    ]);
    const h = runs.find((r) => r.id === 'hydra:src/models/outputs/2024-01-02/11-00-00')!;
    assert.equal(h.name, '2024-01-02/11-00-00', 'named from below its store');
    assert.equal(h.params.lr, 0.2);
    assert.equal(runs.find((r) => r.source === 'mlflow')!.experiment, 'digits');
    assert.equal(runs.find((r) => r.source === 'lightning')!.metrics.val_loss, 0.25);
  });

  it('a hydra.run.dir that cannot be resolved is reported, and its runs are still found by their markers', async () => {
    lightningHydraTemplate(root);
    writeTree(root, {
      'configs/paths/default.yaml': 'root_dir: ${oc.env:SCRATCH}\nlog_dir: ${paths.root_dir}/logs/\noutput_dir: ${hydra:runtime.output_dir}\n',
    });
    templateRun(root, 'logs/train/runs/2024-05-01_12-30-00');
    const { runs, notes } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.ok(
      notes.some((n) =>
        n.includes(
          "hydra.run.dir '${paths.log_dir}/${task_name}/runs/${now:%Y-%m-%d}_${now:%H-%M-%S}' in configs/hydra/default.yaml starts with a value only known at run time",
        ),
      ),
      notes.join(' | '),
    );
    assert.deepEqual(
      runs.map((r) => r.id),
      ['hydra:logs/train/runs/2024-05-01_12-30-00'],
    );
    assert.equal(runs[0].metrics['val/acc'], 0.97);
    assert.equal(runs[0].startTime, new Date(2024, 4, 1, 12, 30, 0).getTime(), 'the start time from the folder name');
  });

  it('${hydra:runtime.cwd} is the workspace folder (the command is started there); ${now:...} matches the dated folders', async () => {
    writeTree(root, {
      'main.py': 'import hydra\n\n@hydra.main(version_base=None, config_path="conf", config_name="config")\ndef main(cfg):\n    pass\n',
      'conf/config.yaml': 'name: baseline\nhydra:\n  run:\n    dir: ${hydra:runtime.cwd}/experiments/${name}/${now:%Y-%m-%d_%H-%M-%S}\n',
    });
    hydraRun(root, 'experiments/baseline/2024-05-01_12-30-00');
    hydraRun(root, 'experiments/other/2024-05-01_12-30-00'); // another name: still found, by its markers
    const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.deepEqual(runs.map((r) => r.id).sort(), ['hydra:experiments/baseline/2024-05-01_12-30-00', 'hydra:experiments/other/2024-05-01_12-30-00']);
    assert.equal(runs.find((r) => r.id.includes('baseline'))!.name, '2024-05-01_12-30-00', 'named from the pattern: the part that varies');
  });

  it('the walk is bounded: it stops after maxFolders and says so', () => {
    for (let i = 0; i < 30; i++) writeTree(root, { [`src/pkg${i}/mod/__init__.py`]: '' });
    hydraRun(root, 'zz/outputs/2024-01-01/10-00-00');
    const full = findRunStores(root);
    assert.deepEqual(
      full.stores.map((s) => s.dir),
      ['zz/outputs'],
    );
    assert.deepEqual(full.notes, []);
    const cut = findRunStores(root, 10);
    assert.equal(cut.visited, 10);
    assert.match(cut.notes[0], /stopped looking for run folders by their markers after 10 folders/);
  });

  it('stops at a store: 2,000 runs 3 deep cost a few listings, not one per run', () => {
    for (let i = 0; i < 2000; i++) writeTree(root, { [`a/b/outputs/2024-01-01/${String(i).padStart(6, '0')}/.hydra/config.yaml`]: 'x: 1\n' });
    const m = findRunStores(root);
    assert.deepEqual(
      m.stores.map((s) => `${s.tool} ${s.dir}`),
      ['Hydra a/b/outputs'],
    );
    assert.ok(m.visited < 20, `listed ${m.visited} folders`);
    assert.equal(hydraRunsIn(root, 'a/b/outputs').length, 2000);
  });

  it("a multirun found by its markers: jobs are the sweep folder's sub folders", () => {
    writeTree(root, { 'exp/multirun/2024-05-03/09-00-00/multirun.yaml': 'hydra: {}\n' });
    hydraRun(root, 'exp/multirun/2024-05-03/09-00-00/0');
    hydraRun(root, 'exp/multirun/2024-05-03/09-00-00/1');
    assert.deepEqual(
      findRunStores(root).stores.map((s) => s.dir),
      ['exp/multirun'],
    );
    assert.deepEqual(hydraRunsIn(root, 'exp/multirun'), [
      { rel: 'exp/multirun/2024-05-03/09-00-00/0', sweep: 'exp/multirun/2024-05-03/09-00-00' },
      { rel: 'exp/multirun/2024-05-03/09-00-00/1', sweep: 'exp/multirun/2024-05-03/09-00-00' },
    ]);
  });

  it('a new store deep in the tree is found on the file event that creates it', async () => {
    wandbRun(root, 'run-20240501_100000-top00001', { format: 'current' });
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
    await index.refresh();
    assert.deepEqual(
      index.list().map((r) => r.id),
      ['wandb:run-20240501_100000-top00001'],
    );
    mlflowExperiment(path.join(root, 'sub/project'), '0', 'Default');
    mlflowRun(path.join(root, 'sub/project'), '0', 'e'.repeat(32), { name: 'late' });
    const rel = `sub/project/mlruns/0/${'e'.repeat(32)}/meta.yaml`;
    assert.ok(await index.concerns(rel), 'a meta.yaml outside the known places concerns the runs');
    assert.ok(!(await index.concerns('app/main.py')), 'an ordinary source file does not');
    const diff = await index.refresh([rel]);
    assert.deepEqual(diff.added, [`mlflow:sub/project/mlruns:0/${'e'.repeat(32)}`]);
  });
});

describe('runs: MLflow parent and child runs (tag mlflow.parentRunId)', () => {
  let root = '';
  before(() => (root = tmpDir('mlh-nest-')));
  after(() => rmrf(root));

  it('children carry their parent id and are shown under their parent; a child whose parent is filtered out stays visible', async () => {
    const parent = '1'.repeat(32);
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    mlflowExperiment(root, '3', 'hpo');
    // mlflow.start_run(nested=True) sets the tag mlflow.parentRunId to the parent's run id (file store: tags/<key>)
    mlflowRun(root, '3', parent, { name: 'sweep', start: 1000, params: { search: 'grid' } });
    mlflowRun(root, '3', a, { name: 'trial-a', start: 2000, params: { lr: '0.1' }, metrics: { loss: '1 0.5 0\n' }, tags: { 'mlflow.parentRunId': parent } });
    mlflowRun(root, '3', b, { name: 'trial-b', start: 3000, params: { lr: '0.01' }, metrics: { loss: '1 0.3 0\n' }, tags: { 'mlflow.parentRunId': parent } });
    mlflowRun(root, '3', 'f'.repeat(32), { name: 'alone', start: 500 });
    const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
    assert.equal(runs.find((r) => r.name === 'trial-a')!.parentId, `mlflow:3/${parent}`);
    assert.equal(runs.find((r) => r.name === 'sweep')!.parentId, undefined);
    const { roots } = buildTree(runs, '', { by: 'newest' });
    const exp = (roots[0] as Extract<RunNode, { kind: 'source' }>).children[0] as Extract<RunNode, { kind: 'experiment' }>;
    assert.equal(exp.description, '4 runs');
    assert.deepEqual(
      exp.children.map((c) => c.label),
      ['sweep', 'alone'],
    );
    const sweep = exp.children[0] as Extract<RunNode, { kind: 'run' }>;
    assert.match(nodeDescription(sweep), /· 2 child runs$/);
    const kids = runNodeChildren(sweep)
      .filter((n) => n.kind === 'run')
      .map((n) => n.label);
    assert.deepEqual(kids, ['trial-b', 'trial-a'], 'children newest first, after the sections');
    // filtered to the trials: the parent is not shown, its children are at the top level
    const filtered = buildTree(runs, 'lr=0.1', { by: 'newest' });
    const fexp = (filtered.roots[0] as Extract<RunNode, { kind: 'source' }>).children[0] as Extract<RunNode, { kind: 'experiment' }>;
    assert.deepEqual(
      fexp.children.map((c) => c.label),
      ['trial-a'],
    );
  });

  it('in a large mlruns/ (more than 300 runs, read lazily) the children are under their parent from the first paint', async () => {
    // an Optuna/Hyperopt-style sweep as MLflow's file store keeps it: one parent run per study, its trials started with
    // mlflow.start_run(nested=True) in the same experiment (tags/mlflow.parentRunId = the parent's run id), plus
    // ordinary runs in the Default experiment
    const big = tmpDir('mlh-nest-lazy-');
    try {
      mlflowExperiment(big, '0', 'Default');
      mlflowExperiment(big, '7', 'optuna-hpo');
      const hex = (n: number, salt: string) => (salt + n.toString(16)).padStart(32, '0');
      const studies: string[] = [];
      for (let s = 0; s < 12; s++) {
        const parent = hex(s, 'a');
        studies.push(parent);
        mlflowRun(big, '7', parent, {
          name: `study-${s}`,
          start: 1_700_000_000_000 + s * 100_000,
          params: { sampler: 'TPESampler' },
          tags: { 'mlflow.runName': `study-${s}`, 'mlflow.user': 'ana', 'mlflow.source.name': 'hpo.py' },
        });
        for (let t = 0; t < 25; t++) {
          mlflowRun(big, '7', hex(s * 100 + t, 'b'), {
            name: `trial-${s}-${t}`,
            start: 1_700_000_000_000 + s * 100_000 + (t + 1) * 1000,
            params: { lr: String(10 ** -(1 + (t % 4))), batch_size: String(16 << (t % 3)) },
            metrics: { val_loss: `1700000000000 ${(1 / (t + 2)).toFixed(4)} 9\n` },
            tags: { 'mlflow.parentRunId': parent, 'mlflow.runName': `trial-${s}-${t}`, 'mlflow.user': 'ana', 'mlflow.source.name': 'hpo.py' },
          });
        }
      }
      for (let i = 0; i < 6; i++) mlflowRun(big, '0', hex(i, 'c'), { name: `baseline-${i}`, start: 1_690_000_000_000 + i, params: { lr: '0.01' } });
      const total = 12 * 26 + 6;
      const index = new RunIndex(big, { useGit: false, now: LONG_AGO }); // the server's threshold: more than 300 locations
      await index.refresh(undefined, { lazy: true });
      const summaries = index.list();
      assert.equal(summaries.length, total);
      assert.ok(
        summaries.every((r) => r.pending && !Object.keys(r.params).length && !Object.keys(r.metrics).length),
        'lazy: no run read in full',
      );
      const shape = (runs: typeof summaries) => {
        const { roots } = buildTree(runs, '', { by: 'newest' });
        const exps = (roots[0] as Extract<RunNode, { kind: 'source' }>).children as Extract<RunNode, { kind: 'experiment' }>[];
        const hpo = exps.find((e) => e.label === 'optuna-hpo')!;
        return {
          description: hpo.description,
          top: hpo.children.map((c) => (c as Extract<RunNode, { kind: 'run' }>).run.id),
          kids: hpo.children.map((c) => runNodeChildren(c as Extract<RunNode, { kind: 'run' }>).filter((n) => n.kind === 'run').length),
          def: exps.find((e) => e.label === 'Default')!.children.length,
        };
      };
      const lazy = shape(summaries);
      assert.equal(lazy.description, `${12 * 26} runs`);
      assert.deepEqual(new Set(lazy.top), new Set(studies.map((p) => `mlflow:7/${p}`)), 'only the studies at the top of the experiment');
      assert.deepEqual(lazy.kids, Array(12).fill(25), 'each study holds its 25 trials');
      assert.equal(lazy.def, 6);
      // once read in full, the same shape (and the same parent ids as the full read)
      await index.loadDetails();
      assert.equal(index.pending, 0);
      const after = shape(index.list());
      assert.deepEqual({ ...after, top: new Set(after.top) }, { ...lazy, top: new Set(lazy.top) });
      const full = (await listRuns(big, { useGit: false, now: LONG_AGO })).runs;
      for (const r of full) assert.equal(summaries.find((x) => x.id === r.id)?.parentId, r.parentId, r.id);
    } finally {
      rmrf(big);
    }
  });

  it('notes (a configured folder that cannot be searched) are message rows above the runs', () => {
    const { roots } = buildTree([], '', { by: 'newest' }, [
      "hydra.run.dir '${oc.env:SCRATCH}/runs' in conf/config.yaml starts with a value only known at run time: searched by run markers instead",
    ]);
    assert.equal(roots.length, 1);
    assert.equal(roots[0].kind, 'note');
    assert.match(roots[0].label, /only known at run time/);
  });
});
