import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { CompletionResult, EditorFeature, FeatureContext, HoverResult, LocationResult } from './index';
import {
  DEFAULT_PARAMS,
  displayValue,
  dvcPipeline,
  getPath,
  isDvcYaml,
  joinRel,
  keyPaths,
  pyFromYaml,
  type DvcParamRef,
  type DvcPipeline,
  type DvcStage,
  type DvcYamlFile,
  type PyValue,
} from '../dvc/pipeline';
import { YamlDocument } from '../text/yamlDocument';
import type { Position, Range } from '../types';

/**
 * dvc.yaml in the editor, from the pipeline family's parsed and templated stages: go to definition from a dep/out path
 * to the file and from a params key to where its params file sets it; hover on a params key shows its value now and the
 * value dvc.lock recorded (per generated stage for foreach/matrix); completion of params keys in a stage's `params:`
 * list and of keys inside `${...}`.
 */

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function inside(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

function fileOf(ctx: FeatureContext): { pipe: DvcPipeline; file: DvcYamlFile } | undefined {
  const pipe = dvcPipeline({ ws: ctx.ws });
  const file = pipe.files.find((f) => f.file === ctx.file);
  return file && !file.unreadable ? { pipe, file } : undefined;
}

/** The params entries under the cursor: one per stage using that node (a foreach node is shared by generated stages). */
function paramsAt(file: DvcYamlFile, pos: Position): { stage: DvcStage; ref: DvcParamRef }[] {
  const out: { stage: DvcStage; ref: DvcParamRef }[] = [];
  for (const stage of file.stages)
    for (const ref of stage.params)
      if (inside(ref.range, pos) || (ref.key === undefined && ref.fileRange && inside(ref.fileRange, pos))) out.push({ stage, ref });
  return out;
}

/** The value dvc.lock recorded for a stage's params key (the lock names params files relative to the stage's wdir). */
function lockedValue(pipe: DvcPipeline, stage: DvcStage, ref: DvcParamRef): { found: boolean; value?: PyValue } {
  const locked = pipe.lockedStage(stage);
  if (!locked || ref.key === undefined) return { found: false };
  for (const [f, keys] of locked.params) {
    if (joinRel(stage.wdir, f) !== ref.file) continue;
    const v = keys.get(ref.key);
    if (v) return { found: true, value: v.value };
  }
  return { found: false };
}

export const dvcFeature: EditorFeature = {
  name: 'dvc',
  appliesTo: isDvcYaml,

  hover(ctx): HoverResult | undefined {
    const at = fileOf(ctx);
    if (!at) return undefined;
    const refs = paramsAt(at.file, ctx.position).filter((r) => r.ref.key !== undefined);
    if (!refs.length) return templateHover(ctx, at);
    const { ref } = refs[0];
    const pf = at.pipe.params(ref.file);
    const cur = pf.ok ? getPath(pf.value, ref.key!) : undefined;
    const now = !pf.ok
      ? `${ref.file} ${pf.missing ? 'does not exist' : `cannot be read: ${pf.problem}`}`
      : cur?.found
        ? `\`${displayValue(cur.value)}\` in ${ref.file}`
        : `not set in ${ref.file}`;
    const lines = [`**param** \`${ref.key}\`: ${now}`];
    const lock = at.pipe.lockOf(ctx.file);
    for (const { stage } of refs) {
      const l = lockedValue(at.pipe, stage, ref);
      const who = refs.length > 1 || stage.generated ? ` (\`${stage.name}\`)` : '';
      if (!lock || lock.unreadable) lines.push(`locked${who}: no dvc.lock`);
      else if (!at.pipe.lockedStage(stage)) lines.push(`locked${who}: the stage has not run (not in ${lock.file})`);
      else if (!l.found) lines.push(`locked${who}: not recorded in ${lock.file}`);
      else {
        const differs = cur?.found && displayValue(cur.value) !== displayValue(l.value);
        lines.push(`locked${who}: \`${displayValue(l.value)}\` in ${lock.file}${differs ? ' (changed since the stage ran)' : ''}`);
      }
    }
    return { markdown: lines.join('\n\n'), range: ref.range };
  },

  definition(ctx): LocationResult[] {
    const at = fileOf(ctx);
    if (!at) return [];
    const y = ctx.ws.yaml(ctx.file);
    const interp = y instanceof YamlDocument ? interpolationAt(y, ctx.position) : undefined;
    if (interp && y instanceof YamlDocument) {
      const r = resolveTemplate(at, y, interp.key);
      const loc = r?.source.locate?.(interp.key);
      return loc ? [loc] : [];
    }
    for (const { ref } of paramsAt(at.file, ctx.position)) {
      const pf = at.pipe.params(ref.file);
      if (pf.missing) return [];
      const r = ref.key === undefined ? START : pf.locate(ref.key);
      return r ? [{ file: ref.file, range: r }] : [];
    }
    const seen = new Set<string>();
    const out: LocationResult[] = [];
    for (const stage of at.file.stages) {
      for (const p of [...stage.deps, ...stage.outs]) {
        if (p.external || p.unresolved || seen.has(p.rel) || !inside(p.range, ctx.position)) continue;
        seen.add(p.rel);
        // a folder cannot be opened as a document; a path not there yet (produced by a stage) has nowhere to go
        if (ctx.ws.exists(p.rel) && !ctx.ws.isDirectory(p.rel)) out.push({ file: p.rel, range: START });
      }
    }
    return out;
  },

  completion(ctx): CompletionResult[] {
    const at = fileOf(ctx);
    const y = ctx.ws.yaml(ctx.file);
    if (!at || !(y instanceof YamlDocument) || !y.doc) return [];
    const offset = y.index.offsetAt(ctx.position);
    const line = y.text.slice(y.text.lastIndexOf('\n', offset - 1) + 1, offset);
    const interp = /\$\{\s*([\w.\-[\]]*)$/.exec(line);
    if (interp) return templateKeys(at, y, interp[1], ctx.position);
    const list = paramsListAt(y, offset);
    if (!list) return [];
    const stage = at.file.stages.find((s) => s.baseName === list.stage);
    const wdir = stage?.wdir ?? at.file.dir;
    const pf = at.pipe.params(joinRel(wdir, list.file ?? DEFAULT_PARAMS));
    if (!pf.ok) return [];
    const typed = list.item && isScalar(list.item) && list.item.range ? y.text.slice(list.item.range[0], offset) : '';
    const range =
      list.item && isScalar(list.item) && list.item.range && list.item.range[0] <= offset
        ? y.index.rangeOf(list.item.range[0], Math.max(offset, list.item.range[1]))
        : undefined;
    const listed = new Set(list.seq.items.filter((i) => i !== list.item && isScalar(i)).map((i) => String((i as { value: unknown }).value)));
    return keyPaths(pf.value)
      .filter((k) => !listed.has(k) && k.startsWith(typed))
      .map((k) => ({
        label: k,
        kind: 'property' as const,
        detail: displayValue(getPath(pf.value, k).found ? (getPath(pf.value, k) as { value: PyValue }).value : undefined),
        documentation: `from ${pf.file}`,
        ...(range ? { range } : {}),
      }));
  },
};

/** Hover on `${key}`: its value and the file it comes from, and what dvc.lock recorded for the stage when it did. */
function templateHover(ctx: FeatureContext, at: { pipe: DvcPipeline; file: DvcYamlFile }): HoverResult | undefined {
  const y = ctx.ws.yaml(ctx.file);
  if (!(y instanceof YamlDocument)) return undefined;
  const interp = interpolationAt(y, ctx.position);
  if (!interp) return undefined;
  const r = resolveTemplate(at, y, interp.key);
  if (!r) return { markdown: `\`\${${interp.key}}\`: not set in params.yaml or the \`vars\` of ${at.file.file}`, range: interp.range };
  const lines = [`**param** \`${interp.key}\`: \`${displayValue(r.value)}\` in ${r.source.from}`];
  const stage = at.file.stages.find((s) => s.cmdRanges.some((cr) => inside(cr, ctx.position)) && s.varSources.get(interp.key) !== undefined);
  if (stage) {
    const locked = lockedValue(at.pipe, stage, { key: interp.key, file: stage.varSources.get(interp.key)! } as DvcParamRef);
    if (locked.found) {
      const differs = displayValue(locked.value) !== displayValue(r.value);
      lines.push(`locked${stage.generated ? ` (\`${stage.name}\`)` : ''}: \`${displayValue(locked.value)}\`${differs ? ' (changed since the stage ran)' : ''}`);
    }
  }
  return { markdown: lines.join('\n\n'), range: interp.range };
}

/**
 * The `params:` list of a stage the cursor is in (a stage's own, or under a foreach/matrix `do:`), with the params file
 * when the cursor is in a file-qualified list (`- custom.yaml: [...]`), and the item being typed.
 */
function paramsListAt(y: YamlDocument, offset: number): { stage: string; file?: string; seq: { items: unknown[] }; item?: Node } | undefined {
  const stages = YamlDocument.pair(y.rootMap, 'stages')?.value;
  if (!isMap(stages)) return undefined;
  const within = (n: unknown): boolean => !!n && !!(n as Node).range && (n as Node).range![0] <= offset && offset <= (n as Node).range![2];
  for (const sp of stages.items) {
    if (!isPair(sp) || !isScalar(sp.key) || !within(sp.value)) continue;
    const def = YamlDocument.pair(sp.value, 'do')?.value ?? sp.value;
    const params = YamlDocument.pair(def, 'params')?.value;
    if (!isSeq(params) || !within(params)) continue;
    const stage = String(sp.key.value);
    for (const item of params.items) {
      if (isMap(item) && within(item)) {
        for (const fp of item.items as Pair[]) {
          if (isScalar(fp.key) && isSeq(fp.value) && within(fp.value)) {
            const inner = fp.value.items.find((i) => within(i)) as Node | undefined;
            return { stage, file: String(fp.key.value), seq: fp.value, item: inner };
          }
        }
        return undefined; // on the file name itself
      }
    }
    return { stage, seq: params, item: params.items.find((i) => within(i)) as Node | undefined };
  }
  return undefined;
}

/** A source of `${...}` values: a params file (with where a key is set) or the inline `vars` of dvc.yaml. */
interface TemplateSource {
  from: string;
  value: PyValue;
  /** Where the key is set, for go to definition. */
  locate?: (key: string) => { file: string; range: Range } | undefined;
}

/**
 * What `${...}` reads, in DVC's order: params.yaml next to dvc.yaml (auto-loaded), then the top-level `vars` (files,
 * `file:key1,key2`, and inline maps). Shared by completion, hover and go to definition.
 */
function templateSources(at: { pipe: DvcPipeline; file: DvcYamlFile }, y: YamlDocument): TemplateSource[] {
  const sources: TemplateSource[] = [];
  const fromFile = (rel: string): TemplateSource | undefined => {
    const pf = at.pipe.params(rel);
    if (!pf.ok) return undefined;
    return {
      from: pf.file,
      value: pf.value,
      locate: (k) => {
        const r = pf.locate(k);
        return r ? { file: pf.file, range: r } : undefined;
      },
    };
  };
  const def = fromFile(joinRel(at.file.dir, DEFAULT_PARAMS));
  if (def) sources.push(def);
  const vars = YamlDocument.pair(y.rootMap, 'vars')?.value;
  if (isSeq(vars)) {
    for (const v of vars.items) {
      if (isMap(v))
        sources.push({
          from: 'vars',
          value: pyFromYaml(v),
          locate: (k) => {
            const n = YamlDocument.pair(v, k.split('.')[0])?.key as Node | undefined;
            return n?.range ? { file: at.file.file, range: y.index.rangeOf(n.range[0], n.range[1]) } : undefined;
          },
        });
      else if (isScalar(v) && typeof v.value === 'string' && !v.value.includes('${')) {
        const [file, keys] = v.value.split(':', 2);
        const src = fromFile(joinRel(at.file.dir, file));
        if (!src) continue;
        if (!keys) sources.push(src);
        else
          for (const k of keys.split(',')) {
            const g = getPath(src.value, k.trim());
            if (g.found) sources.push({ from: src.from, value: { [k.trim()]: g.value }, locate: src.locate });
          }
      }
    }
  }
  return sources;
}

/** Keys `${...}` can read, for completion. */
function templateKeys(at: { pipe: DvcPipeline; file: DvcYamlFile }, y: YamlDocument, typed: string, pos: Position): CompletionResult[] {
  const range = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
  const seen = new Set<string>();
  const out: CompletionResult[] = [];
  for (const s of templateSources(at, y)) {
    for (const k of keyPaths(s.value)) {
      if (seen.has(k) || !k.startsWith(typed)) continue;
      seen.add(k);
      const g = getPath(s.value, k);
      out.push({ label: k, kind: 'property', detail: g.found ? displayValue(g.value) : undefined, documentation: `from ${s.from}`, range });
    }
  }
  return out;
}

/** The `${key}` under the cursor in dvc.yaml (in `cmd`, `deps`, `outs`, anywhere), with its range. */
function interpolationAt(y: YamlDocument, pos: Position): { key: string; range: Range } | undefined {
  const line = y.index.lineText(pos.line);
  for (const m of line.matchAll(/\$\{\s*([\w.\-[\]]+)\s*\}/g)) {
    const start = m.index;
    const end = start + m[0].length;
    if (pos.character >= start && pos.character <= end)
      return { key: m[1], range: { start: { line: pos.line, character: start }, end: { line: pos.line, character: end } } };
  }
  return undefined;
}

/** The value a `${key}` reads, and from which source (the first that sets it); undefined for foreach's `item`/`key`. */
function resolveTemplate(at: { pipe: DvcPipeline; file: DvcYamlFile }, y: YamlDocument, key: string): { source: TemplateSource; value: PyValue } | undefined {
  for (const s of templateSources(at, y)) {
    const g = getPath(s.value, key);
    if (g.found) return { source: s, value: g.value };
  }
  return undefined;
}
