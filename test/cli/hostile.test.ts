import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitRepo, PROJECT_ROOT, rmrf, writeTree } from '../support/tmp';

/**
 * Hostile input, through the real CLI (a process per case, as a user runs it): each case is a defect a fuzzing campaign
 * found (issue 18). A repository's files must never crash, hang or abort the tool, nor make it say nothing.
 */
const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

/** A finding of `check --format json` (1-based lines and columns). */
interface Finding {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

function cli(args: string[], timeout = 30_000): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout, maxBuffer: 1 << 28 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function checkJson(root: string, ...extra: string[]): { code: number | null; findings: Finding[]; stderr: string } {
  const r = cli(['check', root, '--format', 'json', '--fail-on', 'never', ...extra]);
  assert.equal(r.signal, null, `check was killed (${r.signal}): ${r.stderr.slice(0, 300)}`);
  assert.equal(r.code, 0, r.stderr.slice(0, 500));
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings, stderr: r.stderr };
}

const deepSeq = (n: number): string => '- '.repeat(n) + 'x\n';

describe('CLI on hostile input', function () {
  this.timeout(90_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it('deeply nested YAML gives one MLH002 "nesting deeper than" per file; two such files do not abort the CLI', () => {
    root = gitRepo({
      'README.md': '# x\n',
      'params.yaml': deepSeq(1200),
      'configs/deep.yaml': deepSeq(1200),
      'configs/flow.yaml': 'a: ' + '['.repeat(1200) + ']'.repeat(1200) + '\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    deps: [train.py]\n    outs: [model.pt]\n',
      'sub/dvc.yaml': 'stages:\n  deep:\n    cmd:\n      ' + deepSeq(1200),
      '.github/workflows/deep.yml': 'on: push\njobs:\n  t:\n    steps:\n      ' + deepSeq(1200),
    });
    const { findings } = checkJson(root);
    assert.deepEqual(
      findings.filter((f) => f.code === 'MLH000'),
      [],
      'no rule failed',
    );
    for (const f of ['sub/dvc.yaml', '.github/workflows/deep.yml']) {
      const own = findings.filter((x) => x.file === f);
      assert.deepEqual(
        own.map((x) => x.code),
        ['MLH002'],
        `${f}: ${JSON.stringify(own)}`,
      );
      assert.match(own[0].message, /nesting deeper than 100 levels/);
    }
    // files that no file rule checks (params.yaml here is read only by the pipeline) say nothing else either
    assert.ok(!findings.some((f) => /call stack/.test(f.message)), JSON.stringify(findings));
    // the deep sub/dvc.yaml stays with itself: the root pipeline is still checked (train.py does not exist)
    assert.ok(
      findings.some((f) => f.file === 'dvc.yaml' && f.code === 'DVC006'),
      JSON.stringify(findings.map((f) => f.code)),
    );
    const status = cli(['dvc-status', root, '--format', 'json']);
    assert.equal(status.signal, null);
    assert.ok(status.code === 0 || status.code === 1, status.stderr);
    assert.doesNotMatch(status.stderr, /call stack/);
  });

  it('a named pipe under any name the engine reads is skipped with MLH001; check, runs and dvc-status end', function () {
    if (process.platform === 'win32') this.skip();
    root = gitRepo({
      'README.md': '# x\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    params: [lr]\n',
      'train.py': 'print(1)\n',
      'outputs/2024-01-01/10-00-00/.hydra/overrides.yaml': '[]\n',
    });
    const mkfifo = (f: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      if (spawnSync('mkfifo', [path.join(root, f)]).status !== 0) this.skip();
    };
    // git lists an untracked pipe (it cannot track one): it is not read, and said so
    mkfifo('params.yaml');
    const said = checkJson(root).findings.filter((f) => /not a regular file \(a named pipe\)/.test(f.message));
    // the pipeline, which reads it, says so where params.yaml is named (DVC011)
    assert.deepEqual(
      said.map((f) => `${f.code} ${f.file}`),
      ['DVC011 dvc.yaml'],
      JSON.stringify(said),
    );
    // every other name: git itself blocks on a .gitignore pipe, is stopped after 10 s and the walker lists (it lists
    // regular files only); nothing hangs, nothing fails
    for (const f of [
      'pyproject.toml',
      'dvc.lock',
      '.dvc/config',
      '.gitignore',
      '.dvcignore',
      'requirements.txt',
      'outputs/2024-01-01/10-00-00/.hydra/config.yaml',
    ])
      mkfifo(f);
    for (const noGit of [[], ['--no-git']]) {
      const { findings } = checkJson(root, ...noGit);
      assert.deepEqual(
        findings.filter((f) => f.code === 'MLH000'),
        [],
      );
      assert.ok(
        findings.some((f) => f.file === 'dvc.yaml'),
        'the pipeline is still checked',
      );
    }
    for (const cmd of ['runs', 'dvc-status']) {
      const r = cli([cmd, root, '--format', 'json'], 20_000);
      assert.equal(r.signal, null, `${cmd} hung or was killed`);
      assert.ok(r.code === 0 || r.code === 1, `${cmd}: ${r.code} ${r.stderr}`);
    }
  });

  it('a .gitignore pattern the matcher cannot compile is skipped with MLH006 on its line; the others still apply', () => {
    root = gitRepo({ 'README.md': '# x\n' });
    writeTree(root, { '.gitignore': `data/\n${'a'.repeat(50_000)}\n*.log\n`, 'train.log': 'x\n', 'notes.yaml': 'a: 1\n' });
    for (const noGit of [['--no-git'], []]) {
      const { findings } = checkJson(root, ...noGit);
      const skipped = findings.filter((f) => f.code === 'MLH006');
      assert.equal(skipped.length, 1, JSON.stringify(findings.map((f) => f.code)));
      assert.equal(skipped[0].file, '.gitignore');
      assert.equal(skipped[0].line, 2);
      assert.match(skipped[0].message, /aaaa\.\.\. \(50000 characters\)` is skipped: Regular expression too large/);
    }
  });

  it('one non-UTF-8 byte: every kind of file is analysed with the byte replaced, and says so (MLH001 info)', () => {
    const bad = (s: string): Buffer => Buffer.concat([Buffer.from(s), Buffer.from([0xff]), Buffer.from('\n')]);
    root = gitRepo({
      'README.md': '# x\n',
      'requirements.txt': Buffer.concat([Buffer.from('numpy\n'), bad('# caf')]),
      Dockerfile: Buffer.concat([Buffer.from('FROM python:latest\n'), bad('# caf')]),
      'dvc.yaml': Buffer.concat([Buffer.from('stages:\n  train:\n    cmd: python missing.py\n'), bad('# caf')]),
      'params.yaml': bad('lr: 0.1 # caf'),
      'pyproject.toml': Buffer.concat([Buffer.from('[project]\nname = "x"\n'), bad('# caf')]),
      '.github/workflows/ci.yml': Buffer.concat([
        Buffer.from('on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n'),
        bad('# caf'),
      ]),
      'train.py': bad('import numpy  # caf'),
    });
    const { findings } = checkJson(root);
    for (const [file, badLine, analysedBy] of [
      ['requirements.txt', 2, /^DEP/],
      ['Dockerfile', 2, /^DKR/],
      ['dvc.yaml', 4, /^DVC/],
      ['params.yaml', 1, undefined],
      ['pyproject.toml', 3, undefined],
      ['.github/workflows/ci.yml', 7, undefined],
      ['train.py', 1, undefined],
    ] as const) {
      const note = findings.filter((f) => f.file === file && f.code === 'MLH001');
      assert.equal(note.length, 1, `${file}: ${JSON.stringify(findings.filter((f) => f.file === file))}`);
      assert.equal(note[0].severity, 'info');
      assert.match(note[0].message, /is not valid UTF-8: .*replacement characters/);
      assert.equal(note[0].line, badLine, `${file}: at the first bad byte`);
      if (analysedBy)
        assert.ok(
          findings.some((f) => f.file === file && analysedBy.test(f.code)),
          `${file} analysed: ${JSON.stringify(findings.filter((f) => f.file === file).map((f) => f.code))}`,
        );
    }
  });

  it('an alias bomb in dvc.yaml says what is wrong (too many aliases), not "must be a mapping, found a mapping"', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    root = gitRepo({ 'README.md': '# x\n', 'dvc.yaml': `vars:\n  - ${levels.join('\n  - ')}\nstages:\n  t:\n    cmd: echo\n` });
    const { findings } = checkJson(root);
    const own = findings.filter((f) => f.file === 'dvc.yaml');
    assert.ok(!own.some((f) => /found a mapping/.test(f.message)), JSON.stringify(own));
    const bomb = own.filter((f) => f.code === 'MLH002');
    assert.equal(bomb.length, 1, JSON.stringify(own));
    assert.match(bomb[0].message, /too many aliases expanded: .*more than 1000 alias expansions/);
    assert.equal(bomb[0].line, 3, 'at the first alias');
  });

  it("a collection as a mapping key prints nothing on stderr (stderr is for the CLI's own messages)", () => {
    root = gitRepo({ 'README.md': '# x\n', 'params.yaml': '{}: 1\n[a, b]: 2\n', 'dvc.yaml': 'stages:\n  t:\n    cmd: echo\n    params: [lr]\n' });
    const { stderr } = checkJson(root);
    assert.equal(stderr, '');
  });
});
