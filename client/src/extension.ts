import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { registerCoreCommands } from './commands';
import { registerStatus } from './status';
import { registerRuns } from './runs';
import { registerVersioning } from './versioning';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLOps Hygiene', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);
  registerStatus(context, client);
  registerCoreCommands(context, client, output);
  registerRuns(context, () => client, output);
  registerVersioning(context, () => client, output);
  // Trust granted later: restart so the server may now use git.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await client?.stop();
      client = createClient(context, output);
      await client.start();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
