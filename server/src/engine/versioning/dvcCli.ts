import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VersioningError } from './git';
import type { DvcCommand, DvcRunResult } from '../../../../shared/types';
export type { DvcCommand, DvcRunResult } from '../../../../shared/types';

export interface DvcLocateOptions {
  /** The `mlopsHygiene.dvcPath` setting: a dvc executable, or a Python interpreter (then `-m dvc` is used). */
  dvcPath?: string;
  /** The Python interpreter the user selected (Python extension). */
  pythonPath?: string;
  /** Environment (PATH) to search; default process.env. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export const DVC_INSTALL_HINT =
  'Install it in your project environment with `pip install dvc` (or `uv add --dev dvc`, `conda install -c conda-forge dvc`), then select that Python interpreter or set mlopsHygiene.dvcPath.';

function probe(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, [...args, '--version'], { env, timeout: timeoutMs, shell: false, windowsHide: true }, (err, stdout) => {
      if (err) return resolve(undefined);
      const v = String(stdout).trim().split('\n').pop()?.trim();
      resolve(v && /^\d+\.\d+/.test(v) ? v : v || undefined);
    });
  });
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const d of dirs) {
    for (const e of exts) {
      const p = path.join(d, name + e);
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

function looksLikePython(p: string): boolean {
  return /python[\d.]*(\.exe)?$/i.test(path.basename(p));
}

/**
 * Finds a working dvc, in this order: the setting (dvc executable or Python interpreter), the selected Python
 * interpreter (`<python> -m dvc`, then a `dvc` next to it), then `dvc` on PATH. Undefined when none answers `--version`.
 */
export async function locateDvc(opts: DvcLocateOptions = {}): Promise<DvcCommand | undefined> {
  const env = opts.env ?? process.env;
  const t = opts.timeoutMs ?? 20_000;
  const candidates: { file: string; prefixArgs: string[]; via: string }[] = [];
  if (opts.dvcPath) {
    candidates.push(
      looksLikePython(opts.dvcPath)
        ? { file: opts.dvcPath, prefixArgs: ['-m', 'dvc'], via: `setting mlopsHygiene.dvcPath (${opts.dvcPath} -m dvc)` }
        : { file: opts.dvcPath, prefixArgs: [], via: `setting mlopsHygiene.dvcPath (${opts.dvcPath})` },
    );
  }
  if (opts.pythonPath) {
    candidates.push({ file: opts.pythonPath, prefixArgs: ['-m', 'dvc'], via: `Python interpreter ${opts.pythonPath}` });
    const sibling = path.join(path.dirname(opts.pythonPath), process.platform === 'win32' ? 'dvc.exe' : 'dvc');
    if (fs.existsSync(sibling)) candidates.push({ file: sibling, prefixArgs: [], via: `${sibling} (next to the selected interpreter)` });
  }
  const fromPath = onPath('dvc', env);
  if (fromPath) candidates.push({ file: fromPath, prefixArgs: [], via: `PATH (${fromPath})` });
  for (const c of candidates) {
    const version = await probe(c.file, c.prefixArgs, env, t);
    if (version) return { ...c, version };
  }
  return undefined;
}

/** Like locateDvc, but fails with the install hint. */
export async function requireDvc(opts: DvcLocateOptions = {}): Promise<DvcCommand> {
  const dvc = await locateDvc(opts);
  if (!dvc) {
    const tried = [opts.dvcPath && `mlopsHygiene.dvcPath (${opts.dvcPath})`, opts.pythonPath && `${opts.pythonPath} -m dvc`, '`dvc` on PATH']
      .filter(Boolean)
      .join(', ');
    throw new VersioningError(`The DVC CLI was not found (tried ${tried}). Nothing was changed. ${DVC_INSTALL_HINT}`, 'dvc-missing');
  }
  return dvc;
}

export interface DvcRunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Streamed output lines (stdout and stderr), for an output channel. */
  onOutput?: (text: string) => void;
  /** Abort (kills the process). */
  signal?: AbortSignal;
}

/** Runs `dvc <args>` without a shell. Resolves with the exit code; never rejects for a non-zero exit. */
export function runDvc(dvc: DvcCommand, args: string[], opts: DvcRunOptions): Promise<DvcRunResult> {
  const fullArgs = [...dvc.prefixArgs, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(dvc.file, fullArgs, {
      cwd: opts.cwd,
      env: { ...(opts.env ?? process.env), DVC_NO_ANALYTICS: '1' },
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onOutput?.(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onOutput?.(d);
    });
    child.on('error', (e) => reject(new VersioningError(`Could not start ${dvc.file}: ${e.message}`, 'dvc-failed')));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, args: fullArgs }));
  });
}

/** The CLI's own error lines (`ERROR: ...`), or its last stderr lines, for a message. */
export function dvcErrorSummary(r: DvcRunResult): string {
  const lines = (r.stderr || r.stdout)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /^ERROR\b/i.test(l));
  return (errors.length ? errors : lines.slice(-3)).join(' ') || `dvc exited with code ${r.code}`;
}

/** What to do after a failure, from the CLI's message. */
export function dvcAdvice(summary: string, verb: string): string {
  if (/no remote|remote.*not.*(set|specified|configured)|default remote/i.test(summary)) return 'Configure a default remote: `dvc remote add -d <name> <url>`.';
  if (/not a dvc repository|no dvc repo|\.dvc.*not found/i.test(summary)) return 'Initialise DVC in this folder first: `dvc init`.';
  if (/missing cache files|not in cache|failed to pull|checkout failed/i.test(summary))
    return 'The data is not in the local cache: run MLOps Hygiene: Pull Data (or `dvc fetch`).';
  if (/permission denied|403|401|credentials|auth/i.test(summary)) return 'Check the credentials for the DVC remote.';
  if (/ConfirmRemoveError|unable to remove|without a confirmation/i.test(summary))
    return "The workspace copy differs from DVC's: save it (`dvc commit`) or move it away, then retry.";
  return `See the MLOps Hygiene output channel for the full output of dvc ${verb}.`;
}

/** Runs dvc and throws a VersioningError with the CLI's message and advice on a non-zero exit. */
export async function runDvcChecked(dvc: DvcCommand, args: string[], opts: DvcRunOptions): Promise<DvcRunResult> {
  const r = await runDvc(dvc, args, opts);
  if (r.code !== 0) {
    const summary = dvcErrorSummary(r);
    throw new VersioningError(`dvc ${args[0]} failed: ${summary} ${dvcAdvice(summary, args[0])}`, 'dvc-failed');
  }
  return r;
}
