import * as lsp from 'vscode-languageserver';
import { BULK_DIR_NAMES, Workspace } from '../engine';
import type { Project } from './project';

const EVENT_DEBOUNCE_MS = 300;

/** What the queue needs from the server. */
export interface FileEventHost {
  ready(): Promise<void>;
  /** The project (the deepest workspace folder) and the workspace path of a URI. */
  locate(uri: string): { project: Project; rel: string } | undefined;
  /** The file is open in the editor (its text is the editor's, not the disk's). */
  isOpen(uri: string): boolean;
  /** A project was listed again, in `ms`. */
  listed(project: Project, ms: number): void;
  recheck(project: Project, changed: string[], listingChanged: boolean): void;
  logError(what: string, e: unknown): void;
  /** Told of every event at once, before the debounce (the Runs view, the DVC status: they watch ignored folders). */
  also: ((changes: lsp.FileEvent[]) => void)[];
}

/**
 * File events from the client's watchers, coalesced for EVENT_DEBOUNCE_MS and applied per project: `.git/index` or
 * `HEAD` moved (relist), bulk and ignored folders skipped, an open document's own changes left to the editor, then one
 * re-check per project of what changed.
 */
export class FileEventQueue {
  private pending: lsp.FileEvent[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly host: FileEventHost) {}

  add(changes: lsp.FileEvent[]): void {
    for (const f of this.host.also) f(changes);
    this.pending.push(...changes);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch((e) => this.host.logError('file events', e)), EVENT_DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    const events = this.pending;
    this.pending = [];
    await this.host.ready();
    const perProject = new Map<Project, { changed: Set<string>; listing: boolean; relist: boolean }>();
    for (const ev of events) {
      const loc = this.host.locate(ev.uri);
      if (!loc) continue;
      const { project, rel } = loc;
      const parts = rel.split('/');
      const entry = perProject.get(project) ?? { changed: new Set<string>(), listing: false, relist: false };
      perProject.set(project, entry);
      if (parts[0] === '.git') {
        // a checkout, commit or `git add` moved the index or HEAD: what git tracks has changed
        if (rel === '.git/index' || rel === '.git/HEAD') entry.relist = true;
        continue;
      }
      if (parts.some((p) => BULK_DIR_NAMES.has(p))) continue;
      // The open editor is the truth for contents; but a saved .gitignore changes what git lists, even when it is open
      // (found by the editor suite: removing a line of an open .gitignore never brought GIT002 back).
      if (this.host.isOpen(ev.uri) && ev.type === lsp.FileChangeType.Changed && !Workspace.affectsListing(rel)) continue;
      const kind = ev.type === lsp.FileChangeType.Created ? 'created' : ev.type === lsp.FileChangeType.Deleted ? 'deleted' : 'changed';
      if (kind !== 'deleted' && project.ws.isIgnored(rel) && !project.ws.has(rel)) continue; // ignored bulk (data/, wandb/...)
      project.ws.invalidate(rel, kind);
      entry.changed.add(rel);
      if (Workspace.affectsListing(rel)) entry.relist = true;
      if (kind !== 'changed') entry.listing = true;
    }
    for (const [project, e] of perProject) {
      if (e.relist) {
        const t0 = Date.now();
        await project.ws.relist();
        this.host.listed(project, Date.now() - t0);
        e.listing = true;
      }
      if (e.changed.size || e.listing) this.host.recheck(project, [...e.changed], e.listing);
    }
  }
}
