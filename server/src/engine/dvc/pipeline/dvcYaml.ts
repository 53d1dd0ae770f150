import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../../types';
import { YamlDocument } from '../../text/yamlDocument';
import { documentCache, SnapshotFiles, type PipelineFiles, type SnapshotEntry } from './files';
import { loadParamsFile } from './paramsFile';
import { Context, hasTemplate, interpolate, TemplateError, toStr } from './template';
import { isComposite, isDict, pyFromYaml, pyStr, typeName, type PyDict, type PyValue } from './values';

/** A problem found while reading or templating a dvc.yaml, on the exact node or `${...}` span. */
export interface PipelineProblem {
  file: string;
  range: Range;
  message: string;
  kind: 'template' | 'vars' | 'params-shape';
}

/** A path written in dvc.yaml (a dep or an out), as written and resolved against the stage's wdir. */
export interface DvcPathRef {
  /** As written, after templating. */
  path: string;
  /** Workspace-relative POSIX path; starts with `../` when outside the workspace. */
  rel: string;
  range: Range;
  /** A URL or absolute path (remote deps, imports): never checked on disk. */
  external: boolean;
  /** Templating failed: the path is not known. */
  unresolved: boolean;
}

export interface DvcOut extends DvcPathRef {
  kind: 'outs' | 'metrics' | 'plots';
  cache: boolean;
  persist: boolean;
}

export interface DvcParamRef {
  /** Workspace-relative params file. */
  file: string;
  /** The file name as written (`params.yaml` for plain keys). */
  fileAsWritten: string;
  /** Key path; undefined when the whole file is tracked. */
  key?: string;
  /** The key's node (or the file key for whole-file entries). */
  range: Range;
  /** The `file:` key of a file-qualified entry. */
  fileRange?: Range;
}

export interface DvcStage {
  /** The name DVC uses: `train`, or generated `train@us`, `sweep@0.1-a`. */
  name: string;
  /** The key in dvc.yaml (`train` for `train@us`). */
  baseName: string;
  generated?: 'foreach' | 'matrix';
  /** The dvc.yaml it comes from. */
  file: string;
  /** Workspace-relative folder the stage runs in (dvc.yaml's folder joined with `wdir`), '' at the root. */
  wdir: string;
  nameRange: Range;
  /** Resolved commands (a list `cmd` gives several). */
  cmd: string[];
  /** The `cmd` value as DVC stores it in dvc.lock (a string, or a list). */
  cmdValue: string | string[] | undefined;
  cmdRange?: Range;
  cmdRanges: Range[];
  cmdUnresolved: boolean;
  deps: DvcPathRef[];
  outs: DvcOut[];
  params: DvcParamRef[];
  /** Keys read by `${...}` in this stage (DVC tracks those that come from params files as params). */
  usedVars: Set<string>;
  varSources: Map<string, string>;
  frozen: boolean;
  alwaysChanged: boolean;
  /** Top-level keys of the stage definition with their ranges (for structural rules). */
  keys: Map<string, Range>;
}

export interface DvcYamlFile {
  file: string;
  /** Folder of the dvc.yaml ('' at the root). */
  dir: string;
  doc?: YamlDocument;
  /** Why it could not be read, if it could not. */
  unreadable?: string;
  stages: DvcStage[];
  problems: PipelineProblem[];
  /** Keys read through `${...}` anywhere in the file, with the file they came from. */
  usedVars: { key: string; source?: string }[];
  /**
   * The top-level `metrics` and `params` lists (files for `dvc metrics show`, `dvc params diff`, `dvc exp show`),
   * templated with the file's own context as DVC does (`TopDefinition`), paths relative to the dvc.yaml's folder. A
   * failed `${...}` there leaves the entry `unresolved` and is not a problem of the file (no rule reports it).
   */
  topMetrics: DvcPathRef[];
  topParams: DvcPathRef[];
}

export const DEFAULT_PARAMS = 'params.yaml';

export function joinRel(dir: string, p: string): string {
  const j = path.posix.normalize(dir ? `${dir}/${p}` : p);
  return j === '.' ? '' : j.replace(/\/$/, '');
}

export function isExternalPath(p: string): boolean {
  return /^[a-zA-Z][\w+.-]*:\/\//.test(p) || p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('~');
}

/** A resolved node: the value after templating, with the source node's ranges. */
type RNode =
  | { kind: 'value'; value: PyValue; range: Range; unresolved: boolean }
  | { kind: 'seq'; items: RNode[]; range: Range }
  | { kind: 'map'; entries: { key: string; keyRange: Range; value: RNode }[]; range: Range };

class FileParser {
  readonly problems: PipelineProblem[] = [];
  private readonly seen = new Set<string>();
  readonly usedVars: { key: string; source?: string }[] = [];
  readonly topMetrics: DvcPathRef[] = [];
  readonly topParams: DvcPathRef[] = [];
  /** Problems are not recorded (the top-level lists). */
  private quiet = false;
  /** The generated stage being resolved, if any. */
  private generated?: { name: string; base: string };

  constructor(
    readonly ws: PipelineFiles,
    readonly file: string,
    readonly dir: string,
    readonly y: YamlDocument,
  ) {}

  problem(range: Range, message: string, kind: PipelineProblem['kind'] = 'template'): void {
    if (this.quiet) return;
    // generated stages share their source nodes: one finding per node and message, whatever the generated name
    const generic = this.generated ? message.split(`'stages.${this.generated.name}.`).join(`'stages.${this.generated.base}.`) : message;
    const k = `${range.start.line}:${range.start.character}:${generic}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.problems.push({ file: this.file, range, message, kind });
  }

  where(p: string): string {
    return `failed to parse '${p}' in '${this.file}'`;
  }

  /** The range of a `${...}` span inside a scalar node (the whole node when it cannot be located). */
  spanRange(node: Node, span?: { text: string }): Range {
    const r = node.range;
    if (!r) return this.y.rangeOf(node);
    if (span) {
      const at = this.y.text.slice(r[0], r[1]).indexOf(span.text);
      if (at >= 0) return this.y.index.rangeOf(r[0] + at, r[0] + at + span.text.length);
    }
    return this.y.rangeOf(node);
  }

  /** Resolves a node's templates in `ctx`. `where` names it in messages; `field` is the stage field. */
  resolve(node: unknown, ctx: Context, where: string, field: string): RNode {
    const range = this.y.rangeOf(node as Node);
    if (isScalar(node)) {
      if (typeof node.value === 'string' && hasTemplate(node.value)) {
        try {
          return { kind: 'value', value: interpolate(node.value, ctx, field), range, unresolved: false };
        } catch (e) {
          const te = e as TemplateError;
          this.problem(this.spanRange(node, te.span), `${this.where(where)}: ${te.message}`);
          return { kind: 'value', value: node.value, range, unresolved: true };
        }
      }
      const v = pyFromYaml(node);
      return { kind: 'value', value: typeof v === 'string' ? v.replace(/\\\$\{/g, '${') : v, range, unresolved: false };
    }
    if (isSeq(node)) return { kind: 'seq', items: node.items.map((i, n) => this.resolve(i, ctx, `${where}[${n}]`, field)), range };
    if (isMap(node)) {
      const entries: { key: string; keyRange: Range; value: RNode }[] = [];
      for (const p of node.items) {
        if (!isPair(p)) continue;
        const k = this.resolve(p.key, ctx, where, field);
        const key = k.kind === 'value' ? pyStr(k.value) : String(p.key);
        entries.push({ key, keyRange: this.y.keyRange(p as Pair), value: this.resolve(p.value, ctx, `${where}.${key}`, field) });
      }
      return { kind: 'map', entries, range };
    }
    return { kind: 'value', value: node === null || node === undefined ? null : pyFromYaml(node), range, unresolved: false };
  }

  /** Loads a `vars` list into ctx (files relative to `wdir`, `file:k1,k2`, inline dicts). */
  loadVars(varsNode: unknown, ctx: Context, wdir: string, where: string): void {
    if (varsNode === undefined || varsNode === null) return;
    if (!isSeq(varsNode)) return; // the schema rule reports the shape
    varsNode.items.forEach((item, i) => {
      const range = this.y.rangeOf(item as Node);
      if (isScalar(item) && typeof item.value === 'string') {
        if (hasTemplate(item.value)) {
          this.problem(range, `${this.where(where)}: interpolating is not allowed`, 'vars');
          return;
        }
        const [p, , keysStr] = partition(item.value, ':');
        const rel = joinRel(wdir, p);
        const keys = keysStr
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        // DVC's Context.merge_from/check_loaded: a whole file loaded again (`vars: [params.yaml]`, which DVC always
        // loads first) is skipped; loading part of a file loaded whole, or a key twice, is an error
        const before = ctx.imports.get(rel);
        if (before !== undefined) {
          if (!keys.length && before === null) return;
          const again = !keys.length ? 'partially' : before === null ? 'whole' : keys.some((k) => before.includes(k)) ? 'partially' : undefined;
          if (again === 'whole') {
            this.problem(range, `${this.where(where)}: cannot partially load '${item.value}' as it's already loaded.`, 'vars');
            return;
          }
          if (again) {
            this.problem(range, `${this.where(where)}: cannot load '${item.value}' as it's partially loaded already`, 'vars');
            return;
          }
        }
        const pf = loadParamsFile(this.ws, rel);
        if (!pf.ok) {
          this.problem(
            range,
            pf.missing ? `${this.where(where)}: vars file '${p}' does not exist` : `${this.where(where)}: vars file '${p}' could not be read: ${pf.problem}`,
            'vars',
          );
          return;
        }
        let data: PyDict = pf.value;
        if (keys.length) {
          data = {};
          for (const k of keys) {
            try {
              const v = new Context(pf.value).select(k);
              setPath(data, k, v);
              // `file:k1,k2` names the keys it imports: they are read by the pipeline
              this.usedVars.push({ key: k, source: rel });
            } catch (e) {
              this.problem(range, `${this.where(where)}: ${(e as Error).message} in '${p}'`, 'vars');
            }
          }
        }
        const c = ctx.merge(data, rel);
        if (c) this.problem(range, `${this.where(where)}: ${c}`, 'vars');
        if (before === undefined) ctx.imports.set(rel, keys.length ? [...keys] : null);
        else if (before && keys.length) before.push(...keys);
      } else if (isMap(item)) {
        const v = pyFromYaml(item);
        if (JSON.stringify(v).includes('${')) {
          this.problem(range, `${this.where(where)}: interpolating is not allowed`, 'vars');
          return;
        }
        const c = ctx.merge(v as PyDict, `${where}[${i}]`);
        if (c) this.problem(range, `${this.where(where)}: ${c}`, 'vars');
      }
    });
  }

  parse(): DvcStage[] {
    const root = this.y.rootMap;
    if (!root) return [];
    const ctx = new Context();
    const defaultParams = joinRel(this.dir, DEFAULT_PARAMS);
    if (this.ws.exists(defaultParams)) {
      const pf = loadParamsFile(this.ws, defaultParams);
      if (pf.ok) {
        ctx.merge(pf.value, defaultParams);
        ctx.imports.set(defaultParams, null);
      }
    }
    this.loadVars(YamlDocument.pair(root, 'vars')?.value, ctx, this.dir, 'vars');
    this.quiet = true;
    try {
      for (const [kind, list] of [
        ['metrics', this.topMetrics],
        ['params', this.topParams],
      ] as const) {
        const n = YamlDocument.pair(root, kind)?.value;
        if (n !== undefined)
          for (const [p, range, unresolved] of pathItems(this.resolve(n, ctx, kind, kind))) list.push(this.pathRef(p, this.dir, range, unresolved));
      }
    } finally {
      this.quiet = false;
    }
    const stagesNode = YamlDocument.pair(root, 'stages')?.value;
    const stages: DvcStage[] = [];
    if (!isMap(stagesNode)) return stages;
    for (const p of stagesNode.items) {
      if (!isPair(p) || !isScalar(p.key) || !isMap(p.value)) continue;
      const name = String(p.key.value);
      const nameRange = this.y.keyRange(p as Pair);
      const def = p.value;
      const foreach = YamlDocument.pair(def, 'foreach');
      const matrix = YamlDocument.pair(def, 'matrix');
      if (foreach) {
        const items = this.foreachItems(foreach, ctx, name);
        const doNode = YamlDocument.pair(def, 'do')?.value;
        if (!isMap(doNode)) continue;
        for (const [key, value, isDictIter] of items) {
          const c = ctx.clone();
          c.data.item = value;
          if (isDictIter) c.data.key = key;
          stages.push(this.stage(`${name}@${key}`, name, 'foreach', doNode, c, nameRange));
        }
      } else if (matrix) {
        for (const [key, value] of this.matrixItems(matrix, ctx, name)) {
          const c = ctx.clone();
          c.data.item = value;
          stages.push(this.stage(`${name}@${key}`, name, 'matrix', def, c, nameRange));
        }
      } else stages.push(this.stage(name, name, undefined, def, ctx, nameRange));
    }
    // keys read outside a stage's own context: `foreach: ${evaluate.splits}`, the lists of `matrix:`
    for (const k of ctx.used) this.usedVars.push({ key: k, source: ctx.sources.get(k.split('.')[0]) });
    return stages;
  }

  /** foreach's normalized iterable: dict -> keys; list of scalars -> values; list with a composite -> indexes. */
  private foreachItems(pair: Pair, ctx: Context, name: string): [string, PyValue, boolean][] {
    const r = this.resolve(pair.value, ctx, `stages.${name}.foreach`, 'foreach');
    const value = rnodeValue(r);
    if (r.kind === 'value' && r.unresolved) return [];
    if (isDict(value)) return Object.entries(value).map(([k, v]) => [toStr(k), v, true]);
    if (Array.isArray(value)) {
      if (value.some((v) => isComposite(v))) return value.map((v, i) => [String(i), v, false]);
      return value.map((v) => [toStr(v), v, false]);
    }
    this.problem(this.y.rangeOf(pair.value as Node), `${this.where(`stages.${name}.foreach`)}: expected list/dictionary, got ${typeName(value)}`);
    return [];
  }

  /** matrix: the cartesian product, names joined with '-', composite values named `<key><index>`. */
  private matrixItems(pair: Pair, ctx: Context, name: string): [string, PyDict][] {
    const r = this.resolve(pair.value, ctx, `stages.${name}.matrix`, 'foreach');
    const value = rnodeValue(r);
    if (!isDict(value)) return [];
    const dims: [string, [string, PyValue][]][] = [];
    for (const [k, v] of Object.entries(value)) {
      if (!Array.isArray(v)) {
        const entry = r.kind === 'map' ? r.entries.find((e) => e.key === k) : undefined;
        if (!(entry?.value.kind === 'value' && entry.value.unresolved)) {
          this.problem(entry?.value.range ?? r.range, `${this.where(`stages.${name}.matrix.${k}`)}: expected list, got ${typeName(v)}`);
        }
        return [];
      }
      dims.push([k, v.map((x, i) => [isComposite(x) ? `${k}${i}` : toStr(x), x])]);
    }
    let combos: [string[], PyDict][] = [[[], {}]];
    for (const [k, vals] of dims) {
      const next: [string[], PyDict][] = [];
      for (const [frags, d] of combos) for (const [frag, v] of vals) next.push([[...frags, frag], { ...d, [k]: v }]);
      combos = next;
    }
    return dims.length ? combos.map(([frags, d]) => [frags.join('-'), d]) : [];
  }

  private stage(name: string, baseName: string, generated: DvcStage['generated'], def: Node, outer: Context, nameRange: Range): DvcStage {
    const where = (k: string): string => `stages.${name}.${k}`;
    this.generated = generated ? { name, base: baseName } : undefined;
    let ctx = outer;
    const keys = new Map<string, Range>();
    if (isMap(def)) for (const p of def.items) if (isPair(p) && isScalar(p.key)) keys.set(String(p.key.value), this.y.keyRange(p as Pair));
    const get = (k: string): unknown => YamlDocument.pair(def, k)?.value;
    const used = new Set<string>();
    ctx = ctx.withUsed(used);
    let wdirRel = this.dir;
    const wdirNode = get('wdir');
    if (wdirNode !== undefined) {
      const r = this.resolve(wdirNode, ctx, where('wdir'), 'wdir');
      const v = rnodeValue(r);
      if (typeof v === 'string' && v) wdirRel = joinRel(this.dir, v);
    }
    const varsNode = get('vars');
    if (varsNode) {
      ctx = ctx.clone();
      ctx = ctx.withUsed(used);
      this.loadVars(varsNode, ctx, wdirRel, where('vars'));
    }
    const stage: DvcStage = {
      name,
      baseName,
      ...(generated ? { generated } : {}),
      file: this.file,
      wdir: wdirRel,
      nameRange,
      cmd: [],
      cmdValue: undefined,
      cmdRanges: [],
      cmdUnresolved: false,
      deps: [],
      outs: [],
      params: [],
      usedVars: used,
      varSources: ctx.sources,
      frozen: false,
      alwaysChanged: false,
      keys,
    };
    const cmdNode = get('cmd');
    if (cmdNode !== undefined) {
      const r = this.resolve(cmdNode, ctx, where('cmd'), 'cmd');
      stage.cmdRange = r.range;
      const list = r.kind === 'seq' ? r.items : [r];
      for (const it of list) {
        if (it.kind !== 'value') continue;
        if (it.unresolved) stage.cmdUnresolved = true;
        stage.cmd.push(typeof it.value === 'string' ? it.value : toStr(it.value));
        stage.cmdRanges.push(it.range);
      }
      stage.cmdValue = r.kind === 'seq' ? stage.cmd : stage.cmd[0];
    }
    const depsNode = get('deps');
    if (depsNode !== undefined) {
      const r = this.resolve(depsNode, ctx, where('deps'), 'deps');
      for (const [p, range, unresolved] of pathItems(r)) stage.deps.push(this.pathRef(p, wdirRel, range, unresolved));
    }
    for (const kind of ['outs', 'metrics', 'plots'] as const) {
      const n = get(kind);
      if (n === undefined) continue;
      const r = this.resolve(n, ctx, where(kind), kind);
      const items = r.kind === 'seq' ? r.items : [];
      for (const it of items) {
        if (it.kind === 'value' && typeof it.value === 'string') {
          stage.outs.push({ ...this.pathRef(it.value, wdirRel, it.range, it.unresolved), kind, cache: true, persist: false });
        } else if (it.kind === 'map' && it.entries.length) {
          const e = it.entries[0];
          const flags = e.value.kind === 'map' ? Object.fromEntries(e.value.entries.map((x) => [x.key, rnodeValue(x.value)])) : {};
          const unresolved = hasTemplate(e.key);
          stage.outs.push({ ...this.pathRef(e.key, wdirRel, e.keyRange, unresolved), kind, cache: flags.cache !== false, persist: flags.persist === true });
        }
      }
    }
    const paramsNode = get('params');
    if (paramsNode !== undefined) this.params(paramsNode, ctx, wdirRel, where('params'), stage);
    const frozen = get('frozen');
    if (frozen !== undefined) stage.frozen = rnodeValue(this.resolve(frozen, ctx, where('frozen'), 'frozen')) === true;
    const ac = get('always_changed');
    if (ac !== undefined) stage.alwaysChanged = rnodeValue(this.resolve(ac, ctx, where('always_changed'), 'always_changed')) === true;
    // every other field is resolved too, so a bad `${...}` anywhere is reported as DVC would
    if (isMap(def)) {
      for (const p of def.items) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        if (['cmd', 'deps', 'outs', 'metrics', 'plots', 'params', 'wdir', 'vars', 'frozen', 'always_changed', 'foreach', 'matrix', 'do'].includes(k)) continue;
        this.resolve(p.value, ctx, where(k), k);
      }
    }
    for (const k of used) this.usedVars.push({ key: k, source: ctx.sources.get(k.split('.')[0]) });
    return stage;
  }

  private pathRef(p: string, wdir: string, range: Range, unresolved: boolean): DvcPathRef {
    const external = isExternalPath(p);
    return { path: p, rel: external ? p : joinRel(wdir, p.replace(/\\/g, '/')), range, external, unresolved };
  }

  private params(node: unknown, ctx: Context, wdir: string, where: string, stage: DvcStage): void {
    if (!isSeq(node)) return;
    node.items.forEach((item, i) => {
      if (isScalar(item)) {
        const r = this.resolve(item, ctx, `${where}[${i}]`, 'params');
        if (r.kind !== 'value' || r.unresolved) return;
        stage.params.push({ file: joinRel(wdir, DEFAULT_PARAMS), fileAsWritten: DEFAULT_PARAMS, key: pyStr(r.value), range: r.range });
      } else if (isMap(item)) {
        for (const p of item.items) {
          if (!isPair(p) || !isScalar(p.key)) continue;
          const fileRes = this.resolve(p.key, ctx, `${where}[${i}]`, 'params');
          const f = pyStr(fileRes.kind === 'value' ? fileRes.value : String(p.key.value));
          const fileRange = this.y.keyRange(p as Pair);
          const rel = joinRel(wdir, f);
          const v = p.value;
          if (v === null || v === undefined || (isScalar(v) && v.value === null) || (isSeq(v) && v.items.length === 0)) {
            stage.params.push({ file: rel, fileAsWritten: f, range: fileRange, fileRange });
          } else if (isSeq(v)) {
            v.items.forEach((k, j) => {
              const r = this.resolve(k, ctx, `${where}[${i}].${f}[${j}]`, 'params');
              if (r.kind !== 'value' || r.unresolved) return;
              stage.params.push({ file: rel, fileAsWritten: f, key: pyStr(r.value), range: r.range, fileRange });
            });
          } else {
            const got = typeName(pyFromYaml(v));
            this.problem(this.y.rangeOf(v as Node), `Expected list of params for custom params file '${f}', got '${got}'.`, 'params-shape');
          }
        }
      }
    });
  }
}

function partition(s: string, sep: string): [string, string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + 1)];
}

function setPath(d: PyDict, key: string, v: PyValue): void {
  const parts = key.split('.');
  let cur = d;
  for (const p of parts.slice(0, -1)) {
    if (!isDict(cur[p])) cur[p] = {};
    cur = cur[p] as PyDict;
  }
  cur[parts[parts.length - 1]] = v;
}

function rnodeValue(r: RNode): PyValue {
  if (r.kind === 'value') return r.value;
  if (r.kind === 'seq') return r.items.map(rnodeValue);
  return Object.fromEntries(r.entries.map((e) => [e.key, rnodeValue(e.value)]));
}

/** String items of a list node (or of a template that produced a list), with ranges. */
function pathItems(r: RNode): [string, Range, boolean][] {
  if (r.kind === 'seq')
    return r.items.flatMap((i) => (i.kind === 'value' && typeof i.value === 'string' ? [[i.value, i.range, i.unresolved] as [string, Range, boolean]] : []));
  if (r.kind === 'value' && Array.isArray(r.value)) return r.value.filter((v): v is string => typeof v === 'string').map((v) => [v, r.range, false]);
  return [];
}

/**
 * The one reader of dvc.yaml: parses one (with templating) into stages. `ws` is the workspace, or the blobs of a commit
 * (`SnapshotFiles`: an experiment's dvc.yaml with that commit's params.yaml and vars files). Never throws.
 */
export function parseDvcYaml(ws: PipelineFiles, file: string): DvcYamlFile {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const y = ws.yaml(file);
  const none = { stages: [], problems: [], usedVars: [], topMetrics: [], topParams: [] };
  if (!(y instanceof YamlDocument)) return { file, dir, unreadable: y.detail, ...none };
  if (y.hasErrors) return { file, dir, doc: y, unreadable: 'YAML syntax error', ...none };
  const p = new FileParser(ws, file, dir, y);
  let stages: DvcStage[] = [];
  try {
    stages = p.parse();
  } catch (e) {
    p.problem(y.index.rangeOf(0, 0), `${file} could not be interpreted: ${(e as Error).message}`);
  }
  return { file, dir, doc: y, stages, problems: p.problems, usedVars: p.usedVars, topMetrics: p.topMetrics, topParams: p.topParams };
}

/**
 * A dvc.yaml of a snapshot whose files are read one by one, asynchronously (`git show <commit>:<path>`): read by
 * parseDvcYaml, fetching what its templating asks for (params.yaml, `vars` files) and parsing again, at most `rounds`
 * times. `read` gives a file's text, or undefined when the snapshot has no such file.
 */
export async function parseDvcYamlFrom(file: string, read: (rel: string) => Promise<string | undefined>, rounds = 4): Promise<DvcYamlFile> {
  const known = new Map<string, SnapshotEntry>();
  const fetch = async (rels: Iterable<string>): Promise<void> => {
    for (const rel of rels) {
      if (known.has(rel)) continue;
      const text = await read(rel);
      known.set(rel, text === undefined ? { ok: false, reason: 'missing', detail: 'it does not exist' } : { ok: true, text });
    }
  };
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  await fetch([file, joinRel(dir, DEFAULT_PARAMS)]);
  const cache = documentCache();
  for (let round = 0; ; round++) {
    const files = new SnapshotFiles((rel) => known.get(rel), cache);
    const parsed = parseDvcYaml(files, file);
    if (!files.wanted.size || round >= rounds) return parsed;
    await fetch(files.wanted);
  }
}

/** The folder each stage runs in (workspace-relative), by stage name: where its dvc.lock paths are relative to. */
export function stageWdirs(f: DvcYamlFile): Map<string, string> {
  return new Map(f.stages.map((s) => [s.name, s.wdir]));
}
