/**
 * The versioning requests (shared/protocol.ts, `mlopsHygiene/versioning/*`): the client asks, shows and confirms, and
 * this carries the work out with the engine's versioning functions (git through simple-git, dvc with an argument
 * array, never a shell). In a restricted workspace every one is refused before anything runs. A VersioningError (a
 * refusal or failure the user can act on) is answered with its message and `{ code }` as the error's data; cancelling
 * a request aborts the dvc process it runs; dvc's output is sent as it comes (VersioningOutputNotification).
 */
import * as lsp from 'vscode-languageserver';
import {
  applyStructure,
  commitSnapshot,
  createModelTag,
  DVC_INSTALL_HINT,
  dataHistory,
  initDvc,
  locateDvc,
  planModelTag,
  planRestore,
  planSnapshot,
  planStructure,
  planTrack,
  pushTag,
  restoreDataVersion,
  runDataCommand,
  trackData,
  VersioningError,
} from '../engine/versioning';
import {
  DataCommandRequest,
  DataHistoryRequest,
  DvcInitRequest,
  DvcLocateRequest,
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
  VersioningOutputNotification,
  type VersioningErrorData,
} from '../../../shared/protocol';

interface Host {
  /** The workspace is trusted: git and dvc may run. */
  trusted(): boolean;
  /** The cache folder the client gave (VS Code's global storage), if any. */
  cacheDir(): string | undefined;
}

/** The error code of a versioning refusal (an application code, outside JSON-RPC's and LSP's reserved ranges). */
export const VERSIONING_ERROR = 1;

interface Run {
  signal: AbortSignal;
  onOutput: (text: string) => void;
}

export function registerVersioning(connection: lsp.Connection, host: Host): void {
  const handle = <P, R>(type: lsp.RequestType<P, R, void>, fn: (params: P, run: Run) => Promise<R> | R): void => {
    // by method name: the typed overload cannot take a handler that answers a ResponseError with data
    connection.onRequest(type.method, async (params: P, token: lsp.CancellationToken | undefined) => {
      if (!host.trusted()) {
        return new lsp.ResponseError<VersioningErrorData>(
          VERSIONING_ERROR,
          'This workspace is not trusted (Restricted Mode): the versioning commands run git and dvc, which it does not allow. Trust the workspace (Manage Workspace Trust) to use them.',
          { code: 'restricted' },
        );
      }
      const ac = new AbortController();
      const cancel = token?.onCancellationRequested(() => ac.abort());
      try {
        return await fn(params, { signal: ac.signal, onOutput: (text) => void connection.sendNotification(VersioningOutputNotification, { text }) });
      } catch (e) {
        if (e instanceof VersioningError) return new lsp.ResponseError<VersioningErrorData>(VERSIONING_ERROR, e.message, { code: e.code });
        if (ac.signal.aborted) return new lsp.ResponseError(lsp.LSPErrorCodes.RequestCancelled, `${type.method} cancelled`);
        throw e;
      } finally {
        cancel?.dispose();
      }
    });
  };
  handle(DvcLocateRequest, async (p) => {
    const dvc = await locateDvc({ dvcPath: p.dvcPath, pythonPath: p.pythonPath });
    return dvc ? { dvc } : { installHint: DVC_INSTALL_HINT };
  });
  handle(TagPlanRequest, (p) =>
    planModelTag(p.folder, { bump: p.bump, prefix: p.prefix, run: p.run, commit: p.commit, note: p.note, checkData: p.checkData, cacheDir: host.cacheDir() }),
  );
  handle(TagCreateRequest, (p) => createModelTag(p.plan, { allowDirty: p.allowDirty }));
  handle(TagPushRequest, async (p) => ({ output: await pushTag(p.folder, p.tag, p.remote) }));
  handle(TrackPlanRequest, (p) => planTrack(p.folder, p.target));
  handle(TrackRequest, (p, run) => trackData(p.plan, p.dvc, run));
  handle(DataCommandRequest, (p, run) => runDataCommand(p.folder, p.verb, p.targets, p.dvc, run));
  handle(DataHistoryRequest, (p) => dataHistory(p.folder, p.ref));
  handle(RestorePlanRequest, (p) => planRestore(p.folder, p.ref, p.commit));
  handle(RestoreRequest, (p, run) => restoreDataVersion(p.plan, p.dvc, run));
  handle(SnapshotPlanRequest, (p) => planSnapshot(p.folder, { title: p.title }));
  handle(SnapshotCommitRequest, async (p) => ({ commit: await commitSnapshot(p.plan) }));
  handle(StructurePlanRequest, (p) => planStructure(p.folder));
  handle(StructureApplyRequest, (p) => applyStructure(p.plan));
  handle(DvcInitRequest, (p, run) => initDvc(p.folder, p.dvc, run));
}
