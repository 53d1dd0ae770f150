import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../support/tmp';
import { CodeServer, installExtension } from './codeServer';
import { ARTEFACTS, Workbench } from './workbench';

export const VSIX = path.join(PROJECT_ROOT, 'mlops-hygiene.vsix');
const CHROMIUM = process.env.MLH_E2E_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser | undefined;
let extensionsDir: string | undefined;

/** One headless Chromium for the whole editor suite. */
export async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return browser;
}

/** The packaged extension (npm run package), installed once per run into a fresh extensions folder. */
export function sharedExtensionsDir(): string {
  if (extensionsDir) return extensionsDir;
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first (npm run test:editor does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-e2e-ext-'));
  const scratchUser = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-e2e-install-'));
  installExtension(VSIX, dir, scratchUser);
  fs.rmSync(scratchUser, { recursive: true, force: true });
  const installed = fs.readdirSync(dir).filter((d) => d.startsWith('mlops-hygiene.'));
  if (!installed.length) throw new Error(`installing ${VSIX} left no mlops-hygiene.* folder in ${dir}`);
  extensionsDir = dir;
  return dir;
}

export interface Invocation {
  tool: string;
  /** Command line of the process that ran it. */
  parent: string;
  cwd: string;
  args: string;
}

/**
 * A git shim put first on the PATH of code-server (so of the extension host and our language server): it logs every
 * invocation with the command line of the process that started it, then runs the real git. That is how the suite proves
 * which processes our server spawns.
 */
export class GitShim {
  readonly dir: string;
  readonly log: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-e2e-shim-'));
    this.log = path.join(this.dir, 'invocations.log');
    fs.writeFileSync(this.log, '');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    for (const [name, real] of [
      ['git', realGit],
      ['dvc', ''],
    ] as const) {
      const script = [
        '#!/bin/sh',
        `parent=$(tr '\\0' ' ' < /proc/$PPID/cmdline 2>/dev/null)`,
        `printf '%s\\t%s\\t%s\\t%s\\n' "${name}" "$parent" "$PWD" "$*" >> '${this.log}'`,
        real ? `exec '${real}' "$@"` : `echo '${name}: not installed (e2e shim)' >&2; exit 127`,
        '',
      ].join('\n');
      fs.writeFileSync(path.join(this.dir, name), script, { mode: 0o755 });
    }
  }

  /** Invocations so far: tool, parent command line, arguments. */
  invocations(): Invocation[] {
    return fs
      .readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [tool, parent, cwd, args] = l.split('\t');
        return { tool, parent, cwd, args };
      });
  }

  /** Invocations whose parent is our language server (dist/server.js of the installed extension), in `folder` if given. */
  fromOurServer(folder?: string): Invocation[] {
    return this.invocations().filter(
      (i) => /mlops-hygiene[^ ]*\/dist\/server\.js/.test(i.parent) && (!folder || i.cwd === folder || i.cwd.startsWith(folder + '/')),
    );
  }

  /** Invocations run in `folder` (or below), by any process. */
  inFolder(folder: string): Invocation[] {
    return this.invocations().filter((i) => i.cwd === folder || i.cwd.startsWith(folder + '/'));
  }

  clear(): void {
    fs.writeFileSync(this.log, '');
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export type TrustMode = 'trusted' | 'restricted';

interface SharedServer {
  server: CodeServer;
  shim: GitShim;
}
const servers = new Map<TrustMode, Promise<SharedServer>>();

/**
 * One code-server per trust mode for the whole run (starting one costs tens of seconds), each with the git shim first on
 * its PATH. `trusted`: workspace trust off, every folder trusted. `restricted`: trust on; each test answers the dialog.
 */
export function sharedServer(mode: TrustMode): Promise<SharedServer> {
  let p = servers.get(mode);
  if (!p) {
    p = (async () => {
      const shim = new GitShim();
      const server = await CodeServer.start({
        extensionsDir: sharedExtensionsDir(),
        logFile: path.join(ARTEFACTS, 'logs', `code-server-${mode}.log`),
        settings: { 'security.workspace.trust.enabled': mode === 'restricted', 'security.workspace.trust.untrustedFiles': 'open' },
        pathPrefix: [shim.dir],
      });
      return { server, shim };
    })();
    servers.set(mode, p);
  }
  return p;
}

export interface EditorSession {
  wb: Workbench;
  shim: GitShim;
  server: CodeServer;
  close(): Promise<void>;
}

/** Opens `folder` in a new browser page of the shared code-server for `mode`, the packaged extension installed. */
export async function openEditor(suite: string, folder: string, mode: TrustMode = 'trusted'): Promise<EditorSession> {
  const { server, shim } = await sharedServer(mode);
  const wb = await Workbench.open(await sharedBrowser(), server.folderUrl(folder), suite, { trust: mode === 'restricted' ? 'restricted' : undefined });
  return { wb, shim, server, close: () => wb.close() };
}

export async function closeShared(): Promise<void> {
  for (const p of servers.values()) {
    const { server, shim } = await p.catch(() => ({ server: undefined, shim: undefined }));
    await server?.stop();
    shim?.dispose();
  }
  servers.clear();
  await browser?.close().catch(() => undefined);
  browser = undefined;
  if (extensionsDir) fs.rmSync(extensionsDir, { recursive: true, force: true });
  extensionsDir = undefined;
}
