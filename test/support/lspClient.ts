import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ConfigurationRequest,
  type InitializeResult,
  ShutdownRequest,
  type Diagnostic,
  type FileEvent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { StatusNotification, type StatusParams } from '../../shared/protocol';
import { PROJECT_ROOT } from './tmp';

/**
 * Talks to the real language server (dist/server.js) over stdio JSON-RPC, as an editor does: initialize, open and edit
 * documents, send file events, and wait for the diagnostics it publishes.
 */
export class LspTestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown> = {};
  /** Settings of one folder (scopeUri -> settings), as a multi-root workspace's `.vscode/settings.json` gives them. */
  folderSettings: Record<string, Record<string, unknown>> = {};
  status?: StatusParams;
  /** window/logMessage texts, in order (what the output channel shows). */
  readonly logs: string[] = [];
  initializeResult?: InitializeResult;
  /** What the server asked the client to register (client/registerCapability): the file watchers, for one. */
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[] = [];

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly root: string,
  ) {}

  static async start(
    root: string,
    opts: { trusted?: boolean; settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
  ): Promise<LspTestClient> {
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(PROJECT_ROOT, 'dist', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.env ? { env: opts.env } : {}),
    });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspTestClient(proc, connection, root);
    client.settings = opts.settings ?? {};
    connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.poke();
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      client.logs.push(p.message);
      client.poke();
    });
    connection.onRequest(RegistrationRequest.type, (p) => void client.registrations.push(...p.registrations));
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.scopeUri && client.folderSettings[i.scopeUri]) || client.settings));
    connection.onNotification(StatusNotification, (p) => {
      client.status = p;
      client.poke();
    });
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: path.basename(root) }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
      initializationOptions: { trusted: opts.trusted ?? true },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).toString();
  }

  diagnosticsFor(rel: string): Diagnostic[] {
    return this.diagnostics.get(this.uri(rel)) ?? [];
  }

  codesFor(rel: string): string[] {
    return this.diagnosticsFor(rel)
      .map((d) => String(d.code))
      .sort();
  }

  private poke(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves when `test` holds after some message; rejects with `what` after the timeout. */
  waitFor(test: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async open(rel: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(rel, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: this.uri(rel), languageId, version: 1, text } });
  }

  async change(rel: string, text: string): Promise<void> {
    const v = (this.versions.get(rel) ?? 1) + 1;
    this.versions.set(rel, v);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri(rel), version: v },
      contentChanges: [{ text }],
    });
  }

  /**
   * Opens `rel` with `text` and waits until the server has checked it: an edit to `broken` must raise `code`, and going
   * back to `text` must clear it (a request sent before the first check would see an unfinished workspace).
   */
  async openChecked(rel: string, text: string, broken: string, code: string): Promise<void> {
    await this.open(rel, text);
    await this.change(rel, broken);
    await this.waitFor(() => this.codesFor(rel).includes(code), `${code} on the edited ${rel}`);
    await this.change(rel, text);
    await this.waitFor(() => !this.codesFor(rel).includes(code), `${code} to go away from ${rel}`);
  }

  async fileEvents(events: { rel: string; type: FileEvent['type'] }[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events.map((e) => ({ uri: this.uri(e.rel), type: e.type })) });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    this.proc.kill();
  }
}
