import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../../types';
import { YamlDocument } from '../../text/yamlDocument';
import type { Workspace } from '../../workspace';
import { pyFromYaml, pyStr, type PyValue } from './values';

/** One dep or out entry of a locked stage (paths relative to the stage's wdir, as DVC writes them). */
export interface LockEntry {
  path: string;
  /** `md5` for DVC 3 entries; absent for DVC 2 (read as `md5-dos2unix`). */
  hash?: string;
  md5?: string;
  size?: number;
  nfiles?: number;
  /** The `files:` list a `version_aware` remote's `dvc push` writes instead of a `.dir` md5 (relpath and md5 of each). */
  files?: { relpath: string; md5: string }[];
  isexec?: boolean;
  /** An import's dep (`repo:`): data of another repository, not of the workspace. */
  repo?: boolean;
  /** The `path` value. */
  range: Range;
  /** The `md5` key, when there is one. */
  md5Range?: Range;
}

export interface LockStage {
  name: string;
  nameRange: Range;
  cmd: string | string[] | undefined;
  cmdRange?: Range;
  deps: LockEntry[];
  outs: LockEntry[];
  /** params file (relative to the stage's wdir) -> key -> value. */
  params: Map<string, Map<string, { value: PyValue; range: Range }>>;
}

export interface DvcLock {
  file: string;
  doc?: YamlDocument;
  unreadable?: string;
  /** The `schema` value ('2.0'); undefined for DVC 1 lock files, which current DVC rejects. */
  schema?: string;
  schemaRange?: Range;
  stages: Map<string, LockStage>;
}

/** A `files:` list, only when every entry has a string relpath and md5 (a partial list would name another tree). */
function filesOf(v: PyValue | undefined): { relpath: string; md5: string }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: { relpath: string; md5: string }[] = [];
  for (const f of v) {
    const r = f as Record<string, PyValue> | null;
    if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.relpath !== 'string' || typeof r.md5 !== 'string') return undefined;
    out.push({ relpath: r.relpath, md5: r.md5 });
  }
  return out;
}

function entries(y: YamlDocument, node: unknown): LockEntry[] {
  if (!isSeq(node)) return [];
  const out: LockEntry[] = [];
  for (const item of node.items) {
    if (!isMap(item)) continue;
    const v = pyFromYaml(item) as Record<string, PyValue>;
    if (typeof v.path !== 'string') continue;
    const pathPair = YamlDocument.pair(item, 'path');
    const md5Pair = YamlDocument.pair(item, 'md5');
    out.push({
      path: v.path,
      ...(typeof v.hash === 'string' ? { hash: v.hash } : {}),
      ...(typeof v.md5 === 'string' ? { md5: v.md5 } : {}),
      ...(typeof v.size === 'number' ? { size: v.size } : {}),
      ...(typeof v.nfiles === 'number' ? { nfiles: v.nfiles } : {}),
      ...(filesOf(v.files) ? { files: filesOf(v.files) } : {}),
      ...(typeof v.isexec === 'boolean' ? { isexec: v.isexec } : {}),
      ...('repo' in v ? { repo: true } : {}),
      range: pathPair ? y.rangeOf(pathPair.value as Node) : y.rangeOf(item as Node),
      ...(md5Pair ? { md5Range: y.keyRange(md5Pair) } : {}),
    });
  }
  return out;
}

/**
 * The one reader of dvc.lock: reads one of the workspace (structure only: no hashing). Undefined when there is none.
 * Never throws.
 */
export function parseDvcLock(ws: Workspace, file: string): DvcLock | undefined {
  if (!ws.exists(file)) return undefined;
  const y = ws.yaml(file);
  if (!(y instanceof YamlDocument)) return { file, unreadable: y.detail, stages: new Map() };
  return lockFromDocument(file, y);
}

/** A dvc.lock's text (a blob of an earlier commit, an experiment's) read by the same reader. Never throws. */
export function parseDvcLockText(file: string, text: string): DvcLock {
  return lockFromDocument(file, new YamlDocument(text));
}

function lockFromDocument(file: string, y: YamlDocument): DvcLock {
  if (y.hasErrors) return { file, doc: y, unreadable: 'YAML syntax error', stages: new Map() };
  const root = y.rootMap;
  const lock: DvcLock = { file, doc: y, stages: new Map() };
  if (!root) return lock;
  const schema = YamlDocument.pair(root, 'schema');
  if (schema) {
    lock.schema = pyStr(pyFromYaml(schema.value));
    lock.schemaRange = y.rangeOf(schema.value as Node);
  }
  // DVC 2+ nests stages under `stages:`; DVC 1 had them at the top level (no `schema`).
  const stagesNode = schema ? YamlDocument.pair(root, 'stages')?.value : root;
  if (!isMap(stagesNode)) return lock;
  for (const p of stagesNode.items) {
    if (!isPair(p) || !isScalar(p.key) || !isMap(p.value)) continue;
    const name = String(p.key.value);
    const def = p.value;
    const cmdNode = YamlDocument.pair(def, 'cmd')?.value;
    const cmdVal = cmdNode === undefined ? undefined : pyFromYaml(cmdNode);
    const params = new Map<string, Map<string, { value: PyValue; range: Range }>>();
    const pNode = YamlDocument.pair(def, 'params')?.value;
    if (isMap(pNode)) {
      for (const fp of pNode.items) {
        if (!isPair(fp) || !isScalar(fp.key)) continue;
        const m = new Map<string, { value: PyValue; range: Range }>();
        if (isMap(fp.value))
          for (const kp of fp.value.items)
            if (isPair(kp) && isScalar(kp.key)) m.set(String(kp.key.value), { value: pyFromYaml(kp.value), range: y.keyRange(kp as Pair) });
        params.set(String(fp.key.value), m);
      }
    }
    lock.stages.set(name, {
      name,
      nameRange: y.keyRange(p as Pair),
      cmd: typeof cmdVal === 'string' ? cmdVal : Array.isArray(cmdVal) ? cmdVal.map((c) => pyStr(c)) : undefined,
      ...(cmdNode !== undefined ? { cmdRange: y.rangeOf(cmdNode as Node) } : {}),
      deps: entries(y, YamlDocument.pair(def, 'deps')?.value),
      outs: entries(y, YamlDocument.pair(def, 'outs')?.value),
      params,
    });
  }
  return lock;
}
