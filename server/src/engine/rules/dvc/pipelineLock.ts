import { defineFileRule } from '../../rule';
import { changedParams, cmdText, displayValue, dvcPipeline, isDvcLock, isDvcYaml, lockPathFor } from '../../dvc/pipeline';

function lockFor(ctx: Parameters<typeof dvcPipeline>[0], dvcYaml: string) {
  const lock = dvcPipeline(ctx).lockOf(dvcYaml);
  return lock && !lock.unreadable && lock.schema !== undefined ? lock : undefined;
}

export const dvcStageNeverRun = defineFileRule({
  code: 'DVC020',
  name: 'dvc-stage-never-run',
  severity: 'info',
  title: 'Stage never run',
  doc: {
    what: 'A stage of `dvc.yaml` has no entry in the `dvc.lock` next to it (reported only when a dvc.lock exists).',
    why: 'The stage was added but never run (or its lock entry was not committed): its outputs are not versioned and a fresh clone cannot `dvc pull` them.',
    example: '# dvc.yaml has stages prepare and evaluate; dvc.lock only has prepare\n',
    fix: 'Run `dvc repro evaluate` (or `dvc commit` if the outputs are already right) and commit dvc.lock.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const lock = lockFor(ctx, ctx.file);
    if (!lock) return;
    for (const s of dvcPipeline(ctx).stages) {
      if (s.file !== ctx.file || lock.stages.has(s.name) || s.frozen) continue;
      ctx.report({ message: `stage \`${s.name}\` has never been run: it has no entry in ${lock.file}`, range: s.nameRange });
    }
  },
});

export const dvcLockStageRemoved = defineFileRule({
  code: 'DVC021',
  name: 'dvc-lock-stage-removed',
  severity: 'warning',
  title: 'dvc.lock has a stage dvc.yaml no longer has',
  doc: {
    what: 'A stage in `dvc.lock` that `dvc.yaml` does not define (any more).',
    why: 'The stage was renamed or removed without re-running the pipeline; the lock describes outputs nothing produces now, and `dvc gc` may keep or drop data unexpectedly.',
    example: '# dvc.lock has stages: train, eval; dvc.yaml renamed eval to evaluate\n',
    fix: 'Run `dvc repro` (which rewrites dvc.lock for the current stages) and commit dvc.lock, or remove the stale entry.',
  },
  appliesTo: isDvcLock,
  check(ctx) {
    const dvcYaml = ctx.file.slice(0, -'dvc.lock'.length) + 'dvc.yaml';
    if (!ctx.ws.exists(dvcYaml)) return;
    const p = dvcPipeline(ctx);
    const file = p.files.find((f) => f.file === dvcYaml);
    if (!file || file.unreadable || file.problems.length) return; // stage names are only known when templating succeeds
    const lock = lockFor(ctx, dvcYaml);
    if (!lock) return;
    const names = new Set(file.stages.map((s) => s.name));
    for (const [name, st] of lock.stages) {
      if (names.has(name)) continue;
      ctx.report({
        message: `stage \`${name}\` is in ${ctx.file} but not in ${dvcYaml}: it was renamed or removed without re-running the pipeline`,
        range: st.nameRange,
      });
    }
  },
});

export const dvcStageCmdChanged = defineFileRule({
  code: 'DVC022',
  name: 'dvc-stage-cmd-changed',
  severity: 'warning',
  title: 'Stage command changed since it last ran',
  doc: {
    what: 'The command of a stage (after templating) differs from the one recorded in dvc.lock.',
    why: 'The committed outputs were made by another command: the pipeline is out of date until `dvc repro` runs the stage again.',
    example: '# dvc.lock: cmd: python train.py\n# dvc.yaml: cmd: python train.py --epochs 20\n',
    fix: 'Run `dvc repro <stage>` and commit dvc.lock (or revert the command).',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const lock = lockFor(ctx, ctx.file);
    if (!lock) return;
    for (const s of dvcPipeline(ctx).stages) {
      if (s.file !== ctx.file || s.cmdUnresolved || s.cmdValue === undefined) continue;
      const locked = lock.stages.get(s.name);
      if (!locked || locked.cmd === undefined) continue;
      if (cmdText(locked.cmd) === cmdText(s.cmdValue)) continue;
      ctx.report({
        message: `command of stage \`${s.name}\` changed since it last ran: dvc.lock has \`${cmdText(locked.cmd)}\`, dvc.yaml now runs \`${cmdText(s.cmdValue)}\``,
        range: s.cmdRange ?? s.nameRange,
        ...(locked.cmdRange ? { related: [{ file: lock.file, range: locked.cmdRange, message: 'the locked command' }] } : {}),
      });
    }
  },
});

export const dvcStageParamsChanged = defineFileRule({
  code: 'DVC023',
  name: 'dvc-stage-params-changed',
  severity: 'warning',
  title: 'Stage params changed since it last ran',
  doc: {
    what: 'A parameter a stage tracks has a value in its params file that differs from the one recorded in dvc.lock (or it is new since the last run, or was removed from the file).',
    why: 'The committed outputs were computed with other parameters: results, metrics and the model no longer match the params in the repository until `dvc repro` runs again.',
    example: '# dvc.lock: params: {params.yaml: {train.lr: 0.01}}\n# params.yaml: train: {lr: 0.001}\n',
    fix: 'Run `dvc repro` and commit dvc.lock with the outputs (or revert the parameter).',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const lock = lockFor(ctx, ctx.file);
    if (!lock) return;
    const p = dvcPipeline(ctx);
    for (const s of p.stages) {
      if (s.file !== ctx.file) continue;
      const locked = lock.stages.get(s.name);
      if (!locked) continue;
      for (const c of changedParams(p, s, locked)) {
        const ref =
          s.params.find((r) => r.file === c.file && r.key !== undefined && (r.key === c.key || c.key.startsWith(r.key + '.'))) ??
          s.params.find((r) => r.file === c.file);
        const what =
          c.state === 'new'
            ? `\`${c.key}\` (${c.file}) is new since it last ran`
            : c.state === 'deleted'
              ? `\`${c.key}\` is no longer in ${c.file} (dvc.lock has ${displayValue(c.then)})`
              : `\`${c.key}\` is ${displayValue(c.now)} in ${c.file}, dvc.lock has ${displayValue(c.then)}`;
        ctx.report({ message: `params of stage \`${s.name}\` changed since it last ran: ${what}`, range: ref?.range ?? s.nameRange });
      }
    }
  },
});

export const dvcLockLegacyFormat = defineFileRule({
  code: 'DVC024',
  name: 'dvc-lock-legacy-format',
  severity: 'error',
  title: 'dvc.lock in the DVC 1 format',
  doc: {
    what: "A `dvc.lock` without the `schema: '2.0'` key: the format DVC 1 wrote, with stages at the top level. Also reported: a schema version other than 2.0.",
    why: 'Current DVC (2 and 3) does not accept DVC 1 lock files: `dvc status`, `dvc repro` and `dvc pull` fail on the project.',
    example: '# dvc.lock\nprepare:\n  cmd: python prepare.py\n  deps: ...\n',
    fix: "Re-run the pipeline with current DVC (`dvc repro`, or `dvc commit` when outputs are up to date), which rewrites dvc.lock with `schema: '2.0'` and a `stages:` mapping; commit it.",
  },
  appliesTo: isDvcLock,
  check(ctx) {
    const y = ctx.yaml();
    if (!y) return;
    const lock = dvcPipeline(ctx).lockOf(ctx.file.slice(0, -'dvc.lock'.length) + 'dvc.yaml');
    if (!lock || lock.unreadable || !y.rootMap || !y.rootMap.items.length) return;
    if (lock.schema === undefined) {
      ctx.report({
        message: `${ctx.file} has no \`schema\` key: it is a DVC 1 lock file, which current DVC (2 and 3) does not accept; re-run the pipeline with current DVC to rewrite it`,
        range: y.keyRange(y.rootMap.items[0] as never),
      });
    } else if (lock.schema !== '2.0') {
      ctx.report({ message: `${ctx.file} declares schema '${lock.schema}'; DVC 2 and 3 write and read '2.0'`, range: lock.schemaRange! });
    }
  },
});

export { lockPathFor };
