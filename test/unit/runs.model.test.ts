import * as assert from 'node:assert/strict';
import { chartHtml, compareHtml, compareRows, lineChartSvg, niceTicks } from '../../client/src/runs/html';
import {
  buildTree,
  matches,
  nodeDescription,
  parseFilter,
  runChildren,
  runContext,
  runDescription,
  runTooltip,
  sectionChildren,
  sortRuns,
  type RunNode,
} from '../../client/src/runs/model';
import { listRuns, RunIndex } from '../../server/src/engine/runs';
import type { RunSummary } from '../../shared/protocol';
import { hydraRun, lightningRun, mlflowExperiment, mlflowRun, WANDB_METADATA, wandbRun } from '../support/runFixtures';
import { rmrf, tmpDir, writeTree } from '../support/tmp';

const LONG_AGO = () => Date.parse('2030-01-01T00:00:00Z');
// times in fixture folder names are local; MLflow times are UTC: the order below holds in any time zone within ±8h

/** A workspace with runs of four sources, read by the real readers. */
function workspace(): string {
  const root = tmpDir('mlh-runtree-');
  hydraRun(root, 'outputs/2024-05-01/10-00-00', { config: 'lr: 0.1\nseed: 1\n' });
  writeTree(root, { 'multirun/2024-05-03/09-00-00/multirun.yaml': 'hydra: {}\n' });
  hydraRun(root, 'multirun/2024-05-03/09-00-00/0', { config: 'lr: 0.01\nseed: 1\n', overrides: ['lr=0.01'] });
  hydraRun(root, 'multirun/2024-05-03/09-00-00/1', { config: 'lr: 0.001\nseed: 1\n', overrides: ['lr=0.001'] });
  wandbRun(root, 'run-20240502_100000-wb000001', {
    format: 'current',
    summary: '{"val_loss": 0.25, "acc": 0.91, "_wandb": {"runtime": 10}}',
    metadata: WANDB_METADATA,
  });
  wandbRun(root, 'run-20240504_100000-wb000002', { format: 'legacy', summary: '{"val_loss": 0.4, "acc": 0.85}' });
  wandbRun(root, 'offline-run-20240505_100000-wb000003', {});
  mlflowExperiment(root, '0', 'Default');
  mlflowExperiment(root, '7', 'digits');
  mlflowRun(root, '7', 'a'.repeat(32), {
    name: 'mlf-a',
    start: Date.parse('2024-04-01T00:00:00Z'),
    end: Date.parse('2024-04-01T00:10:00Z'),
    params: { lr: '0.01' },
    metrics: { val_loss: '1 0.3 0\n' },
  });
  mlflowRun(root, '7', 'b'.repeat(32), {
    name: 'mlf-b',
    status: 4,
    start: Date.parse('2024-04-02T00:00:00Z'),
    params: { lr: '0.1' },
    metrics: { val_loss: '1 0.5 0\n' },
  });
  lightningRun(root, 0);
  return root;
}

describe('runs: tree model (client/src/runs/model.ts, no vscode)', () => {
  let root = '';
  let runs: RunSummary[] = [];
  before(async () => {
    root = workspace();
    runs = (await listRuns(root, { useGit: false, now: LONG_AGO })).runs;
  });
  after(() => rmrf(root));

  it('groups by source (fixed order) and experiment, newest first', () => {
    const { roots, shown, total } = buildTree(runs, '', { by: 'newest' });
    assert.equal(total, 9);
    assert.equal(shown, 9);
    assert.deepEqual(
      roots.map((r) => `${r.label} (${nodeDescription(r)})`),
      ['Hydra (3 runs)', 'Weights & Biases (3 runs)', 'MLflow (2 runs)', 'Lightning (1 run)'],
    );
    const hydra = roots[0] as Extract<RunNode, { kind: 'source' }>;
    assert.deepEqual(
      hydra.children.map((e) => e.label),
      ['multirun multirun/2024-05-03/09-00-00', 'train'],
    );
    const wb = (roots[1] as Extract<RunNode, { kind: 'source' }>).children[0] as Extract<RunNode, { kind: 'experiment' }>;
    assert.deepEqual(
      wb.children.map((r) => r.label),
      ['wb000003', 'wb000002', 'wb000001'],
    );
    const mlf = (roots[2] as Extract<RunNode, { kind: 'source' }>).children[0] as Extract<RunNode, { kind: 'experiment' }>;
    assert.equal(mlf.label, 'digits');
    assert.equal(mlf.description, '2 runs');
  });

  it('a run shows status, start, duration and commit; expands to parameters and final metrics', () => {
    const r = runs.find((x) => x.name === 'wb000001')!;
    const { roots } = buildTree([r], '', { by: 'newest' });
    const node = ((roots[0] as Extract<RunNode, { kind: 'source' }>).children[0] as Extract<RunNode, { kind: 'experiment' }>).children[0] as Extract<
      RunNode,
      { kind: 'run' }
    >;
    assert.equal(node.label, 'wb000001');
    assert.match(runDescription(node.run), /^finished · 2024-05-01 \d\d:00 · 10s · 0123456$/);
    assert.match(runTooltip(node.run), /git commit: 0123456789abcdef/);
    assert.equal(runContext(r), 'run config folder command');
    const kids = runChildren(r);
    assert.deepEqual(
      kids.map((k) => `${k.label} ${nodeDescription(k)}`),
      ['Parameters 4', 'Metrics 2', 'Details 4'],
    );
    const metrics = sectionChildren(kids[1] as Extract<RunNode, { kind: 'section' }>);
    assert.deepEqual(
      metrics.map((m) => `${m.label}=${nodeDescription(m)}`),
      ['acc=0.91', 'val_loss=0.25'],
    );
  });

  it('filters by name, by param value (also a nested key by its last part) and by metric threshold', () => {
    assert.deepEqual(parseFilter('lr=0.01 val_loss<0.3 abc'), [
      { key: 'lr', op: '=', value: '0.01' },
      { key: 'val_loss', op: '<', value: '0.3' },
      { value: 'abc' },
    ]);
    const names = (f: string) =>
      buildTree(runs, f, { by: 'newest' })
        .roots.flatMap((s) =>
          (s as Extract<RunNode, { kind: 'source' }>).children.flatMap((e) => (e as Extract<RunNode, { kind: 'experiment' }>).children.map((r) => r.label)),
        )
        .sort();
    assert.deepEqual(names('lr=0.01'), ['0', 'mlf-a', 'wb000002']); // a Hydra number, an MLflow string param, a legacy W&B config value
    assert.deepEqual(names('val_loss<0.3'), ['version_0', 'wb000001']);
    assert.deepEqual(names('val_loss<=0.3 mlf'), ['mlf-a']);
    assert.deepEqual(names('acc>=0.9'), ['wb000001']);
    assert.deepEqual(names('failed'), ['mlf-b']);
    assert.deepEqual(names('lr!=0.01 source'), []);
    assert.deepEqual(names('nosuchmetric>1'), []);
    assert.equal(buildTree(runs, 'val_loss<0.3', { by: 'newest' }).shown, 2);
    const wb = runs.find((r) => r.name === 'wb000002')!; // legacy config: optimizer.name
    assert.ok(matches(wb, parseFilter('name=adam')));
  });

  it('sorts by any metric, runs without it last', () => {
    const sorted = sortRuns(runs, { by: 'metric', metric: 'val_loss', order: 'asc' }).map((r) => r.name);
    assert.deepEqual(sorted.slice(0, 5), ['version_0', 'wb000001', 'mlf-a', 'wb000002', 'mlf-b']);
    const desc = sortRuns(runs, { by: 'metric', metric: 'val_loss', order: 'desc' }).map((r) => r.name);
    assert.deepEqual(desc.slice(0, 2), ['mlf-b', 'wb000002']);
    assert.deepEqual(
      sortRuns(runs, { by: 'oldest' })
        .map((r) => r.name)
        .slice(0, 3),
      ['mlf-a', 'version_0', 'mlf-b'],
    );
  });

  it('compare marks differing params and metrics', () => {
    const a = runs.find((r) => r.name === 'mlf-a')!;
    const b = runs.find((r) => r.name === 'mlf-b')!;
    assert.deepEqual(compareRows([a, b], 'params'), [{ key: 'lr', values: ['0.01', '0.1'], differs: true }]);
    const h0 = runs.find((r) => r.id === 'hydra:multirun/2024-05-03/09-00-00/0')!;
    const h1 = runs.find((r) => r.id === 'hydra:multirun/2024-05-03/09-00-00/1')!;
    const rows = compareRows([h0, h1], 'params');
    assert.deepEqual(
      rows.map((r) => `${r.key}:${r.differs}`),
      ['lr:true', 'seed:false'],
    );
    const html = compareHtml([h0, h1], 'vscode-resource:');
    assert.match(html, /<tr class="differs"><td class="key">lr<\/td><td>0\.01<\/td><td>0\.001<\/td><\/tr>/);
    assert.match(html, /<tr class=""><td class="key">seed<\/td>/);
    assert.match(html, /\(1 of 2 differ\)/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('charts a metric history of several runs overlaid as SVG, with gaps for NaN', async () => {
    lightningRun(root, 1, { csv: 'epoch,step,val_loss\r\n0,10,0.9\r\n0,20,nan\r\n0,30,0.5\r\n0,40,0.4\r\n' });
    const index = new RunIndex(root, { useGit: false, now: LONG_AGO });
    await index.refresh();
    const ids = ['lightning:version_0', 'lightning:version_1'];
    const h = await index.history(ids, ['val_loss']);
    assert.equal(h.series.length, 2);
    const html = chartHtml(
      ids.map((id) => index.get(id)!),
      h.series,
      h.warnings,
      'vscode-resource:',
    );
    assert.equal((html.match(/<svg /g) ?? []).length, 1, 'one chart for one metric');
    assert.equal((html.match(/<polyline /g) ?? []).length, 2, 'version_0 is one line; version_1 a dot then a line after the NaN gap');
    assert.equal((html.match(/<circle /g) ?? []).length, 1);
    assert.match(html, /stroke="#4e79a7"/);
    assert.match(html, /stroke="#f28e2b"/);
    assert.doesNotMatch(html, /<script/);
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.match(lineChartSvg('x', [{ label: 'a', points: [[0, null]] }]), /no finite values/);
  });
});
