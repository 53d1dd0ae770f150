import { defineRepoRule, type Rule } from '../rule';

/**
 * Findings the engine itself makes (unreadable files, syntax errors, bad configuration, a failing rule). They are rules
 * like any other so that they have docs and can be configured; their check is done by the engine, not here.
 */
const engineMade = (): void => undefined;

export const CORE = {
  internal: defineRepoRule({
    code: 'MLH000',
    name: 'rule-failed',
    severity: 'warning',
    title: 'A rule failed',
    doc: {
      what: 'A rule raised an error while checking a file. The other rules still ran.',
      why: 'A silent failure would hide problems; this says which rule and which file, so it can be reported and fixed.',
      example: 'rule DVC001 (dvc-schema) failed on dvc.yaml: Cannot read properties of undefined',
      fix: 'Report it with the file that triggers it. Meanwhile the rule can be switched off with `ignore = ["DVC001"]`.',
    },
    check: engineMade,
  }),
  unreadable: defineRepoRule({
    code: 'MLH001',
    name: 'file-not-analysed',
    severity: 'info',
    title: 'File not analysed',
    doc: {
      what: 'A file that some rule would check could not be read as text: too large (over 5 MB), binary, a named pipe or device, a broken symbolic link, a link out of the workspace, or unreadable. A file that is not valid UTF-8 is analysed with its invalid bytes replaced (U+FFFD), and said so.',
      why: 'The file is skipped, with a reason, rather than crashing or hanging the analysis; you should know it was not checked.',
      example: '# params.yaml is 50 MB of generated data\n',
      fix: 'Keep configuration files small text files in UTF-8. Large data belongs in DVC or an ignored folder; exclude it with `exclude = ["path"]`.',
    },
    check: engineMade,
  }),
  yamlSyntax: defineRepoRule({
    code: 'MLH002',
    name: 'yaml-syntax-error',
    severity: 'error',
    title: 'YAML syntax error',
    doc: {
      what: 'The YAML file cannot be parsed. The error is placed where the parser stopped.',
      why: 'Every tool that reads the file (DVC, Hydra, W&B, GitHub) fails on it; other checks of this file are skipped.',
      example: 'stages:\n  train:\n    cmd: python train.py\n   deps: [data]   # wrong indentation\n',
      fix: 'Correct the indentation or quoting at the marked position.',
    },
    check: engineMade,
  }),
  tomlSyntax: defineRepoRule({
    code: 'MLH003',
    name: 'toml-syntax-error',
    severity: 'error',
    title: 'TOML syntax error',
    doc: {
      what: 'The TOML file (usually pyproject.toml) cannot be parsed.',
      why: 'pip, uv, pytest, ruff and this tool all read pyproject.toml; a syntax error breaks installs and silences configuration.',
      example: '[project]\nname = "demo\n',
      fix: 'Correct the syntax at the marked position.',
    },
    check: engineMade,
  }),
  badConfig: defineRepoRule({
    code: 'MLH004',
    name: 'invalid-configuration',
    severity: 'warning',
    title: 'Invalid [tool.mlops-hygiene] configuration',
    doc: {
      what: 'A key of `[tool.mlops-hygiene]` in pyproject.toml has a wrong type or names a rule that does not exist.',
      why: 'A typo in `ignore` or `severity` would otherwise silently do nothing.',
      example: '[tool.mlops-hygiene]\nignore = ["GTI001"]\n',
      fix: 'Use rule codes or prefixes that `mlops-hygiene rules` lists, and lists of strings where lists are expected.',
    },
    check: engineMade,
  }),
  unusedSuppression: defineRepoRule({
    code: 'MLH005',
    name: 'unused-suppression',
    severity: 'warning',
    title: 'Unused or unknown suppression comment',
    doc: {
      what: 'A `mlops-hygiene: ignore[...]` or `ignore-file[...]` comment names a code that matches no rule, or suppresses nothing: no finding of that code on its line or the next (in the whole file for `ignore-file`). Checked in the files the rules read (not in Markdown or reStructuredText, where the syntax is usually documented), and only for codes whose rules all ran: a code switched off by `select`, `ignore`, `per-file-ignores` or `severity = "off"` is never called unused.',
      why: 'A suppression outlives the problem it hid, or a typo (`GTI001`) silently suppresses nothing; either way it misleads the next reader, and a stale one may hide the next real finding on that line.',
      example: '# dvc.yaml\nstages:\n  train:  # mlops-hygiene: ignore[DCV003] -- a typo: no rule is called DCV003\n    cmd: python train.py\n',
      fix: 'Delete the comment (or the code from its list), or correct the code. `mlops-hygiene rules` lists the codes.',
    },
    check: engineMade,
  }),
  ignorePatternSkipped: defineRepoRule({
    code: 'MLH006',
    name: 'ignore-pattern-skipped',
    severity: 'warning',
    title: 'A .gitignore pattern this tool cannot apply',
    doc: {
      what: "A pattern of a .gitignore that this tool's matcher cannot compile (for example one line of 50,000 characters): it is skipped, the other patterns still apply.",
      why: 'git still applies the pattern, so without git (restricted mode, `--no-git`) files it ignores may be checked, and files it un-ignores may be missed. Such a line is almost always generated by mistake.',
      example: '# .gitignore\ndata/\naaaaaaaa...(50,000 characters)\n',
      fix: 'Replace the line by a short pattern (a folder, a `*` wildcard) or delete it.',
    },
    check: engineMade,
  }),
  gitListingFailed: defineRepoRule({
    code: 'MLH008',
    name: 'git-listing-failed',
    severity: 'warning',
    title: 'git could not list the files; the folder was walked instead',
    doc: {
      what: "The folder is inside a git repository, but `git ls-files` failed (a corrupt `.git/index`, a broken repository, a git that stopped answering). The files were listed by walking the folder and applying the .gitignore files instead. The message quotes git's error.",
      why: "Without git's index the tool cannot tell tracked files from untracked ones: the rules about what is committed (GIT, SEC001, DVC data) judge from the .gitignore files alone, and may miss or invent problems. git itself fails in the same way for commits, checkouts and CI.",
      example: '$ git status\nerror: bad signature 0x00000000\nfatal: index file corrupt',
      fix: 'Repair the repository: for a corrupt index, `rm .git/index && git reset` rebuilds it from HEAD (staged changes are lost; the working tree is kept). Then check again.',
    },
    check: engineMade,
  }),
} satisfies Record<string, Rule>;

export function coreRule(r: Rule): Rule {
  return r;
}

export const coreRules: Rule[] = Object.values(CORE);
