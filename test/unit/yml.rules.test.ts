import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

const SWEEP = `method: random
metric:
  name: val_loss
  goal: minimize
parameters:
  lr:
    min: 1e-5
    max: 1.0e-2
  seed:
    value: 010
  schedule:
    value: on
  budget:
    value: 1:30
  snapshot:
    value: 2024-01-15
program: train.py
`;

describe('YML001-YML005 values the reading loader types differently', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('fire in a W&B sweep config (read by PyYAML), each on its value, with fixes', async () => {
    root = gitRepo({ 'sweep.yaml': SWEEP, 'train.py': 'import wandb\nwandb.log({"val_loss": 1})\n' });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'YML001'), ['sweep.yaml:7']);
    assert.deepEqual(where(f, 'YML002'), ['sweep.yaml:12']);
    assert.deepEqual(where(f, 'YML003'), ['sweep.yaml:10']);
    assert.deepEqual(where(f, 'YML004'), ['sweep.yaml:14']);
    assert.deepEqual(where(f, 'YML005'), ['sweep.yaml:16']);
    const y1 = f.find((x) => x.code === 'YML001')!;
    assert.match(y1.message, /`parameters\.lr\.min: 1e-5` is read as the string '1e-5'.*wandb sweep/);
    assert.deepEqual(y1.range, { start: { line: 6, character: 9 }, end: { line: 6, character: 13 } });
    const text = fs.readFileSync(path.join(root, 'sweep.yaml'), 'utf8');
    assert.match(applyEdits(text, y1.fixes![0].changes[0].edits), /min: 1\.0e-5\n/);
    const y3 = f.find((x) => x.code === 'YML003')!;
    assert.match(y3.message, /octal number 8/);
    assert.match(applyEdits(text, y3.fixes![1].changes[0].edits), /value: '010'\n/);
  });

  it('do not fire on a Hydra config (OmegaConf reads 1e-3 as a float, dates as strings) nor on params.yaml (YAML 1.2)', async () => {
    root = gitRepo({
      'configs/train.yaml': 'lr: 1e-3\nwarmup: 1e3\nsnapshot: 2024-01-15\nname: resnet\n',
      'params.yaml': 'lr: 1e-3\nflag: yes\nseed: 010\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n',
      'other.yaml': 'lr: 1e-3\n', // nothing is known to read it
      'train.py':
        'import dvc.api\nimport hydra\n\n@hydra.main(config_path="configs", config_name="train", version_base=None)\ndef main(cfg):\n    params = dvc.api.params_show()\n',
    });
    const f = await checkFolder(root);
    for (const c of ['YML001', 'YML002', 'YML003', 'YML004', 'YML005']) assert.deepEqual(where(f, c), [], c);
  });

  it('YML002/YML003 still fire in a Hydra config, where OmegaConf keeps the YAML 1.1 booleans and octal', async () => {
    root = gitRepo({
      'conf/logger.yaml': 'mode: off\nseed: 0123\nok: true\nsmall: 007\nlr: 1e-3\n',
      'app.py': 'import hydra\n\n@hydra.main(config_path="conf", config_name="logger", version_base=None)\ndef main(cfg):\n    pass\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'YML002'), ['conf/logger.yaml:1']);
    assert.deepEqual(where(f, 'YML003'), ['conf/logger.yaml:2']);
    assert.match(f.find((x) => x.code === 'YML002')!.message, /boolean false by OmegaConf \(Hydra composes it/);
    assert.deepEqual(where(f, 'YML001'), []);
  });

  it('knows a file that a script reads with yaml.safe_load, even when DVC also reads it', async () => {
    root = gitRepo({
      'params.yaml': 'lr: 1e-3\nepochs: 10\n',
      'src/train.py': 'import yaml\n\nwith open("params.yaml") as f:\n    params = yaml.safe_load(f)\n',
      'configs/model.yaml': 'lr: 1e-3\n',
      'tests/test_cfg.py': 'import yaml\nfrom pathlib import Path\n\ndef test_cfg():\n    cfg = yaml.safe_load(Path("configs/model.yaml").read_text())\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'YML001'), ['configs/model.yaml:1', 'params.yaml:1']);
    assert.match(f.find((x) => x.code === 'YML001' && x.file === 'params.yaml')!.message, /src\/train\.py reads it with yaml\.safe_load \(line 4\)/);
  });

  it('does not take ruamel.yaml or quoted and tagged values for PyYAML', async () => {
    root = gitRepo({
      'a.yaml': 'lr: 1e-3\n',
      'b.yaml': 'lr: \'1e-3\'\nx: !!float 1e-3\nflag: "on"\n',
      'load.py': 'import yaml\nfrom ruamel.yaml import YAML\nyaml = YAML()\ncfg = yaml.load(open("a.yaml"))\n',
      'load_b.py': 'import yaml\ncfg = yaml.safe_load(open("b.yaml"))\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'YML001'), []);
    assert.deepEqual(where(f, 'YML002'), []);
  });

  it('in an MLproject only values whose text changes on the command line are reported', async () => {
    root = gitRepo({
      MLproject:
        'name: demo\nentry_points:\n  main:\n    parameters:\n      lr: {type: float, default: 1e-3}\n      flag: {type: string, default: yes}\n      day: {type: string, default: 2024-01-15}\n    command: "python train.py --lr {lr} --flag {flag} --day {day}"\n',
      'train.py': 'print(1)\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'YML001'), []); // str('1e-3') is what the command gets either way
    assert.deepEqual(where(f, 'YML005'), []);
    assert.deepEqual(where(f, 'YML002'), ['MLproject:6']); // the command gets True, not yes
  });
});
