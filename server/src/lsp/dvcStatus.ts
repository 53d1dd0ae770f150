import * as path from 'node:path';
import * as lsp from 'vscode-languageserver';
import { dataStatus, defaultCacheDir, type DataStatus } from '../engine/dvc/data';
import { isDvcFile, isDvcLock, isDvcYaml, loadDvcPipeline } from '../engine/dvc/pipeline';
import { stageStatusReports } from '../engine/rules/dvc/stageStatus';
import { listTrackedItems, usesDvc } from '../engine/versioning/tracked';
import { DvcStatusRequest, DvcTrackedRequest, type DvcStatusResult, type DvcTrackedResult } from '../../../shared/protocol';
import { pathOfUri } from './convert';
import type { Project } from './project';

interface Host {
  projects(): Project[];
  ready(): Promise<void>;
  /** The cache folder the client gave (VS Code's global storage), if any. */
  cacheDir(): string | undefined;
  /** The workspace is trusted: git may run. */
  trusted(): boolean;
  /** Republishes the diagnostics of one file. */
  publish(project: Project, file: string): void;
}

/** Wait after a trigger before the background status runs (a save, `dvc repro` writing outputs). */
const BACKGROUND_DELAY_MS = 400;
/** The key of the background findings in the engine. */
const BACKGROUND_KEY = 'dvc-status';

type Progress = { report(pct: number, message: string): void };

/**
 * `mlopsHygiene/dvc/status` (the Data view) and the background stage status (DVC066 on dvc.yaml) share one
 * computation per folder: hashing is asynchronous and yields to the event loop every few milliseconds, so diagnostics
 * keep flowing while it runs. The background status runs after the first check, after a change of a pipeline file
 * (dvc.yaml, dvc.lock, .dvc files, params), and after a file event under a path a stage depends on or produces (those
 * events are watched before the diagnostics side drops events in git-ignored folders: DVC data is ignored).
 */
export class DvcStatusService {
  private readonly inFlight = new Map<string, Promise<DataStatus>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per folder: the data paths of the last status (deps and outs), whose changes re-run it. */
  private readonly watched = new Map<string, string[]>();
  /** Per folder: a background run is going on / another one is wanted after it. */
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  /** Background passes completed (tests wait on it). */
  passes = 0;

  constructor(
    private readonly connection: lsp.Connection,
    private readonly host: Host,
  ) {
    connection.onRequest(DvcStatusRequest, (params, token) => this.request(params, token));
    connection.onRequest(DvcTrackedRequest, (params) => this.tracked(params.folder));
  }

  /** One status of a project, shared by concurrent callers. */
  compute(project: Project, signal?: { aborted: boolean }, progress?: Progress): Promise<DataStatus> {
    let run = this.inFlight.get(project.root);
    if (!run) {
      run = dataStatus(project.ws, {
        cacheDir: this.host.cacheDir() ?? defaultCacheDir(),
        signal,
        onProgress: (p) => {
          if (!progress) return;
          const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
          progress.report(pct, `${path.basename(project.root)}: hashing ${p.filesDone}/${p.filesTotal} files`);
        },
      }).finally(() => this.inFlight.delete(project.root));
      this.inFlight.set(project.root, run);
    }
    return run;
  }

  /** Runs the background status of a project soon (debounced). */
  schedule(project: Project, delay = BACKGROUND_DELAY_MS): void {
    clearTimeout(this.timers.get(project.root));
    this.timers.set(
      project.root,
      setTimeout(() => {
        this.timers.delete(project.root);
        void this.background(project.root);
      }, delay),
    );
  }

  /** After a check of changed files: a pipeline file changed (dvc.yaml, dvc.lock, a .dvc file, a params file). */
  changed(project: Project, files: string[]): void {
    if (files.some((f) => isPipelineFile(f) || this.isWatched(project.root, f))) this.schedule(project);
  }

  /** Raw file events (also in git-ignored folders): a change under a stage's dep or out re-runs the status. */
  fileEvents(changes: lsp.FileEvent[]): void {
    for (const c of changes) {
      const abs = pathOfUri(c.uri);
      if (!abs) continue;
      for (const project of this.host.projects()) {
        const rel = project.relOf(abs);
        if (rel !== undefined && (this.isWatched(project.root, rel) || isPipelineFile(rel))) this.schedule(project);
      }
    }
  }

  private isWatched(root: string, rel: string): boolean {
    return (this.watched.get(root) ?? []).some((p) => rel === p || rel.startsWith(p + '/'));
  }

  private async background(root: string): Promise<void> {
    if (this.running.has(root)) {
      this.again.add(root);
      return;
    }
    this.running.add(root);
    try {
      await this.host.ready();
      const project = this.host.projects().find((p) => p.root === root);
      if (!project) return;
      let reports: ReturnType<typeof stageStatusReports> = [];
      if ([...project.ws.paths()].some(isDvcYaml)) {
        try {
          const status = await this.compute(project);
          reports = stageStatusReports(project.ws, status);
          // the data it compared, and every params file a stage reads (a custom `config.yaml` in `params:` too)
          const params = loadDvcPipeline(project.ws).stages.flatMap((st) => st.params.map((p) => p.file));
          this.watched.set(root, [...new Set([...status.items.map((i) => i.path), ...params])]);
        } catch (e) {
          this.connection.console.error(`mlops-hygiene: background DVC status of ${root} failed: ${(e as Error).message}`);
        }
      }
      // the project may have been reopened meanwhile (settings, trust): publish on the current one
      const current = this.host.projects().find((p) => p.root === root);
      if (current) for (const f of current.engine.setBackgroundReports(BACKGROUND_KEY, reports)) this.host.publish(current, f);
      this.passes++;
    } finally {
      this.running.delete(root);
      if (this.again.delete(root)) void this.background(root);
    }
  }

  /** What a folder's recording files track (no hashing). Git lists them only where the server may run it (trusted). */
  private async tracked(folder: string): Promise<DvcTrackedResult> {
    await this.host.ready();
    const root = path.resolve(folder);
    if (!usesDvc(root)) return { usesDvc: false, items: [] };
    return { usesDvc: true, items: await listTrackedItems(root, { useGit: this.host.trusted() }) };
  }

  private async request(
    params: { folder?: string; workDoneToken?: lsp.ProgressToken },
    token: lsp.CancellationToken,
  ): Promise<DvcStatusResult | lsp.ResponseError<void>> {
    await this.host.ready();
    const t0 = Date.now();
    const wanted = params.folder ? path.resolve(params.folder) : undefined;
    const projects = this.host.projects().filter((p) => !wanted || p.root === wanted);
    const progress =
      params.workDoneToken !== undefined
        ? this.connection.window.attachWorkDoneProgress(params.workDoneToken)
        : await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('DVC status', 0, 'listing tracked data', true);
    const signal = {
      get aborted(): boolean {
        return token.isCancellationRequested || !!(progress as { token?: lsp.CancellationToken } | undefined)?.token?.isCancellationRequested;
      },
    };
    const result: DvcStatusResult = { items: [], stages: [], durationMs: 0, filesHashed: 0, filesFromCache: 0, bytesHashed: 0, notes: [] };
    try {
      for (const project of projects) {
        const s = await this.compute(project, signal, progress);
        const folder = projects.length > 1 ? { folder: project.root } : {};
        result.items.push(...s.items.map((i) => ({ ...i, ...folder })));
        result.stages.push(...s.stages.map((x) => ({ ...x, ...folder })));
        result.filesHashed! += s.filesHashed;
        result.filesFromCache! += s.filesFromCache;
        result.bytesHashed! += s.bytesHashed;
        result.notes!.push(...s.notes);
        // the Data view's status is also the diagnostics' (same inputs, computed once)
        for (const f of project.engine.setBackgroundReports(BACKGROUND_KEY, stageStatusReports(project.ws, s))) this.host.publish(project, f);
      }
    } catch (e) {
      if (signal.aborted) return new lsp.ResponseError(lsp.LSPErrorCodes.RequestCancelled, 'DVC status cancelled');
      throw e;
    } finally {
      progress?.done();
    }
    result.durationMs = Date.now() - t0;
    return result;
  }
}

/** A file whose change may change a stage's status without a data event: dvc.yaml, dvc.lock, .dvc files, params. */
function isPipelineFile(rel: string): boolean {
  return isDvcYaml(rel) || isDvcLock(rel) || isDvcFile(rel) || /(^|\/)params[^/]*\.(ya?ml|json|toml|py)$/.test(rel);
}
