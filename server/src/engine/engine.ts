import type { ContextBase, FileContext, FileRule, RepoContext, RepoRule, Report, Rule } from './rule';
import { CONFIG_FILES, ResolvedSettings, settingsFromToml, settingsTable, type SettingsInput } from './settings';
import { applySuppressions, parseSuppressions, suppressionKey, type Suppressed, type Suppression } from './suppression';
import { compareFindings, type Finding, type Range, ZERO_RANGE } from './types';
import type { ReadResult, ReadTracker, Workspace } from './workspace';
import { TextIndex } from './text/textIndex';
import { TomlDocument } from './text/tomlDocument';
import { YamlDocument } from './text/yamlDocument';
import { CORE, coreRule } from './rules/core';
import { redactSecrets } from './secrets/detector';

/** Files a repository-level finding is attached to when no better place exists, in order of preference. */
export const PROJECT_ANCHORS = ['pyproject.toml', 'README.md', 'setup.py', 'setup.cfg', 'requirements.txt', '.gitignore', 'dvc.yaml'];

const REPO_UNIT = 'repo';

interface UnitState {
  findings: Finding[];
  /** Findings a suppression comment dropped (to tell used suppressions from unused ones). */
  suppressed: Suppressed[];
  /** The suppression comments of the unit's own file (file units). */
  suppressions?: Suppression[];
  /** What the unit read, looked at and which memoised values it used. */
  deps: Recorder;
}

/** Records what one unit of work (one file's rules, the repository rules, or a memoised value) used. */
class Recorder implements ReadTracker {
  /** Files whose contents were used. */
  readonly reads = new Set<string>();
  /** Paths whose existence, listing or size was used (an unsaved edit cannot change those). */
  readonly stats = new Set<string>();
  /** Memoised values used: their own dependencies are kept by the engine, not copied here. */
  readonly memos = new Set<string>();
  listing = false;
  read(rel: string): void {
    this.reads.add(rel);
  }
  stat(rel: string): void {
    this.stats.add(rel);
  }
  listed(): void {
    this.listing = true;
  }
  usedMemo(key: string): void {
    this.memos.add(key);
  }
}

/**
 * Runs the rules over a workspace and keeps, for every unit of work, its findings and what it read, so that a change
 * to one file re-runs only the units that read it. Knows nothing of LSP: the language server and the CLI drive it.
 */
/** Unit ids of findings computed outside the check pass (`setBackgroundReports`). */
const BACKGROUND_UNIT = 'background:';

export class Engine {
  private readonly units = new Map<string, UnitState>();
  private settingsCache?: ResolvedSettings;
  /** Memoised values of the current pass (cleared on every update). */
  private memos = new Map<string, unknown>();
  /**
   * What computing each memo used, kept across passes: a unit records only the memo's key, and is re-run when what the
   * memo used changes. (Copying a project-wide memo's thousands of reads into every file's unit was the main cost of a
   * full check.)
   */
  private memoDeps = new Map<string, Recorder>();
  readonly fileRules: FileRule[];
  readonly repoRules: RepoRule[];
  /**
   * Whether the engine records what each unit read, to re-run only what a change touches (`update`, `invalidate`).
   * The CLI checks once and passes `incremental: false`: no recorder per file and memo (a tenth of a large check).
   */
  private readonly incremental: boolean;
  private readonly knownCodes: Set<string>;

  /**
   * `readProjectConfig: false` when the settings come from elsewhere (the CLI's `--config FILE`, given as an override
   * layer): the project's mlops-hygiene.toml and [tool.mlops-hygiene] are then not read.
   */
  constructor(
    readonly ws: Workspace,
    readonly rules: readonly Rule[],
    private overrides: SettingsInput[] = [],
    private readonly options: { readProjectConfig?: boolean; incremental?: boolean; timing?: boolean } = {},
  ) {
    this.incremental = options.incremental !== false;
    if (options.timing) this.timings = new Map();
    this.fileRules = rules.filter((r): r is FileRule => r.scope === 'file');
    this.repoRules = rules.filter((r): r is RepoRule => r.scope === 'repo');
    this.knownCodes = new Set(rules.map((r) => r.code));
  }

  /** Replaces the editor/CLI layer of settings (pyproject.toml stays underneath). */
  setOverrides(overrides: SettingsInput[]): void {
    this.overrides = overrides;
    this.settingsCache = undefined;
  }

  /** The configuration file the settings were read from (workspace-relative), if any. */
  configFile?: string;

  get settings(): ResolvedSettings {
    if (this.settingsCache) return this.settingsCache;
    const layers: SettingsInput[] = [];
    const problems: ResolvedSettings['problems'] = [];
    this.configFile = undefined;
    if (this.options.readProjectConfig !== false) {
      for (const file of CONFIG_FILES) {
        const doc = this.ws.withTracker(undefined, () => this.ws.toml(file));
        if (!(doc instanceof TomlDocument)) continue;
        const table = settingsTable(file);
        if (doc.value) {
          if (table.length && doc.get(table) === undefined) continue; // a pyproject.toml without the table
          const r = settingsFromToml(doc, this.knownCodes, table);
          layers.push(r.input);
          problems.push(...r.problems);
          this.configFile = file;
          break;
        }
        if (doc.error) {
          // the user's configuration cannot be read: say so rather than silently running with defaults
          problems.push({
            message: `TOML syntax error: ${doc.error.message} (${table.length ? '[tool.mlops-hygiene] ' : ''}settings are not applied)`,
            range: doc.error.range,
            syntax: true,
            file,
          });
          this.configFile = file;
          break;
        }
      }
    }
    this.settingsCache = new ResolvedSettings([...layers, ...this.overrides], problems, (rel) => this.ws.isRunArtefact(rel));
    return this.settingsCache;
  }

  private enabledCache?: { settings: ResolvedSettings; rules: FileRule[]; preds: ((rel: string) => boolean)[]; predOf: number[]; results: Uint8Array };
  /**
   * The file rules the settings enable (asked for every file: computed once per settings), with their `appliesTo` predicates deduplicated: about 100 rules share 30 predicates
   * (isDvcYaml, isWorkflowFile, ...), and asking each once per path was the largest cost of a check of many files.
   */
  private enabledPlan(s: ResolvedSettings): NonNullable<Engine['enabledCache']> {
    if (this.enabledCache?.settings !== s) {
      const rules = this.fileRules.filter((r) => s.isEnabled(r));
      const preds: ((rel: string) => boolean)[] = [];
      const index = new Map<(rel: string) => boolean, number>();
      const predOf = rules.map((r) => {
        let i = index.get(r.appliesTo);
        if (i === undefined) index.set(r.appliesTo, (i = preds.push(r.appliesTo) - 1));
        return i;
      });
      this.enabledCache = { settings: s, rules, preds, predOf, results: new Uint8Array(preds.length) };
    }
    return this.enabledCache;
  }

  /** The enabled file rules that apply to `rel`, in rule order (each distinct predicate asked once). */
  private applicableRules(s: ResolvedSettings, rel: string): FileRule[] {
    const { rules, preds, predOf, results } = this.enabledPlan(s);
    let any = false;
    for (let i = 0; i < preds.length; i++) {
      const yes = preds[i](rel);
      results[i] = yes ? 1 : 0;
      any ||= yes;
    }
    if (!any) return [];
    const out: FileRule[] = [];
    for (let j = 0; j < rules.length; j++) if (results[predOf[j]]) out.push(rules[j]);
    return out;
  }

  /** Files that at least one enabled file rule reads. */
  relevantFiles(): string[] {
    const out: string[] = [];
    for (const rel of this.ws.paths()) if (this.isRelevant(rel)) out.push(rel);
    return out.sort();
  }

  /** Whether some enabled file rule checks this (listed) path. Cheap: asked per changed path on every edit. */
  isRelevant(rel: string): boolean {
    const s = this.settings;
    if (s.isRunArtefact(rel) || s.isExcluded(rel)) return false;
    return this.enabledPlan(s).preds.some((p) => p(rel));
  }

  /** Runs everything. Returns all findings, sorted. */
  /**
   * Findings computed outside the check pass (the DVC stage status, which hashes data): replaces those of `key`. They go
   * through the same settings (select, ignore, severity) and suppression comments as the rules' findings, are kept by
   * `checkAll` and never re-run by the engine (their owner recomputes them). Returns the files to republish.
   */
  setBackgroundReports(key: string, reports: { rule: Rule; report: Report }[]): Set<string> {
    const id = BACKGROUND_UNIT + key;
    const touched = new Set<string>();
    for (const f of this.units.get(id)?.findings ?? []) touched.add(f.file);
    for (const x of this.units.get(id)?.suppressed ?? []) touched.add(x.finding.file);
    this.background.set(key, reports);
    this.units.set(id, { ...this.toFindings(reports, undefined), deps: new Recorder() });
    this.unusedCache = undefined;
    for (const f of this.units.get(id)!.findings) touched.add(f.file);
    for (const x of this.units.get(id)!.suppressed) touched.add(x.finding.file);
    return touched;
  }

  private readonly background = new Map<string, { rule: Rule; report: Report }[]>();

  checkAll(): Finding[] {
    this.units.clear();
    this.unusedCache = undefined;
    this.pending.clear();
    this.memos.clear();
    this.memoDeps.clear();
    this.settingsCache = undefined;
    // which rules apply to each file is asked once (not once to know the file is relevant and again to run them)
    const s = this.settings;
    const work: [string, FileRule[]][] = [];
    for (const rel of this.ws.paths()) {
      if (s.isRunArtefact(rel) || s.isExcluded(rel)) continue;
      const rules = this.applicableRules(s, rel);
      if (rules.length) work.push([rel, rules]);
    }
    work.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [rel, rules] of work) this.runFileUnit(rel, rules);
    this.runRepoUnit();
    // background findings are kept (settings may have changed: they are filtered again)
    for (const [key, reports] of this.background) this.units.set(BACKGROUND_UNIT + key, { ...this.toFindings(reports, undefined), deps: new Recorder() });
    return this.allFindings();
  }

  allFindings(): Finding[] {
    return [...[...this.units.values()].flatMap((u) => u.findings), ...this.unusedSuppressions()].sort(compareFindings);
  }

  /** Findings attached to one file, from every unit. */
  findingsFor(file: string): Finding[] {
    const out: Finding[] = [];
    for (const u of this.units.values()) for (const f of u.findings) if (f.file === file) out.push(f);
    for (const f of this.unusedSuppressions()) if (f.file === file) out.push(f);
    return out.sort(compareFindings);
  }

  /** Files that currently have findings. */
  filesWithFindings(): Set<string> {
    const s = new Set<string>();
    for (const u of this.units.values()) for (const f of u.findings) s.add(f.file);
    for (const f of this.unusedSuppressions()) s.add(f.file);
    return s;
  }

  /** MLH005 of the current units (computed again after any unit ran). */
  private unusedCache?: Finding[];

  /**
   * MLH005: the codes of suppression comments (in the files the file rules check) that name no rule, or suppressed no
   * finding of any unit. Only codes whose rules all ran are judged: a code switched off by select, ignore,
   * per-file-ignores or severity 'off' may well have something to suppress when it is switched on again.
   */
  private unusedSuppressions(): Finding[] {
    if (this.unusedCache) return this.unusedCache;
    const s = this.settings;
    const rule = coreRule(CORE.unusedSuppression);
    const out: Finding[] = [];
    if (s.isEnabled(rule)) {
      const used = new Set<string>();
      for (const u of this.units.values()) for (const x of u.suppressed) used.add(x.key);
      for (const [id, u] of this.units) {
        if (!u.suppressions) continue;
        const file = id.slice('file:'.length);
        // documentation shows the syntax rather than using it
        if (/\.(md|markdown|rst)$/i.test(file) || s.isExcluded(file) || s.isIgnoredIn(file, rule.code)) continue;
        const ran = (matching: readonly Rule[]): boolean => {
          const enabled = new Set(matching.filter((r) => s.isEnabled(r) && !s.isIgnoredIn(file, r.code)));
          return enabled.size > 0 && matching.every((r) => r.optIn || enabled.has(r));
        };
        const where = (sup: Suppression): string => (sup.fileLevel ? 'in this file' : 'on this line or the next');
        const push = (range: Range, message: string): void => {
          // `ignore[MLH005]` on the line (or for the file) keeps it quiet, like any other code
          const quiet = u.suppressions!.some(
            (o) => (o.fileLevel || o.line === range.start.line || o.line + 1 === range.start.line) && o.codes?.some((c) => rule.code.startsWith(c.code)),
          );
          if (!quiet) out.push({ code: rule.code, severity: s.severityOf(rule), message, file, range });
        };
        for (const sup of u.suppressions) {
          if (!sup.codes) {
            if (!used.has(suppressionKey(file, sup, -1)) && ran(this.rules))
              push(sup.range, `this suppression comment suppresses nothing: no finding ${where(sup)}`);
            continue;
          }
          if (!sup.codes.length) push(sup.range, 'this suppression comment names no code: write the codes, e.g. ignore[GIT001], or nothing for every code');
          sup.codes.forEach((c, i) => {
            if (rule.code.startsWith(c.code)) return;
            const matching = this.rules.filter((r) => c.code === 'ALL' || r.code.startsWith(c.code));
            if (!matching.length) push(c.range, `'${c.code}' in this suppression comment matches no rule (see \`mlops-hygiene rules\`)`);
            else if (!used.has(suppressionKey(file, sup, i)) && ran(matching))
              push(c.range, `'${c.code}' in this suppression comment suppresses nothing: no ${c.code} finding ${where(sup)}`);
          });
        }
      }
    }
    this.unusedCache = out;
    return out;
  }

  /**
   * Re-runs what depends on the given paths, all of it, now (the CLI and tests). See `invalidate` for the arguments.
   * Returns the files whose findings may have changed (to republish).
   */
  update(changed: string[], listingChanged = false, source: 'edit' | 'disk' = 'disk'): Set<string> {
    const touched = this.invalidate(changed, listingChanged, source);
    for (const f of this.runPending().touched) touched.add(f);
    return touched;
  }

  /** Units that must run again (their inputs changed) but have not yet. */
  private readonly pending = new Set<string>();

  /** Whether units are waiting to run again (the language server runs them in slices, between requests). */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Marks what depends on the given paths as pending, without running it. `listingChanged` when files were created or
   * deleted (or git's index moved), so units that enumerate files run again too. `source` says where the change comes
   * from: an unsaved `edit` in the editor changes only contents, so units that merely looked at whether the path exists
   * (or at its size) are left alone; a `disk` event may change both. A change of pyproject.toml (the configuration)
   * re-checks everything at once. Returns files whose findings changed already (to republish).
   */
  invalidate(changed: string[], listingChanged = false, source: 'edit' | 'disk' = 'disk'): Set<string> {
    if (!this.incremental) throw new Error('this engine was created with incremental: false: it cannot re-run what changed (check again with a new one)');
    const touched = new Set<string>(changed);
    if (changed.some((p) => (CONFIG_FILES as readonly string[]).includes(p))) {
      // configuration changed: everything may differ
      const before = this.filesWithFindings();
      this.pending.clear();
      this.checkAll();
      for (const f of this.filesWithFindings()) before.add(f);
      for (const f of before) touched.add(f);
      return touched;
    }
    this.memos.clear();
    // what git ignores decides what is listed: a .gitignore edit changes the listing as rules see it
    if (changed.some((p) => p === '.gitignore' || p.endsWith('/.gitignore'))) listingChanged = true;
    const memoDirty = new Map<string, boolean>();
    const dirty = (r: Recorder): boolean =>
      (listingChanged && r.listing) || changed.some((p) => r.reads.has(p) || (source === 'disk' && r.stats.has(p))) || [...r.memos].some(isMemoDirty);
    const isMemoDirty = (key: string): boolean => {
      const known = memoDirty.get(key);
      if (known !== undefined) return known;
      memoDirty.set(key, false); // a cycle adds nothing
      const deps = this.memoDeps.get(key);
      const d = deps ? dirty(deps) : true;
      memoDirty.set(key, d);
      return d;
    };
    for (const [id, u] of this.units) if (!this.pending.has(id) && !id.startsWith(BACKGROUND_UNIT) && dirty(u.deps)) this.pending.add(id);
    // only the changed paths are asked whether they are relevant: a keystroke never scans the whole listing
    for (const p of changed) if (this.isRelevantNow(p) || this.units.has(`file:${p}`)) this.pending.add(`file:${p}`);
    return touched;
  }

  /**
   * Runs pending units: those of `first` (file paths) before any other; with `onlyFirst`, nothing else; with a
   * `budgetMs`, stops after the unit that exceeds it. `done` says whether nothing is pending any more.
   */
  runPending(opts: { first?: string[]; onlyFirst?: boolean; budgetMs?: number } = {}): { touched: Set<string>; done: boolean } {
    const touched = new Set<string>();
    const start = Date.now();
    const firstIds = (opts.first ?? []).map((p) => `file:${p}`).filter((id) => this.pending.has(id));
    const order = opts.onlyFirst ? firstIds : [...firstIds, ...[...this.pending].filter((id) => !firstIds.includes(id))];
    // the files a unit's findings (or the findings it suppressed: their suppression may become unused) are on
    const filesOf = (id: string): void => {
      const u = this.units.get(id);
      for (const f of u?.findings ?? []) touched.add(f.file);
      for (const x of u?.suppressed ?? []) touched.add(x.finding.file);
      if (id !== REPO_UNIT) touched.add(id.slice('file:'.length));
    };
    for (const id of order) {
      if (!this.pending.delete(id)) continue;
      filesOf(id);
      if (id === REPO_UNIT) this.runRepoUnit();
      else {
        const rel = id.slice('file:'.length);
        if (this.isRelevantNow(rel) && this.ws.exists(rel)) this.runFileUnit(rel);
        else {
          this.units.delete(id);
          this.unusedCache = undefined;
        }
      }
      filesOf(id);
      if (opts.budgetMs !== undefined && Date.now() - start >= opts.budgetMs) break;
    }
    return { touched, done: this.pending.size === 0 };
  }

  /** Listed and checked by some enabled file rule. */
  private isRelevantNow(rel: string): boolean {
    return this.ws.has(rel) && this.isRelevant(rel);
  }

  // ---------------------------------------------------------------- units

  private runFileUnit(rel: string, applicable?: FileRule[]): void {
    const rec = this.incremental ? new Recorder() : undefined;
    const reports: { rule: Rule; report: Report }[] = [];
    const s = this.settings;
    let yamlDone = false;
    let yamlDoc: YamlDocument | undefined;
    let tomlDone = false;
    let tomlDoc: TomlDocument | undefined;
    const readProblem = { reported: false };
    const ws = this.ws;
    let suppressions: Suppression[] = [];
    const reportUnreadable = (detail: string): void => {
      if (readProblem.reported) return;
      readProblem.reported = true;
      reports.push({ rule: coreRule(CORE.unreadable), report: { message: `${rel} was not analysed: ${detail}`, range: ZERO_RANGE } });
    };
    // every way a rule reads its file says the same about a file that is not clean UTF-8 text (once per unit)
    const checked = <R extends ReadResult>(r: R): R => {
      if (!r.ok) {
        if (r.reason !== 'missing') reportUnreadable(r.detail);
      } else if (r.replaced && !readProblem.reported) {
        readProblem.reported = true;
        const at = new TextIndex(r.text).positionAt(r.replaced.offset);
        reports.push({
          rule: coreRule(CORE.unreadable),
          report: {
            message: `${rel} is not valid UTF-8: its invalid bytes (the first at line ${at.line + 1}) were read as replacement characters (U+FFFD) and analysed so`,
            severity: 'info',
            range: { start: at, end: { line: at.line, character: at.character + 1 } },
          },
        });
      }
      return r;
    };
    // one context for all the rules of the unit (a context per rule and file was a third of what a check allocated);
    // `report` attributes to the rule that runs
    let current: Rule | undefined;
    const ctx: FileContext = {
      ws,
      settings: s,
      report: (r) => {
        reports.push({ rule: current!, report: r });
      },
      memo: <T>(key: string, compute: () => T): T => this.memo(key, compute),
      option: <T>(name: string, fallback: T): T => this.option(name, fallback),
      file: rel,
      text: () => checked(ws.readText(rel)),
      yaml: () => {
        if (!yamlDone) {
          yamlDone = true;
          checked(ws.readText(rel));
          const y = ws.yaml(rel);
          if (y instanceof YamlDocument) {
            for (const p of y.problems.filter((x) => x.kind === 'error').slice(0, 20)) {
              reports.push({ rule: coreRule(CORE.yamlSyntax), report: { message: `YAML syntax error: ${p.message}`, range: p.range } });
            }
            yamlDoc = y.hasErrors ? undefined : y;
          }
        }
        return yamlDoc;
      },
      toml: () => {
        if (!tomlDone) {
          tomlDone = true;
          checked(ws.readText(rel));
          const t = ws.toml(rel);
          if (t instanceof TomlDocument) {
            if (t.error && rel !== 'pyproject.toml')
              reports.push({ rule: coreRule(CORE.tomlSyntax), report: { message: `TOML syntax error: ${t.error.message}`, range: t.error.range } });
            tomlDoc = t.value ? t : undefined;
          }
        }
        return tomlDoc;
      },
    };
    this.ws.withTracker(rec, () => {
      for (const rule of applicable ?? this.applicableRules(s, rel)) {
        current = rule;
        this.runRule(rule, ctx, reports, rel);
      }
      // read under the tracker: editing a suppression comment re-runs the unit
      const text = ws.readText(rel);
      suppressions = text.ok ? parseSuppressions(text.text) : [];
    });
    this.units.set(`file:${rel}`, { ...this.toFindings(reports, rel), deps: rec ?? NO_DEPS, ...(suppressions.length ? { suppressions } : {}) });
    this.unusedCache = undefined;
  }

  private runRepoUnit(): void {
    const rec = this.incremental ? new Recorder() : undefined;
    const reports: { rule: Rule; report: Report }[] = [];
    const s = this.settings;
    this.ws.withTracker(rec, () => {
      for (const problem of s.problems) {
        const file = problem.file ?? this.configFile ?? 'pyproject.toml';
        reports.push({ rule: coreRule(problem.syntax ? CORE.tomlSyntax : CORE.badConfig), report: { message: problem.message, file, range: problem.range } });
      }
      for (const { file, skipped } of this.ws.unusableIgnorePatterns()) {
        for (const p of skipped) {
          const shown = p.pattern.length > 60 ? `${p.pattern.slice(0, 40)}... (${p.pattern.length} characters)` : p.pattern;
          const range = { start: { line: p.line, character: 0 }, end: { line: p.line, character: p.pattern.length } };
          reports.push({
            rule: coreRule(CORE.ignorePatternSkipped),
            report: { message: `the pattern \`${shown}\` is skipped: ${p.message}; git still applies it, this tool cannot`, file, range },
          });
        }
      }
      if (this.ws.gitFailure && s.isEnabled(CORE.gitListingFailed)) {
        const anchor = this.anchor([]);
        const message = `git could not list the files (${this.ws.gitFailure}): the folder was listed by walking it and applying the .gitignore files instead, so what git tracks is unknown; repair the repository (\`git status\` shows the same error)`;
        if (anchor) reports.push({ rule: coreRule(CORE.gitListingFailed), report: { message, ...anchor } });
      }
      for (const rule of this.repoRules) {
        if (!s.isEnabled(rule)) continue;
        const ctx: RepoContext = { ...this.baseContext(rule, reports, undefined), anchor: (...preferred) => this.anchor(preferred) };
        this.runRule(rule, ctx, reports, undefined);
      }
    });
    if (rec) {
      for (const f of CONFIG_FILES) rec.reads.add(f);
      rec.listing = true;
    }
    this.units.set(REPO_UNIT, { ...this.toFindings(reports, undefined), deps: rec ?? NO_DEPS });
    this.unusedCache = undefined;
  }

  /**
   * Time spent in each rule (with `timing: true`; the CLI's MLOPS_HYGIENE_TIMING=1, as ESLint's TIMING=1): a memoised
   * value shared by several rules counts for the first that asks, and a file's first read for the first rule to read it.
   */
  readonly timings?: Map<string, { ms: number; calls: number }>;

  private runRule(rule: Rule, ctx: FileContext | RepoContext, reports: { rule: Rule; report: Report }[], file: string | undefined): void {
    const t0 = this.timings ? performance.now() : 0;
    try {
      (rule.check as (c: typeof ctx) => void)(ctx);
    } catch (e) {
      // A rule's bug must not take the other rules down, nor hide itself.
      const anchor = file ? { file, range: ZERO_RANGE } : this.anchor([]);
      if (anchor) {
        reports.push({
          rule: coreRule(CORE.internal),
          report: { message: `rule ${rule.code} (${rule.name}) failed${file ? ` on ${file}` : ''}: ${(e as Error)?.message ?? String(e)}`, ...anchor },
        });
      }
    } finally {
      if (this.timings) {
        const t = this.timings.get(rule.code) ?? { ms: 0, calls: 0 };
        t.ms += performance.now() - t0;
        t.calls++;
        this.timings.set(rule.code, t);
      }
    }
  }

  private baseContext(rule: Rule, reports: { rule: Rule; report: Report }[], file: string | undefined): ContextBase {
    return {
      ws: this.ws,
      settings: this.settings,
      report: (r) => {
        if (!r.file && !file) throw new Error(`repository rule ${rule.code} reported without a file`);
        reports.push({ rule, report: r });
      },
      memo: <T>(key: string, compute: () => T): T => this.memo(key, compute),
      option: <T>(name: string, fallback: T): T => this.option(name, fallback),
    };
  }

  private option<T>(name: string, fallback: T): T {
    const v = this.settings.options[name];
    return v === undefined || typeof v !== typeof fallback ? fallback : (v as T);
  }

  private memo<T>(key: string, compute: () => T): T {
    const outer = this.ws.currentTracker;
    if (!this.memos.has(key)) {
      // A failure is kept like a value: every rule asking for the memo gets the same error (its MLH000), and a
      // memo that throws is not recomputed by each of them (that made time grow with the number of dvc.yaml files).
      const rec = this.incremental ? new Recorder() : undefined;
      let value: unknown;
      try {
        value = this.ws.withTracker(rec, compute);
      } catch (e) {
        value = new MemoFailure(e);
      }
      this.memos.set(key, value);
      if (rec) this.memoDeps.set(key, rec);
    }
    if (outer) this.reportMemo(outer, key);
    const value = this.memos.get(key);
    if (value instanceof MemoFailure) throw value.error;
    return value as T;
  }

  /** Tells a tracker that a memo was used: by key when it can take that, else by replaying what the memo used. */
  private reportMemo(tracker: ReadTracker, key: string, seen?: Set<string>): void {
    if (tracker.usedMemo) return tracker.usedMemo(key);
    seen ??= new Set<string>(); // not a default parameter: that made a Set for every memo use of a unit
    if (seen.has(key)) return;
    seen.add(key);
    const deps = this.memoDeps.get(key);
    if (!deps) return;
    for (const r of deps.reads) tracker.read(r);
    for (const r of deps.stats) tracker.stat(r);
    if (deps.listing) tracker.listed();
    for (const k of deps.memos) this.reportMemo(tracker, k, seen);
  }

  private toFindings(reports: { rule: Rule; report: Report }[], file: string | undefined): { findings: Finding[]; suppressed: Suppressed[] } {
    const s = this.settings;
    const findings: Finding[] = [];
    for (const { rule, report } of reports) {
      if (!s.isEnabled(rule)) continue;
      const target = report.file ?? file!;
      if (s.isExcluded(target) || s.isIgnoredIn(target, rule.code)) continue;
      // Every message leaves the engine here: what it quotes of the user's files (a `cmd`, a param value, a YAML line)
      // goes through the secret detector, so no output (text, JSON, SARIF, diagnostics, hover) prints a key whole.
      findings.push({
        code: rule.code,
        severity: s.severityOf(rule, report.severity),
        message: redactSecrets(report.message),
        file: target,
        range: report.range ?? ZERO_RANGE,
        ...(report.fixes?.length ? { fixes: report.fixes.map((f) => ({ ...f, title: redactSecrets(f.title) })) } : {}),
        ...(report.related?.length ? { related: report.related.map((r) => ({ ...r, message: redactSecrets(r.message) })) } : {}),
      });
    }
    const { kept, suppressed } = applySuppressions(this.ws, findings);
    return { findings: kept, suppressed };
  }

  /** See RepoContext.anchor. */
  anchor(preferred: string[]): { file: string; range: Range } | undefined {
    for (const p of [...preferred, ...PROJECT_ANCHORS]) {
      if (this.ws.has(p) || (this.ws.exists(p) && !this.ws.isDirectory(p))) return { file: p, range: ZERO_RANGE };
    }
    // no usual project file: the shallowest listed file, so the finding is still visible somewhere sensible
    const first = [...this.ws.paths()].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))[0];
    return first ? { file: first, range: ZERO_RANGE } : undefined;
  }
}

/** The dependencies of every unit of an engine that does not record them (`incremental: false`). */
const NO_DEPS: Recorder = Object.freeze(new Recorder()) as Recorder;

/** A memo whose computation threw: kept for the pass so that it is thrown again, not recomputed. */
class MemoFailure {
  constructor(readonly error: unknown) {}
}
