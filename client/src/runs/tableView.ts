import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  RunDetailsRequest,
  RunHistoryRequest,
  RunsTableRequest,
  type RunHistoryResult,
  type RunsTableRemote,
  type RunsTableResult,
} from '../../../shared/protocol';
import { runToWire } from '../../../shared/runCodec';
import type { RemoteRunSet } from '../../../server/src/engine/runs/sources/wandbCloud';
import { isRemoteRun } from './remote';
import { tableHtml } from './table';

/** The Runs view's tracking-service runs (remote.ts): the table shows them beside the local ones. */
export interface TableRemote {
  sets(): RemoteRunSet[];
  /** Moves when the remote runs change. */
  readonly changes: number;
  history(ids: string[], metrics?: string[]): Promise<RunHistoryResult>;
}

/** Where the chosen columns are remembered (per workspace). */
const COLUMNS_KEY = 'mlopsHygiene.runsTable.columns';
/** Change notifications this close together refresh the table once. */
const REFRESH_DEBOUNCE_MS = 300;

/**
 * The experiments table: a webview with one row per run (params and metrics as columns, sort, filter, select rows to
 * chart, open a run's config or folder). Its data comes from the server (RunsTableRequest, RunHistoryRequest); the
 * webview script is media/runsTable.js.
 */
export class RunsTablePanel {
  private static current?: RunsTablePanel;
  private timer?: NodeJS.Timeout;
  /** The server's version of the runs and the remote runs' change count of what the page shows. */
  private lastVersion = '';
  /** The first paint of the table, as the webview measured it (tests and the output channel read it). */
  static lastPaint?: { ms: number; rows: number; requestMs: number };

  static show(
    context: vscode.ExtensionContext,
    client: () => LanguageClient,
    output: vscode.LogOutputChannel | undefined,
    ids?: string[],
    remote?: TableRemote,
  ): RunsTablePanel {
    if (RunsTablePanel.current && !ids) {
      RunsTablePanel.current.panel.reveal();
      return RunsTablePanel.current;
    }
    RunsTablePanel.current?.panel.dispose();
    return (RunsTablePanel.current = new RunsTablePanel(context, client, output, ids, remote));
  }

  /** The open table, if any: told when runs change. */
  static changed(): void {
    RunsTablePanel.current?.schedule();
  }

  private readonly panel: vscode.WebviewPanel;
  private requestMs = 0;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient,
    private readonly output: vscode.LogOutputChannel | undefined,
    private readonly ids: string[] | undefined,
    private readonly remote: TableRemote | undefined,
  ) {
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(
      'mlopsHygiene.runsTable',
      ids ? `Experiments (${ids.length} runs)` : 'Experiments',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [media],
      },
    );
    const w = this.panel.webview;
    w.html = tableHtml({
      cspSource: w.cspSource,
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'runsTable.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'runsTable.css')).toString(),
      title: 'Experiments',
    });
    w.onDidReceiveMessage((m) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      clearTimeout(this.timer);
      if (RunsTablePanel.current === this) RunsTablePanel.current = undefined;
    });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.send(), REFRESH_DEBOUNCE_MS);
  }

  private async send(): Promise<void> {
    const t0 = Date.now();
    let table: RunsTableResult;
    const changes = this.remote?.changes ?? 0;
    // the tracking services' runs go along: the server merges them with the local runs (one merge, the view's)
    const remote: RunsTableRemote[] = (this.remote?.sets() ?? [])
      .filter((s) => s.runs.length || s.wandbProject !== undefined)
      .map((s) => ({
        runs: s.runs.map((r) => runToWire(r)),
        ...(s.wandbProject !== undefined ? { wandbProject: s.wandbProject, complete: !!s.complete } : {}),
      }));
    try {
      table = await this.client().sendRequest(RunsTableRequest, { ...(this.ids ? { ids: this.ids } : {}), ...(remote.length ? { remote } : {}) });
    } catch (e) {
      void vscode.window.showWarningMessage(`MLOps Hygiene: could not list runs for the table: ${(e as Error).message}`);
      return;
    }
    this.requestMs = Date.now() - t0;
    const version = `${table.version}:${changes}`;
    if (version === this.lastVersion) return;
    this.lastVersion = version;
    const columns = this.context.workspaceState.get<string[]>(COLUMNS_KEY);
    void this.panel.webview.postMessage({ type: 'data', table, ...(columns ? { columns } : {}) });
  }

  private async onMessage(m: { type: string; [k: string]: unknown }): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.lastVersion = '';
        return this.send();
      case 'painted':
        RunsTablePanel.lastPaint = { ms: Number(m.ms), rows: Number(m.rows), requestMs: this.requestMs };
        this.output?.info(
          `Experiments table: first paint of ${String(m.rows)} runs in ${String(m.ms)} ms after the page loaded (server answered in ${this.requestMs} ms)`,
        );
        return;
      case 'columns':
        await this.context.workspaceState.update(COLUMNS_KEY, Array.isArray(m.keys) ? m.keys : undefined);
        return;
      case 'chart': {
        const ids = (m.ids as string[]).slice(0, 20);
        // a tracking server's runs: their history comes from the server (metrics/get-history, sampledHistory)
        const local = ids.filter((id) => !isRemoteRun(id));
        const remote = ids.filter((id) => isRemoteRun(id));
        const history = local.length ? await this.client().sendRequest(RunHistoryRequest, { ids: local }) : { series: [], warnings: [] };
        if (remote.length && this.remote) {
          const h = await this.remote.history(remote);
          history.series.push(...h.series);
          history.warnings.push(...h.warnings);
        }
        void this.panel.webview.postMessage({ type: 'history', history });
        return;
      }
      case 'open': {
        const [run] = (await this.client().sendRequest(RunDetailsRequest, { ids: [String(m.id)] })).runs;
        if (!run) return;
        if (m.what === 'config') {
          if (!run.configFile) return void vscode.window.showInformationMessage(`${run.name} has no config file on disk.`);
          await vscode.window.showTextDocument(vscode.Uri.file(run.configFile), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        } else {
          if (!run.folder) return void vscode.window.showInformationMessage(`${run.name} has no folder.`);
          const uri = vscode.Uri.file(run.folder);
          if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
          else await vscode.commands.executeCommand('revealFileInOS', uri);
        }
        return;
      }
    }
  }
}
