import * as path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../types';
import type { Workspace } from '../workspace';
import { YamlDocument } from '../text/yamlDocument';
import type { HydraConfigDir } from './project';

/**
 * The defaults list of a Hydra config (Hydra 1.1+ semantics: groups relative to the containing config's group unless
 * absolute `/group`, `optional`, `override`, `_self_`, `@package`, `???`, `null`), config groups and their options.
 */

// ---------------------------------------------------------------- defaults lists

export interface DefaultsOption {
  name: string;
  range: Range;
}

export interface DefaultsEntry {
  index: number;
  kind: 'self' | 'config' | 'group';
  optional: boolean;
  override: boolean;
  /** Group as written, without a leading '/' (group entries), or the config path (config entries). */
  group: string;
  absolute: boolean;
  /** `@pkg` as written. */
  package?: string;
  /** `options` (one or a list), `null` (disabled), `missing` (`???`), `interpolation` (`${...}`, decided at run time). */
  value: 'options' | 'null' | 'missing' | 'interpolation';
  options: DefaultsOption[];
  /** The whole item, the key (group entries) or the string (config entries), the value. */
  itemRange: Range;
  keyRange: Range;
  valueRange?: Range;
  /** A shape Hydra rejects (not a string or a one-key mapping). */
  invalid?: string;
}

export interface ParsedConfig {
  rel: string;
  doc: YamlDocument;
  /** `# @package` header value. */
  headerPackage?: string;
  defaults: DefaultsEntry[];
  defaultsRange?: Range;
}

const parsedCache = new WeakMap<Workspace, Map<string, { text: string; parsed: ParsedConfig | undefined }>>();

/** The config parsed (cached by content; reads go through ws so they are tracked). Undefined when unreadable or invalid. */
export function parseConfig(ws: Workspace, rel: string): ParsedConfig | undefined {
  const r = ws.readText(rel);
  if (!r.ok) return undefined;
  let m = parsedCache.get(ws);
  if (!m) parsedCache.set(ws, (m = new Map()));
  const hit = m.get(rel);
  if (hit && hit.text === r.text) return hit.parsed;
  const y = ws.yaml(rel);
  let parsed: ParsedConfig | undefined;
  if (y instanceof YamlDocument && !y.hasErrors) {
    parsed = { rel, doc: y, headerPackage: headerPackage(r.text), defaults: [] };
    const pair = YamlDocument.pair(y.rootMap, 'defaults');
    if (pair && isSeq(pair.value)) {
      parsed.defaultsRange = y.keyRange(pair);
      parsed.defaults = pair.value.items.map((item, i) => parseEntry(y, item as Node, i));
    }
  }
  m.set(rel, { text: r.text, parsed });
  return parsed;
}

/** `# @package foo` in the comment lines at the top of the file. */
export function headerPackage(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t) continue;
    if (!t.startsWith('#')) break;
    const m = /^#\s*@package\s+(\S+)/.exec(t);
    if (m) return m[1];
  }
  return undefined;
}

function parseEntry(doc: YamlDocument, item: Node, index: number): DefaultsEntry {
  const itemRange = doc.rangeOf(item);
  const base = { index, optional: false, override: false, absolute: false, options: [] as DefaultsOption[], itemRange, keyRange: itemRange };
  if (isScalar(item) && typeof item.value === 'string') {
    const s = item.value.trim();
    if (s === '_self_') return { ...base, kind: 'self', group: '_self_', value: 'options' };
    // a config entry: `path[@pkg]`, optionally `optional path`
    let rest = s;
    let optional = false;
    if (/^optional\s+/.test(rest)) {
      optional = true;
      rest = rest.replace(/^optional\s+/, '');
    }
    const [p, pkg] = rest.split('@');
    const absolute = p.startsWith('/');
    return {
      ...base,
      kind: 'config',
      optional,
      group: absolute ? p.slice(1) : p,
      absolute,
      package: pkg,
      value: 'options',
      options: [{ name: p, range: itemRange }],
    };
  }
  if (isMap(item) && item.items.length === 1) {
    const pair = item.items[0] as Pair<Node, Node>;
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyRange = doc.keyRange(pair);
    const words = key.trim().split(/\s+/);
    let optional = false;
    let override = false;
    while (words.length > 1 && (words[0] === 'optional' || words[0] === 'override')) {
      if (words.shift() === 'optional') optional = true;
      else override = true;
    }
    const spec = words.join(' ');
    const at = spec.indexOf('@');
    const g = at >= 0 ? spec.slice(0, at) : spec;
    const pkg = at >= 0 ? spec.slice(at + 1) : undefined;
    const absolute = g.startsWith('/');
    const entry: DefaultsEntry = {
      ...base,
      kind: 'group',
      optional,
      override,
      group: absolute ? g.slice(1) : g,
      absolute,
      package: pkg,
      keyRange,
      value: 'options',
      valueRange: pair.value ? doc.rangeOf(pair.value) : undefined,
    };
    const v = pair.value;
    const optionOf = (n: Node): DefaultsOption | undefined =>
      isScalar(n) && n.value !== null && n.value !== undefined ? { name: String(n.value), range: doc.rangeOf(n) } : undefined;
    if (!v || (isScalar(v) && (v.value === null || v.value === undefined))) entry.value = 'null';
    else if (isScalar(v) && String(v.value) === '???') entry.value = 'missing';
    else if (isScalar(v) && String(v.value).includes('${')) entry.value = 'interpolation';
    else if (isSeq(v)) entry.options = v.items.map((n) => optionOf(n as Node)).filter((o): o is DefaultsOption => !!o);
    else if (isScalar(v)) entry.options = [optionOf(v)!];
    else entry.invalid = 'the value of a defaults entry must be an option name, a list of option names, null or ???';
    return entry;
  }
  return { ...base, kind: 'config', group: '', value: 'options', invalid: 'a defaults entry must be a config path or a one-key mapping `group: option`' };
}

/** The group (folder inside the config dir) a config file belongs to: '' for the top level. */
export function groupOf(dir: HydraConfigDir, rel: string): string {
  const inside = dir.dir ? rel.slice(dir.dir.length + 1) : rel;
  const d = path.posix.dirname(inside);
  return d === '.' ? '' : d;
}

/** The full group path of an entry of a config in `parentGroup`. */
export function entryGroup(entry: DefaultsEntry, parentGroup: string): string {
  if (entry.absolute || !parentGroup) return entry.group;
  return `${parentGroup}/${entry.group}`;
}

export function configFileOf(dir: HydraConfigDir, configPath: string): string {
  const p = configPath.replace(/\.yaml$/, '') + '.yaml';
  return dir.dir ? `${dir.dir}/${p}` : p;
}

/** Options available in a group: the .yaml files directly in its folder (on disk, as Hydra sees them). */
export function groupOptions(ws: Workspace, dir: HydraConfigDir, group: string): string[] {
  const folder = [dir.dir, group].filter(Boolean).join('/');
  return ws
    .readDir(folder)
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.yaml'))
    .map((e) => e.name.slice(0, -'.yaml'.length))
    .sort();
}

/** Whether the path is a Hydra plugin or built-in group (`hydra/...`), which Hydra resolves from its own packages. */
export function isHydraGroup(group: string): boolean {
  return group === 'hydra' || group.startsWith('hydra/');
}

/**
 * Whether Hydra or a Hydra plugin (an installed package, not a file of the project) provides `group: option`: every
 * option of a `hydra/...` group (hydra-core's hydra/launcher: basic, hydra/job_logging: default; hydra-colorlog's
 * colorlog, hydra-optuna-sweeper's optuna, ...), and `hydra: config`. Other options of the group `hydra` itself
 * (`- hydra: default` in lightning-hydra-template) are configs of the project.
 */
export function providedByHydra(group: string, option: string): boolean {
  return group.startsWith('hydra/') || (group === 'hydra' && option === 'config');
}

// ---------------------------------------------------------------- composition
