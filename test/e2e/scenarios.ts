/**
 * What the editor suites check, as data and plain functions, shared by the end-to-end run in code-server (test/e2e,
 * driven through the UI) and the @vscode/test-electron suite (test/electron, driven through the vscode API). Neither
 * hard-codes the findings of the examples: the expected list is what the CLI (same engine) reports on the same folder.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/tmp';

export interface ExpectedFinding {
  code: string;
  file: string;
  message: string;
  line: number;
  column: number;
  fixes: string[];
}

/** The findings `mlops-hygiene check` reports on `folder` (`git: false` = what a restricted workspace sees). */
/** The CLI's findings, with the stage status (DVC066) the editor computes in the background. */
export function cliFindings(folder: string, opts: { git: boolean }): ExpectedFinding[] {
  const out = execFileSync(
    process.execPath,
    [path.join(PROJECT_ROOT, 'dist', 'cli.js'), 'check', folder, '--format', 'json', '--fail-on', 'never', '--dvc-status', ...(opts.git ? [] : ['--no-git'])],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // VS Code's Problems panel does not list Hint diagnostics (they only show as dots in the editor)
  return (JSON.parse(out) as { findings: (ExpectedFinding & { severity: string })[] }).findings.filter((f) => f.severity !== 'hint');
}

/** Codes with their counts, sorted: `GIT001 x1, GIT002 x2`. Compared as text so a failure shows both sides. */
export function codeCounts(codes: (string | undefined)[]): string {
  const m = new Map<string, number>();
  for (const c of codes) m.set(c ?? '(no code)', (m.get(c ?? '(no code)') ?? 0) + 1);
  return [...m.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, n]) => `${c} x${n}`)
    .join(', ');
}

/**
 * One finding as a line to compare with a Problems panel row: `CODE file:line:column first line of the message`, the
 * message's white space collapsed (the panel shows the first line of a message in the row).
 */
export function findingKey(f: ExpectedFinding): string {
  return `${f.code} ${f.file}:${f.line}:${f.column} ${f.message.split('\n')[0].replace(/\s+/g, ' ').trim()}`;
}

/** The codes the broken example must show at least (so a run that finds nothing cannot pass by comparing to nothing). */
export const BROKEN_MUST_SHOW = ['GIT001', 'GIT002', 'DVC012'];

/** Hover: on the GIT002 marker of the untracked checkpoint (opened as text), the hover shows the rule's doc. */
export const HOVER = {
  example: 'broken-project',
  file: 'models/best.ckpt',
  line: 1,
  column: 1,
  code: 'GIT002',
  /** A sentence of GIT002's doc (`why`), as the rendered hover shows it. */
  doc: /Once committed, it stays in the history even after deletion/,
} as const;

/** Quick fix: GIT002 on the untracked checkpoint offers to ignore the models folder; applying it edits .gitignore. */
export const QUICK_FIX = {
  example: 'broken-project',
  code: 'GIT002',
  file: 'models/best.ckpt',
  title: "Add '/models/' to .gitignore",
  editedFile: '.gitignore',
  expectLine: '/models/',
} as const;

/**
 * Editing a config (after QUICK_FIX): deleting the `/models/` line of .gitignore and saving makes GIT002 come back;
 * undoing and saving makes it go away again.
 */
export const EDIT = {
  example: 'broken-project',
  file: '.gitignore',
  line: '/models/',
  code: 'GIT002',
} as const;

export interface ExpectedRun {
  id: string;
  name: string;
  source: string;
  experiment?: string;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  historyMetrics?: string[];
}

/** The runs `mlops-hygiene runs` lists in `folder` (the Runs view shows the same list, from the same reader). */
export function cliRuns(folder: string): ExpectedRun[] {
  const out = execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli.js'), 'runs', folder, '--format', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(out) as ExpectedRun[] | { runs: ExpectedRun[] };
  return Array.isArray(parsed) ? parsed : parsed.runs;
}
