import { posix } from 'node:path';
import { isEnvFile } from './envFile';

/** Text files worth scanning for secrets: code, configs, scripts, CI, containers, notebooks. Never data tables. */
const SCANNED_EXT = new Set([
  '.py',
  '.ipynb',
  '.yaml',
  '.yml',
  '.json',
  '.toml',
  '.cfg',
  '.ini',
  '.sh',
  '.bash',
  '.zsh',
  '.ps1',
  '.md',
  '.txt',
  '.conf',
  '.properties',
  '.dockerfile',
  '.tf',
  '.pem',
  '.key',
]);
export const MAX_SCAN_BYTES = 1024 * 1024;

export function isScannedForSecrets(rel: string): boolean {
  const base = posix.basename(rel);
  if (isEnvFile(rel)) return false; // .env is where keys belong; SEC001 is about committing it
  if (base.startsWith('.env.')) return true; // a template (.env.example) is committed: it must hold no real key
  if (/^(Dockerfile|Makefile|Containerfile)(\..*)?$/.test(base) || base === 'MLproject' || (base === 'config' && rel.startsWith('.dvc/'))) return true;
  return SCANNED_EXT.has(posix.extname(base).toLowerCase());
}

export { redact } from '../../secrets/detector';
