import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ALL_RULES,
  Engine,
  findRule,
  MAX_TEXT_BYTES,
  Workspace,
  compareFindings,
  planFixes,
  type Finding,
  type Rule,
  type SettingsInput,
} from '../../server/src/engine';
import { dataStatus } from '../../server/src/engine/dvc/data';
import { stageStatusReports } from '../../server/src/engine/rules/dvc/stageStatus';
import { TextIndex } from '../../server/src/engine/text/textIndex';
import { git, rmrf, writeTree } from './tmp';

/**
 * Per-rule tests in the style of typescript-eslint's RuleTester: `ruleCases(rule, { valid, invalid })` makes one mocha
 * test per case, named `<CODE> valid: <case>` / `<CODE> invalid: <case>`, so a regression names the rule and the case.
 * A case is a small project: files written into a temporary folder (a real git repository when `git` is set), run
 * through the whole engine (every rule, as the CLI does); only the findings of the rule under test are compared.
 */
export interface RuleCase {
  /** Says what the case is (the test's title after `valid:` / `invalid:`). */
  name: string;
  /** The project's files (path -> content). With `git`, these are committed (or those `git.commit` lists). */
  files?: Record<string, string | Buffer>;
  /**
   * A real git repository: `true` commits every file of `files`; `{ commit: [...] }` commits only those. Without it the
   * folder is no repository and the engine walks it (as with `--no-git`).
   */
  git?: boolean | { commit: string[] };
  /** Files written after the commit and never added (untracked, or ignored by a .gitignore). */
  untracked?: Record<string, string | Buffer>;
  /** A folder to start from instead of an empty one (test/support/dvc.ts's `dvcProject`); `files` are written over it. */
  project?: () => string;
  /** Anything else the case needs, run after the files are written (git commands, symbolic links, a corrupt index). */
  setup?: (root: string) => void | Promise<void>;
  /** The editor/CLI settings layer (pyproject.toml's `[tool.mlops-hygiene]` is read as well, from `files`). */
  settings?: SettingsInput;
  /** Also compute the DVC stage status (hashing the data) the way `check --dvc-status` does (DVC066). */
  dvcStatus?: boolean;
  /** Rules run besides ALL_RULES (a rule that throws, for MLH000). */
  extraRules?: Rule[];
}

/** One finding the rule under test must make. Fields left out are not compared. */
export interface ExpectedFinding {
  /** Workspace-relative path of the file the finding is on. */
  file: string;
  /** 1-based line of the range's start. */
  line?: number;
  /** 1-based column (UTF-16) of the range's start. */
  column?: number;
  /** The exact text the range covers (the YAML node, the key, the line). '' for a finding at 0:0. */
  text?: string;
  /** A substring of the message (or a pattern it matches). */
  message?: string | RegExp;
  severity?: Finding['severity'];
}

export interface InvalidCase extends RuleCase {
  /** Every finding of the rule, in the engine's order (file, position): no more, no fewer. */
  errors: ExpectedFinding[];
  /**
   * The files after applying the safe (preferred) fixes of the rule's findings as `check --fix` does (rounds until none
   * is left waiting): path -> expected text. Files not listed are not compared.
   */
  output?: Record<string, string>;
}

export interface RuleCases {
  valid: RuleCase[];
  invalid: InvalidCase[];
}

/** Which rules have cases of each kind (filled as the case files load; the registry test reads it). */
export const CASES_SEEN = new Map<string, { valid: number; invalid: number }>();

/** Rule codes that lack a valid or an invalid case, e.g. `GIT001 (no invalid case)`. */
export function rulesWithoutCases(rules: readonly Rule[] = ALL_RULES): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const seen = CASES_SEEN.get(r.code);
    const lacks = [!seen?.valid && 'valid', !seen?.invalid && 'invalid'].filter(Boolean);
    if (lacks.length) out.push(`${r.code} (no ${lacks.join(' and no ')} case)`);
  }
  return out;
}

let caseRoot: string | undefined;
let caseCounter = 0;
/** One temporary parent folder for every case of the run (each case gets a subfolder, removed after its test). */
function caseDir(): string {
  caseRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-cases-'));
  const dir = path.join(caseRoot, String(++caseCounter));
  fs.mkdirSync(dir);
  return dir;
}

async function makeProject(c: RuleCase): Promise<string> {
  let root: string;
  if (c.project) {
    root = c.project();
    writeTree(root, c.files ?? {});
  } else {
    root = caseDir();
    if (c.git) {
      git(root, 'init', '-q', '-b', 'main');
      git(root, 'config', 'commit.gpgsign', 'false');
    }
    writeTree(root, c.files ?? {});
    if (c.git) {
      const toAdd = c.git === true ? Object.keys(c.files ?? {}) : c.git.commit;
      if (toAdd.length) {
        git(root, 'add', '-f', '--', ...toAdd);
        git(root, 'commit', '-q', '-m', 'initial');
      }
    }
  }
  writeTree(root, c.untracked ?? {});
  await c.setup?.(root);
  return root;
}

/** Runs the engine on the case's project; returns all findings and the root (the caller removes it). */
async function run(rule: Rule, c: RuleCase): Promise<{ root: string; all: Finding[]; mine: Finding[] }> {
  const root = await makeProject(c);
  return { root, ...(await check(rule, c, root)) };
}

/** Runs the engine (and the stage status with `dvcStatus`) on the folder; the rule's own findings in engine order. */
async function check(rule: Rule, c: RuleCase, root: string): Promise<{ all: Finding[]; mine: Finding[] }> {
  const useGit = fs.existsSync(path.join(root, '.git'));
  const ws = await Workspace.load(root, { useGit });
  const engine = new Engine(ws, [...ALL_RULES, ...(c.extraRules ?? [])], c.settings ? [c.settings] : []);
  let all = engine.checkAll();
  if (c.dvcStatus) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlh-cases-hc-'));
    try {
      engine.setBackgroundReports('dvc-status', stageStatusReports(ws, await dataStatus(ws, { cacheDir })));
    } finally {
      rmrf(cacheDir);
    }
    all = engine.allFindings();
  }
  const mine = all.filter((f) => f.code === rule.code).sort(compareFindings);
  return { all, mine };
}

/**
 * Applies the safe fixes of the rule's findings the way `check --fix` does: a round takes the fixes that do not overlap,
 * writes them, checks again, and the next round takes those that waited (two insertions at one place), up to 10 rounds.
 * Returns the files the fixes wrote.
 */
async function applySafeFixes(rule: Rule, c: RuleCase, root: string, first: Finding[]): Promise<Set<string>> {
  const read = (rel: string): string | undefined => (fs.existsSync(path.join(root, rel)) ? fs.readFileSync(path.join(root, rel), 'utf8') : undefined);
  const written = new Set<string>();
  let findings = first;
  for (let round = 0; round < 10; round++) {
    const plan = planFixes(findings, read);
    if (!plan.applied.length) break;
    for (const [file, t] of plan.texts) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), t.after);
      written.add(file);
    }
    if (!plan.deferred.length) break;
    findings = (await check(rule, c, root)).mine;
  }
  return written;
}

/** The text the finding's range covers ('' for an empty range; undefined for a file that is not small text). */
function textAt(root: string, f: Finding): string | undefined {
  if (f.range.start.line === f.range.end.line && f.range.start.character === f.range.end.character) return '';
  const abs = path.join(root, f.file);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile() || fs.statSync(abs).size > MAX_TEXT_BYTES) return undefined;
  const text = fs.readFileSync(abs, 'utf8');
  const index = new TextIndex(text);
  return text.slice(index.offsetAt(f.range.start), index.offsetAt(f.range.end));
}

/** A finding as one readable line for assertion messages. */
function show(root: string, f: Finding): string {
  const t = textAt(root, f);
  return `${f.code} ${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${JSON.stringify(t ?? null)} ${f.message}`;
}

function compare(root: string, mine: Finding[], errors: ExpectedFinding[]): void {
  const listing = `\nfindings:\n  ${mine.map((f) => show(root, f)).join('\n  ') || '(none)'}`;
  assert.equal(mine.length, errors.length, `expected ${errors.length} finding(s), got ${mine.length}${listing}`);
  errors.forEach((e, i) => {
    const f = mine[i];
    const at = `finding ${i + 1}${listing}`;
    assert.equal(f.file, e.file, `file of ${at}`);
    if (e.line !== undefined) assert.equal(f.range.start.line + 1, e.line, `line of ${at}`);
    if (e.column !== undefined) assert.equal(f.range.start.character + 1, e.column, `column of ${at}`);
    if (e.severity !== undefined) assert.equal(f.severity, e.severity, `severity of ${at}`);
    if (e.text !== undefined) assert.equal(textAt(root, f) ?? '', e.text, `text of the range of ${at}`);
    if (typeof e.message === 'string') assert.ok(f.message.includes(e.message), `message of ${at}\n  should contain ${JSON.stringify(e.message)}`);
    else if (e.message) assert.match(f.message, e.message, `message of ${at}`);
  });
}

/** `rule` is the rule object or its code (`ruleCases('GIT001', ...)`: the code is what docs/rules/<CODE>.md links by). */
export function ruleCases(ruleOrCode: Rule | string, cases: RuleCases): void {
  const rule = typeof ruleOrCode === 'string' ? findRule(ruleOrCode) : ruleOrCode;
  if (!rule) throw new Error(`no rule ${String(ruleOrCode)}`);
  for (const c of cases.invalid) if (!c.errors.length) throw new Error(`${rule.code} invalid: ${c.name} expects no finding: make it a valid case`);
  const seen = CASES_SEEN.get(rule.code) ?? { valid: 0, invalid: 0 };
  seen.valid += cases.valid.length;
  seen.invalid += cases.invalid.length;
  CASES_SEEN.set(rule.code, seen);
  describe(`${rule.code} ${rule.name}`, () => {
    for (const c of cases.valid) {
      it(`${rule.code} valid: ${c.name}`, async () => {
        const { root, mine } = await run(rule, c);
        try {
          assert.deepEqual(
            mine.map((f) => show(root, f)),
            [],
            `${rule.code} must not fire`,
          );
        } finally {
          rmrf(root);
        }
      });
    }
    for (const c of cases.invalid) {
      it(`${rule.code} invalid: ${c.name}`, async () => {
        const { root, mine } = await run(rule, c);
        try {
          compare(root, mine, c.errors);
          if (c.output) {
            const written = await applySafeFixes(rule, c, root, mine);
            assert.ok(written.size > 0, `${rule.code} offers a safe fix`);
            for (const [file, want] of Object.entries(c.output)) {
              assert.ok(written.has(file), `the fix edits ${file} (it edits: ${[...written].join(', ')})`);
              assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), want, `${file} after the fix`);
            }
          }
        } finally {
          rmrf(root);
        }
      });
    }
  });
}

if (typeof after === 'function') {
  after(() => {
    if (caseRoot) rmrf(caseRoot);
  });
}
