import * as path from 'node:path';
import type { Workspace } from '../workspace';

/** Where a Python file loads a YAML file, as evidence of which loader reads it. */
export interface YamlLoadSite {
  /** The Python file. */
  script: string;
  /** 0-based line of the load call. */
  line: number;
  /** `pyyaml` for yaml.safe_load/load/full_load, `omegaconf` for OmegaConf.load. */
  loader: 'pyyaml' | 'omegaconf';
  /** The call as written, e.g. `yaml.safe_load`. */
  call: string;
}

/** A metric name the code logs, as a literal or as a pattern (f-strings). */
export interface LoggedKey {
  file: string;
  line: number;
  /** The literal text; for f-strings the text with `{...}` parts kept. */
  text: string;
  /** Matches the names this key can produce (f-string fields match anything). */
  pattern: RegExp;
}

/** What the project's Python code says about how configs are read and what is logged, found by a light textual scan. */
export interface PythonUsage {
  /** YAML file (workspace-relative) -> the places that load it. */
  yamlLoads: Map<string, YamlLoadSite[]>;
  /** Python files that define an `@hydra.main` entry point. */
  hydraMain: Set<string>;
  /** Keys given to wandb.log / run.log / self.log / log_dict / summary[...]. */
  loggedKeys: LoggedKey[];
  /** Every string literal of the code (also f-string patterns), for "is this name produced somewhere". */
  literals: LoggedKey[];
  /** Files that log metrics through integrations whose names we cannot see (Keras callbacks, HF Trainer, dynamic keys). */
  opaqueLogging: string[];
  /** Files that call wandb.log / self.log at all. */
  logs: boolean;
}

const MAX_PY_BYTES = 1_000_000;
const STRING_RE = /([rRbBuUfF]{0,2})("""|'''|"|')((?:\\.|(?!\2)[^\\\n])*?)\2/g;
const PYYAML_CALL = /\byaml\.(safe_load_all|safe_load|full_load_all|full_load|unsafe_load_all|unsafe_load|load_all|load)\s*\(/g;
const BARE_PYYAML_CALL = /(?<![.\w])(safe_load|full_load|unsafe_load)\s*\(/g;
const OMEGACONF_CALL = /\bOmegaConf\.load\s*\(/g;

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression for the strings a literal can produce: f-string fields `{...}` match any text. */
export function literalPattern(text: string, isF: boolean): RegExp {
  if (!isF) return new RegExp(`^${escapeRe(text)}$`);
  const parts = text.split(/\{[^{}]*\}/);
  return new RegExp(`^${parts.map((p) => escapeRe(p.replace(/\{\{/g, '{').replace(/\}\}/g, '}'))).join('.+')}$`);
}

/** Resolves a path literal used in a script to the workspace file it names (relative to the root or to the script). */
export function resolveScriptPath(ws: Workspace, script: string, literal: string): string | undefined {
  if (!literal || path.posix.isAbsolute(literal) || literal.includes('{') || /^[a-z]+:\/\//i.test(literal)) return undefined;
  const clean = literal.replace(/\\/g, '/');
  const candidates = [path.posix.normalize(clean), path.posix.normalize(path.posix.join(path.posix.dirname(script), clean))];
  for (const c of candidates) if (!c.startsWith('..') && ws.has(c)) return c;
  return undefined;
}

interface FileScan {
  hydraMain: boolean;
  /** Load calls with the path literals near them (resolved per pass: the listing may change). */
  loads: { line: number; loader: 'pyyaml' | 'omegaconf'; call: string; paths: string[] }[];
  literals: LoggedKey[];
  loggedKeys: LoggedKey[];
  opaque: boolean;
  logs: boolean;
}

const cache = new WeakMap<Workspace, Map<string, { text: string; scan: FileScan }>>();

/** Scans the project's Python files (never run folders, never ignored bulk folders); each file's scan is cached by content. */
export function scanPython(ws: Workspace, isArtefact: (rel: string) => boolean): PythonUsage {
  const usage: PythonUsage = { yamlLoads: new Map(), hydraMain: new Set(), loggedKeys: [], literals: [], opaqueLogging: [], logs: false };
  let perWs = cache.get(ws);
  if (!perWs) cache.set(ws, (perWs = new Map()));
  for (const rel of ws.paths()) {
    if (!rel.endsWith('.py') || isArtefact(rel)) continue;
    const st = ws.stat(rel);
    if (st && st.size > MAX_PY_BYTES) continue;
    const r = ws.readText(rel);
    if (!r.ok) continue;
    let hit = perWs.get(rel);
    if (!hit || hit.text !== r.text) perWs.set(rel, (hit = { text: r.text, scan: scanFile(rel, r.text) }));
    const f = hit.scan;
    if (f.hydraMain) usage.hydraMain.add(rel);
    usage.literals.push(...f.literals);
    usage.loggedKeys.push(...f.loggedKeys);
    if (f.opaque) usage.opaqueLogging.push(rel);
    if (f.logs) usage.logs = true;
    for (const load of f.loads) {
      for (const p of load.paths) {
        const target = resolveScriptPath(ws, rel, p);
        if (!target) continue;
        const list = usage.yamlLoads.get(target) ?? [];
        if (!list.some((x) => x.script === rel && x.line === load.line)) list.push({ script: rel, line: load.line, loader: load.loader, call: load.call });
        usage.yamlLoads.set(target, list);
      }
    }
  }
  return usage;
}

function scanFile(rel: string, text: string): FileScan {
  const out: FileScan = { hydraMain: false, loads: [], literals: [], loggedKeys: [], opaque: false, logs: false };
  const starts = lineStarts(text);
  const literals: { text: string; isF: boolean; line: number; start: number; end: number }[] = [];
  for (const m of text.matchAll(STRING_RE)) {
    const prefix = m[1].toLowerCase();
    if (prefix.includes('b')) continue;
    literals.push({ text: m[3], isF: prefix.includes('f'), line: lineOf(starts, m.index), start: m.index, end: m.index + m[0].length });
  }
  for (const l of literals) out.literals.push({ file: rel, line: l.line, text: l.text, pattern: literalPattern(l.text, l.isF) });

  if (/^\s*@hydra\.main\s*\(/m.test(text) || (/^\s*from\s+hydra\s+import\s+[^\n]*\bmain\b/m.test(text) && /^\s*@main\s*\(/m.test(text))) out.hydraMain = true;

  // YAML loads: a path literal within a few lines before the call (or on its line) names the file it reads.
  const importsPyyaml = /^\s*(?:import\s+yaml\b|from\s+yaml\s+import\b)/m.test(text);
  const ruamelStyle = /^\s*yaml\s*=\s*(?:ruamel\.yaml\.)?YAML\s*\(/m.test(text);
  const sites: { offset: number; loader: 'pyyaml' | 'omegaconf'; call: string }[] = [];
  if (importsPyyaml && !ruamelStyle) {
    for (const m of text.matchAll(PYYAML_CALL)) sites.push({ offset: m.index, loader: 'pyyaml', call: `yaml.${m[1]}` });
    if (/^\s*from\s+yaml\s+import\b/m.test(text)) for (const m of text.matchAll(BARE_PYYAML_CALL)) sites.push({ offset: m.index, loader: 'pyyaml', call: m[1] });
  }
  for (const m of text.matchAll(OMEGACONF_CALL)) sites.push({ offset: m.index, loader: 'omegaconf', call: 'OmegaConf.load' });
  for (const site of sites) {
    const line = lineOf(starts, site.offset);
    const paths = literals.filter((l) => l.line >= line - 6 && l.line <= line + 1 && !l.isF && /\.ya?ml$/i.test(l.text)).map((l) => l.text);
    if (paths.length) out.loads.push({ line, loader: site.loader, call: site.call, paths });
  }

  // Logged metric names.
  const LOG_CALL = /\b(?:wandb\.log|run\.log|\w*logger\.log_metrics|self\.log_dict|self\.log|wandb\.run\.summary\s*\[|run\.summary\s*\[|\.summary\.update)\s*[([]/g;
  for (const m of text.matchAll(LOG_CALL)) {
    out.logs = true;
    // the keys are the string literals in the call's first argument (a dict literal or a name string)
    const open = m.index + m[0].length - 1;
    const close = matchingClose(text, open);
    const first = firstArgument(text, open + 1, close);
    let sawLiteral = false;
    for (const l of literals) {
      if (l.start < first.start || l.end > first.end) continue;
      // inside a dict literal only the keys count (a literal followed by a colon)
      if (text[first.start] === '{' && !/^\s*:/.test(text.slice(l.end, l.end + 20))) continue;
      sawLiteral = true;
      out.loggedKeys.push({ file: rel, line: l.line, text: l.text, pattern: literalPattern(l.text, l.isF) });
    }
    if (!sawLiteral || /\*\*/.test(text.slice(first.start, first.end))) out.opaque = true;
  }
  if (/\b(?:WandbCallback|WandbMetricsLogger|report_to\s*=|TrainingArguments\s*\(|Trainer\s*\(\s*model\s*=|wandb\.keras|WandbEvalCallback|autolog\s*\()/.test(text)) {
    out.opaque = true;
    if (/\bwandb\b/.test(text)) out.logs = true;
  }
  return out;
}

function matchingClose(text: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < text.length && i < open + 20_000; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const q = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      const end = text.indexOf(q, i + q.length);
      if (end < 0) return text.length;
      i = end + q.length - 1;
      continue;
    }
    if (pairs[ch]) stack.push(pairs[ch]);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (!stack.length) return i;
    }
  }
  return Math.min(text.length, open + 20_000);
}

/** The span of the first argument of a call whose arguments start at `from`. */
function firstArgument(text: string, from: number, close: number): { start: number; end: number } {
  let i = from;
  while (i < close && /\s/.test(text[i])) i++;
  const start = i;
  let depth = 0;
  for (; i < close; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const q = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      const end = text.indexOf(q, i + q.length);
      if (end < 0 || end > close) return { start, end: close };
      i = end + q.length - 1;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) break;
  }
  return { start, end: i };
}
