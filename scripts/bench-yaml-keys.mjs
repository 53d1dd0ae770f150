// Measures `mlops-hygiene check` on one YAML mapping with many keys at one level (issue 18: a 4.9 MB config of 50,000
// keys took minutes, quadratic in the number of keys): a DVC params.yaml that a stage uses one key of, and a Hydra
// config, each of N keys of about 98 bytes. Prints the time per size and per 1,000 keys (flat when linear).
// Usage: npm run build && node scripts/bench-yaml-keys.mjs [--sizes 10000,20000,40000,50000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--sizes');
const SIZES = (i > 0 ? process.argv[i + 1] : '10000,20000,40000,50000').split(',').map(Number);
const CLI = join(root, 'dist', 'cli.js');

function wide(n, prefix = '') {
  const lines = [];
  for (let k = 0; k < n; k++) lines.push(`${prefix}key_${String(k).padStart(6, '0')}: "value ${k} ${'x'.repeat(70)}"`);
  return lines.join('\n') + '\n';
}

for (const kind of ['params.yaml (DVC)', 'configs/config.yaml (Hydra)']) {
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'mlh-bench-keys-'));
    writeFileSync(join(dir, 'README.md'), '# bench\n');
    let text;
    if (kind.startsWith('params')) {
      text = wide(n);
      writeFileSync(join(dir, 'params.yaml'), text);
      writeFileSync(join(dir, 'dvc.yaml'), 'stages:\n  train:\n    cmd: python train.py\n    params: [key_000001]\n');
    } else {
      text = 'defaults:\n  - _self_\n' + wide(n);
      mkdirSync(join(dir, 'configs'));
      writeFileSync(join(dir, 'configs', 'config.yaml'), text);
      writeFileSync(
        join(dir, 'train.py'),
        'import hydra\n@hydra.main(config_path="configs", config_name="config", version_base=None)\ndef main(cfg):\n    pass\n',
      );
    }
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const findings = r.status === 0 ? JSON.parse(r.stdout).findings.length : `exit ${r.status}`;
    console.log(
      `${kind.padEnd(28)} ${String(n).padStart(6)} keys ${(text.length / 1e6).toFixed(1).padStart(4)} MB ${ms.toFixed(0).padStart(7)} ms  ${(ms / (n / 1000)).toFixed(0).padStart(4)} ms per 1,000 keys  ${findings} findings`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}
