import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FileContext } from '../rule';
import { YamlDocument } from '../text/yamlDocument';
import { isSweepConfig, mayBeSweepConfig } from '../yaml/loaders';
import { SWEEP_DISTRIBUTIONS } from '../schemas/wandbSweep';

/** One parameter of a sweep, with its YAML nodes. Nested `parameters:` blocks are flattened to dotted names. */
export interface SweepParam {
  /** Dotted name, e.g. `optimizer.lr`. */
  name: string;
  pair: Pair<Node, Node>;
  /** The parameter's mapping, when it is one. */
  map?: YAMLMap;
  /** The distribution, written or inferred the way W&B infers it; undefined when none can be inferred. */
  distribution?: string;
  explicit: boolean;
}

export interface Sweep {
  doc: YamlDocument;
  params: SweepParam[];
}

/** The file as a W&B sweep config, or undefined when it is not one (or does not parse). */
export function sweepOf(ctx: FileContext): Sweep | undefined {
  return ctx.memo(`wandb.sweep:${ctx.file}`, () => {
    const text = ctx.ws.readText(ctx.file);
    if (!text.ok || !mayBeSweepConfig(ctx.file, text.text)) return undefined; // no parse of YAML that cannot be one
    const pre = ctx.ws.yaml(ctx.file);
    if (!(pre instanceof YamlDocument) || pre.hasErrors || !isSweepConfig(ctx.file, pre)) return undefined;
    const doc = ctx.yaml();
    if (!doc) return undefined;
    return { doc, params: collectParams(YamlDocument.pair(doc.rootMap, 'parameters')?.value, '') };
  });
}

function collectParams(node: unknown, prefix: string): SweepParam[] {
  const out: SweepParam[] = [];
  if (!isMap(node)) return out;
  for (const item of node.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const name = prefix + String(item.key.value);
    const pair = item as Pair<Node, Node>;
    const map = isMap(item.value) ? item.value : undefined;
    const nested = map ? YamlDocument.pair(map, 'parameters') : undefined;
    if (nested && !YamlDocument.pair(map, 'distribution')) {
      out.push({ name, pair, map, explicit: false });
      out.push(...collectParams(nested.value, `${name}.`));
      continue;
    }
    out.push({ name, pair, map, ...inferDistribution(map) });
  }
  return out;
}

/** The kind of a number as written: `1` is an int, `1.0` and `1e-3` are floats (JS numbers cannot tell them apart). */
export function numberKind(node: unknown): 'int' | 'float' | undefined {
  if (!isScalar(node) || typeof node.value !== 'number') return undefined;
  const src = (node as { source?: string }).source ?? String(node.value);
  return /^[-+]?(?:0|[1-9][0-9]*)$/.test(src) || (Number.isInteger(node.value) && !/[.eE]/.test(src)) ? 'int' : 'float';
}

export function inferDistribution(map: YAMLMap | undefined): { distribution?: string; explicit: boolean } {
  if (!map) return { explicit: false };
  const d = YamlDocument.pair(map, 'distribution');
  if (d) return { distribution: isScalar(d.value) ? String(d.value.value) : undefined, explicit: true };
  const has = (k: string): boolean => !!YamlDocument.pair(map, k);
  if (has('values')) return { distribution: has('probabilities') ? 'categorical_w_probabilities' : 'categorical', explicit: false };
  if (has('value')) return { distribution: 'constant', explicit: false };
  if (has('min') && has('max')) {
    const ints = numberKind(YamlDocument.pair(map, 'min')?.value) === 'int' && numberKind(YamlDocument.pair(map, 'max')?.value) === 'int';
    return { distribution: ints ? 'int_uniform' : 'uniform', explicit: false };
  }
  return { explicit: false };
}

export function isKnownDistribution(name: string | undefined): boolean {
  return !!name && Object.prototype.hasOwnProperty.call(SWEEP_DISTRIBUTIONS, name);
}

/** A number-valued key of a parameter mapping: its node and value. */
export function numberAt(map: YAMLMap | undefined, key: string): { node: Node; value: number } | undefined {
  const p = YamlDocument.pair(map, key);
  if (!p || !isScalar(p.value) || typeof p.value.value !== 'number') return undefined;
  return { node: p.value as Node, value: p.value.value };
}

export function listAt(map: YAMLMap | undefined, key: string): { node: Node; items: unknown[] } | undefined {
  const p = YamlDocument.pair(map, key);
  if (!p || !isSeq(p.value)) return undefined;
  return { node: p.value as Node, items: p.value.items.map((i) => (isScalar(i) ? i.value : i)) };
}
