import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { fakeMlflow, fakeWandb, FakeServer, manyMlflowRuns, type FakeWandbRun } from '../support/fakeTracking';
import { wandbRun } from '../support/runFixtures';
import { gitRepo, PROJECT_ROOT, rmrf, tmpDir } from '../support/tmp';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

/** The CLI as a user runs it, asynchronously (the fake servers answer from this process), with its own HOME. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? '', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

let home = '';

describe('CLI runs: MLflow server and W&B project', function () {
  this.timeout(60_000);
  let root = '';
  const servers: FakeServer[] = [];
  beforeEach(() => {
    home = tmpDir('mlh-home-');
    root = gitRepo({ 'README.md': '# x\n' });
  });
  afterEach(async () => {
    while (servers.length) await servers.pop()!.stop();
    rmrf(root);
    rmrf(home);
  });

  const mlflow = async () => {
    const s = await fakeMlflow(
      [{ experiment_id: '3', name: 'cls' }],
      [
        {
          info: {
            run_id: 'f00d',
            run_name: 'brave-cat-1',
            experiment_id: '3',
            status: 'FINISHED',
            start_time: Date.UTC(2024, 4, 2, 9, 0),
            end_time: Date.UTC(2024, 4, 2, 9, 3, 5),
            lifecycle_stage: 'active',
          },
          data: {
            params: [{ key: 'lr', value: '0.05' }],
            metrics: [{ key: 'loss', value: 0.125, timestamp: 1, step: 1 }],
            tags: [{ key: 'mlflow.source.git.commit', value: 'abcdef1234567' }],
          },
        },
        { info: { run_id: 'dead', run_name: 'deleted', experiment_id: '3', status: 'FINISHED', start_time: 1, lifecycle_stage: 'deleted' }, data: {} },
      ],
    ).start();
    servers.push(s);
    return s;
  };

  it('--mlflow URI lists the server runs in the same table as the local ones', async () => {
    wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5}' });
    const s = await mlflow();
    const r = await cli(['runs', root, '--mlflow', s.url, '--params', 'lr', '--metrics', 'loss']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^SOURCE +EXPERIMENT +NAME +STATUS +STARTED +DURATION +COMMIT +lr +loss +WARNINGS$/);
    assert.equal(lines.length, 3, r.stdout);
    assert.match(r.stdout, /^mlflow +cls +brave-cat-1 +finished +2024-05-0\d \d\d:\d\d +3m 05s +abcdef1 +0\.05 +0\.125 *$/m);
    assert.match(r.stdout, /^wandb +wandb +aaaa0001 /m);
    assert.ok(!r.stdout.includes('deleted'));
  });

  it('MLFLOW_TRACKING_URI from the environment is used; nothing is contacted without it; JSON output', async () => {
    const s = await mlflow();
    const j = JSON.parse((await cli(['runs', root, '--format', 'json'], { MLFLOW_TRACKING_URI: s.url })).stdout) as {
      runs: { id: string; details?: Record<string, string> }[];
    };
    assert.deepEqual(
      j.runs.map((x) => x.details?.runId),
      ['f00d'],
    );
    const before = s.requests.length;
    const none = await cli(['runs', root]);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /No runs found/);
    assert.equal(s.requests.length, before, 'no request without --mlflow or MLFLOW_TRACKING_URI');
  });

  it('a refused token, a server that is down: the error and its action on stderr, the local runs still listed, exit 1', async () => {
    wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5}' });
    const s = await mlflow();
    s.behaviour.requireAuth = 'Bearer right';
    const r = await cli(['runs', root, '--mlflow', s.url], { MLFLOW_TRACKING_TOKEN: 'wrong-token' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: MLflow server http:\/\/127\.0\.0\.1:\d+ refused the credentials \(HTTP 401: UNAUTHENTICATED: .*\)\. Set the token/m);
    assert.ok(!r.stderr.includes('wrong-token') && !r.stdout.includes('wrong-token'), 'the token is never printed');
    assert.match(r.stdout, /^wandb +wandb +aaaa0001 /m);
    const ok = await cli(['runs', root, '--mlflow', s.url], { MLFLOW_TRACKING_TOKEN: 'right' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /brave-cat-1/);
    const down = await cli(['runs', root, '--mlflow', 'http://127.0.0.1:9']);
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      /^error: MLflow server http:\/\/127\.0\.0\.1:9 cannot be reached at http:\/\/127\.0\.0\.1:9\/api\/2\.0\/mlflow\/experiments\/search \(ECONNREFUSED\)\. Start the server/m,
    );
  });

  it('without a source configured, says where the code logs its runs (contacting nothing)', async () => {
    const fs = await import('node:fs');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'src', 'train.py'),
      'import mlflow\nmlflow.set_tracking_uri("http://127.0.0.1:9")\nimport wandb\nwandb.init(project="seg")\n',
    );
    const r = await cli(['runs', root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^note: src\/train\.py:2 logs runs to the MLflow server http:\/\/127\.0\.0\.1:9: add --mlflow http:\/\/127\.0\.0\.1:9 to list them$/m,
    );
    assert.match(r.stderr, /^note: src\/train\.py:4 logs runs to the W&B project <entity>\/seg: add --wandb <entity>\/seg to list them$/m);
    assert.doesNotMatch(r.stderr, /cannot be reached/, 'the hinted server is not contacted');
  });

  it('MLFLOW_TRACKING_URI=databricks is explained, not contacted', async () => {
    const r = await cli(['runs', root], { MLFLOW_TRACKING_URI: 'databricks' });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /note: MLFLOW_TRACKING_URI: the tracking URI 'databricks' names a Databricks workspace/);
  });

  it('--wandb entity/project: cloud runs and the local folder of the same run are one row', async () => {
    wandbRun(root, 'run-20240501_100000-abc123', { format: 'current', summary: '{"loss": 0.5}' });
    const runs: FakeWandbRun[] = [
      {
        id: 'x',
        name: 'abc123',
        displayName: 'swift-sun-4',
        state: 'finished',
        config: { lr: { value: 0.001 } },
        summaryMetrics: { loss: 0.5 },
        createdAt: '2024-05-01T08:00:00',
      },
      {
        id: 'y',
        name: 'zz9',
        displayName: 'teammate-run',
        state: 'running',
        config: { lr: { value: 0.1 } },
        summaryMetrics: { loss: 0.9 },
        createdAt: '2024-05-03T08:00:00',
      },
    ];
    const s = await fakeWandb('team', 'proj', runs, 'k3y').start();
    servers.push(s);
    const r = await cli(['runs', root, '--wandb', 'team/proj', '--format', 'json'], { WANDB_API_KEY: 'k3y', WANDB_BASE_URL: s.url });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { runs: { id: string; name: string; details?: Record<string, string> }[] };
    assert.deepEqual(j.runs.map((x) => [x.name, x.details?.sync]).sort(), [
      ['swift-sun-4', 'synced to team/proj'],
      ['teammate-run', 'in the cloud'],
    ]);
    // the key from ~/.netrc (machine <host of WANDB_BASE_URL>)
    const fs = await import('node:fs');
    fs.writeFileSync(path.join(home, '.netrc'), `machine 127.0.0.1\n  login user\n  password k3y\n`);
    const viaNetrc = await cli(['runs', root, '--wandb', 'team/proj'], { WANDB_BASE_URL: s.url });
    assert.equal(viaNetrc.code, 0, viaNetrc.stderr);
    assert.match(viaNetrc.stdout, /teammate-run/);
  });

  it('figures: 10,000 server runs listed by the CLI', async () => {
    const s = await fakeMlflow([{ experiment_id: '1', name: 'big' }], manyMlflowRuns(10_000)).start();
    servers.push(s);
    const t0 = Date.now();
    const r = await cli(['runs', root, '--mlflow', s.url, '--format', 'json']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { runs: unknown[] }).runs.length, 10_000);
    assert.equal(s.requests.filter((q) => q.path.endsWith('runs/search')).length, 10, 'pages of 1,000');
    console.log(`      (10,000 server runs through the CLI: ${ms} ms)`);
  });
});
