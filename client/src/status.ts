import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../shared/protocol';

/** A status bar item with the counts of the last check, and notes (restricted mode, folders not walked) in its tooltip. */
export function registerStatus(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('mlopsHygiene.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'MLOps Hygiene';
  item.command = 'workbench.actions.view.problems';
  item.text = '$(sync~spin) MLOps';
  item.show();
  context.subscriptions.push(item);
  context.subscriptions.push(
    client.onNotification(StatusNotification, (s: StatusParams) => {
      const total = s.counts.error + s.counts.warning + s.counts.info + s.counts.hint;
      item.text = s.state === 'idle' ? `$(beaker) MLOps ${total ? `${s.counts.error}/${s.counts.warning}` : '$(check)'}` : '$(sync~spin) MLOps';
      const md = new vscode.MarkdownString(
        `**MLOps Hygiene**: ${s.counts.error} errors, ${s.counts.warning} warnings, ${s.counts.info} infos${s.notes.length ? '\n\n' + s.notes.map((n) => `- ${n}`).join('\n') : ''}\n\nClick to open the Problems panel.`,
      );
      item.tooltip = md;
    }),
  );
}
