import * as path from 'node:path';
import { isScalar, visit, type Scalar } from 'yaml';
import { parseSuppressions } from './suppression';
import { CONFIG_FILES } from './settings';
import { TextIndex } from './text/textIndex';
import { YamlDocument } from './text/yamlDocument';
import type { Finding, Fix, TextEdit } from './types';
import type { Workspace } from './workspace';

/**
 * The "Ignore CODE on this line" / "Ignore CODE in this file" fixes: they write the suppression comment the engine reads
 * (suppression.ts), in the file's own comment syntax, or, for a file that cannot hold a comment (JSON, a model
 * checkpoint), a `per-file-ignores` entry in the project's configuration file. They add; they never rewrite a line the
 * user wrote, except to put the code into an existing suppression list.
 */

type CommentStyle = { open: string; close: string };
const HASH: CommentStyle = { open: '# ', close: '' };
const HTML: CommentStyle = { open: '<!-- ', close: ' -->' };

const HASH_NAMES = new Set([
  '.gitignore',
  '.dockerignore',
  '.gitattributes',
  '.env',
  'Dockerfile',
  'Containerfile',
  'Makefile',
  'MLproject',
  'Pipfile',
  'config',
  'CODEOWNERS',
]);
const HASH_EXTS = new Set([
  '.yaml',
  '.yml',
  '.toml',
  '.py',
  '.pyi',
  '.txt',
  '.cfg',
  '.ini',
  '.dvc',
  '.sh',
  '.bash',
  '.env',
  '.r',
  '.dockerfile',
  '.mk',
  '.in',
  '.conf',
  '.properties',
]);
const HTML_EXTS = new Set(['.md', '.markdown', '.html']);

/** How a suppression comment is written in this file, or undefined when the file cannot hold one (JSON, binary). */
export function commentStyleOf(rel: string): CommentStyle | undefined {
  const base = path.posix.basename(rel);
  const ext = path.posix.extname(base).toLowerCase();
  if (HASH_NAMES.has(base) || base.startsWith('Dockerfile') || base.startsWith('requirements') || base.startsWith('.env')) return HASH;
  if (HASH_EXTS.has(ext)) return HASH;
  if (HTML_EXTS.has(ext)) return HTML;
  return undefined;
}

function comment(style: CommentStyle, body: string): string {
  return `${style.open}${body}${style.close}`;
}

/** Where a line starts and its indentation. */
function lineInfo(index: TextIndex, line: number): { start: number; indent: string; text: string } {
  const text = index.lineText(line);
  return { start: index.offsetAt({ line, character: 0 }), indent: /^[ \t]*/.exec(text)![0], text };
}

/** The text has a line break style; new lines use it. */
function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Inserting the code into the `[...]` list of an existing suppression (of the right kind) on `line`, if there is one. */
function addToExisting(index: TextIndex, line: number, code: string, fileLevel: boolean): TextEdit | undefined | 'has' {
  const lineText = index.lineText(line);
  for (const s of parseSuppressions(lineText)) {
    if (s.fileLevel !== fileLevel) continue;
    if (!s.codes) return 'has'; // a bare `ignore` already covers every code
    if (s.codes.some((c) => c.code === code || code.startsWith(c.code) || c.code === 'ALL')) return 'has';
    const last = s.codes[s.codes.length - 1];
    const at = last ? last.range.end.character : lineText.indexOf('[', s.range.start.character) + 1;
    const pos = { line, character: at };
    return { range: { start: pos, end: pos }, newText: last ? `, ${code}` : code };
  }
  return undefined;
}

/**
 * Whether offset is inside a YAML block scalar (`cmd: |`): a comment line there would become part of the value, so the
 * line form cannot be used.
 */
function inBlockScalar(ws: Workspace, rel: string, line: number): boolean {
  if (!/\.ya?ml$/i.test(rel) && path.posix.basename(rel) !== 'MLproject') return false;
  const y = ws.yaml(rel);
  if (!(y instanceof YamlDocument) || !y.doc) return false;
  const offset = y.index.offsetAt({ line, character: 0 });
  let inside = false;
  visit(y.doc, {
    Scalar(_k, node: Scalar) {
      if (!isScalar(node) || !node.range) return;
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range[0] < offset && offset < node.range[1]) {
        inside = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return inside;
}

/** "Ignore CODE on this line": `# mlops-hygiene: ignore[CODE]` on its own line above the finding's line. */
export function ignoreOnLineFix(ws: Workspace, f: Finding): Fix | undefined {
  const style = commentStyleOf(f.file);
  if (!style) return undefined;
  const read = ws.readText(f.file);
  if (!read.ok) return undefined;
  const index = new TextIndex(read.text);
  const line = f.range.start.line;
  if (inBlockScalar(ws, f.file, line)) return undefined;
  const title = `Ignore ${f.code} on this line`;
  // the finding's own line or the one above may hold a suppression already: add the code to it
  for (const l of [line, line - 1]) {
    if (l < 0) continue;
    const e = addToExisting(index, l, f.code, false);
    if (e === 'has') return undefined;
    if (e) return { title, changes: [{ file: f.file, edits: [e] }] };
  }
  const { start, indent } = lineInfo(index, line);
  const pos = index.positionAt(start);
  return {
    title,
    changes: [
      {
        file: f.file,
        edits: [{ range: { start: pos, end: pos }, newText: `${indent}${comment(style, `mlops-hygiene: ignore[${f.code}]`)}${eolOf(read.text)}` }],
      },
    ],
  };
}

/** Lines a new first line must come after: a shebang, Dockerfile parser directives, a `%YAML` directive. */
function headerLines(rel: string, index: TextIndex, lines: number): number {
  let n = 0;
  while (n < lines) {
    const t = index.lineText(n);
    if (n === 0 && t.startsWith('#!')) n++;
    else if (/^#\s*(syntax|escape|check)\s*=/i.test(t) && /Dockerfile|Containerfile|\.dockerfile$/.test(path.posix.basename(rel))) n++;
    else if (/^%(YAML|TAG)\b/.test(t)) n++;
    else if (n === 0 && /^#.*coding[:=]/.test(t)) n++;
    else break;
  }
  return n;
}

/** "Ignore CODE in this file": `# mlops-hygiene: ignore-file[CODE]` at the top, or a per-file-ignores entry. */
export function ignoreInFileFix(ws: Workspace, f: Finding): Fix | undefined {
  const title = `Ignore ${f.code} in this file`;
  const style = commentStyleOf(f.file);
  const read = style ? ws.readText(f.file) : undefined;
  if (!style || !read?.ok) return perFileIgnoreFix(ws, f.file, f.code, title);
  const index = new TextIndex(read.text);
  const lines = read.text.split(/\r\n|\r|\n/).length;
  for (let l = 0; l < lines; l++) {
    if (!index.lineText(l).includes('mlops-hygiene:')) continue;
    const e = addToExisting(index, l, f.code, true);
    if (e === 'has') return undefined;
    if (e) return { title, changes: [{ file: f.file, edits: [e] }] };
  }
  const at = headerLines(f.file, index, lines);
  const eol = eolOf(read.text);
  if (at >= lines) {
    const end = index.end;
    return {
      title,
      changes: [{ file: f.file, edits: [{ range: { start: end, end }, newText: `${eol}${comment(style, `mlops-hygiene: ignore-file[${f.code}]`)}${eol}` }] }],
    };
  }
  const pos = { line: at, character: 0 };
  return {
    title,
    changes: [{ file: f.file, edits: [{ range: { start: pos, end: pos }, newText: `${comment(style, `mlops-hygiene: ignore-file[${f.code}]`)}${eol}` }] }],
  };
}

/** A TOML basic string. */
function tomlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The gitignore-style pattern that names exactly this file (anchored at the root, special characters escaped). */
export function patternOf(rel: string): string {
  return '/' + rel.replace(/([\\*?[\]!# ])/g, '\\$1');
}

/**
 * A `per-file-ignores` entry for a file that cannot hold a comment: in the configuration file the settings are read from
 * (mlops-hygiene.toml, else pyproject.toml), in the table `[tool.mlops-hygiene.per-file-ignores]` (or
 * `[per-file-ignores]` of mlops-hygiene.toml); a new mlops-hygiene.toml when the project has neither. When the
 * configuration writes per-file-ignores inline (`per-file-ignores = { ... }`), no fix is offered (it would have to be
 * rewritten).
 */
export function perFileIgnoreFix(ws: Workspace, rel: string, code: string, title = `Ignore ${code} in this file`): Fix | undefined {
  const config = CONFIG_FILES.find((c) => ws.exists(c));
  const file = config ?? 'mlops-hygiene.toml';
  const table = file === 'pyproject.toml' ? 'tool.mlops-hygiene.per-file-ignores' : 'per-file-ignores';
  const key = patternOf(rel);
  const entry = `${tomlString(key)} = [${tomlString(code)}]`;
  if (!config)
    return {
      title,
      changes: [
        { file, create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `[${table}]\n${entry}\n` }] },
      ],
    };
  const read = ws.readText(file);
  if (!read.ok) return undefined;
  const text = read.text;
  const eol = eolOf(text);
  const index = new TextIndex(text);
  const lines = text.split(/\r\n|\r|\n/);
  const header = new RegExp(
    `^\\s*\\[\\s*${table
      .split('.')
      .map((p) => p.replace(/-/g, '\\-'))
      .join('\\s*\\.\\s*')}\\s*\\]\\s*(#.*)?$`,
  );
  const parent = file === 'pyproject.toml' ? /^\s*\[\s*tool\s*\.\s*mlops-hygiene\s*\]\s*(#.*)?$/ : undefined;
  const inlinePfi = /^\s*(per-file-ignores|"per-file-ignores")\s*=/;
  let start = -1;
  let inParent = !parent; // mlops-hygiene.toml: its top level is the settings table
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*\[/.test(l)) inParent = !!parent?.test(l);
    else if (inParent && inlinePfi.test(l)) return undefined;
    if (header.test(l)) {
      start = i;
      break;
    }
  }
  if (start < 0) {
    const end = index.end;
    const prefix = text.length === 0 ? '' : text.endsWith('\n') ? eol : eol + eol;
    return { title, changes: [{ file, edits: [{ range: { start: end, end }, newText: `${prefix}[${table}]${eol}${entry}${eol}` }] }] };
  }
  // the table exists: the same key already? then add the code to its list (a one-line list only)
  let last = start;
  for (let i = start + 1; i < lines.length && !/^\s*\[/.test(lines[i]); i++) {
    const l = lines[i];
    if (l.trim() && !l.trim().startsWith('#')) last = i;
    const m = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[\w./-]+)\s*=\s*\[(.*)\]\s*(#.*)?$/.exec(l);
    if (!m) continue;
    const k = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1].replace(/^'|'$/g, '');
    if (k !== key && k !== rel && k !== key.slice(1)) continue;
    if (new RegExp(`["']${code}["']`).test(m[2])) return undefined;
    const close = l.lastIndexOf(']', m[3] ? l.indexOf(m[3]) : l.length);
    const pos = { line: i, character: close };
    return { title, changes: [{ file, edits: [{ range: { start: pos, end: pos }, newText: `${m[2].trim() ? ', ' : ''}${tomlString(code)}` }] }] };
  }
  const pos = { line: last, character: lines[last].length };
  return { title, changes: [{ file, edits: [{ range: { start: pos, end: pos }, newText: `${eol}${entry}` }] }] };
}
