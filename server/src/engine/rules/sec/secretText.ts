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

/** Basename regular expression of the build files scanned whatever their extension. */
const BUILD_FILE = /^(Dockerfile|Makefile|Containerfile)(\..*)?$/;

/** Asked of every listed path (by two rules): string operations only, no path functions. */
export function isScannedForSecrets(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (base.startsWith('.env')) {
    if (isEnvFile(rel)) return false; // .env is where keys belong; SEC001 is about committing it
    if (base.startsWith('.env.')) return true; // a template (.env.example) is committed: it must hold no real key
  }
  if (BUILD_FILE.test(base) || base === 'MLproject' || (base === 'config' && rel.startsWith('.dvc/'))) return true;
  const dot = base.lastIndexOf('.');
  // posix.extname: no extension for a name that only starts with a dot (`.bashrc`)
  return dot > 0 && SCANNED_EXT.has(base.slice(dot).toLowerCase());
}

export { redact } from '../../secrets/detector';
