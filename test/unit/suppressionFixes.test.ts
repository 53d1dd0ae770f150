import * as assert from 'node:assert/strict';
import { Workspace, applyEdits, ignoreInFileFix, ignoreOnLineFix, perFileIgnoreFix, type Finding, type Fix } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

function finding(file: string, line: number, code = 'GHA011'): Finding {
  return { code, file, severity: 'warning', message: 'm', range: { start: { line, character: 6 }, end: { line, character: 20 } } };
}

async function apply(root: string, fix: Fix | undefined, file: string): Promise<string> {
  assert.ok(fix, 'no fix');
  const ws = await Workspace.load(root, { useGit: false });
  const r = ws.readText(file);
  const change = fix.changes.find((c) => c.file === file);
  assert.ok(change, `the fix does not edit ${file}`);
  return applyEdits(r.ok ? r.text : '', change.edits);
}

describe('suppression fixes (Ignore CODE on this line / in this file)', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('adds the code to an existing suppression instead of a second comment; offers nothing when it is covered', async () => {
    root = gitRepo({ 'ci.yml': 'steps:\n  # mlops-hygiene: ignore[GHA004]\n  - uses: actions/checkout@v2\n  - uses: x/y@v1  # mlops-hygiene: ignore[GHA]\n' });
    const ws = await Workspace.load(root, { useGit: false });
    assert.equal(
      await apply(root, ignoreOnLineFix(ws, finding('ci.yml', 2)), 'ci.yml'),
      'steps:\n  # mlops-hygiene: ignore[GHA004, GHA011]\n  - uses: actions/checkout@v2\n  - uses: x/y@v1  # mlops-hygiene: ignore[GHA]\n',
    );
    assert.equal(ignoreOnLineFix(ws, finding('ci.yml', 3)), undefined, 'GHA covers GHA011 already');
  });

  it('never writes a comment line into a YAML block scalar (it would become part of the command)', async () => {
    root = gitRepo({ 'dvc.yaml': 'stages:\n  train:\n    cmd: |\n      python train.py\n      python eval.py\n' });
    const ws = await Workspace.load(root, { useGit: false });
    assert.equal(ignoreOnLineFix(ws, finding('dvc.yaml', 4, 'DVC001')), undefined);
    assert.ok(ignoreOnLineFix(ws, finding('dvc.yaml', 2, 'DVC001')), 'the `cmd:` line itself can take one');
  });

  it('the file form goes after a shebang and Dockerfile parser directives; Markdown gets an HTML comment', async () => {
    root = gitRepo({ 'run.py': '#!/usr/bin/env python\nimport os\n', Dockerfile: '# syntax=docker/dockerfile:1\nFROM python:3.11\n', 'README.md': '# x\n' });
    const ws = await Workspace.load(root, { useGit: false });
    assert.equal(
      await apply(root, ignoreInFileFix(ws, finding('run.py', 1, 'SEC002')), 'run.py'),
      '#!/usr/bin/env python\n# mlops-hygiene: ignore-file[SEC002]\nimport os\n',
    );
    assert.equal(
      await apply(root, ignoreInFileFix(ws, finding('Dockerfile', 1, 'DKR001')), 'Dockerfile'),
      '# syntax=docker/dockerfile:1\n# mlops-hygiene: ignore-file[DKR001]\nFROM python:3.11\n',
    );
    assert.equal(await apply(root, ignoreInFileFix(ws, finding('README.md', 0, 'PRJ001')), 'README.md'), '<!-- mlops-hygiene: ignore-file[PRJ001] -->\n# x\n');
  });

  it('per-file-ignores: into the existing table of mlops-hygiene.toml, into an existing entry, never into an inline table', async () => {
    root = gitRepo({
      'mlops-hygiene.toml': 'ignore = ["PRJ"]\n\n[per-file-ignores]\n"tests/**" = ["SEC"]\n\n[severity]\nGIT001 = "error"\n',
      'pyproject.toml': '[project]\nname = "x"\n',
    });
    let ws = await Workspace.load(root, { useGit: false });
    assert.equal(
      await apply(root, perFileIgnoreFix(ws, 'conf/sweep.json', 'WB001'), 'mlops-hygiene.toml'),
      'ignore = ["PRJ"]\n\n[per-file-ignores]\n"tests/**" = ["SEC"]\n"/conf/sweep.json" = ["WB001"]\n\n[severity]\nGIT001 = "error"\n',
    );
    rmrf(root);
    root = gitRepo({ 'pyproject.toml': '[tool.mlops-hygiene.per-file-ignores]\n"/conf/sweep.json" = ["WB002"]\n' });
    ws = await Workspace.load(root, { useGit: false });
    assert.equal(
      await apply(root, perFileIgnoreFix(ws, 'conf/sweep.json', 'WB001'), 'pyproject.toml'),
      '[tool.mlops-hygiene.per-file-ignores]\n"/conf/sweep.json" = ["WB002", "WB001"]\n',
    );
    rmrf(root);
    root = gitRepo({ 'pyproject.toml': '[tool.mlops-hygiene]\nper-file-ignores = { "tests/**" = ["SEC"] }\n' });
    ws = await Workspace.load(root, { useGit: false });
    assert.equal(perFileIgnoreFix(ws, 'conf/sweep.json', 'WB001'), undefined);
  });

  it('the per-file-ignores entry it writes is read by the engine (a tracked model file)', async () => {
    root = gitRepo({ 'README.md': '# x\n', 'pyproject.toml': '[project]\nname = "x"\n', 'models/model.pt': Buffer.from([0, 1, 0]) });
    assert.deepEqual(where(await checkFolder(root), 'GIT001'), ['models/model.pt:1'], 'GIT001 fires before');
    const ws = await Workspace.load(root, { useGit: true });
    const text = await apply(root, perFileIgnoreFix(ws, 'models/model.pt', 'GIT001'), 'pyproject.toml');
    rmrf(root);
    root = gitRepo({ 'README.md': '# x\n', 'pyproject.toml': text, 'models/model.pt': Buffer.from([0, 1, 0]) });
    assert.deepEqual(where(await checkFolder(root), 'GIT001'), []);
  });
});
