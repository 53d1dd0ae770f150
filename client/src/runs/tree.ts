import * as vscode from 'vscode';
import type { RunsChangedParams, RunSummary } from '../../../shared/protocol';
import { runFromWire } from '../../../shared/runCodec';
import {
  buildTree,
  describeSort,
  patchRuns,
  runNodeChildren,
  nodeDescription,
  runContext,
  runTooltip,
  sectionChildren,
  type RunNode,
  type SortSpec,
} from './model';

const STATUS_ICONS: Record<RunSummary['status'], [string, string | undefined]> = {
  running: ['sync~spin', 'charts.blue'],
  finished: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  killed: ['circle-slash', 'charts.orange'],
  unknown: ['circle-outline', undefined],
};
const SOURCE_ICONS: Record<string, string> = { hydra: 'symbol-namespace', wandb: 'graph-line', mlflow: 'beaker', lightning: 'zap', 'dvc-exp': 'git-commit' };

/** Pending runs of an expanded experiment read at once (the rest come with the background reading). */
const PREFETCH_RUNS = 100;

/** Maps the plain tree model (model.ts) onto VS Code tree items. Holds the last list, the filter and the sort. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode> {
  private readonly emitter = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  runs: RunSummary[] = [];
  filter = '';
  sort: SortSpec = { by: 'newest' };
  loaded = false;
  /** Runs whose params and metrics the server is still reading (their `pending` flag is set). */
  pending = 0;
  private roots: RunNode[] = [];
  shown = 0;
  /** Rows shown above the runs (tracking-service failures and progress: remote.ts). */
  messages: () => RunNode[] = () => [];

  /**
   * `load`: the list (`complete`: wait until every run is fully read); `details`: a few pending runs read now;
   * `onPending`: told the count of pending runs after each load or patch (the view shows progress while it is > 0).
   */
  constructor(
    private readonly load: (complete: boolean) => Promise<{ runs: RunSummary[]; pending?: number; notes?: string[] }>,
    private readonly details: (ids: string[]) => Promise<RunSummary[]> = async () => [],
    private readonly onPending: (n: number) => void = () => undefined,
  ) {}

  /** What the server says about where it looked (a configured run folder it cannot search): message rows at the top. */
  notes: string[] = [];

  private setList(r: { runs: RunSummary[]; pending?: number; notes?: string[] }): void {
    this.runs = r.runs;
    if (r.notes) this.notes = r.notes;
    this.pending = r.pending ?? 0;
    this.onPending(this.pending);
  }

  /**
   * Applies a change notification that carries the changed runs: no new list is fetched, the tree is re-grouped from
   * the list it has. False when the notification has no runs (the caller then refreshes).
   */
  patch(change: RunsChangedParams): boolean {
    if (!change.runs || !this.loaded) return false;
    const merged = patchRuns(
      this.runs,
      change.runs.map((w) => runFromWire(w, change.workspaceFolder)),
      change.removed,
    );
    this.setList({ runs: merged, pending: change.pending });
    this.rebuild();
    return true;
  }

  /** Makes sure every run's params and metrics are there (filter by param, sort by metric, pick lists). */
  async complete(): Promise<void> {
    if (!this.pending) return;
    this.setList(await this.load(true));
    this.loaded = true;
    this.rebuild();
  }

  /** The given runs with their params and metrics (pending ones are read now and replaced in the list). */
  async withDetails(runs: RunSummary[]): Promise<RunSummary[]> {
    const ids = runs.filter((r) => r.pending).map((r) => r.id);
    if (!ids.length) return runs;
    const full = new Map((await this.details(ids)).map((r) => [r.id, r]));
    this.runs = this.runs.map((r) => full.get(r.id) ?? r);
    return runs.map((r) => full.get(r.id) ?? r);
  }

  /** Re-reads the list from the server on the next render. */
  refresh(): void {
    this.loaded = false;
    this.emitter.fire(undefined);
  }

  /** Re-groups the current list (filter or sort changed). */
  rebuild(): void {
    const t = buildTree(this.runs, this.filter, this.sort, this.notes);
    this.roots = t.roots;
    this.shown = t.shown;
    this.emitter.fire(undefined);
  }

  get summary(): string {
    const parts: string[] = [];
    if (this.filter) parts.push(`Filter: ${this.filter} (${this.shown} of ${this.runs.length})`);
    if (this.pending) parts.push(`Reading parameters and metrics of ${this.pending} runs…`);
    if (this.sort.by !== 'newest') parts.push(`Sorted by ${describeSort(this.sort)}`);
    return parts.join(' · ');
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    if (!node) {
      if (!this.loaded) {
        try {
          this.setList(await this.load(false));
        } catch (e) {
          void vscode.window.showWarningMessage(`MLOps Hygiene: could not list runs: ${(e as Error).message}`);
          this.setList({ runs: [] });
        }
        this.loaded = true;
        const t = buildTree(this.runs, this.filter, this.sort, this.notes);
        this.roots = t.roots;
        this.shown = t.shown;
      }
      const rows = this.messages();
      return rows.length ? [...rows, ...this.roots] : this.roots;
    }
    switch (node.kind) {
      case 'source':
        return node.children;
      case 'experiment': {
        // the runs it shows first are read now if the background reading has not reached them (names, status)
        const first = node.children.slice(0, PREFETCH_RUNS).filter((c): c is Extract<RunNode, { kind: 'run' }> => c.kind === 'run' && !!c.run.pending);
        if (first.length) {
          const full = await this.withDetails(first.map((c) => c.run));
          first.forEach((c, i) => {
            c.run = full[i];
            c.label = full[i].name;
          });
        }
        return node.children;
      }
      case 'run':
        if (node.run.pending) {
          // expanded before the background reading reached it: read this run now
          const [full] = await this.withDetails([node.run]);
          node.run = full;
          setTimeout(() => this.emitter.fire(node), 0); // its description and tooltip now have the status
        }
        return runNodeChildren(node);
      case 'section':
        return sectionChildren(node);
      default:
        return [];
    }
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const collapsible =
      node.kind === 'value' || node.kind === 'note' || node.kind === 'message'
        ? vscode.TreeItemCollapsibleState.None
        : node.kind === 'source'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
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
        item.iconPath = new vscode.ThemeIcon(
          node.section === 'params' ? 'settings' : node.section === 'metrics' ? 'graph' : node.section === 'warnings' ? 'warning' : 'info',
        );
        item.contextValue = `runSection ${node.section}`;
        break;
      case 'value':
        item.tooltip = node.tooltip;
        item.contextValue = `runValue ${node.section}`;
        break;
      case 'note':
        item.iconPath = new vscode.ThemeIcon('info', new vscode.ThemeColor('list.warningForeground'));
        item.tooltip = node.tooltip;
        item.contextValue = 'runNote';
        break;
      case 'message':
        item.iconPath = new vscode.ThemeIcon(
          node.icon ?? (node.severity === 'error' ? 'error' : 'cloud'),
          node.severity === 'error' ? new vscode.ThemeColor('list.errorForeground') : undefined,
        );
        item.tooltip = node.tooltip;
        item.contextValue = 'runsMessage';
        if (node.command) item.command = node.command;
        break;
    }
    return item;
  }
}
