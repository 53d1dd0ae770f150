import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { CompletionResult, EditorFeature, FeatureContext, HoverResult, LocationResult } from './index';
import { DEFAULT_PARAMS, displayValue, dvcPipeline, getPath, isDvcYaml, joinRel, keyPaths, pyFromYaml, type DvcParamRef, type DvcPipeline, type DvcStage, type DvcYamlFile, type PyValue } from '../dvc/pipeline';
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
  for (const stage of file.stages) for (const ref of stage.params) if (inside(ref.range, pos) || (ref.key === undefined && ref.fileRange && inside(ref.fileRange, pos))) out.push({ stage, ref });
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
    if (!refs.length) return undefined;
    const { ref } = refs[0];
    const pf = at.pipe.params(ref.file);
    const cur = pf.ok ? getPath(pf.value, ref.key!) : undefined;
    const now = !pf.ok ? `${ref.file} ${pf.missing ? 'does not exist' : `cannot be read: ${pf.problem}`}` : cur?.found ? `\`${displayValue(cur.value)}\` in ${ref.file}` : `not set in ${ref.file}`;
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
    const range = list.item && isScalar(list.item) && list.item.range && list.item.range[0] <= offset ? y.index.rangeOf(list.item.range[0], Math.max(offset, list.item.range[1])) : undefined;
    const listed = new Set(list.seq.items.filter((i) => i !== list.item && isScalar(i)).map((i) => String((i as { value: unknown }).value)));
    return keyPaths(pf.value)
      .filter((k) => !listed.has(k) && k.startsWith(typed))
      .map((k) => ({ label: k, kind: 'property' as const, detail: displayValue(getPath(pf.value, k).found ? (getPath(pf.value, k) as { value: PyValue }).value : undefined), documentation: `from ${pf.file}`, ...(range ? { range } : {}) }));
  },
};

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

/** Keys `${...}` can read: params.yaml next to dvc.yaml (auto-loaded), then the top-level `vars` (files and inline). */
function templateKeys(at: { pipe: DvcPipeline; file: DvcYamlFile }, y: YamlDocument, typed: string, pos: Position): CompletionResult[] {
  const sources: { from: string; value: PyValue }[] = [];
  const def = at.pipe.params(joinRel(at.file.dir, DEFAULT_PARAMS));
  if (def.ok) sources.push({ from: def.file, value: def.value });
  const vars = YamlDocument.pair(y.rootMap, 'vars')?.value;
  if (isSeq(vars)) {
    for (const v of vars.items) {
      if (isMap(v)) sources.push({ from: 'vars', value: pyFromYaml(v) });
      else if (isScalar(v) && typeof v.value === 'string' && !v.value.includes('${')) {
        const [file, keys] = v.value.split(':', 2);
        const pf = at.pipe.params(joinRel(at.file.dir, file));
        if (!pf.ok) continue;
        if (!keys) sources.push({ from: pf.file, value: pf.value });
        else for (const k of keys.split(',')) {
          const g = getPath(pf.value, k.trim());
          if (g.found) sources.push({ from: pf.file, value: { [k.trim()]: g.value } });
        }
      }
    }
  }
  const range = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
  const seen = new Set<string>();
  const out: CompletionResult[] = [];
  for (const s of sources) {
    for (const k of keyPaths(s.value)) {
      if (seen.has(k) || !k.startsWith(typed)) continue;
      seen.add(k);
      const g = getPath(s.value, k);
      out.push({ label: k, kind: 'property', detail: g.found ? displayValue(g.value) : undefined, documentation: `from ${s.from}`, range });
    }
  }
  return out;
}
