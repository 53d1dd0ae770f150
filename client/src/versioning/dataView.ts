import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DvcStatusRequest,
  DvcTrackedRequest,
  type DvcItemState,
  type DvcStageStatus,
  type DvcTrackedResult,
  type FolderLayout,
} from '../../../shared/protocol';
import { dataStartRows, type WelcomeRow } from '../welcomeText';
import { itemsFromStatus, stageRow, type DataItem } from './dataModel';

/** One row of the Data view; commands from its context menu receive this object (`item` carries folder and paths). */
export interface DataNode {
  item: DataItem;
}

const STATE_TEXT: Record<DvcItemState, string> = {
  'in-sync': 'in sync',
  modified: 'modified',
  missing: 'missing',
  'not-in-cache': 'not in cache',
  'not-computed': 'status not computed',
  unknown: 'status unknown',
};
const STATE_ICON: Record<DvcItemState, [string, string?]> = {
  'in-sync': ['pass', 'testing.iconPassed'],
  modified: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
  missing: ['warning', 'list.warningForeground'],
  'not-in-cache': ['cloud-download', 'list.warningForeground'],
  'not-computed': ['database'],
  unknown: ['question'],
};

/** A pipeline stage row of the Data view (its status: up to date, out of date and why, never run). */
export interface StageNode {
  stage: DvcStageStatus & { folder: string };
}

/** A row of a workspace without DVC: what to do with the project's real paths, and the actions (welcomeText.ts). */
interface WelcomeNode {
  welcome: WelcomeRow;
}

type Node = DataNode | StageNode | WelcomeNode;

/**
 * The "Data" view: every DVC-tracked item with its native status. Everything comes from the server: whether a folder
 * uses DVC and what it tracks (DvcTrackedRequest, no hashing), and the status (DvcStatusRequest); when the status
 * cannot be computed (it failed or was cancelled), the tracked items are listed with "status not computed". The
 * client reads no file itself.
 */
export class DataViewProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;
  private note?: string;
  private readonly listed = new vscode.EventEmitter<number>();
  /** The view listed its top-level rows (their number). */
  readonly onDidList = this.listed.event;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
    /** The workspace folders' real paths (WorkspaceLayoutRequest), for the rows of a workspace without DVC. */
    private readonly layout: () => FolderLayout[] = () => [],
  ) {}

  /** Debounced: file events come in bursts (dvc add writes the .dvc file and .gitignore). */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), 300);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('welcome' in node) {
      const w = node.welcome;
      const t = new vscode.TreeItem(w.label, vscode.TreeItemCollapsibleState.None);
      t.id = w.id;
      if (w.description) t.description = w.description;
      t.tooltip = w.tooltip;
      t.iconPath = new vscode.ThemeIcon(w.icon);
      t.contextValue = 'mlopsHygiene.dataWelcome';
      if (w.command) t.command = w.command;
      return t;
    }
    if ('stage' in node) {
      const row = stageRow(node.stage);
      const t = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
      t.description = row.description;
      t.tooltip = new vscode.MarkdownString(row.tooltip);
      t.iconPath = new vscode.ThemeIcon(row.icon[0], row.icon[1] ? new vscode.ThemeColor(row.icon[1]) : undefined);
      t.contextValue = 'mlopsHygiene.dataStage';
      const file = node.stage.name.includes(':') ? node.stage.name.slice(0, node.stage.name.lastIndexOf(':')) : 'dvc.yaml';
      t.command = { command: 'vscode.open', title: 'Open dvc.yaml', arguments: [vscode.Uri.file(path.join(node.stage.folder, file))] };
      return t;
    }
    const n = node;
    const t = new vscode.TreeItem(n.item.path, vscode.TreeItemCollapsibleState.None);
    t.description = `${STATE_TEXT[n.item.state]} · ${n.item.source}`;
    const [icon, color] = STATE_ICON[n.item.state];
    t.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    t.tooltip = new vscode.MarkdownString(
      `**${n.item.path}** — ${STATE_TEXT[n.item.state]}\n\nTracked by \`${n.item.source}\`${n.item.hash ? `\n\nHash: \`${n.item.hash}\`` : ''}${n.item.detail ? `\n\n${n.item.detail}` : ''}${n.item.state === 'not-computed' ? `\n\n${this.note ?? 'The native DVC status is not available yet.'}` : ''}`,
    );
    t.contextValue = 'mlopsHygiene.dataItem';
    t.resourceUri = vscode.Uri.file(path.join(n.item.folder, n.item.path));
    t.command = { command: 'mlopsHygiene.showDataHistory', title: 'Show Data Version History', arguments: [n] };
    return t;
  }

  async getChildren(parent?: Node): Promise<Node[]> {
    if (parent) return [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    const nodes: Node[] = [];
    let anyDvc = false;
    let unknown = false;
    for (const f of folders) {
      const folder = f.uri.fsPath;
      const tracked = await this.tracked(folder);
      if (!tracked) {
        unknown = true;
        continue;
      }
      if (!tracked.usesDvc) continue;
      anyDvc = true;
      const fromServer = await this.fromServer(folder);
      if (fromServer) {
        nodes.push(...fromServer.stages, ...fromServer.items.map((item) => ({ item })));
        continue;
      }
      for (const item of this.fallback(folder, tracked)) nodes.push({ item });
    }
    // without the server it is not known whether DVC is used: no "Initialize DVC" welcome then
    void vscode.commands.executeCommand('setContext', 'mlopsHygiene.data.noDvc', !anyDvc && !unknown);
    // no DVC yet: rows with the project's own script and config folder when they are known, else the static welcome
    const rows: Node[] = !anyDvc && !unknown ? dataStartRows(this.layout(), vscode.workspace.isTrusted).map((welcome) => ({ welcome })) : nodes;
    this.listed.fire(rows.length);
    return rows;
  }

  /**
   * The data items of one folder as the view lists them (Data Version History offers exactly these): from the server's
   * status, else from the .dvc files and dvc.yaml (as the server lists them); none without the server.
   */
  async items(folder: string): Promise<DataItem[]> {
    const fromServer = await this.fromServer(folder);
    if (fromServer) return fromServer.items;
    const tracked = await this.tracked(folder);
    return tracked ? this.fallback(folder, tracked) : [];
  }

  private fallback(folder: string, tracked: DvcTrackedResult): DataItem[] {
    return tracked.items.map((i) => ({
      folder,
      path: i.path,
      source: i.source,
      recordFile: i.recordFile,
      state: 'not-computed' as const,
      ...(i.hash ? { hash: i.hash } : {}),
    }));
  }

  /** Whether the folder uses DVC and what it tracks, from the server; undefined when the server cannot answer. */
  private async tracked(folder: string): Promise<DvcTrackedResult | undefined> {
    const c = this.client();
    if (!c || !c.isRunning()) {
      this.note = 'The language server is not running, so the native DVC status is not computed.';
      return undefined;
    }
    try {
      return await c.sendRequest(DvcTrackedRequest, { folder });
    } catch (e) {
      this.output.debug(`DvcTrackedRequest failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async fromServer(folder: string): Promise<{ stages: StageNode[]; items: DataItem[] } | undefined> {
    const c = this.client();
    if (!c || !c.isRunning()) {
      this.note = 'The language server is not running, so the native DVC status is not computed.';
      return undefined;
    }
    try {
      const r = await c.sendRequest(DvcStatusRequest, { folder });
      // the pipeline's stages first (the status DVC066 shows on dvc.yaml), then the data
      return { stages: r.stages.map((st) => ({ stage: { ...st, folder } })), items: itemsFromStatus(folder, r.items) };
    } catch (e) {
      this.note = `The native DVC status is not computed (${(e as Error).message}).`;
      this.output.debug(`DvcStatusRequest failed: ${(e as Error).message}`);
      return undefined;
    }
  }
}
