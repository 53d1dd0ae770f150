import ignore, { type Ignore } from 'ignore';
import type { Rule } from './rule';
import { SEVERITIES, type Range, type Severity } from './types';
import type { TomlDocument } from './text/tomlDocument';

/** What a user can configure, from `[tool.mlops-hygiene]` in pyproject.toml, editor settings or CLI flags. */
export interface SettingsInput {
  /** Codes or prefixes to report (empty: all rules that are not opt-in). */
  select?: string[];
  /** Codes or prefixes never to report. */
  ignore?: string[];
  /** Per-code severity, or 'off'. */
  severity?: Record<string, Severity | 'off'>;
  /** gitignore-style patterns of paths not to check. */
  exclude?: string[];
  /** Free-form rule options (other keys of the table). */
  options?: Record<string, unknown>;
}

export interface SettingsProblem {
  message: string;
  range: Range;
  /** The file cannot be parsed at all (reported as a syntax error rather than a configuration mistake). */
  syntax?: boolean;
}

const KNOWN_KEYS = new Set(['select', 'ignore', 'extend-ignore', 'severity', 'exclude']);

/** Files of run artefacts hold copies of configs: they are never checked as the project's own files. */
export const RUN_FOLDER_PATTERNS = ['outputs/', 'multirun/', 'wandb/', 'mlruns/', 'lightning_logs/', '.hydra/', '.dvc/cache/', '.dvc/tmp/', 'node_modules/', '.venv/', 'venv/'];

export class ResolvedSettings {
  readonly select: string[];
  readonly ignore: string[];
  readonly severity: Record<string, Severity | 'off'>;
  readonly options: Record<string, unknown>;
  private readonly excluder: Ignore;
  private readonly runFolders: Ignore;

  constructor(layers: SettingsInput[], readonly problems: SettingsProblem[] = []) {
    // Later layers win for select; ignore and exclude accumulate.
    this.select = layers.reduce<string[]>((acc, l) => (l.select && l.select.length ? l.select : acc), []);
    this.ignore = layers.flatMap((l) => l.ignore ?? []);
    this.severity = Object.assign({}, ...layers.map((l) => l.severity ?? {}));
    this.options = Object.assign({}, ...layers.map((l) => l.options ?? {}));
    this.excluder = ignore().add(layers.flatMap((l) => l.exclude ?? []));
    this.runFolders = ignore().add(RUN_FOLDER_PATTERNS);
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
    return rel !== '' && this.excluder.ignores(rel);
  }

  /** Inside a run-artefact folder (a copy of a config, not the project's own file). */
  isRunArtefact(rel: string): boolean {
    return rel !== '' && this.runFolders.ignores(rel);
  }
}

/**
 * Reads `[tool.mlops-hygiene]` from a parsed pyproject.toml. Every mistake becomes a problem with a position, never an
 * exception: a typo in the configuration must not switch the tool off silently.
 */
export function settingsFromPyproject(doc: TomlDocument, knownCodes: Set<string>): { input: SettingsInput; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const table = doc.get(['tool', 'mlops-hygiene']);
  const input: SettingsInput = {};
  if (table === undefined) return { input, problems };
  const where = (key?: string): Range =>
    (key && doc.keyRange('tool.mlops-hygiene', key)) || doc.tableRange('tool.mlops-hygiene') || doc.index.lineRange(0);
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    problems.push({ message: '[tool.mlops-hygiene] must be a table', range: where() });
    return { input, problems };
  }
  const t = table as Record<string, unknown>;
  const codeList = (key: string): string[] | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push({ message: `'${key}' must be a list of rule codes or prefixes, like ["GIT", "DVC003"]`, range: where(key) });
      return undefined;
    }
    for (const code of v as string[]) {
      if (code !== 'ALL' && ![...knownCodes].some((k) => k.startsWith(code))) {
        problems.push({ message: `'${key}' names '${code}', which matches no rule (see \`mlops-hygiene rules\`)`, range: where(key) });
      }
    }
    return v as string[];
  };
  input.select = codeList('select');
  input.ignore = [...(codeList('ignore') ?? []), ...(codeList('extend-ignore') ?? [])];
  if (t.exclude !== undefined) {
    if (Array.isArray(t.exclude) && t.exclude.every((x) => typeof x === 'string')) input.exclude = t.exclude as string[];
    else problems.push({ message: "'exclude' must be a list of gitignore-style path patterns", range: where('exclude') });
  }
  if (t.severity !== undefined) {
    if (typeof t.severity === 'object' && t.severity !== null && !Array.isArray(t.severity)) {
      input.severity = {};
      const at = (code: string): Range => doc.keyRange('tool.mlops-hygiene.severity', code) ?? where('severity');
      for (const [code, sev] of Object.entries(t.severity as Record<string, unknown>)) {
        if (!knownCodes.has(code)) problems.push({ message: `severity for unknown rule '${code}'`, range: at(code) });
        else if (typeof sev === 'string' && ([...SEVERITIES, 'off'] as string[]).includes(sev)) input.severity[code] = sev as Severity | 'off';
        else problems.push({ message: `severity of ${code} must be one of error, warning, info, hint, off`, range: at(code) });
      }
    } else problems.push({ message: "'severity' must be a table like { GIT001 = \"error\" }", range: where('severity') });
  }
  input.options = Object.fromEntries(Object.entries(t).filter(([k]) => !KNOWN_KEYS.has(k)));
  return { input, problems };
}
