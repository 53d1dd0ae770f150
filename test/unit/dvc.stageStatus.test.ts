import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES, Engine, Workspace } from '../../server/src/engine';
import { dataStatus } from '../../server/src/engine/dvc/data';
import { stageStatusReports } from '../../server/src/engine/rules/dvc/stageStatus';
import { stageRow } from '../../client/src/versioning/dataModel';
import { dvcProject } from '../support/dvc';
import { rmrf } from '../support/tmp';

/**
 * DVC066 from the native status of a real git + DVC layout (test/support/dvc.ts: `dvc add`/`dvc repro` as they leave a
 * project: .dvc files and dvc.lock committed, data git-ignored, objects in .dvc/cache; DVC 3 md5s of the raw bytes,
 * folders as `.dir` manifests, formats.md 1.3-1.6). dvc.yaml there: `stages:` / `  train:` (line 2) / `  evaluate:`.
 */
describe('DVC066: the stage status on the stage in dvc.yaml', () => {
  let root = '';
  let hashCache = '';
  beforeEach(() => {
    root = dvcProject();
    hashCache = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-hc-'));
  });
  afterEach(() => {
    rmrf(root);
    rmrf(hashCache);
  });

  const findings = async (overrides: ConstructorParameters<typeof Engine>[2] = []) => {
    const ws = await Workspace.load(root);
    const engine = new Engine(ws, ALL_RULES, overrides);
    engine.checkAll();
    const status = await dataStatus(ws, { cacheDir: hashCache });
    engine.setBackgroundReports('dvc-status', stageStatusReports(ws, status));
    return { engine, all: engine.allFindings().filter((f) => f.code === 'DVC066') };
  };

  it("must not fire: every stage that ran is up to date (the never-run stage is DVC020's)", async () => {
    const { all } = await findings();
    assert.deepEqual(all, []);
  });

  it('fires on the stage whose dep changed, at its name, with what changed; checkAll keeps it', async () => {
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR');
    fs.writeFileSync(path.join(root, 'params.yaml'), 'train:\n  lr: 0.01\n  epochs: 3\n');
    const { engine, all } = await findings();
    assert.deepEqual(
      all.map((f) => ({ file: f.file, severity: f.severity, message: f.message, start: f.range.start })),
      [
        {
          file: 'dvc.yaml',
          severity: 'info',
          message: 'stage `train` is out of date: data changed, params.yaml: train.lr changed (0.1 -> 0.01)',
          start: { line: 1, character: 2 },
        },
      ],
    );
    engine.checkAll();
    assert.equal(engine.findingsFor('dvc.yaml').filter((f) => f.code === 'DVC066').length, 1, 'a full re-check keeps the background findings');
    // a changed dep and a deleted output: both said
    fs.writeFileSync(path.join(root, 'params.yaml'), 'train:\n  lr: 0.1\n  epochs: 3\n');
    fs.rmSync(path.join(root, 'model.bin'));
    const again = await findings();
    assert.deepEqual(
      again.all.map((f) => f.message),
      ['stage `train` is out of date: data changed, output model.bin is missing'],
    );
  });

  it('must not fire on a clone where dvc pull has not run (deps and outs only missing)', async () => {
    fs.rmSync(path.join(root, 'data'), { recursive: true });
    fs.rmSync(path.join(root, 'model.bin'));
    const { all } = await findings();
    assert.deepEqual(all, []);
  });

  it('honours the settings and suppression comments like any rule', async () => {
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR');
    assert.deepEqual((await findings([{ ignore: ['DVC066'] }])).all, []);
    assert.equal((await findings([{ severity: { DVC066: 'warning' } }])).all[0].severity, 'warning');
    const yaml = fs.readFileSync(path.join(root, 'dvc.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'dvc.yaml'), yaml.replace('  train:\n', '  # mlops-hygiene: ignore[DVC066] -- retrained next week\n  train:\n'));
    const { engine, all } = await findings();
    assert.deepEqual(all, []);
    assert.ok(!engine.allFindings().some((f) => f.code === 'MLH005'), 'the suppression is used');
  });

  it('the Data view shows each stage with the same status (rows as data)', async () => {
    fs.writeFileSync(path.join(root, 'data', 'bar'), 'BAR');
    const status = await dataStatus(await Workspace.load(root), { cacheDir: hashCache });
    const rows = status.stages.map(stageRow);
    assert.deepEqual(
      rows.map((r) => `${r.label}: ${r.description}`),
      ['stage train: out of date: data changed', 'stage evaluate: never run'],
    );
    assert.match(rows[0].tooltip, /`dvc repro train`/);
    assert.equal(stageRow({ name: 'sub/dvc.yaml:prep', state: 'up-to-date', changes: [] }).label, 'stage prep');
  });
});
