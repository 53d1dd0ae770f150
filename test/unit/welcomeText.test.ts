import * as assert from 'node:assert/strict';
import { dataStartRows, runsStartRows, type WelcomeRow } from '../../client/src/welcomeText';
import type { FolderLayout } from '../../shared/protocol';

const folder = (over: Partial<FolderLayout>): FolderLayout => ({ folder: '/w/proj', checked: true, dvc: false, pipeline: false, ...over });
const labels = (rows: WelcomeRow[]) => rows.map((r) => (r.description ? `${r.label} · ${r.description}` : r.label));
const lightningHydra = folder({ startCommand: 'python src/train.py', trainScript: 'src/train.py', configDir: 'configs' });
const hydraTutorial = folder({ startCommand: 'python my_app.py', trainScript: 'my_app.py', configDir: 'conf' });

describe('the Runs and Data views of an empty workspace name its own paths (message rows)', () => {
  it('Runs: the real training command and its config folder, then Start a Training Run when trusted', () => {
    const rows = runsStartRows([lightningHydra], true);
    assert.deepEqual(labels(rows), ['No runs yet. Start one with:', 'python src/train.py · configs in configs/', 'Start a Training Run']);
    assert.deepEqual(rows[1].command, { command: 'mlopsHygiene.runs.startTraining', title: 'Start a Training Run', arguments: ['/w/proj'] });
    assert.equal(rows[2].command?.command, 'mlopsHygiene.runs.startTraining');
    assert.match(rows[1].tooltip, /src\/train\.py is the training script of \/w\/proj; its configs are in configs\//);
    const restricted = runsStartRows([hydraTutorial], false);
    assert.deepEqual(labels(restricted), ['No runs yet. Start one with:', 'python my_app.py · configs in conf/'], 'no action row in a restricted workspace');
    assert.equal(restricted[1].command, undefined);
    assert.deepEqual(labels(runsStartRows([folder({ startCommand: 'dvc exp run', pipeline: true })], true)), [
      'No runs yet. Start one with:',
      'dvc exp run',
      'Start a Training Run',
    ]);
  });

  it('Runs: nothing when no command is known (the static welcome and its buttons stay)', () => {
    assert.deepEqual(runsStartRows([folder({ configDir: 'configs' })], true), []);
    assert.deepEqual(runsStartRows([], true), []);
  });

  it('Runs, multi-root: each folder by name; a folder without a script adds nothing', () => {
    const rows = runsStartRows(
      [
        folder({ ...lightningHydra, folder: '/w/vision' }),
        folder({ folder: '/w/web' }),
        folder({ folder: '/w/nlp', startCommand: 'python train.py', trainScript: 'train.py', configDir: '' }),
      ],
      true,
    );
    assert.deepEqual(labels(rows), [
      'No runs yet. Start one with:',
      'vision: python src/train.py · configs in configs/',
      'nlp: python train.py · configs in ./',
      'Start a Training Run',
    ]);
  });

  it('Data: without .dvc/, the first stage with the real script and config folder, then Initialize DVC and Track Data', () => {
    const rows = dataStartRows([lightningHydra], true);
    assert.deepEqual(labels(rows), [
      'No .dvc/ yet · Initialize DVC, then track your data and make training a stage:',
      'dvc stage add -n train -d src/train.py -d configs/ python src/train.py',
      'Initialize DVC',
      'Track Data with DVC',
    ]);
    assert.deepEqual(rows[2].command, { command: 'mlopsHygiene.initDvc', title: 'Initialize DVC', arguments: [{ folder: '/w/proj' }] });
    assert.equal(labels(dataStartRows([hydraTutorial], true))[1], 'dvc stage add -n train -d my_app.py -d conf/ python my_app.py');
    assert.equal(
      labels(dataStartRows([folder({ startCommand: 'python train.py', trainScript: 'train.py' })], true))[1],
      'dvc stage add -n train -d train.py python train.py',
    );
  });

  it('Data: nothing once .dvc/ is there, without a known script, or in a restricted workspace', () => {
    assert.deepEqual(dataStartRows([{ ...lightningHydra, dvc: true }], true), []);
    assert.deepEqual(dataStartRows([folder({})], true), []);
    assert.deepEqual(dataStartRows([lightningHydra], false), []);
    const multi = dataStartRows([folder({ folder: '/w/a', dvc: true }), { ...hydraTutorial, folder: '/w/b' }], true);
    assert.equal(multi[0].label, 'b: no .dvc/ yet');
    assert.deepEqual(multi.find((r) => r.label === 'Initialize DVC')?.command?.arguments, [{ folder: '/w/b' }]);
  });
});
