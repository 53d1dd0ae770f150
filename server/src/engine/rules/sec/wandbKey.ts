import { defineFileRule } from '../../rule';
import { TextIndex } from '../../text/textIndex';
import { findWandbKeys, redact } from '../../secrets/detector';
import { isScannedForSecrets, MAX_SCAN_BYTES } from './secretText';

export const wandbApiKey = defineFileRule({
  code: 'SEC002',
  name: 'wandb-api-key',
  severity: 'error',
  title: 'W&B API key in a file',
  doc: {
    what: 'A literal W&B API key is written in code, configuration or a Dockerfile: a current key (`wandb_v1_` and 77 more characters) anywhere, or a legacy key (40 hexadecimal characters) where it is assigned: `WANDB_API_KEY=...`, `ENV WANDB_API_KEY ...`, `wandb.login(key="...")`, `api_key: ...`, `wandb login <key>` in a script. The message shows only the first four characters. (In GitHub workflows GHA008 reports it.)',
    why: 'Anyone who can read the repository or the image can log runs into your account and read your projects. Three of 48 real ML repositories had one committed.',
    example: '# dockerfiles/train.dockerfile\nENV WANDB_API_KEY 0123456789abcdef0123456789abcdef01234567\n',
    fix: 'Remove it and rotate the key at wandb.ai/authorize. Read it from the environment: a `.env` file that is ignored, `${{ secrets.WANDB_API_KEY }}` in workflows, a secret or `--env` at `docker run`.',
  },
  // Workflows are GHA008's (literal secrets where `${{ secrets.X }}` belongs), with the fix that fits them.
  appliesTo: (rel) => isScannedForSecrets(rel) && !/^\.github\/workflows\//.test(rel),
  check(ctx) {
    // read first: the first read of a file is also its stat (Workspace.readFresh); a text above the limit is not scanned
    const r = ctx.text();
    if (!r.ok || r.text.length > MAX_SCAN_BYTES) return;
    const keys = findWandbKeys(r.text);
    if (!keys.length) return;
    const index = new TextIndex(r.text);
    for (const k of keys) {
      ctx.report({
        range: index.rangeOf(k.start, k.end),
        message: `W&B API key ${redact(r.text.slice(k.start, k.end))} is written in ${ctx.file}; remove it, rotate it, and read it from the environment`,
      });
    }
  },
});
