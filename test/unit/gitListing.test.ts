import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { checkFolder } from '../support/check';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, PROJECT_ROOT, rmrf, tmpDir, writeTree } from '../support/tmp';

// A corrupt .git/index: git refuses every command that reads it, with "error: bad signature 0x...\nfatal: index file
// corrupt" (git's read-cache.c checks the "DIRC" signature of the first four bytes). Issue 19: the listing used to fall
// back to the walk without a word.
const GARBAGE = Buffer.from('this is not an index, git checks the DIRC signature first\n'.repeat(8));

const FILES = {
  'README.md': '# project\n',
  '.gitignore': 'data/\n',
  'src/train.py': 'print(1)\n',
  // an ML project (the language server checks only folders with an ML signal, mlSignal.ts): torch is declared
  'pyproject.toml': '[project]\nname = "p"\ndependencies = ["torch==2.4.0"]\n',
};

describe('MLH008: git could not list the files', function () {
  this.timeout(60_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it("a corrupt .git/index: MLH008 names git's error and the walk that listed instead; the files are still checked", async () => {
    root = gitRepo(FILES);
    fs.writeFileSync(path.join(root, '.git', 'index'), GARBAGE);
    const ws = await Workspace.load(root);
    assert.equal(ws.listedBy, 'walk');
    assert.match(ws.gitFailure ?? '', /index file corrupt/);
    assert.ok(ws.has('src/train.py'), 'the walk listed the sources');
    const findings = await checkFolder(root);
    const f = findings.filter((x) => x.code === 'MLH008');
    assert.equal(f.length, 1, JSON.stringify(findings.map((x) => x.code)));
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].file, 'pyproject.toml'); // the repository's anchor
    assert.match(f[0].message, /^git could not list the files \(.*fatal: index file corrupt\): the folder was listed by walking it/);
  });

  it('the CLI says so on stderr (a note) and in its JSON findings', () => {
    root = gitRepo(FILES);
    fs.writeFileSync(path.join(root, '.git', 'index'), GARBAGE);
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli.js'), 'check', root, '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /note: git could not list the files \(.*index file corrupt\): listed by walking the folder/);
    const codes = (JSON.parse(r.stdout) as { findings: { code: string }[] }).findings.map((x) => x.code);
    assert.ok(codes.includes('MLH008'), codes.join(' '));
  });

  it('must not fire: a healthy repository, a folder outside any repository, and the untrusted (no-git) listing', async () => {
    root = gitRepo(FILES);
    const healthy = await Workspace.load(root);
    assert.equal(healthy.listedBy, 'git');
    assert.equal(healthy.gitFailure, undefined);
    assert.deepEqual(
      (await checkFolder(root)).filter((x) => x.code === 'MLH008'),
      [],
    );
    // restricted mode does not ask git at all: a corrupt index there is none of its business
    fs.writeFileSync(path.join(root, '.git', 'index'), GARBAGE);
    assert.deepEqual(
      (await checkFolder(root, {}, false)).filter((x) => x.code === 'MLH008'),
      [],
    );
    rmrf(root);
    // a plain folder: "not a git repository" is the normal case for the walk
    root = tmpDir();
    writeTree(root, FILES);
    const plain = await Workspace.load(root);
    assert.equal(plain.listedBy, 'walk');
    assert.equal(plain.gitFailure, undefined);
    assert.deepEqual(
      (await checkFolder(root)).filter((x) => x.code === 'MLH008'),
      [],
    );
  });

  it('the language server logs which listing it used, and publishes MLH008 for a corrupt index', async () => {
    root = gitRepo(FILES);
    fs.writeFileSync(path.join(root, '.git', 'index'), GARBAGE);
    const client = await LspTestClient.start(root);
    try {
      await client.waitFor(() => client.codesFor('pyproject.toml').includes('MLH008'), 'MLH008 on pyproject.toml');
      await client.waitFor(
        () => client.logs.some((l) => /git could not list the files \(.*index file corrupt\); listed by walking the folder instead/.test(l)),
        'the log line',
      );
      await client.waitFor(() => !!client.status?.notes.some((n) => /git could not list the files/.test(n)), 'the note in the status');
    } finally {
      await client.stop();
    }
  });

  it('the language server logs the git listing of a healthy repository', async () => {
    root = gitRepo(FILES);
    const client = await LspTestClient.start(root);
    try {
      await client.waitFor(() => client.logs.some((l) => /^listed 4 files in .* by git$/.test(l)), `the log line (${client.logs.join(' | ')})`);
      assert.ok(!client.codesFor('pyproject.toml').includes('MLH008'));
    } finally {
      await client.stop();
    }
  });
});
