import { defineFileRule } from '../../rule';
import type { Range } from '../../types';
import { dvcPipeline, isDvcYaml, overlaps, type DvcStage } from '../../dvc/pipeline';

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}`;
}

export const dvcDepMissing = defineFileRule({
  code: 'DVC003',
  name: 'dvc-dep-missing',
  severity: 'error',
  title: 'Stage dependency that nothing provides',
  doc: {
    what: 'A `deps` entry that does not exist in the workspace, is not an output of any stage (of any dvc.yaml) and is not tracked by a `.dvc` file.',
    why: '`dvc repro` stops with "missing dependency" before running the stage. Deps that an earlier stage produces or that a `.dvc` file tracks are fine even when absent from a fresh clone, and are never reported.',
    example: 'stages:\n  train:\n    cmd: python train.py\n    deps:\n      - data/proccessed.csv   # typo; prepare outputs data/processed.csv\n',
    fix: 'Correct the path, add the stage that produces it, or track the data with `dvc add` and commit the `.dvc` file.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const p = dvcPipeline(ctx);
    const done = new Set<string>();
    for (const s of p.stages) {
      if (s.file !== ctx.file) continue;
      for (const d of s.deps) {
        if (d.external || d.unresolved || !d.rel || d.rel.startsWith('../')) continue;
        if (ctx.ws.exists(d.rel) || ctx.ws.has(d.rel)) continue;
        if (p.producersOf(d.rel).length || p.dvcFileTracking(d.rel)) continue;
        const k = `${rangeKey(d.range)}:${d.rel}`;
        if (done.has(k)) continue;
        done.add(k);
        ctx.report({
          message: `stage \`${s.name}\` depends on \`${d.path}\`, which does not exist, is not an output of any stage and is not tracked by a .dvc file`,
          range: d.range,
        });
      }
    }
  },
});

export const dvcOutOverlap = defineFileRule({
  code: 'DVC004',
  name: 'dvc-out-overlap',
  severity: 'error',
  title: 'Output claimed twice',
  doc: {
    what: 'Two stages declare the same output, or outputs where one lies inside the other (`data` and `data/train.csv`), or a stage output is also tracked by a `.dvc` file.',
    why: 'DVC refuses to build such a pipeline ("output ... is specified in stages ..." / overlapping paths): every output has exactly one producer.',
    example:
      'stages:\n  prepare:\n    cmd: python prepare.py\n    outs: [data/processed]\n  augment:\n    cmd: python augment.py\n    outs: [data/processed]\n',
    fix: 'Give each stage its own output path (`data/augmented`), or merge the stages.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const p = dvcPipeline(ctx);
    const done = new Set<string>();
    for (const s of p.stages) {
      if (s.file !== ctx.file) continue;
      for (const o of s.outs) {
        if (o.external || o.unresolved || done.has(rangeKey(o.range))) continue;
        const other = p.stages.find((t) => t !== s && t.baseName !== s.baseName && t.outs.some((x) => !x.external && !x.unresolved && overlaps(x.rel, o.rel)));
        const sibling = !other
          ? p.stages.find((t) => t !== s && t.baseName === s.baseName && t.file === s.file && t.outs.some((x) => !x.unresolved && x.rel === o.rel))
          : undefined;
        const dvcFile = p.dvcFileTracking(o.rel);
        if (other) {
          const x = other.outs.find((y) => overlaps(y.rel, o.rel))!;
          // report each pair once: on the stage that comes later in the pipeline order
          if (p.stages.indexOf(other) > p.stages.indexOf(s) && other.file === s.file) continue;
          done.add(rangeKey(o.range));
          const how =
            x.rel === o.rel
              ? 'is also an output of'
              : x.rel.startsWith(o.rel + '/')
                ? `contains \`${x.path}\`, an output of`
                : `lies inside \`${x.path}\`, an output of`;
          ctx.report({
            message: `output \`${o.path}\` of stage \`${s.name}\` ${how} stage \`${other.name}\`${other.file !== s.file ? ` (${other.file})` : ''}`,
            range: o.range,
            related: [{ file: other.file, range: x.range, message: `output of stage \`${other.name}\`` }],
          });
        } else if (sibling) {
          done.add(rangeKey(o.range));
          ctx.report({
            message: `every stage generated from \`${s.baseName}\` writes \`${o.path}\` (\`${s.name}\` and \`${sibling.name}\`); use \${item} or \${key} in the path`,
            range: o.range,
          });
        } else if (dvcFile) {
          done.add(rangeKey(o.range));
          ctx.report({
            message: `output \`${o.path}\` of stage \`${s.name}\` is also tracked by ${dvcFile.file}`,
            range: o.range,
            related: [{ file: dvcFile.file, range: dvcFile.outs.find((x) => overlaps(x.rel, o.rel))!.range, message: 'tracked here' }],
          });
        }
      }
    }
  },
});

export const dvcPipelineCycle = defineFileRule({
  code: 'DVC005',
  name: 'dvc-pipeline-cycle',
  severity: 'error',
  title: 'Pipeline cycle',
  doc: {
    what: 'Stages that depend on each other’s outputs in a circle, or a stage that depends on its own output.',
    why: 'A pipeline must be a DAG; DVC rejects the whole project with "Cycle detected" (or "cannot be both a dependency and an output"), so no stage can run.',
    example: 'stages:\n  a:\n    cmd: python a.py\n    deps: [b.csv]\n    outs: [a.csv]\n  b:\n    cmd: python b.py\n    deps: [a.csv]\n    outs: [b.csv]\n',
    fix: 'Break the circle: one of the stages must read an input no stage downstream of it writes.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const p = dvcPipeline(ctx);
    const done = new Set<string>();
    for (const cycle of p.cycles()) {
      const first = cycle.find((s) => s.file === ctx.file);
      if (!first || done.has(rangeKey(first.nameRange) + cycle.length)) continue;
      done.add(rangeKey(first.nameRange) + cycle.length);
      if (cycle.length === 1) {
        const d = first.deps.find((x) => first.outs.some((o) => !o.unresolved && overlaps(o.rel, x.rel)))!;
        ctx.report({ message: `stage \`${first.name}\` depends on its own output \`${d.path}\``, range: d.range });
        continue;
      }
      const names = cycle.map((s: DvcStage) => `\`${s.name}\``).join(', ');
      ctx.report({
        message: `stages ${names} depend on each other's outputs in a cycle`,
        range: first.nameRange,
        related: cycle.filter((s) => s !== first).map((s) => ({ file: s.file, range: s.nameRange, message: `stage \`${s.name}\` is in the cycle` })),
      });
    }
  },
});
