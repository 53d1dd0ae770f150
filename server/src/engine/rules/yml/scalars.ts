import { defineFileRule, type FileContext } from '../../rule';
import type { Fix } from '../../types';
import { YamlDocument } from '../../text/yamlDocument';
import { isYamlFile, loaderFor, mayBeSweepConfig, plainScalarValues, resolverSetOf, type LoaderInfo, type PlainScalar } from '../../yaml/loaders';
import { pythonStr, pyyamlFloatSpelling, resolvePlain, type ScalarType } from '../../yaml/resolve';

interface Analysed {
  doc: YamlDocument;
  loader: LoaderInfo;
  scalars: { s: PlainScalar; t: ScalarType }[];
}

/**
 * The file's loader and its plain scalars typed by that loader; undefined when no known PyYAML/OmegaConf loader reads it.
 * Detection parses through the workspace (no syntax report for files no tool of ours cares about); once the loader is
 * known, the file is read through the context so that its syntax errors are reported.
 */
function analyse(ctx: FileContext): Analysed | undefined {
  const key = `yml.scalars:${ctx.file}`;
  return ctx.memo(key, () => {
    // parsed first only when it could be a W&B sweep config (the loader depends on its keys); else the loader is
    // known from the name and the project's scripts, and most YAML files (read by no tool we know) are never parsed
    const text = ctx.ws.readText(ctx.file);
    if (!text.ok) return undefined;
    const parse = (): YamlDocument | undefined => {
      const y = ctx.ws.yaml(ctx.file);
      return y instanceof YamlDocument && !y.hasErrors ? y : undefined;
    };
    const sweepLike = mayBeSweepConfig(ctx.file, text.text);
    const pre = sweepLike ? parse() : undefined;
    if (sweepLike && !pre) return undefined;
    const loader = loaderFor(ctx, ctx.file, pre);
    const set = resolverSetOf(loader.loader);
    if (set !== 'pyyaml' && set !== 'omegaconf') return undefined;
    if (!sweepLike && !parse()) return undefined;
    const doc = ctx.yaml();
    if (!doc) return undefined;
    return { doc, loader, scalars: plainScalarValues(doc).map((s) => ({ s, t: resolvePlain(s.source, set) })) };
  });
}

function loaderName(l: LoaderInfo): string {
  return l.loader === 'pyyaml' ? 'PyYAML' : 'OmegaConf';
}

function replaceFix(ctx: FileContext, doc: YamlDocument, s: PlainScalar, text: string, title: string, preferred = false): Fix {
  return { title, changes: [{ file: ctx.file, edits: [{ range: doc.rangeOf(s.node), newText: text }] }], ...(preferred ? { preferred } : {}) };
}

function quoteFix(ctx: FileContext, doc: YamlDocument, s: PlainScalar): Fix {
  return replaceFix(ctx, doc, s, `'${s.source}'`, `Quote it: '${s.source}'`);
}

/** True when a consumer that formats values with str() (MLproject) would see the same text: then nothing changes. */
function harmless(a: Analysed, t: ScalarType, source: string): boolean {
  return !!a.loader.stringified && pythonStr(t) === source;
}

function where(s: PlainScalar): string {
  const key = s.path.length
    ? s.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '[')
    : 'the value';
  return `\`${key}: ${s.source}\``;
}

const LOADERS_DOC =
  'Which loader reads which file: MLproject (MLflow) and W&B sweep configs are read with PyYAML; so is any file a script loads with `yaml.safe_load`/`yaml.load`; Hydra configs with OmegaConf (YAML 1.1 booleans and ints, but `1e-3` is a float); dvc.yaml and params.yaml with ruamel (YAML 1.2, never flagged).';

export const exponentFloatReadAsString = defineFileRule({
  code: 'YML001',
  name: 'exponent-float-read-as-string',
  severity: 'warning',
  title: 'Number with an exponent read as a string by PyYAML',
  doc: {
    what: `A number written like \`1e-3\`, \`1e5\` or \`1.0e3\` in a file that PyYAML reads. PyYAML (YAML 1.1) only recognises a float when the mantissa has a dot and the exponent a sign, so these load as the *string* '1e-3'. ${LOADERS_DOC}`,
    why: 'A learning rate that is a string fails far from the config: the W&B sweep schema rejects `min: 1e-5`, an optimizer raises a TypeError minutes into a job, or string comparison silently replaces a numeric one. The same value in a Hydra config is fine, which is why the rule depends on the loader.',
    example: '# sweep.yaml (read by `wandb sweep` with PyYAML)\nparameters:\n  lr:\n    min: 1e-5\n    max: 1e-2\n',
    fix: 'Write the number so that every loader reads a float: `1.0e-5` (a dot in the mantissa, a sign in the exponent), or `0.00001`. The quick fix rewrites it.',
    references: ['https://github.com/yaml/pyyaml/issues/173'],
  },
  appliesTo: isYamlFile,
  check(ctx) {
    const a = analyse(ctx);
    if (!a || a.loader.loader !== 'pyyaml') return;
    for (const { s, t } of a.scalars) {
      if (t.kind !== 'str') continue;
      const spelled = pyyamlFloatSpelling(s.source);
      if (!spelled || harmless(a, t, s.source)) continue;
      ctx.report({
        message: `${where(s)} is read as the string '${s.source}', not a number: ${a.loader.reason}, and PyYAML needs a dot and a signed exponent (${spelled})`,
        range: a.doc.rangeOf(s.node),
        fixes: [replaceFix(ctx, a.doc, s, spelled, `Write ${spelled}`, true)],
      });
    }
  },
});

export const yaml11Boolean = defineFileRule({
  code: 'YML002',
  name: 'yaml11-boolean',
  severity: 'warning',
  title: 'yes/no/on/off read as a boolean',
  doc: {
    what: `A plain \`yes\`, \`no\`, \`on\` or \`off\` (any capitalisation) in a file read by PyYAML or OmegaConf, which follow YAML 1.1 and turn them into booleans. ${LOADERS_DOC}`,
    why: 'YAML 1.2 readers (editors, ruamel, the yaml npm package) see the string "off"; PyYAML and OmegaConf see False. `mode: off` or a country code `NO` silently becomes a boolean, and an MLproject default `yes` reaches the command line as `True`.',
    example: '# configs/logger.yaml\nwandb_mode: off\n',
    fix: "Write `true`/`false` when a boolean is meant, or quote the string: `wandb_mode: 'off'`.",
  },
  appliesTo: isYamlFile,
  check(ctx) {
    const a = analyse(ctx);
    if (!a) return;
    for (const { s, t } of a.scalars) {
      if (t.kind !== 'bool' || t.form !== 'yaml11-bool' || harmless(a, t, s.source)) continue;
      const b = t.value ? 'true' : 'false';
      ctx.report({
        message: `${where(s)} is read as the boolean ${b} by ${loaderName(a.loader)} (${a.loader.reason}); write ${b} if a boolean is meant, or quote '${s.source}' for the string`,
        range: a.doc.rangeOf(s.node),
        fixes: [replaceFix(ctx, a.doc, s, b, `Write ${b}`), quoteFix(ctx, a.doc, s)],
      });
    }
  },
});

export const leadingZeroNumber = defineFileRule({
  code: 'YML003',
  name: 'leading-zero-number',
  severity: 'warning',
  title: 'Number with a leading zero read as octal or as a string',
  doc: {
    what: `A plain number with a leading zero (\`017\`, \`010\`, \`08\`) in a file read by PyYAML or OmegaConf. YAML 1.1 reads \`017\` as the octal number 15, and \`08\`/\`09\` (not octal) as strings. ${LOADERS_DOC}`,
    why: 'The value silently differs from what is written: a seed `010` becomes 8, an ID `0123` becomes 83, a month `09` a string.',
    example: '# sweep.yaml\nparameters:\n  seed:\n    value: 010\n',
    fix: "Drop the leading zero for a number (`10`), or quote it for a code or an ID (`'010'`).",
  },
  appliesTo: isYamlFile,
  check(ctx) {
    const a = analyse(ctx);
    if (!a) return;
    for (const { s, t } of a.scalars) {
      const m = /^([-+]?)0+([0-9_]+)$/.exec(s.source);
      if (!m || harmless(a, t, s.source)) continue;
      const decimal = Number(`${m[1]}${m[2].replace(/_/g, '')}`);
      let what: string;
      if (t.kind === 'int' && t.form === 'octal') {
        if (t.value === decimal) continue; // 007 is 7 either way
        what = `the octal number ${t.value}`;
      } else if (t.kind === 'str') what = `the string '${s.source}'`;
      else continue;
      ctx.report({
        message: `${where(s)} is read as ${what} by ${loaderName(a.loader)} (${a.loader.reason}); write ${decimal} for the number, or quote '${s.source}'`,
        range: a.doc.rangeOf(s.node),
        fixes: [replaceFix(ctx, a.doc, s, String(decimal), `Write ${decimal}`), quoteFix(ctx, a.doc, s)],
      });
    }
  },
});

export const sexagesimalNumber = defineFileRule({
  code: 'YML004',
  name: 'sexagesimal-number',
  severity: 'warning',
  title: 'Time-like value read as a base-60 number',
  doc: {
    what: `A plain value like \`1:30\` or \`10:15:00\` in a file read by PyYAML or OmegaConf. YAML 1.1 reads it as a base-60 (sexagesimal) number: \`1:30\` is 90. ${LOADERS_DOC}`,
    why: 'A time limit, a ratio or a port mapping becomes an unrelated integer without any error.',
    example: '# MLproject\nentry_points:\n  main:\n    parameters:\n      time_limit: {type: string, default: 1:30}\n',
    fix: "Quote it: `'1:30'`.",
  },
  appliesTo: isYamlFile,
  check(ctx) {
    const a = analyse(ctx);
    if (!a) return;
    for (const { s, t } of a.scalars) {
      if ((t.kind !== 'int' && t.kind !== 'float') || t.form !== 'sexagesimal' || harmless(a, t, s.source)) continue;
      ctx.report({
        message: `${where(s)} is read as the number ${t.value} (base 60) by ${loaderName(a.loader)} (${a.loader.reason}); quote it: '${s.source}'`,
        range: a.doc.rangeOf(s.node),
        fixes: [quoteFix(ctx, a.doc, s)],
      });
    }
  },
});

export const unquotedDate = defineFileRule({
  code: 'YML005',
  name: 'unquoted-date',
  severity: 'warning',
  title: 'Unquoted date read as a date object by PyYAML',
  doc: {
    what: `A plain \`2024-01-15\` (or a timestamp) in a file PyYAML reads: it becomes a \`datetime.date\`, not a string. OmegaConf keeps dates as strings, so Hydra configs are not flagged. ${LOADERS_DOC}`,
    why: 'Code that expects a string (path building, JSON, W&B config) fails on a date object, or formats it differently.',
    example: '# data.yaml, read by a script with yaml.safe_load\nsnapshot: 2024-01-15\n',
    fix: "Quote it: `snapshot: '2024-01-15'`.",
  },
  appliesTo: isYamlFile,
  check(ctx) {
    const a = analyse(ctx);
    if (!a || a.loader.loader !== 'pyyaml') return;
    for (const { s, t } of a.scalars) {
      if ((t.kind !== 'date' && t.kind !== 'datetime') || harmless(a, t, s.source)) continue;
      ctx.report({
        message: `${where(s)} is read as a ${t.kind === 'date' ? 'datetime.date' : 'datetime.datetime'} by PyYAML (${a.loader.reason}), not a string; quote it: '${s.source}'`,
        range: a.doc.rangeOf(s.node),
        fixes: [quoteFix(ctx, a.doc, s)],
      });
    }
  },
});
