import type { CompletionResult, EditorFeature, FeatureContext, HoverResult, LocationResult } from './index';
import { computeHydraProject, isYamlPath, type HydraProject } from '../hydra/project';
import { configFileOf, display, entryGroup, groupOf, parseConfig, select, type CNode, type ParsedConfig } from '../hydra/config';
import { compositionsFor, stringValues, targetKeys, type FileComposition, type StringValue } from '../hydra/model';
import { BUILTIN_RESOLVERS, literalKeys, walkInterps, type Interp } from '../hydra/interpolation';
import type { Range } from '../types';

interface At {
  project: HydraProject;
  parsed: ParsedConfig;
  offset: number;
}

function at(ctx: FeatureContext): At | undefined {
  const project = computeHydraProject(ctx.ws);
  if (!project.isConfigFile(ctx.file)) return undefined;
  const parsed = parseConfig(ctx.ws, ctx.file);
  if (!parsed) return undefined;
  return { project, parsed, offset: parsed.doc.index.offsetAt(ctx.position) };
}

function valueAt(a: At): StringValue | undefined {
  return stringValues(a.parsed.doc).find((v) => v.node.range && v.node.range[0] <= a.offset && a.offset <= v.node.range[1]);
}

function interpAt(v: StringValue, offset: number): Interp | undefined {
  if (!v.parsed.ok) return undefined;
  let best: Interp | undefined;
  for (const i of walkInterps(v.parsed.interps)) {
    if (v.offset(i.start) <= offset && offset <= v.offset(i.start) + (i.end - i.start)) {
      if (!best || i.end - i.start <= best.end - best.start) best = i;
    }
  }
  return best;
}

function rangeOf(a: At, v: StringValue, i: { start: number; end: number }): Range {
  return a.parsed.doc.index.rangeOf(v.offset(i.start), v.offset(i.start) + (i.end - i.start));
}

function resolveNode(fc: FileComposition, v: StringValue, i: Interp) {
  if (i.kind !== 'node') return undefined;
  const keys = literalKeys(i);
  if (!keys) return undefined;
  const abs = targetKeys(fc.pkg, v.path, i.dots, keys);
  return { abs, sel: select(fc.comp, abs) };
}

function where(n: CNode): string {
  if (!n.origin) return '';
  const r = n.origin.keyRange ?? n.origin.valueRange;
  return `${n.origin.file}:${r.start.line + 1}`;
}

export const hydraFeature: EditorFeature = {
  name: 'hydra',
  appliesTo: isYamlPath,

  hover(ctx): HoverResult | undefined {
    const a = at(ctx);
    if (!a) return undefined;
    const v = valueAt(a);
    if (!v) return undefined;
    const i = interpAt(v, a.offset);
    if (!i) return undefined;
    const range = rangeOf(a, v, i);
    if (i.kind === 'resolver') {
      const origin =
        i.name === undefined
          ? 'computed name'
          : BUILTIN_RESOLVERS.has(i.name)
            ? 'built into OmegaConf/Hydra'
            : a.project.resolvers.has(i.name)
              ? 'registered in the code (register_new_resolver)'
              : 'not registered anywhere in the code';
      return { markdown: `**resolver** \`${i.name ?? '?'}\` (${origin}), resolved when the value is read`, range };
    }
    const fcs = compositionsFor(ctx.ws, a.project, ctx.file);
    if (!fcs.length)
      return { markdown: `\`${v.value.slice(i.start, i.end)}\`: this config is not part of a composition the project runs, so the value is not known`, range };
    // one line per distinct answer, naming the primaries that give it (a group shared by train.yaml and eval.yaml)
    const answers = new Map<string, { text: string; how: string[] }>();
    let name = '';
    for (const fc of fcs) {
      const r = resolveNode(fc, v, i);
      if (!r) continue;
      name = r.abs.join('.');
      const text = r.sel.kind === 'found' ? `\`${display(r.sel.node)}\` from ${where(r.sel.node)}` : r.sel.kind === 'missing' ? 'does not exist' : r.sel.reason;
      const e = answers.get(text) ?? { text, how: [] };
      e.how.push(fc.how);
      answers.set(text, e);
    }
    if (!answers.size) return undefined;
    if (answers.size === 1) {
      const [e] = answers.values();
      const lead = e.text.startsWith('`')
        ? `\`${name}\` = ${e.text.replace(/ from /, '\n\nfrom ')}`
        : `\`${name}\` ${e.text === 'does not exist' ? 'does not exist in the config' : `: ${e.text}`}`;
      return { markdown: `${lead} (composed from ${e.how.join(', ')})`, range };
    }
    const lines = [...answers.values()].map((e) => `- ${e.how.join(', ')}: ${e.text}`);
    return { markdown: `\`${name}\` differs by primary config:\n\n${lines.join('\n')}`, range };
  },

  definition(ctx): LocationResult[] {
    const a = at(ctx);
    if (!a) return [];
    // a defaults entry: jump to the config file it names
    const dir = a.project.configDirOf(ctx.file)!;
    const group = groupOf(dir, ctx.file);
    for (const e of a.parsed.defaults) {
      if (e.kind === 'self' || e.invalid) continue;
      for (const o of e.options) {
        const s = a.parsed.doc.index.offsetAt(o.range.start);
        const end = a.parsed.doc.index.offsetAt(o.range.end);
        const k0 = a.parsed.doc.index.offsetAt(e.keyRange.start);
        const k1 = a.parsed.doc.index.offsetAt(e.keyRange.end);
        if (!((s <= a.offset && a.offset <= end) || (k0 <= a.offset && a.offset <= k1))) continue;
        const p = e.kind === 'group' ? `${entryGroup(e, group)}/${o.name}` : e.absolute || !group ? e.group : `${group}/${e.group}`;
        const file = configFileOf(dir, p);
        if (ctx.ws.exists(file)) return [{ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
      }
    }
    const v = valueAt(a);
    if (!v) return [];
    const i = interpAt(v, a.offset);
    if (!i) return [];
    const out: LocationResult[] = [];
    for (const fc of compositionsFor(ctx.ws, a.project, ctx.file)) {
      const r = resolveNode(fc, v, i);
      if (!r || r.sel.kind !== 'found' || !r.sel.node.origin) continue;
      const o = r.sel.node.origin;
      const loc = { file: o.file, range: o.keyRange ?? o.valueRange };
      if (!out.some((x) => x.file === loc.file && x.range.start.line === loc.range.start.line && x.range.start.character === loc.range.start.character))
        out.push(loc);
    }
    return out;
  },

  completion(ctx): CompletionResult[] {
    const a = at(ctx);
    if (!a) return [];
    const v = valueAt(a);
    if (!v) return [];
    const valueOff = a.offset - v.offset(0);
    if (valueOff < 0 || valueOff > v.value.length) return [];
    const before = v.value.slice(0, valueOff);
    const m = /\$\{\s*(\.*)([A-Za-z0-9_\-.$@]*)$/.exec(before);
    if (!m) return [];
    const dots = m[1].length;
    const parts = m[2].split('.');
    const partial = parts.pop() ?? '';
    const prefix = parts.filter(Boolean);
    const start = a.parsed.doc.index.positionAt(a.offset - partial.length);
    const range = { start, end: ctx.position };
    // the union of the keys every primary composing this file has there, each saying which primaries have it
    const byKey = new Map<string, { node: CNode; how: string[] }>();
    for (const fc of compositionsFor(ctx.ws, a.project, ctx.file)) {
      const abs = targetKeys(fc.pkg, v.path, dots, prefix);
      let container: CNode | undefined;
      if (abs.length === 0) container = fc.comp.root;
      else {
        const sel = select(fc.comp, abs);
        if (sel.kind === 'found') container = sel.node;
      }
      if (!container || container.t === 'scalar') continue;
      const entries: [string, CNode][] = container.t === 'map' ? [...container.entries] : container.items.map((n, k) => [String(k), n]);
      for (const [k, n] of entries) {
        if (!k.startsWith(partial)) continue;
        const e = byKey.get(k) ?? { node: n, how: [] };
        e.how.push(fc.how);
        byKey.set(k, e);
      }
    }
    const several = new Set([...byKey.values()].flatMap((e) => e.how)).size > 1;
    return [...byKey.entries()].map(([k, e]) => ({
      label: k,
      kind: 'property' as const,
      detail: display(e.node, 80),
      documentation: [e.node.origin ? `from ${where(e.node)}` : '', several ? `in ${e.how.join(', ')}` : ''].filter(Boolean).join(' ') || undefined,
      range,
    }));
  },
};
