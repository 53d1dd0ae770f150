import type { Finding } from './types';
import type { Workspace } from './workspace';

/** `# mlops-hygiene: ignore` or `# mlops-hygiene: ignore[GIT001, DVC002]`, in any comment syntax. */
const SUPPRESS = /mlops-hygiene:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?/;

function suppresses(line: string, code: string): boolean {
  const m = SUPPRESS.exec(line);
  if (!m) return false;
  if (m[1] === undefined) return true;
  return m[1].split(',').map((c) => c.trim()).filter(Boolean).some((c) => code.startsWith(c));
}

/**
 * Drops findings whose line, or the line above, carries a suppression comment naming their code (or no code).
 * Findings on files that are not text (a tracked model.pt) cannot be suppressed this way; `ignore` in pyproject can.
 */
export function applySuppressions(ws: Workspace, findings: Finding[]): Finding[] {
  const lines = new Map<string, string[] | null>();
  const linesOf = (file: string): string[] | null => {
    if (!lines.has(file)) {
      const r = ws.readText(file);
      lines.set(file, r.ok && r.text.includes('mlops-hygiene:') ? r.text.split(/\r?\n|\r/) : null);
    }
    return lines.get(file)!;
  };
  return findings.filter((f) => {
    if (!ws.exists(f.file) && !ws.hasOverlay(f.file)) return true;
    const ls = linesOf(f.file);
    if (!ls) return true;
    const l = f.range.start.line;
    return !(suppresses(ls[l] ?? '', f.code) || (l > 0 && suppresses(ls[l - 1] ?? '', f.code)));
  });
}
