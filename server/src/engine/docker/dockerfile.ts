import { DockerfileParser, JSONInstruction, type Instruction } from 'dockerfile-ast';
import dockerignore from '@balena/dockerignore';
import type { Range } from '../types';
import type { Workspace } from '../workspace';
import type { FileContext } from '../rule';

/** Any `Dockerfile`, `Dockerfile.<x>`, `<x>.dockerfile`, `<x>.Dockerfile`, or a file in a `dockerfiles/` folder. */
/** Every name below contains "dockerfile" (any case): `Dockerfile*`, `*.dockerfile`, `dockerfiles/...`. */
const DOCKER_IN_PATH = /dockerfile/i;

export function isDockerfile(rel: string): boolean {
  if (!DOCKER_IN_PATH.test(rel)) return false; // asked of every listed path by several rules: no slicing for the rest
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (/^Dockerfile(\.[^/]+)?$/i.test(base) && !/\.(md|txt|dockerignore)$/i.test(base)) return true;
  if (/\.dockerfile$/i.test(base)) return true;
  return /(^|\/)dockerfiles\/[^/]+$/.test(rel) && !/\.(md|txt|sh|py|ya?ml|json|dockerignore)$/i.test(base) && !base.startsWith('.');
}

/** A word of an instruction with its range (shell-form token or JSON string). */
export interface Word {
  value: string;
  range: Range;
}

export interface DockerInstruction {
  keyword: string;
  /** Whole instruction. */
  range: Range;
  keywordRange: Range;
  /** Arguments without flags; JSON form gives the unquoted strings. */
  words: Word[];
  /** Flags (`--from=build`, `--mount=type=cache,...`), name -> value. */
  flags: Map<string, string | null>;
  json: boolean;
  /** Index of the build stage (0-based). */
  stage: number;
  raw: Instruction;
}

export interface ParsedDockerfile {
  instructions: DockerInstruction[];
  /** Stage names (`FROM x AS name`), lower-cased. */
  stageNames: Set<string>;
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const df = DockerfileParser.parse(text);
  const instructions: DockerInstruction[] = [];
  const stageNames = new Set<string>();
  let stage = -1;
  for (const ins of df.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      stage++;
      const name = (ins as unknown as { getBuildStage(): string | null }).getBuildStage?.();
      if (name) stageNames.add(name.toLowerCase());
    }
    const flags = new Map<string, string | null>();
    const withFlags = ins as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] };
    for (const f of withFlags.getFlags?.() ?? []) flags.set(f.getName().toLowerCase(), f.getValue());
    let words: Word[];
    let json = false;
    if (ins instanceof JSONInstruction && ins.getOpeningBracket() && ins.getClosingBracket()) {
      json = true;
      words = ins.getJSONStrings().map((s) => ({ value: s.getJSONValue(), range: s.getRange() }));
    } else {
      words = ins.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
    }
    instructions.push({ keyword, range: ins.getRange(), keywordRange: ins.getInstructionRange(), words, flags, json, stage: Math.max(stage, 0), raw: ins });
  }
  return { instructions, stageNames };
}

const SEPARATORS = new Set(['&&', '||', ';', '|', '&']);

/** Splits the words of a RUN (or shell-form CMD) into simple commands at `&&`, `||`, `;`, `|`. */
export function commandsOf(words: Word[]): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  for (const w of words) {
    if (SEPARATORS.has(w.value)) {
      if (cur.length) out.push(cur);
      cur = [];
      continue;
    }
    if (/;$/.test(w.value) && w.value.length > 1) {
      cur.push({ value: w.value.slice(0, -1), range: { start: w.range.start, end: { line: w.range.end.line, character: w.range.end.character - 1 } } });
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(w);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Where `pip install` starts in a command (`pip`, `pip3`, `python -m pip`, `uv pip`), or -1. Returns the index of `install`. */
export function pipInstallAt(cmd: Word[]): number {
  for (let i = 0; i < cmd.length - 1; i++) {
    const v = cmd[i].value.replace(/^.*\//, '');
    if (/^pip3?(\.\d+)?$/.test(v) && cmd[i + 1].value === 'install' && !(i > 0 && cmd[i - 1].value === 'uv')) return i + 1;
  }
  return -1;
}

/** Index of `sync` in `uv sync`, or -1. */
export function uvSyncAt(cmd: Word[]): number {
  for (let i = 0; i < cmd.length - 1; i++) if (cmd[i].value.replace(/^.*\//, '') === 'uv' && cmd[i + 1].value === 'sync') return i + 1;
  return -1;
}

/** A RUN that installs dependencies (pip/uv/poetry/conda), and whether it installs from a requirements or lock file only. */
export function installKind(cmd: Word[]): 'requirements' | 'project' | 'packages' | undefined {
  const vals = cmd.map((w) => w.value);
  const pip = pipInstallAt(cmd);
  const uvPip = vals.findIndex((v, i) => v === 'uv' && vals[i + 1] === 'pip' && vals[i + 2] === 'install');
  const at = pip >= 0 ? pip : uvPip >= 0 ? uvPip + 2 : -1;
  if (at >= 0) {
    const rest = vals.slice(at + 1);
    if (rest.some((v) => v === '-r' || v.startsWith('--requirement') || /^-r\S/.test(v))) return 'requirements';
    if (rest.some((v) => v === '.' || v === '-e' || v.startsWith('./') || v === '--editable')) return 'project';
    return 'packages';
  }
  if (uvSyncAt(cmd) >= 0) return vals.includes('--no-install-project') ? 'requirements' : 'project';
  if (vals.includes('poetry') && vals.includes('install')) return vals.includes('--no-root') ? 'requirements' : 'project';
  if ((vals.includes('conda') || vals.includes('mamba')) && (vals.includes('env') || vals.includes('install'))) return 'requirements';
  return undefined;
}

/** Environment set by ENV instructions of a stage (names upper-cased), and the ARG/ENV values for `$X` expansion. */
export function envOf(p: ParsedDockerfile, stage: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const i of p.instructions) {
    if (i.stage !== stage || (i.keyword !== 'ENV' && i.keyword !== 'ARG')) continue;
    const text = i.words.map((w) => w.value).join(' ');
    for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*)|\s+(\S.*)$)?/g)) {
      env.set(m[1].toUpperCase(), (m[2] ?? m[3] ?? '').replace(/^["']|["']$/g, ''));
    }
  }
  return env;
}

// ------------------------------------------------------------------ the build context

/** `COPY`/`ADD` sources of an instruction (no `--from`), and its destination. */
export function copySources(i: DockerInstruction): { sources: Word[]; dest?: Word } {
  if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.has('from') || i.words.length < 2) return { sources: [] };
  if (i.words.some((w) => w.value.startsWith('<<'))) return { sources: [] }; // heredoc
  return { sources: i.words.slice(0, -1), dest: i.words[i.words.length - 1] };
}

/**
 * The build context of a Dockerfile, as a workspace folder ('' for the root). The course builds
 * `docker build -f dockerfiles/api.dockerfile .` from the root; a `Dockerfile` in a sub-folder is usually built from its
 * own folder. Decided by where the COPY sources exist; the root when nothing tells.
 */
export function buildContext(ws: Workspace, dockerfile: string, p: ParsedDockerfile): string {
  const dir = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/')) : '';
  if (!dir) return '';
  const sources = p.instructions
    .flatMap((i) => copySources(i).sources.map((w) => w.value))
    .filter((s) => s !== '.' && !/[$*?[]/.test(s) && !/^https?:/.test(s));
  if (!sources.length) return /(^|\/)dockerfiles?$|(^|\/)docker$/.test(dir) ? '' : dir;
  const hits = (base: string): number => sources.filter((s) => ws.exists(joinPath(base, s))).length;
  const own = hits(dir);
  const root = hits('');
  return own > root ? dir : '';
}

export function joinPath(base: string, rel: string): string {
  const parts = base ? base.split('/') : [];
  for (const p of rel.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

/** The `.dockerignore` that applies: `<Dockerfile>.dockerignore` next to it (BuildKit), else the context's. */
export function dockerignoreFor(ws: Workspace, dockerfile: string, context: string): string | undefined {
  const own = dockerfile + '.dockerignore';
  if (ws.exists(own)) return own;
  const ctx = joinPath(context, '.dockerignore');
  return ws.exists(ctx) ? ctx : undefined;
}

/**
 * A matcher for a .dockerignore, with Docker's semantics (not git's): patterns are Go `filepath.Match` globs relative to
 * the context root, so `.env`, `*.pt` and `data` match only at the root, and `**\/.env` anywhere; a pattern that
 * matches a folder excludes everything in it; `!` re-includes and the last matching line decides; leading `/` and `./`
 * are cleaned away. Matched by @balena/dockerignore, a port of Docker's own matcher.
 */
export function dockerignoreMatcher(text: string): (rel: string, isDir?: boolean) => boolean {
  const ig = dockerignore({ ignorecase: false }).add(text.split(/\r?\n/));
  return (rel) => {
    if (!rel || rel === '.') return false;
    try {
      return ig.ignores(rel.replace(/\/$/, ''));
    } catch {
      return false;
    }
  };
}

// ------------------------------------------------------------------ image paths back to repository paths

/**
 * Follows WORKDIR and COPY of one stage so that a path inside the image can be traced back to the file of the build
 * context it came from. Returns candidate workspace paths, or undefined when nothing copied it (then nothing can be said).
 */
export function imagePathToSources(p: ParsedDockerfile, stage: number, upTo: number, context: string, imagePath: string, ws: Workspace): string[] | undefined {
  let workdir = '/';
  const copies: { src: string; dest: string; srcIsDir: boolean }[] = [];
  for (let k = 0; k < p.instructions.length && k < upTo; k++) {
    const i = p.instructions[k];
    if (i.stage !== stage) continue;
    if (i.keyword === 'WORKDIR' && i.words[0]) workdir = absImage(workdir, i.words[0].value);
    const { sources, dest } = copySources(i);
    if (!dest) continue;
    const d = absImage(workdir, dest.value);
    for (const s of sources) {
      if (/[$*?[]/.test(s.value)) return undefined; // globs and variables: cannot follow
      const src = joinPath(context, s.value);
      const srcIsDir = s.value === '.' || s.value.endsWith('/') || ws.isDirectory(src);
      copies.push({
        src,
        dest: !srcIsDir && (dest.value.endsWith('/') || sources.length > 1) ? `${d.replace(/\/$/, '')}/${s.value.replace(/\/$/, '').split('/').pop()}` : d,
        srcIsDir,
      });
    }
  }
  const target = absImage(workdir, imagePath);
  const out: string[] = [];
  for (let k = copies.length - 1; k >= 0; k--) {
    const c = copies[k];
    const dest = c.dest.replace(/\/$/, '') || '/';
    if (c.srcIsDir) {
      if (target === dest) out.push(c.src);
      else if (target.startsWith(dest === '/' ? '/' : dest + '/')) out.push(joinPath(c.src, target.slice(dest === '/' ? 1 : dest.length + 1)));
    } else if (target === dest) out.push(c.src);
  }
  return out.length ? out : undefined;
}

function absImage(workdir: string, p: string): string {
  if (p.startsWith('/')) return normaliseImage(p);
  return normaliseImage(`${workdir.replace(/\/$/, '')}/${p}`);
}

function normaliseImage(p: string): string {
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (!s || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  return '/' + parts.join('/');
}

/** The checked Dockerfile, parsed once per pass, with its build context folder. */
export function dockerfileOf(ctx: FileContext): { p: ParsedDockerfile; context: string } | undefined {
  return ctx.memo(`docker:${ctx.file}`, () => {
    const r = ctx.text();
    if (!r.ok) return undefined;
    const p = parseDockerfile(r.text);
    return { p, context: buildContext(ctx.ws, ctx.file, p) };
  });
}
