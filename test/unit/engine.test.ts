import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, defineFileRule, defineRepoRule, Engine, Workspace, type Rule } from '../../server/src/engine';
import { checkFolder, where } from '../support/check';
import { git, gitRepo, rmrf, tmpDir, writeTree } from '../support/tmp';

/** A test rule that reads YAML, to exercise the engine's handling of bad input without depending on a family. */
const yamlProbe = defineFileRule({
  code: 'TST001',
  name: 'yaml-probe',
  severity: 'info',
  title: 'probe',
  doc: { what: 'w', why: 'w', example: 'e', fix: 'f' },
  appliesTo: (rel) => rel.endsWith('.yaml'),
  check(ctx) {
    const y = ctx.yaml();
    if (y?.rootMap) ctx.report({ message: `keys: ${y.rootMap.items.length}`, range: y.rangeOf(y.rootMap) });
  },
});

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

async function run(root: string, rules: Rule[], useGit = false) {
  const ws = await Workspace.load(root, { useGit });
  const engine = new Engine(ws, [...ALL_RULES.filter((r) => r.code.startsWith('MLH')), ...rules]);
  return { ws, engine, findings: engine.checkAll() };
}

describe('engine', () => {
  let root = '';
  afterEach(() => rmrf(root));

  describe('configuration in pyproject.toml', () => {
    it('ignore, select and severity apply; mistakes are reported on their line', async () => {
      root = gitRepo({
        'pyproject.toml':
          '[project]\nname = "x"\n\n[tool.mlops-hygiene]\nignore = ["GIT001", "GTI"]\n\n[tool.mlops-hygiene.severity]\nGIT002 = "error"\nSEC001 = "loud"\n',
        'models/a.pt': 'x',
      });
      writeTree(root, { 'models/b.pt': 'y' });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'GIT001'), []);
      assert.equal(f.find((x) => x.code === 'GIT002')?.severity, 'error');
      assert.deepEqual(where(f, 'MLH004').sort(), ['pyproject.toml:5', 'pyproject.toml:9']);
    });

    it('exclude skips paths', async () => {
      root = gitRepo({ 'pyproject.toml': '[tool.mlops-hygiene]\nexclude = ["legacy/"]\n', 'legacy/m.pt': 'x', 'models/m.pt': 'x' });
      assert.deepEqual(where(await checkFolder(root), 'GIT001'), ['models/m.pt:1']);
    });

    it('a TOML syntax error is reported, not thrown', async () => {
      root = gitRepo({ 'pyproject.toml': '[project]\nname = "x\n', 'README.md': '#\n' });
      const f = await checkFolder(root);
      assert.deepEqual(where(f, 'MLH003'), ['pyproject.toml:2']);
      assert.match(f.find((x) => x.code === 'MLH003')!.message, /settings are not applied/);
    });
  });

  describe('suppression comments', () => {
    it('on the line or the line above, by code or prefix; other codes still report', async () => {
      const key = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
      root = gitRepo({
        'a.py': `K = "${key}"  # not a key\nwandb.login(key="${key}")  # mlops-hygiene: ignore[SEC002]\n# mlops-hygiene: ignore[SEC]\nwandb.login(key="${key}")\nwandb.login(key="${key}")  # mlops-hygiene: ignore[GIT001]\n`,
      });
      assert.deepEqual(where(await checkFolder(root), 'SEC002'), ['a.py:5']);
    });
  });

  describe('bad input', () => {
    it('a memo that throws is computed once per pass; its failure stays with the rules that asked (MLH000 each)', async () => {
      root = tmpDir();
      writeTree(root, { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'c.txt': 'x\n' });
      let computed = 0;
      const asking = (code: string) =>
        defineFileRule({
          code,
          name: `asks-${code}`,
          severity: 'info',
          title: 'memo',
          doc: { what: 'w', why: 'w', example: 'e', fix: 'f' },
          appliesTo: (rel) => rel.endsWith('.yaml'),
          check(ctx) {
            ctx.memo('shared', () => {
              computed++;
              throw new RangeError('Maximum call stack size exceeded');
            });
          },
        });
      const { findings } = await run(root, [asking('TST003'), asking('TST004'), yamlProbe]);
      assert.equal(computed, 1, 'kept like a value, not recomputed by every rule and file');
      assert.deepEqual(
        findings.filter((f) => f.code === 'MLH000').map((f) => `${f.file} ${f.message}`),
        [
          'a.yaml rule TST003 (asks-TST003) failed on a.yaml: Maximum call stack size exceeded',
          'a.yaml rule TST004 (asks-TST004) failed on a.yaml: Maximum call stack size exceeded',
          'b.yaml rule TST003 (asks-TST003) failed on b.yaml: Maximum call stack size exceeded',
          'b.yaml rule TST004 (asks-TST004) failed on b.yaml: Maximum call stack size exceeded',
        ],
      );
      assert.deepEqual(where(findings, 'TST001'), ['a.yaml:1', 'b.yaml:1'], 'the other rules still ran');
    });

    it('broken YAML gives MLH002 at the error position; the rule that wanted it is skipped', async () => {
      root = tmpDir();
      writeTree(root, { 'a.yaml': 'stages:\n  train:\n    cmd: [unclosed\n' });
      const { findings } = await run(root, [yamlProbe]);
      assert.deepEqual(
        findings.map((f) => f.code),
        ['MLH002'],
      );
      assert.ok(findings[0].range.start.line >= 2);
    });

    it('binary, non-UTF-8, huge and unreadable files give MLH001 with the reason; nothing hangs', async function () {
      this.timeout(60000);
      root = tmpDir();
      writeTree(root, { 'bin.yaml': Buffer.from([0x61, 0x3a, 0, 1, 2]), 'latin1.yaml': Buffer.from('name: caf\xe9\n', 'latin1'), 'ok.yaml': 'a: 1\n' });
      // 50 MB of real YAML
      const line = 'key_with_some_length: value with some length too\n';
      fs.writeFileSync(path.join(root, 'huge.yaml'), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
      writeTree(root, { 'secret.yaml': 'a: 1\n' });
      fs.chmodSync(path.join(root, 'secret.yaml'), 0o000);
      const t0 = Date.now();
      const { findings } = await run(root, [yamlProbe]);
      assert.ok(Date.now() - t0 < 10000, 'a 50 MB file is not parsed');
      const byFile = Object.fromEntries(findings.map((f) => [f.file, `${f.code} ${f.message}`]));
      assert.match(byFile['bin.yaml'], /^MLH001 .*binary/);
      // not UTF-8: analysed with the byte replaced, and said so
      assert.deepEqual(
        findings.filter((f) => f.file === 'latin1.yaml').map((f) => `${f.code} ${f.severity}`),
        ['TST001 info', 'MLH001 info'],
      );
      assert.match(findings.find((f) => f.file === 'latin1.yaml' && f.code === 'MLH001')!.message, /not valid UTF-8: .*line 1/);
      assert.match(byFile['huge.yaml'], /^MLH001 .*50\.0 MB is above the 5\.0 MB read limit/);
      assert.match(byFile['ok.yaml'], /^TST001 keys: 1/);
      if (process.getuid?.() !== 0) assert.match(byFile['secret.yaml'], /^MLH001 .*could not be read \(EACCES\)/);
    });

    it('symlink loops and dangling links are not followed; the walk ends', async () => {
      root = tmpDir();
      writeTree(root, { 'cfg/a.yaml': 'a: 1\n' });
      fs.symlinkSync('..', path.join(root, 'cfg', 'loop'));
      fs.symlinkSync('/nonexistent/elsewhere.yaml', path.join(root, 'cfg', 'dangling.yaml'));
      fs.symlinkSync('self.yaml', path.join(root, 'self.yaml'));
      const { findings, ws } = await run(root, [yamlProbe]);
      assert.ok(ws.size < 10);
      const codes = Object.fromEntries(findings.map((f) => [f.file, f.code]));
      assert.equal(codes['cfg/a.yaml'], 'TST001');
      assert.equal(codes['cfg/dangling.yaml'], 'MLH001');
      assert.equal(codes['self.yaml'], 'MLH001');
    });

    it('a rule that throws becomes MLH000 naming the rule and file; the others still run', async () => {
      root = tmpDir();
      writeTree(root, { 'a.yaml': 'a: 1\n' });
      const { findings } = await run(root, [crashing, yamlProbe]);
      assert.deepEqual(findings.map((f) => f.code).sort(), ['MLH000', 'TST001']);
      assert.match(findings.find((f) => f.code === 'MLH000')!.message, /rule TST002 \(crashing\) failed on a\.yaml: boom/);
    });
  });

  describe('incremental re-checking', () => {
    it('re-runs only units that read a changed file; an overlay edit changes the result', async () => {
      root = tmpDir();
      writeTree(root, { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\nc: 2\n' });
      const { ws, engine } = await run(root, [yamlProbe]);
      assert.equal(engine.findingsFor('b.yaml')[0].message, 'keys: 2');
      ws.setOverlay('b.yaml', 'b: 1\n');
      const touched = engine.update(['b.yaml']);
      assert.ok(touched.has('b.yaml'));
      assert.ok(!touched.has('a.yaml'), 'a.yaml did not read b.yaml');
      assert.equal(engine.findingsFor('b.yaml')[0].message, 'keys: 1');
    });

    it('units that used a memo (even through a nested memo) re-run when a file the memo read changes, and only then', async () => {
      root = tmpDir();
      writeTree(root, { 'shared.txt': 'v1\n', 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'other.txt': 'x\n' });
      let outerComputes = 0;
      const usesMemo = defineFileRule({
        code: 'TST004',
        name: 'uses-memo',
        severity: 'info',
        title: 'memo',
        doc: { what: 'w', why: 'w', example: 'e', fix: 'f' },
        appliesTo: (rel) => rel.endsWith('.yaml'),
        check(ctx) {
          const v = ctx.memo('outer', () => {
            outerComputes++;
            return ctx.memo('inner', () => {
              const r = ctx.ws.readText('shared.txt');
              return r.ok ? r.text.trim() : '?';
            });
          });
          ctx.report({ message: `shared ${v}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
        },
      });
      const { ws, engine } = await run(root, [usesMemo]);
      assert.equal(outerComputes, 1, 'computed once for both files');
      ws.setOverlay('other.txt', 'y\n');
      assert.deepEqual([...engine.update(['other.txt'], false, 'edit')], ['other.txt']);
      assert.equal(outerComputes, 1, 'nothing used other.txt');
      ws.setOverlay('shared.txt', 'v2\n');
      const touched = engine.update(['shared.txt'], false, 'edit');
      assert.ok(touched.has('a.yaml') && touched.has('b.yaml'));
      assert.equal(outerComputes, 2);
      assert.equal(engine.findingsFor('a.yaml')[0].message, 'shared v2');
      assert.equal(engine.findingsFor('b.yaml')[0].message, 'shared v2');
    });

    it('runPending re-checks the edited file first and alone when asked; the dependents follow, with the same result as update()', async () => {
      root = tmpDir();
      writeTree(root, { 'shared.yaml': 'k: 1\n', 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
      const readsShared = defineFileRule({
        code: 'TST005',
        name: 'reads-shared',
        severity: 'info',
        title: 'shared',
        doc: { what: 'w', why: 'w', example: 'e', fix: 'f' },
        appliesTo: (rel) => rel.endsWith('.yaml'),
        check(ctx) {
          const r = ctx.ws.readText('shared.yaml');
          ctx.report({ message: `shared ${r.ok ? r.text.trim() : '?'}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
        },
      });
      const { ws, engine } = await run(root, [readsShared]);
      ws.setOverlay('shared.yaml', 'k: 2\n');
      engine.invalidate(['shared.yaml'], false, 'edit');
      assert.ok(engine.hasPending);
      const first = engine.runPending({ first: ['shared.yaml'], onlyFirst: true });
      assert.deepEqual([...first.touched], ['shared.yaml']);
      assert.equal(first.done, false, 'a.yaml and b.yaml still wait');
      assert.equal(engine.findingsFor('shared.yaml')[0].message, 'shared k: 2');
      assert.equal(engine.findingsFor('a.yaml')[0].message, 'shared k: 1', 'not re-checked yet');
      // a second edit before the dependents ran keeps them pending
      ws.setOverlay('shared.yaml', 'k: 3\n');
      engine.invalidate(['shared.yaml'], false, 'edit');
      let rest = engine.runPending({ budgetMs: 0 });
      assert.equal(rest.done, false, 'a budget of 0 ms runs one unit and yields');
      while (!rest.done) rest = engine.runPending({ budgetMs: 0 });
      assert.deepEqual(
        ['shared.yaml', 'a.yaml', 'b.yaml'].map((f) => engine.findingsFor(f)[0].message),
        ['shared k: 3', 'shared k: 3', 'shared k: 3'],
      );
      assert.deepEqual(engine.allFindings(), new Engine(ws, engine.rules).checkAll(), 'the same as checking everything afresh');
    });

    it('a unit that only stats a file re-runs on a disk event for it, not on an unsaved edit', async () => {
      root = tmpDir();
      writeTree(root, { 'a.yaml': 'a: 1\n', 'big.yaml': 'x: 1\n' });
      let runs = 0;
      const sizes = defineRepoRule({
        code: 'TST003',
        name: 'sizes',
        severity: 'info',
        title: 'sizes',
        doc: { what: 'w', why: 'w', example: 'e', fix: 'f' },
        check(ctx) {
          runs++;
          const st = ctx.ws.stat('big.yaml');
          ctx.report({ message: `size ${st?.size}`, file: 'a.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
        },
      });
      const { ws, engine } = await run(root, [yamlProbe, sizes]);
      assert.equal(runs, 1);
      ws.setOverlay('big.yaml', 'x: 1\ny: 2\n');
      engine.update(['big.yaml'], false, 'edit');
      assert.equal(runs, 1, 'an unsaved edit cannot change the size on disk');
      assert.equal(engine.findingsFor('big.yaml')[0].message, 'keys: 2', 'the file unit that reads big.yaml did re-run');
      fs.writeFileSync(path.join(root, 'big.yaml'), 'x: 1\ny: 2\nz: 3\n');
      ws.clearOverlay('big.yaml');
      ws.invalidate('big.yaml', 'changed');
      engine.update(['big.yaml'], false, 'disk');
      assert.equal(runs, 2);
      assert.equal(engine.findingsFor('a.yaml').find((f) => f.code === 'TST003')?.message, 'size 15');
    });
  });

  it('incremental: false (the CLI) finds exactly what the incremental engine finds, and refuses to re-run what changed', async () => {
    // a realistic project with findings from most families, suppression comments and memos shared by rules
    const root = tmpDir();
    try {
      fs.cpSync(path.join(__dirname, '..', '..', '..', 'examples', 'broken-project'), root, { recursive: true });
      git(root, 'init', '-q', '-b', 'main');
      git(root, 'add', '-A');
      git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'x');
      const ws = await Workspace.load(root, { useGit: true });
      const incremental = new Engine(ws, ALL_RULES).checkAll();
      const once = new Engine(await Workspace.load(root, { useGit: true }), ALL_RULES, [], { incremental: false });
      const findings = once.checkAll();
      assert.ok(findings.length > 20, `the example has findings of many rules (${findings.length})`);
      assert.deepEqual(findings, incremental);
      assert.throws(() => once.update(['params.yaml']), /incremental: false/);
    } finally {
      rmrf(root);
    }
  });
});

describe('workspace listing', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('with git: tracked, untracked and ignored files', async () => {
    root = gitRepo({ '.gitignore': '/data/\n', 'src/a.py': '' });
    writeTree(root, { 'src/b.py': '', 'data/x/1.csv': '', 'data/x/2.csv': '' });
    const ws = await Workspace.load(root);
    assert.equal(ws.isGitRepository, true);
    assert.equal(ws.isTracked('src/a.py'), true);
    assert.equal(ws.has('src/b.py'), true);
    assert.equal(ws.isTracked('src/b.py'), false);
    assert.equal(ws.has('data/x/1.csv'), false);
    assert.equal(ws.isIgnored('data/y/new.csv'), true);
    assert.equal(ws.isIgnored('src/c.py'), false);
  });

  it('with git: one listing tells tracked from untracked (staged, deleted, skip-worktree); the default branch is asked for on use', async () => {
    root = gitRepo({ 'a.py': '', 'gone.py': '', 'hidden.py': '', 'b.py': '' }, ['a.py', 'gone.py', 'hidden.py']);
    writeTree(root, { 'staged.py': '' });
    git(root, 'add', 'staged.py');
    fs.rmSync(path.join(root, 'gone.py'));
    git(root, 'update-index', '--skip-worktree', 'hidden.py');
    const ws = await Workspace.load(root);
    assert.deepEqual([...ws.paths()].sort(), ['a.py', 'b.py', 'gone.py', 'hidden.py', 'staged.py']);
    assert.deepEqual(
      [...ws.paths()].sort().filter((p) => ws.isTracked(p)),
      ['a.py', 'gone.py', 'hidden.py', 'staged.py'],
    );
    assert.equal(ws.gitPrefix, '');
    assert.equal(ws.gitTopLevel, fs.realpathSync(root));
    // the current branch, then origin's HEAD once there is one (after a relist: the answer is kept until then)
    assert.equal(ws.defaultBranch, 'main');
    git(root, 'checkout', '-q', '-b', 'feature');
    git(root, 'update-ref', 'refs/remotes/origin/trunk', 'HEAD');
    git(root, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    assert.equal(ws.defaultBranch, 'main');
    await ws.relist();
    assert.equal(ws.defaultBranch, 'trunk');
    git(root, 'symbolic-ref', '-d', 'refs/remotes/origin/HEAD');
    await ws.relist();
    assert.equal(ws.defaultBranch, 'feature');
    assert.equal((await Workspace.load(root, { useGit: false })).defaultBranch, undefined);
  });

  it('a workspace that is a sub-folder of its repository: paths are relative to it, the .gitignore above applies', async () => {
    const top = gitRepo({ '.gitignore': 'wandb/\n/proj/secret/\n', 'proj/src/a.py': '', 'other/b.py': '' });
    root = top;
    const ws = await Workspace.load(path.join(top, 'proj'));
    assert.deepEqual([...ws.paths()], ['src/a.py']);
    assert.equal(ws.gitPrefix, 'proj/');
    assert.equal(ws.isIgnored('wandb', true), true);
    assert.equal(ws.isIgnored('secret/x.txt'), true);
    assert.equal(ws.isIgnored('src/b.py'), false);
  });

  it('without git: honours .gitignore files (nested too) and does not descend into artefact folders', async () => {
    root = tmpDir();
    writeTree(root, {
      '.gitignore': '*.log\n',
      'src/.gitignore': 'gen/\n',
      'src/gen/x.py': '',
      'src/a.py': '',
      'a.log': '',
      'wandb/run-20241105_101010-ab12cd34/files/config.yaml': 'a: 1\n',
      'node_modules/x/index.js': '',
    });
    const ws = await Workspace.load(root, { useGit: false });
    assert.deepEqual([...ws.paths()].sort(), ['.gitignore', 'src/.gitignore', 'src/a.py']);
    assert.ok(ws.listingNotes.some((n) => n.includes('wandb/')));
    assert.equal(ws.isIgnored('src/gen/y.py'), true);
  });

  it('without git: `data/` is skipped at the top only; run folders at any depth by their markers; nested `data/` folders are sources', async () => {
    root = tmpDir();
    writeTree(root, {
      'data/raw/a.csv': '',
      'configs/data/digits.yaml': 'a: 1\n',
      'src/pkg/data/load.py': '',
      // a Hydra run (its .hydra/ folder) two levels below src/outputs: the walk stops at the run, the store is src/outputs
      'src/outputs/2024-01-01/10-00-00/.hydra/config.yaml': '',
      'wandb/run-20241105_101010-ab12cd34/files/x.json': '',
      // named like run folders, but sources: a package and a Hydra config group
      'src/pkg/wandb/__init__.py': '',
      'configs/wandb/default.yaml': 'project: x\n',
    });
    const ws = await Workspace.load(root, { useGit: false });
    assert.deepEqual([...ws.paths()].sort(), ['configs/data/digits.yaml', 'configs/wandb/default.yaml', 'src/pkg/data/load.py', 'src/pkg/wandb/__init__.py']);
    assert.deepEqual([...ws.artefactDirs].sort(), ['data', 'src/outputs/2024-01-01/10-00-00', 'wandb']);
    assert.deepEqual(
      ws.runFolders().folders.map((f) => `${f.dir} ${f.tool}`),
      ['src/outputs Hydra', 'wandb W&B'],
    );
    assert.equal(ws.isRunArtefact('src/pkg/wandb/__init__.py'), false);
  });

  it('without git: the .dvc files and .gitignore at the top of data/ are listed (dvc add writes them there), nothing below', async () => {
    root = tmpDir();
    writeTree(root, {
      '.gitignore': 'data/old.dvc\n',
      'data/.gitignore': '/raw\n',
      'data/raw.dvc': 'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  path: raw\n',
      'data/old.dvc': 'outs: []\n',
      'data/raw/a.csv': '',
      'data/raw/deep.dvc': '',
      'data/notes.txt': '',
    });
    const ws = await Workspace.load(root, { useGit: false });
    assert.deepEqual([...ws.paths()].sort(), ['.gitignore', 'data/.gitignore', 'data/raw.dvc']);
  });
});
