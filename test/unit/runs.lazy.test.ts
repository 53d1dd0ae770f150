import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { listRuns, parseFlatYaml, parseYamlLoose, RunIndex } from '../../server/src/engine/runs';
import { formatValue, runDescription } from '../../shared/runFormat';
import { formatRunsTable } from '../../server/src/cli/format/runs';
import { patchRuns } from '../../client/src/runs/model';
import type { RunSummary, WireRun } from '../../shared/protocol';
import { runFromWire, runToWire } from '../../shared/runCodec';
import { hydraRun, lightningRun, mlflowExperiment, mlflowRun, WANDB_METADATA, wandbRun } from '../support/runFixtures';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

const LONG_AGO = () => Date.parse('2030-01-01T00:00:00Z');

/** Runs of every file-based source, plus the cases a summary cannot see: a deleted MLflow run, a folder without .hydra/. */
function mixedWorkspace(root: string): void {
  hydraRun(root, 'outputs/2024-05-01/12-30-00', { job: 'train', overrides: ['model.lr=0.1'] });
  hydraRun(root, 'outputs/2024-05-01/13-00-00', { job: 'train' });
  hydraRun(root, 'multirun/2024-05-02/09-00-00/0', { job: 'train', num: 0, mode: 'MULTIRUN' });
  writeTree(root, { 'outputs/2024-05-03/10-00-00/notes.txt': 'not a job folder\n' });
  wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5, "_wandb": {"runtime": 60}}', metadata: WANDB_METADATA });
  wandbRun(root, 'offline-run-20240502_100000-bbbb0002', { format: 'legacy' });
  mlflowExperiment(root, '1', 'exp-one');
  mlflowRun(root, '1', 'a'.repeat(32), {
    name: 'kept',
    start: Date.UTC(2024, 4, 1),
    end: Date.UTC(2024, 4, 1, 0, 5),
    params: { lr: '0.1' },
    metrics: { loss: '1 0.5 0\n2 0.25 1\n' },
  });
  mlflowRun(root, '1', 'b'.repeat(32), { name: 'gone', start: Date.UTC(2024, 4, 2), lifecycle: 'deleted' });
  lightningRun(root, 0);
  lightningRun(root, 1, { hparams: 'lr: 0.01\nlayers: !!python/tuple\n- 1\n- 2\n' });
}

describe('runs: lazy listing (summaries first, params and metrics later)', () => {
  let root = '';
  beforeEach(() => {
    root = tmpDir('mlh-runs-lazy-');
    mixedWorkspace(root);
  });
  afterEach(() => rmrf(root));

  it('a lazy index, once its details are loaded, holds exactly what the full read gives', async () => {
    const full = (await listRuns(root, { useGit: false, now: LONG_AGO })).runs;
    assert.ok(full.length >= 8, `fixture runs: ${full.map((r) => r.id).join(', ')}`);
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO, lazyMinLocations: 0 });
    const first = await index.refresh(undefined, { lazy: true });
    const summaries = index.list();
    assert.ok(
      summaries.every((r) => r.pending),
      'every file-based run starts as a summary',
    );
    assert.equal(index.pending, summaries.length);
    assert.ok(
      summaries.every((r) => Object.keys(r.params).length === 0 && Object.keys(r.metrics).length === 0),
      'no params or metrics parsed yet',
    );
    // the summary lists every run the full read lists, under the same ids and sources
    const fullIds = new Set(full.map((r) => r.id));
    for (const id of fullIds)
      assert.ok(
        summaries.some((r) => r.id === id),
        `summary misses ${id}`,
      );
    assert.deepEqual(first.added.sort(), summaries.map((r) => r.id).sort());
    // W&B and Lightning know their experiment from the folder already
    for (const r of summaries.filter((x) => x.source === 'wandb' || x.source === 'lightning'))
      assert.equal(r.experiment, full.find((f) => f.id === r.id)!.experiment, r.id);

    const d = await index.loadDetails();
    assert.equal(index.pending, 0);
    assert.deepEqual(index.list(), full, 'after loading details the list equals the full read');
    // what the summary could not know is reported: the deleted MLflow run and the folder without .hydra/ go away
    assert.deepEqual(d.removed.sort(), ['hydra:outputs/2024-05-03/10-00-00', `mlflow:1/${'b'.repeat(32)}`]);
    assert.ok(d.changed.includes(`mlflow:1/${'a'.repeat(32)}`));
  });

  it('the wire form of a run leaves out its defaults and its folder, and gives back the same run', async () => {
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO, lazyMinLocations: 0 });
    await index.refresh(undefined, { lazy: true });
    const summaries = structuredClone(index.list());
    await index.loadDetails();
    const full = structuredClone(index.list());
    assert.ok(full.some((r) => r.status !== 'unknown') && full.some((r) => Object.keys(r.params).length) && full.some((r) => Object.keys(r.metrics).length));
    for (const runs of [summaries, full]) {
      const wire = runs.map((r) => runToWire(r, root));
      // what JSON carries
      const back = (JSON.parse(JSON.stringify(wire)) as WireRun[]).map((w) => runFromWire(w, root));
      assert.deepEqual(back, JSON.parse(JSON.stringify(runs)));
    }
    const w = runToWire(summaries[0], root);
    for (const k of ['status', 'params', 'metrics', 'warnings', 'workspaceFolder', 'source']) assert.ok(!(k in w), `${k} left out of a summary`);
    assert.ok(w.folder && !path.isAbsolute(w.folder) && path.join(root, w.folder) === summaries[0].folder, `folder relative: ${w.folder}`);
    assert.ok(JSON.stringify(summaries.map((r) => runToWire(r, root))).length < 0.6 * JSON.stringify(summaries).length);
    // full runs: their config and log files too
    const withConfig = runToWire(
      full.find((r) => r.configFile)!,
      root,
    );
    const withLog = runToWire(
      full.find((r) => r.logFile)!,
      root,
    );
    assert.ok(!path.isAbsolute(withConfig.configFile!) && !path.isAbsolute(withLog.logFile!));
    // a run of another folder keeps its own; what differs from the defaults stays; a path outside stays absolute; a
    // source the id does not start with (mlflow.db runs: `mlflow-db:...`) is sent
    const other = runToWire({ ...full[0], workspaceFolder: '/elsewhere', status: 'failed', warnings: ['x'], id: 'mlflow-db:1', source: 'mlflow' }, root);
    assert.equal(other.workspaceFolder, '/elsewhere');
    assert.equal(other.folder, full[0].folder, 'outside /elsewhere: absolute');
    assert.equal(other.source, 'mlflow');
    assert.equal(runFromWire(structuredClone(other), root).source, 'mlflow');
    assert.equal(other.status, 'failed');
    assert.deepEqual(other.warnings, ['x']);
    assert.equal(runFromWire(other, root).workspaceFolder, '/elsewhere');
  });

  it('loads the runs asked for first, the rest in newest-first batches; a small workspace is read at once', async () => {
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO, lazyMinLocations: 0 });
    await index.refresh(undefined, { lazy: true });
    const before = index.pending;
    const d = await index.loadDetails({ ids: ['lightning:version_1'] });
    assert.deepEqual(d.changed, ['lightning:version_1']);
    assert.equal(index.pending, before - 1);
    assert.deepEqual(index.get('lightning:version_1')!.params, { lr: 0.01, layers: '[1,2]' });
    assert.equal(index.get('lightning:version_1')!.pending, undefined);
    // the newest pending runs (by the summary's time) go first
    const newest = index
      .list()
      .filter((r) => r.pending)
      .slice(0, 2)
      .map((r) => r.id);
    const batch = await index.loadDetails({ limit: 2 });
    assert.deepEqual([...batch.changed, ...batch.removed].sort(), newest.sort());
    // below the threshold a lazy refresh reads everything
    const small = new RunIndex(root, { useGit: false, now: LONG_AGO });
    await small.refresh(undefined, { lazy: true });
    assert.equal(small.pending, 0);
    assert.ok(small.list().some((r) => Object.keys(r.metrics).length > 0));
  });

  it('a file event in a summarized run folder reads that run in full', async () => {
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO, lazyMinLocations: 0 });
    await index.refresh(undefined, { lazy: true });
    const id = 'wandb:run-20240501_100000-aaaa0001';
    assert.equal(index.locationOf(`${root}/wandb/run-20240501_100000-aaaa0001/files/wandb-summary.json`), id);
    assert.equal(index.locationOf(`${root}/wandb/run-20990101_000000-new00001/files/config.yaml`), undefined);
    const d = await index.refresh([`${root}/wandb/run-20240501_100000-aaaa0001/files/wandb-summary.json`]);
    assert.deepEqual(d.changed, [id]);
    assert.equal(index.get(id)!.pending, undefined);
    assert.equal(index.get(id)!.metrics.loss, 0.5);
    assert.equal(index.get(id)!.status, 'finished');
  });
});

describe('runs: flat YAML fast path', () => {
  const agree = [
    "artifact_uri: file:///home/u/mlruns/0/abc/artifacts\nend_time: 1714567890123\nentry_point_name: ''\nexperiment_id: '0'\nlifecycle_stage: active\nrun_name: bold-fox-12\nstatus: 3\ntags: []\nuser_id: me\n",
    'lr: 0.001\nbatch_size: 32\nuse_amp: true\nname: resnet50\nscheduler: null\nempty:\nmomentum: .9\nexp: 1e-05\nversion: 1.2.3\nflag: False\nneg: -3\nplus: +7\n',
    'a: b\r\nc: 12\r\n',
  ];
  const fallBack = [
    'model:\n  lr: 0.1\n', // nested
    'a: 1\na: 2\n', // duplicate keys
    'a: "quoted \\n escape"\n',
    'a: x # comment\n',
    'a: &anchor 1\nb: *anchor\n',
    'a: !!python/tuple [1, 2]\n',
    'a: 0x1F\n',
    'a: .inf\n',
    'a: 12345678901234567890\n',
    'a: b: c\n',
    '# only a comment\n',
    '',
    'null: 1\n',
    '- a\n- b\n',
  ];
  for (const text of agree) {
    it(`reads ${JSON.stringify(text.slice(0, 30))}… as the yaml library does`, () => {
      const flat = parseFlatYaml(text);
      assert.ok(flat, 'the fast path takes it');
      assert.deepEqual(flat, parseYaml(text));
    });
  }
  for (const text of fallBack) {
    it(`leaves ${JSON.stringify(text)} to the yaml library`, () => {
      assert.equal(parseFlatYaml(text), undefined);
      // and parseYamlLoose still gives the library's value
      const lib = (() => {
        try {
          return parseYaml(text, { uniqueKeys: false, logLevel: 'silent' });
        } catch {
          return undefined;
        }
      })();
      if (lib !== undefined && !text.includes('!!python')) assert.deepEqual(parseYamlLoose(text, 'x.yaml').value, lib ?? null);
    });
  }
});

describe('runs: one formatting for the view and the CLI', () => {
  const run: RunSummary = {
    id: 'a',
    source: 'wandb',
    name: 'a',
    status: 'finished',
    startTime: new Date(2024, 4, 1, 12, 30).getTime(),
    durationMs: 185_000,
    gitCommit: '0123abcdef',
    params: { lr: 0.000123456789 },
    metrics: { loss: null },
    warnings: [],
  };

  it('the view and the table write values and times the same way, with their own words for missing and NaN', () => {
    assert.equal(runDescription(run), 'finished · 2024-05-01 12:30 · 3m 05s · 0123abc');
    assert.equal(formatValue(run.params.lr), '0.000123457');
    assert.equal(formatValue(undefined), '—');
    assert.equal(formatValue(null), 'NaN/∞');
    const table = formatRunsTable([run], ['lr', 'missing'], ['loss']).split('\n')[1];
    assert.match(table, /2024-05-01 12:30 +3m 05s +0123abc +0\.000123457 +nan/);
    assert.equal(runDescription({ ...run, status: 'unknown', pending: true, durationMs: undefined, gitCommit: undefined }), 'reading… · 2024-05-01 12:30');
  });

  it("patches a list with a notification's runs, newest first, without listing again", () => {
    const mk = (id: string, t: number): RunSummary => ({
      id,
      source: 'wandb',
      name: id,
      status: 'finished',
      startTime: t,
      params: {},
      metrics: {},
      warnings: [],
    });
    const list = [mk('c', 30), mk('b', 20), mk('a', 10)];
    const out = patchRuns(list, [mk('new', 25), { ...mk('a', 10), status: 'failed' }], ['c']);
    assert.deepEqual(
      out.map((r) => r.id),
      ['new', 'b', 'a'],
    );
    assert.equal(out[2].status, 'failed');
  });
});
