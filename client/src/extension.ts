import * as vscode from 'vscode';
import { registerCoreCommands } from './commands';
import { ServerController } from './server';
import { registerStatus } from './status';
import { registerRuns } from './runs';
import { registerVersioning } from './versioning';
import { WorkspaceLayout } from './welcome';

let server: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLOps Hygiene', { log: true });
  context.subscriptions.push(output);
  output.info(`MLOps Hygiene ${String(context.extension.packageJSON.version ?? '?')} activating in VS Code ${vscode.version}`);
  server = new ServerController(context, output);
  context.subscriptions.push(server);
  // the workspace's own paths for the views' empty states, asked again after every check pass
  const layout = new WorkspaceLayout(() => server?.current, output);
  context.subscriptions.push(layout);
  registerStatus(context, server, () => layout.refresh());
  registerCoreCommands(context, server, output);
  registerRuns(context, () => server?.current, output, layout);
  registerVersioning(context, () => server?.current, output, server.onDidChangeState, layout);
  void vscode.commands.executeCommand('setContext', 'mlopsHygiene.active', true);
  // Trust granted later: restart so the server may now use git (the status bar follows the new server).
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => server?.restart('workspace trust was granted: git and dvc may now run')));
  try {
    await server.start();
  } catch (e) {
    output.error(`The server did not start: ${(e as Error).stack ?? String(e)}`);
    throw e;
  }
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
