import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';
import { computeHydraProject } from '../../server/src/engine/hydra/project';
import { gitRepo, rmrf } from '../support/tmp';

describe('Hydra config discovery', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('finds the config dir of @hydra.main relative to the Python file, with its primary config', async () => {
    root = gitRepo({
      'src/proj/train.py':
        'import hydra\n# @hydra.main(config_path="nope")\n@hydra.main(config_path="../../configs", config_name="train", version_base="1.3")\ndef main(cfg):\n    pass\n',
      'configs/train.yaml': 'lr: 0.1\n',
      'configs/model/a.yaml': 'x: 1\n',
      'configs/sweep.yaml': 'method: grid\n',
      'outputs/2024-01-01/00-00-00/.hydra/config.yaml': 'lr: 0.1\n',
      'conf/other.yaml': 'y: 1\n',
    });
    const p = computeHydraProject(await Workspace.load(root));
    assert.deepEqual(
      p.configDirs.map((d) => [d.dir, d.source, d.primaries]),
      [
        ['configs', 'hydra.main', ['train']],
        ['conf', 'conventional', []],
      ],
    );
    assert.deepEqual(p.configFiles, ['conf/other.yaml', 'configs/model/a.yaml', 'configs/train.yaml']);
    assert.equal(p.calls.length, 1, 'the commented-out decorator is not a call');
    assert.equal(p.calls[0].versionBase?.str, '1.3');
    assert.ok(!p.isConfigFile('configs/sweep.yaml'));
  });

  it('finds initialize/compose, registered resolvers and the .dvc/config hydra section', async () => {
    root = gitRepo({
      'tests/test_cfg.py':
        'from hydra import initialize, compose\nfrom omegaconf import OmegaConf\nOmegaConf.register_new_resolver("mul", lambda a, b: a * b)\ndef test():\n    with initialize(version_base=None, config_path="../cfg"):\n        cfg = compose(config_name="main", overrides=[])\n',
      'cfg/main.yaml': 'a: 1\n',
      '.dvc/config': '[core]\n    remote = s\n[hydra]\n    enabled = true\n    config_dir = hconf\n',
      'hconf/config.yaml': 'b: 2\n',
    });
    const p = computeHydraProject(await Workspace.load(root));
    assert.deepEqual(
      p.configDirs.map((d) => [d.dir, d.source, d.primaries]),
      [
        ['cfg', 'initialize', ['main']],
        ['hconf', 'dvc', ['config']],
      ],
    );
    assert.ok(p.resolvers.has('mul'));
    assert.equal(p.dynamicResolvers, false);
  });

  it('ignores conventional folders in a project that does not use Hydra', async () => {
    root = gitRepo({ 'configs/a.yaml': 'x: 1\n', 'main.py': 'import yaml\n' });
    const p = computeHydraProject(await Workspace.load(root));
    assert.deepEqual(p.configFiles, []);
  });
});
