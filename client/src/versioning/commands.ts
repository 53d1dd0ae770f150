/**
 * The versioning commands. The UI is here (folder and item picks, modal confirmations, progress, cancellation, the
 * output channel); the work is the language server's, behind the `mlopsHygiene/versioning/*` requests of
 * shared/protocol.ts: it plans (read-only) and carries a confirmed plan out with the engine's versioning functions
 * (server/src/lsp/versioning.ts), so the extension host reads no project file and spawns no process. The server
 * refuses them in a restricted workspace; here each command checks trust first and says why.
 *
 * For tests and scripts, every command takes an optional argument object; with `confirm: true` it asks nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ResponseError, type RequestType } from 'vscode-languageclient/node';
import {
  DataCommandRequest,
  DataHistoryRequest,
  DvcInitRequest,
  RestorePlanRequest,
  RestoreRequest,
  SnapshotCommitRequest,
  SnapshotPlanRequest,
  StructureApplyRequest,
  StructurePlanRequest,
  TagCreateRequest,
  TagPlanRequest,
  TagPushRequest,
  TrackPlanRequest,
  TrackRequest,
  type Bump,
  type RunRecord,
  type TagPlan,
  type VersioningErrorData,
} from '../../../shared/protocol';
import { dvcFor } from './dvc';

export interface CommonArgs {
  /** Absolute path of the workspace folder (default: the only one, or a pick). */
  folder?: string;
  /** Skip every prompt and preview: do it. */
  confirm?: boolean;
}
export interface TagArgs extends CommonArgs {
  bump?: Bump;
  /** A run (RunSummary) or its id; a Runs view item (with `.run`) works too. */
  run?: RunRecord | string | { run: RunRecord };
  commit?: string;
  note?: string;
  /** Tag although tracked files have uncommitted changes. */
  allowDirty?: boolean;
  /** Push the new tag to the configured remote (never implied). */
  push?: boolean;
}
export interface TargetArgs extends CommonArgs {
  /** Folder-relative or absolute paths. */
  targets?: string[];
  path?: string;
}
export interface HistoryArgs extends CommonArgs {
  /** The recording file (`data.dvc`, `dvc.lock`), folder-relative. */
  file?: string;
  path?: string;
  /** Restore this commit/tag's version. */
  restore?: string;
}
export interface SnapshotArgs extends CommonArgs {
  message?: string;
}

/** Sends a request to the language server (rejects with a Refusal when it is not running). */
export type Requester = <P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken) => Promise<R>;

export interface VersioningDeps {
  output: vscode.LogOutputChannel;
  request: Requester;
  /** The data items the Data view lists, for Data Version History's pick (the same list). */
  dataItems: (folder: string) => Promise<{ path: string; source: string; recordFile: string }[]>;
  /** The runs the Runs view knows (from the server), for the tag command's run pick. */
  listRuns: (folder: string) => Promise<RunRecord[]>;
  /** Called after a command changed files the Data view shows. */
  refresh: () => void;
}

const TITLE = 'MLOps Hygiene';

/** A refusal whose message says what happened and what to do (shown as is). */
export class Refusal extends Error {}

/** The server's refusals (VersioningErrorData) and the client's own are shown as they are; other errors get a prefix. */
function isRefusal(e: unknown): e is Error {
  return e instanceof Refusal || (e instanceof ResponseError && typeof (e.data as VersioningErrorData | undefined)?.code === 'string');
}

function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    `${TITLE}: ${what} is disabled in Restricted Mode: it runs git and dvc. Trust this workspace (Manage Workspace Trust) to use it.`,
  );
  return false;
}

async function pickFolder(arg?: string): Promise<vscode.Uri | undefined> {
  if (arg) return vscode.Uri.file(arg);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (!folders.length) {
    void vscode.window.showWarningMessage(`${TITLE}: open a folder first.`);
    return undefined;
  }
  const f = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder' });
  return f?.uri;
}

/** Shows an error with what to do; refusals already say it. */
function fail(deps: VersioningDeps, what: string, e: unknown): undefined {
  const msg = isRefusal(e) ? e.message : `${what} failed: ${(e as Error)?.message ?? String(e)}`;
  deps.output.error(msg);
  void vscode.window.showErrorMessage(`${TITLE}: ${msg}`, 'Show Output').then((p) => p && deps.output.show(true));
  return undefined;
}

async function confirmModal(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
  return vscode.window.showInformationMessage(message, { modal: true, detail }, ...buttons);
}

/**
 * The frame every versioning command shares: refused in Restricted Mode (it runs git and dvc), the workspace folder
 * (asked for when there are several), and an error shown with what to do (`failing` names what failed).
 */
async function inFolder<T>(
  deps: VersioningDeps,
  title: string,
  folderArg: string | undefined,
  body: (folder: vscode.Uri) => Promise<T | undefined>,
  failing = title,
): Promise<T | undefined> {
  if (!trusted(title)) return undefined;
  const folder = await pickFolder(folderArg);
  if (!folder) return undefined;
  try {
    return await body(folder);
  } catch (e) {
    return fail(deps, failing, e);
  }
}

// ------------------------------------------------------------------ Tag Model Version

function asRun(run: TagArgs['run'], runs: RunRecord[]): RunRecord | undefined {
  if (!run) return undefined;
  if (typeof run === 'string') return runs.find((r) => r.id === run);
  if ('run' in run && run.run && typeof run.run === 'object') return run.run;
  return run as RunRecord;
}

export async function tagModelVersion(
  deps: VersioningDeps,
  args: TagArgs = {},
): Promise<{ tag: string; commit: string; pushed: boolean; warnings: string[] } | undefined> {
  // From the Runs view the argument is its run node ({ run: RunSummary }), whose run knows its workspace folder.
  const runFolder =
    args.run && typeof args.run === 'object' && 'workspaceFolder' in args.run ? (args.run as { workspaceFolder?: string }).workspaceFolder : undefined;
  return inFolder(deps, 'Tag Model Version', args.folder ?? runFolder, async (folder) => {
    const cfg = vscode.workspace.getConfiguration('mlopsHygiene', folder);
    const prefix = cfg.get<string>('versioning.tagPrefix') || 'model-v';
    const remote = cfg.get<string>('versioning.remote') || 'origin';
    let run: RunRecord | undefined;
    const wantsRunPick = args.run === undefined && !args.confirm;
    const runs = typeof args.run === 'string' || wantsRunPick ? await deps.listRuns(folder.fsPath).catch(() => []) : [];
    run = asRun(args.run, runs);
    if (typeof args.run === 'string' && !run) throw new Refusal(`No run with id '${args.run}' in this workspace (is the Runs view showing it?).`);
    if (wantsRunPick && runs.length) {
      const items: (vscode.QuickPickItem & { run?: RunRecord })[] = [
        { label: '$(git-commit) No run: tag the current commit', description: 'HEAD' },
        ...runs.slice(0, 200).map((r) => ({
          label: r.name || r.id,
          description: `${r.source}${r.gitCommit ? ` @ ${r.gitCommit.slice(0, 8)}` : ''}`,
          detail: Object.entries(r.metrics)
            .slice(0, 4)
            .map(([k, v]) => `${k}=${v}`)
            .join('  '),
          run: r,
        })),
      ];
      const p = await vscode.window.showQuickPick(items, { title: 'Tag Model Version: which run produced the model?', matchOnDescription: true });
      if (!p) return undefined;
      run = p.run;
    }
    let bump = args.bump;
    if (!bump) {
      if (args.confirm) throw new Refusal('Tag Model Version needs `bump` (major, minor or patch) when run without prompts.');
      // the names only: the data is compared once, for the plan that is confirmed
      const plans = await Promise.all(
        (['patch', 'minor', 'major'] as Bump[]).map((b) => deps.request(TagPlanRequest, { folder: folder.fsPath, bump: b, prefix, run, checkData: false })),
      );
      const p = await vscode.window.showQuickPick(
        plans.map((pl, i) => ({
          label: pl.tag,
          description: (['patch', 'minor', 'major'] as const)[i],
          detail: pl.previousTag ? `after ${pl.previousTag}` : 'first version',
          bump: (['patch', 'minor', 'major'] as Bump[])[i],
        })),
        { title: 'Tag Model Version: which version?' },
      );
      if (!p) return undefined;
      bump = p.bump;
    }
    const plan: TagPlan = await deps.request(TagPlanRequest, { folder: folder.fsPath, bump, prefix, run, commit: args.commit, note: args.note });
    let allowDirty = !!args.allowDirty;
    for (const w of plan.warnings) deps.output.warn(`Tag Model Version: ${w}`);
    if (!args.confirm) {
      const buttons = plan.uncommitted.length ? ['Tag Anyway'] : ['Create Tag'];
      const detail = `${plan.warnings.length ? `⚠ ${plan.warnings.join('\n⚠ ')}\n\n` : ''}git tag -a ${plan.tag} ${plan.commit.slice(0, 10)} with the message:\n\n${plan.message}`;
      const ok = await confirmModal(`Create the annotated tag ${plan.tag} on ${plan.commit.slice(0, 8)}?`, detail, ...buttons);
      if (!ok) return undefined;
      allowDirty = ok === 'Tag Anyway';
    }
    const made = await deps.request(TagCreateRequest, { plan, allowDirty });
    deps.output.info(`created tag ${made.tag} on ${made.commit}`);
    let pushed = false;
    if (args.push) {
      await deps.request(TagPushRequest, { folder: folder.fsPath, tag: made.tag, remote });
      pushed = true;
    } else if (!args.confirm) {
      void vscode.window
        .showInformationMessage(`${TITLE}: created ${made.tag} on ${made.commit.slice(0, 8)} (not pushed).`, `Push Tag to ${remote}`)
        .then(async (p) => {
          if (!p) return;
          try {
            await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pushing ${made.tag}` }, () =>
              deps.request(TagPushRequest, { folder: folder.fsPath, tag: made.tag, remote }),
            );
            void vscode.window.showInformationMessage(`${TITLE}: pushed ${made.tag} to ${remote}.`);
          } catch (e) {
            fail(deps, 'Push tag', e);
          }
        });
    }
    return { ...made, pushed, warnings: plan.warnings };
  });
}

// ------------------------------------------------------------------ Track / push / pull / checkout

export async function trackDataCommand(deps: VersioningDeps, args: TargetArgs | vscode.Uri = {}): Promise<{ dvcFile: string; staged: string[] } | undefined> {
  const a: TargetArgs = args instanceof vscode.Uri ? { path: args.fsPath, folder: vscode.workspace.getWorkspaceFolder(args)?.uri.fsPath } : args;
  return inFolder(deps, 'Track Data with DVC', a.folder, async (folder) => {
    const dvc = await dvcFor(deps, folder);
    if (!dvc) return undefined;
    let target = a.path ?? a.targets?.[0];
    if (!target) {
      const picked = await vscode.window.showOpenDialog({
        defaultUri: folder,
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: 'Track with DVC',
      });
      if (!picked?.length) return undefined;
      target = picked[0].fsPath;
    }
    const plan = await deps.request(TrackPlanRequest, { folder: folder.fsPath, target });
    if (!a.confirm) {
      const ok = await confirmModal(
        `Track ${plan.target} with DVC?`,
        `This runs \`dvc add -- ${plan.target}\` and changes:\n- ${plan.changes.join('\n- ')}`,
        'Track',
      );
      if (!ok) return undefined;
    }
    deps.output.info(`$ dvc add -- ${plan.target}`);
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `dvc add ${plan.target}` }, () =>
      deps.request(TrackRequest, { plan, dvc }),
    );
    deps.output.info(`staged: ${r.staged.join(', ')}`);
    void vscode.window.showInformationMessage(`${TITLE}: ${plan.target} is tracked by DVC; staged ${r.staged.join(' and ')}. Commit, then Push Data.`);
    deps.refresh();
    return { dvcFile: r.dvcFile, staged: r.staged };
  });
}

const VERB_TEXT: Record<'push' | 'pull' | 'checkout', { title: string; effect: string }> = {
  push: { title: 'Push Data', effect: 'uploads the cached data to the DVC remote' },
  pull: {
    title: 'Pull Data',
    effect: 'downloads data from the DVC remote and replaces the workspace copies with the versions the .dvc files and dvc.lock record',
  },
  checkout: { title: 'Checkout Data', effect: 'replaces the workspace copies with the versions the .dvc files and dvc.lock record (from the local cache)' },
};

/** A Data view item passes itself: take its path. */
function targetsOf(args: unknown): TargetArgs {
  if (args && typeof args === 'object' && 'item' in (args as object)) {
    const it = (args as { item: { path: string; folder: string } }).item;
    return { folder: it.folder, targets: [it.path] };
  }
  return (args as TargetArgs) ?? {};
}

export async function dataVerbCommand(
  deps: VersioningDeps,
  verb: 'push' | 'pull' | 'checkout',
  raw: unknown,
): Promise<{ code: number; output: string } | undefined> {
  const t = VERB_TEXT[verb];
  const a = targetsOf(raw);
  return inFolder(deps, t.title, a.folder, async (folder) => {
    const dvc = await dvcFor(deps, folder);
    if (!dvc) return undefined;
    const targets = a.targets ?? (a.path ? [a.path] : []);
    const shown = targets.length ? targets.map((x) => (path.isAbsolute(x) ? path.relative(folder.fsPath, x) : x)).join(', ') : 'everything DVC tracks';
    if (!a.confirm) {
      const ok = await confirmModal(`${t.title}: ${shown}?`, `\`dvc ${verb}\` ${t.effect}.`, t.title);
      if (!ok) return undefined;
    }
    deps.output.info(`$ dvc ${verb}${targets.length ? ` -- ${targets.join(' ')}` : ''}`);
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `dvc ${verb}`, cancellable: true }, (_p, token) =>
      // cancelling the request kills the dvc process on the server
      deps.request(DataCommandRequest, { folder: folder.fsPath, verb, targets, dvc }, token),
    );
    const last = (r.stdout.trim().split('\n').pop() ?? '').trim();
    void vscode.window.showInformationMessage(`${TITLE}: dvc ${verb} done${last ? `: ${last}` : ''}.`, 'Show Output').then((p) => p && deps.output.show(true));
    deps.refresh();
    return { code: r.code, output: r.stdout + r.stderr };
  });
}

// ------------------------------------------------------------------ history and restore

export async function showDataHistory(deps: VersioningDeps, raw: unknown): Promise<{ restored?: string; entries: number } | undefined> {
  let a: HistoryArgs = (raw as HistoryArgs) ?? {};
  if (raw && typeof raw === 'object' && 'item' in raw) {
    const it = (raw as { item: { folder: string; recordFile: string; path: string } }).item;
    a = { folder: it.folder, file: it.recordFile, path: it.path };
  }
  return inFolder(
    deps,
    'Show Data Version History',
    a.folder,
    async (folder) => {
      if (!a.file) {
        const items = await deps.dataItems(folder.fsPath);
        if (!items.length) throw new Refusal('No DVC-tracked data in this folder (no .dvc file or dvc.yaml out).');
        const p = await vscode.window.showQuickPick(
          items.map((i) => ({ label: i.path, description: i.source, item: i })),
          { title: 'Data Version History: which data?' },
        );
        if (!p) return undefined;
        a = { ...a, file: p.item.recordFile, path: p.item.path };
      }
      const history = await deps.request(DataHistoryRequest, { folder: folder.fsPath, ref: { file: a.file!, path: a.path } });
      let commit = a.restore;
      if (!commit) {
        const items = history.entries.map((e) => ({
          label: `${e.current ? '$(check) ' : ''}${e.tags.length ? e.tags.join(', ') : e.commit.slice(0, 8)}`,
          description: `${e.date.slice(0, 10)} ${e.subject}`,
          detail: `${e.commit.slice(0, 8)} · ${e.version.hashName} ${e.version.hash}${e.version.nfiles !== undefined ? ` · ${e.version.nfiles} files` : ''}${e.current ? ' · current' : ''}`,
          commit: e.commit,
        }));
        const p = await vscode.window.showQuickPick(items, {
          title: `${history.path}: ${history.entries.length} version(s) in ${history.file}${history.truncated ? ` (last ${history.scanned} commits)` : ''} — pick one to restore it`,
        });
        if (!p) return { entries: history.entries.length };
        commit = p.commit;
      }
      const plan = await deps.request(RestorePlanRequest, { folder: folder.fsPath, ref: { file: history.file, path: history.path }, commit });
      if (plan.refusal) throw new Refusal(plan.refusal);
      const dvc = await dvcFor(deps, folder);
      if (!dvc) return undefined;
      if (!a.confirm) {
        const ok = await confirmModal(
          `Restore ${plan.path} to ${plan.commit.slice(0, 8)}?`,
          `This changes:\n- ${plan.changes.join('\n- ')}\n\nCommit the restored ${plan.file} to make it the current version.`,
          'Restore',
        );
        if (!ok) return undefined;
      }
      deps.output.info(`$ git checkout ${plan.commit} -- ${plan.file} && dvc checkout -- ${plan.file.endsWith('.dvc') ? plan.file : plan.path}`);
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restoring ${plan.path}` }, () =>
        deps.request(RestoreRequest, { plan, dvc }),
      );
      void vscode.window.showInformationMessage(
        `${TITLE}: ${plan.path} restored to ${plan.commit.slice(0, 8)}; ${plan.file} is modified — commit it to keep this version.`,
      );
      deps.refresh();
      return { restored: plan.commit, entries: history.entries.length };
    },
    'Data Version History',
  );
}

// ------------------------------------------------------------------ snapshot

export async function snapshotExperiment(deps: VersioningDeps, args: SnapshotArgs = {}): Promise<{ commit: string; files: string[] } | undefined> {
  return inFolder(deps, 'Snapshot Experiment', args.folder, async (folder) => {
    const plan = await deps.request(SnapshotPlanRequest, { folder: folder.fsPath, title: args.message });
    if (!args.confirm) {
      const ok = await confirmModal(
        `Commit a snapshot of ${plan.files.length} file(s)?`,
        `${plan.message}${plan.leftOut.length ? `\nNot included (commit them yourself): ${plan.leftOut.slice(0, 10).join(', ')}${plan.leftOut.length > 10 ? ', ...' : ''}` : ''}`,
        'Commit Snapshot',
      );
      if (!ok) return undefined;
    }
    const { commit } = await deps.request(SnapshotCommitRequest, { plan });
    deps.output.info(`snapshot ${commit}: ${plan.files.join(', ')}`);
    void vscode.window.showInformationMessage(`${TITLE}: committed ${commit.slice(0, 8)} (${plan.files.length} files).`);
    deps.refresh();
    return { commit, files: plan.files };
  });
}

// ------------------------------------------------------------------ project structure

export async function setupProjectStructure(deps: VersioningDeps, args: CommonArgs = {}): Promise<{ done: string[]; skipped: string[] } | undefined> {
  return inFolder(deps, 'Set Up Project Structure', args.folder, async (folder) => {
    const plan = await deps.request(StructurePlanRequest, { folder: folder.fsPath });
    if (!plan.actions.length) {
      void vscode.window.showInformationMessage(
        `${TITLE}: nothing is missing from the project structure.${plan.skipped.length ? ` Not done: ${plan.skipped.join('; ')}` : ''}`,
      );
      return { done: [], skipped: plan.skipped };
    }
    let actions = plan.actions;
    if (!args.confirm) {
      const items = plan.actions.map((a) => ({
        label: `${a.kind === 'mkdir' ? '$(new-folder)' : a.kind === 'create' ? '$(new-file)' : '$(add)'} ${a.path}`,
        description: a.kind === 'append' ? `append: ${a.entries.join(', ')}` : a.kind === 'create' ? 'create' : 'create folder',
        detail: a.reason,
        picked: true,
        action: a,
      }));
      const picked = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: `Set Up Project Structure: ${items.length} change(s), nothing existing is overwritten${plan.skipped.length ? ` (not done: ${plan.skipped.length}, see output)` : ''}`,
      });
      for (const s of plan.skipped) deps.output.info(`not done: ${s}`);
      if (!picked?.length) return undefined;
      actions = picked.map((p) => p.action);
    }
    const result = await deps.request(StructureApplyRequest, { plan: { ...plan, actions } });
    for (const d of result.done) deps.output.info(d);
    for (const s of result.skipped) deps.output.warn(`skipped: ${s}`);
    void vscode.window.showInformationMessage(
      `${TITLE}: ${result.done.length} change(s) made${result.skipped.length ? `, ${result.skipped.length} skipped (see output)` : ''}.`,
    );
    return { done: result.done, skipped: [...plan.skipped, ...result.skipped] };
  });
}

// ------------------------------------------------------------------ initialize

/**
 * Initialize DVC (the Data view's button when the folder has no `.dvc/`): `dvc init` in the folder, with `--subdir`
 * when the folder is not the root of its git repository (DVC refuses otherwise), run by the server. Nothing else is
 * changed, and nothing is run when the folder has a `.dvc` folder already.
 */
export async function initDvc(deps: VersioningDeps, raw: unknown): Promise<boolean> {
  const a = targetsOf(raw);
  const done = await inFolder(
    deps,
    'Initialize DVC',
    a.folder,
    async (folder) => {
      const dvc = await dvcFor(deps, folder);
      if (!dvc) return false;
      deps.output.info(`$ ${dvc.file} ${[...dvc.prefixArgs, 'init'].join(' ')}  (in ${folder.fsPath})`);
      const r = await deps.request(DvcInitRequest, { folder: folder.fsPath, dvc });
      if (!r.initialized) {
        void vscode.window.showInformationMessage(`${TITLE}: ${folder.fsPath} already has a .dvc folder.`);
        return false;
      }
      deps.output.info(r.output.trim());
      void vscode.window
        .showInformationMessage(
          `${TITLE}: DVC is initialized in ${path.basename(folder.fsPath)} (commit .dvc/ and .dvcignore). Next: Track Data with DVC.`,
          'Track Data with DVC',
        )
        .then((p) => p && vscode.commands.executeCommand('mlopsHygiene.trackData'));
      deps.refresh();
      return true;
    },
    'dvc init',
  );
  return done ?? false;
}
