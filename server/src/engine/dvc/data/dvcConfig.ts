import * as posix from 'node:path/posix';
import type { Workspace } from '../../workspace';
import { LINE_BREAK } from '../../text/textIndex';

/** One `key = value` line of a DVC config, with where it is. */
export interface ConfigOption {
  key: string;
  value: string;
  file: string;
  /** 0-based line, and the columns of the key and of the value. */
  line: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface ConfigSection {
  /** `core`, `cache`, `remote`, ... */
  kind: string;
  /** The quoted name of a named section (`['remote "storage"']` -> `storage`). */
  name?: string;
  file: string;
  line: number;
  options: Map<string, ConfigOption>;
}

/**
 * Parses a DVC config (ConfigObj INI): `[core]`, `['remote "name"']` (also `[remote "name"]` and `["remote \"x\""]`),
 * `key = value`, `#`/`;` comments, values optionally quoted. Never throws: lines it does not understand are skipped.
 */
export function parseDvcConfig(text: string, file: string): ConfigSection[] {
  const sections: ConfigSection[] = [];
  let current: ConfigSection | undefined;
  const lines = text.split(LINE_BREAK);
  lines.forEach((raw, line) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const sec = /^\[+\s*(['"]?)(.*?)\1\s*\]+\s*(?:[#;].*)?$/.exec(trimmed);
    if (sec) {
      const m = /^([A-Za-z_][\w-]*)(?:\s+\\?["'](.*?)\\?["'])?$/.exec(sec[2].trim());
      current = { kind: (m?.[1] ?? sec[2]).toLowerCase(), name: m?.[2], file, line, options: new Map() };
      sections.push(current);
      return;
    }
    const kv = /^(\s*)([^=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!kv || !current) return;
    const keyStart = kv[1].length;
    const key = kv[2];
    let value = kv[3];
    let valueStart = raw.length - raw.slice(keyStart + key.length).replace(/^\s*=\s*/, '').length;
    // an unquoted value ends at an inline comment; a quoted one is unquoted
    const q = /^(['"])(.*)\1\s*(?:[#;].*)?$/.exec(value);
    if (q) {
      value = q[2];
      valueStart += 1;
    } else {
      value = value.replace(/\s+[#;].*$/, '');
    }
    current.options.set(key.toLowerCase(), {
      key,
      value,
      file,
      line,
      keyStart,
      keyEnd: keyStart + key.length,
      valueStart,
      valueEnd: valueStart + value.length,
    });
  });
  return sections;
}

export interface DvcConfig {
  /** The DVC project's folder (where `.dvc/` is), workspace-relative ('' = root). */
  root: string;
  /** Sections of `.dvc/config`, then of `.dvc/config.local` (later wins). */
  sections: ConfigSection[];
}

/** Folders of the DVC projects in the workspace: every folder with a `.dvc/config` (or `.dvc/` at the root). */
export function dvcRoots(ws: Workspace): string[] {
  const roots = new Set<string>();
  for (const p of ws.paths()) {
    if (p === '.dvc/config' || p.endsWith('/.dvc/config')) roots.add(p === '.dvc/config' ? '' : p.slice(0, -'/.dvc/config'.length));
  }
  if (!roots.size && ws.isDirectory('.dvc')) roots.add('');
  return [...roots].sort((a, b) => b.length - a.length);
}

/** The DVC project a workspace path belongs to: the deepest root above it ('' when none is found). */
export function dvcRootOf(roots: string[], rel: string): string {
  return roots.find((r) => r === '' || rel === r || rel.startsWith(r + '/')) ?? '';
}

/** Reads `.dvc/config` and `.dvc/config.local` of a DVC project (read through the workspace, so rules depend on them). */
export function readDvcConfig(ws: Workspace, root: string): DvcConfig {
  const sections: ConfigSection[] = [];
  for (const name of ['config', 'config.local']) {
    const rel = posix.join(root, '.dvc', name);
    const r = ws.readText(rel);
    if (r.ok) sections.push(...parseDvcConfig(r.text, rel));
  }
  return { root, sections };
}

/** The value of `section.key`, the last layer winning. */
export function configValue(cfg: DvcConfig, kind: string, key: string, name?: string): ConfigOption | undefined {
  let found: ConfigOption | undefined;
  for (const s of cfg.sections) if (s.kind === kind && s.name === name && s.options.has(key)) found = s.options.get(key);
  return found;
}

/** Named remotes with their merged options (config.local adds to or overrides config). */
export function remotes(cfg: DvcConfig): Map<string, { sections: ConfigSection[]; url?: ConfigOption }> {
  const out = new Map<string, { sections: ConfigSection[]; url?: ConfigOption }>();
  for (const s of cfg.sections) {
    if (s.kind !== 'remote' || !s.name) continue;
    const r = out.get(s.name) ?? { sections: [] };
    r.sections.push(s);
    if (s.options.has('url')) r.url = s.options.get('url');
    out.set(s.name, r);
  }
  return out;
}

/** The local cache folder of a DVC project, workspace-relative: `cache.dir` (relative to `.dvc/`) or `.dvc/cache`. */
export function cacheDirOf(cfg: DvcConfig): { rel?: string; abs?: string } {
  const dir = configValue(cfg, 'cache', 'dir');
  if (!dir || !dir.value) return { rel: posix.join(cfg.root, '.dvc', 'cache') };
  const v = dir.value.replace(/\\/g, '/');
  if (posix.isAbsolute(v) || /^[A-Za-z]:\//.test(v)) return { abs: dir.value };
  return { rel: posix.normalize(posix.join(cfg.root, '.dvc', v)) };
}
