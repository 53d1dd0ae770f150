import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planFixes } from '../../server/src/engine/fixes';
import type { Finding } from '../../server/src/engine';
import { unifiedDiff } from '../../server/src/cli/fix';
import { git, gitRepo, PROJECT_ROOT, rmrf } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

/**
 * A project whose workflow uses actions/checkout@v3 twice (GHA011, preferred fix: the version), whose `ruff format .`
 * step cannot fail (GHA006, preferred: add --check), and whose sweep has `min: 1e-5`, which PyYAML (YAML 1.1) reads as
 * the string '1e-5' (YML001, preferred: `1.0e-5`). The user's comments and layout around them must survive the fixes.
 */
function project(): string {
  return gitRepo({
    'README.md': '# Digits\n',
    'pyproject.toml': '[project]\nname = "digits"\nversion = "0.1.0"\ndependencies = ["wandb==0.17.0"]\n',
    '.gitignore': '__pycache__/\ndata/\n',
    'tests/test_model.py': 'def test_shape():\n    assert (1, 2) == (1, 2)\n',
    '.github/workflows/tests.yaml':
      'name: tests\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3   # the repository\n      - run: pip install -e . ruff pytest\n      - run: ruff format .\n      - run: pytest tests/\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n      - run: pip install -e . ruff pytest && ruff check .\n',
    'sweep.yaml':
      'program: train.py\nmethod: random\nmetric:\n  name: val_loss\n  goal: minimize\nparameters:\n  weight_decay:\n    # small on purpose\n    min: 1e-5\n    max: 0.001\n',
    'train.py': 'import wandb\n',
  });
}

describe('check --fix and --diff', function () {
  this.timeout(60_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it('--diff prints what --fix writes (git apply takes it), writes nothing, and exits 1; --fix then leaves nothing to fix', () => {
    root = project();
    const before = fs.readFileSync(path.join(root, '.github/workflows/tests.yaml'), 'utf8');
    const d = run(['check', '.', '--diff'], root);
    assert.equal(d.status, 1, d.stderr);
    assert.equal(fs.readFileSync(path.join(root, '.github/workflows/tests.yaml'), 'utf8'), before, '--diff writes nothing');
    assert.match(d.stdout, /^-      - uses: actions\/checkout@v3   # the repository\n\+      - uses: actions\/checkout@v5   # the repository$/m);
    assert.match(d.stdout, /^\+    min: 1\.0e-5$/m);
    // the diff is a real patch: git applies it, and the result is what --fix writes
    fs.writeFileSync(path.join(root, '..', `fix-${process.pid}.patch`), d.stdout + '\n');
    execFileSync('git', ['apply', '--check', path.join(root, '..', `fix-${process.pid}.patch`)], { cwd: root });
    git(root, 'apply', path.join(root, '..', `fix-${process.pid}.patch`));
    const patched = fs.readFileSync(path.join(root, '.github/workflows/tests.yaml'), 'utf8');
    const patchedSweep = fs.readFileSync(path.join(root, 'sweep.yaml'), 'utf8');
    git(root, 'checkout', '--', '.');
    fs.rmSync(path.join(root, '..', `fix-${process.pid}.patch`));

    const f = run(['check', '.', '--fix', '--format', 'json', '--fail-on', 'never'], root);
    assert.equal(f.status, 0, f.stderr);
    assert.match(f.stderr, /^fixed \.github\/workflows\/tests\.yaml:7:32 GHA011: Use actions\/checkout@v5$/m);
    assert.match(f.stderr, /^fixed sweep\.yaml:9:10 YML001: Write 1\.0e-5$/m);
    assert.equal(fs.readFileSync(path.join(root, '.github/workflows/tests.yaml'), 'utf8'), patched);
    assert.equal(fs.readFileSync(path.join(root, 'sweep.yaml'), 'utf8'), patchedSweep);
    // only the fixes' edits: comments, quoting and the other lines are the user's, byte for byte
    assert.equal(patched, before.replace(/checkout@v3/g, 'checkout@v5').replace('ruff format .', 'ruff format --check .'));
    assert.equal(
      patchedSweep,
      'program: train.py\nmethod: random\nmetric:\n  name: val_loss\n  goal: minimize\nparameters:\n  weight_decay:\n    # small on purpose\n    min: 1.0e-5\n    max: 0.001\n',
    );
    // the report is the re-check after writing: the fixed findings are gone
    const left = (JSON.parse(f.stdout) as { findings: { code: string }[] }).findings.map((x) => x.code);
    for (const c of ['GHA011', 'GHA006', 'YML001']) assert.ok(!left.includes(c), `${c} fixed, left: ${left.join(', ')}`);
    const again = run(['check', '.', '--diff'], root);
    assert.equal(again.status, 0);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /No safe fixes to apply/);
  });

  it('--fix and --diff together are a usage error', () => {
    root = project();
    assert.equal(run(['check', '.', '--fix', '--diff'], root).status, 2);
  });
});

describe('planFixes', () => {
  const at = (line: number, c0: number, c1 = c0) => ({ start: { line, character: c0 }, end: { line, character: c1 } });
  const finding = (code: string, fixes: Finding['fixes']): Finding => ({ code, severity: 'warning', message: '', file: 'a.txt', range: at(0, 0), fixes });

  it('takes only preferred fixes, applies the same edit once, defers an overlapping one, and keeps a multi-file fix whole', () => {
    const files: Record<string, string> = { 'a.txt': 'one two three\n', 'b.txt': 'x\n' };
    const plan = planFixes(
      [
        finding('T1', [{ title: 'not safe', changes: [{ file: 'a.txt', edits: [{ range: at(0, 0, 3), newText: 'ONE' }] }] }]),
        finding('T2', [{ title: 'two', preferred: true, changes: [{ file: 'a.txt', edits: [{ range: at(0, 4, 7), newText: '2' }] }] }]),
        finding('T3', [{ title: 'two again', preferred: true, changes: [{ file: 'a.txt', edits: [{ range: at(0, 4, 7), newText: '2' }] }] }]),
        finding('T4', [
          {
            title: 'overlaps',
            preferred: true,
            changes: [
              { file: 'a.txt', edits: [{ range: at(0, 6, 9), newText: 'Z' }] },
              { file: 'b.txt', edits: [{ range: at(0, 0, 1), newText: 'y' }] },
            ],
          },
        ]),
        finding('T5', [{ title: 'new file', preferred: true, changes: [{ file: 'c.txt', create: true, edits: [{ range: at(0, 0), newText: 'c\n' }] }] }]),
        finding('T6', [{ title: 'missing file, not created', preferred: true, changes: [{ file: 'd.txt', edits: [{ range: at(0, 0), newText: 'd' }] }] }]),
      ],
      (f) => files[f],
    );
    assert.deepEqual(
      plan.applied.map((x) => x.finding.code),
      ['T2', 'T3', 'T5'],
    );
    assert.deepEqual(
      plan.deferred.map((x) => x.finding.code),
      ['T4'],
    );
    assert.equal(plan.texts.get('a.txt')!.after, 'one 2 three\n');
    assert.ok(!plan.texts.has('b.txt'), 'a fix is taken whole or not at all');
    assert.deepEqual(plan.texts.get('c.txt'), { before: undefined, after: 'c\n' });
  });

  it('unifiedDiff: hunks with context, a new file from /dev/null, a missing final newline', () => {
    assert.equal(unifiedDiff('n.txt', undefined, 'a\n'), '--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,1 @@\n+a');
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const changed = [...lines];
    changed[10] = 'L10';
    assert.equal(
      unifiedDiff('f.txt', lines.join('\n') + '\n', changed.join('\n')),
      // changes 8 lines apart (more than twice the 3 lines of context) are two hunks, as `diff -u` makes them
      [
        '--- a/f.txt',
        '+++ b/f.txt',
        '@@ -8,7 +8,7 @@',
        ' l7',
        ' l8',
        ' l9',
        '-l10',
        '+L10',
        ' l11',
        ' l12',
        ' l13',
        '@@ -17,4 +17,4 @@',
        ' l16',
        ' l17',
        ' l18',
        '-l19',
        '+l19',
        '\\ No newline at end of file',
      ].join('\n'),
    );
  });
});
