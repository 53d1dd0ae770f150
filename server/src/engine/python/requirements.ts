import type { Range } from '../types';
import type { Workspace } from '../workspace';

/** pip requirements: PEP 508 strings, requirements files (continuations, options, `-r`/`-c` includes), names. */

export function normaliseName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/** The distribution name at the start of a PEP 508 requirement string, or undefined for URLs, options, comments. */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  if (!m || /^\s*(-|#|git\+|https?:)/.test(req)) return undefined;
  return normaliseName(m[1]);
}

// ------------------------------------------------------------------ PEP 508 requirement strings

export interface ParsedRequirement {
  /** Name as written. */
  rawName: string;
  name: string;
  extras: string[];
  /** Version specifier as written, '' when none. */
  specifier: string;
  marker?: string;
  /** `name @ url` direct reference. */
  url?: string;
  /** Length of the requirement part (name, extras, specifier or URL), before the marker. */
  length: number;
}

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

/** Parses one PEP 508 requirement (`name[extra]>=1,<2 ; python_version<"3.12"`, `name @ https://...`). */
export function parseRequirement(text: string): ParsedRequirement | undefined {
  const lead = text.length - text.trimStart().length;
  const s = text.trimStart();
  const m = NAME_RE.exec(s);
  if (!m) return undefined;
  let i = m[1].length;
  let extras: string[] = [];
  const ex = /^\s*\[([^\]]*)\]/.exec(s.slice(i));
  if (ex) {
    extras = ex[1]
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    i += ex[0].length;
  }
  const semi = s.indexOf(';', i);
  const body = semi >= 0 ? s.slice(i, semi) : s.slice(i);
  const marker = semi >= 0 ? s.slice(semi + 1).trim() : undefined;
  let url: string | undefined;
  let specifier = body.trim();
  const at = /^\s*@\s*(\S+)/.exec(body);
  if (at) {
    url = at[1];
    specifier = '';
  } else if (specifier && !/^\(?\s*(===|==|~=|!=|<=|>=|<|>)/.test(specifier)) {
    return undefined; // not a requirement: garbage after the name
  }
  specifier = specifier.replace(/^\((.*)\)$/, '$1').trim();
  const length = lead + i + body.trimEnd().length;
  return { rawName: m[1], name: normaliseName(m[1]), extras, specifier, marker, url, length };
}

// ------------------------------------------------------------------ requirements files

export type RequirementLineKind = 'requirement' | 'direct' | 'editable' | 'include' | 'constraint' | 'option';

/** One logical line of a requirements file (continuations joined, comment removed). */
export interface RequirementLine {
  kind: RequirementLineKind;
  /** 0-based physical line where the logical line starts. */
  line: number;
  /** Range of the requirement, the URL/path, or the included file name. */
  range: Range;
  /** The logical line without its comment. */
  text: string;
  /** For requirements (and direct references with a known name). */
  req?: ParsedRequirement;
  /** Name of a direct reference (`#egg=name`, `name @ url`), normalised. */
  name?: string;
  /** URL or path of direct and editable lines. */
  url?: string;
  /** Included file (`-r`/`-c`) as written. */
  target?: string;
  /** `--hash=` options on the line. */
  hashes: string[];
}

/**
 * Parses a pip requirements file the way pip reads it: backslash continuations are joined, `#` comments (at the start or
 * after whitespace) removed, per-requirement options (`--hash`) split off. Never throws.
 */
export function parseRequirementsText(text: string): RequirementLine[] {
  const lines = text.split(/\r?\n|\r/);
  const out: RequirementLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    // pip joins lines ending in a backslash before stripping comments
    while (/\\$/.test(logical) && i + 1 < lines.length) logical = logical.slice(0, -1) + ' ' + lines[++i];
    const noComment = logical
      .replace(/(^|\s)#.*$/, '')
      .replace(/\\$/, '')
      .trimEnd();
    if (!noComment.trim()) continue;
    const first = lines[start];
    const lead = noComment.length - noComment.trimStart().length;
    const s = noComment.trim();
    const rangeOn = (from: number, len: number): Range => {
      const end = Math.min(from + len, first.replace(/\\$/, '').trimEnd().length);
      return { start: { line: start, character: from }, end: { line: start, character: Math.max(from, end) } };
    };
    const hashes = [...s.matchAll(/--hash[=\s]+(\S+)/g)].map((m) => m[1]);
    const opt = /^(-r|--requirement|-c|--constraint|-e|--editable)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)/.exec(s);
    if (opt) {
      const kind: RequirementLineKind = /^(-r|--requirement)$/.test(opt[1]) ? 'include' : /^(-c|--constraint)$/.test(opt[1]) ? 'constraint' : 'editable';
      const at = lead + opt[0].length - opt[2].length;
      const entry: RequirementLine = { kind, line: start, range: rangeOn(at, opt[2].length), text: s, hashes };
      if (kind === 'editable') {
        entry.url = opt[2];
        entry.name = eggName(opt[2]);
      } else entry.target = opt[2];
      out.push(entry);
      continue;
    }
    if (s.startsWith('-')) {
      out.push({ kind: 'option', line: start, range: rangeOn(lead, s.length), text: s, hashes });
      continue;
    }
    const reqText = s.split(/\s+--/)[0].trim(); // per-requirement options (--hash=...) follow the requirement
    // `name @ url` (PEP 508) names its distribution, whatever the URL ends with (`torch @ https://.../torch-2.1.0.whl`)
    const named = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(reqText);
    if (!named && (/^(git|hg|svn|bzr)\+|^[a-z]+:\/\/|^\.{0,2}\/|^[A-Za-z]:\\|\.(whl|tar\.gz|zip)$/.test(reqText) || reqText === '.')) {
      out.push({ kind: 'direct', line: start, range: rangeOn(lead, reqText.length), text: s, url: reqText, name: eggName(reqText), hashes });
      continue;
    }
    const req = parseRequirement(reqText);
    if (!req) {
      out.push({ kind: 'option', line: start, range: rangeOn(lead, reqText.length), text: s, hashes });
      continue;
    }
    if (req.url) {
      out.push({ kind: 'direct', line: start, range: rangeOn(lead, req.length), text: s, url: req.url, name: req.name, req, hashes });
      continue;
    }
    out.push({ kind: 'requirement', line: start, range: rangeOn(lead, req.length), text: s, req, name: req.name, hashes });
  }
  return out;
}

function eggName(url: string): string | undefined {
  const m = /#(?:.*&)?egg=([A-Za-z0-9._-]+)/.exec(url);
  return m ? normaliseName(m[1]) : undefined;
}

/** Resolves a path written in `fromFile` (relative to its folder, as pip does) to a workspace-relative POSIX path. */
export function resolveRelative(fromFile: string, target: string): string {
  const base = fromFile.includes('/') ? fromFile.slice(0, fromFile.lastIndexOf('/')).split('/') : [];
  const parts = [...base];
  for (const p of target.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

export interface RequirementsFile {
  file: string;
  lines: RequirementLine[];
  /** Why it could not be read (missing, binary...). */
  problem?: string;
}

/**
 * Reads a requirements file and every file it includes with `-r`/`-c`, each once (include cycles are cut). Constraint
 * files are returned with `constraint: true`: they pin versions but declare nothing.
 */
export function readRequirementsTree(ws: Workspace, root: string, seen = new Set<string>()): (RequirementsFile & { constraint: boolean })[] {
  const out: (RequirementsFile & { constraint: boolean })[] = [];
  const visit = (rel: string, constraint: boolean): void => {
    if (seen.has(rel) || seen.size > 200) return;
    seen.add(rel);
    const r = ws.readText(rel);
    if (!r.ok) {
      out.push({ file: rel, lines: [], problem: r.detail, constraint });
      return;
    }
    const lines = parseRequirementsText(r.text);
    out.push({ file: rel, lines, constraint });
    for (const l of lines) {
      if ((l.kind === 'include' || l.kind === 'constraint') && l.target && !/^[a-z]+:\/\//.test(l.target)) {
        visit(resolveRelative(rel, l.target), constraint || l.kind === 'constraint');
      }
    }
  };
  visit(root, false);
  return out;
}

/** Whether a workspace path looks like a pip requirements file (requirements.txt, requirements_dev.txt, requirements/x.txt). */
export function isRequirementsFile(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (/^requirements([._-].*)?\.(txt|in)$/i.test(base)) return true;
  return /(^|\/)requirements\/[^/]+\.(txt|in)$/i.test(rel);
}

// ------------------------------------------------------------------ pyproject.toml
