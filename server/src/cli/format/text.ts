import type { Finding } from '../../engine';

/** `path:line:col: severity CODE message`, 1-based like every compiler. */
export function formatText(findings: Finding[], opts: { color?: boolean } = {}): string {
  const paint = (code: string, s: string): string => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = { error: '31', warning: '33', info: '36', hint: '2' } as const;
  return findings
    .map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${paint(sev[f.severity], f.severity)} ${paint('1', f.code)} ${f.message}`)
    .join('\n');
}

export function summaryLine(findings: Finding[], files: number): string {
  const by = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) by[f.severity]++;
  const parts = (Object.keys(by) as (keyof typeof by)[]).filter((k) => by[k]).map((k) => `${by[k]} ${k}${by[k] === 1 || k === 'info' ? '' : 's'}`);
  return findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}` : 'No findings.';
}
