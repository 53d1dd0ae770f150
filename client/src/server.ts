import * as vscode from 'vscode';
import { CloseAction, ErrorAction, State, type LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';

/** What the status bar shows about the server process itself (the check's own state comes in StatusNotification). */
export type ServerState = 'starting' | 'running' | 'restarting' | 'crashed' | 'stopped';

/** Crashes within this window count together; one more than MAX_RESTARTS stops restarting (as the default handler). */
const CRASH_WINDOW_MS = 3 * 60_000;
const MAX_RESTARTS = 4;

/**
 * Owns the language client: starts it, restarts it (Restart Server, workspace trust granted), restarts it after a
 * crash a few times, and tells the status bar and the views when a new client is running or the server is down.
 */
export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private crashes: number[] = [];
  private restarting = false;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  private readonly stateChanged = new vscode.EventEmitter<{ state: ServerState; detail?: string }>();
  /** A new client was made and is about to start: subscribe to its notifications here, so none is missed. */
  readonly onDidCreate = this.started.event;
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get current(): LanguageClient | undefined {
    return this.client;
  }

  async start(): Promise<void> {
    this.stateChanged.fire({ state: this.restarting ? 'restarting' : 'starting' });
    const client = createClient(this.context, this.output, {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        if (this.restarting) return { action: CloseAction.DoNotRestart, handled: true };
        const now = Date.now();
        this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
        if (this.crashes.length > MAX_RESTARTS) {
          const detail = `The MLOps Hygiene server stopped ${this.crashes.length} times in ${CRASH_WINDOW_MS / 60_000} minutes and is not restarted again. See the output channel, then run "MLOps Hygiene: Restart Server".`;
          this.output.error(detail);
          this.stateChanged.fire({ state: 'crashed', detail });
          void vscode.commands.executeCommand('setContext', 'mlopsHygiene.serverRunning', false);
          return { action: CloseAction.DoNotRestart, message: detail, handled: true };
        }
        this.output.warn(`The MLOps Hygiene server stopped unexpectedly; restarting it (${this.crashes.length} of ${MAX_RESTARTS}).`);
        this.stateChanged.fire({ state: 'restarting', detail: 'The server stopped unexpectedly and is being restarted.' });
        return { action: CloseAction.Restart, handled: true };
      },
    });
    this.client = client;
    this.started.fire(client);
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) {
        void vscode.commands.executeCommand('setContext', 'mlopsHygiene.serverRunning', true);
        this.stateChanged.fire({ state: 'running' });
      }
    });
    await client.start();
    const info = client.initializeResult?.serverInfo;
    this.output.info(
      `Server ${info?.name ?? 'mlops-hygiene'} ${info?.version ?? '?'} started (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted: no git or dvc process'}); folders: ${(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath).join(', ') || '(none)'}`,
    );
  }

  /** Stops the running server (if any) and starts a new one. */
  async restart(reason: string): Promise<void> {
    this.output.info(`Restarting the server: ${reason}`);
    this.restarting = true;
    this.crashes = [];
    try {
      const old = this.client;
      this.client = undefined;
      this.stateChanged.fire({ state: 'restarting', detail: reason });
      void vscode.commands.executeCommand('setContext', 'mlopsHygiene.serverRunning', false);
      await old?.stop().catch((e: Error) => this.output.error(`stopping the server: ${e.stack ?? e.message}`));
      await this.start();
    } finally {
      this.restarting = false;
    }
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.stateChanged.fire({ state: 'stopped' });
    await c?.stop();
  }

  dispose(): void {
    this.started.dispose();
    this.stateChanged.dispose();
  }
}
