/**
 * Where a project's scripts log their runs, read from the code: `mlflow.set_tracking_uri("http://...")` (or
 * `MLFLOW_TRACKING_URI = "http..."` in os.environ / a .env file) and `wandb.init(project="p", entity="e")`. Only string
 * literals count. These are suggestions: the view offers them and contacts nothing until the user accepts one; the CLI
 * prints them as notes.
 */
import type { Workspace } from '../../workspace';

export interface TrackingHint {
  kind: 'mlflow' | 'wandb';
  /** An http(s) tracking URI, or `entity/project` (`/project` when the code names no entity). */
  value: string;
  /** Workspace-relative file and 1-based line. */
  file: string;
  line: number;
}

const MLFLOW_CALL = /\bset_tracking_uri\(\s*(?:uri\s*=\s*)?(['"])(https?:\/\/[^'"\s]+)\1/g;
const MLFLOW_ENV = /\bMLFLOW_TRACKING_URI\b['"]?\s*(?:\]\s*)?[=:,]\s*(['"]?)(https?:\/\/[^'"\s#]+)\1/g;
const WANDB_INIT = /\bwandb\.init\(([^)]{0,2000})\)/g;
/** Scanned at most (files, bytes each): a hint is a convenience, never a walk of a huge repository. */
const MAX_FILES = 3000;

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function literalArg(args: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(['"])([^'"\\n]+)\\1`).exec(args);
  return m?.[2];
}

/** The hints of one file's text. */
export function trackingHintsInText(text: string, file: string): TrackingHint[] {
  const out: TrackingHint[] = [];
  const py = file.endsWith('.py') || file.endsWith('.ipynb');
  for (const re of py ? [MLFLOW_CALL, MLFLOW_ENV] : [MLFLOW_ENV]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // a user name, password or token in the URI is not part of the suggestion: it would be shown in the view and
      // saved in the settings; credentials go to SecretStorage (Set Tracking Server Credentials) or the environment
      const value = withoutCredentials(m[2]);
      if (value) out.push({ kind: 'mlflow', value, file, line: lineOf(text, m.index) });
    }
  }
  if (py) {
    WANDB_INIT.lastIndex = 0;
    for (let m = WANDB_INIT.exec(text); m; m = WANDB_INIT.exec(text)) {
      const project = literalArg(m[1], 'project');
      if (!project || project.includes('/')) continue;
      const entity = literalArg(m[1], 'entity');
      out.push({ kind: 'wandb', value: `${entity ?? ''}/${project}`, file, line: lineOf(text, m.index) });
    }
  }
  return out;
}

/** `https://user:pw@host:5000/?token=x` -> `https://host:5000`; undefined when it is not a URL. */
function withoutCredentials(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The `.env` files at the top of the workspace, read even when git ignores them (they usually are: they hold
 * secrets). Only the MLFLOW_TRACKING_URI line is used, as a suggestion; nothing else of the file leaves this module.
 */
const ROOT_ENV_FILES = ['.env', '.env.local'];

/**
 * The hints of a workspace: Python files, notebooks and .env files it lists (other ignored files are not), and the
 * top-level `.env` files; one per value.
 */
export function findTrackingHints(ws: Workspace): TrackingHint[] {
  const seen = new Set<string>();
  const out: TrackingHint[] = [];
  let n = 0;
  const candidates = function* (): Generator<string> {
    for (const rel of ws.paths()) yield rel;
    for (const rel of ROOT_ENV_FILES) if (!ws.has(rel) && ws.exists(rel) && !ws.isDirectory(rel)) yield rel;
  };
  for (const rel of candidates()) {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (!(rel.endsWith('.py') || rel.endsWith('.ipynb') || base === '.env' || base.endsWith('.env') || base === '.env.local')) continue;
    if (++n > MAX_FILES) break;
    if (ws.isRunArtefact(rel)) continue;
    const r = ws.readText(rel);
    if (!r.ok) continue;
    for (const h of trackingHintsInText(r.text, rel)) {
      const key = `${h.kind}\0${h.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(h);
    }
  }
  return out;
}
