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
  /** Python files that create a W&B sweep from a dict (`wandb.sweep(config, ...)`): the sweep YAML they load is theirs. */
  sweepScripts: Set<string>;
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

/**
 * A YAML path as a script builds it. `either`: a bare literal, looked up from the root (the usual working directory) and
 * next to the script; `exact`: a path built from `__file__` or from literals only (`os.path.join(os.path.dirname(__file__),
 * "..", "configs", "m.yaml")`, `Path(__file__).parent / "m.yaml"`, `Path("configs") / "m.yaml"`), already made
 * workspace-relative.
 */
export type ScriptPath = { kind: 'either'; text: string } | { kind: 'exact'; path: string };

interface FileScan {
  hydraMain: boolean;
  wandbSweep: boolean;
  /** Load calls with the paths near them (resolved per pass: the listing may change). */
  loads: { line: number; loader: 'pyyaml' | 'omegaconf'; call: string; paths: ScriptPath[] }[];
  literals: LoggedKey[];
  loggedKeys: LoggedKey[];
  opaque: boolean;
  logs: boolean;
}

const cache = new WeakMap<Workspace, Map<string, { text: string; scan: FileScan }>>();

/** Scans the project's Python files (never run folders, never ignored bulk folders); each file's scan is cached by content. */
export function scanPython(ws: Workspace, isArtefact: (rel: string) => boolean): PythonUsage {
  const usage: PythonUsage = {
    yamlLoads: new Map(),
    hydraMain: new Set(),
    loggedKeys: [],
    literals: [],
    opaqueLogging: [],
    logs: false,
    sweepScripts: new Set(),
  };
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
    if (f.wandbSweep) usage.sweepScripts.add(rel);
    usage.literals.push(...f.literals);
    usage.loggedKeys.push(...f.loggedKeys);
    if (f.opaque) usage.opaqueLogging.push(rel);
    if (f.logs) usage.logs = true;
    for (const load of f.loads) {
      for (const p of load.paths) {
        const target = p.kind === 'either' ? resolveScriptPath(ws, rel, p.text) : ws.has(p.path) ? p.path : undefined;
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
  const out: FileScan = { hydraMain: false, wandbSweep: false, loads: [], literals: [], loggedKeys: [], opaque: false, logs: false };
  const starts = lineStarts(text);
  const literals: { text: string; isF: boolean; line: number; start: number; end: number }[] = [];
  for (const m of text.matchAll(STRING_RE)) {
    const prefix = m[1].toLowerCase();
    if (prefix.includes('b')) continue;
    literals.push({ text: m[3], isF: prefix.includes('f'), line: lineOf(starts, m.index), start: m.index, end: m.index + m[0].length });
  }
  for (const l of literals) out.literals.push({ file: rel, line: l.line, text: l.text, pattern: literalPattern(l.text, l.isF) });

  // `wandb.sweep(sweep=cfg, project=...)` registers a sweep from a dict the script built (W&B SDK: wandb.sweep)
  out.wandbSweep = /\bwandb\.sweep\s*\(/.test(text) || (/^\s*from\s+wandb\s+import\s+[^\n]*\bsweep\b/m.test(text) && /(?<![.\w])sweep\s*\(/.test(text));
  if (/^\s*@hydra\.main\s*\(/m.test(text) || (/^\s*from\s+hydra\s+import\s+[^\n]*\bmain\b/m.test(text) && /^\s*@main\s*\(/m.test(text))) out.hydraMain = true;

  // YAML loads: a path literal within a few lines before the call (or on its line) names the file it reads.
  const importsPyyaml = /^\s*(?:import\s+yaml\b|from\s+yaml\s+import\b)/m.test(text);
  const ruamelStyle = /^\s*yaml\s*=\s*(?:ruamel\.yaml\.)?YAML\s*\(/m.test(text);
  const sites: { offset: number; loader: 'pyyaml' | 'omegaconf'; call: string }[] = [];
  if (importsPyyaml && !ruamelStyle) {
    for (const m of text.matchAll(PYYAML_CALL)) sites.push({ offset: m.index, loader: 'pyyaml', call: `yaml.${m[1]}` });
    if (/^\s*from\s+yaml\s+import\b/m.test(text))
      for (const m of text.matchAll(BARE_PYYAML_CALL)) sites.push({ offset: m.index, loader: 'pyyaml', call: m[1] });
  }
  for (const m of text.matchAll(OMEGACONF_CALL)) sites.push({ offset: m.index, loader: 'omegaconf', call: 'OmegaConf.load' });
  const yamlLiterals = literals.filter((l) => !l.isF && /\.ya?ml$/i.test(l.text));
  for (const site of sites) {
    const line = lineOf(starts, site.offset);
    const near = yamlLiterals.filter((l) => l.line >= line - 6 && l.line <= line + 1);
    // a name used near the call whose assignment builds the path (`CONFIG = os.path.join(...)` at the top of a test)
    const window = text.slice(starts[Math.max(0, line - 6)], starts[Math.min(starts.length - 1, line + 2)] ?? text.length);
    for (const m of text.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*(?::[^=\n]+)?=(?!=)/gm)) {
      if (!new RegExp(`\\b${m[1]}\\b`).test(window)) continue;
      const stmtEnd = statementEnd(text, m.index + m[0].length);
      for (const l of yamlLiterals) if (l.start >= m.index && l.end <= stmtEnd && !near.includes(l)) near.push(l);
    }
    const paths: ScriptPath[] = [];
    for (const l of near) {
      const p = pathExpression(text, l, rel);
      if (p) paths.push(p);
    }
    if (paths.length) out.loads.push({ line, loader: site.loader, call: site.call, paths });
  }

  // Logged metric names.
  const LOG_CALL =
    /\b(?:wandb\.log|run\.log|\w*logger\.log_metrics|self\.log_dict|self\.log|wandb\.run\.summary\s*\[|run\.summary\s*\[|\.summary\.update)\s*[([]/g;
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
  if (
    /\b(?:WandbCallback|WandbMetricsLogger|report_to\s*=|TrainingArguments\s*\(|Trainer\s*\(\s*model\s*=|wandb\.keras|WandbEvalCallback|autolog\s*\()/.test(
      text,
    )
  ) {
    out.opaque = true;
    if (/\bwandb\b/.test(text)) out.logs = true;
  }
  return out;
}

/** The end of the statement starting at `from`: the end of the line where the brackets opened on the way are closed. */
function statementEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length && i < from + 5000; i++) {
    const ch = text[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === '\n' && depth <= 0) return i;
  }
  return Math.min(text.length, from + 5000);
}

const STRING_ONLY = /^\s*[rRuU]?("|')((?:\\.|(?!\1)[^\\\n])*)\1\s*$/;

/**
 * The folder an expression names, relative to the script's folder (`up` levels above it) or to the working directory,
 * for the forms scripts use: `os.path.dirname(__file__)` (nested dirname: one level more each), `Path(__file__).parent`
 * (`.parent.parent`, `.parents[N]`, with `.resolve()`/`.absolute()`), `Path("lit")`, `Path.cwd()`, `os.getcwd()`.
 * Undefined for anything else (a variable, a function call): then the path is unknown.
 */
function baseFolder(expr: string): { from: 'script'; up: number; rest: string[] } | { from: 'root'; rest: string[] } | undefined {
  const e = expr.replace(/\s+/g, '');
  const dirnames = /^((?:os\.path\.)?dirname\()+(?:os\.path\.(?:abspath|realpath)\()?__file__\)+$/.exec(e);
  if (dirnames) return { from: 'script', up: (e.match(/dirname\(/g) ?? []).length - 1, rest: [] };
  const pl = /^(?:pathlib\.)?Path\(__file__\)((?:\.(?:resolve|absolute)\(\))*)((?:\.parent)*)(?:\.parents\[(\d+)\])?((?:\.parent)*)$/.exec(e);
  if (pl) {
    const parents = (pl[2].match(/\.parent/g) ?? []).length + (pl[4].match(/\.parent/g) ?? []).length + (pl[3] !== undefined ? Number(pl[3]) + 1 : 0);
    if (parents === 0) return undefined; // the script file itself
    return { from: 'script', up: parents - 1, rest: [] };
  }
  if (/^(?:(?:pathlib\.)?Path\.cwd\(\)|os\.getcwd\(\))$/.test(e)) return { from: 'root', rest: [] };
  const lit = /^(?:pathlib\.)?Path\((.*)\)$/.exec(expr.trim());
  if (lit) {
    const m = STRING_ONLY.exec(lit[1]);
    if (m) return { from: 'root', rest: [m[2]] };
  }
  return undefined;
}

/** Splits a call's argument text at top-level commas. */
function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (ch === '"' || ch === "'") {
      const end = args.indexOf(ch, i + 1);
      cur += args.slice(i, end < 0 ? args.length : end + 1);
      i = end < 0 ? args.length : end;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

function exactPath(script: string, base: NonNullable<ReturnType<typeof baseFolder>>, segments: string[]): ScriptPath | undefined {
  let dir = '';
  if (base.from === 'script') {
    dir = path.posix.dirname(script);
    for (let i = 0; i < base.up; i++) dir = path.posix.dirname(dir);
    if (dir === '.') dir = '';
  }
  const joined = path.posix.normalize(path.posix.join(dir || '.', ...base.rest, ...segments));
  if (joined.startsWith('..') || path.posix.isAbsolute(joined)) return undefined;
  return { kind: 'exact', path: joined };
}

/**
 * What path a `.yaml` literal stands for, from the expression around it: a bare literal (`either`), a join of literals
 * and a known base (`exact`), or undefined when a part of the path is not known (a variable, a call): an unknown path
 * names no file.
 */
function pathExpression(text: string, l: { text: string; start: number; end: number }, script: string): ScriptPath | undefined {
  const before = text.slice(Math.max(0, l.start - 400), l.start);
  // os.path.join(a, b, "c.yaml") / Path(...).joinpath("a", "c.yaml"): the literal is an argument of the call
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const ch = before[i];
    if (')]}'.includes(ch)) depth++;
    else if ('([{'.includes(ch)) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (ch !== '(') break;
      const callee = /((?:os\.)?path\.join|\.joinpath)\s*$/.exec(before.slice(0, i));
      if (!callee) break;
      const open = l.start - (before.length - i);
      const close = matchingClose(text, open);
      const args = splitArgs(text.slice(open + 1, close));
      let receiver: string | undefined;
      if (callee[1] === '.joinpath') {
        const recv = /((?:pathlib\.)?Path\([^()]*(?:\([^()]*\))?[^()]*\)(?:\.\w+(?:\(\))?|\[\d+\])*)\s*$/.exec(before.slice(0, i - callee[1].length));
        if (!recv) return undefined;
        receiver = recv[1];
      }
      const first = receiver ?? args.shift() ?? '';
      const firstLit = STRING_ONLY.exec(first);
      const base = firstLit ? { from: 'root' as const, rest: [firstLit[2]] } : baseFolder(first);
      if (!base) return undefined;
      const segments: string[] = [];
      for (const a of args) {
        const m = STRING_ONLY.exec(a);
        if (!m) return undefined;
        segments.push(m[2]);
      }
      // only literals: the working directory or the script's folder, as for a bare literal
      if (firstLit && !receiver) return { kind: 'either', text: path.posix.join(firstLit[2], ...segments) };
      return exactPath(script, base, segments);
    }
  }
  // pathlib: <base> / "a" / "c.yaml"
  if (/[^/]\/\s*$/.test(before)) {
    const segs: string[] = [];
    let rest = before.replace(/\s*\/\s*$/, '');
    for (;;) {
      const lit = /[rRuU]?("|')((?:\\.|(?!\1)[^\\\n])*)\1\s*$/.exec(rest);
      if (!lit) break;
      segs.unshift(lit[2]);
      rest = rest.slice(0, rest.length - lit[0].length);
      if (!/[^/]\/\s*$/.test(rest)) return undefined; // a bare string on the left of `/` is not a Path
      rest = rest.replace(/\s*\/\s*$/, '');
    }
    const expr = /((?:pathlib\.)?Path(?:\.cwd\(\)|\((?:[^()]|\([^()]*\))*\))(?:\.\w+(?:\(\))?|\[\d+\])*|os\.getcwd\(\))\s*$/.exec(rest);
    const base = expr ? baseFolder(expr[1]) : undefined;
    return base ? exactPath(script, base, [...segs, l.text]) : undefined;
  }
  return { kind: 'either', text: l.text };
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
