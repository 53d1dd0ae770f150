import * as lsp from 'vscode-languageserver';
import { fixAllInFile, ignoreInFileFix, ignoreOnLineFix, type Finding, type Fix } from '../engine';
import { toWorkspaceEdit, uriOf, type DiagnosticData } from './convert';
import type { Project } from './project';

/** The kind of our fix-all action, for `editor.codeActionsOnSave: { "source.fixAll.mlopsHygiene": "explicit" }`. */
export const FIX_ALL_KIND = `${lsp.CodeActionKind.SourceFixAll}.mlopsHygiene`;
export const CODE_ACTION_KINDS = [lsp.CodeActionKind.QuickFix, FIX_ALL_KIND];

/** Codes never offered as "Ignore ...": the finding is about a suppression comment itself. */
const NOT_SUPPRESSIBLE = new Set(['MLH005']);

/** A key that is the same for two fixes making the same edits (three findings appending the same .gitignore line). */
function editKey(fix: Fix): string {
  return JSON.stringify(
    fix.changes.map((c) => [
      c.file,
      !!c.create,
      c.edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.newText]),
    ]),
  );
}

/** Whether a file has no text an editor can ask code actions for (a model checkpoint, a parquet file). */
function isBinary(project: Project, rel: string): boolean {
  const r = project.ws.readText(rel);
  return !r.ok && (r.reason === 'binary' || r.reason === 'too-large');
}

/**
 * Fixes of findings on binary files that edit `rel` (the GIT002 fix of models/best.ckpt edits .gitignore), offered in
 * `rel` where the edit goes: VS Code cannot ask a binary file for its code actions, so the fix is reachable from the
 * file it changes; the diagnostic's related information points there (convert.ts).
 */
export function fixesFromBinaryFiles(project: Project, rel: string): { finding: Finding; fix: Fix; line: number }[] {
  const out: { finding: Finding; fix: Fix; line: number }[] = [];
  for (const f of project.engine.allFindings()) {
    if (f.file === rel || !f.fixes?.length || !isBinary(project, f.file)) continue;
    for (const fix of f.fixes) {
      const change = fix.changes.find((c) => c.file === rel && !c.create);
      if (change?.edits.length) out.push({ finding: f, fix, line: change.edits[0].range.start.line });
    }
  }
  return out;
}

/** Where the first fix of a finding on a binary file edits another, existing file: for the related information. */
export function remoteFixLocation(project: Project, f: Finding): { file: string; range: lsp.Range; title: string } | undefined {
  if (!f.fixes?.length || !isBinary(project, f.file)) return undefined;
  for (const fix of f.fixes) {
    const change = fix.changes.find((c) => c.file !== f.file && !c.create && c.edits.length);
    if (change) return { file: change.file, range: change.edits[0].range, title: fix.title };
  }
  return undefined;
}

function touchesLines(range: lsp.Range, first: number, last: number): boolean {
  return range.start.line <= last && range.end.line >= first;
}

function sameFinding(d: lsp.Diagnostic, f: Finding): boolean {
  return d.code === f.code && d.message === f.message && d.range.start.line === f.range.start.line && d.range.start.character === f.range.start.character;
}

/**
 * The code actions of one request: the quick fixes of the diagnostics in the context (one per distinct edit), "Fix all
 * CODE in this file" when a code has several safe fixes here, "Ignore CODE on this line / in this file", the fixes of
 * binary files' findings that edit this file, and `source.fixAll.mlopsHygiene` (all safe fixes of this file).
 */
export function codeActionsFor(project: Project, rel: string, params: lsp.CodeActionParams, text: string | undefined): lsp.CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only?.length || only.some((o) => kind === o || kind.startsWith(o + '.'));
  const actions: lsp.CodeAction[] = [];
  const findings = project.engine.findingsFor(rel);

  if (wants(lsp.CodeActionKind.QuickFix)) {
    const seen = new Map<string, lsp.CodeAction>();
    const ours = params.context.diagnostics.filter((d) => d.source === 'mlops-hygiene');
    for (const d of ours) {
      const data = d.data as DiagnosticData | undefined;
      for (const fix of data?.fixes ?? []) {
        const key = editKey(fix);
        const had = seen.get(key);
        if (had) {
          had.diagnostics!.push(d);
          continue;
        }
        const a: lsp.CodeAction = {
          title: fix.title,
          kind: lsp.CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: fix.preferred,
          edit: toWorkspaceEdit(project, fix),
        };
        seen.set(key, a);
        actions.push(a);
      }
    }
    // Fix all CODE in this file: when the file has more than one safe, in-file fix for a code of the diagnostics here
    if (text !== undefined) {
      for (const code of new Set(ours.map((d) => String(d.code)))) {
        const all = fixAllInFile(findings, rel, text, code);
        if (all.fixed.length < 2) continue;
        actions.push({
          title: `Fix all ${code} in this file (${all.fixed.length})`,
          kind: lsp.CodeActionKind.QuickFix,
          diagnostics: ours.filter((d) => d.code === code),
          edit: {
            documentChanges: [
              lsp.TextDocumentEdit.create(
                { uri: uriOf(project, rel), version: null },
                all.edits.map((e) => lsp.TextEdit.replace(e.range, e.newText)),
              ),
            ],
          },
        });
      }
    }
    // fixes of findings on binary files that edit this file, where the edit goes
    for (const { finding, fix, line } of fixesFromBinaryFiles(project, rel)) {
      if (!touchesLines(params.range, line - 1, line)) continue;
      const key = editKey(fix);
      if (seen.has(key)) continue;
      const a: lsp.CodeAction = {
        title: `${fix.title} (${finding.code} on ${finding.file})`,
        kind: lsp.CodeActionKind.QuickFix,
        isPreferred: fix.preferred,
        edit: toWorkspaceEdit(project, fix),
      };
      seen.set(key, a);
      actions.push(a);
    }
    // suppressions, after every real fix
    const ignores = new Set<string>();
    for (const d of ours) {
      const code = String(d.code ?? '');
      if (!code || NOT_SUPPRESSIBLE.has(code)) continue;
      const f = findings.find((x) => sameFinding(d, x)) ?? ({ code, file: rel, range: d.range, message: d.message, severity: 'warning' } as Finding);
      for (const fix of [ignoreOnLineFix(project.ws, f), ignoreInFileFix(project.ws, f)]) {
        if (!fix) continue;
        const key = editKey(fix);
        if (ignores.has(key)) continue;
        ignores.add(key);
        actions.push({ title: fix.title, kind: lsp.CodeActionKind.QuickFix, diagnostics: [d], edit: toWorkspaceEdit(project, fix) });
      }
    }
  }

  if (text !== undefined && wants(FIX_ALL_KIND) && only?.length) {
    // only when asked for (on save, or "Fix All" from the Source Action menu): never among the light bulb's entries
    const all = fixAllInFile(findings, rel, text);
    if (all.edits.length) {
      actions.push({
        title: `Fix all MLOps Hygiene problems in this file (${all.fixed.length})`,
        kind: FIX_ALL_KIND,
        edit: {
          documentChanges: [
            lsp.TextDocumentEdit.create(
              { uri: uriOf(project, rel), version: null },
              all.edits.map((e) => lsp.TextEdit.replace(e.range, e.newText)),
            ),
          ],
        },
      });
    }
  }
  return actions;
}
