import * as assert from 'node:assert/strict';
import { Workspace, mlSignal, projectLayout, trainingCommand } from '../../server/src/engine';
import { gitRepo, rmrf } from '../support/tmp';

describe('mlSignal: what makes a workspace folder an ML project (the editor checks only those)', () => {
  let root = '';
  afterEach(() => root && rmrf(root));
  const signal = async (files: Record<string, string | Buffer>) => {
    root = gitRepo(files);
    const s = mlSignal(await Workspace.load(root, { useGit: true }));
    rmrf(root);
    root = '';
    return s;
  };

  it('fires on an ML dependency, an ML tool file, Hydra in the code, a model file, an ignored run store', async () => {
    assert.equal(
      await signal({ 'pyproject.toml': '[project]\nname = "x"\nversion = "0"\ndependencies = ["scikit-learn>=1.4", "pandas"]\n' }),
      'the dependency scikit-learn in pyproject.toml',
    );
    assert.equal(await signal({ 'requirements.txt': 'numpy\nLightning==2.2\n' }), 'the dependency lightning in requirements.txt');
    assert.match((await signal({ 'README.md': '# x\n', 'dvc.yaml': 'stages: {}\n' }))!, /^dvc\.yaml/);
    assert.match((await signal({ 'README.md': '# x\n', 'data/raw.dvc': 'outs:\n- path: raw\n' }))!, /^data\/raw\.dvc/);
    assert.match((await signal({ 'README.md': '# x\n', MLproject: 'name: x\n' }))!, /^MLproject/);
    assert.match(
      (await signal({
        'src/train.py': 'import hydra\n\n@hydra.main(version_base="1.3", config_path="../conf", config_name="config")\ndef main(cfg):\n    pass\n',
        'conf/config.yaml': 'a: 1\n',
      }))!,
      /^Hydra in src\/train\.py/,
    );
    assert.match((await signal({ 'README.md': '# x\n', 'weights/model.safetensors': Buffer.from([0, 1]) }))!, /a model file/);
    assert.match((await signal({ 'README.md': '# x\n', '.gitignore': 'wandb/\n', 'wandb/run-1/files/config.yaml': 'a: 1\n' }))!, /^wandb/);
  });

  it('does not fire on a plain Python web project, a library with numpy and pandas, or a docs site', async () => {
    assert.equal(
      await signal({ 'requirements.txt': 'flask==3.0.3\ngunicorn\n', 'app/__init__.py': 'from flask import Flask\n', 'app/config.yaml': 'debug: true\n' }),
      undefined,
    );
    assert.equal(
      await signal({
        'pyproject.toml': '[project]\nname = "tables"\nversion = "1"\ndependencies = ["numpy", "pandas", "pyyaml"]\n',
        'src/tables/io.py': 'import yaml\n',
      }),
      undefined,
    );
    assert.equal(await signal({ 'mkdocs.yml': 'site_name: x\n', 'docs/index.md': '# x\n', '.github/workflows/ci.yml': 'on: push\n' }), undefined);
  });

  it("trainingCommand names the real script for the Runs view: Hydra's, else dvc exp run, else a train*.py; none made up", async () => {
    const cmd = async (files: Record<string, string>) => {
      root = gitRepo(files);
      const c = trainingCommand(await Workspace.load(root, { useGit: true }));
      rmrf(root);
      root = '';
      return c;
    };
    assert.equal(
      await cmd({
        'src/digits/train_hydra.py':
          'import hydra\n\n@hydra.main(version_base="1.3", config_path="../../configs", config_name="config")\ndef main(cfg):\n    pass\n',
        'src/digits/train.py': 'x = 1\n',
        'configs/config.yaml': 'a: 1\n',
      }),
      'python src/digits/train_hydra.py',
    );
    const main = (name: string) =>
      `import hydra\n\n@hydra.main(version_base="1.3", config_path="../configs", config_name="${name}")\ndef main(cfg):\n    pass\n`;
    assert.equal(
      await cmd({ 'src/eval.py': main('eval'), 'src/train.py': main('train'), 'configs/train.yaml': 'a: 1\n', 'configs/eval.yaml': 'a: 1\n' }),
      'python src/train.py',
    );
    assert.equal(await cmd({ 'dvc.yaml': 'stages: {}\n', 'src/train.py': 'x = 1\n' }), 'dvc exp run');
    assert.equal(await cmd({ 'tests/train_test.py': 'x = 1\n', 'scripts/train_model.py': 'x = 1\n' }), 'python scripts/train_model.py');
    assert.equal(await cmd({ 'app/main.py': 'x = 1\n' }), undefined);
  });
  it("projectLayout names the config folder the training script composes: configs/ in lightning-hydra-template, conf/ in Hydra's tutorial layout", async () => {
    const layout = async (files: Record<string, string>) => {
      root = gitRepo(files);
      const l = projectLayout(await Workspace.load(root, { useGit: true }));
      rmrf(root);
      root = '';
      return l;
    };
    const main = (cp: string, name: string) =>
      `import hydra\n\n@hydra.main(version_base="1.3", config_path="${cp}", config_name="${name}")\ndef main(cfg):\n    pass\n`;
    // lightning-hydra-template: src/train.py and src/eval.py, configs/train.yaml and configs/eval.yaml
    assert.deepEqual(
      await layout({
        'src/eval.py': main('../configs', 'eval.yaml'),
        'src/train.py': main('../configs', 'train.yaml'),
        'configs/train.yaml': 'a: 1\n',
        'configs/eval.yaml': 'a: 1\n',
      }),
      {
        startCommand: 'python src/train.py',
        trainScript: 'src/train.py',
        configDir: 'configs',
        dvc: false,
        pipeline: false,
      },
    );
    // the other common layout: my_app.py at the root composing conf/config.yaml; a stray configs/ folder is not it
    const conf = await layout({ 'my_app.py': main('conf', 'config'), 'conf/config.yaml': 'db: {}\n', 'configs/README.md': '# old\n', '.dvc/config': '' });
    assert.deepEqual(conf, { startCommand: 'python my_app.py', trainScript: 'my_app.py', configDir: 'conf', dvc: true, pipeline: false });
    // a DVC pipeline without Hydra in the code: dvc exp run, and the conventional config folder when Hydra is declared
    assert.deepEqual(await layout({ 'dvc.yaml': 'stages: {}\n', 'requirements.txt': 'hydra-core\n', 'conf/config.yaml': 'a: 1\n' }), {
      startCommand: 'dvc exp run',
      configDir: 'conf',
      dvc: false,
      pipeline: true,
    });
    // nothing found: nothing named
    assert.deepEqual(await layout({ 'app/main.py': 'x = 1\n', 'requirements.txt': 'flask\n' }), { dvc: false, pipeline: false });
  });
});
