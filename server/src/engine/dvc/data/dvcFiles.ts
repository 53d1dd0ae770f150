import * as posix from 'node:path/posix';
import type { HashName } from './hashing';
import { YamlDocument } from '../../text/yamlDocument';
import type { Workspace } from '../../workspace';

/** One `deps`/`outs` entry of a `.dvc` file or a dvc.lock stage, as recorded. */
export interface RecordedEntry {
  /** The path as written (relative to the file's folder, or the stage's wdir). */
  path: string;
  /** Workspace-relative POSIX path; undefined when it points outside the workspace. */
  rel?: string;
  /** Recorded hash value (`<hex>` or `<hex>.dir`); undefined when none was recorded yet. */
  md5?: string;
  size?: number;
  nfiles?: number;
  /** `md5` for DVC 3 entries (`hash: md5`), `md5-dos2unix` for DVC 2 entries (no `hash` key). */
  hashName: HashName;
  /** `cache: false` on the entry (a .dvc file's out); undefined when the file does not say. */
  cache?: boolean;
  /** Import deps (`repo:` or a URL) are not workspace data. */
  external?: boolean;
}

export interface DvcFileInfo {
  file: string;
  outs: RecordedEntry[];
  deps: RecordedEntry[];
}

export interface LockStage {
  name: string;
  deps: RecordedEntry[];
  outs: RecordedEntry[];
  /** file -> key -> value, as locked. */
  params: Record<string, Record<string, unknown>>;
}

export interface LockInfo {
  file: string;
  stages: LockStage[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Workspace-relative path of `p` written in a file of folder `base` ('' = root); undefined if it leaves the workspace. */
export function resolveRel(base: string, p: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || posix.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) return undefined;
  const joined = posix.normalize(posix.join(base || '.', p.replace(/\\/g, '/'))).replace(/\/$/, '');
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined;
}

function entry(raw: unknown, base: string): RecordedEntry | undefined {
  if (!isRecord(raw) || typeof raw.path !== 'string') return undefined;
  const md5 = typeof raw.md5 === 'string' ? raw.md5 : undefined;
  const e: RecordedEntry = {
    path: raw.path,
    rel: resolveRel(base, raw.path),
    md5,
    size: typeof raw.size === 'number' ? raw.size : undefined,
    nfiles: typeof raw.nfiles === 'number' ? raw.nfiles : undefined,
    hashName: raw.hash === 'md5' ? 'md5' : 'md5-dos2unix',
    cache: typeof raw.cache === 'boolean' ? raw.cache : undefined,
    external: 'repo' in raw || /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.path),
  };
  return e;
}

function entries(list: unknown, base: string): RecordedEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((x) => entry(x, base)).filter((x): x is RecordedEntry => !!x);
}

function parsed(ws: Workspace, rel: string): unknown {
  const doc = ws.yaml(rel);
  if (!(doc instanceof YamlDocument) || doc.hasErrors) return undefined;
  return doc.toJS();
}

/** Reads a `.dvc` file; undefined when it cannot be read or parsed. Paths are relative to its folder (and `wdir`). */
export function readDvcFile(ws: Workspace, rel: string): DvcFileInfo | undefined {
  const v = parsed(ws, rel);
  if (!isRecord(v)) return undefined;
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const base = typeof v.wdir === 'string' ? (resolveRel(dir, v.wdir) ?? dir) : dir;
  return { file: rel, outs: entries(v.outs, base), deps: entries(v.deps, base) };
}

/**
 * Reads a dvc.lock: every stage's deps, outs and params. `wdirOf(stage)` gives a stage's `wdir` from dvc.yaml
 * (dvc.lock paths are relative to it).
 */
export function readDvcLock(ws: Workspace, rel: string, wdirOf: (stage: string) => string | undefined = () => undefined): LockInfo | undefined {
  const v = parsed(ws, rel);
  if (!isRecord(v) || !isRecord(v.stages)) return undefined;
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const stages: LockStage[] = [];
  for (const [name, s] of Object.entries(v.stages)) {
    if (!isRecord(s)) continue;
    const wdir = wdirOf(name);
    const base = wdir ? (resolveRel(dir, wdir) ?? dir) : dir;
    const params: LockStage['params'] = {};
    if (isRecord(s.params)) for (const [f, kv] of Object.entries(s.params)) if (isRecord(kv)) params[f] = kv;
    stages.push({ name, deps: entries(s.deps, base), outs: entries(s.outs, base), params });
  }
  return { file: rel, stages };
}

/** What the status needs from dvc.yaml: the stage names, their wdir, and outs declared `cache: false`. */
export interface PipelineFacts {
  file: string;
  /** Stages written as plain stages (not foreach/matrix templates), with their wdir. */
  plain: Map<string, { wdir?: string; uncached: Set<string> }>;
  /** Names of template stages (foreach/matrix): their generated `name@...` stages cannot be listed without templating. */
  templates: Set<string>;
}

/** A minimal reading of dvc.yaml for the status (the pipeline family owns full parsing and templating). */
export function readPipelineFacts(ws: Workspace, rel: string): PipelineFacts | undefined {
  const v = parsed(ws, rel);
  if (!isRecord(v) || !isRecord(v.stages)) return undefined;
  const facts: PipelineFacts = { file: rel, plain: new Map(), templates: new Set() };
  for (const [name, s] of Object.entries(v.stages)) {
    if (!isRecord(s)) continue;
    if ('foreach' in s || 'matrix' in s) {
      facts.templates.add(name);
      continue;
    }
    const uncached = new Set<string>();
    for (const key of ['outs', 'metrics', 'plots']) {
      const list = s[key];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        if (!isRecord(item)) continue;
        for (const [p, flags] of Object.entries(item)) if (isRecord(flags) && flags.cache === false) uncached.add(p);
      }
      // metrics and plots outs are cached by default too; only an explicit `cache: false` opts out
    }
    facts.plain.set(name, { wdir: typeof s.wdir === 'string' ? s.wdir : undefined, uncached });
  }
  return facts;
}

/** A `.dvc` file or dvc.lock path in the listing. */
export function isDvcFile(rel: string): boolean {
  return rel.endsWith('.dvc') && !rel.split('/').includes('.dvc') && posix.basename(rel) !== '.dvc';
}
