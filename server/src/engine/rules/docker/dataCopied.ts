import { defineFileRule } from '../../rule';
import { copySources, isDockerfile, joinPath } from '../../docker/dockerfile';
import { dockerfileOf } from './shared';

/** The `.dvc` file tracking `rel` or one of its parent folders, if any. */
export function dvcTracker(ws: { exists(rel: string): boolean }, rel: string): string | undefined {
  const parts = rel.replace(/\/$/, '').split('/');
  for (let k = parts.length; k > 0; k--) {
    const f = parts.slice(0, k).join('/') + '.dvc';
    if (ws.exists(f)) return f;
  }
  return undefined;
}

/** Data in the image freezes one version of it into every build, and breaks the build where the data is not pulled. */
export const dataCopied = defineFileRule({
  code: 'DKR002',
  name: 'data-copied-into-image',
  severity: 'info',
  title: 'DVC-tracked or git-ignored data copied into an image',
  doc: {
    what: 'A COPY/ADD copies a path that DVC tracks (a `data.dvc` or `models/model.pt.dvc` file exists for it) or that git ignores (data, models, checkpoints). Warning when the path is git-ignored and not DVC-tracked: a fresh clone or CI cannot build the image at all.',
    why: 'A fresh clone has no such files: `docker build` fails in CI unless `dvc pull` runs first, and the image bakes one version of the data into every layer (gigabytes per push). Mounting the data, or pulling it with DVC in the container at start, keeps images small and data versions explicit.',
    example: '# dockerfiles/train.dockerfile\nCOPY data/ data/     # data.dvc tracks data/\nCOPY models/ models/ # models/ is in .gitignore\n',
    fix: 'Mount data at run time (`docker run -v $(pwd)/data:/app/data`), or `dvc pull` inside the container (with credentials passed at run time), or make `dvc pull` an explicit step before `docker build` in CI.',
    references: ['https://dvc.org/doc/user-guide/how-to/share-a-dvc-project'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    for (const i of d.p.instructions) {
      for (const s of copySources(i).sources) {
        if (s.value === '.' || /[$*?[]/.test(s.value)) continue;
        const src = joinPath(d.context, s.value);
        if (!src) continue;
        const dvc = dvcTracker(ctx.ws, src);
        if (dvc) {
          ctx.report({ message: `${i.keyword} ${s.value} copies DVC-tracked data (${dvc}) into the image: the build needs \`dvc pull\` first and bakes one data version into the image; mount it or pull it at run time`, range: s.range });
          continue;
        }
        const isDir = s.value.endsWith('/') || ctx.ws.isDirectory(src);
        if (!ctx.ws.isTracked(src) && ctx.ws.isIgnored(src, isDir)) {
          ctx.report({
            message: `${i.keyword} ${s.value} copies ${src}${isDir ? '/' : ''}, which git ignores: a fresh clone or CI has nothing to copy and the build fails; mount it or fetch it with DVC`,
            range: s.range,
            severity: 'warning',
          });
        }
      }
    }
  },
});
