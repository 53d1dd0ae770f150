import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { findVSCode } from '../electron/runTest';
import { PROJECT_ROOT } from '../support/tmp';

describe('test-electron suite (mocha inside a downloaded VS Code)', () => {
  it('passes, or is skipped when no VS Code build can be had', async function () {
    const found = await findVSCode();
    if (!found.executable) {
      console.log(`      test-electron: SKIPPED, no VS Code build available: ${found.reason}`);
      this.skip();
    }
    this.timeout(600_000);
    const out = execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'out', 'test', 'electron', 'runTest.js')], { encoding: 'utf8', stdio: 'pipe' });
    assert.match(out, /tests: [1-9]\d* passed, 0 failed/);
  });
});
