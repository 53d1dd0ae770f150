import * as assert from 'node:assert/strict';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * How a W&B sweep is launched decides what reads its YAML and what the agent runs. Facts (W&B docs, "Define a sweep
 * configuration" and the sweep config keys):
 * - `wandb sweep sweep.yaml` reads the file with PyYAML (YAML 1.1: `1e-3` is the string '1e-3') and the agent runs
 *   `command`, by default `${env} ${interpreter} ${program} ${args}`.
 * - A script may build the configuration as a dict and call `wandb.sweep(sweep=config, project=...)` then
 *   `wandb.agent(sweep_id, function=train)`: the agent calls the function, so `program`/`command` are not needed, and
 *   the values are what the script's loader made of the file (OmegaConf.load reads `1e-3` as a float).
 * - Command macros: `${env}` (`/usr/bin/env` on Unix), `${interpreter}` (`python`), `${program}` (the `program` key),
 *   `${args}` (`--param=value` for each parameter), `${args_no_hyphens}` (`param=value`, what Hydra's override parser
 *   needs), `${args_json}` (the parameters as one JSON string), `${args_json_file}` (the path of a JSON file holding them).
 * - `program` is run as a command; a console script of `[project.scripts]` is on PATH after `pip install -e .`.
 */
const SWEEP = 'method: bayes\nmetric:\n  name: val_loss\n  goal: minimize\nparameters:\n  lr:\n    min: 1e-5\n    max: 1e-2\n';
const codes = (f: { code: string; file: string }[], file: string): string[] =>
  f
    .filter((x) => x.file === file && /^(WB|YML)/.test(x.code))
    .map((x) => x.code)
    .sort();

describe('W&B sweeps: how they are launched', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a script that loads the YAML with OmegaConf and calls wandb.sweep(dict): no YML001, no program demanded', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'configs/sweep.yaml': SWEEP,
      'src/sweep.py': [
        'import wandb',
        'from omegaconf import OmegaConf',
        '',
        'from train import train',
        '',
        'cfg = OmegaConf.load("configs/sweep.yaml")',
        'sweep_id = wandb.sweep(sweep=OmegaConf.to_container(cfg), project="digits")',
        'wandb.agent(sweep_id, function=train, count=20)',
        '',
      ].join('\n'),
      'src/train.py': 'import wandb\n\ndef train():\n    run = wandb.init()\n    wandb.log({"val_loss": 0.1})\n',
    });
    assert.deepEqual(codes(await checkFolder(root), 'configs/sweep.yaml'), []);
  });

  it('the same launch with yaml.safe_load: YML001 fires (PyYAML reads 1e-5 as a string), naming the script', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'configs/sweep.yaml': SWEEP,
      'src/sweep.py':
        'import wandb\nimport yaml\n\nwith open("configs/sweep.yaml") as f:\n    cfg = yaml.safe_load(f)\nwandb.agent(wandb.sweep(cfg), function=print)\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(codes(f, 'configs/sweep.yaml'), ['YML001', 'YML001']);
    assert.match(f.find((x) => x.code === 'YML001')!.message, /src\/sweep\.py reads it with yaml\.safe_load \(line 5\) and passes it to wandb\.sweep/);
  });

  it('`wandb sweep file.yaml` (no script creates it): YML001 and the missing program still fire', async () => {
    root = gitRepo({ 'README.md': '# x\n', 'sweep.yaml': SWEEP, 'train.py': 'import wandb\nwandb.init()\nwandb.log({"val_loss": 1})\n' });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), ['WB006', 'YML001', 'YML001']);
  });

  it('program naming a console script of [project.scripts]: WB006 is silent; an unknown name still fires', async () => {
    const pyproject = '[project]\nname = "digits"\nversion = "0.1.0"\ndependencies = ["wandb"]\n\n[project.scripts]\ndigits-train = "digits.train:main"\n';
    const base = {
      'README.md': '# x\n',
      'pyproject.toml': pyproject,
      'src/digits/__init__.py': '',
      'src/digits/train.py': 'import wandb\n\ndef main():\n    wandb.init()\n    wandb.log({"val_loss": 1})\n',
    };
    root = gitRepo({
      ...base,
      'sweep.yaml': 'program: digits-train\nmethod: random\nmetric:\n  name: val_loss\nparameters:\n  lr:\n    values: [0.01, 0.001]\n',
    });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), []);
    rmrf(root);
    root = gitRepo({
      ...base,
      'sweep.yaml': 'program: digits-trian\nmethod: random\nmetric:\n  name: val_loss\nparameters:\n  lr:\n    values: [0.01, 0.001]\n',
    });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), ['WB006']);
  });

  it('WB007: a command that strips the dashes of ${args} in the shell is ${args_no_hyphens}; plain ${args} still fires', async () => {
    const train =
      'import hydra\n\n@hydra.main(version_base=None, config_path="configs", config_name="config")\ndef main(cfg):\n    pass\n\nif __name__ == "__main__":\n    main()\n';
    const sweep = (command: string): string => `program: train.py\nmethod: random\nparameters:\n  lr:\n    values: [0.01, 0.001]\ncommand:\n${command}`;
    // bash -c 'script' _ args...: "$@" are the agent's --lr=0.01 arguments; ${a#--} removes the leading "--"
    const strip = '  - bash\n  - -c\n  - \'args=(); for a in "$@"; do args+=("${a#--}"); done; python train.py "${args[@]}"\'\n  - _\n  - ${args}\n';
    root = gitRepo({ 'README.md': '# x\n', 'train.py': train, 'configs/config.yaml': 'lr: 0.1\n', 'sweep.yaml': sweep(strip) });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), []);
    rmrf(root);
    root = gitRepo({
      'README.md': '# x\n',
      'train.py': train,
      'configs/config.yaml': 'lr: 0.1\n',
      'sweep.yaml': sweep('  - ${env}\n  - ${interpreter}\n  - ${program}\n  - ${args}\n'),
    });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), ['WB007']);
  });

  it('WB007: a wrapper shell script in the command that strips the dashes counts; one that does not still fires', async () => {
    // The agent starts `bash scripts/hydra_agent.sh <program> --lr=0.01 ...` from the repository root; the script's
    // "${arg#--}" hands Hydra `lr=0.01`, as ${args_no_hyphens} would.
    const train = 'import hydra\n\n@hydra.main(version_base="1.3", config_path="configs", config_name="config")\ndef main(cfg):\n    pass\n';
    const sweep =
      'program: train.py\nmethod: random\nparameters:\n  lr:\n    values: [0.01, 0.001]\ncommand:\n  - ${env}\n  - bash\n  - scripts/hydra_agent.sh\n  - ${program}\n  - ${args}\n';
    const strip =
      '#!/usr/bin/env bash\nset -euo pipefail\nprogram="$1"\nshift\nargs=()\nfor arg in "$@"; do\n  args+=("${arg#--}")\ndone\nexec python "$program" "${args[@]}"\n';
    const keep = '#!/usr/bin/env bash\nexec python "$@"\n';
    const base = { 'README.md': '# x\n', 'train.py': train, 'configs/config.yaml': 'lr: 0.1\n', 'sweep.yaml': sweep };
    root = gitRepo({ ...base, 'scripts/hydra_agent.sh': strip });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), []);
    rmrf(root);
    root = gitRepo({ ...base, 'scripts/hydra_agent.sh': keep });
    assert.deepEqual(codes(await checkFolder(root), 'sweep.yaml'), ['WB007']);
  });

  it('WB007 follows a console-script program to its Hydra entry point', async () => {
    const pyproject = '[project]\nname = "digits"\nversion = "0.1.0"\n\n[project.scripts]\ndigits-train = "digits.train:main"\n';
    root = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': pyproject,
      'src/digits/__init__.py': '',
      'src/digits/train.py': 'import hydra\n\n@hydra.main(version_base=None, config_path="../../configs", config_name="config")\ndef main(cfg):\n    pass\n',
      'configs/config.yaml': 'lr: 0.1\n',
      'sweep.yaml': 'program: digits-train\nmethod: random\nparameters:\n  lr:\n    values: [0.01, 0.001]\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(codes(f, 'sweep.yaml'), ['WB007']);
    const g = f.find((x) => x.code === 'WB007')!;
    assert.match(g.message, /^program `digits-train` \(console script, src\/digits\/train\.py\) is a Hydra app/);
    // the fix runs the console script itself, not `python digits-train`
    assert.match(g.fixes![0].changes[0].edits[0].newText, /command:\n  - \$\{env\}\n  - \$\{program\}\n  - \$\{args_no_hyphens\}\n/);
  });
});
