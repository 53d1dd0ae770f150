import ignore, { type Ignore } from 'ignore';
import type { Rule } from './rule';
import { SEVERITIES, type Range, type Severity } from './types';
import type { TomlDocument } from './text/tomlDocument';
import { COPY_DIR_PATTERNS } from './workspace';

/** What a user can configure, from `[tool.mlops-hygiene]` in pyproject.toml, editor settings or CLI flags. */
export interface SettingsInput {
  /** Codes or prefixes to report (empty: all rules that are not opt-in). */
  select?: string[];
  /** Codes or prefixes never to report. */
  ignore?: string[];
  /** Per-code severity, or 'off'. */
  severity?: Record<string, Severity | 'off'>;
  /** gitignore-style patterns of paths not to check (`exclude` and `extend-exclude` of the configuration). */
  exclude?: string[];
  /** gitignore-style pattern -> codes or prefixes not reported on the files it matches (Ruff's per-file-ignores). */
  perFileIgnores?: Record<string, string[]>;
  /** Free-form rule options (other keys of the table). */
  options?: Record<string, unknown>;
}

export interface SettingsProblem {
  message: string;
  /** The configuration file (workspace-relative), when not the one the settings were read from. */
  file?: string;
  range: Range;
  /** The file cannot be parsed at all (reported as a syntax error rather than a configuration mistake). */
  syntax?: boolean;
}

const KNOWN_KEYS = new Set(['select', 'ignore', 'extend-ignore', 'severity', 'exclude', 'extend-exclude', 'per-file-ignores']);

/** The project's configuration files, in the order they are looked for: the first that has settings is used (as Ruff
 * prefers ruff.toml over pyproject.toml). `mlops-hygiene.toml` holds the keys of `[tool.mlops-hygiene]` at its top level. */
export const CONFIG_FILES = ['mlops-hygiene.toml', 'pyproject.toml'] as const;

/** The table of the settings in a configuration file: `[tool.mlops-hygiene]` in pyproject.toml, the whole file otherwise. */
export function settingsTable(file: string): string[] {
  return file === 'pyproject.toml' || file.endsWith('/pyproject.toml') ? ['tool', 'mlops-hygiene'] : [];
}

/**
 * Files of run artefacts hold copies of configs: they are never checked as the project's own files. Which files those
 * are is the workspace's answer (`Workspace.isRunArtefact`: run folders by their markers, `.hydra/`, caches,
 * environments); without a workspace (a bare ResolvedSettings in a test), only the name patterns of COPY_DIR_PATTERNS.
 */
export type RunArtefactTest = (rel: string) => boolean;

export class ResolvedSettings {
  readonly select: string[];
  readonly ignore: string[];
  readonly severity: Record<string, Severity | 'off'>;
  readonly options: Record<string, unknown>;
  private readonly excluder: Ignore;
  /** Whether any exclude pattern is set (asked for every path: the matcher is skipped when none is). */
  private readonly excludes: boolean;
  private readonly runArtefact: RunArtefactTest;
  private readonly perFile: { matcher: Ignore; codes: string[] }[];

  constructor(
    layers: SettingsInput[],
    readonly problems: SettingsProblem[] = [],
    runArtefact?: RunArtefactTest,
  ) {
    // Later layers win for select; ignore and exclude accumulate.
    this.select = layers.reduce<string[]>((acc, l) => (l.select && l.select.length ? l.select : acc), []);
    this.ignore = layers.flatMap((l) => l.ignore ?? []);
    this.severity = Object.assign({}, ...layers.map((l) => l.severity ?? {}));
    this.options = Object.assign({}, ...layers.map((l) => l.options ?? {}));
    const exclude = layers.flatMap((l) => l.exclude ?? []);
    this.excluder = ignore().add(exclude);
    this.excludes = exclude.length > 0;
    const copies = ignore().add(COPY_DIR_PATTERNS);
    this.runArtefact = runArtefact ?? ((rel) => copies.ignores(rel));
    this.perFile = layers.flatMap((l) => Object.entries(l.perFileIgnores ?? {}).map(([glob, codes]) => ({ matcher: ignore().add(glob), codes })));
  }

  /** The code is not reported on this file (`per-file-ignores`). */
  isIgnoredIn(rel: string, code: string): boolean {
    return rel !== '' && this.perFile.some((p) => p.codes.some((c) => c === 'ALL' || code.startsWith(c)) && p.matcher.ignores(rel));
  }

  isEnabled(rule: Rule): boolean {
    if (this.severity[rule.code] === 'off') return false;
    if (this.ignore.some((p) => rule.code.startsWith(p))) return false;
    if (this.select.length) return this.select.some((p) => rule.code.startsWith(p) || p === 'ALL');
    return !rule.optIn;
  }

  severityOf(rule: Rule, reported?: Severity): Severity {
    const s = this.severity[rule.code];
    if (s && s !== 'off') return s;
    return reported ?? rule.severity;
  }

  /** Excluded by the user's `exclude` patterns. */
  isExcluded(rel: string): boolean {
    return rel !== '' && this.excludes && this.excluder.ignores(rel);
  }

  /** Inside a run-artefact folder (a copy of a config, not the project's own file). */
  isRunArtefact(rel: string): boolean {
    return rel !== '' && this.runArtefact(rel);
  }
}

/**
 * Reads the settings of a configuration file: `[tool.mlops-hygiene]` of a pyproject.toml (`table` ['tool',
 * 'mlops-hygiene']) or the top level of a mlops-hygiene.toml (`table` []). Every mistake becomes a problem with a
 * position, never an exception: a typo in the configuration must not switch the tool off silently.
 */
export function settingsFromToml(doc: TomlDocument, knownCodes: Set<string>, tablePath: string[]): { input: SettingsInput; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const tableName = tablePath.join('.');
  const label = tableName ? `[${tableName}]` : 'the configuration';
  const table = tablePath.length ? doc.get(tablePath) : doc.value;
  const input: SettingsInput = {};
  if (table === undefined) return { input, problems };
  const where = (key?: string): Range => (key && doc.keyRange(tableName, key)) || (tableName && doc.tableRange(tableName)) || doc.index.lineRange(0);
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    problems.push({ message: `${label} must be a table`, range: where() });
    return { input, problems };
  }
  const t = table as Record<string, unknown>;
  const isCodes = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const checkCodes = (codes: string[], key: string, range: Range): void => {
    for (const code of codes) {
      if (code !== 'ALL' && ![...knownCodes].some((k) => k.startsWith(code))) {
        problems.push({ message: `'${key}' names '${code}', which matches no rule (see \`mlops-hygiene rules\`)`, range });
      }
    }
  };
  const codeList = (key: string): string[] | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!isCodes(v)) {
      problems.push({ message: `'${key}' must be a list of rule codes or prefixes, like ["GIT", "DVC003"]`, range: where(key) });
      return undefined;
    }
    checkCodes(v, key, where(key));
    return v;
  };
  const patterns = (key: string): string[] => {
    const v = t[key];
    if (v === undefined) return [];
    if (isCodes(v)) return v;
    problems.push({ message: `'${key}' must be a list of gitignore-style path patterns`, range: where(key) });
    return [];
  };
  input.select = codeList('select');
  input.ignore = [...(codeList('ignore') ?? []), ...(codeList('extend-ignore') ?? [])];
  const exclude = [...patterns('exclude'), ...patterns('extend-exclude')];
  if (exclude.length) input.exclude = exclude;
  const pfi = t['per-file-ignores'];
  if (pfi !== undefined) {
    const sub = tableName ? `${tableName}.per-file-ignores` : 'per-file-ignores';
    if (typeof pfi === 'object' && pfi !== null && !Array.isArray(pfi)) {
      input.perFileIgnores = {};
      for (const [glob, codes] of Object.entries(pfi as Record<string, unknown>)) {
        const at = doc.keyRange(sub, glob) ?? where('per-file-ignores');
        if (!isCodes(codes)) problems.push({ message: `per-file-ignores of '${glob}' must be a list of rule codes or prefixes, like ["SEC002"]`, range: at });
        else {
          checkCodes(codes, 'per-file-ignores', at);
          input.perFileIgnores[glob] = codes;
        }
      }
    } else
      problems.push({
        message: `'per-file-ignores' must be a table of path patterns to codes, like { "tests/**" = ["SEC"] }`,
        range: where('per-file-ignores'),
      });
  }
  if (t.severity !== undefined) {
    if (typeof t.severity === 'object' && t.severity !== null && !Array.isArray(t.severity)) {
      input.severity = {};
      const at = (code: string): Range => doc.keyRange(tableName ? `${tableName}.severity` : 'severity', code) ?? where('severity');
      for (const [code, sev] of Object.entries(t.severity as Record<string, unknown>)) {
        if (!knownCodes.has(code)) problems.push({ message: `severity for unknown rule '${code}'`, range: at(code) });
        else if (typeof sev === 'string' && ([...SEVERITIES, 'off'] as string[]).includes(sev)) input.severity[code] = sev as Severity | 'off';
        else problems.push({ message: `severity of ${code} must be one of error, warning, info, hint, off`, range: at(code) });
      }
    } else problems.push({ message: '\'severity\' must be a table like { GIT001 = "error" }', range: where('severity') });
  }
  input.options = Object.fromEntries(Object.entries(t).filter(([k]) => !KNOWN_KEYS.has(k)));
  return { input, problems };
}

/** `[tool.mlops-hygiene]` of a parsed pyproject.toml. */
export function settingsFromPyproject(doc: TomlDocument, knownCodes: Set<string>): { input: SettingsInput; problems: SettingsProblem[] } {
  return settingsFromToml(doc, knownCodes, ['tool', 'mlops-hygiene']);
}
