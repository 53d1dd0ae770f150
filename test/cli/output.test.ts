import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeData, escapeProperty, formatGithub } from '../../server/src/cli/format/github';
import { FINGERPRINT_KEY, fingerprints } from '../../server/src/cli/format/sarif';
import { useColor } from '../../server/src/cli/format/text';
import type { Finding } from '../../server/src/engine';
import { gitRepo, PROJECT_ROOT, rmrf, tmpDir, writeTree } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
const KEY = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const e = { ...process.env, ...env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'GITHUB_WORKSPACE', 'MLOPS_HYGIENE_TIMING']) if (!(k in env)) delete e[k];
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: e });
}

/** A small W&B project: a key written in train.py (SEC002), a stage depending on a missing file (DVC003). */
function project(files: Record<string, string> = {}): string {
  return gitRepo({
    'README.md': '# Proj\n',
    'pyproject.toml': '[project]\nname = "proj"\nversion = "0.1.0"\ndependencies = ["wandb==0.17.0"]\n',
    '.gitignore': 'data/\n',
    'src/proj/train.py': `import wandb\nwandb.login(key="${KEY}")\n`,
    'dvc.yaml': 'stages:\n  train:\n    cmd: python src/proj/train.py\n    deps:\n      - data/raw.csv\n',
    ...files,
  });
}

describe('CLI output', function () {
  this.timeout(60_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it('--format github: one workflow command per finding, paths from the repository root, severities mapped', () => {
    root = project();
    fs.mkdirSync(path.join(root, 'ml'));
    for (const f of ['README.md', 'pyproject.toml', 'src', 'dvc.yaml']) fs.renameSync(path.join(root, f), path.join(root, 'ml', f));
    const r = run(['check', 'ml', '--format', 'github', '--no-git'], root);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(
      lines.every((l) => /^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[A-Z]+\d{3}::[A-Z]+\d{3} /.test(l)),
      r.stdout,
    );
    assert.ok(
      lines.includes(
        `::error file=ml/src/proj/train.py,line=2,col=18,endLine=2,endColumn=58,title=SEC002::SEC002 W&B API key 3f2a…(40 characters) is written in src/proj/train.py; remove it, rotate it, and read it from the environment`,
      ),
      r.stdout,
    );
  });

  it('GitHub escaping: % CR LF in data; also : and , in properties (as @actions/core escapes them)', () => {
    assert.equal(escapeData('50% done\r\nnext: a,b'), '50%25 done%0D%0Anext: a,b');
    assert.equal(escapeProperty('C:\\a,b%\n'), 'C%3A\\a%2Cb%25%0A');
    const f: Finding = {
      code: 'TST001',
      severity: 'info',
      message: 'two\nlines: 100%',
      file: 'we,ird:name.yaml',
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 2 } },
    };
    assert.equal(formatGithub([f]), '::notice file=we%2Cird%3Aname.yaml,line=1,col=1,endLine=2,endColumn=3,title=TST001::TST001 two%0Alines: 100%25');
  });

  it('SARIF: a fingerprint that survives lines added above, differs per occurrence, and security-severity for SEC rules', () => {
    root = project();
    const sarif = () =>
      JSON.parse(run(['check', '.', '--format', 'sarif'], root).stdout) as {
        runs: {
          results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[];
          tool: { driver: { rules: { id: string; properties?: Record<string, unknown> }[] } };
        }[];
      };
    const first = sarif().runs[0];
    const sec = first.results.find((x) => x.ruleId === 'SEC002')!;
    assert.match(sec.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}$/);
    const rule = first.tool.driver.rules.find((x) => x.id === 'SEC002')!;
    assert.equal(rule.properties?.['security-severity'], '8.0');
    assert.deepEqual(rule.properties?.tags, ['security']);
    assert.equal(first.tool.driver.rules.find((x) => x.id === 'DVC003')!.properties, undefined, 'only SEC rules are security results');
    // three lines added above, and the line re-indented: same fingerprint, new line number
    fs.writeFileSync(path.join(root, 'src/proj/train.py'), `"""Training."""\nimport os\n\nimport wandb\n    \nwandb.login(key="${KEY}")\n`);
    const moved = sarif().runs[0].results.find((x) => x.ruleId === 'SEC002')!;
    assert.equal(moved.locations[0].physicalLocation.region.startLine, 6);
    assert.equal(moved.partialFingerprints[FINGERPRINT_KEY], sec.partialFingerprints[FINGERPRINT_KEY]);
    // unit: the same text twice gives two fingerprints; another line's text another one
    const f = (line: number): Finding => ({
      code: 'X001',
      severity: 'error',
      message: '',
      file: 'a',
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
    });
    const text = ['same', '  same  ', 'other'];
    const p = fingerprints([f(0), f(1), f(2)], (_, l) => text[l]);
    assert.equal(new Set(p).size, 3);
    assert.deepEqual(
      fingerprints([f(1)], (_, l) => text[l]),
      [p[0]],
      'the first occurrence of a text keeps its print',
    );
  });

  it('MLOPS_HYGIENE_TIMING=1: the slowest rules on stderr, with their calls; nothing without it; stdout unchanged', () => {
    root = project();
    const plain = run(['check', '.', '--format', 'json', '--fail-on', 'never'], root);
    const timed = run(['check', '.', '--format', 'json', '--fail-on', 'never'], root, { MLOPS_HYGIENE_TIMING: '1' });
    assert.equal(plain.stderr, '');
    const lines = timed.stderr.trim().split('\n');
    assert.match(lines[0], /^Rule\s+Time \(ms\)\s+Share\s+Calls$/);
    assert.match(lines.at(-1)!, /^all rules: \d+\.\d ms$/);
    const rows = lines.slice(1, -1).map((l) => l.split(/\s+/));
    assert.ok(rows.length > 5 && rows.length <= 15, `${rows.length} rows`);
    const ms = rows.map((r) => Number(r[1]));
    assert.deepEqual(
      ms,
      [...ms].sort((a, b) => b - a),
      'slowest first',
    );
    assert.ok(
      rows.some((r) => r[0] === 'SEC002' && Number(r[3]) >= 1),
      'the rule that finds the key ran',
    );
    const findings = (o: string) => JSON.parse(o).findings;
    assert.deepEqual(findings(timed.stdout), findings(plain.stdout));
  });

  it('colours: none when piped or with NO_COLOR, on with FORCE_COLOR or --color; never in a file', () => {
    root = project();
    const ESC = '\u001b[';
    assert.ok(!run(['check', '.'], root).stdout.includes(ESC), 'piped: plain');
    assert.ok(run(['check', '.'], root, { FORCE_COLOR: '1' }).stdout.includes(`${ESC}31merror`));
    assert.ok(!run(['check', '.'], root, { FORCE_COLOR: '0' }).stdout.includes(ESC));
    assert.ok(run(['check', '.', '--color'], root, { NO_COLOR: '1' }).stdout.includes(ESC), 'the flag wins');
    assert.equal(useColor({ env: {}, isTTY: true }), true, 'a terminal gets colours');
    assert.equal(useColor({ env: { NO_COLOR: '1' }, isTTY: true }), false);
    assert.equal(useColor({ env: { NO_COLOR: '' }, isTTY: true }), true, 'an empty NO_COLOR is unset (no-color.org)');
    assert.equal(useColor({ env: { FORCE_COLOR: '1' }, isTTY: true, toFile: true }), false);
  });

  it('text: findings, then the rules grouped with counts and the totals; --statistics prints only the counts', () => {
    root = project({ 'src/proj/eval.py': `import wandb\nwandb.login(key="${KEY}")\nwandb.login(key="${KEY}")\n` });
    const r = run(['check', '.', '--fail-on', 'never'], root);
    assert.match(r.stdout, /^src\/proj\/eval\.py:2:18: error SEC002 /m);
    assert.match(
      r.stdout,
      /\n\n3  SEC002 {6}wandb-api-key\n1  DVC003 {6}dvc-dep-missing\n1  PRJ002 {6}no-tests\n1  PRJ004 {6}no-source-package\n\n6 findings \(4 errors, 1 warning, 1 info\) in 4 files\n$/,
    );
    const s = run(['check', '.', '--statistics', '--fail-on', 'never'], root);
    assert.deepEqual(
      s.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(0, 2).join(' '))
        .slice(0, 2),
      ['3 SEC002', '1 DVC003'],
    );
    assert.ok(!s.stdout.includes('src/proj/eval.py:'), 'no findings list');
    const j = JSON.parse(run(['check', '.', '--statistics', '--format', 'json'], root).stdout) as { code: string; count: number; fixable: number }[];
    assert.deepEqual(
      j.find((c) => c.code === 'SEC002'),
      { code: 'SEC002', name: 'wandb-api-key', count: 3, fixable: 0 },
    );
  });
});

describe('configuration', function () {
  this.timeout(60_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it('per-file-ignores and extend-exclude in [tool.mlops-hygiene]; a wrong code in them is MLH004 at its key', () => {
    root = project({
      'pyproject.toml':
        '[project]\nname = "proj"\nversion = "0.1.0"\ndependencies = ["wandb==0.17.0"]\n\n[tool.mlops-hygiene]\nextend-exclude = ["legacy/"]\n\n[tool.mlops-hygiene.per-file-ignores]\n"tests/**" = ["SEC"]\n"notebooks/*.py" = ["SCE002"]\n',
      'tests/fixtures/keys.py': `import wandb\nwandb.login(key="${KEY}")\n`,
      'legacy/old.py': `import wandb\nwandb.login(key="${KEY}")\n`,
    });
    const f = JSON.parse(run(['check', '.', '--format', 'json', '--fail-on', 'never'], root).stdout).findings as {
      code: string;
      file: string;
      line: number;
      message: string;
    }[];
    assert.deepEqual(
      f.filter((x) => x.code === 'SEC002').map((x) => x.file),
      ['src/proj/train.py'],
      'tests/ ignored for SEC, legacy/ excluded, src/ still reported',
    );
    const bad = f.filter((x) => x.code === 'MLH004');
    assert.deepEqual(
      bad.map((x) => [x.file, x.line]),
      [['pyproject.toml', 11]],
    );
    assert.match(bad[0].message, /'SCE002', which matches no rule/);
  });

  it('a standalone mlops-hygiene.toml (same keys, no table) is read, and wins over [tool.mlops-hygiene]', () => {
    root = project({
      'pyproject.toml': '[project]\nname = "proj"\nversion = "0.1.0"\n\n[tool.mlops-hygiene]\nignore = ["DVC"]\n',
      'mlops-hygiene.toml': '# settings of mlops-hygiene\nignore = ["SEC002"]\n\n[severity]\nDVC003 = "info"\n',
    });
    const f = JSON.parse(run(['check', '.', '--format', 'json', '--fail-on', 'never'], root).stdout).findings as { code: string; severity: string }[];
    assert.ok(!f.some((x) => x.code === 'SEC002'));
    assert.equal(f.find((x) => x.code === 'DVC003')?.severity, 'info', 'pyproject ignore of DVC is not applied when mlops-hygiene.toml exists');
    // a mistake in mlops-hygiene.toml is reported there, at its key
    fs.writeFileSync(path.join(root, 'mlops-hygiene.toml'), 'ignore = "SEC002"\n');
    const g = JSON.parse(run(['check', '.', '--format', 'json', '--fail-on', 'never'], root).stdout).findings as { code: string; file: string; line: number }[];
    assert.deepEqual(
      g.filter((x) => x.code === 'MLH004').map((x) => `${x.file}:${x.line}`),
      ['mlops-hygiene.toml:1'],
    );
  });

  it('--config FILE replaces the project configuration; a mistake in it is a usage error with its position', () => {
    root = project({ 'pyproject.toml': '[project]\nname = "proj"\nversion = "0.1.0"\n\n[tool.mlops-hygiene]\nignore = ["SEC"]\n' });
    const dir = tmpDir();
    try {
      writeTree(dir, {
        'ci.toml': 'select = ["SEC"]\n',
        'bad.toml': '\nselect = ["SEC", "NOPE1"]\n',
        'pyproject.toml': '[tool.mlops-hygiene]\nselect = ["DVC"]\n',
      });
      const codes = (cfg: string) =>
        new Set(
          (JSON.parse(run(['check', '.', '--format', 'json', '--config', cfg, '--fail-on', 'never'], root).stdout).findings as { code: string }[]).map(
            (x) => x.code,
          ),
        );
      assert.deepEqual([...codes(path.join(dir, 'ci.toml'))], ['SEC002'], "the project's ignore of SEC is not read");
      assert.deepEqual([...codes(path.join(dir, 'pyproject.toml'))], ['DVC003'], 'a pyproject.toml given to --config is read at [tool.mlops-hygiene]');
      const bad = run(['check', '.', '--config', path.join(dir, 'bad.toml')], root);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /bad\.toml:2:1: 'select' names 'NOPE1', which matches no rule/);
      assert.equal(run(['check', '.', '--config', path.join(dir, 'missing.toml')], root).status, 2);
    } finally {
      rmrf(dir);
    }
  });
});
