import * as vscode from 'vscode';
import { RecheckRequest, RuleDocRequest } from '../../shared/protocol';
import type { ServerController } from './server';

/** Commands that only talk to the server: safe in restricted mode (the server itself spawns nothing there). */
export function registerCoreCommands(context: vscode.ExtensionContext, server: ServerController, output: vscode.LogOutputChannel): void {
  const running = () => {
    const c = server.current;
    if (!c?.isRunning()) throw new Error('the MLOps Hygiene server is not running (run "MLOps Hygiene: Restart Server")');
    return c;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('mlopsHygiene.recheck', async () => {
      try {
        const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MLOps Hygiene: checking' }, () =>
          running().sendRequest(RecheckRequest),
        );
        const msg = `MLOps Hygiene: checked ${r.files} files in ${r.durationMs} ms: ${r.findings} findings`;
        output.info(msg.replace(/^MLOps Hygiene: /, 'Check Workspace Now: '));
        vscode.window.setStatusBarMessage(msg, 8000);
      } catch (e) {
        output.error(`Check Workspace Now failed: ${(e as Error).stack ?? String(e)}`);
        void vscode.window.showErrorMessage(`MLOps Hygiene: the check failed: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('mlopsHygiene.restartServer', () => server.restart('Restart Server was run')),
    vscode.commands.registerCommand('mlopsHygiene.showRuleDoc', async (code?: string) => {
      code ??= await vscode.window.showInputBox({ prompt: 'Rule code or name', placeHolder: 'GIT001' });
      if (!code) return;
      const doc = await running().sendRequest(RuleDocRequest, { code: code.trim() });
      if (!doc) {
        void vscode.window.showWarningMessage(`MLOps Hygiene has no rule '${code}'. Run 'mlops-hygiene rules' or see docs/rules for the list.`);
        return;
      }
      const md = await vscode.workspace.openTextDocument({ language: 'markdown', content: doc.markdown });
      await vscode.commands.executeCommand('markdown.showPreview', md.uri).then(undefined, () => vscode.window.showTextDocument(md));
    }),
    vscode.commands.registerCommand('mlopsHygiene.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('mlopsHygiene.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#start`, false),
    ),
  );
}
