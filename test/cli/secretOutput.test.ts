import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { findSecrets, redactSecrets } from '../../server/src/engine';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, PROJECT_ROOT, rmrf } from '../support/tmp';

// Made-up keys with the real shapes. W&B's current keys are `wandb_v1_` + 77 characters (86 in all: the SDK accepts
// them from 0.22.3; older SDKs said "API key must be 40 characters long, yours was 86"); legacy keys are 40
// hexadecimal characters. An AWS access key id is AKIA + 16 upper-case letters or digits; the secret access key is 40
// characters of base64.
const WANDB_V1 = 'wandb_v1_' + 'Zq8'.repeat(9) + '_' + 'Mw4'.repeat(16) + 'x';
const WANDB_HEX = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const AWS_ID = 'AKIAQ3EXAMPLE7ZZ2ABC';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE9Y';
const SECRETS = [WANDB_V1, WANDB_HEX, AWS_ID, AWS_SECRET];

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
/** dvc.yaml's stage command; dvc.lock recorded an older one, so DVC022 quotes both. */
const CMDS = [
  `wandb login ${WANDB_V1} && python src/train.py --epochs 20`,
  `python src/train.py --wandb-api-key ${WANDB_HEX} --epochs 20`,
  `AWS_ACCESS_KEY_ID=${AWS_ID} AWS_SECRET_ACCESS_KEY=${AWS_SECRET} python src/train.py`,
  `python src/train.py ${WANDB_V1}`,
];

function repo(cmd: string, locked: string): string {
  return gitRepo({
    'README.md': '# x\n',
    'dvc.yaml': `stages:\n  train:\n    cmd: ${cmd}\n    deps: [src/train.py]\n    outs: [models/model.pt]\n`,
    'dvc.lock': `schema: '2.0'\nstages:\n  train:\n    cmd: ${locked}\n    deps:\n    - path: src/train.py\n      md5: acbd18db4cc2f85cedef654fccc4a4d8\n      size: 3\n`,
    'src/train.py': 'print(1)\n',
  });
}

function leaked(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe('a secret in a dvc.yaml cmd is never printed whole (DVC022 "command changed")', function () {
  this.timeout(60_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it('the detector knows W&B v1 keys by their prefix', () => {
    assert.deepEqual(
      findSecrets(`x ${WANDB_V1} y`).map((s) => s.kind),
      ['wandb-api-key'],
    );
    assert.equal(redactSecrets(`wandb login ${WANDB_V1}`), 'wandb login wand…(86 characters)');
    // a config key or module named like the prefix is not a key
    assert.deepEqual(findSecrets('wandb_v1_compat: true\nimport wandb_v1_shim'), []);
  });

  for (const [i, cmd] of CMDS.entries()) {
    it(`text, JSON, SARIF and GitHub output of check: cmd ${i + 1}`, () => {
      root = repo(cmd, cmd.replace('src/train.py', 'src/old_train.py'));
      for (const format of ['text', 'json', 'sarif', 'github']) {
        const r = spawnSync(process.execPath, [CLI, 'check', root, '--format', format, '--fail-on', 'never'], {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /DVC022|command of stage/, `${format} reports DVC022`);
        assert.match(r.stdout, /…\(\d+ characters\)/, `${format} shows the redacted key`);
        assert.deepEqual(leaked(r.stdout + r.stderr), [], `${format} output:\n${r.stdout}`);
      }
    });
  }

  it('the language server: diagnostics, hover on the cmd, status notes and log lines', async () => {
    root = repo(CMDS.join(' && '), 'python src/old_train.py');
    const client = await LspTestClient.start(root);
    try {
      await client.waitFor(() => client.codesFor('dvc.yaml').includes('DVC022'), 'DVC022 on dvc.yaml');
      const d = client.diagnosticsFor('dvc.yaml').find((x) => x.code === 'DVC022')!;
      assert.match(String(d.message), /…\(\d+ characters\)/);
      assert.deepEqual(leaked(JSON.stringify(client.diagnosticsFor('dvc.yaml'))), []);
      for (const character of [10, 30, 80, 200]) {
        const hover = await client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri: client.uri('dvc.yaml') },
          position: { line: 2, character },
        });
        assert.deepEqual(leaked(JSON.stringify(hover)), [], `hover at 2:${character}`);
      }
      assert.deepEqual(leaked(JSON.stringify(client.status) + client.logs.join('\n')), []);
    } finally {
      await client.stop();
    }
  });
});
