import * as path from 'node:path';
import { isMap, isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { defineFileRule, type FileContext } from '../../rule';
import type { Range } from '../../types';
import { YamlDocument } from '../../text/yamlDocument';
import { isMlprojectFile } from '../../yaml/loaders';
import { pythonStr, resolvePlain } from '../../yaml/resolve';
import { validateYaml } from '../../yaml/schemaIssues';
import { closest } from '../../text/suggest';
import { MLPROJECT_ENV_KEYS, MLPROJECT_PARAMETER_TYPES, MLPROJECT_TOLERATED_TYPES, mlprojectSchema } from '../../schemas/mlproject';
import { suggestionFix } from '../../fixes';

const MLPROJECT_REF = 'https://mlflow.org/docs/latest/projects.html#specifying-projects';

interface EntryPoint {
  name: string;
  pair: Pair<Node, Node>;
  map?: YAMLMap;
  params: { name: string; pair: Pair<Node, Node> }[];
  command?: Node;
}

function entryPoints(doc: YamlDocument): EntryPoint[] {
  const ep = YamlDocument.pair(doc.rootMap, 'entry_points');
  if (!ep || !isMap(ep.value)) return [];
  const out: EntryPoint[] = [];
  for (const item of ep.value.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const map = isMap(item.value) ? item.value : undefined;
    const params = YamlDocument.pair(map, 'parameters');
    const list =
      params && isMap(params.value)
        ? params.value.items
            .filter(isPair)
            .filter((p) => isScalar(p.key))
            .map((p) => ({ name: String((p.key as { value: unknown }).value), pair: p as Pair<Node, Node> }))
        : [];
    out.push({
      name: String(item.key.value),
      pair: item as Pair<Node, Node>,
      map,
      params: list,
      command: YamlDocument.pair(map, 'command')?.value as Node | undefined,
    });
  }
  return out;
}

function mlproject(ctx: FileContext): YamlDocument | undefined {
  if (!isMlprojectFile(ctx.file)) return undefined;
  const doc = ctx.yaml();
  return doc?.rootMap ? doc : undefined;
}

export interface FormatField {
  /** The field name as str.format looks it up (before `.attr`, `[index]`, `!conv`, `:spec`); empty for `{}`. */
  name: string;
  offset: number;
  length: number;
}

/**
 * The replacement fields of a Python format string, as `str.format` reads them: `{{` and `}}` are literal braces, a field
 * runs to its matching `}` (a format spec may hold nested fields, `{x:{width}}`). `problem` is what str.format raises on.
 */
export function formatFields(command: string): { fields: FormatField[]; problem?: { offset: number; message: string } } {
  const fields: FormatField[] = [];
  for (let i = 0; i < command.length; i++) {
    const ch = command[i];
    if ((ch === '{' || ch === '}') && command[i + 1] === ch) {
      i++;
      continue;
    }
    if (ch === '}') return { fields, problem: { offset: i, message: "Single '}' encountered in format string" } };
    if (ch !== '{') continue;
    let depth = 1;
    let end = i + 1;
    for (; end < command.length && depth > 0; end++) {
      if (command[end] === '{') depth++;
      else if (command[end] === '}') depth--;
    }
    if (depth > 0) return { fields, problem: { offset: i, message: "expected '}' before end of string" } };
    const field = command.slice(i + 1, end - 1);
    const name = /^[^.[:!]*/.exec(field)![0];
    fields.push({ name, offset: i, length: end - i });
    // nested fields in the format spec are looked up too
    const spec = field.indexOf(':');
    if (spec >= 0) for (const f of formatFields(field.slice(spec + 1)).fields) fields.push({ ...f, offset: i + 1 + spec + 1 + f.offset });
    i = end - 1;
  }
  return { fields };
}

export const mlprojectStructure = defineFileRule({
  code: 'MLF001',
  name: 'mlproject-structure',
  severity: 'error',
  title: 'Invalid MLproject structure',
  doc: {
    what: 'An MLproject file that does not have the structure MLflow reads: not a mapping, `entry_points` that is not a mapping, an entry point without a `command`, a parameter that is neither a type name nor `{type, default}`, `docker_env` without `image`. Keys MLflow does not know are reported as warnings: a typo such as `entrypoints` or `paramters` is silently ignored by MLflow, and the entry points or parameters under it are lost.',
    why: '`mlflow run` fails before running anything (`None.format`, "no image attribute found"), or runs without the parameters that were written.',
    example: '# MLproject\nname: digits\nentrypoints:\n  main:\n    command: python train.py\n',
    fix: 'Follow the MLproject format: `entry_points: {main: {parameters: {lr: {type: float, default: 0.01}}, command: "python train.py --lr {lr}"}}`.',
    references: [MLPROJECT_REF],
  },
  appliesTo: isMlprojectFile,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    const root = doc.doc?.contents as Node | null | undefined;
    if (!doc.rootMap) {
      // MLflow does yaml_obj.keys() on what safe_load returns: an empty file or a scalar fails
      ctx.report({
        message: root
          ? 'MLproject must be a YAML mapping (name, entry_points, an environment), not a single value or a list'
          : 'MLproject is empty: MLflow cannot load it (write at least `name` and `entry_points`)',
        range: doc.rangeOf(root),
      });
      return;
    }
    for (const p of validateYaml(doc, mlprojectSchema, 'MLproject')) {
      const fix = p.suggestion ? suggestionFix(ctx.ws, ctx.file, p.range, p.suggestion.word, p.suggestion.to) : undefined;
      const fixes = fix ? { fixes: [fix] } : {};
      ctx.report(
        p.unknownKey
          ? { message: `${p.message} (MLflow ignores it)`, range: p.range, severity: 'warning', ...fixes }
          : { message: p.message, range: p.range, ...fixes },
      );
    }
  },
});

export const mlprojectMultipleEnvironments = defineFileRule({
  code: 'MLF002',
  name: 'mlproject-multiple-environments',
  severity: 'error',
  title: 'MLproject declares several environments',
  doc: {
    what: 'An MLproject with more than one of `conda_env`, `python_env` and `docker_env`.',
    why: 'MLflow refuses the project ("Project cannot contain multiple environment fields") before running anything.',
    example: '# MLproject\nconda_env: conda.yaml\npython_env: python_env.yaml\n',
    fix: 'Keep one: `python_env` (virtualenv) for Python projects, `conda_env` for conda, `docker_env` for a container.',
    references: [MLPROJECT_REF],
  },
  appliesTo: isMlprojectFile,
  check(ctx) {
    const doc = mlproject(ctx);
    if (!doc) return;
    const present = MLPROJECT_ENV_KEYS.map((k) => ({ key: k, pair: YamlDocument.pair(doc.rootMap, k) })).filter(
      (p): p is { key: (typeof MLPROJECT_ENV_KEYS)[number]; pair: Pair<Node, Node> } => !!p.pair,
    );
    if (present.length < 2) return;
    // in the file's order: the first one stays, the later ones are reported
    present.sort((a, b) => (a.pair.key.range?.[0] ?? 0) - (b.pair.key.range?.[0] ?? 0));
    const names = present.map((p) => `\`${p.key}\``).join(' and ');
    for (const p of present.slice(1)) {
      ctx.report({
        message: `MLproject declares ${names}: MLflow allows only one environment field ("Project cannot contain multiple environment fields")`,
        range: doc.keyRange(p.pair),
        related: [{ file: ctx.file, range: doc.keyRange(present[0].pair), message: `first environment field: ${present[0].key}` }],
      });
    }
  },
});

export const mlprojectEnvFileMissing = defineFileRule({
  code: 'MLF003',
  name: 'mlproject-env-file-missing',
  severity: 'error',
  title: 'MLproject environment file missing',
  doc: {
    what: 'The file named by `conda_env` or `python_env` in MLproject does not exist (the path is relative to the folder of the MLproject file).',
    why: 'MLflow refuses the project ("Project specified conda environment file ..., but no such file was found") before creating the environment.',
    example: '# MLproject\npython_env: python_env.yaml   # not in the repository\n',
    fix: 'Add the environment file (for python_env: `python`, `build_dependencies`, `dependencies`) or correct the path.',
    references: [MLPROJECT_REF],
  },
  appliesTo: isMlprojectFile,
  check(ctx) {
    const doc = mlproject(ctx);
    if (!doc) return;
    const dir = path.posix.dirname(ctx.file);
    for (const key of ['conda_env', 'python_env']) {
      const p = YamlDocument.pair(doc.rootMap, key);
      if (!p || !isScalar(p.value) || typeof p.value.value !== 'string' || !p.value.value) continue;
      const value = p.value.value;
      // absolute paths and paths outside the workspace are not ours to judge
      if (path.posix.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) continue;
      const rel = path.posix.normalize(path.posix.join(dir, value));
      if (rel.startsWith('../') || rel === '..' || ctx.ws.exists(rel)) continue;
      const near = ctx.ws.exists(dir === '.' ? 'python_env.yaml' : `${dir}/python_env.yaml`)
        ? 'python_env.yaml'
        : ctx.ws.exists(dir === '.' ? 'conda.yaml' : `${dir}/conda.yaml`)
          ? 'conda.yaml'
          : undefined;
      ctx.report({
        message: `${key} file \`${value}\` does not exist (MLflow looks for ${rel})${near && near !== value ? `; the folder has \`${near}\`` : ''}`,
        range: doc.rangeOf(p.value as Node),
      });
    }
  },
});

/** What Python's float() / int() accept: the script receives the default as text and converts it. */
function pyNumberText(text: string, kind: 'float' | 'int'): boolean {
  const t = text.trim();
  const digits = '[0-9](?:_?[0-9])*';
  if (kind === 'int') return new RegExp(`^[-+]?${digits}$`).test(t);
  return new RegExp(`^[-+]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][-+]?${digits})?$`).test(t) || /^[-+]?(?:inf|infinity|nan)$/i.test(t);
}

/** `scheme:` as urllib.parse.urlparse finds it: what MLflow's data_utils.is_uri requires of a `uri` parameter. */
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const TYPE_ALIASES: Record<string, string> = {
  integer: 'int',
  str: 'string',
  text: 'string',
  number: 'float',
  double: 'float',
  numeric: 'float',
  file: 'path',
  dir: 'path',
  directory: 'path',
  url: 'uri',
  boolean: 'bool',
};

export const mlprojectParameterType = defineFileRule({
  code: 'MLF004',
  name: 'mlproject-parameter-type',
  severity: 'warning',
  title: 'MLproject parameter with an unknown type or a default of the wrong type',
  doc: {
    what: `An MLproject parameter whose type is not one MLflow documents (${MLPROJECT_PARAMETER_TYPES.join(', ')}; \`int\` and \`bool\` are accepted as they appear in MLflow's examples), a \`float\` (or \`int\`) parameter whose default is not a number as the script receives it, or a \`uri\` parameter whose default has no scheme.`,
    why: 'MLflow passes the value to the command as text: with `type: integer` or `type: number` nothing is checked, and a default such as `fast` for a float, or `yes` (which PyYAML reads as True), fails every run that relies on it. A `uri` default without a scheme fails with "Expected URI for parameter".',
    example:
      '# MLproject\nentry_points:\n  main:\n    parameters:\n      epochs: {type: integer, default: 10}\n      lr: {type: float, default: fast}\n      data: {type: uri, default: data/train.csv}\n',
    fix: 'Use `string`, `float`, `path` or `uri` (or `int`), with a default of that type: a number for float, `s3://...` or `file:///...` for uri (or make it a `path`).',
    references: [MLPROJECT_REF],
  },
  appliesTo: isMlprojectFile,
  check(ctx) {
    const doc = mlproject(ctx);
    if (!doc) return;
    const known = [...MLPROJECT_PARAMETER_TYPES, ...MLPROJECT_TOLERATED_TYPES] as string[];
    for (const e of entryPoints(doc)) {
      for (const p of e.params) {
        const v = p.pair.value;
        const typeNode = isScalar(v) ? v : isMap(v) ? (YamlDocument.pair(v, 'type')?.value as Node | undefined) : undefined;
        if (typeNode && !isScalar(typeNode)) continue; // a structure error (MLF001)
        const type = typeNode && isScalar(typeNode) ? String(typeNode.value) : 'string';
        if (typeNode && !known.includes(type)) {
          const guess = TYPE_ALIASES[type.toLowerCase()] ?? closest(type, known);
          const range = doc.rangeOf(typeNode);
          ctx.report({
            message: `parameter \`${p.name}\` of entry point \`${e.name}\` has type \`${type}\`, which MLflow does not know (${MLPROJECT_PARAMETER_TYPES.join(', ')}): its values are not checked${guess ? `; did you mean \`${guess}\`?` : ''}`,
            range,
            ...(guess ? { fixes: [{ title: `Use type ${guess}`, changes: [{ file: ctx.file, edits: [{ range, newText: guess }] }] }] } : {}),
          });
          continue;
        }
        if (!isMap(v) || !['float', 'int', 'uri'].includes(type)) continue;
        const def = YamlDocument.pair(v, 'default')?.value;
        if (!def || !isScalar(def) || def.value === null) continue; // no default: the parameter is required
        // the default MLflow formats into the command is str() of what PyYAML made of the text
        const source = def.range ? doc.text.slice(def.range[0], def.range[1]) : String(def.value);
        const t = def.type === 'PLAIN' ? resolvePlain(source, 'pyyaml') : { kind: 'str' as const, value: String(def.value) };
        if (t.kind === 'null') continue;
        const text = pythonStr(t);
        let problem: string | undefined;
        if (type === 'uri') {
          if (text === undefined || !URI_SCHEME.test(text))
            problem = 'is not a URI (no scheme such as `s3://` or `file://`): MLflow fails with "Expected URI for parameter"; use type `path` for a local file';
        } else {
          const ok =
            t.kind === 'int' || (t.kind === 'float' && type === 'float') || (t.kind === 'str' && pyNumberText(String(t.value), type as 'float' | 'int'));
          if (!ok)
            problem = `is not ${type === 'int' ? 'an integer' : 'a number'}${t.kind === 'bool' ? ` (PyYAML reads it as ${t.value ? 'True' : 'False'})` : t.kind === 'date' ? ' (PyYAML reads it as a date)' : ''}`;
        }
        if (problem)
          ctx.report({
            message: `parameter \`${p.name}\` of entry point \`${e.name}\` is ${type}, but its default \`${source}\` ${problem}`,
            range: doc.rangeOf(def as Node),
          });
      }
    }
  },
});

export const mlprojectUndeclaredParameter = defineFileRule({
  code: 'MLF005',
  name: 'mlproject-undeclared-parameter',
  severity: 'error',
  title: 'MLproject command uses a parameter that is not declared',
  doc: {
    what: "A `{name}` in an entry point's command that is not one of the entry point's declared parameters, or braces that str.format rejects (`{}`, a single `}`, an unclosed `{`).",
    why: 'MLflow fills the command with `str.format` using the declared parameters only: an undeclared `{seed}` makes every `mlflow run` of the entry point fail with a KeyError, even when `-P seed=1` is given (undeclared -P values are appended as `--seed 1` instead).',
    example: '# MLproject\nentry_points:\n  main:\n    parameters:\n      lr: float\n    command: python train.py --lr {lr} --seed {seed}\n',
    fix: 'Declare the parameter (`seed: {type: int, default: 0}`), correct its name, or write literal braces as `{{` and `}}`.',
    references: [MLPROJECT_REF],
  },
  appliesTo: isMlprojectFile,
  check(ctx) {
    const doc = mlproject(ctx);
    if (!doc) return;
    for (const e of entryPoints(doc)) {
      if (!e.command || !isScalar(e.command) || typeof e.command.value !== 'string') continue;
      const command = e.command.value;
      const at = doc.valueOffsets(e.command);
      const span = (offset: number, length: number): Range => doc.index.rangeOf(at(offset), at(offset) + length);
      const declared = e.params.map((p) => p.name);
      const { fields, problem } = formatFields(command);
      const seen = new Set<string>();
      for (const f of fields) {
        if (declared.includes(f.name) || seen.has(f.name)) continue;
        seen.add(f.name);
        const guess = f.name ? closest(f.name, declared) : undefined;
        const range = span(f.offset, f.length);
        ctx.report({
          message: f.name
            ? `the command of entry point \`${e.name}\` uses \`{${f.name}}\`, which is not a declared parameter${declared.length ? ` (declared: ${declared.join(', ')})` : ' (it declares none)'}: str.format fails with KeyError '${f.name}'${guess ? `; did you mean \`{${guess}}\`?` : ''}`
            : `the command of entry point \`${e.name}\` has an empty \`{}\` field: MLflow formats it with named parameters only (IndexError); write \`{{}}\` for literal braces`,
          range,
          ...(guess
            ? { fixes: [{ title: `Use {${guess}}`, changes: [{ file: ctx.file, edits: [{ range: span(f.offset + 1, f.name.length), newText: guess }] }] }] }
            : {}),
        });
      }
      if (problem) {
        ctx.report({
          message: `the command of entry point \`${e.name}\` has a brace str.format rejects: ${problem.message}; write literal braces as \`{{\` and \`}}\``,
          range: span(problem.offset, 1),
        });
      }
    }
  },
});
