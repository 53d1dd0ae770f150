import { isMap, isPair, isScalar, type Node } from 'yaml';
import type { ZodType } from 'zod';
import { defineFileRule } from '../../rule';
import type { Fix, Range } from '../../types';
import { suggestionFix } from '../../fixes';
import { YamlDocument } from '../../text/yamlDocument';
import { dvcPipeline, isDvcYaml } from '../../dvc/pipeline';
import { ARTIFACT_KEYS, FOREACH_KEYS, OUT_FLAG_KEYS, PLOT_FLAG_KEYS, STAGE_KEYS, TOP_KEYS, TOP_PLOT_KEYS, pipelineSchemas } from '../../dvc/pipeline/schema';
import {
  didYouMeanText,
  expectedText,
  flattenIssues,
  foundText,
  missingKeyRange,
  nodeAt,
  pathOf,
  unknownKeys,
  type Issue,
  type Path,
} from '../../yaml/schemaIssues';

function describe(path: Path): string {
  const fmt = (p: Path): string => p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  if (path[0] === 'stages' && path.length >= 2) {
    const rest = path.slice(2);
    return rest.length ? `\`${fmt(rest)}\` of stage \`${path[1]}\`` : `stage \`${path[1]}\``;
  }
  return path.length ? `\`${fmt(path)}\`` : 'the file';
}

/** Which keys are allowed in the mapping at `path` (for "did you mean"). */
function knownKeys(path: Path, y: YamlDocument): readonly string[] {
  if (path.length === 0) return TOP_KEYS;
  const [first] = path;
  if (first === 'artifacts' && path.length === 2) return ARTIFACT_KEYS;
  if (first === 'plots' && path.length === 3) return TOP_PLOT_KEYS;
  if (first === 'stages') {
    let rest = path.slice(2);
    if (rest.length === 0) return isMap(nodeAt(y, path)) && YamlDocument.pair(nodeAt(y, path), 'foreach') ? FOREACH_KEYS : STAGE_KEYS;
    if (rest[0] === 'do') rest = rest.slice(1);
    if (rest.length === 0) return STAGE_KEYS;
    if (rest[0] === 'plots') return PLOT_FLAG_KEYS;
    if (rest[0] === 'outs' || rest[0] === 'metrics') return OUT_FLAG_KEYS;
  }
  return [];
}

export const dvcYamlInvalid = defineFileRule({
  code: 'DVC001',
  name: 'dvc-yaml-invalid',
  severity: 'error',
  title: 'dvc.yaml does not match DVC’s schema',
  doc: {
    what: 'A key or value of `dvc.yaml` that DVC’s own schema rejects: an unknown key (with the closest known one), a wrong type, a stage without `cmd`, a `foreach` stage with keys besides `foreach` and `do`, a params entry whose file maps to something other than a list.',
    why: 'DVC validates `dvc.yaml` before doing anything: one bad key stops `dvc repro`, `dvc status` and `dvc exp run` for the whole pipeline, often far from where the file was edited.',
    example:
      'stages:\n  train:\n    cmd: python train.py\n    dep:            # unknown key\n      - data/train.csv\n    frozen: "yes"   # must be true or false\n',
    fix: 'stages:\n  train:\n    cmd: python train.py\n    deps:\n      - data/train.csv\n    frozen: true\n',
    references: ['https://dvc.org/doc/user-guide/project-structure/dvcyaml-files'],
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const y = ctx.yaml();
    if (!y) return;
    const contents = y.doc?.contents;
    if (contents === null || contents === undefined) return;
    if (!isMap(contents)) {
      ctx.report({ message: `dvc.yaml must be a mapping (stages:, vars:, ...), found ${foundText(contents)}`, range: y.rangeOf(contents as Node) });
      return;
    }
    const js = y.toJS() as Record<string, unknown>;
    const seen = new Set<string>();
    const report = (range: Range, message: string, fix?: Fix): void => {
      const k = `${range.start.line}:${range.start.character}:${message}`;
      if (!seen.has(k)) {
        seen.add(k);
        ctx.report({ message, range, ...(fix ? { fixes: [fix] } : {}) });
      }
    };
    const skip = (path: Path): boolean => {
      // `{file: <not a list>}` in params is reported below with DVC's own wording
      const i = path.indexOf('params');
      return path[0] === 'stages' && i >= 2 && path.length === i + 3;
    };
    const handle = (issues: Issue[], base: Path): void => {
      for (const issue of flattenIssues(issues, base)) {
        const path = pathOf(issue);
        if (skip(path)) continue;
        const node = nodeAt(y, path);
        if (node === undefined && issue.code === 'invalid_type') {
          report(missingKeyRange(y, path), `${describe(path.slice(0, -1))} has no \`${String(path[path.length - 1])}\` (required)`);
          continue;
        }
        if (issue.code === 'unrecognized_keys') {
          const known = knownKeys(path, y);
          const extra = known === FOREACH_KEYS ? ' (a `foreach` stage has only `foreach` and `do`; the rest goes under `do`)' : '';
          for (const u of unknownKeys(y, node, issue.keys ?? [], known)) {
            report(
              u.range,
              `unknown key \`${u.key}\` in ${describe(path)}${didYouMeanText(u.suggestion)}${extra}`,
              u.pair ? suggestionFix(ctx.ws, ctx.file, u.range, u.key, u.suggestion) : undefined,
            );
          }
          continue;
        }
        const msg =
          issue.code === 'invalid_type' && issue.expected
            ? `${describe(path)} must be ${expectedText(issue)}, found ${foundText(node)}`
            : `${describe(path)}: ${issue.message}`;
        report(y.rangeOf((node ?? contents) as Node), msg);
      }
    };
    const run = (schema: ZodType, value: unknown, base: Path): void => {
      const r = schema.safeParse(value);
      if (!r.success) handle(r.error.issues as unknown as Issue[], base);
    };
    const { dvcYamlTopSchema, foreachStageSchema, stageSchema } = pipelineSchemas();
    run(dvcYamlTopSchema, js, []);
    const stages = js?.stages;
    const stagesNode = YamlDocument.pair(contents, 'stages')?.value;
    if (stages && typeof stages === 'object' && !Array.isArray(stages) && isMap(stagesNode)) {
      for (const p of stagesNode.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const name = String(p.key.value);
        const def = (stages as Record<string, unknown>)[name];
        if (!isMap(p.value)) {
          report(
            p.value ? y.rangeOf(p.value as Node) : y.keyRange(p),
            `stage \`${name}\` must be a mapping (cmd:, deps:, outs:, ...), found ${foundText(p.value)}`,
          );
          continue;
        }
        const isForeach = YamlDocument.pair(p.value, 'foreach') !== undefined;
        run(isForeach ? foreachStageSchema : stageSchema, def, ['stages', name]);
      }
    }
    const file = dvcPipeline(ctx).files.find((f) => f.file === ctx.file);
    for (const pr of file?.problems ?? []) if (pr.kind === 'params-shape') report(pr.range, pr.message);
  },
});
