import * as assert from 'node:assert/strict';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * Which loader reads a YAML file, when a script builds the file's path. Facts: a relative path in Python is resolved
 * from the working directory (pytest and scripts are usually started at the repository root); `__file__` is the
 * script's own path, so `os.path.dirname(__file__)` and `Path(__file__).parent` are its folder (`.parents[1]` the one
 * above); `os.path.join` and pathlib's `/` join the parts. PyYAML reads `1e-3` as the string '1e-3' (YAML 1.1 floats need
 * a dot and a signed exponent); OmegaConf reads it as a float.
 */
const CONFIG = 'model:\n  lr: 1e-3\n  layers: 2\n';
const found = (f: { code: string; file: string }[]): string[] =>
  f
    .filter((x) => x.code === 'YML001')
    .map((x) => x.file)
    .sort();

describe('YML loaders: paths that tests and scripts build', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('finds files read through os.path.join(os.path.dirname(__file__), ...), a module constant, and pathlib `/` from __file__', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'configs/model.yaml': CONFIG,
      'configs/data.yaml': 'split: 1e-1\n',
      'src/pkg/__init__.py': '',
      'src/pkg/defaults.yaml': 'lr: 5e-4\n',
      'src/pkg/settings.py':
        'import yaml\nfrom pathlib import Path\n\n\ndef defaults():\n    return yaml.safe_load((Path(__file__).parent / "defaults.yaml").read_text())\n',
      // the constant is defined far (more than six lines) above the load
      'tests/test_config.py': [
        'import os',
        'import yaml',
        '',
        'CONFIG = os.path.join(os.path.dirname(__file__), "..", "configs", "model.yaml")',
        '',
        '',
        'def helper():',
        '    return 1',
        '',
        '',
        'def test_model_config():',
        '    with open(CONFIG) as f:',
        '        cfg = yaml.safe_load(f)',
        '    assert cfg["model"]["layers"] == 2',
        '',
      ].join('\n'),
      'scripts/check_data.py':
        'import yaml\nfrom pathlib import Path\n\nROOT = Path(__file__).resolve().parents[1]\ncfg = yaml.safe_load((Path(__file__).resolve().parents[1] / "configs" / "data.yaml").read_text())\n',
    });
    assert.deepEqual(found(await checkFolder(root)), ['configs/data.yaml', 'configs/model.yaml', 'src/pkg/defaults.yaml']);
  });

  // A sweep grid (not a W&B sweep: no method/parameters) at configs/sweep.yaml that only a test reads, from tests/ and
  // from a service folder tests/ of its own; the path goes up from the test's folder with `..` or `.parent`.
  it('takes a file that a test anywhere reads with yaml.safe_load (Path(__file__).parent / ..) for a PyYAML file', async () => {
    const GRID = 'grid:\n  lr: [1e-3, 1e-4]\n  batch_size: [32, 64]\n';
    root = gitRepo({
      'README.md': '# x\n',
      'configs/sweep.yaml': GRID,
      'services/trainer/configs/sweep.yaml': GRID,
      'services/trainer/configs/other.yaml': GRID,
      'tests/test_config.py':
        'from pathlib import Path\n\nimport yaml\n\nSWEEP = Path(__file__).parent / ".." / "configs" / "sweep.yaml"\n\n\ndef test_grid():\n    grid = yaml.safe_load(SWEEP.read_text())["grid"]\n    assert len(grid["lr"]) == 2\n',
      'services/trainer/tests/test_sweep.py':
        'import yaml\nfrom pathlib import Path\n\n\ndef test_grid():\n    with open(Path(__file__).parent.parent / "configs/sweep.yaml") as f:\n        assert yaml.safe_load(f)["grid"]\n',
      // read with OmegaConf only: OmegaConf reads 1e-3 as a float, nothing to report
      'services/trainer/train.py': 'from omegaconf import OmegaConf\n\ncfg = OmegaConf.load("configs/other.yaml")\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(found(f), ['configs/sweep.yaml', 'configs/sweep.yaml', 'services/trainer/configs/sweep.yaml', 'services/trainer/configs/sweep.yaml']);
    assert.match(f.find((x) => x.code === 'YML001' && x.file === 'configs/sweep.yaml')!.message, /tests\/test_config\.py/);
  });

  it('does not guess when a part of the path is unknown (a variable, pytest tmp_path), even if a file of that name exists', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      // the project's own config, read with OmegaConf by the training script
      'config.yaml': CONFIG,
      'src/train.py': 'from omegaconf import OmegaConf\n\ncfg = OmegaConf.load("config.yaml")\n',
      'tests/test_io.py': [
        'import os',
        'import yaml',
        '',
        'def test_roundtrip(tmp_path):',
        '    path = os.path.join(tmp_path, "config.yaml")',
        '    with open(path, "w") as f:',
        '        yaml.safe_dump({"a": 1}, f)',
        '    assert yaml.safe_load(open(os.path.join(tmp_path, "config.yaml")))["a"] == 1',
        '    assert yaml.safe_load((CFG_DIR / "config.yaml").read_text())',
        '',
      ].join('\n'),
    });
    assert.deepEqual(found(await checkFolder(root)), []);
  });
});
