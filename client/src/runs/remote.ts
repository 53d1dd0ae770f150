/**
 * The tracking services of the Runs view, in the extension host: where they are (settings `mlopsHygiene.mlflow.trackingUri`,
 * machine scope, never from a workspace, else MLFLOW_TRACKING_URI of VS Code's environment; `mlopsHygiene.wandb.project`),
 * the credentials (VS Code's SecretStorage, set with a command; else the variables MLflow and wandb read, and ~/.netrc),
 * and the requests. The requests are made here, not in the language server: Node's http/https modules in the extension
 * host are the ones VS Code routes through its proxy settings and the system certificate store. In a restricted
 * workspace nothing is contacted. No credential is ever logged or shown.
 */
import * as vscode from 'vscode';
import { describeNonHttpUri, mlflowServerConfig, wandbConfig } from '../../../server/src/engine/runs/sources/config';
import { nodeFetch, RemoteError, type HttpOptions } from '../../../server/src/engine/runs/sources/http';
import { MlflowServerSource } from '../../../server/src/engine/runs/sources/mlflowServer';
import type { RunProvider } from '../../../server/src/engine/runs/sources/types';
import type { RemoteRunSet } from '../../../server/src/engine/runs/sources/wandbCloud';
import { WandbCloudSource } from '../../../server/src/engine/runs/sources/wandbCloud';
import type { RunsTrackingHint, RunSummary } from '../../../shared/protocol';
import type { RunNode } from './model';
import { RemoteRuns, type MessageRow } from './remoteModel';

/** SecretStorage keys (the values never leave SecretStorage except in an Authorization header). */
export const SECRET_KEYS = {
  mlflowToken: 'mlopsHygiene.mlflow.token',
  mlflowUsername: 'mlopsHygiene.mlflow.username',
  mlflowPassword: 'mlopsHygiene.mlflow.password',
  wandbApiKey: 'mlopsHygiene.wandb.apiKey',
} as const;

/** Ids of runs that come from a tracking service (the others are the language server's). */
export function isRemoteRun(id: string): boolean {
  return id.startsWith('mlflow-server:') || id.startsWith('wandb-cloud:');
}

function row(id: string, label: string, tooltip: string, severity: MessageRow['severity'], command?: MessageRow['command']): MessageRow {
  return { id, label, description: command ? `${command.title}…` : '', tooltip, severity, command };
}

/** The sources the settings and the environment name, and rows for what cannot be used. */
async function configuredSources(secrets: vscode.SecretStorage): Promise<{ providers: RunProvider[]; rows: MessageRow[] }> {
  const cfg = vscode.workspace.getConfiguration('mlopsHygiene');
  // machine scope: only the user's (or remote machine's) settings; a workspace cannot point the view at a server
  const uri = (cfg.inspect<string>('mlflow.trackingUri')?.globalValue ?? '').trim() || (process.env.MLFLOW_TRACKING_URI ?? '').trim();
  const project = (cfg.get<string>('wandb.project') ?? '').trim();
  if (!uri && !project) return { providers: [], rows: [] };
  if (!vscode.workspace.isTrusted)
    return {
      providers: [],
      rows: [
        row(
          'message:restricted',
          'Restricted Mode: tracking servers are not contacted',
          'MLflow and W&B runs are listed in a trusted workspace only.',
          'info',
          { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
        ),
      ],
    };
  const http: HttpOptions = { fetch: nodeFetch };
  const providers: RunProvider[] = [];
  const rows: MessageRow[] = [];
  const settings = { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mlopsHygiene.'] };
  if (uri) {
    const other = describeNonHttpUri(uri);
    if (other) rows.push(row('message:mlflow-uri', `MLflow: ${other.replace(/^the tracking URI/, 'tracking URI')}`, other, 'info', settings));
    else {
      try {
        const creds = {
          token: await secrets.get(SECRET_KEYS.mlflowToken),
          username: await secrets.get(SECRET_KEYS.mlflowUsername),
          password: await secrets.get(SECRET_KEYS.mlflowPassword),
        };
        providers.push(new MlflowServerSource(mlflowServerConfig(uri, process.env, creds), http));
      } catch (e) {
        rows.push(row('message:mlflow-uri', (e as Error).message, e instanceof RemoteError ? e.action : '', 'error', settings));
      }
    }
  }
  if (project) {
    try {
      providers.push(new WandbCloudSource(wandbConfig(project, process.env, { apiKey: await secrets.get(SECRET_KEYS.wandbApiKey) }), http));
    } catch (e) {
      rows.push(row('message:wandb-project', (e as Error).message, e instanceof RemoteError ? e.action : '', 'error', settings));
    }
  }
  return { providers, rows };
}

/** The remote sources of one window: rebuilt when the settings or the credentials change. */
export class RemoteRunsController implements vscode.Disposable {
  private remote = new RemoteRuns([]);
  private rows: MessageRow[] = [];
  private sub?: vscode.Disposable;
  private readonly disposables: vscode.Disposable[] = [];
  private filter = '';

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** Called after each page and each failure: the view re-merges and redraws. */
    private readonly onChange: () => void,
    /** Where the project's code logs runs (the language server reads it): offered when nothing is configured. */
    private readonly hints: () => Promise<RunsTrackingHint[]> = async () => [],
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('mlopsHygiene.runs.useTrackingHint', (h: RunsTrackingHint) => useTrackingHint(h)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlopsHygiene.mlflow') || e.affectsConfiguration('mlopsHygiene.wandb')) void this.reset();
      }),
      context.secrets.onDidChange((e) => {
        if ((Object.values(SECRET_KEYS) as string[]).includes(e.key)) void this.reset();
      }),
    );
  }

  get active(): boolean {
    return this.remote.providers.length > 0;
  }

  /** Reads the settings again and loads every source (first pages; the rest in the background). */
  async reset(): Promise<void> {
    this.remote.cancel();
    this.sub?.dispose();
    const { providers, rows } = await configuredSources(this.context.secrets);
    // nothing configured: what the code names is offered (used only once accepted)
    if (!providers.length && !rows.length && vscode.workspace.isTrusted) {
      try {
        for (const h of await this.hints()) rows.push(hintRow(h));
      } catch {
        /* the server is not ready: no suggestion this time */
      }
    }
    this.rows = rows;
    this.remote = new RemoteRuns(providers, this.context.workspaceState);
    this.sub = this.remote.onChange(() => {
      this.changes++;
      this.onChange();
    });
    this.changes++;
    this.onChange(); // the cache, shown at once
    if (providers.length) await this.remote.load(this.filter);
  }

  /** The view's filter changed: the servers filter again. */
  async setFilter(filter: string): Promise<void> {
    this.filter = filter;
    if (this.active) await this.remote.load(filter);
  }

  async refresh(): Promise<void> {
    await this.reset();
  }

  /** The view was hidden: stop reading pages. Shown again: finish what is missing. */
  visible(v: boolean): void {
    if (!v) this.remote.cancel();
    else if (this.remote.states().some((s) => !s.complete && !s.error)) void this.remote.load(this.filter);
  }

  /** Bumped on every change of the remote runs (a page, a failure, new settings): the table asks again when it moved. */
  changes = 0;

  /** Every source's runs, for the experiments table (the server merges them with the local runs as `merged` does). */
  sets(): RemoteRunSet[] {
    return this.remote.sets();
  }

  /** The local runs (language server) with the remote ones. */
  merged(local: RunSummary[]): RunSummary[] {
    return this.remote.merged(local.filter((r) => !isRemoteRun(r.id)));
  }

  messages(): RunNode[] {
    return [...this.rows, ...this.remote.messages()].map((m) => ({ kind: 'message', ...m }));
  }

  history(ids: string[], metrics?: string[]) {
    return this.remote.history(ids, metrics);
  }

  dispose(): void {
    this.remote.cancel();
    this.sub?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** MLOps Hygiene: Set Tracking Server Credentials… (stored in SecretStorage, never in settings). */
export async function setCredentials(secrets: vscode.SecretStorage): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'MLflow: access token', description: 'sent as Authorization: Bearer', key: 'token' },
      { label: 'MLflow: user name and password', description: 'HTTP basic auth', key: 'basic' },
      { label: 'W&B: API key', description: 'from wandb.ai/authorize', key: 'wandb' },
      { label: 'Forget the stored credentials', key: 'clear' },
    ],
    { title: 'Tracking server credentials (kept in VS Code’s secret storage)' },
  );
  if (!pick) return;
  const ask = (prompt: string, password = true) => vscode.window.showInputBox({ prompt, password, ignoreFocusOut: true });
  if (pick.key === 'token') {
    const t = await ask('MLflow tracking server token');
    if (t) await secrets.store(SECRET_KEYS.mlflowToken, t);
  } else if (pick.key === 'basic') {
    const u = await ask('MLflow user name', false);
    if (!u) return;
    const p = await ask(`Password of ${u}`);
    if (p === undefined) return;
    await secrets.store(SECRET_KEYS.mlflowUsername, u);
    await secrets.store(SECRET_KEYS.mlflowPassword, p);
    await secrets.delete(SECRET_KEYS.mlflowToken);
  } else if (pick.key === 'wandb') {
    const k = await ask('W&B API key');
    if (k) await secrets.store(SECRET_KEYS.wandbApiKey, k);
  } else {
    for (const k of Object.values(SECRET_KEYS)) await secrets.delete(k);
  }
}

function hintRow(h: RunsTrackingHint): MessageRow {
  const what = h.kind === 'mlflow' ? `the MLflow server ${h.value}` : `the W&B project ${h.value.startsWith('/') ? h.value.slice(1) : h.value}`;
  return {
    id: `message:hint:${h.kind}:${h.value}`,
    label: `${h.file}:${h.line} logs runs to ${what}`,
    description: 'List its runs…',
    tooltip: `Found in ${h.file} line ${h.line}. Nothing is contacted until you choose to list its runs.`,
    severity: 'info',
    command: { command: 'mlopsHygiene.runs.useTrackingHint', title: 'List Its Runs', arguments: [h] },
  };
}

/** Accepting a suggestion: confirmed, then saved in the user settings (the view then reads the source). */
async function useTrackingHint(h: RunsTrackingHint): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('mlopsHygiene');
  if (h.kind === 'mlflow') {
    const ok = await vscode.window.showInformationMessage(
      `List the runs of the MLflow tracking server ${h.value}?`,
      {
        modal: true,
        detail: `${h.file} sets it as its tracking URI. MLOps Hygiene will send read requests to it from now on; it is saved as mlopsHygiene.mlflow.trackingUri in your user settings.`,
      },
      'List Its Runs',
    );
    if (ok) await cfg.update('mlflow.trackingUri', h.value, vscode.ConfigurationTarget.Global);
    return;
  }
  let value = h.value;
  if (value.startsWith('/')) {
    const entity = await vscode.window.showInputBox({
      title: `W&B entity of the project ${value.slice(1)}`,
      prompt: 'Your W&B user name or team (the first part of the project URL: wandb.ai/<entity>/<project>)',
      ignoreFocusOut: true,
    });
    if (!entity) return;
    value = `${entity.trim()}${value}`;
  }
  const ok = await vscode.window.showInformationMessage(
    `List the runs of the W&B project ${value}?`,
    {
      modal: true,
      detail: `${h.file} logs to it. MLOps Hygiene will query api.wandb.ai with your API key; the project is saved as mlopsHygiene.wandb.project in your user settings.`,
    },
    'List Its Runs',
  );
  if (ok) await cfg.update('wandb.project', value, vscode.ConfigurationTarget.Global);
}
