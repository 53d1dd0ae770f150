import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RunsListRequest, VersioningOutputNotification, type RunRecord } from '../../../shared/protocol';
import { runFromWire } from '../../../shared/runCodec';
import {
  dataVerbCommand,
  initDvc,
  Refusal,
  setupProjectStructure,
  showDataHistory,
  snapshotExperiment,
  tagModelVersion,
  trackDataCommand,
  type VersioningDeps,
} from './commands';
import { DataViewProvider } from './dataView';
import { RESTRICTED_MESSAGE } from './dataModel';
import type { WorkspaceLayout } from '../welcome';

/**
 * Registers the versioning commands and the Data view. In Restricted Mode the commands are disabled by their
 * `enablement: isWorkspaceTrusted` in package.json, and each one checks `vscode.workspace.isTrusted` again and says why.
 */
export function registerVersioning(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
  output: vscode.LogOutputChannel,
  onServerState?: vscode.Event<{ state: string }>,
  layout?: WorkspaceLayout,
): void {
  /** The runs the server lists (RunsListRequest), for Tag Model Version's run pick; none when the server is not running. */
  const listRuns = async (folder: string): Promise<RunRecord[]> => {
    const c = client();
    if (!c?.isRunning()) return [];
    const r = await c.sendRequest(RunsListRequest, { folder });
    return r.runs.map((w) => runFromWire(w, r.workspaceFolder));
  };
  // dvc's output while a versioning request runs it on the server, into the output channel (once per client)
  let subscribed: LanguageClient | undefined;
  const running = (): LanguageClient => {
    const c = client();
    if (!c?.isRunning())
      throw new Refusal(
        'The MLOps Hygiene language server is not running, and it does the versioning work: run "MLOps Hygiene: Restart Server", then try again.',
      );
    if (c !== subscribed) {
      subscribed = c;
      context.subscriptions.push(c.onNotification(VersioningOutputNotification, (p) => output.append(p.text)));
    }
    return c;
  };
  // the typed overload (one param): by method name, an absent token would be sent as a second, null param
  const request: VersioningDeps['request'] = (type, params, token) => running().sendRequest(type, params as never, token);
  const view = new DataViewProvider(client, output, () => layout?.folders ?? []);
  const deps: VersioningDeps = { output, request, listRuns, refresh: () => view.refresh(), dataItems: (folder) => view.items(folder) };
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.dvc,dvc.lock,dvc.yaml}');
  const tree = vscode.window.createTreeView('mlopsHygiene.data', { treeDataProvider: view });
  // in Restricted Mode the items' actions are disabled (they run git and dvc): the view says so above them. Only above
  // items: a view with a message never shows its welcome, and the empty view's restricted welcome has the Manage
  // Workspace Trust button.
  context.subscriptions.push(
    tree,
    view.onDidList((n) => (tree.message = !vscode.workspace.isTrusted && n > 0 ? RESTRICTED_MESSAGE : undefined)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => (tree.message = undefined)),
    ...(layout ? [layout.onDidChange(() => view.refresh())] : []),
    watcher,
    watcher.onDidChange(() => view.refresh()),
    watcher.onDidCreate(() => view.refresh()),
    watcher.onDidDelete(() => view.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => view.refresh()),
    // everything the view lists comes from the server: list again once it runs (first start, restart)
    ...(onServerState ? [onServerState((e) => e.state === 'running' && view.refresh())] : []),
    vscode.commands.registerCommand('mlopsHygiene.data.refresh', () => view.refresh()),
    vscode.commands.registerCommand('mlopsHygiene.tagModelVersion', (a?) => tagModelVersion(deps, a ?? {})),
    vscode.commands.registerCommand('mlopsHygiene.initDvc', (a?) => initDvc(deps, a ?? {})),
    vscode.commands.registerCommand('mlopsHygiene.trackData', (a?) => trackDataCommand(deps, a ?? {})),
    vscode.commands.registerCommand('mlopsHygiene.pushData', (a?) => dataVerbCommand(deps, 'push', a)),
    vscode.commands.registerCommand('mlopsHygiene.pullData', (a?) => dataVerbCommand(deps, 'pull', a)),
    vscode.commands.registerCommand('mlopsHygiene.checkoutData', (a?) => dataVerbCommand(deps, 'checkout', a)),
    vscode.commands.registerCommand('mlopsHygiene.showDataHistory', (a?) => showDataHistory(deps, a)),
    vscode.commands.registerCommand('mlopsHygiene.snapshotExperiment', (a?) => snapshotExperiment(deps, a ?? {})),
    vscode.commands.registerCommand('mlopsHygiene.setupProjectStructure', (a?) => setupProjectStructure(deps, a ?? {})),
  );
}
