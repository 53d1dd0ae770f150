/**
 * The analysis engine: a pure library that knows nothing of LSP. The language server and the CLI are thin layers over
 * this module; tests use it directly.
 */
export * from './types';
export * from './rule';
export { Engine, PROJECT_ANCHORS } from './engine';
export { Workspace, BULK_DIRS as BULK_DIR_NAMES, readTextFile, formatBytes, MAX_TEXT_BYTES, type ReadResult, type WorkspaceOptions } from './workspace';
export { CONFIG_FILES, ResolvedSettings, settingsFromToml, settingsTable, type SettingsInput } from './settings';
export { YamlDocument } from './text/yamlDocument';
export { TomlDocument } from './text/tomlDocument';
export { TextIndex } from './text/textIndex';
export { appendToGitignore, applyEdits, fixAllInFile, planFixes, safeFix, suggestionFix, type FixPlan } from './fixes';
export { ML_DEPENDENCIES, mlSignal, projectLayout, trainingCommand, type ProjectLayout } from './mlSignal';
export { commentStyleOf, ignoreInFileFix, ignoreOnLineFix, perFileIgnoreFix } from './suppressionFixes';
export { renderRuleHover } from './ruleDocs';
export { ALL_RULES, findRule, registryProblems } from './rules';
export { renderRuleDoc } from './ruleDocs';
export {
  FEATURES,
  hoverAt,
  definitionAt,
  completionAt,
  type EditorFeature,
  type FeatureContext,
  type HoverResult,
  type LocationResult,
  type CompletionResult,
} from './features';
export { DOCS_BASE_URL, ruleDocUrl } from './links';
export { findSecrets, redactSecrets, redact, type SecretMatch } from './secrets/detector';
