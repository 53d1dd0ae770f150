import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ContextBase } from '../rule';
import type { YamlDocument } from '../text/yamlDocument';
import { scanPython, type PythonUsage } from '../python/usage';
import { hydraProject } from '../hydra/project';
import type { ResolverSet } from './resolve';

/**
 * Which loader reads a YAML file (formats.md section 6). The answer decides what a plain scalar like `1e-3` becomes:
 * PyYAML reads it as a string, OmegaConf and DVC's ruamel (YAML 1.2) as a float.
 */
export type LoaderId = 'pyyaml' | 'omegaconf' | 'yaml12' | 'unknown';

export interface LoaderInfo {
  loader: LoaderId;
  /** The tool that loads it, for messages: "the wandb CLI", "MLflow", "src/train.py (yaml.safe_load)". */
  by: string;
  /** Why we think so, one clause. */
  reason: string;
  /** The values are formatted into a command line with str() (MLproject parameters): only a changed text matters. */
  stringified?: boolean;
  /** The file is a W&B sweep configuration. */
  sweep?: boolean;
  /**
   * For a sweep: the Python script that creates it with `wandb.sweep(dict)` (undefined: `wandb sweep file.yaml`). Such a
   * script usually runs `wandb.agent(sweep_id, function=train)`, so `program` and `command` may be absent.
   */
  launcher?: string;
}

export function resolverSetOf(loader: LoaderId): ResolverSet | undefined {
  return loader === 'pyyaml' || loader === 'omegaconf' || loader === 'yaml12' ? loader : undefined;
}

export function isYamlFile(rel: string): boolean {
  return /\.ya?ml$/i.test(rel) || isMlprojectFile(rel);
}

export function isMlprojectFile(rel: string): boolean {
  return path.posix.basename(rel).toLowerCase() === 'mlproject';
}

const SWEEP_KEYS = ['method', 'parameters', 'program', 'metric', 'command', 'early_terminate', 'run_cap'];

/**
 * A W&B sweep configuration: a YAML mapping with top-level `method` and `parameters`, or a file named sweep*.yaml with
 * at least one sweep key (a Hydra config that happens to be named sweep.yaml has none of them).
 */
export function isSweepConfig(rel: string, doc: YamlDocument | undefined): boolean {
  if (!/\.ya?ml$/i.test(rel) || !doc) return false;
  const root = doc.rootMap;
  if (!root) return false;
  const keys = new Set(root.items.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  if (keys.has('defaults') || keys.has('_target_') || keys.has('stages')) return false;
  if (keys.has('method') && keys.has('parameters')) return true;
  return /^sweep[^/]*\.ya?ml$/i.test(path.posix.basename(rel)) && SWEEP_KEYS.some((k) => keys.has(k));
}

/**
 * Whether `isSweepConfig` could hold for a file of this name and text, without parsing it: a sweep config needs the
 * top-level keys `method` and `parameters`, or a sweep* name. Lets a check skip the parse of the many YAML files that
 * no tool of the project reads (a parse costs more than the rest of their check).
 */
export function mayBeSweepConfig(rel: string, text: string): boolean {
  if (!/\.ya?ml$/i.test(rel)) return false;
  if (/^sweep[^/]*\.ya?ml$/i.test(path.posix.basename(rel))) return true;
  return text.includes('method') && text.includes('parameters');
}

/** The project's Python usage, computed once per check pass (its reads are recorded for every rule that asks). */
export function pythonUsage(ctx: ContextBase): PythonUsage {
  return ctx.memo('python.usage', () => scanPython(ctx.ws, (rel) => ctx.settings.isRunArtefact(rel)));
}

const DVC_FILES = new Set(['dvc.yaml', 'dvc.lock', 'params.yaml']);

/** Which loader reads `rel`, with the reason. `doc` is the parsed file (for sweep detection). */
export function loaderFor(ctx: ContextBase, rel: string, doc: YamlDocument | undefined): LoaderInfo {
  const base = path.posix.basename(rel);
  if (isMlprojectFile(rel)) return { loader: 'pyyaml', by: 'MLflow', reason: 'MLflow reads MLproject with yaml.safe_load', stringified: true };
  const usage = pythonUsage(ctx);
  const sites = usage.yamlLoads.get(rel) ?? [];
  if (isSweepConfig(rel, doc)) {
    // a script that loads the file and passes the dict to wandb.sweep(...): its loader reads the values, not the CLI's
    const launcher = sites.find((s) => usage.sweepScripts.has(s.script));
    if (launcher) {
      const call = launcher.loader === 'omegaconf' ? 'OmegaConf.load' : launcher.call;
      return {
        loader: launcher.loader,
        by: `${launcher.script}:${launcher.line + 1}`,
        reason: `${launcher.script} reads it with ${call} (line ${launcher.line + 1}) and passes it to wandb.sweep`,
        sweep: true,
        launcher: launcher.script,
      };
    }
    return { loader: 'pyyaml', by: 'the wandb CLI', reason: '`wandb sweep` loads sweep configs with PyYAML', sweep: true };
  }
  const py = sites.find((s) => s.loader === 'pyyaml');
  if (py) return { loader: 'pyyaml', by: `${py.script}:${py.line + 1}`, reason: `${py.script} reads it with ${py.call} (line ${py.line + 1})` };
  if (DVC_FILES.has(base) || base.endsWith('.dvc')) return { loader: 'yaml12', by: 'DVC', reason: 'DVC reads it with ruamel.yaml (YAML 1.2)' };
  const oc = sites.find((s) => s.loader === 'omegaconf');
  if (oc) return { loader: 'omegaconf', by: `${oc.script}:${oc.line + 1}`, reason: `${oc.script} reads it with OmegaConf.load (line ${oc.line + 1})` };
  if (hydraProject(ctx).isConfigFile(rel)) return { loader: 'omegaconf', by: 'Hydra', reason: 'Hydra composes it with OmegaConf' };
  if (base === 'config-defaults.yaml' || base === 'config-defaults.yml')
    return { loader: 'pyyaml', by: 'wandb', reason: 'wandb.init reads config-defaults.yaml with PyYAML' };
  return { loader: 'unknown', by: '', reason: 'no tool of the project is known to read it' };
}

/** A plain scalar value of a YAML document, with the path of keys that leads to it. */
export interface PlainScalar {
  node: Scalar;
  /** The source text as written. */
  source: string;
  path: (string | number)[];
}

/**
 * Every plain (unquoted, untagged), single-line scalar value of the documents, in order. Keys are skipped (a key `on:` is
 * a different story), and so are block and quoted scalars, which every loader reads as strings.
 */
export function plainScalarValues(doc: YamlDocument): PlainScalar[] {
  const out: PlainScalar[] = [];
  const visit = (node: unknown, p: (string | number)[]): void => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : '?';
        visit(item.value, [...p, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...p, i]));
    } else if (isScalar(node) && node.type === 'PLAIN' && node.range) {
      const n = node as Scalar & { source?: string };
      if (n.tag && explicitTag(doc, n)) return;
      const source = doc.text.slice(node.range[0], node.range[1]);
      if (source.includes('\n')) return;
      out.push({ node: n, source, path: p });
    }
  };
  for (const d of doc.documents) visit(d.contents, []);
  return out;
}

/** True when the scalar carries an explicit `!tag` in the source (the text before it on its line has a `!`). */
function explicitTag(doc: YamlDocument, node: Node): boolean {
  const start = node.range?.[0] ?? 0;
  const lineStart = doc.text.lastIndexOf('\n', start - 1) + 1;
  return /![\w!<:/.-]*\s+$/.test(doc.text.slice(lineStart, start));
}
