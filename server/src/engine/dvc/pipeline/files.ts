import { TomlDocument } from '../../text/tomlDocument';
import { YamlDocument } from '../../text/yamlDocument';
import type { ReadResult } from '../../workspace';
import { decodeText } from '../../workspace/reads';
import { resolveRel } from '../data/dvcFiles';

type NotRead = Extract<ReadResult, { ok: false }>;

/**
 * What the DVC pipeline readers (dvc.yaml with its templating, params files) read files through. The Workspace is one
 * (the files on disk, with the editor's unsaved texts); a `SnapshotFiles` is another (the blobs of a commit). Paths are
 * workspace-relative POSIX paths.
 */
export interface PipelineFiles {
  exists(rel: string): boolean;
  readText(rel: string): ReadResult;
  yaml(rel: string): YamlDocument | NotRead;
  toml(rel: string): TomlDocument | NotRead;
}

/** What a snapshot knows of one path: its text, that nothing is there (`missing`, `directory`), or nothing yet. */
export type SnapshotEntry = ReadResult | undefined;

/** Parsed documents by text, shared by the snapshots of many commits (most experiments share their dvc.yaml). */
export interface DocumentCache {
  yaml: Map<string, YamlDocument>;
  toml: Map<string, TomlDocument>;
}

export function documentCache(): DocumentCache {
  return { yaml: new Map(), toml: new Map() };
}

/**
 * The files of a snapshot (a commit's tree), read through `lookup`. A path whose lookup gives `undefined` has not been
 * fetched yet: it reads as missing and is added to `wanted`, so that a caller can fetch what a parse asked for (a vars
 * file, params.yaml) and parse again. Parsed documents are cached by text (in `cache` when given).
 */
export class SnapshotFiles implements PipelineFiles {
  /** Paths asked for that the lookup did not have. */
  readonly wanted = new Set<string>();

  constructor(
    private readonly lookup: (rel: string) => SnapshotEntry,
    private readonly cache: DocumentCache = documentCache(),
  ) {}

  readText(rel: string): ReadResult {
    const r = this.lookup(rel);
    if (r === undefined) {
      this.wanted.add(rel);
      return { ok: false, reason: 'missing', detail: 'it does not exist' };
    }
    return r;
  }

  exists(rel: string): boolean {
    const r = this.readText(rel);
    return r.ok || r.reason !== 'missing';
  }

  yaml(rel: string): YamlDocument | NotRead {
    const r = this.readText(rel);
    if (!r.ok) return r;
    let y = this.cache.yaml.get(r.text);
    if (!y) this.cache.yaml.set(r.text, (y = new YamlDocument(r.text)));
    return y;
  }

  toml(rel: string): TomlDocument | NotRead {
    const r = this.readText(rel);
    if (!r.ok) return r;
    let t = this.cache.toml.get(r.text);
    if (!t) this.cache.toml.set(r.text, (t = new TomlDocument(r.text)));
    return t;
  }
}

/**
 * A git object's content as a snapshot entry: a blob's text (decoded as every file is, see `decodeText`: NUL bytes
 * make it binary, invalid UTF-8 is replaced and said), a tree is a folder, nothing is missing.
 */
export function blobEntry(o: { type: string; content: Buffer } | undefined, maxBytes: number): ReadResult {
  if (!o) return { ok: false, reason: 'missing', detail: 'it does not exist' };
  if (o.type === 'tree') return { ok: false, reason: 'directory', detail: 'it is a folder' };
  if (o.type !== 'blob') return { ok: false, reason: 'unreadable', detail: `it is a ${o.type}` };
  if (o.content.length > maxBytes) return { ok: false, reason: 'too-large', detail: `it is larger than ${maxBytes} bytes` };
  return decodeText(o.content);
}

/**
 * The path inside a repository of a workspace-relative path when the workspace is the folder `prefix` of it (`git
 * rev-parse --show-prefix`: '' or `sub/`); undefined when it leaves the repository (see `resolveRel`).
 */
export function repoPathOf(prefix: string, rel: string): string | undefined {
  return resolveRel(prefix.replace(/\/$/, ''), rel);
}
