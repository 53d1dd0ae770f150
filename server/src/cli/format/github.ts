import type { Finding } from '../../engine';

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * GitHub's escaping of a workflow command's message (as @actions/core's escapeData does): `%`, CR and LF. The runner
 * undoes it (ActionCommand.cs); without it a newline ends the command and a `%0A` in a message would become one.
 */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The escaping of a property value (@actions/core's escapeProperty): also `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command per finding (`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=CODE::message`):
 * printed by a plain `run:` step, GitHub shows them as annotations on the pull request's diff. Positions are 1-based;
 * `root` is the checked folder's path relative to the repository (GitHub wants paths from the repository root).
 */
export function formatGithub(findings: Finding[], root = ''): string {
  const prefix = root && root !== '.' && !root.startsWith('..') ? root.replace(/\/+$/, '') + '/' : '';
  return findings
    .map((f) => {
      const props: [string, string | number][] = [
        ['file', prefix + f.file],
        ['line', f.range.start.line + 1],
        ['col', f.range.start.character + 1],
        ['endLine', f.range.end.line + 1],
        ['endColumn', f.range.end.character + 1],
        ['title', `${f.code}`],
      ];
      return `::${COMMAND[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(`${f.code} ${f.message}`)}`;
    })
    .join('\n');
}
