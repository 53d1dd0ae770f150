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

export const mochaHooks = {
  afterAll(): void {
    fs.rmSync(dir, { recursive: true, force: true });
  },
};
