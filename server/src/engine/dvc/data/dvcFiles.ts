import * as posix from 'node:path/posix';
import { dirHash, type DirEntry, type HashName } from './hashing';
import { YamlDocument } from '../../text/yamlDocument';
import type { Workspace } from '../../workspace';
import type { LockEntry } from '../pipeline/dvcLock';

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
  /** Recorded as a folder: a `.dir` md5, an `nfiles`, or a `files:` list (see recordedAsFolder). */
  folder: boolean;
  /**
   * The `files:` list that `dvc push` to a `version_aware` remote writes instead of a `.dir` md5; `md5` is then the
   * `.dir` hash of the same tree (the manifest DVC builds from the list).
   */
  files?: DirEntry[];
  /** `md5` for DVC 3 entries (`hash: md5`), `md5-dos2unix` for DVC 2 entries (no `hash` key). */
  hashName: HashName;
  /**
   * Written by DVC 2: an `md5` and no `hash` key. DVC 3 then reads the md5 as `md5-dos2unix` (dvc/output.py,
   * `_compute_hash_info_from_meta`: a missing `hash` is the legacy 2.x case); an entry with any `hash` is not legacy.
   */
  legacy: boolean;
  /** `cache: false` on the entry (a .dvc file's out); undefined when the file does not say. */
  cache?: boolean;
  /** Import deps (`repo:` or a URL) are not workspace data. */
  external?: boolean;
  /** Its position in the file's `outs`/`deps` list (to find its YAML node). */
  index?: number;
}

export interface DvcFileInfo {
  file: string;
  outs: RecordedEntry[];
  deps: RecordedEntry[];
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

/**
 * Whether a recorded `outs`/`deps` entry (of a `.dvc` file or dvc.lock) is a folder, from the entry alone: DVC records a
 * folder with an md5 ending in `.dir` and an `nfiles`, or, after `dvc push` to a `version_aware` remote, with a `files:`
 * list (relpath/md5/size/cloud per file) and no `.dir` md5. Used wherever a rule must know a folder that is not on disk
 * (before `dvc pull`): git's folder-only ignore patterns (`raw/`) match only folders.
 */
export function recordedAsFolder(raw: { md5?: unknown; nfiles?: unknown; files?: unknown }): boolean {
  return (typeof raw.md5 === 'string' && raw.md5.endsWith('.dir')) || typeof raw.nfiles === 'number' || Array.isArray(raw.files);
}

/** A `files:` list as DVC's tree entries; undefined unless every entry has a relpath and an md5. */
function filesList(v: unknown): DirEntry[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: DirEntry[] = [];
  for (const f of v) {
    if (!isRecord(f) || typeof f.relpath !== 'string' || typeof f.md5 !== 'string') return undefined;
    out.push({ relpath: f.relpath, md5: f.md5 });
  }
  return out;
}

function entry(raw: unknown, base: string, index?: number): RecordedEntry | undefined {
  if (!isRecord(raw) || typeof raw.path !== 'string') return undefined;
  const files = filesList(raw.files);
  const md5 = typeof raw.md5 === 'string' ? raw.md5 : files ? dirHash(files) : undefined;
  const e: RecordedEntry = {
    path: raw.path,
    rel: resolveRel(base, raw.path),
    md5,
    size: typeof raw.size === 'number' ? raw.size : undefined,
    nfiles: typeof raw.nfiles === 'number' ? raw.nfiles : undefined,
    folder: recordedAsFolder(raw),
    ...(files && typeof raw.md5 !== 'string' ? { files } : {}),
    hashName: raw.hash === 'md5' ? 'md5' : 'md5-dos2unix',
    legacy: typeof raw.md5 === 'string' && !('hash' in raw),
    cache: typeof raw.cache === 'boolean' ? raw.cache : undefined,
    external: 'repo' in raw || /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.path),
    ...(index !== undefined ? { index } : {}),
  };
  return e;
}

function entries(list: unknown, base: string): RecordedEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((x, i) => entry(x, base, i)).filter((x): x is RecordedEntry => !!x);
}

function parsed(ws: Workspace, rel: string): unknown {
  const doc = ws.yaml(rel);
  if (!(doc instanceof YamlDocument) || doc.hasErrors) return undefined;
  return doc.toJS();
}

/**
 * The one reader of `.dvc` files: the rules, the pipeline, the status, the Docker context and versioning (a `.dvc` file
 * of an earlier commit) all go through it. Reads a `.dvc` file; undefined when it cannot be read or parsed. Paths are
 * relative to its folder (and `wdir`).
 */
export function readDvcFile(ws: Workspace, rel: string): DvcFileInfo | undefined {
  return dvcFileFromValue(rel, parsed(ws, rel));
}

/** A `.dvc` file's parsed contents (from the workspace, or a blob of an earlier commit) as recorded entries. */
export function dvcFileFromValue(rel: string, v: unknown): DvcFileInfo | undefined {
  if (!isRecord(v)) return undefined;
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const base = typeof v.wdir === 'string' ? (resolveRel(dir, v.wdir) ?? dir) : dir;
  return { file: rel, outs: entries(v.outs, base), deps: entries(v.deps, base) };
}

/** A dvc.lock entry (read by the pipeline family) as recorded data; its path is relative to the stage's `wdir`. */
export function lockedEntry(e: LockEntry, wdir: string): RecordedEntry {
  return entry({ ...e }, wdir)!;
}

/** A `.dvc` file or dvc.lock path in the listing. */
export function isDvcFile(rel: string): boolean {
  return rel.endsWith('.dvc') && !rel.split('/').includes('.dvc') && posix.basename(rel) !== '.dvc';
}
