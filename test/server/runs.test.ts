import * as assert from 'node:assert/strict';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { RunHistoryRequest, RunsChangedNotification, RunsListRequest, type RunsChangedParams } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';
import { lightningRun, wandbRun } from '../support/runFixtures';
import { gitRepo, rmrf } from '../support/tmp';

describe('language server: runs', function () {
  this.timeout(30000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  it('lists runs in ignored folders, announces a new run after a file event, and serves metric histories', async () => {
    // wandb/ and lightning_logs/ are git-ignored, as in most projects: the diagnostics side drops their events
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '/wandb/\n/lightning_logs/\n' });
    wandbRun(root, 'run-20240501_100000-aaaa0001', { format: 'current', summary: '{"loss": 0.5}' });
    lightningRun(root, 0);
    client = await LspTestClient.start(root);
    const changes: RunsChangedParams[] = [];
    client.connection.onNotification(RunsChangedNotification, (p: RunsChangedParams) => {
      changes.push(p);
    });
    const first = await client.connection.sendRequest(RunsListRequest, {});
    assert.deepEqual(first.runs.map((r) => r.id).sort(), ['lightning:version_0', 'wandb:run-20240501_100000-aaaa0001']);
    assert.equal(first.runs.find((r) => r.source === 'wandb')!.workspaceFolder, root);

    wandbRun(root, 'run-20240502_100000-bbbb0002', { format: 'current', summary: '{"loss": 0.4}' });
    await client.fileEvents([
      { rel: 'wandb/run-20240502_100000-bbbb0002/files/config.yaml', type: FileChangeType.Created },
      { rel: 'wandb/run-20240502_100000-bbbb0002/files/wandb-summary.json', type: FileChangeType.Created },
    ]);
    const deadline = Date.now() + 10000;
    while (!changes.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(changes.length, 1, 'one debounced notification for the burst of events');
    assert.deepEqual(changes[0].added, ['wandb:run-20240502_100000-bbbb0002']);
    const second = await client.connection.sendRequest(RunsListRequest, {});
    assert.equal(second.runs[0].id, 'wandb:run-20240502_100000-bbbb0002', 'newest first');
    assert.ok(second.version > first.version);

    const h = await client.connection.sendRequest(RunHistoryRequest, { ids: ['lightning:version_0', 'wandb:run-20240501_100000-aaaa0001'], metrics: ['train_loss'] });
    assert.deepEqual(h.series, [{ runId: 'lightning:version_0', metric: 'train_loss', points: [[49, 0.5], [149, 0.3]] }]);
  });
});
