import type { Workspace } from '../../workspace';
import { defineRepoRule, type Report, type Rule } from '../../rule';
import { loadDvcPipeline } from '../../dvc/pipeline';
import type { DataStatus } from '../../dvc/data';

/**
 * DVC066: the stage status `dvc-status` computes, on the stage in dvc.yaml. It needs the data hashed (seconds on large
 * data), so it is not computed in the check pass: the language server computes it in the background after the
 * diagnostics and when a stage's deps or outs change (`stageStatusReports`, published through
 * `Engine.setBackgroundReports`), and `check --dvc-status` adds it to the CLI's findings. `check` alone never reports it.
 */
export const dvcStageOutOfDate = defineRepoRule({
  code: 'DVC066',
  name: 'dvc-stage-out-of-date',
  severity: 'info',
  title: 'Pipeline stage out of date with its data (dvc status)',
  doc: {
    what: 'A stage of `dvc.yaml` whose dependencies, outputs or params no longer match what `dvc.lock` recorded when it last ran, found by hashing the workspace as DVC does (`mlops-hygiene dvc-status`, `dvc status`). Shown on the stage name in the editor from a background status (it never holds up the other diagnostics) and by `check --dvc-status` in the CLI; plain `check` does not hash data and does not report it.',
    why: 'An out-of-date stage means the committed outputs (a model, metrics) were not produced by the data and code now in the repository: a result reported from them cannot be reproduced, and `dvc repro` will recompute the stage.',
    example:
      '# dvc.lock recorded data/data.xml with md5 d3b07384...; the file has been edited since\nstages:\n  prepare:          # stage `prepare` is out of date: data/data.xml changed\n    cmd: python prepare.py\n    deps: [data/data.xml, prepare.py]\n    outs: [data/prepared]\n',
    fix: 'Run `dvc repro <stage>` and commit `dvc.lock` (or, when the outputs are right as they are, `dvc commit <stage>`); restore the dependency if it changed by mistake.',
  },
  check() {
    // computed from the background status: stageStatusReports
  },
});

/**
 * The DVC066 reports of a status: one per stage that is out of date, on its name in its dvc.yaml. Stages that never ran
 * are DVC020's; a stage whose only changes are missing deps or outs is data not pulled yet (a fresh clone), not out of
 * date.
 */
export function stageStatusReports(ws: Workspace, status: DataStatus): { rule: Rule; report: Report }[] {
  const pipeline = loadDvcPipeline(ws);
  const where = new Map<string, { file: string; range: Report['range'] }>();
  for (const f of pipeline.files) {
    const prefix = f.file === 'dvc.yaml' ? '' : `${f.file}:`;
    for (const s of f.stages) where.set(prefix + s.name, { file: f.file, range: s.nameRange });
  }
  const out: { rule: Rule; report: Report }[] = [];
  for (const st of status.stages) {
    if (st.state !== 'changed') continue;
    // only missing deps and outs: a clone where `dvc pull` has not run (the data items say "missing data"), not a
    // stage whose inputs moved on
    if (st.changes.every((c) => / is missing$/.test(c))) continue;
    const at = where.get(st.name);
    if (!at) continue;
    const name = st.name.slice(st.name.lastIndexOf(':') + 1);
    out.push({ rule: dvcStageOutOfDate, report: { message: `stage \`${name}\` is out of date: ${st.changes.join(', ')}`, file: at.file, range: at.range } });
  }
  return out;
}
