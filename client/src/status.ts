import * as vscode from 'vscode';
import { StatusNotification, type StatusParams } from '../../shared/protocol';
import type { ServerController, ServerState } from './server';

/**
 * The status bar item: the counts of the last check, the server's own state (starting, restarting, crashed), and notes
 * (restricted mode, folders not walked) in its tooltip. It follows every client the controller starts (workspace trust
 * granted, Restart Server, a restart after a crash), never only the first.
 */
export function registerStatus(context: vscode.ExtensionContext, server: ServerController, onIdle?: () => void): void {
  const item = vscode.window.createStatusBarItem('mlopsHygiene.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'MLOps Hygiene';
  context.subscriptions.push(item);
  let last: StatusParams | undefined;
  let state: { state: ServerState; detail?: string } = { state: 'starting' };

  const render = () => {
    item.command = 'workbench.actions.view.problems';
    item.backgroundColor = undefined;
    if (state.state === 'crashed' || state.state === 'stopped') {
      item.text = '$(error) MLOps';
      item.command = 'mlopsHygiene.restartServer';
      item.backgroundColor = state.state === 'crashed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      const text = state.state === 'crashed' ? `server crashed. ${state.detail ?? ''} Click to restart it.` : 'server stopped. Click to start it.';
      item.tooltip = new vscode.MarkdownString(`**MLOps Hygiene**: ${text}`);
      item.accessibilityInformation = { label: `MLOps Hygiene: ${text}` };
      return;
    }
    if (state.state === 'starting' || state.state === 'restarting' || !last) {
      const what = state.state === 'restarting' ? `restarting the server${state.detail ? ` (${state.detail})` : ''}` : 'starting the server';
      item.text = '$(sync~spin) MLOps';
      item.tooltip = new vscode.MarkdownString(`**MLOps Hygiene**: ${what}`);
      item.accessibilityInformation = { label: `MLOps Hygiene: ${what}` };
      return;
    }
    const s = last;
    const total = s.counts.error + s.counts.warning + s.counts.info + s.counts.hint;
    const restricted = !vscode.workspace.isTrusted;
    item.text = s.state === 'idle' ? `$(beaker) MLOps ${total ? `${s.counts.error}/${s.counts.warning}` : '$(check)'}` : '$(sync~spin) MLOps';
    const counts = `${s.counts.error} errors, ${s.counts.warning} warnings, ${s.counts.info} infos, ${s.counts.hint} hints`;
    const mode = restricted ? 'restricted mode' : 'trusted workspace';
    item.tooltip = new vscode.MarkdownString(
      `**MLOps Hygiene**: ${s.state === 'idle' ? counts : 'checking…'} (${mode})${s.notes.length ? '\n\n' + s.notes.map((n) => `- ${n}`).join('\n') : ''}\n\nClick to open the Problems panel.`,
    );
    item.accessibilityInformation = {
      label: `MLOps Hygiene: ${s.state === 'idle' ? counts : 'checking'}; ${mode}${s.notes.length ? '; ' + s.notes.join(' ') : ''}`,
    };
  };

  context.subscriptions.push(
    server.onDidCreate((client) => {
      last = undefined;
      context.subscriptions.push(
        client.onNotification(StatusNotification, (s: StatusParams) => {
          if (server.current !== client) return;
          last = s;
          render();
          if (s.state === 'idle') onIdle?.();
        }),
      );
      render();
    }),
    server.onDidChangeState((s) => {
      state = s;
      if (s.state !== 'running') last = undefined;
      render();
    }),
  );
  render();
  item.show();
}
