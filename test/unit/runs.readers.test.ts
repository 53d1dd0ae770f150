import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns, loadSqlJs, RunIndex, parseJsonLoose, latestPoint, parseMetricLine, compilePattern, segmentOf } from '../../server/src/engine/runs';
import type { RunSummary } from '../../shared/protocol';
import {
  dvcExperimentRepo,
  hydraRun,
  lightningRun,
  MLFLOW_DB_SCHEMA,
  mlflowExperiment,
  mlflowRun,
  WANDB_METADATA,
  wandbLog,
  wandbRun,
} from '../support/runFixtures';
import { git, rmrf, tmpDir, writeTree } from '../support/tmp';

const LONG_AGO = () => Date.parse('2030-01-01T00:00:00Z');

function byName(runs: RunSummary[], name: string): RunSummary {
  const r = runs.find((x) => x.name === name);
  assert.ok(r, `no run named ${name}; have ${runs.map((x) => x.name).join(', ')}`);
  return r;
}

describe('runs: readers', () => {
  let root = '';
  beforeEach(() => (root = tmpDir('mlh-runs-')));
  afterEach(() => rmrf(root));

  describe('Hydra', () => {
    it('finds runs under the configured hydra.run.dir with ${hydra.job.name} and ${now:...}, with params, overrides, job and log', async () => {
      writeTree(root, {
        'configs/config.yaml': 'defaults:\n  - _self_\nhydra:\n  run:\n    dir: outputs/${hydra.job.name}/${now:%Y-%m-%d_%H-%M-%S}\nlr: 0.1\n',
        'src/proj/train.py': 'print(1)\n',
      });
      // .hydra/config.yaml is the composed config: the overrides are already applied in it
      hydraRun(root, 'outputs/train/2024-05-01_12-30-00', {
        overrides: ['model.lr=0.01', 'seed=7'],
        config: 'model:\n  lr: 0.01\n  layers: [64, 32]\nseed: 7\ndata:\n  path: ${oc.env:DATA,data}/raw\n',
      });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.equal(runs.length, 1);
      const r = runs[0];
      assert.equal(r.source, 'hydra');
      assert.equal(r.id, 'hydra:outputs/train/2024-05-01_12-30-00');
      assert.equal(r.experiment, 'train');
      assert.equal(r.params['model.lr'], 0.01);
      assert.equal(r.params.seed, 7);
      assert.equal(r.params['data.path'], '${oc.env:DATA,data}/raw');
      assert.equal(r.params['model.layers'], '[64,32]');
      assert.equal(r.details?.overrides, 'model.lr=0.01 seed=7');
      assert.equal(r.details?.jobName, 'train');
      assert.equal(r.details?.choices, 'model=cnn');
      assert.equal(r.command, 'python src/proj/train.py model.lr=0.01 seed=7');
      assert.equal(r.startTime, new Date(2024, 4, 1, 12, 30, 0).getTime());
      assert.equal(r.logFile, path.join(root, 'outputs/train/2024-05-01_12-30-00/train.log'));
      assert.equal(r.configFile, path.join(root, 'outputs/train/2024-05-01_12-30-00/.hydra/config.yaml'));
      assert.equal(r.status, 'finished');
      assert.deepEqual(r.warnings, []);
    });

    it('finds default outputs/ and multirun/ jobs grouped by sweep; a traceback means failed; a half-written job warns', async () => {
      hydraRun(root, 'outputs/2024-05-01/10-00-00');
      hydraRun(root, 'outputs/2024-05-01/11-00-00', { log: 'Traceback (most recent call last):\n  File "train.py"\nValueError: boom\n' });
      fs.mkdirSync(path.join(root, 'outputs/2024-05-01/12-00-00/.hydra'), { recursive: true });
      writeTree(root, { 'multirun/2024-05-02/09-00-00/multirun.yaml': 'hydra:\n  mode: MULTIRUN\n' });
      hydraRun(root, 'multirun/2024-05-02/09-00-00/0', { overrides: ['lr=0.1'], num: 0, mode: 'MULTIRUN' });
      hydraRun(root, 'multirun/2024-05-02/09-00-00/1', { overrides: ['lr=0.01'], num: 1, mode: 'MULTIRUN' });
      fs.mkdirSync(path.join(root, 'outputs/not-a-run'), { recursive: true });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      const ids = runs.map((r) => r.id).sort();
      assert.deepEqual(ids, [
        'hydra:multirun/2024-05-02/09-00-00/0',
        'hydra:multirun/2024-05-02/09-00-00/1',
        'hydra:outputs/2024-05-01/10-00-00',
        'hydra:outputs/2024-05-01/11-00-00',
        'hydra:outputs/2024-05-01/12-00-00',
      ]);
      const sweep = runs.filter((r) => r.id.startsWith('hydra:multirun'));
      assert.deepEqual(
        sweep.map((r) => r.experiment),
        ['multirun multirun/2024-05-02/09-00-00', 'multirun multirun/2024-05-02/09-00-00'],
      );
      assert.deepEqual(sweep.map((r) => r.params.lr).sort(), ['0.01', '0.1']);
      assert.equal(runs.find((r) => r.id.endsWith('11-00-00'))!.status, 'failed');
      const half = runs.find((r) => r.id.endsWith('12-00-00'))!;
      assert.match(half.warnings.join(' '), /config\.yaml is missing/);
      assert.equal(runs[0].id, 'hydra:multirun/2024-05-02/09-00-00/0'); // newest first
    });

    it('turns interpolations into matchers and refuses patterns that would walk everything', () => {
      const s = segmentOf('${now:%Y-%m-%d_%H-%M-%S}');
      assert.ok(s.regex!.test('2024-05-01_12-30-00'));
      assert.ok(!s.regex!.test('data'));
      assert.ok(segmentOf('${hydra.job.name}').regex!.test('train'));
      assert.equal(compilePattern('${oc.env:OUT}/runs', 'run', 'x'), undefined);
      assert.equal(compilePattern('/abs/outputs', 'run', 'x'), undefined);
      assert.equal(compilePattern('../outside/${now:%H}', 'run', 'x'), undefined);
      assert.deepEqual(
        compilePattern('./out/${hydra.job.name}', 'run', 'x')!.segments.map((x) => x.literal ?? 'glob'),
        ['out', 'glob'],
      );
    });

    it('reads hydra.run.dir from a config in the hydra/ group (package hydra)', async () => {
      writeTree(root, { 'conf/config.yaml': 'defaults:\n  - hydra: custom\n', 'conf/hydra/custom.yaml': 'run:\n  dir: runs/${now:%Y%m%d-%H%M%S}\n' });
      hydraRun(root, 'runs/20240501-120000');
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.deepEqual(
        runs.map((r) => r.id),
        ['hydra:runs/20240501-120000'],
      );
      assert.equal(runs[0].startTime, new Date(2024, 4, 1, 12, 0, 0).getTime());
    });
  });

  describe('W&B', () => {
    it('reads both config.yaml formats, a summary with NaN/Infinity, metadata with git commit and command', async () => {
      wandbRun(root, 'run-20240501_100000-cur00001', {
        format: 'current',
        summary: '{"loss": 0.25, "acc": NaN, "best": Infinity, "worst": -Infinity, "_step": 99, "_runtime": 61.5, "_wandb": {"runtime": 61}}',
        metadata: WANDB_METADATA,
      });
      wandbRun(root, 'run-20240430_090000-leg00001', { format: 'legacy', summary: '{"loss": 0.5}' });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      const cur = byName(runs, 'cur00001');
      assert.equal(cur.id, 'wandb:run-20240501_100000-cur00001');
      assert.deepEqual(cur.params, { epochs: 5, lr: 0.001, 'nested.list': '["a"]', 'nested.text': 'xyz' });
      assert.deepEqual(cur.metrics, { loss: 0.25, acc: null, best: null, worst: null });
      assert.equal(cur.gitCommit, '0123456789abcdef0123456789abcdef01234567');
      assert.equal(cur.command, 'python src/proj/train.py --epochs 5 model.lr=0.001');
      assert.equal(cur.startTime, Date.parse('2024-05-01T10:00:00.123456Z'));
      assert.equal(cur.durationMs, 61000);
      assert.equal(cur.status, 'finished');
      const leg = byName(runs, 'leg00001');
      assert.deepEqual(leg.params, { lr: 0.01, epochs: 10, 'optimizer.name': 'adam', 'optimizer.betas': '[0.9,0.999]' });
      assert.equal(leg.details?.configFormat, 'legacy (wandb_version: 1)');
      assert.equal(leg.startTime, new Date(2024, 3, 30, 9, 0, 0).getTime());
      assert.deepEqual(
        runs.map((r) => r.name),
        ['cur00001', 'leg00001'],
      );
    });

    it('lists offline runs that only have the binary .wandb file, with sync state; checks the header', async () => {
      wandbRun(root, 'offline-run-20240502_080000-off00001', { synced: true });
      wandbRun(root, 'offline-run-20240502_090000-off00002');
      wandbRun(root, 'offline-run-20240502_100000-bad00003', { txlog: Buffer.from('not a wandb file') });
      fs.mkdirSync(path.join(root, 'wandb/latest-run-not-a-run'), { recursive: true });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.deepEqual(
        runs.map((r) => r.name),
        ['bad00003', 'off00002', 'off00001'],
      );
      assert.equal(byName(runs, 'off00001').details?.sync, 'synced');
      assert.match(byName(runs, 'off00002').details!.sync, /not synced/);
      assert.match(byName(runs, 'off00002').details!.note, /only in the binary \.wandb file/);
      assert.deepEqual(byName(runs, 'off00002').warnings, []);
      assert.match(byName(runs, 'bad00003').warnings.join(' '), /does not start with the W&B header/);
      assert.equal(byName(runs, 'off00001').startTime, new Date(2024, 4, 2, 8, 0, 0).getTime());
    });

    it('a half-written summary or config is a warning on the run, not a broken list', async () => {
      wandbRun(root, 'run-20240501_100000-half0001', { format: 'current', summary: '{"loss": 0.2, "acc', metadata: '{"startedAt": ' });
      wandbRun(root, 'run-20240501_110000-brok0001', { configText: 'lr:\n    value: [unclosed\n', summary: '{}' });
      wandbRun(root, 'run-20240501_120000-ok000001', { format: 'current', summary: '{"loss": 0.1}' });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.equal(runs.length, 3);
      assert.match(byName(runs, 'half0001').warnings.join(' '), /wandb-summary\.json is not valid JSON.*half written/);
      assert.match(byName(runs, 'half0001').warnings.join(' '), /wandb-metadata\.json is not valid JSON/);
      assert.equal(byName(runs, 'half0001').params.lr, 0.001);
      assert.match(byName(runs, 'brok0001').warnings.join(' '), /config\.yaml is not valid YAML/);
      assert.deepEqual(byName(runs, 'ok000001').metrics, { loss: 0.1 });
    });

    it('parseJsonLoose keeps NaN inside strings', () => {
      assert.deepEqual(parseJsonLoose('{"a": NaN, "b": "NaN and Infinity", "c": -Infinity}'), { a: null, b: 'NaN and Infinity', c: null });
    });
  });

  describe('MLflow file store', () => {
    it('reads experiments, statuses, params, latest metrics by (step, timestamp, value), tags; hides deleted runs, deleted experiments and .trash', async () => {
      mlflowExperiment(root, '0', 'Default');
      mlflowExperiment(root, '1', 'digits');
      mlflowExperiment(root, '2', 'gone', 'deleted');
      mlflowExperiment(root, '3', 'trashed', 'active', 'mlruns/.trash');
      mlflowRun(root, '1', 'a'.repeat(32), {
        status: 3,
        name: 'good-run',
        params: { lr: '0.01', 'opt/name': 'adam' },
        metrics: { loss: '1672364273400 0.5 0\n1672364273500 0.3 2\n1672364273450 0.9 1\n', acc: '1672364273400 nan 0\n', 'val/loss': '1672364273400 0.7\n' },
        tags: { 'mlflow.source.git.commit': 'abcdef1234567890abcdef1234567890abcdef12', 'mlflow.source.name': 'train.py' },
      });
      mlflowRun(root, '1', 'b'.repeat(32), { status: 4, name: 'crashed', start: 1672364274000, end: 1672364275000 });
      mlflowRun(root, '1', 'c'.repeat(32), { status: 5, name: 'killed-one' });
      mlflowRun(root, '0', 'd'.repeat(32), { status: 1, name: 'still-running' });
      mlflowRun(root, '1', 'e'.repeat(32), { lifecycle: 'deleted', name: 'deleted-run' });
      mlflowRun(root, '2', 'f'.repeat(32), { name: 'in-deleted-exp' });
      mlflowRun(root, '1', '1'.repeat(32), { meta: null, params: { lr: '0.5' } });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      const names = runs.map((r) => r.name).sort();
      assert.deepEqual(names, ['1'.repeat(32), 'crashed', 'good-run', 'killed-one', 'still-running']);
      const good = byName(runs, 'good-run');
      assert.equal(good.experiment, 'digits');
      assert.equal(good.status, 'finished');
      assert.deepEqual(good.params, { lr: '0.01', 'opt/name': 'adam' });
      assert.deepEqual(good.metrics, { loss: 0.3, acc: null, 'val/loss': 0.7 });
      assert.equal(good.gitCommit, 'abcdef1234567890abcdef1234567890abcdef12');
      assert.equal(good.command, 'python train.py');
      assert.equal(good.durationMs, 16);
      assert.deepEqual(good.historyMetrics?.sort(), ['acc', 'loss', 'val/loss']);
      assert.equal(byName(runs, 'crashed').status, 'failed');
      assert.equal(byName(runs, 'crashed').durationMs, 1000);
      assert.equal(byName(runs, 'killed-one').status, 'killed');
      assert.equal(byName(runs, 'still-running').status, 'running');
      assert.equal(byName(runs, 'still-running').experiment, 'Default');
      assert.match(byName(runs, '1'.repeat(32)).warnings.join(' '), /meta\.yaml is missing/);
    });

    it('latest is the maximum by (step, timestamp, value)', () => {
      const pts = ['5 0.1 3', '9 0.2 2', '5 0.4 3', 'garbage', '1 inf'].map(parseMetricLine).filter((p) => !!p);
      assert.equal(pts.length, 4);
      assert.deepEqual(latestPoint(pts), { timestamp: 5, value: 0.4, step: 3 });
    });

    it('gives the metric history for the chart', async () => {
      mlflowExperiment(root, '0', 'Default');
      mlflowRun(root, '0', 'a'.repeat(32), { metrics: { loss: '3 0.3 2\n1 0.9 0\n2 0.5 1\n' } });
      const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
      await index.refresh();
      const h = await index.history([`mlflow:0/${'a'.repeat(32)}`]);
      // with each point's wall-clock time (the first field of a metric line, epoch ms), for the table's wall-time axis
      assert.deepEqual(h.series, [
        {
          runId: `mlflow:0/${'a'.repeat(32)}`,
          metric: 'loss',
          points: [
            [0, 0.9],
            [1, 0.5],
            [2, 0.3],
          ],
          times: [1, 2, 3],
        },
      ]);
    });
  });

  describe('MLflow mlflow.db (sql.js)', () => {
    it('reads runs, statuses, params, latest metrics and tags; hides deleted runs and experiments; never writes the file', async () => {
      const SQL = await loadSqlJs();
      const db = new SQL.Database();
      db.run(MLFLOW_DB_SCHEMA);
      db.run("INSERT INTO experiments VALUES (0,'Default','mlflow-artifacts:/0','active',1,1),(1,'digits','x','active',1,1),(2,'old','x','deleted',1,1)");
      db.run(
        "INSERT INTO runs (run_uuid,name,status,start_time,end_time,lifecycle_stage,experiment_id,user_id) VALUES ('r1','sql-good','FINISHED',1000,61000,'active',1,'u'),('r2','sql-failed','FAILED',2000,3000,'active',1,'u'),('r3','sql-deleted','FINISHED',1,2,'deleted',1,'u'),('r4','in-old','FINISHED',1,2,'active',2,'u'),('r5','sql-running','RUNNING',5000,NULL,'active',0,'u')",
      );
      db.run("INSERT INTO params VALUES ('lr','0.01','r1'),('epochs','5','r1')");
      db.run("INSERT INTO tags VALUES ('mlflow.source.git.commit','feedface','r1'),('mlflow.runName','sql-good','r1')");
      db.run("INSERT INTO metrics VALUES ('loss',0.9,10,'r1',0,0),('loss',0.4,20,'r1',1,0),('acc',0,10,'r1',0,1)");
      db.run("INSERT INTO latest_metrics VALUES ('loss',0.4,20,1,0,'r1'),('acc',0,10,0,1,'r1')");
      const bytes = Buffer.from(db.export());
      db.close();
      fs.writeFileSync(path.join(root, 'mlflow.db'), bytes);
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.deepEqual(runs.map((r) => r.name).sort(), ['sql-failed', 'sql-good', 'sql-running']);
      const good = byName(runs, 'sql-good');
      assert.equal(good.id, 'mlflow-db:r1');
      assert.equal(good.experiment, 'digits');
      assert.equal(good.status, 'finished');
      assert.equal(good.durationMs, 60000);
      assert.deepEqual(good.params, { lr: '0.01', epochs: '5' });
      assert.deepEqual(good.metrics, { loss: 0.4, acc: null });
      assert.equal(good.gitCommit, 'feedface');
      assert.equal(byName(runs, 'sql-failed').status, 'failed');
      assert.equal(byName(runs, 'sql-running').status, 'running');
      assert.deepEqual(fs.readFileSync(path.join(root, 'mlflow.db')), bytes);
      const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
      await index.refresh();
      const h = await index.history(['mlflow-db:r1'], ['loss']);
      assert.deepEqual(h.series[0].points, [
        [0, 0.9],
        [1, 0.4],
      ]);
    });

    it('a corrupt mlflow.db is one run with a warning', async () => {
      fs.writeFileSync(path.join(root, 'mlflow.db'), 'this is not sqlite at all, just text padding '.repeat(50));
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.equal(runs.length, 1);
      assert.match(runs[0].warnings[0], /mlflow\.db could not be read as SQLite/);
    });
  });

  describe('Lightning', () => {
    it('reads hparams with a !!python/tuple, final values from a sparse CRLF metrics.csv, checkpoints', async () => {
      lightningRun(root, 0);
      lightningRun(root, 1, {
        hparams: 'lr: 0.01\nmodel: !!python/object:proj.Model {width: 3}\n: broken\n',
        csv: 'epoch,step,val_acc\r\n0,10,0.5\r\n0,20,\r\n',
        ckpts: [],
      });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      const v0 = byName(runs, 'version_0');
      assert.equal(v0.id, 'lightning:version_0');
      assert.deepEqual(v0.params, { lr: 0.001, batch_size: 32, kernel: '[3,3]' });
      assert.deepEqual(v0.metrics, { train_loss: 0.3, val_loss: 0.2 });
      assert.equal(v0.details?.checkpoints, 'epoch=1-step=200.ckpt, last.ckpt');
      assert.equal(v0.details?.epochs, '2');
      assert.equal(v0.status, 'finished');
      const v1 = byName(runs, 'version_1');
      assert.deepEqual(v1.metrics, { val_acc: 0.5 });
      assert.equal(v1.params['model.width'], 3);
      const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
      await index.refresh();
      const h = await index.history(['lightning:version_0'], ['val_loss']);
      assert.deepEqual(h.series, [
        {
          runId: 'lightning:version_0',
          metric: 'val_loss',
          points: [
            [99, 0.25],
            [199, 0.2],
          ],
        },
      ]);
    });
  });

  describe('DVC experiments', () => {
    it('reads loose and packed refs/exps (skipping stash and celery) with params and metrics of each experiment and its baseline', async () => {
      const { baseline, exp1, exp2 } = dvcExperimentRepo(root);
      const { runs } = await listRuns(root, { useGit: true, now: LONG_AGO });
      const dvc = runs.filter((r) => r.source === 'dvc-exp');
      assert.deepEqual(dvc.map((r) => r.name).sort(), [`${baseline.slice(0, 7)} (baseline)`, 'exp-loose', 'exp-packed'].sort());
      const packed = byName(dvc, 'exp-packed');
      assert.equal(packed.gitCommit, exp1);
      assert.equal(packed.params['train.lr'], 0.1);
      assert.equal(packed.metrics.acc, 0.85);
      assert.equal(packed.experiment, `baseline ${baseline.slice(0, 7)}`);
      assert.equal(packed.command, 'dvc exp run -S train.lr=0.1');
      assert.equal(packed.details?.expHash, 'a1b2c3');
      const loose = byName(dvc, 'exp-loose');
      assert.equal(loose.gitCommit, exp2);
      assert.equal(loose.metrics.acc, 0.9);
      const base = byName(dvc, `${baseline.slice(0, 7)} (baseline)`);
      assert.equal(base.params['train.lr'], 0.01);
      assert.equal(base.metrics.acc, 0.8);
      assert.ok(fs.readFileSync(path.join(root, '.git/packed-refs'), 'utf8').includes('exp-packed'), 'the fixture really has a packed ref');
    });

    it('reads no git in an untrusted workspace and says so', async () => {
      dvcExperimentRepo(root);
      const { runs, notes } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.equal(runs.filter((r) => r.source === 'dvc-exp').length, 0);
      assert.match(notes.join(' '), /DVC experiments .* not read/);
    });
  });

  describe('index refresh', () => {
    it('re-reads only what changed and reports added, changed and removed runs', async () => {
      wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5}' });
      lightningRun(root, 0);
      const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
      await index.refresh();
      assert.equal(index.list().length, 2);
      const v = index.version;
      // nothing changed: same version
      assert.deepEqual(await index.refresh([path.join(root, 'wandb/run-20240501_100000-aaaa0001/files/output.log')]), { added: [], changed: [], removed: [] });
      assert.equal(index.version, v);
      // a new run appears, one finishes (its summary changes), one vanishes
      wandbRun(root, 'run-20240502_100000-bbbb0002', { format: 'current', summary: '{"loss": 0.4}' });
      writeTree(root, { 'wandb/run-20240501_100000-aaaa0001/files/wandb-summary.json': '{"loss": 0.1, "_wandb": {"runtime": 5}}' });
      rmrf(path.join(root, 'lightning_logs/version_0'));
      const diff = await index.refresh([
        'wandb/run-20240502_100000-bbbb0002',
        'wandb/run-20240501_100000-aaaa0001/files/wandb-summary.json',
        'lightning_logs/version_0',
      ]);
      assert.deepEqual(diff, {
        added: ['wandb:run-20240502_100000-bbbb0002'],
        changed: ['wandb:run-20240501_100000-aaaa0001'],
        removed: ['lightning:version_0'],
      });
      assert.equal(index.version, v + 1);
      assert.equal(index.get('wandb:run-20240501_100000-aaaa0001')!.metrics.loss, 0.1);
      // without hints, changes are found by (mtime, size)
      writeTree(root, { 'wandb/run-20240502_100000-bbbb0002/files/wandb-summary.json': '{"loss": 0.35}' });
      const d2 = await index.refresh();
      assert.deepEqual(d2.changed, ['wandb:run-20240502_100000-bbbb0002']);
    });

    it('knows which paths concern runs', async () => {
      const index = new RunIndex(root, { useGit: false });
      assert.ok(await index.concerns('wandb/run-x/files/config.yaml'));
      assert.ok(await index.concerns('mlflow.db'));
      assert.ok(await index.concerns('.git/refs/exps/ab/cd/x'));
      assert.ok(!(await index.concerns('src/../data/raw.csv'.replace('src/../', ''))));
    });

    it('a run folder that cannot be read (permissions) does not break the list', async function () {
      if (process.getuid?.() === 0) {
        // root reads everything: make the failure a folder where a file is expected instead
        wandbRun(root, 'run-20240501_100000-perm0001', { summary: '{}' });
        fs.rmSync(path.join(root, 'wandb/run-20240501_100000-perm0001/files/wandb-summary.json'));
        fs.mkdirSync(path.join(root, 'wandb/run-20240501_100000-perm0001/files/wandb-summary.json'));
      }
      wandbRun(root, 'run-20240501_110000-fine0001', { summary: '{"x": 1}' });
      const { runs } = await listRuns(root, { useGit: false, now: LONG_AGO });
      assert.equal(runs.length, process.getuid?.() === 0 ? 2 : 1);
      if (process.getuid?.() === 0) assert.match(byName(runs, 'perm0001').warnings.join(' '), /wandb-summary\.json is not a file/);
    });
  });

  it('the CLI-facing listing ignores a git repository without experiments', async () => {
    git(root, 'init', '-q');
    wandbRun(root, 'offline-run-20240502_080000-off00001', { txlog: wandbLog() });
    const { runs } = await listRuns(root, { useGit: true, now: LONG_AGO });
    assert.deepEqual(
      runs.map((r) => r.id),
      ['wandb:offline-run-20240502_080000-off00001'],
    );
  });
});
