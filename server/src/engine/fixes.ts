import type { Finding, Fix, FileEdit, Range } from './types';
import type { Workspace } from './workspace';
import { TextIndex } from './text/textIndex';

/**
 * A fix that appends entries to a .gitignore (creating it if needed). It never rewrites what is there: entries already
 * present are skipped and the new ones go after a newline at the end. `gitignore` is the file to edit (default the root one).
 */
export function appendToGitignore(ws: Workspace, entries: string[], title?: string, gitignore = '.gitignore'): Fix | undefined {
  const current = ws.readText(gitignore);
  if (!current.ok && current.reason !== 'missing') return undefined; // unreadable: do not touch it
  const text = current.ok ? current.text : '';
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const add = entries.filter((e) => !have.has(e));
  if (!add.length) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const index = new TextIndex(text);
  const end = index.end;
  const prefix = text.length && !text.endsWith('\n') ? eol : '';
  const change: FileEdit = {
    file: gitignore,
    ...(current.ok ? {} : { create: true }),
    edits: [{ range: { start: end, end }, newText: prefix + add.join(eol) + eol }],
  };
  return { title: title ?? `Add ${add.map((e) => `'${e}'`).join(', ')} to ${gitignore}`, changes: [change], preferred: true };
}

/** Applies text edits to a string (used by the CLI's tests and by the fix tests to check what a fix does). */
export function applyEdits(text: string, edits: FileEdit['edits']): string {
  const index = new TextIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

/**
 * The fix `check --fix` may apply to a finding without asking: the one marked `preferred` (the same mark the editor's
 * "auto fix" goes by). A finding whose fixes are only alternatives to choose from (quote it, or write it otherwise) has
 * none.
 */
export function safeFix(f: Finding): Fix | undefined {
  return f.fixes?.find((x) => x.preferred);
}

/** What one round of fixing does to the files: their new texts, and which fixes made them. */
export interface FixPlan {
  /** Workspace-relative path -> the file's text after the fixes ('created' when the file did not exist). */
  texts: Map<string, { before: string | undefined; after: string }>;
  applied: { finding: Finding; fix: Fix }[];
  /** Fixes left for the next round: they overlap an edit already taken (they are computed again on the new text). */
  deferred: { finding: Finding; fix: Fix }[];
  /** The edits taken, per file, as ranges of the text before (what an editor applies). */
  edits: Map<string, FileEdit['edits']>;
}

/**
 * Takes the safe fixes of the findings whose edits do not overlap one another, in the findings' order. A fix is taken
 * whole or not at all (all its files). The same edit twice (two findings that append the same line) is applied once;
 * two different insertions at one place conflict (the second waits for the next round, computed on the new text).
 * `read` gives a file's current text, or undefined when it does not exist.
 */
export function planFixes(findings: Finding[], read: (file: string) => string | undefined): FixPlan {
  const taken = new Map<string, { start: number; end: number; newText: string }[]>();
  const base = new Map<string, string | undefined>();
  const textOf = (file: string): string | undefined => {
    if (!base.has(file)) base.set(file, read(file));
    return base.get(file);
  };
  const plan: FixPlan = { texts: new Map(), applied: [], deferred: [], edits: new Map() };
  const seenFixes = new Set<Fix>();
  for (const finding of findings) {
    const fix = safeFix(finding);
    if (!fix || seenFixes.has(fix)) continue;
    seenFixes.add(fix);
    const proposed: { file: string; start: number; end: number; newText: string }[] = [];
    let ok = true;
    for (const change of fix.changes) {
      const text = textOf(change.file);
      if (text === undefined && !change.create) ok = false;
      if (!ok) break;
      const index = new TextIndex(text ?? '');
      for (const e of change.edits)
        proposed.push({ file: change.file, start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText });
    }
    if (!ok) continue;
    const fresh = proposed.filter((p) => !(taken.get(p.file) ?? []).some((t) => t.start === p.start && t.end === p.end && t.newText === p.newText));
    const conflicts = fresh.some((p) =>
      (taken.get(p.file) ?? []).some(
        (t) =>
          (p.start < t.end && t.start < p.end) ||
          p.start === t.start ||
          p.end === t.end ||
          (p.start === p.end && p.start > t.start && p.start < t.end) ||
          (t.start === t.end && t.start > p.start && t.start < p.end),
      ),
    );
    if (conflicts) {
      plan.deferred.push({ finding, fix });
      continue;
    }
    for (const p of fresh) taken.set(p.file, [...(taken.get(p.file) ?? []), p]);
    plan.applied.push({ finding, fix });
  }
  for (const [file, edits] of taken) {
    const before = textOf(file);
    let after = before ?? '';
    for (const e of [...edits].sort((a, b) => b.start - a.start)) after = after.slice(0, e.start) + e.newText + after.slice(e.end);
    plan.texts.set(file, { before, after });
    const index = new TextIndex(before ?? '');
    plan.edits.set(
      file,
      [...edits].sort((a, b) => a.start - b.start).map((e) => ({ range: index.rangeOf(e.start, e.end), newText: e.newText })),
    );
  }
  return plan;
}

/**
 * The safe fixes of one file's findings that edit that file only, taken together without overlaps (the editor's
 * `source.fixAll`, and "Fix all CODE in this file" with `code`): what ESLint's fix-all does for a document. Fixes that
 * edit another file (appending to .gitignore) are left to their own quick fix: saving a file must not edit others.
 */
export function fixAllInFile(findings: Finding[], file: string, text: string, code?: string): { edits: FileEdit['edits']; fixed: Finding[] } {
  const own = findings
    .filter((f) => f.file === file && (!code || f.code === code))
    .filter((f) => {
      const fix = safeFix(f);
      return !!fix && fix.changes.every((c) => c.file === file && !c.create);
    });
  const plan = planFixes(own, (rel) => (rel === file ? text : undefined));
  return { edits: plan.edits.get(file) ?? [], fixed: plan.applied.map((a) => a.finding) };
}

/**
 * The quick fix of a "did you mean `X`?" message: replaces the word at `range` (as written, plain or quoted) by the
 * suggestion. Only offered when the text at `range` is the word the message names, so it never replaces more than
 * that; never preferred (a guess is not a safe fix, so neither fix-all nor `check --fix` applies it).
 */
export function suggestionFix(ws: Workspace, file: string, range: Range, word: string, suggestion: string | undefined): Fix | undefined {
  if (!suggestion || suggestion === word) return undefined;
  const r = ws.readText(file);
  if (!r.ok) return undefined;
  const index = new TextIndex(r.text);
  const start = index.offsetAt(range.start);
  const end = index.offsetAt(range.end);
  const at = r.text.slice(start, end);
  let edit: Range | undefined;
  if (at === word) edit = range;
  else if (at.length === word.length + 2 && /^(["']).*\1$/.test(at) && at.slice(1, -1) === word) edit = index.rangeOf(start + 1, end - 1);
  else {
    // the range is a larger node (a `${...}`, a whole line): the word must occur in it exactly once
    const i = at.indexOf(word);
    if (i < 0 || at.indexOf(word, i + 1) >= 0) return undefined;
    const before = at[i - 1] ?? '';
    const after = at[i + word.length] ?? '';
    if (/[\w-]/.test(before) || /[\w-]/.test(after)) return undefined;
    edit = index.rangeOf(start + i, start + i + word.length);
  }
  return { title: `Change to '${suggestion}'`, changes: [{ file, edits: [{ range: edit, newText: suggestion }] }] };
}
