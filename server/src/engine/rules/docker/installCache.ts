import { defineFileRule } from '../../rule';
import { commandsOf, envOf, isDockerfile, pipInstallAt, uvSyncAt, dockerfileOf } from '../../docker/dockerfile';
import { insertAfter } from './shared';

function hasCacheMount(flags: Map<string, string | null>): boolean {
  return /type=cache/.test(flags.get('mount') ?? '');
}

/** pip keeps every downloaded wheel in ~/.cache/pip: in an image that is dead weight (torch: gigabytes). */
export const pipInstallWithoutNoCacheDir = defineFileRule({
  code: 'DKR004',
  name: 'pip-install-without-no-cache-dir',
  severity: 'warning',
  title: '`pip install` in a Dockerfile without `--no-cache-dir`',
  doc: {
    what: 'A RUN calls `pip install` without `--no-cache-dir`, without a BuildKit cache mount, and without `ENV PIP_NO_CACHE_DIR=1`.',
    why: 'pip stores every wheel it downloads in `/root/.cache/pip`, which then ships inside the layer: for torch that is gigabytes of dead weight in every image you push and pull.',
    example: 'RUN pip install -r requirements.txt\n',
    fix: 'RUN pip install -r requirements.txt --no-cache-dir\n\nor, with BuildKit, `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt` (cached between builds, not in the image).',
    references: ['https://pip.pypa.io/en/stable/topics/caching/'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    for (const i of d.p.instructions) {
      if (i.keyword !== 'RUN' || hasCacheMount(i.flags) || i.json) continue;
      const env = envOf(d.p, i.stage);
      if (['1', 'true', 'on', 'yes', 'off', 'false', '0'].includes((env.get('PIP_NO_CACHE_DIR') ?? '').toLowerCase())) continue;
      for (const cmd of commandsOf(i.words)) {
        const at = pipInstallAt(cmd);
        if (at < 0 || cmd.some((w) => w.value === '--no-cache-dir' || w.value === '--no-cache')) continue;
        const install = cmd[at];
        ctx.report({
          message: `${cmd[at - 1].value} install without --no-cache-dir keeps every downloaded wheel in the image layer`,
          range: { start: cmd[at - 1].range.start, end: install.range.end },
          fixes: [insertAfter(ctx.file, install.range, ' --no-cache-dir', 'Add --no-cache-dir')],
        });
      }
    }
  },
});

/** uv keeps its cache in the layer too; and without --locked it may resolve versions that differ from uv.lock. */
export const uvSyncWithoutCacheSetting = defineFileRule({
  code: 'DKR005',
  name: 'uv-sync-without-cache-setting',
  severity: 'warning',
  title: '`uv sync` in a Dockerfile without `--no-cache` or a cache mount',
  doc: {
    what: 'A RUN calls `uv sync` (or `uv pip install`) without `--no-cache`, without a BuildKit cache mount, and without `ENV UV_NO_CACHE=1`.',
    why: 'uv keeps downloaded wheels in `/root/.cache/uv`, which ends up in the layer: hundreds of MB to GB of dead weight per image.',
    example: 'RUN uv sync --locked\n',
    fix: 'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n\n(or `uv sync --locked --no-cache`).',
    references: ['https://docs.astral.sh/uv/guides/integration/docker/#caching'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    for (const i of d.p.instructions) {
      if (i.keyword !== 'RUN' || hasCacheMount(i.flags) || i.json) continue;
      if (envOf(d.p, i.stage).has('UV_NO_CACHE')) continue;
      for (const cmd of commandsOf(i.words)) {
        let at = uvSyncAt(cmd);
        if (at < 0) {
          const k = cmd.findIndex((w, n) => w.value === 'uv' && cmd[n + 1]?.value === 'pip' && cmd[n + 2]?.value === 'install');
          at = k >= 0 ? k + 2 : -1;
        }
        if (at < 0 || cmd.some((w) => w.value === '--no-cache' || w.value === '-n')) continue;
        const first = cmd.findIndex((w) => w.value.replace(/^.*\//, '') === 'uv');
        ctx.report({
          message: `${cmd
            .slice(first, at + 1)
            .map((w) => w.value)
            .join(' ')} without --no-cache or a cache mount keeps uv's cache in the image layer`,
          range: { start: cmd[first].range.start, end: cmd[at].range.end },
          fixes: [insertAfter(ctx.file, cmd[at].range, ' --no-cache', 'Add --no-cache')],
        });
      }
    }
  },
});

export const uvSyncNotLocked = defineFileRule({
  code: 'DKR006',
  name: 'uv-sync-not-locked',
  severity: 'warning',
  title: '`uv sync` in a Dockerfile without `--locked` or `--frozen`',
  doc: {
    what: 'A RUN calls `uv sync` without `--locked` or `--frozen` (nor `UV_LOCKED`/`UV_FROZEN` set), in a project that has a `uv.lock`.',
    why: 'Without them, `uv sync` re-resolves when pyproject.toml and uv.lock disagree and silently installs other versions than the ones you tested; `--locked` fails the build instead, `--frozen` installs exactly the lock file.',
    example: 'COPY uv.lock pyproject.toml ./\nRUN uv sync --no-cache\n',
    fix: 'RUN uv sync --locked --no-cache',
    references: ['https://docs.astral.sh/uv/concepts/projects/sync/'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const lock = d.context ? `${d.context}/uv.lock` : 'uv.lock';
    if (!ctx.ws.exists(lock)) return; // no lock file: --locked would fail; DEP003 covers a lock that is expected but missing
    for (const i of d.p.instructions) {
      if (i.keyword !== 'RUN' || i.json) continue;
      const env = envOf(d.p, i.stage);
      if (env.has('UV_LOCKED') || env.has('UV_FROZEN')) continue;
      for (const cmd of commandsOf(i.words)) {
        const at = uvSyncAt(cmd);
        if (at < 0 || cmd.some((w) => w.value === '--locked' || w.value === '--frozen')) continue;
        ctx.report({
          message: `uv sync without --locked or --frozen may install other versions than ${lock} pins`,
          range: { start: cmd[at - 1].range.start, end: cmd[at].range.end },
          fixes: [insertAfter(ctx.file, cmd[at].range, ' --locked', 'Add --locked')],
        });
      }
    }
  },
});
