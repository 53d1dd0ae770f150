import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
    assert.deepEqual(
      f.map((x) => `${x.file} ${x.severity}`),
      ['.env error', 'api/.env.local warning'],
    );
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
      Dockerfile: `FROM python:3.11-slim\nENV WANDB_API_KEY ${KEY}\n`,
      'src/train.py': `import wandb\nwandb.login(key="${KEY}")\n`,
      'configs/wandb.yaml': `project: digits\napi_key: ${KEY}\n`,
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'SEC002');
    assert.deepEqual(
      f.map((x) => `${x.file}:${x.range.start.line + 1}:${x.range.start.character + 1}`),
      ['Dockerfile:2:19', 'configs/wandb.yaml:2:10', 'src/train.py:2:18'],
    );
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

  it('SEC002: W&B v1 keys (`wandb_v1_` + 77 characters) anywhere; placeholders and names with the prefix are not keys', async () => {
    // W&B has issued keys of 86 characters with the prefix `wandb_v1_` since SDK 0.22.3 (older SDKs reject them:
    // "API key must be 40 characters long, yours was 86"). Made-up value with that shape.
    const V1 = 'wandb_v1_' + 'Zq8'.repeat(9) + '_' + 'Mw4'.repeat(16) + 'x';
    root = gitRepo({
      'README.md': '# x\n\nSet `WANDB_API_KEY=wandb_v1_xxxxx` in your shell.\n',
      'scripts/train.sh': `#!/bin/bash\nexport WANDB_API_KEY="${V1}"\npython train.py\n`,
      'src/train.py': `import wandb\nwandb.login(key="${V1}")\nimport wandb_v1_shim\n`,
      'configs/wandb.yaml': 'wandb_v1_compat: true\nproject: digits\n',
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'SEC002');
    assert.deepEqual(
      f.map((x) => `${x.file}:${x.range.start.line + 1}:${x.range.start.character + 1}`),
      ['scripts/train.sh:2:23', 'src/train.py:2:18'],
    );
    for (const x of f) {
      assert.ok(!x.message.includes(V1), x.message);
      assert.match(x.message, /wand…\(86 characters\)/);
    }
  });

  it('SEC003/SEC004: private keys and service-account files', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'gcp/key.json':
        '{\n  "type": "service_account",\n  "private_key_id": "abc",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"\n}\n',
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

  it('SEC003 looks at key files by name and content: id_rsa, id_ed25519, *.key, a file without an extension', async () => {
    // ssh-keygen writes the private half to id_<type> (no extension) and the public half to id_<type>.pub; OpenSSH's
    // own format starts with "-----BEGIN OPENSSH PRIVATE KEY-----", openssl's PEM with "-----BEGIN (RSA |EC )PRIVATE KEY-----"
    const openssh =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';
    const rsa = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\n-----END RSA PRIVATE KEY-----\n';
    // openssl pkcs12 -nodes writes "Bag Attributes" lines before the key
    const bagged = 'Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes: <No Attributes>\n' + rsa.replace(/RSA /g, '');
    root = gitRepo({
      'README.md': '# x\n',
      'deploy/id_rsa': rsa,
      '.ssh/id_ed25519': openssh,
      'certs/server.key': bagged,
      'secrets/deploy_key': rsa,
    });
    assert.deepEqual(where(await checkFolder(root), 'SEC003'), ['.ssh/id_ed25519:1', 'certs/server.key:4', 'deploy/id_rsa:1', 'secrets/deploy_key:1']);
  });

  it('SEC003 never reads through a symbolic link out of the repository; a link to a key inside it is still read', async () => {
    // A repository can commit `deploy_key -> /home/<user>/.ssh/id_rsa`: following it would read (and quote a finding
    // about) the user's own key, which is not in the repository. Found by the fuzz suite (its outside canary).
    const rsa = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\n-----END RSA PRIVATE KEY-----\n';
    const outside = gitRepo({ id_rsa: rsa });
    try {
      root = gitRepo({ 'README.md': '# x\n', 'keys/real_key': rsa });
      fs.symlinkSync(path.join(outside, 'id_rsa'), path.join(root, 'deploy_key'));
      fs.symlinkSync(path.join(root, 'keys', 'real_key'), path.join(root, 'inside_key'));
      const opened: string[] = [];
      // the module object itself (the namespace import is read-only); the engine's imports read through to it
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, to patch it
      const nodeFs = require('node:fs') as { openSync: typeof fs.openSync };
      const open = nodeFs.openSync;
      nodeFs.openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
        const fd = (open as (...a: unknown[]) => number)(p, ...rest); // an open that fails (a link under O_NOFOLLOW) reads nothing
        try {
          opened.push(fs.realpathSync(String(p)));
        } catch {
          /* a path that does not exist */
        }
        return fd;
      }) as typeof fs.openSync;
      let findings;
      try {
        findings = await checkFolder(root);
      } finally {
        nodeFs.openSync = open;
      }
      assert.deepEqual(where(findings, 'SEC003'), ['inside_key:1', 'keys/real_key:1']);
      const real = fs.realpathSync(outside);
      assert.deepEqual(
        opened.filter((p) => p.startsWith(real + path.sep)),
        [],
        'nothing outside the repository is opened',
      );
      assert.ok(
        opened.some((p) => p.endsWith(path.join('keys', 'real_key'))),
        'the spy sees the reads of the engine',
      );
    } finally {
      rmrf(outside);
    }
  });

  it('SEC003 does not fire on public keys, certificates, scripts or binaries without an extension (a realistic repository)', async () => {
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      Buffer.from('-----BEGIN RSA PRIVATE KEY----- (a string inside a binary)'),
      Buffer.alloc(64),
    ]);
    root = gitRepo({
      'README.md': '# x\n',
      LICENSE: 'MIT License\n\nCopyright (c) 2024\n',
      Makefile: 'train:\n\tpython src/train.py\n',
      'bin/train': '#!/usr/bin/env bash\nset -euo pipefail\npython -m src.train "$@"\n',
      'deploy/id_rsa.pub': 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDRndVLkklx2zfF+f/KBbIXw9ucbLQAcHsyGDAxtG8jQwFmGkU= ci@deploy\n',
      'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n',
      'tools/converter': elf,
      'docs/ssh.md': 'Generate a key with `ssh-keygen -t ed25519`; never commit the file that starts with -----BEGIN OPENSSH PUBLIC KEY-----\n',
    });
    assert.deepEqual(where(await checkFolder(root), 'SEC003'), []);
  });

  it('SEC002: `wandb login <key>` in a script is a key; `wandb login` with the environment is not', async () => {
    // `wandb login [KEY]` takes the key as its positional argument; without it, it reads WANDB_API_KEY or prompts
    root = gitRepo({
      'README.md': '# x\n',
      'scripts/setup.sh': `#!/bin/sh\npip install wandb\nwandb login ${KEY}\n`,
      'scripts/ci.sh': '#!/bin/sh\nwandb login --relogin "$WANDB_API_KEY"\nwandb login\n',
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'SEC002');
    assert.deepEqual(where(f, 'SEC002'), ['scripts/setup.sh:3']);
    assert.ok(!f[0].message.includes(KEY));
  });
});
