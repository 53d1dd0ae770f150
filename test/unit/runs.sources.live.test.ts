/**
 * Opt-in: the run sources against a real MLflow tracking server and a real W&B project. Skipped unless the variables
 * are set in the shell that starts mocha (test/support/hermetic.ts takes them out of every other test's environment):
 *   MLFLOW_TRACKING_URI=http://localhost:5000 [MLFLOW_TRACKING_TOKEN=... | MLFLOW_TRACKING_USERNAME=... MLFLOW_TRACKING_PASSWORD=...]
 *   WANDB_API_KEY=... MLH_LIVE_WANDB_PROJECT=entity/project
 *   npx tsc -p . && npx mocha --no-config --require ./out/test/support/hermetic.js --timeout 60000 out/test/unit/runs.sources.live.test.js
 * Only reads: experiments/search, runs/search, runs/get, metrics/get-history; the W&B runs query and sampledHistory.
 */
import * as assert from 'node:assert/strict';
import { MlflowServerSource, mlflowServerConfig, WandbCloudSource, wandbConfig } from '../../server/src/engine/runs/sources';
import { LIVE_ENV } from '../support/hermetic';

const STATUSES = ['running', 'finished', 'failed', 'killed', 'unknown'];
const env = Object.fromEntries(Object.entries(LIVE_ENV).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;

describe('runs: live tracking services (opt-in)', function () {
  this.timeout(60_000);

  it('MLflow: the first page of a real server, a run in full and one metric history', async function () {
    if (!env.MLFLOW_TRACKING_URI || !/^https?:/.test(env.MLFLOW_TRACKING_URI)) this.skip();
    const src = new MlflowServerSource(mlflowServerConfig(env.MLFLOW_TRACKING_URI!, env));
    const t0 = Date.now();
    const page = await src.list({ pageSize: 50 });
    console.log(`      (${src.label}: first page of ${page.runs.length} runs in ${Date.now() - t0} ms)`);
    for (const r of page.runs) {
      assert.ok(r.id.startsWith('mlflow-server:'));
      assert.ok(STATUSES.includes(r.status));
      assert.equal(typeof r.name, 'string');
    }
    const withMetric = page.runs.find((r) => r.historyMetrics?.length);
    if (withMetric) {
      const [full] = await src.details([withMetric.id]);
      assert.equal(full.id, withMetric.id);
      const [s] = await src.history(withMetric.id, [withMetric.historyMetrics![0]]);
      assert.ok(s.points.length >= 1);
    }
  });

  it('W&B: the first page of a real project and one history', async function () {
    if (!env.WANDB_API_KEY || !env.MLH_LIVE_WANDB_PROJECT) this.skip();
    const src = new WandbCloudSource(wandbConfig(env.MLH_LIVE_WANDB_PROJECT!, env));
    const t0 = Date.now();
    const page = await src.list({ pageSize: 50 });
    console.log(`      (${src.label}: first page of ${page.runs.length} runs in ${Date.now() - t0} ms)`);
    for (const r of page.runs) assert.ok(STATUSES.includes(r.status));
    const withMetric = page.runs.find((r) => r.historyMetrics?.length);
    if (withMetric) assert.ok(Array.isArray(await src.history(withMetric.id, [withMetric.historyMetrics![0]])));
  });
});
