import { defineFileRule, type FileContext } from '../../rule';
import type { Range } from '../../types';
import { hydraConfigSetup } from './defaults';
import { compositionFor, stringValues, targetKeys, type StringValue } from '../../hydra/model';
import { BUILTIN_RESOLVERS, literalKeys, walkInterps, type Interp } from '../../hydra/interpolation';
import { display, nodeAtPath, select, type CNode } from '../../hydra/config';
import { closest } from '../../text/suggest';
import { isYamlPath } from '../../hydra/project';
import { overrideTexts, isSupplied } from '../../hydra/overrides';

const appliesTo = isYamlPath;

function values(ctx: FileContext): StringValue[] | undefined {
  const s = hydraConfigSetup(ctx);
  if (!s) return undefined;
  return stringValues(s.parsed.doc);
}

function rangeIn(ctx: FileContext, v: StringValue, start: number, end: number): Range {
  const doc = ctx.yaml()!;
  return doc.index.rangeOf(v.offset(start), v.offset(start) + (end - start));
}

export const interpolationSyntaxError = defineFileRule({
  code: 'HYD009',
  name: 'interpolation-syntax-error',
  severity: 'error',
  title: 'Interpolation OmegaConf cannot parse',
  doc: {
    what: "A string with `${` that OmegaConf's interpolation grammar rejects: an unclosed `${`, spaces around dots, a quoted key, characters not allowed in keys.",
    why: 'OmegaConf raises GrammarParseError when the value is read (at composition or at first access, minutes into a run).',
    example: 'run_dir: outputs/${experiment.name\n',
    fix: 'Close the interpolation (`${experiment.name}`), or escape a literal `${` as `\\${`.',
    references: ['https://omegaconf.readthedocs.io/en/latest/grammar.html'],
  },
  appliesTo,
  check(ctx) {
    for (const v of values(ctx) ?? []) {
      if (v.parsed.ok) continue;
      const at = Math.min(v.parsed.offset, v.value.length);
      ctx.report({
        message: `OmegaConf cannot parse ${JSON.stringify(v.value.length > 60 ? v.value.slice(0, 57) + '...' : v.value)}: ${v.parsed.message} at column ${at + 1} of the value`,
        range: rangeIn(ctx, v, at, Math.max(at + 1, Math.min(v.value.length, at + 1))),
      });
    }
  },
});

function keysOf(c: CNode | undefined): string[] {
  if (!c) return [];
  if (c.t === 'map') return [...c.entries.keys()];
  if (c.t === 'seq') return c.items.map((_, i) => String(i));
  return [];
}

export const interpolationKeyNotFound = defineFileRule({
  code: 'HYD010',
  name: 'interpolation-key-not-found',
  severity: 'error',
  title: 'Interpolation to a key that does not exist',
  doc: {
    what: 'A node interpolation (`${a.b}`, `${.sibling}`, `${..x}`) names a key that the composed config does not have. The config is composed as Hydra would: defaults merged in order at their packages; an option of a group is checked as if chosen on the command line.',
    why: 'OmegaConf raises "Interpolation key \'a.b\' not found" when the value is first used, often deep into a run.',
    example: '# configs/config.yaml\ndefaults: [model: vit, _self_]\nlr: ${model.learning_rate}   # configs/model/vit.yaml has lr\n',
    fix: 'Point at the key that exists (the message suggests the closest), or add the key.',
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    const vals = stringValues(s.parsed.doc);
    if (!vals.length) return;
    const fc = compositionFor(ctx.ws, s.project, ctx.file);
    if (!fc) return;
    for (const v of vals) {
      if (!v.parsed.ok) continue;
      const here = nodeAtPath(fc.comp, [...(fc.pkg ? fc.pkg.split('.') : []), ...v.path]);
      if (!here || here.origin?.file !== ctx.file) continue; // overridden later: OmegaConf never evaluates it
      for (const i of walkInterps(v.parsed.interps)) {
        if (i.kind !== 'node') continue;
        const keys = literalKeys(i);
        if (!keys) continue;
        const abs = targetKeys(fc.pkg, v.path, i.dots, keys);
        const sel = select(fc.comp, abs);
        if (sel.kind !== 'missing') continue;
        const relIndex = sel.at - (abs.length - keys.length);
        if (relIndex < 0) continue; // above the written keys (relative path leaving the root)
        const missing = keys[relIndex];
        const siblings = keysOf(sel.container);
        const guess = closest(missing, siblings);
        const parent = abs.slice(0, sel.at).join('.') || 'the root';
        const k = i.keys[relIndex];
        const fixes = guess
          ? [{ title: `Use '${guess}'`, changes: [{ file: ctx.file, edits: [{ range: rangeIn(ctx, v, k.start, k.end), newText: guess }] }] }]
          : [];
        ctx.report({
          message: `Interpolation key '${abs.join('.')}' not found: ${parent} has no key '${missing}'${guess ? ` (did you mean '${guess}'?)` : siblings.length && siblings.length <= 12 ? ` (it has ${siblings.join(', ')})` : ''}; composed from ${fc.how}`,
          range: rangeIn(ctx, v, k.start, i.keys[i.keys.length - 1].end),
          fixes,
          ...(sel.container.origin
            ? {
                related: [
                  {
                    file: sel.container.origin.file,
                    range: sel.container.origin.keyRange ?? sel.container.origin.valueRange,
                    message: `${parent} is defined here`,
                  },
                ],
              }
            : {}),
        });
      }
    }
  },
});

export const unknownResolver = defineFileRule({
  code: 'HYD011',
  name: 'unknown-resolver',
  severity: 'warning',
  title: 'Interpolation calls a resolver nobody registers',
  doc: {
    what: 'A resolver interpolation `${name:...}` uses a name that is neither built into OmegaConf/Hydra (`oc.env`, `oc.select`, `now`, `hydra`, ...) nor registered in the project\'s code with `OmegaConf.register_new_resolver("name", ...)`.',
    why: 'OmegaConf raises UnsupportedInterpolationType when the value is used. `env` was removed in OmegaConf 2.1 (use `oc.env`).',
    example: 'data_dir: ${env:DATA_DIR}\n',
    fix: 'Use the built-in (`${oc.env:DATA_DIR}`), or register the resolver before composing.',
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s || s.project.dynamicResolvers) return;
    for (const v of stringValues(s.parsed.doc)) {
      if (!v.parsed.ok) continue;
      for (const i of walkInterps(v.parsed.interps)) {
        if (i.kind !== 'resolver' || i.name === undefined) continue;
        if (BUILTIN_RESOLVERS.has(i.name) || s.project.resolvers.has(i.name)) continue;
        const known = [...BUILTIN_RESOLVERS, ...s.project.resolvers];
        const guess = i.name === 'env' ? 'oc.env' : closest(i.name, known);
        ctx.report({
          message: `Resolver '${i.name}' is not built in and not registered in the code (register_new_resolver("${i.name}", ...))${guess ? `; did you mean '${guess}'?` : ''}`,
          range: rangeIn(ctx, v, i.nameStart, i.nameEnd),
          fixes: guess
            ? [{ title: `Use '${guess}'`, changes: [{ file: ctx.file, edits: [{ range: rangeIn(ctx, v, i.nameStart, i.nameEnd), newText: guess }] }] }]
            : [],
        });
      }
    }
  },
});

export const envWithoutDefault = defineFileRule({
  code: 'HYD012',
  name: 'env-without-default',
  severity: 'info',
  title: '${oc.env:VAR} without a default',
  doc: {
    what: 'An `${oc.env:VAR}` interpolation has no default value.',
    why: 'Where the variable is not set (CI, a teammate, a container) the run fails with "Environment variable \'VAR\' not found".',
    example: 'data_dir: ${oc.env:DATA_DIR}\n',
    fix: 'Give a default: `${oc.env:DATA_DIR,data/}` (or `${oc.env:VAR,null}`), or document the variable.',
  },
  appliesTo,
  check(ctx) {
    for (const v of values(ctx) ?? []) {
      if (!v.parsed.ok) continue;
      for (const i of walkInterps(v.parsed.interps)) {
        if (i.kind !== 'resolver' || i.name !== 'oc.env' || i.args.length >= 2) continue;
        const name = i.args[0]?.text ?? '';
        ctx.report({
          message: `\${oc.env:${name}} has no default: composing fails where ${name || 'the variable'} is not set; add one, e.g. \${oc.env:${name},null}`,
          range: rangeIn(ctx, v, i.start, i.end),
        });
      }
    }
  },
});

export const mandatoryValueNotSupplied = defineFileRule({
  code: 'HYD013',
  name: 'mandatory-value-not-supplied',
  severity: 'info',
  title: 'Mandatory ??? value that nothing supplies',
  doc: {
    what: 'A value (or a defaults group) is `???` in the composed config, and no command in the project (dvc.yaml, workflows, scripts, Makefile, tasks.py, sweep configs, compose overrides in code) sets it with `key=...`.',
    why: 'OmegaConf raises "Missing mandatory value" when the job reads it; whoever runs the project must know to pass it.',
    example: '# configs/config.yaml\ncheckpoint: ???\n',
    fix: 'Give a default, or pass it where the job is run: `python train.py checkpoint=models/best.ckpt` in dvc.yaml or the workflow.',
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    const fc = compositionFor(ctx.ws, s.project, ctx.file);
    if (!fc) return;
    const texts = overrideTexts(ctx);
    const doc = ctx.yaml()!;
    const visit = (n: CNode, keys: string[]): void => {
      if (n.t === 'map') for (const [k, c] of n.entries) visit(c, [...keys, k]);
      else if (n.t === 'seq') n.items.forEach((c, i) => visit(c, [...keys, String(i)]));
      else if (n.value === '???' && n.origin?.file === ctx.file) {
        const key = keys.join('.');
        if (isSupplied(texts, key)) return;
        ctx.report({
          message: `${key} is ??? (mandatory) and nothing in the project supplies it (no \`${key}=...\` in dvc.yaml, workflows, scripts or sweep configs)`,
          range: n.origin.valueRange,
        });
      }
    };
    visit(fc.comp.root, []);
    for (const e of s.parsed.defaults) {
      if (e.kind !== 'group' || e.value !== 'missing' || e.override) continue;
      const g = e.absolute || !s.group ? e.group : `${s.group}/${e.group}`;
      if (isSupplied(texts, g)) continue;
      ctx.report({
        message: `defaults group '${g}' is ??? and nothing in the project chooses it (no \`${g}=<OPTION>\` in dvc.yaml, workflows or scripts): "You must specify '${g}', e.g, ${g}=<OPTION>"`,
        range: e.valueRange ?? e.itemRange,
      });
    }
    void doc;
  },
});

export type { Interp };
void display;
