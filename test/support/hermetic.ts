/**
 * Loaded by mocha before the fast suite (.mocharc `require`): every server and CLI the tests start inherits a temporary
 * XDG_CACHE_HOME, so no test writes hash caches or code caches into the user's own cache folder (each temporary
 * repository used to leave its hash cache files there). Removed after the suite.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-test-cache-'));
process.env.XDG_CACHE_HOME = dir;

/**
 * The tracking-service settings of the user's shell are taken out of the environment, so no test (and no CLI or server
 * a test starts) contacts a real MLflow server or W&B: only the opt-in live tests (test/unit/runs.sources.live.test.ts)
 * read them, from here. A .netrc of the user is not read either: W&B tests pass their own home folder.
 */
export const LIVE_ENV: Record<string, string | undefined> = {};
for (const k of [
  'MLFLOW_TRACKING_URI',
  'MLFLOW_TRACKING_USERNAME',
  'MLFLOW_TRACKING_PASSWORD',
  'MLFLOW_TRACKING_TOKEN',
  'DATABRICKS_TOKEN',
  'DATABRICKS_HOST',
  'WANDB_API_KEY',
  'WANDB_BASE_URL',
  'MLH_LIVE_WANDB_PROJECT',
  'NETRC',
]) {
  LIVE_ENV[k] = process.env[k];
  delete process.env[k];
}

export const mochaHooks = {
  afterAll(): void {
    fs.rmSync(dir, { recursive: true, force: true });
  },
};
