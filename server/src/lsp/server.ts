import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ALL_RULES,
  mlSignal,
  projectLayout,
  completionAt,
  definitionAt,
  findRule,
  hoverAt,
  renderRuleDoc,
  renderRuleHover,
  ruleDocUrl,
  type Finding,
  type SettingsInput,
} from '../engine';
import {
  RecheckRequest,
  RuleDocRequest,
  StatusNotification,
  WorkspaceLayoutRequest,
  type InitializationOptions,
  type StatusParams,
} from '../../../shared/protocol';
import { pathOfUri, toDiagnostic, uriOf } from './convert';
import { CODE_ACTION_KINDS, codeActionsFor } from './codeActions';
import { Project } from './project';
import { VERSION } from '../cli/version';
import { RunsService } from './runs';
import { registerTrackingHints } from './trackingHints';
import { registerVersioning } from './versioning';
import { DvcStatusService } from './dvcStatus';
import { guard } from './boundary';
import { FileEventQueue } from './fileEvents';
import { SliceScheduler } from './scheduler';

const EDIT_DEBOUNCE_MS = 200;

/** The editor settings of a folder: the engine's (select, ignore, severity) and the editor's own. */
interface EditorSettings extends SettingsInput {
  enabled?: boolean;
  hintsAsInformation?: boolean;
  /** mlopsHygiene.onlyMlProjects (default true): a folder without an ML signal (mlSignal) is not checked. */
  onlyMlProjects?: boolean;
}

/**
 * The language server: a thin layer that maps LSP to the engine. Documents and file events update the workspace model;
 * the engine says what to re-check; diagnostics are published per file.
 */
export class Server {
  private readonly documents = new lsp.TextDocuments(TextDocument);
  private projects: Project[] = [];
  private folders: string[] = [];
  private trusted = true;
  private settings: EditorSettings = {};
  private readonly folderSettings = new Map<string, EditorSettings>();
  private ready: Promise<void> = Promise.resolve();
  private readonly published = new Map<string, Set<string>>();
  private editTimers = new Map<string, NodeJS.Timeout>();
  private readonly events: FileEventQueue;
  private readonly scheduler = new SliceScheduler({
    publish: (project, file) => this.publish(project, file),
    status: (state) => this.sendStatus(state),
    logError: (what, e) => this.logError(what, e),
  });
  private dynamicWatchers = false;
  private readonly runs: RunsService;
  private readonly dvcStatus: DvcStatusService;
  private cacheDir?: string;
  /** The connection behind the boundary: every handler registered on it sees only params of the right shape. */
  private readonly connection: lsp.Connection;
  private clientName = '';
  private folderCapability = false;

  constructor(raw: lsp.Connection) {
    const connection = guard(raw);
    this.connection = connection;
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration(() => this.reloadSettings());
    connection.onDidChangeWatchedFiles((p) => this.events.add(p.changes));
    connection.onCodeAction((p) => this.codeActions(p));
    connection.onHover((p) => this.hover(p));
    connection.onDefinition((p) => this.definition(p));
    connection.onCompletion((p) => this.completion(p));
    connection.onRequest(RuleDocRequest, ({ code }) => {
      const rule = findRule(code);
      return rule ? { code: rule.code, name: rule.name, title: rule.title, markdown: renderRuleDoc(rule), url: ruleDocUrl(rule.code) } : null;
    });
    connection.onRequest(RecheckRequest, async () => {
      const t0 = Date.now();
      await this.ready;
      await this.openAll();
      const all = this.projects.flatMap((p) => p.engine.allFindings());
      return { files: this.projects.reduce((n, p) => n + p.ws.size, 0), findings: all.length, durationMs: Date.now() - t0 };
    });
    connection.onRequest(WorkspaceLayoutRequest, async () => {
      await this.ready;
      const folders = this.projects.map((p) => {
        const signal = this.signals.get(p.root);
        return { folder: p.root, checked: this.isActive(p.root), ...(signal ? { mlSignal: signal } : {}), ...projectLayout(p.ws) };
      });
      return { folders };
    });
    this.runs = new RunsService(connection, () => ({
      folders: this.folders,
      trusted: this.trusted,
    }));
    this.dvcStatus = new DvcStatusService(connection, {
      projects: () => this.projects,
      ready: () => this.ready,
      cacheDir: () => this.cacheDir,
      trusted: () => this.trusted,
      publish: (p, f) => this.publish(p, f),
    });
    registerTrackingHints(connection, { projects: () => this.projects, ready: () => this.ready });
    registerVersioning(connection, { trusted: () => this.trusted, cacheDir: () => this.cacheDir });
    this.events = new FileEventQueue({
      ready: () => this.ready,
      locate: (uri) => this.locate(uri),
      isOpen: (uri) => this.documents.get(uri) !== undefined,
      listed: (project, ms) => this.logListing(project, ms),
      recheck: (project, changed, listingChanged) => this.recheck(project, changed, listingChanged),
      logError: (what, e) => this.logError(what, e),
      also: [(changes) => this.runs.fileEvents(changes), (changes) => this.dvcStatus.fileEvents(changes)],
    });
    this.documents.onDidChangeContent((e) => this.documentChanged(e.document));
    this.documents.onDidClose((e) => this.documentClosed(e.document));
    this.documents.listen(connection);
  }

  listen(): void {
    this.connection.listen();
  }

  private initialize(params: lsp.InitializeParams): lsp.InitializeResult {
    const opts = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    this.trusted = opts.trusted !== false;
    this.cacheDir = typeof opts.cacheDir === 'string' && opts.cacheDir ? opts.cacheDir : undefined;
    this.folders = (params.workspaceFolders ?? []).map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p);
    this.clientName = params.clientInfo ? `${params.clientInfo.name} ${params.clientInfo.version ?? ''}`.trim() : 'an LSP client';
    if (!this.folders.length && params.rootUri) {
      const p = pathOfUri(params.rootUri);
      if (p) this.folders.push(p);
    }
    this.dynamicWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.folderCapability = !!params.capabilities.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: lsp.TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ['.', '$', '{', '/', ':'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'mlops-hygiene', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    // folders added to (or removed from) a multi-root workspace after start-up are checked (or cleared)
    if (this.folderCapability) this.connection.workspace.onDidChangeWorkspaceFolders((e) => void this.foldersChanged(e));
    else this.connection.onNotification(lsp.DidChangeWorkspaceFoldersNotification.type, (p) => void this.foldersChanged(p.event));
    this.connection.console.info(
      `mlops-hygiene ${VERSION} (Node ${process.version}) for ${this.clientName}; ${this.trusted ? 'trusted' : 'restricted'}; workspace folders: ${this.folders.join(', ') || '(none)'}`,
    );
    // `ready` is set synchronously: a request that arrives right after `initialized` waits for the first check
    this.ready = (async () => {
      if (this.dynamicWatchers) {
        await this.connection.client.register(lsp.DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*' },
            { globPattern: '**/.git/index' },
            { globPattern: '**/.git/HEAD' },
            { globPattern: '**/.git/packed-refs' },
            { globPattern: '**/.git/refs/exps/**' },
          ],
        });
      }
      this.settings = await this.fetchSettings();
      await this.openAll();
    })();
    await this.ready;
  }

  /**
   * The editor settings of one folder (`scopeUri`: resource-scoped settings differ per folder of a multi-root
   * workspace), or of the window.
   */
  private async fetchSettings(folder?: string): Promise<EditorSettings> {
    try {
      const cfg = (
        folder
          ? await this.connection.workspace.getConfiguration({ scopeUri: pathToFileURL(folder).toString(), section: 'mlopsHygiene' })
          : await this.connection.workspace.getConfiguration('mlopsHygiene')
      ) as Record<string, unknown> | null;
      if (!cfg) return {};
      return {
        select: Array.isArray(cfg.select) ? (cfg.select as string[]) : undefined,
        ignore: Array.isArray(cfg.ignore) ? (cfg.ignore as string[]) : undefined,
        severity: cfg.severity && typeof cfg.severity === 'object' ? (cfg.severity as SettingsInput['severity']) : undefined,
        enabled: cfg.enable !== false,
        hintsAsInformation: cfg.hintsAsInformation === true,
        onlyMlProjects: cfg.onlyMlProjects !== false,
      };
    } catch {
      return {};
    }
  }

  /** Why a folder is checked (its ML signal), per project root; undefined: not an ML project. */
  private readonly signals = new Map<string, string | undefined>();

  /** The folder is checked: enabled, and an ML project unless mlopsHygiene.onlyMlProjects is false. */
  private isActive(root: string): boolean {
    const s = this.settingsOf(root);
    return s.enabled !== false && (s.onlyMlProjects === false || this.signals.get(root) !== undefined);
  }

  /** The settings of the folder a project is (the window's until the folder's were read). */
  private settingsOf(root: string): EditorSettings {
    return this.folderSettings.get(root) ?? this.settings;
  }

  private async reloadSettings(): Promise<void> {
    this.settings = await this.fetchSettings();
    await this.openAll();
  }

  private async foldersChanged(e: lsp.WorkspaceFoldersChangeEvent): Promise<void> {
    await this.ready;
    const removed = new Set(e.removed.map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p));
    const added = e.added.map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p);
    this.connection.console.info(`workspace folders changed: added ${added.join(', ') || '(none)'}; removed ${[...removed].join(', ') || '(none)'}`);
    for (const p of this.projects.filter((x) => removed.has(x.root))) {
      for (const f of this.published.get(p.root) ?? []) void this.connection.sendDiagnostics({ uri: uriOf(p, f), diagnostics: [] });
      this.published.delete(p.root);
    }
    this.folders = [...this.folders.filter((f) => !removed.has(f)), ...added.filter((f) => !this.folders.includes(f))];
    this.ready = this.openAll();
    await this.ready;
  }

  /** (Re)lists every folder and checks it all; publishes the results. */
  private async openAll(): Promise<void> {
    this.sendStatus('checking');
    const projects: Project[] = [];
    for (const folder of this.folders) {
      const t0 = Date.now();
      try {
        const settings = await this.fetchSettings(folder);
        this.folderSettings.set(path.resolve(folder), settings);
        const { enabled: _e, hintsAsInformation: _h, onlyMlProjects: _o, ...engineSettings } = settings;
        const project = await Project.open(folder, { trusted: this.trusted, settings: engineSettings });
        const signal = mlSignal(project.ws);
        this.signals.set(project.root, signal);
        this.connection.console.info(
          signal
            ? `${folder} is an ML project: ${signal}`
            : `${folder} shows no ML signal (no ML dependency, no DVC, Hydra, W&B or MLflow file, no model file)${settings.onlyMlProjects === false ? '; checked anyway (mlopsHygiene.onlyMlProjects is false)' : ': not checked (set mlopsHygiene.onlyMlProjects to false to check it)'}`,
        );
        projects.push(project);
        this.logListing(project, Date.now() - t0);
      } catch (e) {
        this.connection.console.error(`could not open ${folder}: ${(e as Error).stack ?? String(e)}`);
      }
    }
    this.projects = projects;
    for (const doc of this.documents.all()) this.applyOverlay(doc);
    for (const p of projects) {
      const t0 = Date.now();
      const enabled = this.isActive(p.root);
      try {
        if (enabled) {
          const all = p.engine.checkAll();
          this.connection.console.info(`checked ${p.ws.size} files in ${p.root} in ${Date.now() - t0} ms: ${all.length} findings`);
        } else if (this.settingsOf(p.root).enabled === false) this.connection.console.info(`mlopsHygiene.enable is false: ${p.root} is not checked`);
      } catch (e) {
        this.connection.console.error(`the check of ${p.root} failed: ${(e as Error).stack ?? String(e)}`);
      }
      this.publishAll(p, enabled);
      // the stage status (DVC066) hashes data: after the diagnostics are out, in the background
      if (enabled) this.dvcStatus.schedule(p);
    }
    this.sendStatus('idle');
  }

  private publishAll(project: Project, enabled = true): void {
    const files = enabled ? project.engine.filesWithFindings() : new Set<string>();
    const before = this.published.get(project.root) ?? new Set<string>();
    for (const f of new Set([...before, ...files])) this.publish(project, f);
  }

  private publish(project: Project, file: string): void {
    const settings = this.settingsOf(project.root);
    const findings: Finding[] = this.isActive(project.root) ? project.engine.findingsFor(file) : [];
    const set = this.published.get(project.root) ?? new Set<string>();
    this.published.set(project.root, set);
    if (findings.length) set.add(file);
    else set.delete(file);
    void this.connection.sendDiagnostics({
      uri: uriOf(project, file),
      diagnostics: findings.map((f) => toDiagnostic(project, f, { hintsAsInformation: settings.hintsAsInformation === true })),
    });
  }

  private locate(uri: string): { project: Project; rel: string } | undefined {
    const abs = pathOfUri(uri);
    if (!abs) return undefined;
    // the deepest folder wins for nested workspace folders
    let best: { project: Project; rel: string } | undefined;
    for (const project of this.projects) {
      const rel = project.relOf(abs);
      if (rel !== undefined && (!best || project.root.length > best.project.root.length)) best = { project, rel };
    }
    return best;
  }

  /** Puts the document's text over the file; 'same' when it is what the workspace had already (a file just opened). */
  private applyOverlay(doc: TextDocument): 'changed' | 'same' | undefined {
    const loc = this.locate(doc.uri);
    if (!loc) return undefined;
    const text = doc.getText();
    const before = loc.project.ws.readText(loc.rel);
    loc.project.ws.setOverlay(loc.rel, text);
    return before.ok && before.text === text ? 'same' : 'changed';
  }

  private documentChanged(doc: TextDocument): void {
    // opening a file changes nothing: re-checking it would only make its dependents' findings pending for a while
    if (this.applyOverlay(doc) !== 'changed') return;
    clearTimeout(this.editTimers.get(doc.uri));
    this.editTimers.set(
      doc.uri,
      setTimeout(() => {
        this.editTimers.delete(doc.uri);
        const loc = this.locate(doc.uri);
        if (!loc) return;
        this.safely('re-check after an edit', () => this.recheck(loc.project, [loc.rel], false, 'edit'));
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private documentClosed(doc: TextDocument): void {
    const loc = this.locate(doc.uri);
    if (!loc) return;
    loc.project.ws.clearOverlay(loc.rel);
    this.recheck(loc.project, [loc.rel], false, 'edit');
  }

  /**
   * Re-checks after a change: the changed files' own units first, published at once (they are what the user looks at),
   * then everything else that depends on them in short slices between messages, so an edit of a config that 500 others
   * compose never holds up the next keystroke, hover or completion.
   */
  private recheck(project: Project, changed: string[], listingChanged: boolean, source: 'edit' | 'disk' = 'disk'): void {
    if (!this.isActive(project.root)) {
      // a folder that was not an ML project may have become one (torch added to requirements.txt, dvc init)
      const signal = this.settingsOf(project.root).enabled === false ? undefined : mlSignal(project.ws);
      if (!signal) return;
      this.signals.set(project.root, signal);
      this.connection.console.info(`${project.root} is an ML project now: ${signal}`);
      this.sendStatus('checking');
      project.engine.checkAll();
      this.publishAll(project);
      this.sendStatus('idle');
      return;
    }
    this.sendStatus('checking');
    const engine = project.engine;
    const touched = engine.invalidate(changed, listingChanged, source);
    for (const f of engine.runPending({ first: changed, onlyFirst: true }).touched) touched.add(f);
    for (const f of touched) this.publish(project, f);
    this.scheduler.drain(project);
    if (source === 'disk') this.dvcStatus.changed(project, changed); // saved: the status reads the files on disk
  }

  private codeActions(params: lsp.CodeActionParams): lsp.CodeAction[] {
    const uri = params.textDocument.uri;
    // an edit still waiting for its check (a save right after typing): check it now, so every fix fits the text
    const timer = this.editTimers.get(uri);
    let loc = this.locate(uri);
    if (timer && loc) {
      clearTimeout(timer);
      this.editTimers.delete(uri);
      this.recheck(loc.project, [loc.rel], false, 'edit');
      loc = this.locate(uri);
    }
    if (!loc) return [];
    // findings of units still pending (dependents of the edit) are not known yet: the fixes offered here need them all
    if (loc.project.engine.hasPending) {
      for (const f of loc.project.engine.runPending().touched) this.publish(loc.project, f);
    }
    const doc = this.documents.get(uri);
    const read = doc ? undefined : loc.project.ws.readText(loc.rel);
    const text = doc ? doc.getText() : read?.ok ? read.text : undefined;
    return codeActionsFor(loc.project, loc.rel, params, text);
  }

  private hover(params: lsp.HoverParams): lsp.Hover | null {
    const loc = this.locate(params.textDocument.uri);
    if (!loc) return null;
    const pos = params.position;
    const parts: string[] = [];
    const covering = loc.project.engine.findingsFor(loc.rel).filter((f) => within(pos, f.range));
    for (const code of new Set(covering.map((f) => f.code))) {
      const rule = findRule(code);
      if (rule) parts.push(renderRuleHover(rule));
    }
    for (const h of hoverAt({ ws: loc.project.ws, engine: loc.project.engine, file: loc.rel, position: pos })) parts.push(h.markdown);
    if (!parts.length) return null;
    return { contents: { kind: lsp.MarkupKind.Markdown, value: parts.join('\n\n---\n\n') } };
  }

  private definition(params: lsp.DefinitionParams): lsp.Location[] {
    const loc = this.locate(params.textDocument.uri);
    if (!loc) return [];
    return definitionAt({ ws: loc.project.ws, engine: loc.project.engine, file: loc.rel, position: params.position }).map((l) => ({
      uri: uriOf(loc.project, l.file),
      range: l.range,
    }));
  }

  private completion(params: lsp.CompletionParams): lsp.CompletionItem[] {
    const loc = this.locate(params.textDocument.uri);
    if (!loc) return [];
    const kinds = {
      property: lsp.CompletionItemKind.Property,
      value: lsp.CompletionItemKind.Value,
      file: lsp.CompletionItemKind.File,
      module: lsp.CompletionItemKind.Module,
      function: lsp.CompletionItemKind.Function,
    };
    return completionAt({ ws: loc.project.ws, engine: loc.project.engine, file: loc.rel, position: params.position }).map((c) => ({
      label: c.label,
      detail: c.detail,
      documentation: c.documentation ? { kind: lsp.MarkupKind.Markdown, value: c.documentation } : undefined,
      kind: c.kind ? kinds[c.kind] : undefined,
      ...(c.range ? { textEdit: lsp.TextEdit.replace(c.range, c.insertText ?? c.label) } : c.insertText ? { insertText: c.insertText } : {}),
    }));
  }

  /** Which listing a folder got; when git failed inside a repository, git's error (MLH008 says it in the editor). */
  private logListing(project: Project, ms: number): void {
    const ws = project.ws;
    if (ws.gitFailure)
      this.connection.console.warn(`mlops-hygiene: ${project.root}: git could not list the files (${ws.gitFailure}); listed by walking the folder instead`);
    const how = ws.listedBy === 'git' ? 'by git' : this.trusted ? 'by walking the folder' : 'by walking the folder (restricted mode: no git)';
    this.connection.console.info(
      `listed ${ws.size} files in ${project.root} in ${ms} ms ${how}${ws.listingNotes.length ? `; ${ws.listingNotes.join('; ')}` : ''}`,
    );
  }

  /** Work started by a timer has no caller to report to: a failure is logged, never an exit of the server. */
  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.logError(what, e);
    }
  }

  private logError(what: string, e: unknown): void {
    this.connection.console.error(`mlops-hygiene: ${what} failed: ${(e as Error)?.stack ?? String(e)}`);
  }

  private sendStatus(state: StatusParams['state']): void {
    const counts = { error: 0, warning: 0, info: 0, hint: 0 };
    const notes: string[] = [];
    if (!this.trusted) notes.push('Restricted mode: files are read, but no git or dvc process is run.');
    for (const p of this.projects) {
      if (!this.isActive(p.root)) {
        if (this.settingsOf(p.root).enabled !== false)
          notes.push(
            `${path.basename(p.root)} is not checked: no ML signal (no ML dependency, DVC, Hydra, W&B or MLflow file, or model file); set mlopsHygiene.onlyMlProjects to false to check it.`,
          );
        continue;
      }
      for (const f of p.engine.allFindings()) counts[f.severity]++;
      notes.push(...p.ws.listingNotes);
    }
    void this.connection.sendNotification(StatusNotification, { state, counts, notes });
  }
}

function within(pos: lsp.Position, range: lsp.Range): boolean {
  const after = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const before = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return after && before;
}

export const RULE_COUNT = ALL_RULES.length;
