import type { Finding, Range } from './types';
import type { Workspace } from './workspace';

/**
 * A suppression comment, in any comment syntax:
 * - `# mlops-hygiene: ignore` or `# mlops-hygiene: ignore[GIT001, DVC]`: findings on this line or the next one;
 * - `# mlops-hygiene: ignore-file[SEC002]` (anywhere in the file): findings anywhere in this file;
 * - either followed by ` -- the reason`, which is kept for the reader and never parsed as codes.
 * Codes are rule codes or code prefixes, as in `ignore` of the configuration.
 */
export interface Suppression {
  /** 0-based line of the comment. */
  line: number;
  fileLevel: boolean;
  /** The named codes with their place in the line; undefined for a bare `ignore` (every code). */
  codes?: { code: string; range: Range }[];
  /** The `mlops-hygiene: ignore[...]` marker itself. */
  range: Range;
  reason?: string;
}

const MARKER = /mlops-hygiene:\s*(ignore-file|ignore)(?![\w-])(?:\[([^\]\r\n]*)\])?(?:[ \t]*--[ \t]*(\S[^\r\n]*))?/g;

/** The marker without its reason. */
const HEAD = /^mlops-hygiene:\s*(?:ignore-file|ignore)(?:\[[^\]\r\n]*\])?/;

/** Every suppression comment of a text (cheap when the text names none). */
export function parseSuppressions(text: string): Suppression[] {
  if (!text.includes('mlops-hygiene:')) return [];
  const out: Suppression[] = [];
  const lines = text.split(/\r?\n|\r/);
  lines.forEach((lineText, line) => {
    if (!lineText.includes('mlops-hygiene:')) return;
    for (const m of lineText.matchAll(MARKER)) {
      const start = m.index;
      let codes: Suppression['codes'];
      if (m[2] !== undefined) {
        codes = [];
        const listStart = start + m[0].indexOf('[') + 1;
        for (const c of m[2].matchAll(/[^,\s]+/g)) {
          codes.push({ code: c[0], range: { start: { line, character: listStart + c.index }, end: { line, character: listStart + c.index + c[0].length } } });
        }
      }
      out.push({
        line,
        fileLevel: m[1] === 'ignore-file',
        codes,
        range: { start: { line, character: start }, end: { line, character: start + HEAD.exec(m[0])![0].length } },
        ...(m[3] ? { reason: m[3].trim() } : {}),
      });
    }
  });
  return out;
}

/** Whether the suppression applies to a finding starting at `line`, and which of its codes (-1: a bare one). */
export function matchSuppression(s: Suppression, line: number, code: string): number | undefined {
  if (!s.fileLevel && line !== s.line && line !== s.line + 1) return undefined;
  if (!s.codes) return -1;
  const i = s.codes.findIndex((c) => c.code === 'ALL' || code.startsWith(c.code));
  return i >= 0 ? i : undefined;
}

/** A finding a suppression dropped, and which code of which suppression did it (kept to find unused suppressions). */
export interface Suppressed {
  finding: Finding;
  /** `file:line:index` of the suppression code that matched (index -1 for a bare suppression). */
  key: string;
}

export function suppressionKey(file: string, s: Suppression, index: number): string {
  return `${file}:${s.line}:${index}`;
}

/**
 * Splits findings into those reported and those a suppression comment in their file drops. Findings on files that are
 * not text (a tracked model.pt) cannot be suppressed this way; `ignore` or `per-file-ignores` in the configuration can.
 */
export function applySuppressions(ws: Workspace, findings: Finding[]): { kept: Finding[]; suppressed: Suppressed[] } {
  if (!findings.length) return { kept: [], suppressed: [] }; // most units of a check: nothing to look up
  const parsed = new Map<string, Suppression[]>();
  const of = (file: string): Suppression[] => {
    let s = parsed.get(file);
    if (!s) {
      const r = ws.exists(file) || ws.hasOverlay(file) ? ws.readText(file) : undefined;
      s = r?.ok ? parseSuppressions(r.text) : [];
      parsed.set(file, s);
    }
    return s;
  };
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of findings) {
    let key: string | undefined;
    for (const s of of(f.file)) {
      const i = matchSuppression(s, f.range.start.line, f.code);
      if (i !== undefined) {
        key = suppressionKey(f.file, s, i);
        break;
      }
    }
    if (key) suppressed.push({ finding: f, key });
    else kept.push(f);
  }
  return { kept, suppressed };
}
