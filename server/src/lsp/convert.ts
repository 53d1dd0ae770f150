import { pathToFileURL, fileURLToPath } from 'node:url';
import * as lsp from 'vscode-languageserver';
import type { Finding, Fix } from '../engine';
import { ruleDocUrl } from '../engine';
import type { Project } from './project';
import { remoteFixLocation } from './codeActions';

const SEVERITY: Record<Finding['severity'], lsp.DiagnosticSeverity> = {
  error: lsp.DiagnosticSeverity.Error,
  warning: lsp.DiagnosticSeverity.Warning,
  info: lsp.DiagnosticSeverity.Information,
  hint: lsp.DiagnosticSeverity.Hint,
};

export const SOURCE = 'mlops-hygiene';

/** What a diagnostic carries for code actions: its fixes, so the server keeps no state between the two requests. */
export interface DiagnosticData {
  fixes: Fix[];
}

export function uriOf(project: Project, rel: string): string {
  return pathToFileURL(project.ws.abs(rel)).toString();
}

export function pathOfUri(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `hintsAsInformation` (the setting mlopsHygiene.hintsAsInformation): VS Code never lists Hint diagnostics in the
 * Problems panel, so a user who wants to see every finding there has hints sent as Information.
 */
export function toDiagnostic(project: Project, f: Finding, opts: { hintsAsInformation?: boolean } = {}): lsp.Diagnostic {
  // A finding on a binary file: VS Code offers no light bulb there, so the related information leads to where its fix
  // edits (the .gitignore), where the same fix is a code action (codeActions.ts).
  const remote = remoteFixLocation(project, f);
  const related = [...(f.related ?? []), ...(remote ? [{ file: remote.file, range: remote.range, message: `Quick Fix here (Ctrl+.): ${remote.title}` }] : [])];
  return {
    range: f.range,
    severity: f.severity === 'hint' && opts.hintsAsInformation ? lsp.DiagnosticSeverity.Information : SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code) },
    source: SOURCE,
    message: f.message,
    ...(related.length ? { relatedInformation: related.map((r) => ({ location: { uri: uriOf(project, r.file), range: r.range }, message: r.message })) } : {}),
    data: { fixes: f.fixes ?? [] } satisfies DiagnosticData,
  };
}

export function toWorkspaceEdit(project: Project, fix: Fix): lsp.WorkspaceEdit {
  const documentChanges: (lsp.TextDocumentEdit | lsp.CreateFile)[] = [];
  for (const change of fix.changes) {
    const uri = uriOf(project, change.file);
    if (change.create) documentChanges.push(lsp.CreateFile.create(uri, { ignoreIfExists: true }));
    documentChanges.push(
      lsp.TextDocumentEdit.create(
        { uri, version: null },
        change.edits.map((e) => lsp.TextEdit.replace(e.range, e.newText)),
      ),
    );
  }
  return { documentChanges };
}
