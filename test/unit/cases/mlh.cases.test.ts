import * as fs from 'node:fs';
import * as path from 'node:path';
import { defineFileRule } from '../../../server/src/engine';
import { ruleCases } from '../../support/ruleCases';
import { ccds, dtuTemplate } from './layouts';

/** A rule that throws on every YAML file (MLH000 is the engine's finding about it). */
const crashing = defineFileRule({
  code: 'TST002',
  name: 'crashing',
  severity: 'info',
  title: 'crash',
  doc: { what: 'w', why: 'w', example: 'e', fix: 'f' },
  appliesTo: (rel) => rel.endsWith('.yaml'),
  check() {
    throw new Error('boom');
  },
});

// a corrupt .git/index: git checks the "DIRC" signature first and answers "fatal: index file corrupt"
const GARBAGE = Buffer.from('this is not an index, git checks the DIRC signature first\n'.repeat(8));
const KEY = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

ruleCases('MLH000', {
  valid: [{ name: 'every rule runs through the DTU template', files: dtuTemplate() }],
  invalid: [
    {
      name: 'a rule that throws: named with the rule and the file; the others still run',
      files: { 'README.md': '# x\n', 'a.yaml': 'a: 1\n' },
      extraRules: [crashing],
      errors: [{ file: 'a.yaml', message: 'rule TST002 (crashing) failed on a.yaml: boom' }],
    },
  ],
});

ruleCases('MLH001', {
  valid: [{ name: 'ccds: small UTF-8 files', files: ccds({ 'params.yaml': 'lr: 0.1 # café\n' }) }],
  invalid: [
    {
      name: 'a binary params.yaml, a huge one and a dangling link',
      files: { 'README.md': '# x\n', 'bin.yaml': Buffer.from([0, 1, 2, 0, 0xff]), 'conf/latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]) },
      setup: (root) => {
        const fd = fs.openSync(path.join(root, 'huge.yaml'), 'w');
        fs.ftruncateSync(fd, 50 * 1024 * 1024);
        fs.closeSync(fd);
        fs.symlinkSync('nowhere.yaml', path.join(root, 'conf', 'dangling.yaml'));
      },
      errors: [
        { file: 'bin.yaml', message: 'binary' },
        { file: 'conf/dangling.yaml' },
        { file: 'conf/latin1.yaml', message: 'not valid UTF-8' },
        { file: 'huge.yaml', message: '50.0 MB is above the 5.0 MB read limit' },
      ],
    },
  ],
});

ruleCases('MLH002', {
  valid: [{ name: 'Hydra configs of the DTU template parse', files: dtuTemplate({ 'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n' }) }],
  invalid: [
    {
      name: 'a dvc.yaml with a wrong indentation, at where the parser stopped',
      files: { 'README.md': '# x\n', 'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n   deps: [data]\n' },
      errors: [{ file: 'dvc.yaml', line: 4, severity: 'error' }],
    },
  ],
});

ruleCases('MLH003', {
  valid: [{ name: 'ccds pyproject.toml', files: ccds() }],
  invalid: [
    {
      name: 'an unterminated string in pyproject.toml',
      files: { 'README.md': '# x\n', 'pyproject.toml': '[project]\nname = "demo\n' },
      errors: [{ file: 'pyproject.toml', line: 2, severity: 'error' }],
    },
  ],
});

ruleCases('MLH004', {
  valid: [
    {
      name: 'a [tool.mlops-hygiene] table with known codes and prefixes',
      files: ccds({ 'pyproject.toml': '[project]\nname = "digits"\n\n[tool.mlops-hygiene]\nignore = ["GIT001", "DKR"]\nseverity = { DEP001 = "info" }\n' }),
    },
  ],
  invalid: [
    {
      name: 'a typo in ignore',
      files: { 'README.md': '# x\n', 'pyproject.toml': '[project]\nname = "demo"\n\n[tool.mlops-hygiene]\nignore = ["GTI001"]\n' },
      errors: [{ file: 'pyproject.toml', line: 5, message: 'GTI001' }],
    },
  ],
});

ruleCases('MLH005', {
  valid: [
    {
      name: 'a suppression that suppresses its finding; the syntax documented in Markdown',
      files: {
        'README.md': 'Write `# mlops-hygiene: ignore[GIT001]` above the line.\n',
        'requirements.txt': 'wandb==0.19.1\n',
        'src/proj/__init__.py': '',
        'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")  # mlops-hygiene: ignore[SEC002] -- a revoked demo key\n`,
      },
    },
    {
      name: 'a code switched off is never called unused',
      settings: { ignore: ['SEC002'] },
      files: {
        'README.md': '# x\n',
        'src/proj/train.py': 'import os\nimport wandb\nwandb.login(key=os.environ["WANDB_API_KEY"])  # mlops-hygiene: ignore[SEC002]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'an unknown code and a code that suppresses nothing, at the code',
      files: { 'README.md': '# x\n', 'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")  # mlops-hygiene: ignore[SEC002, DCV003, GIT001]\n` },
      errors: [
        { file: 'src/proj/train.py', line: 2, text: 'DCV003', message: 'matches no rule' },
        { file: 'src/proj/train.py', line: 2, text: 'GIT001', message: 'no GIT001 finding on this line or the next' },
      ],
    },
  ],
});

ruleCases('MLH006', {
  valid: [{ name: 'the ordinary .gitignore of ccds', files: ccds() }],
  invalid: [
    {
      name: 'a line of 50,000 characters: skipped, on its line',
      files: { 'README.md': '# x\n', '.gitignore': `data/\n${'a'.repeat(50_000)}\n*.log\n` },
      errors: [{ file: '.gitignore', line: 2, message: '(50000 characters)` is skipped' }],
    },
  ],
});

ruleCases('MLH008', {
  valid: [
    { name: 'a healthy repository', git: true, files: dtuTemplate() },
    { name: 'a folder that is no repository (the walk is the normal listing)', files: dtuTemplate() },
  ],
  invalid: [
    {
      name: "a corrupt .git/index: git's error quoted, on the anchor",
      git: true,
      files: { 'README.md': '# project\n', '.gitignore': 'data/\n', 'src/train.py': 'print(1)\n', 'pyproject.toml': '[project]\nname = "p"\n' },
      setup: (root) => fs.writeFileSync(path.join(root, '.git', 'index'), GARBAGE),
      errors: [{ file: 'pyproject.toml', severity: 'warning', message: /^git could not list the files \(.*fatal: index file corrupt\)/ }],
    },
  ],
});
