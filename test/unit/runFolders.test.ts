import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine';
import { findRunFolders, listingTree, runFolderKind } from '../../server/src/engine/runs';
import { hasHomePath } from '../../server/src/engine/rules/git/runFolders';
import { Workspace } from '../../server/src/engine/workspace';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf, tmpDir, writeTree } from '../support/tmp';

const HEX = '0123456789abcdef0123456789abcdef';
const WANDB_RUN = 'run-20241105_101010-ab12cd34';

/**
 * A lightning-hydra-template-style project (facts: the template logs to `logs/<task>/runs/<date>_<time>/` through
 * `hydra.run.dir`, every run has `.hydra/`, its CSV logger writes `csv/version_0/metrics.csv` and W&B `wandb/run-*` inside
 * the run) that also has sources named like run folders: a Python package `src/pkg/wandb/`, the Hydra config groups
 * `configs/logger/` and `configs/wandb/`, a `docker/wandb/` build folder and cookiecutter-data-science's `reports/outputs/`.
 */
const SOURCES: Record<string, string> = {
  'README.md': '# x\n',
  'src/pkg/__init__.py': '',
  'src/pkg/wandb/__init__.py': '',
  'src/pkg/wandb/callbacks.py': 'import wandb\n',
  'configs/logger/wandb.yaml': 'wandb:\n  project: x\n',
  'configs/wandb/default.yaml': 'project: x\n',
  'docker/wandb/Dockerfile': 'FROM python:3.11\n',
  'outputs/figures/README.md': '# figures\n',
  'src/pkg/mlruns/__init__.py': '',
  'src/pkg/lightning_logs/readme.txt': 'x\n',
};
const RUNS: Record<string, string> = {
  'logs/train/runs/2024-01-01_10-00-00/.hydra/config.yaml': 'seed: 1\n',
  'logs/train/runs/2024-01-01_10-00-00/csv/version_0/metrics.csv': 'epoch,loss\n0,1\n',
  [`logs/train/runs/2024-01-01_10-00-00/wandb/${WANDB_RUN}/files/config.yaml`]: 'a: 1\n',
  'logs/train/runs/2024-01-02_10-00-00/.hydra/config.yaml': 'seed: 2\n',
  [`wandb/${WANDB_RUN}/files/wandb-metadata.json`]: '{}\n',
  'lightning_logs/version_0/hparams.yaml': 'lr: 0.1\n',
  [`mlartifacts/1/${HEX}/artifacts/model/model.pkl`]: 'x',
  'mlruns/models/iris/meta.yaml': 'name: iris\n',
  'mlruns/models/iris/version-1/meta.yaml': 'version: 1\n',
};

describe('run folders by their markers (runs/folders.ts)', () => {
  it('finds the outermost run folders of each tool, never a source folder named like one', () => {
    const found = findRunFolders(listingTree(Object.keys({ ...SOURCES, ...RUNS })));
    assert.deepEqual(
      found.map((f) => `${f.dir} ${f.tool} (${f.what})`),
      [
        'lightning_logs Lightning (Lightning logs)',
        // nested trackers inside a Hydra run belong to it; the dated run folders are reported as their parent
        'logs/train/runs Hydra (Hydra runs)',
        'mlartifacts MLflow (MLflow artifacts)',
        'mlruns MLflow (MLflow runs)',
        'wandb W&B (W&B runs)',
      ],
    );
  });

  it('runFolderKind: W&B needs run-*/files (or run-<id>.wandb), not a folder name; Lightning version_N needs its files', () => {
    const tree = listingTree([
      `wandb/${WANDB_RUN}/run-ab12cd34.wandb`,
      'wandb/debug.log',
      'x/wandb/__init__.py',
      'lightning/version_3/events.out.tfevents.1.host.1.0',
      'empty/version_0/notes.txt',
    ]);
    assert.equal(runFolderKind(tree, 'wandb')?.tool, 'W&B');
    assert.equal(runFolderKind(tree, 'x/wandb'), undefined);
    assert.equal(runFolderKind(tree, 'lightning')?.tool, 'Lightning');
    assert.equal(runFolderKind(tree, 'empty'), undefined);
  });
});

describe('GIT005/GIT006 on realistic layouts', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('never fires on sources named wandb/, mlruns/, outputs/ (a package, config groups, docker/)', async () => {
    // all committed and nothing ignored: before, src/pkg/wandb/ got "add it to .gitignore" and "git rm -r --cached"
    root = gitRepo({ ...SOURCES, '.gitignore': '__pycache__/\n' });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GIT005'), []);
    assert.deepEqual(where(f, 'GIT006'), []);
  });

  it('a committed run folder that is not ignored: one finding (GIT006, with the ignore fix), not GIT005 as well', async () => {
    root = gitRepo({ ...SOURCES, '.gitignore': '__pycache__/\n', [`wandb/${WANDB_RUN}/files/config.yaml`]: 'lr:\n  value: 0.1\n' });
    writeTree(root, { 'logs/train/runs/2024-01-01_10-00-00/.hydra/config.yaml': 'seed: 1\n' }); // untracked, not ignored
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GIT006'), [`wandb/${WANDB_RUN}/files/config.yaml:1`]);
    const g = f.find((x) => x.code === 'GIT006')!;
    assert.match(g.message, /1 file of wandb\/ \(W&B runs\) is committed to git; run 'git rm -r --cached wandb' and add '\/wandb\/' to \.gitignore/);
    assert.equal(applyEdits('__pycache__/\n', g.fixes![0].changes[0].edits), '__pycache__/\n/wandb/\n');
    // the untracked Hydra runs: GIT005 only, for the folder its dated runs are in
    assert.deepEqual(
      f.filter((x) => x.code === 'GIT005').map((x) => x.message),
      ["logs/train/runs/ holds Hydra runs and is not ignored by .gitignore; add '/logs/train/runs/'"],
    );
  });

  it('mlartifacts/ (MLflow artifact store): one finding for the folder, none per model file in it; a model elsewhere still fires', async () => {
    const artefacts: Record<string, string> = {};
    for (const i of [1, 2, 3]) artefacts[`mlartifacts/1/${HEX.slice(0, 31)}${i}/artifacts/model/model.pkl`] = 'x';
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '__pycache__/\n', ...artefacts, 'models/final.pt': 'x' });
    writeTree(root, { [`mlartifacts/2/${HEX}/artifacts/model/model.pkl`]: 'x' }); // untracked in the same store
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'GIT001'), ['models/final.pt:1']);
    assert.deepEqual(where(f, 'GIT002'), []);
    assert.deepEqual(
      f.filter((x) => x.code === 'GIT006').map((x) => x.message.replace(/;.*/, '')),
      ['3 files of mlartifacts/ (MLflow artifacts) are committed to git'],
    );
    assert.deepEqual(where(f, 'GIT005'), []);
  });

  it('a run folder of a package or config group inside a run store is still found (Lightning in a Hydra run)', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '', ...RUNS });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.code === 'GIT006').map((x) => x.message.replace(/ \(.*/, '')),
      ['1 file of lightning_logs/', '4 files of logs/train/runs/', '1 file of mlartifacts/', '2 files of mlruns/', '1 file of wandb/'],
    );
  });
});

describe('MLflow meta.yaml paths as personal data (GIT006)', () => {
  let root = '';
  afterEach(() => rmrf(root));

  // MLflow writes `artifact_location` (experiment meta.yaml) and `artifact_uri` (run meta.yaml) as absolute file URIs of
  // the machine that ran it: the user's home folder name is in them, on Linux, macOS, Windows and WSL alike.
  for (const uri of [
    'file:///mnt/c/Users/alice/proj/mlruns/0',
    'file:///C:/Users/alice/proj/mlruns/0',
    '/Users/alice/proj/mlruns/0',
    'C:\\Users\\alice\\proj\\mlruns\\0',
    'file:///home/alice/proj/mlruns/0',
  ]) {
    it(`names ${uri.slice(0, 18)}... as personal data, without printing it`, async () => {
      root = gitRepo({
        'README.md': '# x\n',
        '.gitignore': '/mlruns/\n',
        'mlruns/0/meta.yaml': `artifact_location: ${uri}\nexperiment_id: '0'\nname: Default\n`,
      });
      const g = (await checkFolder(root)).filter((x) => x.code === 'GIT006');
      assert.equal(g.length, 1);
      assert.match(g[0].message, /mlruns\/0\/meta\.yaml holds absolute paths of the author's home folder/);
      assert.ok(!g[0].message.includes('alice'));
    });
  }

  it('does not name a relative or non-home location', async () => {
    assert.equal(hasHomePath('artifact_location: ./mlruns/0\n'), false);
    assert.equal(hasHomePath('artifact_location: file:///opt/mlflow/artifacts/0\n'), false);
    assert.equal(hasHomePath('artifact_location: s3://bucket/Users/x\n'), false);
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/mlruns/\n', 'mlruns/0/meta.yaml': "artifact_location: mlflow-artifacts:/0\nexperiment_id: '0'\n" });
    const g = (await checkFolder(root)).filter((x) => x.code === 'GIT006');
    assert.equal(g.length, 1);
    assert.doesNotMatch(g[0].message, /holds/);
  });
});

describe('cookiecutter template folders', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('are excluded by every rule (file and repository rules), by the listing itself; the same files outside still fire', async () => {
    // a cookiecutter template repository: cookiecutter.json at the root, the project template in {{ cookiecutter.* }}/
    const t = '{{ cookiecutter.repo_name }}';
    root = gitRepo({
      'README.md': '# template\n',
      '.gitignore': '__pycache__/\n',
      'cookiecutter.json': '{"repo_name": "project"}\n',
      [`${t}/models/model.pkl`]: 'x',
      [`${t}/.env`]: 'API_KEY=x\n',
      [`${t}/sweep.yaml`]: 'method: random\nprogram: {{ cookiecutter.script }}\nparameters:\n  lr:\n    min: 1e-5\n    max: 1e-2\n',
      [`{{cookiecutter.project_slug}}/configs/config.yaml`]: 'defaults:\n  - model: {{ cookiecutter.model }}\n',
      'models/real.pkl': 'x',
    });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.file.includes('{{')).map((x) => `${x.code} ${x.file}`),
      [],
    );
    assert.deepEqual(where(f, 'GIT001'), ['models/real.pkl:1']);
    const ws = await Workspace.load(root);
    assert.deepEqual([...ws.paths()].filter((p) => p.includes('cookiecutter')).sort(), ['cookiecutter.json']);
    const walked = await Workspace.load(root, { useGit: false });
    assert.deepEqual(
      [...walked.paths()].filter((p) => p.includes('{{')),
      [],
    );
  });
});

describe('restricted mode (no git): the walk shares the markers', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('a package named wandb/ is walked and checked; a W&B run folder is not descended but reported', async () => {
    root = tmpDir();
    writeTree(root, { ...SOURCES, '.gitignore': '__pycache__/\n', [`wandb/${WANDB_RUN}/files/config.yaml`]: 'a: 1\n' });
    const ws = await Workspace.load(root, { useGit: false });
    assert.ok([...ws.paths()].includes('src/pkg/wandb/callbacks.py'));
    assert.ok(![...ws.paths()].some((p) => p.startsWith('wandb/')));
    const f = await checkFolder(root, {}, false);
    assert.deepEqual(
      f.filter((x) => x.code === 'GIT005').map((x) => x.message),
      ["wandb/ holds W&B runs and is not ignored by .gitignore; add '/wandb/'"],
    );
  });
});

describe('DKR010 and run folders in the build context', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it("a package wandb/ at the top of the context is the image's code; a W&B run folder there is a leak", async () => {
    // `COPY . .` copies everything .dockerignore does not exclude; the package must be copied, the runs should not be
    const base = { 'README.md': '# x\n', Dockerfile: 'FROM python:3.11\nCOPY . .\n', '.dockerignore': '.git\n' };
    root = gitRepo({ ...base, '.gitignore': '', 'wandb/__init__.py': '', 'wandb/client.py': '' });
    assert.deepEqual(
      (await checkFolder(root)).filter((x) => x.code === 'DKR010').map((x) => x.message),
      [],
    );
    rmrf(root);
    // git ignores the runs, Docker does not read .gitignore: they are in the context
    root = gitRepo({ ...base, '.gitignore': '/wandb/\n', 'src/app.py': '' });
    writeTree(root, { [`wandb/${WANDB_RUN}/files/config.yaml`]: 'a: 1\n' });
    const f = (await checkFolder(root)).filter((x) => x.code === 'DKR010');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /does not exclude wandb\//);
  });
});
