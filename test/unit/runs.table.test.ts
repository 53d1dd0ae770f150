import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tableHtml } from '../../client/src/runs/table';
import { listRuns } from '../../server/src/engine/runs';
import { runsTable } from '../../server/src/engine/runs/table';
import type { RunsTableColumn, RunsTableRow, RunSummary } from '../../shared/protocol';
import { hydraRun, mlflowExperiment, mlflowRun } from '../support/runFixtures';
import { PROJECT_ROOT, rmrf, tmpDir } from '../support/tmp';

/** The webview script's pure functions (media/runsTable.js exports them when loaded outside a webview). */
interface TableLogic {
  parseFilter(text: string): { key?: string; op?: string; value: string }[];
  matches(row: RunsTableRow, columns: RunsTableColumn[], terms: ReturnType<TableLogic['parseFilter']>): boolean;
  sortRows(rows: RunsTableRow[], col: string | number, dir: 'asc' | 'desc'): RunsTableRow[];
  defaultColumns(columns: RunsTableColumn[], max: number): string[];
  visibleRange(scrollTop: number, viewHeight: number, rowHeight: number, count: number, overscan: number): { first: number; last: number };
  ticks(lo: number, hi: number, count: number, integer: boolean): number[];
  xScaleFor(ranges: [number, number][]): 'linear' | 'log';
  xValues(series: { points: [number, number | null][]; times?: number[] }, mode: 'step' | 'time'): number[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const logic = require(path.join(PROJECT_ROOT, 'media', 'runsTable.js')) as TableLogic;

const run = (id: string, params: RunSummary['params'], metrics: RunSummary['metrics'] = {}, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  source: 'mlflow',
  name: id,
  status: 'finished',
  params,
  metrics,
  warnings: [],
  ...extra,
});

describe('experiments table: rows and columns from the engine (runs/table.ts)', () => {
  it('params that differ come first, then the same ones, then metrics; values aligned, missing as null', () => {
    const t = runsTable([
      run('a', { lr: 0.1, seed: 1, opt: 'adam' }, { loss: 0.5 }),
      run('b', { lr: 0.01, seed: 1, opt: 'adam', depth: 4 }, { loss: 0.3, acc: 0.9 }),
    ]);
    assert.deepEqual(
      t.columns.map((c) => `${c.kind}:${c.key}${c.differs ? '*' : ''}`),
      ['param:depth*', 'param:lr*', 'param:opt', 'param:seed', 'metric:acc*', 'metric:loss*'],
    );
    assert.deepEqual(t.rows[0].values, [null, 0.1, 'adam', 1, null, 0.5]);
    assert.deepEqual(t.rows[1].values, [4, 0.01, 'adam', 1, 0.9, 0.3]);
    assert.equal(t.total, 2);
  });

  it('reads real runs (Hydra, MLflow parent/child): config and folder known per row', async () => {
    const root = tmpDir('mlh-table-');
    try {
      hydraRun(root, 'outputs/2024-05-01/10-00-00', { config: 'lr: 0.1\nseed: 1\n' });
      mlflowExperiment(root, '0', 'Default');
      mlflowRun(root, '0', 'a'.repeat(32), { name: 'parent', params: { lr: '0.2' } });
      mlflowRun(root, '0', 'b'.repeat(32), { name: 'child', params: { lr: '0.3' }, tags: { 'mlflow.parentRunId': 'a'.repeat(32) } });
      const { runs } = await listRuns(root, { useGit: false });
      const t = runsTable(runs);
      const byName = new Map(t.rows.map((r) => [r.name, r]));
      assert.equal(byName.get('2024-05-01/10-00-00')?.config, true, 'the Hydra config is openable');
      assert.equal(byName.get('2024-05-01/10-00-00')?.folder, true);
      assert.equal(byName.get('child')?.parentId, `mlflow:0/${'a'.repeat(32)}`);
      assert.ok(t.columns.find((c) => c.key === 'lr')?.differs);
    } finally {
      rmrf(root);
    }
  });
});

describe('experiments table: the webview logic (media/runsTable.js)', () => {
  const columns: RunsTableColumn[] = [
    { key: 'model.lr', kind: 'param', differs: true },
    { key: 'seed', kind: 'param', differs: false },
    { key: 'val_loss', kind: 'metric', differs: true },
  ];
  const rows: RunsTableRow[] = [
    { id: 'a', name: 'alpha', status: 'finished', values: [0.1, 1, 0.3] },
    { id: 'b', name: 'beta', status: 'failed', values: [0.01, 1, 0.25] },
    { id: 'c', name: 'gamma', status: 'finished', values: [0.001, 1] },
    { id: 'd', name: 'run-10', status: 'finished', values: ['0.5', 1, 0.4] },
  ];

  it('sorts numbers numerically (strings holding numbers too), missing values last in both directions', () => {
    assert.deepEqual(
      logic.sortRows(rows, 2, 'asc').map((r) => r.id),
      ['b', 'a', 'd', 'c'],
    );
    assert.deepEqual(
      logic.sortRows(rows, 2, 'desc').map((r) => r.id),
      ['d', 'a', 'b', 'c'],
    );
    assert.deepEqual(
      logic.sortRows(rows, 0, 'desc').map((r) => r.id),
      ['d', 'a', 'b', 'c'],
    );
    assert.deepEqual(
      logic.sortRows(rows, 'name', 'asc').map((r) => r.id),
      ['a', 'b', 'c', 'd'],
    );
  });

  it('filters like the Runs view: words, key=value (also by the last part of a nested key), metric<x', () => {
    const f = (text: string) => rows.filter((r) => logic.matches(r, columns, logic.parseFilter(text))).map((r) => r.id);
    assert.deepEqual(f('failed'), ['b']);
    assert.deepEqual(f('lr=0.01'), ['b']);
    assert.deepEqual(f('val_loss<0.3'), ['b']);
    assert.deepEqual(f('val_loss>=0.3 seed=1'), ['a', 'd']);
    assert.deepEqual(f('val_loss!=0.3'), ['b', 'c', 'd'], 'a run without the metric differs from it');
  });

  it('default columns: the params that differ, then the metrics; the window of rows to render', () => {
    assert.deepEqual(logic.defaultColumns(columns, 12), ['model.lr', 'val_loss']);
    assert.deepEqual(logic.visibleRange(0, 600, 24, 10000, 10), { first: 0, last: 35 });
    assert.deepEqual(logic.visibleRange(24 * 5000, 600, 24, 10000, 10), { first: 4990, last: 5035 });
    assert.deepEqual(logic.visibleRange(24 * 9990, 600, 24, 10000, 10), { first: 9980, last: 10000 });
  });

  it("chart: integer step ticks, log x when step ranges differ a lot, wall time from the points' times", () => {
    assert.deepEqual(logic.ticks(0, 7, 8, true), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(
      logic.ticks(0, 3, 8, true).every((t) => Number.isInteger(t)),
      'never 0.5 steps',
    );
    assert.deepEqual(logic.ticks(0, 1, 5, false), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.equal(
      logic.xScaleFor([
        [0, 10],
        [0, 5000],
      ]),
      'log',
      'a 10-step run next to a 5,000-step one',
    );
    assert.equal(
      logic.xScaleFor([
        [0, 100],
        [0, 150],
      ]),
      'linear',
    );
    assert.deepEqual(
      logic.xValues(
        {
          points: [
            [0, 1],
            [10, 2],
          ],
          times: [1_700_000_000_000, 1_700_000_003_500],
        },
        'time',
      ),
      [0, 3.5],
    );
    assert.deepEqual(
      logic.xValues(
        {
          points: [
            [0, 1],
            [10, 2],
          ],
        },
        'time',
      ),
      [0, 10],
      'no times recorded: steps',
    );
  });

  it("the page has a strict CSP: only the extension's script and style, nothing inline, no network", () => {
    const html = tableHtml({
      cspSource: 'vscode-resource:',
      scriptUri: 'vscode-resource:/media/runsTable.js',
      styleUri: 'vscode-resource:/media/runsTable.css',
      title: 'Experiments',
    });
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src vscode-resource:;/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.doesNotMatch(html, /<script>(?!<\/script>)|style="/, 'no inline script or style attribute');
    assert.match(html, /role="grid"/);
  });
});
