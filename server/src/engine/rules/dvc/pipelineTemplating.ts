import { defineFileRule } from '../../rule';
import { dvcPipeline, isDvcYaml } from '../../dvc/pipeline';

export const dvcTemplateError = defineFileRule({
  code: 'DVC002',
  name: 'dvc-template-error',
  severity: 'error',
  title: 'dvc.yaml templating fails',
  doc: {
    what: 'A `${...}` in `dvc.yaml` that DVC cannot resolve: a key that is in none of the variables (`params.yaml` next to `dvc.yaml`, the files and mappings of `vars`, `item`/`key` of `foreach`/`matrix`), a dict or list interpolated into a string (a dict is allowed only in `cmd`), a `foreach` over something that is not a list or mapping, a `vars` file that does not exist, or `${...}` inside `vars`. The message is DVC’s own.',
    why: 'DVC resolves every template before it runs anything: one unresolved key fails `dvc repro` and `dvc exp run` for the whole file.',
    example: '# params.yaml has models: {cnn: ...}\nstages:\n  train:\n    cmd: python train.py --model ${models.foobar}\n',
    fix: 'Use a key that exists (`${models.cnn}`), add it to params.yaml or a `vars` file, or write a literal `${` as `\\${`.',
    references: ['https://dvc.org/doc/user-guide/project-structure/dvcyaml-files#templating'],
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const file = dvcPipeline(ctx).files.find((f) => f.file === ctx.file);
    for (const p of file?.problems ?? []) if (p.kind !== 'params-shape') ctx.report({ message: p.message, range: p.range });
  },
});
