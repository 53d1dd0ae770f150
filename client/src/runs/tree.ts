import * as vscode from 'vscode';
import type { RunSummary } from '../../../shared/protocol';
import { buildTree, describeSort, runChildren, nodeDescription, runContext, runTooltip, sectionChildren, type RunNode, type SortSpec } from './model';

const STATUS_ICONS: Record<RunSummary['status'], [string, string | undefined]> = {
  running: ['sync~spin', 'charts.blue'],
  finished: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  killed: ['circle-slash', 'charts.orange'],
  unknown: ['circle-outline', undefined],
};
const SOURCE_ICONS: Record<string, string> = { hydra: 'symbol-namespace', wandb: 'graph-line', mlflow: 'beaker', lightning: 'zap', 'dvc-exp': 'git-commit' };

/** Maps the plain tree model (model.ts) onto VS Code tree items. Holds the last list, the filter and the sort. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode> {
  private readonly emitter = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  runs: RunSummary[] = [];
  filter = '';
  sort: SortSpec = { by: 'newest' };
  loaded = false;
  private roots: RunNode[] = [];
  shown = 0;

  constructor(private readonly load: () => Promise<RunSummary[]>) {}

  /** Re-reads the list from the server on the next render. */
  refresh(): void {
    this.loaded = false;
    this.emitter.fire(undefined);
  }

  /** Re-groups the current list (filter or sort changed). */
  rebuild(): void {
    const t = buildTree(this.runs, this.filter, this.sort);
    this.roots = t.roots;
    this.shown = t.shown;
    this.emitter.fire(undefined);
  }

  get summary(): string {
    const parts: string[] = [];
    if (this.filter) parts.push(`Filter: ${this.filter} (${this.shown} of ${this.runs.length})`);
    if (this.sort.by !== 'newest') parts.push(`Sorted by ${describeSort(this.sort)}`);
    return parts.join(' · ');
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    if (!node) {
      if (!this.loaded) {
        try {
          this.runs = await this.load();
        } catch (e) {
          void vscode.window.showWarningMessage(`MLOps Hygiene: could not list runs: ${(e as Error).message}`);
          this.runs = [];
        }
        this.loaded = true;
        const t = buildTree(this.runs, this.filter, this.sort);
        this.roots = t.roots;
        this.shown = t.shown;
      }
      return this.roots;
    }
    switch (node.kind) {
      case 'source':
      case 'experiment':
        return node.children;
      case 'run':
        return runChildren(node.run);
      case 'section':
        return sectionChildren(node);
      default:
        return [];
    }
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const collapsible = node.kind === 'value' ? vscode.TreeItemCollapsibleState.None : node.kind === 'source' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = nodeDescription(node);
    switch (node.kind) {
      case 'source':
        item.iconPath = new vscode.ThemeIcon(SOURCE_ICONS[node.source] ?? 'folder');
        item.contextValue = 'runSource';
        break;
      case 'experiment':
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'runExperiment';
        break;
      case 'run': {
        const [icon, color] = node.run.warnings.length ? ['warning', 'list.warningForeground'] : STATUS_ICONS[node.run.status];
        item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        item.tooltip = runTooltip(node.run);
        item.contextValue = runContext(node.run);
        break;
      }
      case 'section':
        item.iconPath = new vscode.ThemeIcon(node.section === 'params' ? 'settings' : node.section === 'metrics' ? 'graph' : node.section === 'warnings' ? 'warning' : 'info');
        item.contextValue = `runSection ${node.section}`;
        break;
      case 'value':
        item.tooltip = node.tooltip;
        item.contextValue = `runValue ${node.section}`;
        break;
    }
    return item;
  }
}
