import type { Finding, Rule } from '../../engine';

/** ANSI colours, or none. */
export type Paint = (style: 'error' | 'warning' | 'info' | 'hint' | 'bold' | 'dim' | 'path', s: string) => string;

const STYLE = { error: '31', warning: '33', info: '36', hint: '2', bold: '1', dim: '2', path: '1' } as const;

export function painter(color: boolean): Paint {
  return (style, s) => (color ? `\u001b[${STYLE[style]}m${s}\u001b[0m` : s);
}

/**
 * Whether to colour the terminal output, in the usual order: an explicit `--color`, then FORCE_COLOR (any value but
 * '0' or 'false' forces colours, as supports-color reads it), then NO_COLOR (no-color.org: present and not empty means
 * none), then whether stdout is a terminal (never when piped or written to a file).
 */
export function useColor(o: { flag?: boolean; env: NodeJS.ProcessEnv; isTTY: boolean; toFile?: boolean }): boolean {
  if (o.flag) return true;
  if (o.toFile) return false;
  const force = o.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (o.env.NO_COLOR) return false;
  return o.isTTY;
}

/** `path:line:col: severity CODE message`, 1-based like every compiler. */
export function formatText(findings: Finding[], opts: { color?: boolean } = {}): string {
  const paint = painter(!!opts.color);
  return findings
    .map(
      (f) =>
        `${paint('path', `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`)}: ${paint(f.severity, f.severity)} ${paint('bold', f.code)} ${f.message}`,
    )
    .join('\n');
}

export interface RuleCount {
  code: string;
  name: string;
  count: number;
  /** How many of them `check --fix` can fix. */
  fixable: number;
}

/** Findings counted per rule, most frequent first (then by code). */
export function countByRule(findings: Finding[], rules: readonly Rule[], fixable: (f: Finding) => boolean): RuleCount[] {
  const names = new Map(rules.map((r) => [r.code, r.name]));
  const by = new Map<string, RuleCount>();
  for (const f of findings) {
    const c = by.get(f.code) ?? { code: f.code, name: names.get(f.code) ?? '', count: 0, fixable: 0 };
    c.count++;
    if (fixable(f)) c.fixable++;
    by.set(f.code, c);
  }
  return [...by.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

/** `--statistics`, like ruff's: the count, the code, `[*]` when --fix can fix some, and the rule's name. */
export function formatStatistics(counts: RuleCount[], opts: { color?: boolean } = {}): string {
  const paint = painter(!!opts.color);
  const width = Math.max(1, ...counts.map((c) => String(c.count).length));
  const codeWidth = Math.max(...counts.map((c) => c.code.length), 0);
  return counts
    .map((c) => `${String(c.count).padStart(width)}  ${paint('bold', c.code.padEnd(codeWidth))}  ${c.fixable ? '[*] ' : '    '}${c.name}`)
    .join('\n');
}

/** After the findings: the rules that fired, grouped, then the totals and what --fix would do. */
export function formatSummary(findings: Finding[], files: number, counts: RuleCount[], opts: { color?: boolean } = {}): string {
  if (!findings.length) return 'No findings.';
  const fixable = counts.reduce((n, c) => n + c.fixable, 0);
  return [
    '',
    formatStatistics(counts, opts),
    '',
    summaryLine(findings, files),
    ...(fixable ? [`[*] ${fixable} fixable with \`mlops-hygiene check --fix\` (see them first with --diff).`] : []),
  ].join('\n');
}

export function summaryLine(findings: Finding[], files: number): string {
  const by = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) by[f.severity]++;
  const parts = (Object.keys(by) as (keyof typeof by)[]).filter((k) => by[k]).map((k) => `${by[k]} ${k}${by[k] === 1 || k === 'info' ? '' : 's'}`);
  return findings.length
    ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}`
    : 'No findings.';
}
