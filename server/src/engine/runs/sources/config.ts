/**
 * Where the remote sources are and how to sign in, as MLflow and wandb themselves decide it: MLFLOW_TRACKING_URI,
 * MLFLOW_TRACKING_USERNAME/PASSWORD (HTTP basic) or MLFLOW_TRACKING_TOKEN (bearer); WANDB_API_KEY, else the password of
 * `machine api.wandb.ai` in ~/.netrc (what `wandb login` writes), WANDB_BASE_URL for a W&B server. Nothing here
 * contacts anything.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RemoteError } from './http';

export type MlflowAuth = { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

export interface MlflowServerConfig {
  /** http(s) root of the tracking server, no trailing slash, no user info. */
  baseUrl: string;
  auth: MlflowAuth;
  /** A Databricks workspace (token auth, experiments named by workspace paths). */
  databricks: boolean;
}

/** Databricks workspace hosts (AWS, Azure, GCP). */
export function isDatabricksHost(host: string): boolean {
  return /(^|\.)cloud\.databricks\.com$|(^|\.)azuredatabricks\.net$|(^|\.)gcp\.databricks\.com$|(^|\.)databricks\.com$/i.test(host);
}

/** What a tracking URI that is not an http(s) server means, for the note the CLI and the view show. */
export function describeNonHttpUri(uri: string): string | undefined {
  if (/^databricks(:|$)/i.test(uri))
    return `the tracking URI '${uri}' names a Databricks workspace through a CLI profile; MLOps Hygiene does not read Databricks profiles: set the workspace URL (https://<workspace>.cloud.databricks.com) as the URI and a personal access token (MLFLOW_TRACKING_TOKEN or DATABRICKS_TOKEN).`;
  if (/^file:|^[./~]|^[A-Za-z]:[\\/]/.test(uri)) return `the tracking URI '${uri}' is a local folder: its runs are listed with the local runs (mlruns/).`;
  if (/^(sqlite|postgresql|mysql|mssql)(\+\w+)?:/i.test(uri))
    return `the tracking URI '${uri.replace(/\/\/[^@/]*@/, '//')}' is a database: only a local sqlite mlflow.db in the project is read; point the view at the tracking server (http://...) instead.`;
  return undefined;
}

/**
 * The MLflow server of a URI and environment. Credentials: explicit ones (from VS Code's SecretStorage) first, then
 * MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic, as MLflow prefers them), then MLFLOW_TRACKING_TOKEN
 * (bearer), then DATABRICKS_TOKEN for a Databricks host. User info in the URI (`https://u:p@host`) is taken as basic.
 */
export function mlflowServerConfig(
  uri: string,
  env: NodeJS.ProcessEnv = process.env,
  secrets: { token?: string; username?: string; password?: string } = {},
): MlflowServerConfig {
  const other = describeNonHttpUri(uri.trim());
  if (other) throw new RemoteError('config', other, 'Set an http(s) tracking server URI.');
  let u: URL;
  try {
    u = new URL(uri.trim());
  } catch {
    throw new RemoteError('config', `'${uri}' is not a URL`, 'Set the tracking server URI, e.g. http://localhost:5000.');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new RemoteError('config', `'${u.protocol}' tracking URIs are not servers`, 'Set an http(s) tracking server URI.');
  const fromUrl = u.username ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  const baseUrl = u.toString().replace(/\/+$/, '');
  const databricks = isDatabricksHost(u.hostname);
  let auth: MlflowAuth = { kind: 'none' };
  const user = secrets.username ?? fromUrl?.username ?? env.MLFLOW_TRACKING_USERNAME;
  const pass = secrets.password ?? fromUrl?.password ?? env.MLFLOW_TRACKING_PASSWORD;
  const token = secrets.token ?? env.MLFLOW_TRACKING_TOKEN ?? (databricks ? env.DATABRICKS_TOKEN : undefined);
  if (secrets.token) auth = { kind: 'bearer', token: secrets.token };
  else if (user && pass !== undefined && pass !== '') auth = { kind: 'basic', username: user, password: pass };
  else if (token) auth = { kind: 'bearer', token };
  return { baseUrl, auth, databricks };
}

/** The Authorization header of an auth (never logged). */
export function authHeader(auth: MlflowAuth): Record<string, string> {
  if (auth.kind === 'basic') return { authorization: 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64') };
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return {};
}

export interface WandbConfig {
  /** https://api.wandb.ai, or WANDB_BASE_URL (a W&B server). */
  baseUrl: string;
  entity: string;
  project: string;
  apiKey?: string;
  /** Where the key came from (for notes: never the key). */
  keyFrom?: 'secret' | 'WANDB_API_KEY' | 'netrc';
}

/** The `machine <host> ... password <p>` entry of a .netrc text (tokens may span lines, as in netrc(5)). */
export function netrcPassword(text: string, host: string): string | undefined {
  const toks = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < toks.length; i++) {
    if (toks[i] !== 'machine' || toks[i + 1] !== host) continue;
    for (let j = i + 2; j < toks.length && toks[j] !== 'machine' && toks[j] !== 'default'; j += 2) if (toks[j] === 'password') return toks[j + 1];
  }
  return undefined;
}

/**
 * `entity/project` and the API key. The key: an explicit one (SecretStorage), WANDB_API_KEY, else ~/.netrc (NETRC may
 * name another file) for the host of the base URL, as wandb looks it up.
 */
export function wandbConfig(projectPath: string, env: NodeJS.ProcessEnv = process.env, secrets: { apiKey?: string } = {}, home = os.homedir()): WandbConfig {
  const parts = projectPath
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new RemoteError(
      'config',
      `'${projectPath}' is not entity/project`,
      'Give the W&B project as entity/project (the path in its URL: wandb.ai/<entity>/<project>).',
    );
  const baseUrl = (env.WANDB_BASE_URL || 'https://api.wandb.ai').replace(/\/+$/, '');
  const cfg: WandbConfig = { baseUrl, entity: parts[0], project: parts[1] };
  if (secrets.apiKey) return { ...cfg, apiKey: secrets.apiKey, keyFrom: 'secret' };
  if (env.WANDB_API_KEY) return { ...cfg, apiKey: env.WANDB_API_KEY, keyFrom: 'WANDB_API_KEY' };
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    throw new RemoteError('config', `WANDB_BASE_URL '${baseUrl}' is not a URL`, 'Fix WANDB_BASE_URL.');
  }
  try {
    const text = fs.readFileSync(env.NETRC || path.join(home, '.netrc'), 'utf8');
    const key = netrcPassword(text, host);
    if (key) return { ...cfg, apiKey: key, keyFrom: 'netrc' };
  } catch {
    /* no .netrc */
  }
  return cfg;
}
