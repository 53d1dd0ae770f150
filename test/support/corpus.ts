import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../server/src/engine';
import { checkFolder } from './check';
import { PROJECT_ROOT, git, tmpDir } from './tmp';

/**
 * The precision corpus (test/fixtures/realistic/): small repositories written from the facts in
 * shared/knowledge/realworld.md and course-rules.md, each with the findings it must have and no others
 * (expected-findings.txt). Used by test/unit/realistic.corpus.test.ts and scripts/corpus-stats.mjs.
 */
export const CORPUS_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'realistic');
export const EXPECTED_FILE = 'expected-findings.txt';
/** Files of a fixture folder that describe it and are not part of the repository it stands for. */
const NOT_IN_REPO = new Set([EXPECTED_FILE]);

export interface CorpusEntry {
  name: string;
  description: string;
  /** Paths (files or folders, relative to the fixture) that stay on disk but are not committed. */
  untracked: string[];
}

export function corpusEntries(): CorpusEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')) as Record<string, { description: string; untracked?: string[] }>;
  return Object.entries(manifest).map(([name, m]) => ({ name, description: m.description, untracked: m.untracked ?? [] }));
}

/**
 * Copies a fixture to a temp folder and makes it a real git repository: every file committed (with -f, so the
 * fixture's own .gitignore cannot hide a file that real projects do commit) except the manifest's `untracked` paths,
 * which stay on disk the way a fresh `dvc pull` or a local run leaves them.
 */
export function materialise(entry: CorpusEntry): string {
  const root = tmpDir(`mlh-corpus-${entry.name}-`);
  const src = path.join(CORPUS_DIR, entry.name);
  fs.cpSync(src, root, { recursive: true, filter: (from) => !(path.dirname(from) === src && NOT_IN_REPO.has(path.basename(from))) });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'commit.gpgsign', 'false');
  git(root, 'add', '-A', '-f', '--', '.', ...entry.untracked.map((p) => `:!${p}`));
  git(root, 'commit', '-q', '-m', `corpus: ${entry.name}`);
  return root;
}

/** One finding as one line: `path:line:col CODE severity message` (1-based line and column, newlines escaped). */
export function findingLine(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${f.severity} ${f.message.replace(/\r?\n/g, '\\n')}`;
}

/** Lines in the engine's order (file, position, code), then by message, so the file diffs stably. */
export function findingLines(findings: Finding[]): string[] {
  const sorted = [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  return sorted.map(findingLine);
}

export async function checkEntry(entry: CorpusEntry): Promise<string[]> {
  const root = materialise(entry);
  try {
    return findingLines(await checkFolder(root));
  } finally {
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}

export function readExpected(name: string): string[] | undefined {
  const p = path.join(CORPUS_DIR, name, EXPECTED_FILE);
  if (!fs.existsSync(p)) return undefined;
  return fs
    .readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

export function writeExpected(name: string, lines: string[]): void {
  fs.writeFileSync(path.join(CORPUS_DIR, name, EXPECTED_FILE), lines.map((l) => l + '\n').join(''));
}

/** Multiset difference: the lines of `a` not matched by a line of `b`. */
export function missingFrom(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const l of b) left.set(l, (left.get(l) ?? 0) + 1);
  const out: string[] = [];
  for (const l of a) {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    else out.push(l);
  }
  return out;
}

/** A finding line (`path:line:col CODE severity message`) taken apart; the path may hold spaces (`{{ cookiecutter.x }}`). */
export function parseLine(line: string): { where: string; code: string; severity: string; message: string } {
  const m = /^(.*?:\d+:\d+) ([A-Z]+\d{3}) (error|warning|info|hint) (.*)$/.exec(line);
  if (!m) throw new Error(`not a finding line: ${line}`);
  return { where: m[1], code: m[2], severity: m[3], message: m[4] };
}

export function codeOf(line: string): string {
  return parseLine(line).code;
}

/**
 * test/fixtures/realistic/judged-wrong.txt: the findings a reviewer judged wrong (false positives), one per line as
 * `<repo> <path:line:col> <CODE> ["<part of the message>"] -- <why>`. Matched on repo, path and code plus position
 * (and the quoted part of the message when several findings share a place), so a reworded message still matches; a
 * finding that moved is reported as gone (then the judgement is stale and must be re-read).
 */
export interface Judgement {
  repo: string;
  where: string;
  code: string;
  part?: string;
  why: string;
}

export function readJudgements(): Judgement[] {
  const p = path.join(CORPUS_DIR, 'judged-wrong.txt');
  if (!fs.existsSync(p)) return [];
  const out: Judgement[] = [];
  for (const raw of fs.readFileSync(p, 'utf8').split('\n')) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    const m = /^(\S+) (.*?:\d+:\d+) ([A-Z]+\d{3})(?: "([^"]+)")? -- (.*)$/.exec(raw);
    if (!m) throw new Error(`judged-wrong.txt: cannot read line: ${raw}`);
    out.push({ repo: m[1], where: m[2], code: m[3], part: m[4], why: m[5] });
  }
  return out;
}

export function judgementMatches(j: Judgement, repo: string, line: string): boolean {
  const { where, code } = parseLine(line);
  return j.repo === repo && j.where === where && j.code === code && (j.part === undefined || line.includes(j.part));
}
