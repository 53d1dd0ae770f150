import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RecheckRequest, RuleDocRequest } from '../../shared/protocol';

/** Commands that only talk to the server: safe in restricted mode (the server itself spawns nothing there). */
export function registerCoreCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('mlopsHygiene.recheck', async () => {
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MLOps Hygiene: checking' }, () => client.sendRequest(RecheckRequest));
      vscode.window.setStatusBarMessage(`MLOps Hygiene: ${r.findings} findings in ${r.files} files (${r.durationMs} ms)`, 5000);
    }),
    vscode.commands.registerCommand('mlopsHygiene.showRuleDoc', async (code?: string) => {
      code ??= await vscode.window.showInputBox({ prompt: 'Rule code or name', placeHolder: 'GIT001' });
      if (!code) return;
      const doc = await client.sendRequest(RuleDocRequest, { code });
      if (!doc) {
        void vscode.window.showWarningMessage(`MLOps Hygiene has no rule '${code}'. Run 'mlops-hygiene rules' or see docs/rules for the list.`);
        return;
      }
      const md = await vscode.workspace.openTextDocument({ language: 'markdown', content: doc.markdown });
      await vscode.commands.executeCommand('markdown.showPreview', md.uri).then(undefined, () => vscode.window.showTextDocument(md));
    }),
    vscode.commands.registerCommand('mlopsHygiene.showOutput', () => output.show()),
  );
}
