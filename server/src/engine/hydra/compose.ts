import * as path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../types';
import type { Workspace } from '../workspace';
import { YamlDocument } from '../text/yamlDocument';
import type { HydraConfigDir, HydraProject } from './project';
import { configFileOf, entryGroup, groupOf, isHydraGroup, parseConfig, type DefaultsEntry, type ParsedConfig } from './defaults';

/**
 * The composition of a primary config as Hydra does it (defaults merged in order at their packages) with the origin of
 * every value, so interpolations can be resolved and explained.
 */

export interface Origin {
  file: string;
  keyRange?: Range;
  valueRange: Range;
}

export type CNode =
  | { t: 'map'; entries: Map<string, CNode>; origin?: Origin }
  | { t: 'seq'; items: CNode[]; origin?: Origin }
  | { t: 'scalar'; value: string | number | boolean | null; origin?: Origin };

export interface Composition {
  primary: string;
  root: Extract<CNode, { t: 'map' }>;
  /** Final package of every config file loaded ('' = root). */
  packages: Map<string, string>;
  /** Group choices made (group path -> options). */
  choices: Map<string, string[]>;
  /** Packages whose content is unknown (unresolvable defaults, structured configs, Hydra plugins): '' means anything. */
  incomplete: string[];
}

function toCNode(doc: YamlDocument, file: string, node: Node | null | undefined, keyRange?: Range): CNode {
  const origin: Origin = { file, keyRange, valueRange: node ? doc.rangeOf(node) : (keyRange ?? doc.rangeOf(null)) };
  if (isMap(node)) {
    const entries = new Map<string, CNode>();
    for (const it of node.items) {
      const p = it as Pair<Node, Node>;
      if (!isScalar(p.key)) continue;
      entries.set(String(p.key.value), toCNode(doc, file, p.value, doc.keyRange(p)));
    }
    return { t: 'map', entries, origin };
  }
  if (isSeq(node)) return { t: 'seq', items: node.items.map((n) => toCNode(doc, file, n as Node)), origin };
  if (isScalar(node)) {
    const v = node.value;
    return {
      t: 'scalar',
      value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : v === null || v === undefined ? null : String(v),
      origin,
    };
  }
  if (isAlias(node)) return { t: 'scalar', value: `*${node.source}`, origin };
  return { t: 'scalar', value: null, origin };
}

/**
 * A config file's own content as a tree, without its defaults list: built once per parsed text and shared by every
 * composition that loads the file (an edit of a default choice re-composes hundreds of option compositions). Shared
 * safely: merging clones the maps it inserts and never changes the source tree.
 */
const bodies = new WeakMap<ParsedConfig, Extract<CNode, { t: 'map' }> | null>();
function bodyOf(p: ParsedConfig): Extract<CNode, { t: 'map' }> | undefined {
  let body = bodies.get(p);
  if (body === undefined) {
    const n = toCNode(p.doc, p.rel, p.doc.doc?.contents as Node);
    body = n.t === 'map' ? n : null;
    body?.entries.delete('defaults');
    bodies.set(p, body);
  }
  return body ?? undefined;
}

function mergeInto(dst: Extract<CNode, { t: 'map' }>, src: Extract<CNode, { t: 'map' }>): void {
  for (const [k, v] of src.entries) {
    const cur = dst.entries.get(k);
    if (cur && cur.t === 'map' && v.t === 'map') mergeInto(cur, v);
    else dst.entries.set(k, v.t === 'map' ? cloneMap(v) : v);
  }
}

function cloneMap(m: Extract<CNode, { t: 'map' }>): Extract<CNode, { t: 'map' }> {
  const entries = new Map<string, CNode>();
  for (const [k, v] of m.entries) entries.set(k, v.t === 'map' ? cloneMap(v) : v);
  return { t: 'map', entries, origin: m.origin };
}

function mapAt(root: Extract<CNode, { t: 'map' }>, pkg: string): Extract<CNode, { t: 'map' }> {
  let cur = root;
  for (const k of pkg ? pkg.split('.') : []) {
    let next = cur.entries.get(k);
    if (!next || next.t !== 'map') {
      next = { t: 'map', entries: new Map() };
      cur.entries.set(k, next);
    }
    cur = next;
  }
  return cur;
}

/** Hydra's final package: the parent's package joined with the relative one; `_global_` makes it absolute. */
export function finalPackage(parentPkg: string, relPkg: string): string {
  const joined = parentPkg && relPkg ? `${parentPkg}.${relPkg}` : parentPkg || relPkg;
  const g = joined.lastIndexOf('_global_');
  if (g < 0) return joined;
  return joined.slice(g + '_global_'.length + 1);
}

function relativePackage(entry: DefaultsEntry | undefined, header: string | undefined, relGroup: string): string {
  let pkg = entry?.package ?? header;
  if (pkg === undefined) return relGroup.replace(/\//g, '.');
  if (pkg === '_here_') return '';
  pkg = pkg.replace(/_group_/g, relGroup.replace(/\//g, '.'));
  return pkg;
}

/**
 * Composes `primary` (a file in `dir`) as Hydra would, with `choices` overriding group choices (like command-line
 * `group=option`). Overrides written in the defaults lists (`override group: option`) are applied too.
 */
export function compose(ws: Workspace, project: HydraProject, dir: HydraConfigDir, primary: string, choices = new Map<string, string[] | null>()): Composition {
  let fileOverrides = new Map<string, string[] | null>();
  let result = composeOnce(ws, project, dir, primary, new Map([...fileOverrides, ...choices]), fileOverrides);
  for (let pass = 0; pass < 3; pass++) {
    const found = new Map<string, string[] | null>();
    collectOverrides(ws, dir, result, found);
    const key = (m: Map<string, unknown>) => JSON.stringify([...m].sort());
    if (key(found) === key(fileOverrides)) break;
    fileOverrides = found;
    result = composeOnce(ws, project, dir, primary, new Map([...fileOverrides, ...choices]), fileOverrides);
  }
  return result;
}

function collectOverrides(ws: Workspace, dir: HydraConfigDir, c: Composition, out: Map<string, string[] | null>): void {
  for (const rel of c.packages.keys()) {
    const p = parseConfig(ws, rel);
    if (!p) continue;
    for (const e of p.defaults) {
      if (!e.override || e.kind !== 'group') continue;
      const g = entryGroup(e, groupOf(dir, rel));
      if (e.value === 'null') out.set(g, null);
      else if (e.value === 'options')
        out.set(
          g,
          e.options.map((o) => o.name),
        );
    }
  }
}

function composeOnce(
  ws: Workspace,
  project: HydraProject,
  dir: HydraConfigDir,
  primary: string,
  choices: Map<string, string[] | null>,
  _fileOverrides: Map<string, string[] | null>,
): Composition {
  const c: Composition = { primary, root: { t: 'map', entries: new Map() }, packages: new Map(), choices: new Map(), incomplete: [] };
  const stack = new Set<string>();
  const load = (rel: string, pkg: string, group: string): void => {
    if (stack.has(rel) || stack.size > 50) return; // a cycle: Hydra reports it; here it just stops
    const p = parseConfig(ws, rel);
    if (!p) {
      c.incomplete.push(pkg);
      return;
    }
    if (!c.packages.has(rel)) c.packages.set(rel, pkg);
    stack.add(rel);
    const self = (): void => {
      const body = bodyOf(p);
      if (body) mergeInto(mapAt(c.root, pkg), body);
    };
    const hasSelf = p.defaults.some((e) => e.kind === 'self');
    for (const e of p.defaults) {
      if (e.invalid) continue;
      if (e.kind === 'self') {
        self();
        continue;
      }
      if (e.override) continue;
      if (e.kind === 'config') {
        const target = e.absolute ? e.group : group ? `${group}/${e.group}` : e.group;
        let file = configFileOf(dir, target);
        if (!ws.exists(file) && !e.absolute && ws.exists(configFileOf(dir, e.group))) file = configFileOf(dir, e.group);
        const g = path.posix.dirname(target) === '.' ? '' : path.posix.dirname(target);
        const relGroup = e.absolute ? g : path.posix.dirname(e.group) === '.' ? '' : path.posix.dirname(e.group);
        const childPkg = finalPackage(pkg, relativePackage(e, parseConfig(ws, file)?.headerPackage, relGroup));
        if (ws.exists(file)) load(file, childPkg, g);
        else if (!e.optional) c.incomplete.push(childPkg);
        continue;
      }
      const g = entryGroup(e, group);
      const relGroup = e.absolute ? e.group : e.group;
      const chosen = choices.has(g) ? choices.get(g)! : e.value === 'options' ? e.options.map((o) => o.name) : e.value === 'null' ? null : undefined;
      if (chosen === null) continue;
      if (chosen === undefined) {
        c.incomplete.push(finalPackage(pkg, relativePackage(e, undefined, relGroup)));
        continue;
      }
      c.choices.set(g, chosen);
      for (const opt of chosen) {
        const file = configFileOf(dir, `${g}/${opt}`);
        const exists = ws.exists(file);
        const childPkg = finalPackage(pkg, relativePackage(e, exists ? parseConfig(ws, file)?.headerPackage : undefined, relGroup));
        if (exists) load(file, childPkg, g);
        else if (!e.optional) c.incomplete.push(isHydraGroup(g) ? 'hydra' : childPkg);
      }
    }
    if (!hasSelf) self();
    stack.delete(rel);
  };
  load(primary, '', groupOf(dir, primary));
  if (project.usesConfigStore) c.incomplete.push(''); // structured configs registered in code may add any key
  return c;
}

// ---------------------------------------------------------------- selecting keys

export type Selection =
  | { kind: 'found'; node: CNode; path: string[] }
  | { kind: 'missing'; path: string[]; /** index of the first key that does not exist */ at: number; container: CNode }
  | { kind: 'unknown'; reason: string };

/** Follows `keys` from `start` (a path in the composed config), following node interpolations met on the way. */
export function select(c: Composition, keys: string[], depth = 0): Selection {
  if (keys[0] === 'hydra') return { kind: 'unknown', reason: "the 'hydra' node is Hydra's own config" };
  let node: CNode = c.root;
  const walked: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (node.t === 'scalar') {
      const v = node.value;
      const alias = typeof v === 'string' ? /^\$\{([^${}:]+)\}$/.exec(v.trim()) : null;
      if (alias && depth < 10 && !alias[1].startsWith('.')) {
        const inner = select(c, alias[1].split('.'), depth + 1);
        if (inner.kind !== 'found')
          return inner.kind === 'missing' ? { kind: 'unknown', reason: `${walked.join('.')} points at ${alias[1]}, which does not resolve` } : inner;
        node = inner.node;
        i--;
        continue;
      }
      return { kind: 'unknown', reason: `${walked.join('.') || 'the root'} is ${v === '???' ? 'mandatory (???)' : 'not a mapping'}` };
    }
    let next: CNode | undefined;
    if (node.t === 'map') next = node.entries.get(k);
    else {
      const n = Number(k);
      if (Number.isInteger(n)) next = node.items[n < 0 ? node.items.length + n : n];
    }
    if (!next) {
      const prefix = [...walked, k].join('.');
      const open = c.incomplete.some((p) => p === '' || prefix === p || prefix.startsWith(p + '.') || p.startsWith(prefix + '.') || p === walked.join('.'));
      if (open) return { kind: 'unknown', reason: `part of the config under ${walked.join('.') || 'the root'} is not known statically` };
      return { kind: 'missing', path: keys, at: i, container: node };
    }
    walked.push(k);
    node = next;
  }
  return { kind: 'found', node, path: walked };
}

/** The composed node at a path, without following interpolations. */
export function nodeAtPath(c: Composition, keys: string[]): CNode | undefined {
  let node: CNode | undefined = c.root;
  for (const k of keys) {
    if (!node) return undefined;
    if (node.t === 'map') node = node.entries.get(k);
    else if (node.t === 'seq') node = node.items[Number(k)];
    else return undefined;
  }
  return node;
}

/** A short display of a composed value (for hovers and messages). */
export function display(n: CNode, max = 200): string {
  const s = (() => {
    if (n.t === 'scalar') return n.value === null ? 'null' : typeof n.value === 'string' ? JSON.stringify(n.value) : String(n.value);
    if (n.t === 'seq') return `[${n.items.map((x) => display(x, 40)).join(', ')}]`;
    return `{${[...n.entries].map(([k, v]) => `${k}: ${display(v, 40)}`).join(', ')}}`;
  })();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
