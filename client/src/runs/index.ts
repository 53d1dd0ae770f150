import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  RunDetailsRequest,
  RunHistoryRequest,
  RunsTrackingHintsRequest,
  RunsChangedNotification,
  RunsListRequest,
  type RunsChangedParams,
  type RunSummary,
} from '../../../shared/protocol';
import { runFromWire } from '../../../shared/runCodec';
import { chartHtml, compareHtml } from './html';
import { metricKeys, parseFilter, SOURCE_LABELS, type RunNode } from './model';
import { RunsTreeProvider } from './tree';
import { RunsTablePanel } from './tableView';
import { isRemoteRun, RemoteRunsController, setCredentials } from './remote';
import type { WorkspaceLayout } from '../welcome';
import { runsStartRows } from '../welcomeText';

export const RUNS_VIEW = 'mlopsHygiene.runs';
/** Notifications arriving this close together (a sweep starting ten jobs) are rendered once. The server already
 *  debounces file events (50 ms) and throttles live runs (one re-read a second per run folder). */
const CHANGE_DEBOUNCE_MS = 20;

/**
 * The "Runs" view in the "MLOps" activity-bar container: every run the server finds, grouped by source and experiment,
 * with filter, sort, compare and chart. `getClient` returns the current language client (it is recreated when the
 * workspace becomes trusted).
 */
export function registerRuns(
  context: vscode.ExtensionContext,
  getClient: () => LanguageClient | undefined,
  output?: vscode.LogOutputChannel,
  layout?: WorkspaceLayout,
): void {
  /** Notes already written to the output channel (each once, not on every refresh). */
  const logged = new Set<string>();
  let subscribed: LanguageClient | undefined;
  let changeTimer: NodeJS.Timeout | undefined;
  let changes: RunsChangedParams[] = [];
  /** Applies the waiting notifications: patched in place when they carry the runs, else one new list. */
  const applyChanges = () => {
    const batch = changes;
    changes = [];
    if (!batch.every((c) => provider.patch(c))) provider.refresh();
    RunsTablePanel.changed();
    updateMessage();
  };
  const client = (): LanguageClient => {
    const c = getClient();
    if (!c) throw new Error('the MLOps Hygiene language server is not running');
    if (c !== subscribed) {
      subscribed = c;
      context.subscriptions.push(
        c.onNotification(RunsChangedNotification, (p) => {
          changes.push(p);
          clearTimeout(changeTimer);
          changeTimer = setTimeout(applyChanges, CHANGE_DEBOUNCE_MS);
        }),
      );
    }
    return c;
  };
  // while the server reads params and metrics in the background, the view shows a progress bar and a message
  let progressDone: (() => void) | undefined;
  const onPending = (n: number) => {
    if (n > 0 && !progressDone) {
      void vscode.window.withProgress({ location: { viewId: RUNS_VIEW } }, () => new Promise<void>((resolve) => (progressDone = resolve)));
    } else if (n === 0 && progressDone) {
      progressDone();
      progressDone = undefined;
    }
    updateMessage();
  };
  const provider = new RunsTreeProvider(
    async (complete) => {
      const r = await client().sendRequest(RunsListRequest, { complete });
      const runs = remote.merged(r.runs.map((w) => runFromWire(w, r.workspaceFolder)));
      void vscode.commands.executeCommand('setContext', 'mlopsHygiene.runs.empty', runs.length === 0 && r.notes.length === 0 && !remote.active);
      for (const n of r.notes) {
        if (logged.has(n)) continue;
        logged.add(n);
        output?.warn(`Runs: ${n}`);
      }
      return { runs, pending: r.pending, notes: r.notes };
    },
    async (ids) => (await client().sendRequest(RunDetailsRequest, { ids })).runs,
    onPending,
  );
  // MLflow tracking server and W&B project runs (remote.ts): fetched here, in the extension host, merged into the list
  let redraw: NodeJS.Timeout | undefined;
  const remote = new RemoteRunsController(
    context,
    () => {
      // pages arrive many at a time: one re-merge and redraw per 50 ms
      clearTimeout(redraw);
      redraw = setTimeout(() => {
        if (provider.loaded) {
          provider.runs = remote.merged(provider.runs);
          provider.rebuild();
        } else provider.refresh();
        RunsTablePanel.changed(); // the table shows them too
        updateMessage();
      }, 50);
    },
    async () => (await client().sendRequest(RunsTrackingHintsRequest, {})).hints,
  );
  // a workspace without runs: the real command that starts one and a row that runs it, instead of the static welcome
  provider.messages = () => [
    ...remote.messages(),
    ...(provider.runs.length || provider.filter
      ? []
      : runsStartRows(layout?.folders ?? [], vscode.workspace.isTrusted).map((r) => ({
          kind: 'message' as const,
          description: '',
          severity: 'info' as const,
          ...r,
        }))),
  ];
  const view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  context.subscriptions.push(view, remote, { dispose: () => (clearTimeout(changeTimer), clearTimeout(redraw), progressDone?.()) });
  context.subscriptions.push(provider.onDidChangeTreeData(() => updateMessage()));
  if (layout) context.subscriptions.push(layout.onDidChange(() => provider.loaded && provider.rebuild()));
  // nothing is contacted before the view is first shown; hiding it stops the background pages
  let started = false;
  const onVisible = (visible: boolean) => {
    if (visible && !started) {
      started = true;
      void remote.reset();
    } else if (started) remote.visible(visible);
  };
  context.subscriptions.push(view.onDidChangeVisibility((e) => onVisible(e.visible)));
  if (view.visible) onVisible(true);
  const updateMessage = () => {
    view.message = provider.summary || undefined;
    void vscode.commands.executeCommand('setContext', 'mlopsHygiene.runs.filtered', !!provider.filter);
  };

  /** The runs an action applies to: the selection when the clicked run is part of it, else the clicked run. */
  const targets = (node?: RunNode, nodes?: readonly RunNode[]): RunSummary[] => {
    const picked = nodes?.length ? nodes : node ? [node] : view.selection;
    return picked.filter((n): n is Extract<RunNode, { kind: 'run' }> => n.kind === 'run').map((n) => n.run);
  };
  const one = (node?: RunNode): RunSummary | undefined => {
    const r = targets(node)[0];
    if (!r) void vscode.window.showInformationMessage('Select a run in the Runs view first.');
    return r;
  };
  /** A run with its params, config file and command (read now when still pending). */
  const full = async (r: RunSummary | undefined): Promise<RunSummary | undefined> => (r ? (await provider.withDetails([r]))[0] : undefined);
  const pickRun = async (title: string, exclude: Set<string>): Promise<RunSummary | undefined> => {
    await provider.complete();
    const items = provider.runs
      .filter((r) => !exclude.has(r.id))
      .map((r) => ({
        label: r.name,
        description: `${SOURCE_LABELS[r.source]} · ${r.experiment ?? ''}`,
        detail: Object.entries(r.metrics)
          .slice(0, 4)
          .map(([k, v]) => `${k}=${v}`)
          .join('  '),
        run: r,
      }));
    const p = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
    return p?.run;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('mlopsHygiene.runs.refresh', () => {
      provider.refresh();
      if (started) void remote.refresh();
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.setCredentials', () => setCredentials(context.secrets)),
    vscode.commands.registerCommand('mlopsHygiene.runs.table', (node?: RunNode, nodes?: readonly RunNode[]) => {
      // from the view's selection of two or more runs: those; else every run
      const picked = targets(node, nodes);
      RunsTablePanel.show(context, client, output, picked.length > 1 ? picked.map((r) => r.id) : undefined, remote);
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.filter', async () => {
      const text = await vscode.window.showInputBox({
        title: 'Filter runs',
        value: provider.filter,
        prompt:
          'Words match name, experiment, commit, status; key=value matches a parameter; metric<0.3 or metric>=0.9 compares a metric. All terms must hold.',
        placeHolder: 'e.g. resnet lr=0.01 val_loss<0.3',
      });
      if (text === undefined) return;
      provider.filter = text.trim();
      // the tracking servers filter their runs themselves (MLflow filter string, W&B filters)
      void remote.setFilter(provider.filter);
      // key=value and metric<x terms need every run's params and metrics
      if (parseFilter(provider.filter).some((t) => t.key)) await provider.complete();
      provider.rebuild();
      updateMessage();
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.clearFilter', () => {
      provider.filter = '';
      void remote.setFilter('');
      provider.rebuild();
      updateMessage();
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.sort', async () => {
      await provider.complete(); // the metric keys of all runs
      const items: (vscode.QuickPickItem & { spec: RunsTreeProvider['sort'] })[] = [
        { label: 'Newest first', spec: { by: 'newest' } },
        { label: 'Oldest first', spec: { by: 'oldest' } },
        ...metricKeys(provider.runs).flatMap((m) => [
          { label: `${m} ↓`, description: 'highest first', spec: { by: 'metric' as const, metric: m, order: 'desc' as const } },
          { label: `${m} ↑`, description: 'lowest first', spec: { by: 'metric' as const, metric: m, order: 'asc' as const } },
        ]),
      ];
      const p = await vscode.window.showQuickPick(items, { title: 'Sort runs by', matchOnDescription: true });
      if (!p) return;
      provider.sort = p.spec;
      provider.rebuild();
      updateMessage();
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.openConfig', async (node?: RunNode) => {
      const r = await full(one(node));
      if (!r) return;
      if (!r.configFile) return void vscode.window.showInformationMessage(`${r.name} has no config file on disk.`);
      await vscode.window.showTextDocument(vscode.Uri.file(r.configFile), { preview: true });
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.openLog', async (node?: RunNode) => {
      const r = await full(one(node));
      if (!r?.logFile) return;
      await vscode.window.showTextDocument(vscode.Uri.file(r.logFile), { preview: true });
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.revealFolder', async (node?: RunNode) => {
      const r = one(node);
      if (!r) return;
      if (!r.folder)
        return void vscode.window.showInformationMessage(`${r.name} has no folder (it lives in ${r.source === 'dvc-exp' ? 'git refs' : 'a database'}).`);
      const uri = vscode.Uri.file(r.folder);
      // the Explorer shows ignored folders too; outside the workspace, the OS file manager
      if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
      else await vscode.commands.executeCommand('revealFileInOS', uri);
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.copyCommand', async (node?: RunNode) => {
      const r = await full(one(node));
      if (!r) return;
      if (!r.command) return void vscode.window.showInformationMessage(`No command is recorded for ${r.name}.`);
      await vscode.env.clipboard.writeText(r.command);
      vscode.window.setStatusBarMessage(`Copied: ${r.command}`, 4000);
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.compare', async (node?: RunNode, nodes?: readonly RunNode[]) => {
      const runs = await provider.withDetails(targets(node, nodes));
      if (runs.length < 2) {
        const first = runs[0] ?? (await pickRun('First run to compare', new Set()));
        if (!first) return;
        const second = await pickRun(`Compare ${first.name} with`, new Set([first.id]));
        if (!second) return;
        runs.splice(0, runs.length, first, second);
      }
      const panel = vscode.window.createWebviewPanel('mlopsHygiene.runsCompare', `Compare: ${runs.map((r) => r.name).join(' ↔ ')}`, vscode.ViewColumn.Active, {
        enableScripts: false,
      });
      panel.webview.html = compareHtml(runs, panel.webview.cspSource);
    }),
    vscode.commands.registerCommand('mlopsHygiene.runs.chart', async (node?: RunNode, nodes?: readonly RunNode[]) => {
      let runs = await provider.withDetails(targets(node, nodes));
      if (!runs.length) {
        const r = await pickRun('Chart the metrics of', new Set());
        if (!r) return;
        runs = [r];
      }
      const keys = [...new Set(runs.flatMap((r) => r.historyMetrics ?? []))].sort();
      let metrics: string[] | undefined;
      if (keys.length > 1) {
        const picked = await vscode.window.showQuickPick(
          keys.map((k) => ({ label: k, picked: true })),
          { title: 'Metrics to chart', canPickMany: true },
        );
        if (!picked) return;
        metrics = picked.map((p) => p.label);
      }
      // server runs' histories come from their tracking service, the others from the language server
      const localIds = runs.filter((r) => !isRemoteRun(r.id)).map((r) => r.id);
      const remoteIds = runs.filter((r) => isRemoteRun(r.id)).map((r) => r.id);
      const h = localIds.length ? await client().sendRequest(RunHistoryRequest, { ids: localIds, metrics }) : { series: [], warnings: [] };
      if (remoteIds.length) {
        const rh = await remote.history(remoteIds, metrics);
        h.series.push(...rh.series);
        h.warnings.push(...rh.warnings);
      }
      const panel = vscode.window.createWebviewPanel('mlopsHygiene.runsChart', `Metrics: ${runs.map((r) => r.name).join(', ')}`, vscode.ViewColumn.Active, {
        enableScripts: false,
      });
      panel.webview.html = chartHtml(runs, h.series, h.warnings, panel.webview.cspSource);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'mlopsHygiene.runs.filtered', false);
}
