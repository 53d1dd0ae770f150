import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRegularFile } from '../regularFile';
import type { ParamValue } from '../../../../shared/types';
import type { ReadResult, RunLocation, RunReader, RunsContext } from './types';
import { composedHydraPatterns } from './hydraDirs';
import { hydraRunsIn, storesOf } from './discover';
import { mergeNested, nestedHistory } from './nested';
import { below, emptyRun, flattenParams, listDir, parseYamlLoose, readSmall, readTail, shellWord, statOrUndefined, subdirs, toPosix } from './util';

export const DEFAULT_RUN_DIR = 'outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}';
export const DEFAULT_SWEEP_DIR = 'multirun/${now:%Y-%m-%d}/${now:%H-%M-%S}';
/** Folders where a Hydra primary config usually lives (the `config_path` of `@hydra.main`). */
const CONFIG_DIRS = ['configs', 'conf', 'config'];
/** A run that changed this recently, with no sign of failure, is shown as running. */
export const RUNNING_WINDOW_MS = 120_000;
/** Run ids and location keys: `hydra:` and the run folder's POSIX path below the workspace folder. */
const HYDRA_KEY = 'hydra:';
/** Names never descended by a wildcard segment. */
const NEVER = new Set(['.git', 'node_modules', '.venv', 'venv', 'data', '.dvc', '__pycache__']);

export interface HydraPattern {
  kind: 'run' | 'sweep';
  /** The setting as written, e.g. `outputs/${hydra.job.name}/${now:%Y-%m-%d_%H-%M-%S}`. */
  raw: string;
  /** Where it was found (workspace-relative), or 'default'. */
  from: string;
  /** The setting with its interpolations resolved from the composed config (`logs/train/runs/${now:...}`), when composed. */
  resolved?: string;
  segments: Segment[];
}

interface Segment {
  literal?: string;
  regex?: RegExp;
  /** strftime fields captured by the regex groups, in order. */
  fields: string[];
}

/** Splits on `/` outside `${...}`. */
function splitPath(p: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '$' && p[i + 1] === '{') {
      depth++;
      cur += '${';
      i++;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    if (c === '/' && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur) parts.push(cur);
  return parts;
}

const STRFTIME: Record<string, [string, string | undefined]> = {
  Y: ['(\\d{4})', 'Y'],
  m: ['(\\d{2})', 'm'],
  d: ['(\\d{2})', 'd'],
  H: ['(\\d{2})', 'H'],
  M: ['(\\d{2})', 'M'],
  S: ['(\\d{2})', 'S'],
  y: ['(\\d{2})', 'y'],
  f: ['\\d{6}', undefined],
  j: ['\\d{3}', undefined],
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Turns one path segment with `${now:...}`, `${hydra.job.name}` or other interpolations into a matcher. */
export function segmentOf(seg: string): Segment {
  if (!seg.includes('${')) return { literal: seg, fields: [] };
  let re = '';
  const fields: string[] = [];
  const rx = /\$\{([^}]*)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = rx.exec(seg))) {
    re += escapeRe(seg.slice(last, m.index));
    last = m.index + m[0].length;
    const inner = m[1].trim();
    if (inner.startsWith('now:')) {
      const fmt = inner.slice(4);
      for (let i = 0; i < fmt.length; i++) {
        if (fmt[i] === '%' && i + 1 < fmt.length) {
          const f = STRFTIME[fmt[i + 1]];
          if (f) {
            re += f[0];
            if (f[1]) fields.push(f[1]);
          } else re += '.+?';
          i++;
        } else re += escapeRe(fmt[i]);
      }
    } else re += '.+?';
  }
  re += escapeRe(seg.slice(last));
  return { regex: new RegExp(`^${re}$`), fields };
}

export function compilePattern(raw: string, kind: 'run' | 'sweep', from: string): HydraPattern | undefined {
  const p = raw.trim().replace(/^\.\//, '');
  if (!p || p.startsWith('/') || p.startsWith('~') || /^[A-Za-z]:/.test(p)) return undefined; // outside the workspace
  const segments = splitPath(p).map(segmentOf);
  if (!segments.length || !segments[0].literal || segments.some((s) => s.literal === '..')) return undefined; // a leading wildcard would walk everything
  return { kind, raw, from, segments };
}

function hydraNode(value: unknown, underHydraGroup: boolean): Record<string, unknown> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (underHydraGroup) return v;
  const h = v.hydra;
  return h && typeof h === 'object' ? (h as Record<string, unknown>) : undefined;
}

function dirSetting(node: Record<string, unknown> | undefined, key: 'run' | 'sweep'): string | undefined {
  const sub = node?.[key];
  if (sub && typeof sub === 'object') {
    const dir = (sub as Record<string, unknown>).dir;
    if (typeof dir === 'string') return dir;
  }
  return undefined;
}

/**
 * The output patterns of the project: `hydra.run.dir` / `hydra.sweep.dir` from the configs in the usual config folders
 * (a `hydra:` key in a primary config, or a config in the `hydra/` group), plus Hydra's defaults.
 */
export function hydraPatterns(
  root: string,
  composed: { patterns: HydraPattern[]; notes: string[] } = { patterns: [], notes: [] },
): { patterns: HydraPattern[]; notes: string[] } {
  const notes: string[] = [...composed.notes];
  const found: HydraPattern[] = [...composed.patterns];
  /** Settings the composition resolved: their raw text is not reported again as unsearchable. */
  const resolvedRaw = new Set(composed.patterns.map((p) => `${p.kind}:${p.raw}`));
  const reported = new Set(composed.notes.map((n) => n.slice(0, n.indexOf(' in '))));
  const configDirs: string[] = [];
  for (const d of CONFIG_DIRS) configDirs.push(d);
  for (const pkg of subdirs(path.join(root, 'src'))) for (const d of CONFIG_DIRS) configDirs.push(`src/${pkg}/${d}`);
  for (const dir of configDirs) {
    const abs = path.join(root, dir);
    const entries = listDir(abs);
    if (!entries.length) continue;
    const files: { rel: string; group: boolean }[] = [];
    for (const e of entries) {
      if (e.isFile() && /\.ya?ml$/.test(e.name)) files.push({ rel: `${dir}/${e.name}`, group: false });
      if (e.isDirectory() && e.name === 'hydra') {
        for (const g of listDir(path.join(abs, 'hydra'))) if (g.isFile() && /\.ya?ml$/.test(g.name)) files.push({ rel: `${dir}/hydra/${g.name}`, group: true });
      }
    }
    for (const f of files.slice(0, 100)) {
      const r = readSmall(path.join(root, f.rel), 512 * 1024);
      if (!r.ok || !r.text.includes('dir')) continue;
      const { value } = parseYamlLoose(r.text, f.rel);
      const node = hydraNode(value, f.group);
      for (const kind of ['run', 'sweep'] as const) {
        const raw = dirSetting(node, kind);
        if (!raw) continue;
        const p = compilePattern(raw, kind, f.rel);
        if (p) found.push(p);
        else if (!resolvedRaw.has(`${kind}:${raw}`) && !reported.has(`hydra.${kind}.dir '${raw}'`))
          notes.push(`hydra.${kind}.dir '${raw}' in ${f.rel} points outside the workspace or starts with an interpolation: searched by run markers instead`);
      }
    }
  }
  found.push(compilePattern(DEFAULT_RUN_DIR, 'run', 'default')!, compilePattern(DEFAULT_SWEEP_DIR, 'sweep', 'default')!);
  const seen = new Set<string>();
  const patterns = found.filter((p) => {
    const k = `${p.kind}:${p.resolved ?? p.raw}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { patterns, notes };
}

/** Folders matching a pattern: one directory listing per segment, only into names that match. */
function expand(root: string, pattern: HydraPattern, limit = 200_000): { rel: string; captures: Record<string, string> }[] {
  // `known`: the folder was seen in a directory listing (no stat needed); literal segments are checked with one stat
  let frontier: { rel: string; captures: Record<string, string>; known: boolean }[] = [{ rel: '', captures: {}, known: true }];
  for (const seg of pattern.segments) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      if (seg.literal !== undefined) {
        next.push({ rel: f.rel ? `${f.rel}/${seg.literal}` : seg.literal, captures: f.captures, known: false });
        continue;
      }
      if (!f.known && !statOrUndefined(path.join(root, f.rel))?.isDirectory()) continue;
      for (const e of listDir(path.join(root, f.rel))) {
        if (!e.isDirectory() || NEVER.has(e.name) || e.name.startsWith('.')) continue;
        const m = seg.regex!.exec(e.name);
        if (!m) continue;
        const captures = { ...f.captures };
        seg.fields.forEach((field, i) => (captures[field] = m[i + 1]));
        next.push({ rel: f.rel ? `${f.rel}/${e.name}` : e.name, captures, known: true });
        if (next.length > limit) break;
      }
    }
    frontier = next;
    if (!frontier.length) break;
  }
  return frontier.filter((f) => f.rel && (f.known || statOrUndefined(path.join(root, f.rel))?.isDirectory()));
}

/** Date and time fields of a run path found by markers (`/2024-05-01/12-30-00`, `/2024-05-01_12-30-00`), as captures. */
export function capturesOfPath(rel: string): Record<string, string> {
  const m = /(\d{4})-(\d{2})-(\d{2})(?:[_/T ](\d{2})[-:.](\d{2})[-:.](\d{2}))?/.exec(rel);
  if (!m) return {};
  const c: Record<string, string> = { Y: m[1], m: m[2], d: m[3] };
  if (m[4]) Object.assign(c, { H: m[4], M: m[5], S: m[6] });
  return c;
}

/** Local time from strftime captures, when the path holds at least a date. */
function timeFromCaptures(c: Record<string, string>): number | undefined {
  const year = c.Y ? Number(c.Y) : c.y ? 2000 + Number(c.y) : undefined;
  if (!year || !c.m || !c.d) return undefined;
  const t = new Date(year, Number(c.m) - 1, Number(c.d), Number(c.H ?? 0), Number(c.M ?? 0), Number(c.S ?? 0)).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** Memo key of the pass's patterns (a promise); RunIndex keeps it across passes until a config changes. */
export const HYDRA_PATTERNS_MEMO = 'hydra.patterns';

/** The output patterns for one pass: the composed configs' settings, those written literally, Hydra's defaults. */
export function patternsOf(ctx: RunsContext): Promise<{ patterns: HydraPattern[]; notes: string[] }> {
  let p = ctx.memo.get(HYDRA_PATTERNS_MEMO) as Promise<ReturnType<typeof hydraPatterns>> | undefined;
  if (!p) {
    p = (async () => {
      let composed: { patterns: HydraPattern[]; notes: string[] };
      try {
        composed = await composedHydraPatterns(ctx.root, ctx.useGit);
      } catch (e) {
        composed = { patterns: [], notes: [`Hydra configs could not be composed to find the output folders: ${(e as Error).message}`] };
      }
      return hydraPatterns(ctx.root, composed);
    })();
    ctx.memo.set(HYDRA_PATTERNS_MEMO, p);
  }
  return p;
}

/** Where the script named by the job may be: `<name>.py` at the top, in src/ or in a src/ package. */
function findProgram(root: string, job: string, memo: Map<string, unknown>): string | undefined {
  const key = `hydra.program.${job}`;
  if (memo.has(key)) return memo.get(key) as string | undefined;
  const candidates = [`${job}.py`, `src/${job}.py`, ...subdirs(path.join(root, 'src')).map((d) => `src/${d}/${job}.py`)];
  const found = candidates.find((c) => statOrUndefined(path.join(root, c))?.isFile());
  memo.set(key, found);
  return found;
}

export const hydraReader: RunReader = {
  source: 'hydra',

  async watchPrefixes(ctx) {
    return [...(await patternsOf(ctx)).patterns.map((p) => p.segments[0].literal! + '/'), ...storesOf(ctx, 'Hydra').map((d) => d + '/')];
  },

  async discover(ctx) {
    const locs: RunLocation[] = [];
    const seen = new Set<string>();
    for (const pattern of (await patternsOf(ctx)).patterns) {
      // a run is named by the path from the first part that varies (`2024-05-01_12-30-00`, not `logs/train/runs/...`)
      const nameFrom = Math.max(
        1,
        pattern.segments.findIndex((s) => s.literal === undefined),
      );
      for (const m of expand(ctx.root, pattern)) {
        if (pattern.kind === 'run') {
          if (seen.has(m.rel)) continue;
          seen.add(m.rel);
          locs.push({ key: HYDRA_KEY + m.rel, source: 'hydra', path: below(ctx.root, m.rel), hint: { captures: m.captures, pattern: pattern.raw, nameFrom } });
        } else {
          // sweep dir: each job is a sub folder (hydra.sweep.subdir, `${hydra.job.num}` by default)
          for (const job of subdirs(path.join(ctx.root, m.rel))) {
            if (job.startsWith('.')) continue;
            const rel = `${m.rel}/${job}`;
            if (seen.has(rel)) continue;
            seen.add(rel);
            locs.push({
              key: HYDRA_KEY + rel,
              source: 'hydra',
              path: below(ctx.root, rel),
              hint: { captures: m.captures, pattern: pattern.raw, sweep: m.rel },
            });
          }
        }
      }
    }
    // Hydra run folders found by their markers where no pattern leads (`src/models/outputs/<date>/<time>`, a
    // hydra.run.dir that starts with an unknown environment variable): named from below their store
    for (const store of storesOf(ctx, 'Hydra')) {
      const nameFrom = store.split('/').length;
      for (const { rel, sweep } of hydraRunsIn(ctx.root, store)) {
        if (seen.has(rel)) continue;
        seen.add(rel);
        locs.push({
          key: HYDRA_KEY + rel,
          source: 'hydra',
          path: below(ctx.root, rel),
          hint: { captures: capturesOfPath(rel.slice(store.length)), nameFrom, ...(sweep ? { sweep } : {}) },
        });
      }
    }
    return locs;
  },

  history(run, metrics, ctx) {
    return nestedHistory(run, metrics, ctx);
  },

  summarize(loc, ctx): ReadResult {
    // no listing per run: the job name (the experiment) is that of one sibling run, read once per parent folder (runs of
    // one day folder usually come from one script); the full read corrects it, and drops a folder without .hydra/
    const dir = loc.path;
    const rel = loc.key.slice(HYDRA_KEY.length); // the key is the POSIX path below the root (no path.relative per run)
    const sweep = loc.hint?.sweep as string | undefined;
    const run = emptyRun({
      id: loc.key,
      source: 'hydra',
      name: runName(rel, sweep, loc.hint?.nameFrom as number | undefined),
      folder: dir,
      workspaceFolder: ctx.root,
      pending: true,
    });
    run.experiment = sweep ? `multirun ${sweep}` : (siblingJob(path.dirname(dir), ctx) ?? 'runs');
    run.startTime = timeFromCaptures((loc.hint?.captures as Record<string, string>) ?? {}) ?? statOrUndefined(dir)?.mtimeMs;
    return { runs: [run], deps: [dir] };
  },

  async read(loc, ctx): Promise<ReadResult> {
    const dir = loc.path;
    const hydraDir = path.join(dir, '.hydra');
    const deps = [dir, hydraDir];
    if (!statOrUndefined(hydraDir)?.isDirectory()) return { runs: [], deps }; // not a Hydra job folder (yet)
    const rel = toPosix(path.relative(ctx.root, dir));
    const sweep = loc.hint?.sweep as string | undefined;
    const run = emptyRun({
      id: loc.key,
      source: 'hydra',
      name: runName(rel, sweep, loc.hint?.nameFrom as number | undefined),
      folder: dir,
      workspaceFolder: ctx.root,
      details: {},
    });
    const details = run.details!;
    // config.yaml: the task config (interpolations unresolved)
    const cfgPath = path.join(hydraDir, 'config.yaml');
    const cfg = readSmall(cfgPath);
    if (cfg.ok) {
      run.configFile = cfgPath;
      const { value, warning } = parseYamlLoose(cfg.text, '.hydra/config.yaml');
      if (warning) run.warnings.push(warning);
      run.params = flattenParams(value);
    } else run.warnings.push(cfg.missing ? '.hydra/config.yaml is missing (the run may still be starting)' : cfg.warning);
    // hydra.yaml: job name, mode, choices
    let jobName: string | undefined;
    const hy = readSmall(path.join(hydraDir, 'hydra.yaml'));
    if (hy.ok) {
      const { value, warning } = parseYamlLoose(hy.text, '.hydra/hydra.yaml');
      if (warning) run.warnings.push(warning);
      const h = (value as { hydra?: Record<string, unknown> } | undefined)?.hydra;
      const job = h?.job as Record<string, unknown> | undefined;
      if (typeof job?.name === 'string') jobName = job.name;
      if (job?.num !== undefined && job?.num !== null) details.jobNum = String(job.num);
      const runtime = h?.runtime as Record<string, unknown> | undefined;
      const choices = runtime?.choices;
      if (choices && typeof choices === 'object') {
        const picked = Object.entries(choices as Record<string, unknown>).filter(([k]) => !k.startsWith('hydra/'));
        if (picked.length) details.choices = picked.map(([k, v]) => `${k}=${String(v)}`).join(' ');
      }
      if (typeof runtime?.version === 'string') details.hydraVersion = runtime.version;
    } else if (!hy.missing) run.warnings.push(hy.warning);
    // overrides.yaml
    let overrides: string[] = [];
    const ov = readSmall(path.join(hydraDir, 'overrides.yaml'));
    if (ov.ok) {
      const { value, warning } = parseYamlLoose(ov.text, '.hydra/overrides.yaml');
      if (warning) run.warnings.push(warning);
      if (Array.isArray(value)) overrides = value.map((v) => String(v));
    }
    if (overrides.length) details.overrides = overrides.join(' ');
    if (jobName) details.jobName = jobName;
    // the log file: <job>.log, else any *.log
    const entries = listDir(dir);
    const logName =
      (jobName && entries.some((e) => e.name === `${jobName}.log`) ? `${jobName}.log` : undefined) ??
      entries.find((e) => e.isFile() && e.name.endsWith('.log'))?.name;
    const logFile = logName ? path.join(dir, logName) : undefined;
    if (logFile) {
      run.logFile = logFile;
      deps.push(logFile);
    }
    // times: hydra.yaml is written when the job starts; the path holds the start time in local time
    const startStat = statOrUndefined(path.join(hydraDir, 'hydra.yaml')) ?? statOrUndefined(cfgPath);
    const fromPath = timeFromCaptures((loc.hint?.captures as Record<string, string>) ?? {});
    run.startTime = fromPath ?? startStat?.mtimeMs;
    const logStat = logFile ? statOrUndefined(logFile) : undefined;
    const tail = logFile && logStat && logStat.size > 0 ? readTail(logFile, 64 * 1024) : undefined;
    // Hydra's job log lines start with `[YYYY-MM-DD HH:MM:SS,mmm]`: the first and last give start and end, and unlike
    // mtimes they survive a copy or a git checkout of the run folder
    const logFirst = logFile && logStat && logStat.size > 0 ? logTime(readHead(logFile, 4096), 'first') : undefined;
    const logLast = tail ? logTime(tail, 'last') : undefined;
    if (logFirst !== undefined && fromPath === undefined) run.startTime = logFirst;
    const end = logLast ?? Math.max(logStat?.mtimeMs ?? 0, startStat?.mtimeMs ?? 0);
    if (run.startTime && end > run.startTime) run.durationMs = Math.round(end - run.startTime);
    // status: Hydra records none; a traceback in the log means failed, a recent change means running
    if (tail && /Traceback \(most recent call last\)|Error executing job/.test(tail)) run.status = 'failed';
    else if (end && ctx.now() - end < RUNNING_WINDOW_MS) run.status = 'running';
    else if (logStat && logStat.size > 0) run.status = 'finished';
    // experiment: the sweep for a multirun, else the job name
    run.experiment = sweep ? `multirun ${sweep}` : (jobName ?? 'runs');
    // the command that reproduces it
    const program = jobName ? findProgram(ctx.root, jobName, ctx.memo) : undefined;
    const words = overrides.map(shellWord);
    run.command = program ? ['python', program, ...words].join(' ') : words.join(' ');
    if (!program && jobName) details.program = `${jobName}.py (not found)`;
    // a multirun's parameters of interest are its overrides: keep them visible as params too
    for (const o of overrides) {
      const m = /^[+~]{0,2}([^=]+)=(.*)$/.exec(o);
      if (m && !(m[1] in run.params)) run.params[m[1]] = m[2] as ParamValue;
    }
    // loggers writing into the run folder (csv/version_0, wandb/run-*): their metrics are this run's
    deps.push(...(await mergeNested(run, dir, entries, ctx)));
    const ckpts = listDir(path.join(dir, 'checkpoints'))
      .filter((f) => f.isFile() && f.name.endsWith('.ckpt'))
      .map((f) => f.name);
    if (ckpts.length) details.checkpoints = ckpts.sort().join(', ');
    return { runs: [run], deps };
  },
};

/** The job name of one run folder under `parent` (from its `<job>.log`), memoized per parent for the pass. */
function siblingJob(parent: string, ctx: RunsContext): string | undefined {
  const key = `hydra.siblingJob.${parent}`;
  if (ctx.memo.has(key)) return ctx.memo.get(key) as string | undefined;
  let job: string | undefined;
  for (const d of listDir(parent)) {
    if (!d.isDirectory() || d.name.startsWith('.')) continue;
    const log = listDir(path.join(parent, d.name)).find((e) => e.isFile() && e.name.endsWith('.log'));
    if (log) {
      job = log.name.slice(0, -4);
      break;
    }
  }
  ctx.memo.set(key, job);
  return job;
}

/** A job of a sweep is named by its folder (`3`), a single run by its path below the output root (`2024-05-01/12-30-00`). */
function runName(rel: string, sweep: string | undefined, nameFrom = 1): string {
  return sweep ? path.posix.basename(rel) : rel.split('/').slice(nameFrom).join('/') || rel;
}

const LOG_TIME_RE = /^\[(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3})\]/gm;

/** The first or last `[YYYY-MM-DD HH:MM:SS,mmm]` line stamp of a Hydra job log, as local time. */
export function logTime(text: string | undefined, which: 'first' | 'last'): number | undefined {
  if (!text) return undefined;
  let found: RegExpExecArray | undefined;
  LOG_TIME_RE.lastIndex = 0;
  for (let m = LOG_TIME_RE.exec(text); m; m = LOG_TIME_RE.exec(text)) {
    found = m;
    if (which === 'first') break;
  }
  if (!found) return undefined;
  const [, y, mo, d, h, mi, se, ms] = found.map(Number);
  const t = new Date(y, mo - 1, d, h, mi, se, ms).getTime();
  return Number.isFinite(t) ? t : undefined;
}

function readHead(abs: string, bytes: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openRegularFile(abs).fd;
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
