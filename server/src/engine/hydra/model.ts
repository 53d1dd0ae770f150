/**
 * Glue between the workspace and the Hydra model: which composition a config file is checked against (cached across
 * check passes, revalidated by re-reading what it read, so an edit re-composes only what it touches), and the string
 * values of a config file with their interpolations and source offsets.
 */
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Workspace, ReadTracker } from '../workspace';
import type { YamlDocument } from '../text/yamlDocument';
import { compose, configFileOf, groupOf, parseConfig, type Composition } from './config';
import { parseConfigValue, type Interp, type ParseResult } from './interpolation';
import type { HydraConfigDir, HydraProject } from './project';

type Dep = [path: string, fingerprint: string, kind: 'read' | 'stat'];
interface CacheEntry {
  deps: Dep[];
  value: unknown;
}
const cache = new WeakMap<Workspace, Map<string, CacheEntry>>();

function fingerprint(ws: Workspace, rel: string): string {
  const r = ws.readText(rel);
  return r.ok ? r.text : `\0${r.reason}`;
}

/** What a stat-only use of a path depends on: whether it exists, as what, and whether git lists or tracks it. */
function statFingerprint(ws: Workspace, rel: string): string {
  const st = ws.stat(rel);
  return `\0${st ? (st.isDirectory ? 'dir' : 'file') : 'missing'}${ws.has(rel) ? '+listed' : ''}${ws.isTracked(rel) ? '+tracked' : ''}`;
}

/**
 * `compute()` once, then reused while every file it read reads the same (and every path it only looked at still
 * exists as it did); the reads are reported to the current tracker on every use, so the engine re-runs the caller when
 * one of them changes.
 */
export function cached<T>(ws: Workspace, key: string, compute: () => T): T {
  let m = cache.get(ws);
  if (!m) cache.set(ws, (m = new Map()));
  const hit = m.get(key);
  if (hit && hit.deps.every(([rel, fp, kind]) => (kind === 'stat' ? statFingerprint(ws, rel) : fingerprint(ws, rel)) === fp)) return hit.value as T;
  const outer = ws.currentTracker;
  const reads = new Set<string>();
  const stats = new Set<string>();
  const rec: ReadTracker = {
    read: (r) => {
      reads.add(r);
      outer?.read(r);
    },
    stat: (r) => {
      stats.add(r);
      outer?.stat(r);
    },
    listed: () => outer?.listed(),
  };
  const value = ws.withTracker(rec, compute);
  const deps = ws.withTracker(rec, () => [
    ...[...reads].map((r) => [r, fingerprint(ws, r), 'read'] as Dep),
    ...[...stats].filter((r) => !reads.has(r)).map((r) => [r, statFingerprint(ws, r), 'stat'] as Dep),
  ]);
  m.set(key, { deps, value });
  if (m.size > 5000) m.delete(m.keys().next().value as string);
  return value;
}

export function composeCached(ws: Workspace, project: HydraProject, dir: HydraConfigDir, primary: string, choices?: Map<string, string[]>): Composition {
  const key = `${primary}|${choices ? JSON.stringify([...choices]) : ''}`;
  return cached(ws, key, () => compose(ws, project, dir, primary, choices ? new Map(choices) : undefined));
}

/** Primary configs of a config dir: the ones the code names, else the top-level .yaml files. */
export function primariesOf(ws: Workspace, project: HydraProject, dir: HydraConfigDir): string[] {
  const named = dir.primaries.map((p) => configFileOf(dir, p)).filter((f) => ws.exists(f));
  if (named.length) return named;
  return project.configFiles.filter((f) => project.configDirOf(f) === dir && groupOf(dir, f) === '' && f.endsWith('.yaml'));
}

export interface FileComposition {
  comp: Composition;
  dir: HydraConfigDir;
  /** The package the file's content lands at. */
  pkg: string;
  /** How it was composed, for messages: `configs/config.yaml` or `configs/config.yaml with model=resnet`. */
  how: string;
}

/**
 * The composition a config file is checked against: as the primary config itself, as part of a primary's defaults, or
 * as an option of a group (composed with `group=option`, like the command line would). Undefined for a file that no
 * primary config can reach.
 */
export function compositionFor(ws: Workspace, project: HydraProject, rel: string): FileComposition | undefined {
  const dir = project.configDirOf(rel);
  if (!dir) return undefined;
  const primaries = primariesOf(ws, project, dir);
  const short = (p: string) => p;
  if (primaries.includes(rel)) {
    const comp = composeCached(ws, project, dir, rel);
    return { comp, dir, pkg: comp.packages.get(rel) ?? '', how: short(rel) };
  }
  const group = groupOf(dir, rel);
  const option = path.posix.basename(rel).replace(/\.ya?ml$/, '');
  for (const p of primaries) {
    const comp = composeCached(ws, project, dir, p);
    if (comp.packages.has(rel)) return { comp, dir, pkg: comp.packages.get(rel)!, how: short(p) };
  }
  if (!group || !rel.endsWith('.yaml')) return undefined;
  for (const p of primaries) {
    const base = composeCached(ws, project, dir, p);
    if (!base.choices.has(group) && !hasGroupEntry(ws, base, dir, group)) continue;
    const comp = composeCached(ws, project, dir, p, new Map([[group, [option]]]));
    if (comp.packages.has(rel)) return { comp, dir, pkg: comp.packages.get(rel)!, how: `${short(p)} with ${group}=${option}` };
  }
  return undefined;
}

/**
 * Every composition a config file takes part in, one per primary config that composes it (configs/trainer/default.yaml
 * is part of train.yaml and of eval.yaml): as part of the primary's defaults, else as an option of its group. The
 * editor's hover and completion use them all (a key set by either primary is a key), each value with its primary.
 */
export function compositionsFor(ws: Workspace, project: HydraProject, rel: string): FileComposition[] {
  const dir = project.configDirOf(rel);
  if (!dir) return [];
  const primaries = primariesOf(ws, project, dir);
  if (primaries.includes(rel)) {
    const comp = composeCached(ws, project, dir, rel);
    return [{ comp, dir, pkg: comp.packages.get(rel) ?? '', how: rel }];
  }
  const group = groupOf(dir, rel);
  const option = path.posix.basename(rel).replace(/\.ya?ml$/, '');
  const out: FileComposition[] = [];
  for (const p of primaries) {
    const base = composeCached(ws, project, dir, p);
    if (base.packages.has(rel)) {
      out.push({ comp: base, dir, pkg: base.packages.get(rel)!, how: p });
      continue;
    }
    if (!group || !rel.endsWith('.yaml')) continue;
    if (!base.choices.has(group) && !hasGroupEntry(ws, base, dir, group)) continue;
    const comp = composeCached(ws, project, dir, p, new Map([[group, [option]]]));
    if (comp.packages.has(rel)) out.push({ comp, dir, pkg: comp.packages.get(rel)!, how: `${p} with ${group}=${option}` });
  }
  // the ones that compose the file as it is come first (the order compositionFor prefers)
  return [...out.filter((c) => !c.how.includes(' with ')), ...out.filter((c) => c.how.includes(' with '))];
}

/** Whether a config of the composition has a defaults entry for `group` (even `null` or `???`). */
function hasGroupEntry(ws: Workspace, c: Composition, dir: HydraConfigDir, group: string): boolean {
  for (const rel of c.packages.keys()) {
    const p = parseConfig(ws, rel);
    const g = groupOf(dir, rel);
    if (p?.defaults.some((e) => e.kind === 'group' && (e.absolute || !g ? e.group : `${g}/${e.group}`) === group)) return true;
  }
  return false;
}

export interface StringValue {
  node: Node;
  /** Keys from the file's root to the value (the value's own key last; list items as indexes). */
  path: string[];
  value: string;
  parsed: ParseResult;
  /** Maps an offset in `value` to an offset in the file. */
  offset(i: number): number;
}

/** Every string value of the file that OmegaConf would parse (contains `${`), outside the defaults list. */
const valuesCache = new WeakMap<YamlDocument, StringValue[]>();

export function stringValues(doc: YamlDocument): StringValue[] {
  const hit = valuesCache.get(doc);
  if (hit) return hit;
  const out: StringValue[] = [];
  valuesCache.set(doc, out);
  const visit = (node: unknown, keys: string[]): void => {
    if (isMap(node)) {
      for (const it of node.items) {
        if (!isPair(it) || !isScalar((it as Pair).key)) continue;
        const k = String(((it as Pair).key as { value: unknown }).value);
        if (keys.length === 0 && k === 'defaults') continue;
        visit((it as Pair).value, [...keys, k]);
      }
    } else if (isSeq(node)) node.items.forEach((n, i) => visit(n, [...keys, String(i)]));
    else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${') && node.range) {
      const value = node.value;
      out.push({ node, path: keys, value, parsed: parseConfigValue(value), offset: doc.valueOffsets(node) });
    }
  };
  visit(doc.doc?.contents, []);
  return out;
}

/** Where an interpolation of a value at `valuePath` (inside the file, at package `pkg`) points, as absolute keys. */
export function targetKeys(pkg: string, valuePath: string[], dots: number, keys: string[]): string[] {
  const abs = [...(pkg ? pkg.split('.') : []), ...valuePath];
  if (dots === 0) return keys;
  const container = abs.slice(0, abs.length - 1);
  return [...container.slice(0, Math.max(0, container.length - (dots - 1))), ...keys];
}

export type { Interp };
