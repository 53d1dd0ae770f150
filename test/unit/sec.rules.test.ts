import * as assert from 'node:assert/strict';
import { checkFolder, where } from '../support/check';
import { gitRepo, rmrf, writeTree } from '../support/tmp';

const KEY = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

describe('SEC rules', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('SEC001: a committed .env is an error, an unignored one a warning with a fix; .env.example is fine', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.env': `WANDB_API_KEY=${KEY}\n`, '.env.example': 'WANDB_API_KEY=\n', '.gitignore': '' });
    writeTree(root, { 'api/.env.local': 'X=1\n' });
    const f = (await checkFolder(root)).filter((x) => x.code === 'SEC001');
    assert.deepEqual(f.map((x) => `${x.file} ${x.severity}`), ['.env error', 'api/.env.local warning']);
    assert.equal(f[1].fixes![0].changes[0].edits[0].newText, '/api/.env.local\n');
  });

  it('SEC001 does not fire on an ignored .env', async () => {
    root = gitRepo({ 'README.md': '# x\n', '.gitignore': '.env\n' });
    writeTree(root, { '.env': `WANDB_API_KEY=${KEY}\n` });
    assert.deepEqual(where(await checkFolder(root), 'SEC001'), []);
  });

  it('SEC002: finds W&B keys in a Dockerfile, Python and YAML, on the key, redacted', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'Dockerfile': `FROM python:3.11-slim\nENV WANDB_API_KEY ${KEY}\n`,
      'src/train.py': `import wandb\nwandb.login(key="${KEY}")\n`,
      'configs/wandb.yaml': `project: digits\napi_key: ${KEY}\n`,
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'SEC002');
    assert.deepEqual(f.map((x) => `${x.file}:${x.range.start.line + 1}:${x.range.start.character + 1}`), ['Dockerfile:2:19', 'configs/wandb.yaml:2:10', 'src/train.py:2:18']);
    for (const x of f) {
      assert.ok(!x.message.includes(KEY), 'the key itself is never printed');
      assert.match(x.message, /3f2a…\(40 characters\)/);
    }
  });

  it('SEC002 does not fire on secrets references, git hashes or short values', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      '.github/workflows/ci.yaml': 'env:\n  WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n',
      '.github/workflows/literal.yaml': `env:\n  WANDB_API_KEY: ${KEY}\n`, // GHA008's, not reported twice
      'src/train.py': `import os, wandb\nwandb.login(key=os.environ["WANDB_API_KEY"])\nCOMMIT = "${KEY}"\n`,
    });
    assert.deepEqual(where(await checkFolder(root), 'SEC002'), []);
  });

  it('SEC003/SEC004: private keys and service-account files', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'gcp/key.json': '{\n  "type": "service_account",\n  "private_key_id": "abc",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"\n}\n',
      'gcp/redacted.json': '{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key_id": "abc"\n}\n',
      'deploy/id_rsa.pem': '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
      'docs/keys.md': 'Never commit a `-----BEGIN PUBLIC KEY-----` ... only public keys\n',
      'configs/sa.json': '{"type": "user", "client_id": "x"}\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(where(f, 'SEC003'), ['deploy/id_rsa.pem:1', 'gcp/key.json:4']);
    assert.match(f.find((x) => x.file === 'gcp/key.json')!.message, /service-account key/);
    assert.deepEqual(where(f, 'SEC004'), ['gcp/redacted.json:2']);
  });
});
