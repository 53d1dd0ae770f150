import { defineFileRule } from '../../rule';
import type { Fix } from '../../types';
import { TextIndex } from '../../text/textIndex';
import { copySources, dockerignoreFor, dockerignoreMatcher, isDockerfile, joinPath, dockerfileOf } from '../../docker/dockerfile';
import { dvcDataUnder } from '../../docker/contextFiles';
import { defaultRunFolderNames } from '../../../../../shared/artefacts';

const DEFAULT_DOCKERIGNORE = [
  '.git',
  '.venv',
  '__pycache__/',
  'data/',
  'models/',
  ...defaultRunFolderNames((f) => f.template).map((n) => `${n}/`),
  '.dvc/cache/',
  '.env',
];

/** `COPY . .` sends and copies everything not excluded: .git, data, models, local caches and secrets. */
export const dockerignoreLetsBulkIn = defineFileRule({
  code: 'DKR010',
  name: 'dockerignore-lets-bulk-in',
  severity: 'warning',
  title: '`COPY .` without a .dockerignore that keeps .git and data out',
  doc: {
    what: 'The Dockerfile copies the whole build context (`COPY . .`) and there is no `.dockerignore`, or it does not exclude `.git` or the `data/` / `models/` folders that exist in the context.',
    why: 'The whole context is sent to the builder and copied into the image: the git history, datasets, checkpoints, virtual environments and `.env`. Builds slow down, images grow by gigabytes, and every data change invalidates the layer.',
    example: '# Dockerfile\nCOPY . .\n# and no .dockerignore\n',
    fix: 'Add a `.dockerignore` next to the build context root:\n\n.git\n.venv\n__pycache__/\ndata/\nmodels/\n.env\n',
    references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const copyAll = d.p.instructions.flatMap((i) =>
      copySources(i)
        .sources.filter((s) => s.value === '.' || s.value === './')
        .map((s) => ({ i, s })),
    )[0];
    if (!copyAll) return;
    const file = dockerignoreFor(ctx.ws, ctx.file, d.context);
    const target = joinPath(d.context, '.dockerignore');
    if (!file) {
      const fix: Fix = {
        title: `Create ${target} excluding .git, data and models`,
        changes: [
          {
            file: target,
            create: true,
            edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: DEFAULT_DOCKERIGNORE.join('\n') + '\n' }],
          },
        ],
        preferred: true,
      };
      ctx.report({
        message: `${copyAll.i.keyword} . copies the whole build context, and there is no ${target}: .git, data and local files go into the image`,
        range: copyAll.s.range,
        fixes: [fix],
      });
      return;
    }
    const r = ctx.ws.readText(file);
    if (!r.ok) return;
    const excluded = dockerignoreMatcher(r.text);
    const leaks: string[] = [];
    for (const dir of ['.git', 'data', 'models', '.venv']) {
      const rel = joinPath(d.context, dir);
      if (!ctx.ws.isDirectory(rel) || excluded(dir, true)) continue;
      // DVC-tracked data in it is DKR002's finding on this COPY (one problem, one finding)
      if (dvcDataUnder(ctx.ws, rel, (r) => excluded(d.context ? r.slice(d.context.length + 1) : r)).length) continue;
      leaks.push(dir + '/');
    }
    // run folders at the top of the context, by their markers, git-ignored or not (a package `wandb/` is the image's code)
    for (const e of ctx.ws.readDir(d.context)) {
      if (!e.isDirectory() || leaks.includes(e.name + '/') || ['.git', 'data', 'models', '.venv'].includes(e.name) || excluded(e.name, true)) continue;
      const rel = joinPath(d.context, e.name);
      if (ctx.ws.runFoldersOnDisk(rel).some((f) => f.dir === rel)) leaks.push(e.name + '/');
    }
    if (!leaks.length) return;
    const index = new TextIndex(r.text);
    const prefix = r.text.length && !r.text.endsWith('\n') ? '\n' : '';
    const fix: Fix = {
      title: `Add ${leaks.join(', ')} to ${file}`,
      changes: [
        { file, edits: [{ range: { start: index.end, end: index.end }, newText: prefix + leaks.map((l) => (l === '.git/' ? '.git' : l)).join('\n') + '\n' }] },
      ],
      preferred: true,
    };
    ctx.report({
      message: `${copyAll.i.keyword} . copies the build context, and ${file} does not exclude ${leaks.join(', ')}`,
      range: copyAll.s.range,
      fixes: [fix],
    });
  },
});
