import { defineFileRule } from '../../rule';
import { dvcPipeline, getPath, isDvcYaml, joinRel, keyPaths, paramsKind, DEFAULT_PARAMS } from '../../dvc/pipeline';
import { closest } from '../../text/suggest';
import { suggestionFix } from '../../fixes';

export const dvcParamsFileMissing = defineFileRule({
  code: 'DVC011',
  name: 'dvc-params-file-missing',
  severity: 'error',
  title: 'Params file missing or unreadable',
  doc: {
    what: 'A stage lists `params` from a file that does not exist (plain keys read `params.yaml` in the stage’s `wdir`; `- file.yaml: [keys]` names another file), or that cannot be parsed by the loader DVC picks for its suffix (`.yaml`/other: YAML, `.json`, `.toml`, `.py`).',
    why: '`dvc repro` and `dvc status` fail on the missing file; the stage can never be checked for changed parameters.',
    example: 'stages:\n  train:\n    cmd: python train.py\n    params:\n      - configs/train.yaml:   # the file is configs/training.yaml\n          - lr\n',
    fix: 'Point at the existing file, or create it with the keys the stage reads.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const p = dvcPipeline(ctx);
    const done = new Set<string>();
    for (const s of p.stages) {
      if (s.file !== ctx.file) continue;
      for (const ref of s.params) {
        const pf = p.params(ref.file);
        if (pf.ok) continue;
        const range = ref.fileRange ?? ref.range;
        const k = `${ref.file}:${range.start.line}:${range.start.character}`;
        if (done.has(k) || done.has(ref.file + ':' + s.baseName)) continue;
        done.add(k);
        done.add(ref.file + ':' + s.baseName);
        const message = pf.missing
          ? `stage \`${s.name}\` reads params from ${ref.file}, which does not exist${ref.fileAsWritten === DEFAULT_PARAMS && !ref.fileRange ? ' (plain keys are read from params.yaml in the stage’s wdir)' : ''}`
          : `stage \`${s.name}\` reads params from ${ref.file}, which DVC cannot load as ${paramsKind(ref.file).toUpperCase()}: ${pf.problem}`;
        ctx.report({ message, range });
      }
    }
  },
});

export const dvcParamsKeyMissing = defineFileRule({
  code: 'DVC012',
  name: 'dvc-params-key-missing',
  severity: 'error',
  title: 'Params key not in its file',
  doc: {
    what: 'A key listed in a stage’s `params` (dot-separated, `train.lr`) is not in its params file.',
    why: 'DVC fails with "Parameters ... are missing from ..." when it computes the stage’s status or runs it.',
    example: '# params.yaml: train: {lr: 0.01}\nstages:\n  train:\n    cmd: python train.py\n    params:\n      - train.lrate\n',
    fix: 'Use the key as written in the file (`train.lr`), or add it to the file.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const p = dvcPipeline(ctx);
    const done = new Set<string>();
    for (const s of p.stages) {
      if (s.file !== ctx.file) continue;
      for (const ref of s.params) {
        if (ref.key === undefined) continue;
        const pf = p.params(ref.file);
        if (!pf.ok) continue;
        const got = getPath(pf.value, ref.key);
        if (got.found) continue;
        const k = `${ref.range.start.line}:${ref.range.start.character}`;
        if (done.has(k)) continue;
        done.add(k);
        const suggestion = closest(ref.key, keyPaths(pf.value));
        const at = got.at ? ` (\`${got.at}\` has no \`${ref.key.slice(got.at.length + 1).split('.')[0]}\`)` : '';
        const fix = suggestionFix(ctx.ws, ctx.file, ref.range, ref.key, suggestion);
        ctx.report({
          message: `params key \`${ref.key}\` of stage \`${s.name}\` is not in ${ref.file}${at}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          range: ref.range,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
});

export const dvcParamsUnused = defineFileRule({
  code: 'DVC013',
  name: 'dvc-params-unused',
  severity: 'hint',
  title: 'params.yaml key no stage uses',
  doc: {
    what: 'A key of a `params.yaml` that sits next to a `dvc.yaml` is neither listed in any stage’s `params` (directly, through a parent key, or by tracking the whole file) nor read by a `${...}` template.',
    why: 'DVC only re-runs a stage when its tracked params change: a parameter the code reads but no stage declares changes results silently, without `dvc repro` noticing. It may also simply be stale. Reported at low severity because code can read params.yaml directly.',
    example: '# params.yaml\ntrain:\n  lr: 0.01\n  dropout: 0.2   # no stage lists train.dropout or train\n',
    fix: 'List the key under the `params` of the stage whose code reads it (`- train.dropout`, or `- train` for the whole section), or delete it.',
  },
  appliesTo: (rel) => rel === DEFAULT_PARAMS || rel.endsWith('/' + DEFAULT_PARAMS),
  check(ctx) {
    const dir = ctx.file.includes('/') ? ctx.file.slice(0, ctx.file.lastIndexOf('/')) : '';
    if (!ctx.ws.has(joinRel(dir, 'dvc.yaml'))) return;
    const p = dvcPipeline(ctx);
    const yamlFile = p.files.find((f) => f.file === joinRel(dir, 'dvc.yaml'));
    if (!yamlFile || yamlFile.unreadable || yamlFile.problems.length) return; // an unresolved pipeline cannot tell what is used
    const used: string[] = [];
    let whole = false;
    for (const s of p.stages) {
      for (const ref of s.params) {
        if (ref.file !== ctx.file) continue;
        if (ref.key === undefined) whole = true;
        else used.push(ref.key);
      }
    }
    for (const f of p.files) for (const u of f.usedVars) if (u.source === ctx.file) used.push(u.key);
    if (whole) return;
    const pf = p.params(ctx.file);
    if (!pf.ok) return;
    const walk = (value: unknown, prefix: string): void => {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (used.some((u) => u === key || key.startsWith(u + '.'))) continue;
        if (used.some((u) => u.startsWith(key + '.')) && v && typeof v === 'object' && !Array.isArray(v)) {
          walk(v, key);
          continue;
        }
        const range = pf.locate(key);
        if (range)
          ctx.report({
            message: `\`${key}\` in ${ctx.file} is not used by any stage of ${yamlFile.file} (not in any stage’s params, not in a \${...})`,
            range,
          });
      }
    };
    walk(pf.value, '');
  },
});
