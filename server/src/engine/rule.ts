import type { Fix, Range, RelatedLocation, Severity } from './types';
import type { ReadResult, Workspace } from './workspace';
import type { YamlDocument } from './text/yamlDocument';
import type { TomlDocument } from './text/tomlDocument';
import type { ResolvedSettings } from './settings';

/** The rule's documentation, in ruff's shape: what, why, an example, the fix. Rendered by `rules`, hover and docs/. */
export interface RuleDoc {
  /** What it checks, one or two sentences. */
  what: string;
  /** Why it matters. */
  why: string;
  /** A small example that triggers it (file name in the first line comment when useful). */
  example: string;
  /** How to fix it (the example, fixed, or the steps). */
  fix: string;
  references?: string[];
}

/** What a rule says about one problem. The engine adds the code and the configured severity. */
export interface Report {
  message: string;
  /** Defaults to the file being checked (file rules); repo rules must say where. */
  file?: string;
  /** Defaults to the start of the file. Point at the exact node: never line 1 out of convenience. */
  range?: Range;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Overrides the rule's default severity for this report (before user configuration). */
  severity?: Severity;
}

interface RuleBase {
  /** Stable code: family letters + three digits, e.g. `GIT001`. Never reused once shipped. */
  code: string;
  /** Stable kebab-case name, e.g. `model-file-tracked`. */
  name: string;
  /** Default severity. */
  severity: Severity;
  /** Short title, a noun phrase: "Model file tracked by git". */
  title: string;
  doc: RuleDoc;
  /** Rules that are off unless selected (noisy in some projects). */
  optIn?: boolean;
}

export interface ContextBase {
  readonly ws: Workspace;
  readonly settings: ResolvedSettings;
  report(r: Report): void;
  /**
   * A value shared by all rules in one check pass (repo-review's fixtures): computed once, and the files it read are
   * recorded for every rule that uses it, so it is redone when they change.
   */
  memo<T>(key: string, compute: () => T): T;
  /** An option from `[tool.mlops-hygiene]`, e.g. `ctx.option('large-file-mb', 1)`. */
  option<T>(name: string, fallback: T): T;
}

export interface FileContext extends ContextBase {
  /** The workspace-relative path of the file being checked. */
  readonly file: string;
  text(): ReadResult;
  /** The file as YAML; undefined when it cannot be read or has syntax errors (the engine reports those once, itself). */
  yaml(): YamlDocument | undefined;
  /** The file as TOML; undefined when unreadable or invalid (reported by the engine). */
  toml(): TomlDocument | undefined;
}

export interface RepoContext extends ContextBase {
  /**
   * Where to attach a finding about the repository as a whole (a missing README, no tests): the first of `preferred`
   * that exists, else the project's manifest (pyproject.toml, README.md, setup.py, requirements.txt, .gitignore), at line 0.
   * Undefined only for an empty folder.
   */
  anchor(...preferred: string[]): { file: string; range: Range } | undefined;
}

export interface FileRule extends RuleBase {
  scope: 'file';
  /** Which files the rule reads (workspace-relative POSIX path). Files in run folders are never passed. */
  appliesTo(rel: string): boolean;
  check(ctx: FileContext): void;
}

export interface RepoRule extends RuleBase {
  scope: 'repo';
  check(ctx: RepoContext): void;
}

export type Rule = FileRule | RepoRule;

export function defineFileRule(rule: Omit<FileRule, 'scope'>): FileRule {
  return { ...rule, scope: 'file' };
}

export function defineRepoRule(rule: Omit<RepoRule, 'scope'>): RepoRule {
  return { ...rule, scope: 'repo' };
}

export const CODE_PATTERN = /^[A-Z]{2,4}\d{3}$/;
