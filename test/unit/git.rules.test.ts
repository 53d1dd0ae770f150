import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf, tmpDir, writeTree } from '../support/tmp';

describe('GIT rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  describe('GIT003/GIT004 data files', () => {
    it('fires on committed data under data/ and on big tables anywhere', async () => {
      root = gitRepo({
        'README.md': '# x\n',
        'data/raw/train.csv': 'a,b\n1,2\n',
        'data/processed/x.npy': Buffer.from([0x93, 0x4e, 0x55]),
        'src/table.csv': 'x\n'.repeat(600_000),
      });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT003'), ['data/processed/x.npy:1', 'data/raw/train.csv:1', 'src/table.csv:1']);
    });

    it('does not fire on small CSV fixtures, READMEs and .dvc pointers in data/, nor on ignored data', async () => {
      root = gitRepo({
        'README.md': '# x\n',
        '.gitignore': '/data/raw/\n',
        'tests/fixtures/labels.csv': 'a\n1\n',
        'data/README.md': '# data\n',
        'data/raw.dvc': 'outs:\n- path: raw\n',
      });
      writeTree(root, { 'data/raw/big.csv': 'x\n'.repeat(10) });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT003'), []);
      assert.deepEqual(where(f, 'GIT004'), []);
    });

    it('GIT004 fires on untracked data that is not ignored, with a fix ignoring /data/', async () => {
      root = gitRepo({ 'README.md': '# x\n', '.gitignore': '*.pyc\n' });
      writeTree(root, { 'data/raw/train.parquet': Buffer.from('PAR1') });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT004'), ['data/raw/train.parquet:1']);
      const fix = f.find((x) => x.code === 'GIT004')!.fixes![0];
      assert.equal(applyEdits('*.pyc\n', fix.changes[0].edits), '*.pyc\n/data/\n');
    });
  });

  describe('GIT005 run folders not ignored', () => {
    it('fires for wandb/ and mlruns/ on the last line of .gitignore, one fix adding both', async () => {
      root = gitRepo({ 'README.md': '# x\n', '.gitignore': '__pycache__/\n\n' });
      writeTree(root, { 'wandb/run-20241105_101010-ab12cd34/files/config.yaml': 'x', 'mlruns/0/meta.yaml': 'name: Default\n' });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT005'), ['.gitignore:1', '.gitignore:1']);
      const fix = f.find((x) => x.code === 'GIT005')!.fixes![0];
      assert.equal(applyEdits('__pycache__/\n\n', fix.changes[0].edits), '__pycache__/\n\n/mlruns/\n/wandb/\n');
    });

    it('does not fire when they are ignored (with or without slashes), nor for a nested outputs/ without Hydra', async () => {
      root = gitRepo({ 'README.md': '# x\n', '.gitignore': 'wandb\noutputs/\n', 'src/outputs/report.txt': 'x' });
      writeTree(root, { 'wandb/run-20241105_101010-ab12cd34/files/a.txt': 'x', 'outputs/2024-01-01/12-00-00/.hydra/config.yaml': 'a: 1\n' });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT005'), []);
      assert.deepEqual(where(f, 'GIT006'), []);
    });
  });

  describe('GIT006 run folders committed', () => {
    it('names the file that leaks personal data without printing it', async () => {
      root = gitRepo({
        'README.md': '# x\n',
        '.gitignore': '/mlruns/\n',
        'mlruns/0/0123456789abcdef0123456789abcdef/meta.yaml':
          'artifact_uri: file:///home/alice/proj/mlruns/0/0123456789abcdef0123456789abcdef/artifacts\nrun_id: 0123456789abcdef0123456789abcdef\n',
        'mlruns/0/0123456789abcdef0123456789abcdef/params/lr': '0.1',
      });
      const f = await checkFolder(root);
      const g = f.filter((x) => x.code === 'GIT006');
      assert.equal(g.length, 1);
      assert.equal(g[0].file, 'mlruns/0/0123456789abcdef0123456789abcdef/meta.yaml');
      assert.match(g[0].message, /2 files of mlruns\/ \(MLflow runs\) are committed.*absolute paths/);
      assert.ok(!g[0].message.includes('alice'));
    });
  });

  describe('GIT007 files above GitHub limits', () => {
    it('errors above 100 MB, warns above 50 MB, silent below', async () => {
      root = gitRepo({ 'README.md': '# x\n', '.gitignore': '' });
      // sparse files: real sizes without writing the bytes
      for (const [name, mb] of [
        ['big.bin', 101],
        ['mid.bin', 60],
        ['small.bin', 49],
      ] as const) {
        const fd = fs.openSync(path.join(root, name), 'w');
        fs.ftruncateSync(fd, mb * 1024 * 1024);
        fs.closeSync(fd);
      }
      const f = (await checkFolder(root)).filter((x) => x.code === 'GIT007');
      assert.deepEqual(
        f.map((x) => `${x.file} ${x.severity}`),
        ['big.bin error', 'mid.bin warning'],
      );
      assert.match(f[0].message, /not ignored and would be committed; GitHub rejects/);
    });
  });

  describe('GIT008 junk files', () => {
    it('fires once per kind on committed bytecode and .DS_Store', async () => {
      root = gitRepo({ 'README.md': '# x\n', 'src/a/__pycache__/m.cpython-311.pyc': 'x', 'src/a/__pycache__/n.cpython-311.pyc': 'x', '.DS_Store': 'x' });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT008'), ['.DS_Store:1', 'src/a/__pycache__/m.cpython-311.pyc:1']);
      assert.match(f.find((x) => x.file.endsWith('.pyc'))!.message, /^2 files of Python bytecode/);
    });

    it('does not fire on untracked bytecode', async () => {
      root = gitRepo({ 'README.md': '# x\n' });
      writeTree(root, { 'src/__pycache__/m.pyc': 'x' });
      assert.deepEqual(where(await checkFolder(root), 'GIT008'), []);
    });
  });

  describe('GIT009 no .gitignore', () => {
    it('fires on the project anchor with a fix that creates one', async () => {
      root = gitRepo({ 'README.md': '# x\n', 'pyproject.toml': '[project]\nname = "x"\n' });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT009'), ['pyproject.toml:1']);
      const change = f.find((x) => x.code === 'GIT009')!.fixes![0].changes[0];
      assert.equal(change.create, true);
      assert.match(change.edits[0].newText, /^\/data\/$/m);
    });

    it('does not fire when .gitignore exists, even without git', async () => {
      root = tmpDir();
      writeTree(root, { 'README.md': '# x\n', '.gitignore': '' });
      assert.deepEqual(where(await checkFolder(root, {}, false), 'GIT009'), []);
    });
  });
});
