import { defineFileRule } from '../../rule';
import { copySources, isDockerfile, joinPath, dockerfileOf } from '../../docker/dockerfile';
import { dvcDataUnder, isCredentialDirName, isCredentialFile, isLockFileName } from '../../docker/contextFiles';
import { excludedFromContext } from './shared';
import { ARTEFACT_EXTENSIONS, extensionOf } from '../../../../../shared/artefacts';

/** Data-like paths: folders, and files with a data or model extension (what DVC is for), archives, media and text. */
const DATA_EXTENSIONS = new Set([...ARTEFACT_EXTENSIONS, '.zip', '.tar', '.gz', '.tar.gz', '.tgz', '.png', '.jpg', '.jpeg', '.wav', '.mp3', '.txt']);
const isDataLike = (rel: string): boolean => DATA_EXTENSIONS.has(extensionOf(rel));

/** Data in the image freezes one version of it into every build, and breaks the build where the data is not pulled. */
export const dataCopiedIntoImage = defineFileRule({
  code: 'DKR002',
  name: 'data-copied-into-image',
  severity: 'info',
  title: 'DVC-tracked or git-ignored data copied into an image',
  doc: {
    what: 'A COPY/ADD copies a path that DVC tracks (a `data.dvc` or `models/model.pt.dvc` file exists for it or for a parent folder), a folder with DVC-tracked data inside it (`COPY data/ data/` with `data/raw.dvc`, or `COPY . .` when `.dockerignore` does not exclude a tracked path), or a path git ignores. Warning when the path is git-ignored and not DVC-tracked: a fresh clone or CI cannot build the image at all. Credentials (DKR001) and lock files (DEP003) are left to their own rules: one problem, one finding.',
    why: 'A fresh clone has no such files: `docker build` fails in CI unless `dvc pull` runs first, and the image bakes one version of the data into every layer (gigabytes per push). Mounting the data, or pulling it with DVC in the container at start, keeps images small and data versions explicit.',
    example: '# dockerfiles/train.dockerfile\nCOPY data/ data/     # data/raw.dvc tracks data/raw/\nCOPY models/ models/ # models/ is in .gitignore\n',
    fix: 'Mount data at run time (`docker run -v $(pwd)/data:/app/data`), or `dvc pull` inside the container (with credentials passed at run time), or make `dvc pull` an explicit step before `docker build` in CI; for `COPY . .`, add the tracked folders to `.dockerignore`.',
    references: ['https://dvc.org/doc/user-guide/how-to/share-a-dvc-project'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const { ignoreFile, excluded } = excludedFromContext(ctx, d);
    for (const i of d.p.instructions) {
      for (const s of copySources(i).sources) {
        if (/[$*?[]/.test(s.value) || /^https?:/.test(s.value)) continue;
        const src = joinPath(d.context, s.value);
        const name = src.slice(src.lastIndexOf('/') + 1);
        // one problem, one finding: credentials are DKR001's, lock files DEP003's
        if (isCredentialFile(src) || isCredentialDirName(name) || isLockFileName(src)) continue;
        const whole = s.value === '.' || s.value === './' || src === d.context;
        const tracked = dvcDataUnder(ctx.ws, src, excluded);
        if (tracked.length) {
          const list =
            tracked
              .slice(0, 3)
              .map((t) => `${t.out} (${t.dvcFile})`)
              .join(', ') + (tracked.length > 3 ? ` and ${tracked.length - 3} more` : '');
          const own = tracked.length === 1 && tracked[0].out === src;
          ctx.report({
            message: whole
              ? `${i.keyword} ${s.value} copies DVC-tracked data into the image: ${list}, which ${ignoreFile ?? '.dockerignore'} does not exclude; the build needs \`dvc pull\` first and bakes one data version into the image`
              : `${i.keyword} ${s.value} copies DVC-tracked data${own ? ` (${tracked[0].dvcFile})` : `: ${list}`} into the image: the build needs \`dvc pull\` first and bakes one data version into the image; mount it or pull it at run time`,
            range: s.range,
          });
          continue;
        }
        if (whole || !src) continue;
        const isDir = s.value.endsWith('/') || ctx.ws.isDirectory(src);
        if (!ctx.ws.isTracked(src) && ctx.ws.isIgnored(src, isDir)) {
          const data = isDir || isDataLike(src);
          const remedy = data ? 'mount it or fetch it with DVC' : 'create it in the build or pass it at run time';
          // .dockerignore keeping it out of the context is what breaks the build, on every machine (git ignoring it too
          // only adds that a fresh clone has nothing to copy)
          const outOfContext = excluded(src) || (isDir && excluded(`${src}/`));
          ctx.report({
            message: outOfContext
              ? `${i.keyword} ${s.value} copies ${src}${isDir ? '/' : ''}, which ${ignoreFile ?? '.dockerignore'} excludes from the build context: \`docker build\` fails with "not found" on every machine; ${remedy}, or drop the line`
              : `${i.keyword} ${s.value} copies ${src}${isDir ? '/' : ''}, which git ignores: a fresh clone or CI has nothing to copy and the build fails; ${remedy}`,
            range: s.range,
            severity: 'warning',
          });
        }
      }
    }
  },
});
