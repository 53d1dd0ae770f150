import { ruleCases } from '../../support/ruleCases';
import { ccds, dtuTemplate } from './layouts';

/** A made-up legacy W&B key (40 hexadecimal characters). */
const KEY = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

ruleCases('SEC001', {
  valid: [
    {
      name: 'ccds ignores .env; .env.example is committed',
      git: true,
      files: ccds({ '.env.example': 'WANDB_API_KEY=\n' }),
      untracked: { '.env': `WANDB_API_KEY=${KEY}\n` },
    },
  ],
  invalid: [
    {
      name: 'a committed .env is an error, an unignored api/.env.local a warning with a fix',
      git: true,
      files: { 'README.md': '# x\n', '.env': `WANDB_API_KEY=${KEY}\n`, '.env.example': 'WANDB_API_KEY=\n', '.gitignore': '' },
      untracked: { 'api/.env.local': 'X=1\n' },
      errors: [
        { file: '.env', severity: 'error' },
        { file: 'api/.env.local', severity: 'warning' },
      ],
      output: { '.gitignore': '/api/.env.local\n' },
    },
  ],
});

ruleCases('SEC002', {
  valid: [
    {
      name: 'keys read from the environment and secrets; a commit hash is no key',
      files: dtuTemplate({
        '.github/workflows/ci.yaml':
          'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n    steps:\n      - run: echo ok\n',
        'src/mnist_classifier/login.py': `import os\nimport wandb\n\nwandb.login(key=os.environ["WANDB_API_KEY"])\nCOMMIT = "${KEY}"\n`,
        'README.md': '# x\n\nSet `WANDB_API_KEY=wandb_v1_xxxxx` in your shell.\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'a key in a Dockerfile ENV, wandb.login(key=...) and api_key: in YAML, on the key, redacted',
      files: {
        'README.md': '# x\n',
        Dockerfile: `FROM python:3.11-slim\nENV WANDB_API_KEY ${KEY}\n`,
        'src/train.py': `import wandb\nwandb.login(key="${KEY}")\n`,
        'configs/wandb.yaml': `project: digits\napi_key: ${KEY}\n`,
      },
      errors: [
        { file: 'Dockerfile', line: 2, column: 19, text: KEY, message: '3f2a…(40 characters)' },
        { file: 'configs/wandb.yaml', line: 2, column: 10, text: KEY },
        { file: 'src/train.py', line: 2, column: 18, text: KEY },
      ],
    },
  ],
});

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\n-----END RSA PRIVATE KEY-----\n';

ruleCases('SEC003', {
  valid: [
    {
      name: 'public keys, certificates and docs about keys',
      files: ccds({
        'deploy/id_rsa.pub': 'ssh-rsa AAAAB3NzaC1yc2E me@host\n',
        'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        'docs/keys.md': 'Never commit a `-----BEGIN PUBLIC KEY-----`\n',
        'scripts/run': '#!/bin/sh\necho run\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'a PEM key file and the private_key of a service-account JSON',
      files: {
        'README.md': '# x\n',
        'deploy/id_rsa': PEM,
        'gcp/key.json':
          '{\n  "type": "service_account",\n  "private_key_id": "abc",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"\n}\n',
      },
      errors: [
        { file: 'deploy/id_rsa', line: 1 },
        { file: 'gcp/key.json', line: 4, message: 'service-account key' },
      ],
    },
  ],
});

ruleCases('SEC004', {
  valid: [
    {
      name: 'an OAuth client JSON of type user and a JSON config',
      files: dtuTemplate({ 'configs/sa.json': '{"type": "user", "client_id": "x"}\n', 'configs/labels.json': '{"0": "zero"}\n' }),
    },
  ],
  invalid: [
    {
      name: 'a service-account key with the private key left out',
      files: { 'README.md': '# x\n', 'gcp/redacted.json': '{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key_id": "abc"\n}\n' },
      errors: [{ file: 'gcp/redacted.json', line: 2 }],
    },
  ],
});
