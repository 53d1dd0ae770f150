import { isDvcFile, readDvcFile } from '../dvc/data/dvcFiles';
import type { Workspace } from '../workspace';

/**
 * What a COPY/ADD puts into an image, as the Docker rules classify it: one answer per path, so that one problem gives one
 * finding (a copied `.env` is a credentials problem, DKR001, never also a data problem).
 */

/** File names that hold credentials (W&B keys in .env, GCP service-account keys, gcloud's default.json, SSH keys). */
const CREDENTIAL =
  /(^|\/)(\.env(\.[^/]*)?|[^/]*key[^/]*\.json|[^/]*[-_]sa\.json|sa\.json|default\.json|application_default_credentials\.json|[^/]*credentials[^/]*\.json|service[-_]?account[^/]*\.json|kaggle\.json|\.netrc|id_(rsa|ed25519|ecdsa)|[^/]*\.pem|[^/]*\.p12)$/i;
const NOT_CREDENTIAL = /\.(example|sample|template|dist)$|(^|\/)\.env\.(example|sample|template)$/i;
/** Folders people keep keys in: `keys/`, `creds/`, `credentials/`, `secrets/`. */
const CREDENTIAL_DIR = /^(keys|creds|credentials|secrets|\.secrets)$/i;

export function isCredentialFile(rel: string): boolean {
  return CREDENTIAL.test(rel) && !NOT_CREDENTIAL.test(rel);
}

export function isCredentialDirName(name: string): boolean {
  return CREDENTIAL_DIR.test(name);
}

/** A JSON text that is a Google service-account key (`"type": "service_account"` with a `private_key`). */
export function isServiceAccountKey(text: string): boolean {
  return /"type"\s*:\s*"service_account"/.test(text) && /"private_key"\s*:/.test(text);
}

/** Names checked on disk in every copied folder: git-ignored files are not listed, but they are in the build context. */
const ON_DISK = ['.env', 'default.json', 'gcp-key.json', 'key.json', 'credentials.json', 'service-account.json', 'sa.json', 'kaggle.json'];
const MAX_DIRS = 2000;
/** Folders read on disk (the rest are only probed for the usual names). */
const MAX_READ_DIRS = 300;
const MAX_JSON_BYTES = 64 * 1024;

export interface CopiedCredential {
  /** Workspace path of the file or folder. */
  rel: string;
  kind: 'file' | 'folder' | 'service-account key';
}

/**
 * The credentials a copy of `folder` ('' = the workspace root) brings along: listed credential files, credential folders
 * (`keys/`...: a folder of that name with no Python in it), JSON files whose content is a service-account key, and
 * git-ignored ones that exist on disk next to listed files. `excluded(rel)` (a workspace path) says what .dockerignore keeps out.
 */
export function credentialsUnder(ws: Workspace, folder: string, excluded: (rel: string) => boolean): CopiedCredential[] {
  const prefix = folder ? folder + '/' : '';
  const found = new Map<string, CopiedCredential['kind']>();
  const dirs = new Set<string>([folder]);
  const dirHasPython = new Set<string>();
  for (const rel of ws.paths()) {
    if (!rel.startsWith(prefix)) continue;
    const parts = rel.split('/');
    for (let k = folder ? folder.split('/').length : 0; k < parts.length - 1; k++) {
      const d = parts.slice(0, k + 1).join('/');
      if (dirs.size < MAX_DIRS) dirs.add(d);
      if (rel.endsWith('.py')) dirHasPython.add(d);
    }
    if (isCredentialFile(rel)) found.set(rel, 'file');
    else if (rel.endsWith('.json') && (ws.stat(rel)?.size ?? Infinity) <= MAX_JSON_BYTES) {
      const r = ws.readText(rel);
      if (r.ok && isServiceAccountKey(r.text)) found.set(rel, 'service-account key');
    }
  }
  // credential folders among the listed ones (a folder of that name holding Python is a package, not keys)
  for (const d of dirs) {
    const name = d.slice(d.lastIndexOf('/') + 1);
    if (d !== folder && isCredentialDirName(name) && !dirHasPython.has(d)) found.set(d, 'folder');
  }
  // git-ignored files and folders are not listed but are in the build context: look on disk, folder by folder
  let read = 0;
  for (const d of dirs) {
    const base = d ? d + '/' : '';
    if (read++ < MAX_READ_DIRS) {
      for (const e of ws.readDir(d)) {
        const rel = base + e.name;
        if (found.has(rel) || dirs.has(rel)) continue;
        if (e.isDirectory() && isCredentialDirName(e.name)) found.set(rel, 'folder');
        else if (e.isFile() && isCredentialFile(rel)) found.set(rel, 'file');
      }
    } else {
      for (const name of ON_DISK) if (!found.has(base + name) && ws.exists(base + name) && !ws.isDirectory(base + name)) found.set(base + name, 'file');
    }
  }
  // a file inside a reported folder is the folder's finding
  const folders = [...found].filter(([, k]) => k === 'folder').map(([r]) => r + '/');
  return [...found]
    .filter(([rel, kind]) => kind === 'folder' || !folders.some((f) => rel.startsWith(f)))
    .filter(([rel]) => !excluded(rel))
    .map(([rel, kind]) => ({ rel, kind }))
    .sort((a, b) => a.rel.localeCompare(b.rel));
}

export interface CopiedDvcData {
  /** The DVC-tracked path (an out of a `.dvc` file). */
  out: string;
  /** The `.dvc` file that tracks it. */
  dvcFile: string;
}

/**
 * DVC-tracked data that a copy of `path` brings along: the `.dvc` file of `path` or of a parent folder (`data.dvc` for
 * `COPY data/raw/ ...`), and `.dvc` files of folders inside it (`data/raw.dvc` for `COPY data/ data/`, every tracked
 * out for `COPY . .`). `excluded(rel)` says what .dockerignore keeps out.
 */
export function dvcDataUnder(ws: Workspace, path: string, excluded: (rel: string) => boolean): CopiedDvcData[] {
  const out: CopiedDvcData[] = [];
  const parts = path ? path.replace(/\/$/, '').split('/') : [];
  for (let k = parts.length; k > 0; k--) {
    const f = parts.slice(0, k).join('/') + '.dvc';
    if (ws.exists(f)) return excluded(path) ? [] : [{ out: parts.slice(0, k).join('/'), dvcFile: f }];
  }
  const prefix = path ? path.replace(/\/$/, '') + '/' : '';
  for (const rel of ws.paths()) {
    if (!rel.startsWith(prefix) || !isDvcFile(rel)) continue;
    const info = readDvcFile(ws, rel);
    for (const o of info?.outs ?? []) {
      if (o.external || o.rel === undefined || !o.rel.startsWith(prefix) || excluded(o.rel)) continue;
      out.push({ out: o.rel, dvcFile: rel });
    }
  }
  return out.sort((a, b) => a.out.localeCompare(b.out));
}

/** Lock files DEP003 judges (tracked or not): a copied lock file is a dependency problem, not a data one. */
export function isLockFileName(rel: string): boolean {
  return /(^|\/)(uv|poetry|pdm)\.lock$/.test(rel);
}
