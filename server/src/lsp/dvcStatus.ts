import * as path from 'node:path';
import * as lsp from 'vscode-languageserver';
import { dataStatus, defaultCacheDir, type DataStatus } from '../engine/dvc/data';
import { DvcStatusRequest, type DvcStatusResult } from '../../../shared/protocol';
import type { Project } from './project';

interface Host {
  projects(): Project[];
  ready(): Promise<void>;
  /** The cache folder the client gave (VS Code's global storage), if any. */
  cacheDir(): string | undefined;
}

/**
 * `mlopsHygiene/dvc/status`: the native DVC status. Hashing is asynchronous and yields to the event loop every few
 * milliseconds, so diagnostics keep flowing while it runs; progress goes to the client's work-done token, or to a
 * progress the server creates. Requests for a folder already being computed share that computation.
 */
export function registerDvcStatus(connection: lsp.Connection, host: Host): void {
  const inFlight = new Map<string, Promise<DataStatus>>();

  connection.onRequest(DvcStatusRequest, async (params, token) => {
    await host.ready();
    const t0 = Date.now();
    const wanted = params.folder ? path.resolve(params.folder) : undefined;
    const projects = host.projects().filter((p) => !wanted || p.root === wanted);
    const progress =
      params.workDoneToken !== undefined
        ? connection.window.attachWorkDoneProgress(params.workDoneToken)
        : await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('DVC status', 0, 'listing tracked data', true);
    const signal = {
      get aborted(): boolean {
        return token.isCancellationRequested || !!(progress as { token?: lsp.CancellationToken } | undefined)?.token?.isCancellationRequested;
      },
    };
    const result: DvcStatusResult = { items: [], stages: [], durationMs: 0, filesHashed: 0, filesFromCache: 0, bytesHashed: 0, notes: [] };
    try {
      for (const project of projects) {
        let run = inFlight.get(project.root);
        if (!run) {
          run = dataStatus(project.ws, {
            cacheDir: host.cacheDir() ?? defaultCacheDir(),
            signal,
            onProgress: (p) => {
              if (!progress) return;
              const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
              progress.report(pct, `${path.basename(project.root)}: hashing ${p.filesDone}/${p.filesTotal} files`);
            },
          }).finally(() => inFlight.delete(project.root));
          inFlight.set(project.root, run);
        }
        const s = await run;
        const folder = projects.length > 1 ? { folder: project.root } : {};
        result.items.push(...s.items.map((i) => ({ ...i, ...folder })));
        result.stages.push(...s.stages.map((x) => ({ ...x, ...folder })));
        result.filesHashed! += s.filesHashed;
        result.filesFromCache! += s.filesFromCache;
        result.bytesHashed! += s.bytesHashed;
        result.notes!.push(...s.notes);
      }
    } catch (e) {
      if (signal.aborted) return new lsp.ResponseError(lsp.LSPErrorCodes.RequestCancelled, 'DVC status cancelled');
      throw e;
    } finally {
      progress?.done();
    }
    result.durationMs = Date.now() - t0;
    return result;
  });
}
