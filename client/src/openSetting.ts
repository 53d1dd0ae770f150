import * as vscode from 'vscode';

/**
 * Opens the Settings editor at one of our settings, in the scope where it can be set. A `machine` or
 * `machine-overridable` setting is not shown in the User tab of a remote window (code-server, SSH, WSL, Codespaces: the
 * User tab is the local machine's): it opens the Remote tab there, which showed "No Settings Found" before.
 */
export async function openSetting(id: string): Promise<void> {
  const props =
    (
      vscode.extensions.getExtension('mlops-hygiene.mlops-hygiene')?.packageJSON as
        { contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } } } | undefined
    )?.contributes?.configuration?.properties ?? {};
  const scope = props[id]?.scope ?? 'window';
  const remote = vscode.env.remoteName !== undefined || vscode.env.uiKind === vscode.UIKind.Web;
  const command = remote && scope.startsWith('machine') ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
  await Promise.resolve(vscode.commands.executeCommand(command, { query: id })).catch(() =>
    vscode.commands.executeCommand('workbench.action.openSettings', id),
  );
}
