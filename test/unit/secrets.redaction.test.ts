import * as assert from 'node:assert/strict';
import { findSecrets, redactSecrets } from '../../server/src/engine';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

// Made-up values with the real shapes: a W&B key is 40 hexadecimal characters; a GitHub classic token is ghp_ + 36; an
// AWS access key id is AKIA + 16 upper-case characters; a Hugging Face token is hf_ + 34 letters.
const WANDB = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const GITHUB = 'ghp_' + 'Zx9'.repeat(12);
const AWS_ID = 'AKIAQ3EXAMPLE7ZZ2ABC';
const HF = 'hf_' + 'QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi';

describe('secret redaction in messages', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('the detector finds keys by context and prefix, and leaves hashes, references and names alone', () => {
    const secret = [
      `python train.py --wandb-key ${WANDB}`,
      `WANDB_API_KEY=${WANDB} python train.py`,
      `wandb login ${WANDB}`,
      `git clone https://oauth2:${GITHUB}@github.com/o/r`,
      `aws_access_key_id = ${AWS_ID}`,
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE9Y',
      `export HF_TOKEN=${HF}`,
      'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123"',
      '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"',
      'dvc remote modify storage url https://user:s3cretPass99@dav.example.com/dvc',
    ];
    for (const t of secret) {
      const r = redactSecrets(t);
      assert.notEqual(r, t, `redacted: ${t}`);
      assert.match(r, /…\(\d+ characters\)/);
    }
    assert.ok(!redactSecrets(secret[0]).includes(WANDB));
    assert.equal(redactSecrets(secret[0]), 'python train.py --wandb-key 3f2a…(40 characters)');
    const innocent = [
      `COMMIT = "${WANDB}"`, // a git commit hash has a W&B key's shape: no context, not a secret
      'md5: acbd18db4cc2f85cedef654fccc4a4d8',
      'password: ${oc.env:DB_PASSWORD}',
      'python train.py --token $HF_TOKEN',
      'api_key=os.environ["WANDB_API_KEY"]',
      'GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp-key.json',
      'key `train.lr` is 0.01 in params.yaml, dvc.lock has 0.02',
      'stage `train` depends on `data/raw.csv`, which no stage produces',
      'WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}',
    ];
    for (const t of innocent) assert.deepEqual(findSecrets(t), [], t);
  });

  it('DVC022 quotes both commands with the key redacted (the rest of the command stays readable)', async () => {
    // dvc.lock records the stage's `cmd` as DVC ran it; DVC022 compares it with dvc.yaml's after templating
    root = gitRepo({
      'README.md': '# x\n',
      'dvc.yaml': `stages:\n  train:\n    cmd: WANDB_API_KEY=${WANDB} python src/train.py --hub-token ${HF} --epochs 20\n    deps: [src/train.py]\n    outs: [models/model.pt]\n`,
      'dvc.lock': `schema: '2.0'\nstages:\n  train:\n    cmd: python src/train.py --hub-token ${HF}\n    deps:\n    - path: src/train.py\n      md5: acbd18db4cc2f85cedef654fccc4a4d8\n      size: 3\n`,
      'src/train.py': 'print(1)\n',
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'DVC022');
    assert.equal(f.length, 1);
    assert.ok(!f[0].message.includes(WANDB) && !f[0].message.includes(HF), f[0].message);
    assert.equal(
      f[0].message,
      'command of stage `train` changed since it last ran: dvc.lock has `python src/train.py --hub-token hf_Q…(37 characters)`, dvc.yaml now runs `WANDB_API_KEY=3f2a…(40 characters) python src/train.py --hub-token hf_Q…(37 characters) --epochs 20`',
    );
  });

  it('DVC023 (a param value) and HYD009 (an interpolation it cannot parse) are redacted too', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: python src/train.py\n    params: [wandb.api_key]\n    outs: [models/model.pt]\n',
      'params.yaml': `wandb:\n  api_key: ${WANDB}\n`,
      'dvc.lock': `schema: '2.0'\nstages:\n  train:\n    cmd: python src/train.py\n    params:\n      params.yaml:\n        wandb.api_key: ${GITHUB}\n`,
      // an unclosed `${` in a Hydra config: OmegaConf raises GrammarParseError; HYD009 quotes the value
      'configs/config.yaml': `defaults:\n  - _self_\nhub:\n  token: "\${oc.env:HF_TOKEN,${HF}"\n  key_id: ${AWS_ID}\n`,
      'src/app.py': 'import hydra\n\n@hydra.main(config_path="../configs", config_name="config", version_base=None)\ndef main(cfg):\n    pass\n',
    });
    const all = await checkFolder(root);
    const p = all.filter((x) => x.code === 'DVC023');
    assert.equal(p.length, 1, JSON.stringify(all.map((x) => x.code)));
    const y = all.filter((x) => x.code === 'HYD009');
    assert.equal(y.length, 1, JSON.stringify(all.map((x) => x.code)));
    assert.match(y[0].message, /^OmegaConf cannot parse "\$\{oc\.env:HF_TOKEN,hf_Q…\(37 characters\)"/);
    for (const x of [...p, ...y]) {
      for (const s of [WANDB, GITHUB, HF]) assert.ok(!x.message.includes(s), x.message);
    }
    assert.match(p[0].message, /3f2a…\(40 characters\)/);
    assert.match(p[0].message, /ghp_…\(40 characters\)/);
  });
});
