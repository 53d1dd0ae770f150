import * as assert from 'node:assert/strict';
import { scanWrites } from '../../server/src/engine/python/writes';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * DVC014: what a stage's script writes and the stage does not declare. Facts: DVC runs `cmd` in the stage's `wdir`
 * (default: the folder of dvc.yaml), so a relative path in the script is relative to it; DVC caches, pushes and
 * restores only the stage's `outs`/`metrics`/`plots` (a declared folder covers the files inside it). The write calls:
 * pandas `DataFrame.to_csv(path_or_buf, ...)`, `torch.save(obj, f)`, `numpy.save(file, arr)`, `joblib.dump(value,
 * filename)`, `matplotlib.pyplot.savefig(fname)`, `open(file, mode)` writes with a mode containing w, a, x or +,
 * `pathlib.Path.write_text`.
 */
const MAKE_DATASET = [
  'import numpy as np',
  'import pandas as pd',
  '',
  '',
  'def main():',
  '    df = pd.read_csv("data/raw/wine.csv")  # a read: never reported',
  '    with open("data/raw/README.md") as f:',
  '        f.read()',
  '    df.to_csv("data/processed/train.csv", index=False)  # under the declared folder',
  '    np.save("data/interim/features.npy", df.values)',
  '    # torch.save(df, "data/old.pt") was the old way',
  '    name = "x"',
  '    df.to_csv(f"data/processed/{name}.csv")',
  '',
  '',
  'if __name__ == "__main__":',
  '    main()',
  '',
].join('\n');

const TRAIN = [
  'import json',
  '',
  'import joblib',
  'import matplotlib.pyplot as plt',
  'import torch',
  '',
  '',
  'def train(model, scaler, metrics):',
  '    torch.save(model.state_dict(), "models/model.pt")',
  '    joblib.dump(scaler, "models/scaler.joblib")',
  '    with open("reports/metrics.json", "w") as f:',
  '        json.dump(metrics, f)',
  '    plt.savefig("reports/figures/confusion.png", dpi=200)',
  '',
].join('\n');

const VISUALIZE =
  'from pathlib import Path\n\nimport matplotlib.pyplot as plt\n\nplt.savefig("figures/loss.png")\nPath("figures/summary.txt").write_text("done")\n';

const DVC_YAML = `stages:
  prepare:
    cmd: python src/data/make_dataset.py
    deps: [data/raw, src/data/make_dataset.py]
    outs: [data/processed]
  train:
    cmd: python -m winequality.train
    deps: [data/processed, src/winequality/train.py]
    outs: [models/model.pt]
    metrics:
    - reports/metrics.json:
        cache: false
  plot:
    wdir: reports
    cmd: python ../src/visualization/visualize.py
    plots: [figures/loss.png]
`;

describe('DVC014 stage script writes an undeclared output', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('scanWrites finds the literal writes, never reads, comments, f-strings or templates', () => {
    assert.deepEqual(
      scanWrites(MAKE_DATASET).map((w) => `${w.line + 1} ${w.call} ${w.path}`),
      ['9 .to_csv data/processed/train.csv', '10 np.save data/interim/features.npy'],
    );
    assert.deepEqual(
      scanWrites(TRAIN).map((w) => `${w.line + 1} ${w.call} ${w.path}`),
      [
        '9 torch.save models/model.pt',
        '10 joblib.dump models/scaler.joblib',
        '11 open(..., "w") reports/metrics.json',
        '13 savefig reports/figures/confusion.png',
      ],
    );
    // paths joined from literals only are literal paths; a variable part is not
    assert.deepEqual(
      scanWrites(
        'joblib.dump(s, os.path.join("models", "scaler.joblib"))\nplt.savefig(Path("reports") / "figures" / "roc.png")\nnp.save(os.path.join(out_dir, "x.npy"), a)\nnp.save(Path(out) / "y.npy", a)\n',
      ).map((w) => w.path),
      ['models/scaler.joblib', 'reports/figures/roc.png'],
    );
    assert.deepEqual(
      scanWrites(
        'open("a.txt")\nopen("b.txt", "rb")\nopen("c.txt", mode="a")\nPath("d.txt").open("w")\n"out_{}.csv".format(1)\ntorch.save(m, "ckpt_%d.pt" % 3)\nfig.savefig(fname=Path("e.png"))\n',
      ).map((w) => w.path),
      ['c.txt', 'd.txt', 'e.png'],
    );
  });

  it('scanWrites stays linear on unbalanced brackets (20,000 unclosed calls used to take minutes)', () => {
    assert.deepEqual(scanWrites('x.to_csv('.repeat(20_000)), []);
    assert.deepEqual(
      scanWrites('open('.repeat(20_000) + '"a", "w")').map((w) => w.path),
      ['a'],
    );
  });

  it('fires on the stage cmd for each undeclared write (relative to wdir), not on declared ones or those under a declared folder', async () => {
    root = gitRepo({
      'dvc.yaml': DVC_YAML,
      'requirements.txt': 'dvc==3.55.2\n',
      'src/data/make_dataset.py': MAKE_DATASET,
      'src/winequality/__init__.py': '',
      'src/winequality/train.py': TRAIN,
      'src/visualization/visualize.py': VISUALIZE,
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'DVC014');
    assert.deepEqual(
      f.map((x) => `${x.file}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.severity}`),
      ['dvc.yaml:3:10 info', 'dvc.yaml:7:10 info', 'dvc.yaml:7:10 info', 'dvc.yaml:15:10 info'],
    );
    assert.deepEqual(
      f.map((x) => x.message),
      [
        'stage `prepare` runs src/data/make_dataset.py, which writes `data/interim/features.npy` (line 10, np.save), but the stage does not declare it in outs, metrics or plots: DVC neither caches nor restores it',
        'stage `train` runs src/winequality/train.py, which writes `models/scaler.joblib` (line 10, joblib.dump), but the stage does not declare it in outs, metrics or plots: DVC neither caches nor restores it',
        'stage `train` runs src/winequality/train.py, which writes `reports/figures/confusion.png` (line 13, savefig), but the stage does not declare it in outs, metrics or plots: DVC neither caches nor restores it',
        'stage `plot` runs src/visualization/visualize.py, which writes `figures/summary.txt` (line 6, Path.write_text), but the stage does not declare reports/figures/summary.txt in outs, metrics or plots: DVC neither caches nor restores it',
      ],
    );
  });

  it('a suppression on the line above the cmd silences it (a write that belongs to another subcommand)', async () => {
    root = gitRepo({
      'dvc.yaml':
        'stages:\n  train:\n    # mlops-hygiene: ignore[DVC014] -- `export` writes the ONNX file, not `train`\n    cmd: python src/cli.py train\n    outs: [models/model.pt]\n',
      'src/cli.py':
        'import sys\n\nimport torch\n\nif sys.argv[1] == "train":\n    torch.save({}, "models/model.pt")\nelse:\n    torch.onnx.export(None, None, "models/model.onnx")\n    open("models/export.log", "w").write("ok")\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.code === 'DVC014' || x.code === 'MLH005').map((x) => `${x.code} ${x.message}`),
      [],
    );
  });

  it('stays quiet when every write is declared (the same project with complete outs)', async () => {
    const complete = DVC_YAML.replace('outs: [data/processed]', 'outs: [data/processed, data/interim]')
      .replace('outs: [models/model.pt]', 'outs: [models]')
      .replace('plots: [figures/loss.png]', 'plots: [figures/loss.png, figures/summary.txt]')
      .replace('        cache: false\n', '        cache: false\n    plots:\n    - reports/figures/confusion.png\n');
    root = gitRepo({
      'dvc.yaml': complete,
      'src/data/make_dataset.py': MAKE_DATASET,
      'src/winequality/__init__.py': '',
      'src/winequality/train.py': TRAIN,
      'src/visualization/visualize.py': VISUALIZE,
    });
    const f = (await checkFolder(root)).filter((x) => ['DVC014', 'DVC001', 'DVC005'].includes(x.code));
    assert.deepEqual(
      f.map((x) => `${x.code} ${x.message}`),
      [],
    );
  });
});
