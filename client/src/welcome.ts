import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WorkspaceLayoutRequest, type FolderLayout } from '../../shared/protocol';

/** Re-asked at most this often (a check pass ends, folders change). */
const REFRESH_DEBOUNCE_MS = 300;

/**
 * The real training script, config folder and DVC state of each workspace folder, as the server's engine detects them
 * (WorkspaceLayoutRequest), for the empty states of the Runs and Data views. Refreshed after every check pass and when
 * workspace folders change. Sets `mlopsHygiene.runs.canStart` (a training command is known) for the Runs view's
 * "Start a Training Run" button, and registers that command.
 */
export class WorkspaceLayout implements vscode.Disposable {
  folders: FolderLayout[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
      vscode.commands.registerCommand('mlopsHygiene.runs.startTraining', (folder?: string) => this.startTraining(folder)),
    );
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), REFRESH_DEBOUNCE_MS);
  }

  private async load(): Promise<void> {
    const c = this.client();
    if (!c?.isRunning()) return;
    try {
      const r = await c.sendRequest(WorkspaceLayoutRequest);
      if (JSON.stringify(r.folders) === JSON.stringify(this.folders)) return;
      this.folders = r.folders;
      void vscode.commands.executeCommand(
        'setContext',
        'mlopsHygiene.runs.canStart',
        r.folders.some((f) => f.startCommand),
      );
      this.changed.fire();
    } catch (e) {
      this.output.debug(`WorkspaceLayoutRequest failed: ${(e as Error).message}`);
    }
  }

  /** Runs the folder's training command in a terminal there (the Runs view's button; trusted workspaces only). */
  private async startTraining(folder?: string): Promise<void> {
    const candidates = this.folders.filter((f) => f.startCommand && (!folder || f.folder === folder));
    if (!candidates.length)
      return void vscode.window.showInformationMessage('MLOps Hygiene found no training script in this workspace (no @hydra.main, dvc.yaml or train*.py).');
    const pick =
      candidates.length === 1
        ? candidates[0]
        : (
            await vscode.window.showQuickPick(
              candidates.map((f) => ({ label: f.startCommand!, description: f.folder, f })),
              { title: 'Start a training run in' },
            )
          )?.f;
    if (!pick) return;
    const terminal = vscode.window.createTerminal({ name: 'MLOps: training run', cwd: pick.folder });
    terminal.show();
    terminal.sendText(pick.startCommand!);
    this.output.info(`Start a Training Run: ${pick.startCommand} in ${pick.folder}`);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
  }
}
