import type { Fix, FileEdit } from './types';
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
