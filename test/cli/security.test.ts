import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DvcStatusRequest, RunsListRequest } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';
import { copyExample, git, gitRepo, PROJECT_ROOT, rmrf, tmpDir, writeTree } from '../support/tmp';

/**
 * Security, tested (issue 18): what a repository's contents can make the tool do. Restricted mode (an untrusted
 * workspace; `--no-git` for the CLI) runs no process; file names and commands with shell metacharacters execute
 * nothing; `.dvc` paths and outs outside the repository are never read; check, runs and dvc-status write nothing
 * inside the repository.
 */
const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
/** Records the real path of every file the process opened or wrote (the fuzz suite's hook). */
const FS_HOOK = path.join(PROJECT_ROOT, 'scripts', 'fuzz-hook.cjs');
const COMMANDS: string[][] = [
  ['check', '--format', 'json', '--fail-on', 'never'],
  ['runs', '--format', 'json'],
  ['dvc-status', '--format', 'json'],
];

function cli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] }): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  assert.equal(r.signal, null, `${args.join(' ')} was killed: ${r.stderr}`);
  assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A folder of fake executables (git, dvc, python, python3) placed first on PATH: each appends its name and arguments
 * to `log` and fails like a missing repository would. A tool that spawns any of them leaves a line.
 */
function fakeBin(log: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tmpDir('mlh-fakebin-');
  for (const name of ['git', 'dvc', 'python', 'python3']) {
    const script = `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify([${JSON.stringify(name)}, ...process.argv.slice(2)]) + '\\n');\nprocess.stderr.write('fatal: not a git repository\\n');\nprocess.exit(128);\n`;
    fs.writeFileSync(path.join(dir, name), script, { mode: 0o755 });
  }
  return { dir, env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` } };
}

function calls(log: string): string[] {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

/** Every entry under `root` (the .git folder included) with its kind, size and modification time. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const st = fs.lstatSync(abs);
      out.set(path.relative(root, abs), `${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'f'} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(abs);
    }
  };
  walk(root);
  return out;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(`${before.has(k) ? 'changed' : 'created'}: ${k}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`deleted: ${k}`);
  return out;
}

describe('security: what a repository can make the tool do', function () {
  this.timeout(120_000);
  const cleanup: string[] = [];
  afterEach(() => {
    for (const p of cleanup.splice(0)) rmrf(p);
  });

  it('restricted mode spawns no process: check, runs and dvc-status --no-git, and the untrusted server', async () => {
    const root = copyExample('broken-project', true);
    const logDir = tmpDir('mlh-spawnlog-');
    const log = path.join(logDir, 'calls.jsonl');
    const bin = fakeBin(log);
    cleanup.push(root, logDir, bin.dir);

    for (const args of COMMANDS) cli([...args, root, '--no-git'], { cwd: root, env: bin.env });
    assert.deepEqual(calls(log), [], 'the CLI in restricted mode');

    const client = await LspTestClient.start(root, { trusted: false, env: bin.env });
    try {
      await client.waitFor(() => client.status?.state === 'idle' && client.diagnostics.size > 0, 'the first check');
      const runs = await client.connection.sendRequest(RunsListRequest, { complete: true });
      assert.ok(runs.runs.length > 0, 'runs were listed from disk');
      const status = await client.connection.sendRequest(DvcStatusRequest, {});
      assert.ok(status.stages.length + status.items.length > 0, 'the data status was computed natively');
    } finally {
      await client.stop();
    }
    assert.deepEqual(calls(log), [], 'the untrusted language server');

    // the control: trusted, the same commands do ask git (so the fakes would have recorded a call)
    cli([...COMMANDS[0], root], { cwd: root, env: bin.env });
    assert.ok(
      calls(log).some((l) => l.startsWith('["git"')),
      'a trusted check spawns the fake git',
    );
  });

  it('shell metacharacters in tracked file names, dvc.yaml cmd and deps, and .dvc paths execute nothing', () => {
    const canary = tmpDir('mlh-canary-');
    const names = [
      '$(touch PWNED1).csv',
      '`touch PWNED2`.csv',
      'a;touch PWNED3;.csv',
      'b|touch PWNED4.csv',
      'c&&touch PWNED5.csv',
      'new\nline$(touch PWNED6).csv',
    ];
    const root = gitRepo({
      'README.md': '# x\n',
      'params.yaml': 'lr: 0.1\n',
      'src/train.py': 'print(1)\n',
      ...Object.fromEntries(names.map((n) => [`data/${n}`, 'a,b\n1,2\n'])),
      'dvc.yaml': [
        'stages:',
        '  train:',
        `    cmd: python src/train.py "$(touch ${canary}/PWNED7)"; touch ${canary}/PWNED8 \`touch ${canary}/PWNED9\` | sh -c 'touch ${canary}/PWNED10'`,
        '    deps:',
        '    - src/train.py',
        '    - "data/$(touch PWNED11).csv"',
        '    - "data/`touch PWNED12`.csv"',
        '    outs:',
        '    - "models/$(touch PWNED13).pt"',
        '',
      ].join('\n'),
      'dvc.lock': `schema: '2.0'\nstages:\n  train:\n    cmd: python src/train.py "$(touch ${canary}/PWNED14)"\n    deps:\n    - path: "data/$(touch PWNED11).csv"\n      md5: acbd18db4cc2f85cedef654fccc4a4d8\n      size: 9\n`,
      'raw/$(touch PWNED15).bin.dvc': 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: $(touch PWNED15).bin\n',
      'raw/x.dvc': 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: "`touch PWNED16`;touch PWNED17"\n',
      '.dvc/config': '[core]\n    remote = s\n[\'remote "s"\']\n    url = /tmp/$(touch PWNED18)\n',
    });
    fs.writeFileSync(path.join(root, 'raw', '$(touch PWNED15).bin'), 'abc');
    cleanup.push(root, canary);
    const before = snapshot(root);
    for (const args of COMMANDS) {
      for (const extra of [[], ['--no-git']]) {
        const r = cli([...args, root, ...extra], { cwd: root });
        if (args[0] === 'check' && !extra.length) assert.match(r.stdout, /DVC022/, 'the pipeline was read (DVC022 quotes the cmd)');
      }
    }
    const pwned = [...snapshot(root).keys(), ...fs.readdirSync(canary)].filter((p) => /PWNED\d+$/.test(p));
    assert.deepEqual(pwned, [], 'no touch ran');
    assert.deepEqual(changes(before, snapshot(root)), [], 'and nothing was written in the repository');
  });

  it('.dvc paths and outs outside the repository (../.., absolute) are never read or hashed', () => {
    const outside = tmpDir('mlh-outside-');
    writeTree(outside, { 'secret.bin': 'the contents of a file outside the repository\n', 'model.pt': 'weights\n', 'deps/raw.csv': 'a,b\n' });
    const rel = (root: string, p: string): string => path.relative(root, path.join(outside, p)).split(path.sep).join('/');
    const root = gitRepo({ 'README.md': '# x\n', 'src/train.py': 'print(1)\n' });
    cleanup.push(root, outside);
    writeTree(root, {
      'data/up.dvc': `outs:\n- md5: 0123456789abcdef0123456789abcdef\n  size: 47\n  hash: md5\n  path: ${rel(path.join(root, 'data'), 'secret.bin')}\n`,
      'data/abs.dvc': `outs:\n- md5: 0123456789abcdef0123456789abcdef\n  size: 47\n  hash: md5\n  path: ${path.join(outside, 'secret.bin')}\n`,
      'passwd.dvc': 'outs:\n- md5: 0123456789abcdef0123456789abcdef\n  size: 47\n  hash: md5\n  path: ../../../../../../etc/passwd\n',
      'dvc.yaml': `stages:\n  train:\n    cmd: python src/train.py\n    deps:\n    - src/train.py\n    - ${rel(root, 'deps/raw.csv')}\n    - /etc/passwd\n    outs:\n    - ${rel(root, 'model.pt')}\n    - ${path.join(outside, 'secret.bin')}\n`,
      'dvc.lock': `schema: '2.0'\nstages:\n  train:\n    cmd: python src/train.py\n    deps:\n    - path: ${rel(root, 'deps/raw.csv')}\n      md5: 0123456789abcdef0123456789abcdef\n      size: 4\n    - path: /etc/passwd\n      md5: 0123456789abcdef0123456789abcdef\n      size: 4\n    outs:\n    - path: ${rel(root, 'model.pt')}\n      md5: 0123456789abcdef0123456789abcdef\n      size: 8\n`,
    });
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'dvc');
    const logDir = tmpDir('mlh-fslog-');
    cleanup.push(logDir);
    const forbidden = [
      fs.realpathSync(path.join(outside, 'secret.bin')),
      fs.realpathSync(path.join(outside, 'model.pt')),
      fs.realpathSync(path.join(outside, 'deps', 'raw.csv')),
      '/etc/passwd',
    ];
    for (const [i, args] of COMMANDS.entries()) {
      for (const extra of [[], ['--no-git']]) {
        const log = path.join(logDir, `${i}${extra.length}.json`);
        const r = cli([...args, root, ...extra], { cwd: root, env: { ...process.env, FUZZ_FS_LOG: log }, nodeArgs: ['--require', FS_HOOK] });
        const seen = JSON.parse(fs.readFileSync(log, 'utf8')) as { read: string[]; write: string[] };
        // the hook works: the .dvc files themselves were read
        if (args[0] !== 'runs')
          assert.ok(seen.read.includes(fs.realpathSync(path.join(root, 'data', 'up.dvc'))), `${args[0]} read data/up.dvc: ${seen.read.join(' ')}`);
        for (const p of forbidden) assert.ok(!seen.read.includes(p), `${args.join(' ')} ${extra.join(' ')} read ${p}`);
        if (args[0] === 'dvc-status') assert.match(r.stdout + r.stderr, /outside the workspace/, 'dvc-status says what it skipped');
      }
    }
  });

  it('check, runs and dvc-status write nothing inside the repository (a snapshot of every entry with mtimes)', () => {
    const root = copyExample('broken-project', true);
    const logDir = tmpDir('mlh-fslog-');
    cleanup.push(root, logDir);
    const before = snapshot(root);
    const realRoot = fs.realpathSync(root);
    for (const [i, args] of COMMANDS.entries()) {
      for (const extra of [[], ['--no-git']]) {
        const log = path.join(logDir, `${i}${extra.length}.json`);
        cli([...args, root, ...extra], { cwd: root, env: { ...process.env, FUZZ_FS_LOG: log }, nodeArgs: ['--require', FS_HOOK] });
        const seen = JSON.parse(fs.readFileSync(log, 'utf8')) as { read: string[]; write: string[] };
        assert.deepEqual(
          seen.write.filter((p) => p === realRoot || p.startsWith(realRoot + path.sep)),
          [],
          `${args[0]} ${extra.join(' ')} wrote inside the repository`,
        );
      }
    }
    assert.deepEqual(changes(before, snapshot(root)), []);
  });
});
