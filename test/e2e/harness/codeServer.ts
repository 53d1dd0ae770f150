import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where scripts/e2e-setup.sh installs code-server 4.96.4 (VS Code 1.96.4), outside the repository. */
export const E2E_CACHE = process.env.MLH_E2E_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mlops-hygiene-e2e');
export const CODE_SERVER_DIR = path.join(E2E_CACHE, 'code-server-4.96.4');
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export function codeServerInstalled(): string | undefined {
  if (!fs.existsSync(path.join(CODE_SERVER_DIR, '.complete')) || !fs.existsSync(ENTRY)) {
    return `code-server is not installed in ${CODE_SERVER_DIR}: run scripts/e2e-setup.sh (npm run test:editor does)`;
  }
  return undefined;
}

/** Settings every editor session starts with: no welcome page, no tips, no telemetry, VS Code's own git extension off. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  // The built-in git extension would spawn git too; off, so every git process in the log is ours.
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'files.autoSave': 'off',
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  // Trees render their scrolled-away parents again as sticky rows; off, so every row on the page is a row of the list.
  'workbench.tree.enableStickyScroll': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
};

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installExtension(vsix: string, extensionsDir: string, userDataDir: string): void {
  execFileSync(process.execPath, [ENTRY, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], {
    stdio: 'pipe',
    timeout: 120_000,
  });
}

export interface CodeServerOptions {
  extensionsDir: string;
  /** User settings, merged over BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Folders put first on the PATH of the server (and so of the extension host and of our language server). */
  pathPrefix?: string[];
  env?: Record<string, string>;
  /** Log file for the server's output (kept for failure analysis). */
  logFile: string;
}

export class CodeServer {
  private constructor(
    readonly url: string,
    readonly userDataDir: string,
    private readonly proc: ChildProcess,
    private readonly logFile: string,
  ) {}

  static async start(opts: CodeServerOptions): Promise<CodeServer> {
    const missing = codeServerInstalled();
    if (missing) throw new Error(missing);
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-e2e-user-'));
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...opts.settings }, null, 2));
    const port = await freePort();
    const env = { ...process.env, ...opts.env };
    if (opts.pathPrefix?.length) env.PATH = [...opts.pathPrefix, env.PATH ?? ''].join(path.delimiter);
    delete env.VSCODE_IPC_HOOK_CLI;
    // VS Code's server would otherwise replace the extension host's environment by the one of a login shell
    // (resolveShellEnv), which resets PATH; VSCODE_CLI=1 makes it keep ours (needed for the git shim).
    env.VSCODE_CLI = '1';
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    const out = fs.openSync(opts.logFile, 'w');
    const proc = spawn(
      process.execPath,
      [
        ENTRY,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        opts.extensionsDir,
        '--disable-telemetry',
        '--disable-update-check',
      ],
      { env, stdio: ['ignore', out, out], detached: false },
    );
    fs.closeSync(out);
    const server = new CodeServer(`http://127.0.0.1:${port}`, userDataDir, proc, opts.logFile);
    await server.waitUp(60_000, opts.logFile);
    return server;
  }

  private async waitUp(timeoutMs: number, logFile: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`code-server exited with ${this.proc.exitCode}; see ${logFile}`);
      try {
        const r = await fetch(this.url + '/healthz', { redirect: 'manual' });
        if (r.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`code-server did not answer on ${this.url} within ${timeoutMs} ms; see ${logFile}`);
  }

  /** The code-server process (the root of the extension hosts and of our language servers it starts). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  folderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // Keep VS Code's own logs (extension host, our output channel) next to the server log, as artefacts.
    const logs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, this.logFile.replace(/\.log$/, '-vscode-logs'), { recursive: true });
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
