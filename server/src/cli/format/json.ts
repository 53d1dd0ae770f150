import type { Finding } from '../../engine';

/** Stable machine output: one object per finding, positions 1-based like the text output. */
export function formatJson(findings: Finding[], root: string): string {
  return JSON.stringify(
    {
      version: 1,
      root,
      findings: findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        message: f.message,
        file: f.file,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        fixes: (f.fixes ?? []).map((x) => x.title),
      })),
    },
    null,
    2,
  );
}
