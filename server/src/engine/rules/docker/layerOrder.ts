import { defineFileRule } from '../../rule';
import { commandsOf, copySources, installKind, isDockerfile, joinPath, dockerfileOf } from '../../docker/dockerfile';
import { isDependencyFileName } from '../../python/projectDependencies';

/** Files that describe dependencies: copying them first keeps the install layer cached. */
function isDependencyManifest(rel: string): boolean {
  const base = rel.replace(/\/$/, '').split('/').pop() ?? '';
  return (
    isDependencyFileName(base) ||
    /^(uv\.lock|poetry\.lock|pdm\.lock|pylock\.toml|Pipfile\.lock|README(\.md)?|LICENSE)$/i.test(base) ||
    base.startsWith('requirements')
  );
}

/** Copying the code before installing dependencies reinstalls every dependency on each code change. */
export const sourceCopiedBeforeDependencies = defineFileRule({
  code: 'DKR003',
  name: 'source-copied-before-dependencies',
  severity: 'warning',
  title: 'Source copied before dependencies are installed',
  doc: {
    what: "In a build stage, the project's source (`COPY . .`, `COPY src/ src/`) is copied before the step that installs the dependencies (`pip install -r`, `uv sync`, `poetry install`).",
    why: 'Docker reuses a layer only while everything before it is unchanged. With the source copied first, every edit to a Python file invalidates the dependency layer, and the build downloads and installs torch & co. again: minutes per build instead of seconds.',
    example: 'COPY src/ src/\nCOPY requirements.txt .\nRUN pip install -r requirements.txt --no-cache-dir\n',
    fix: 'Copy only the dependency files, install, then copy the source:\n\nCOPY requirements.txt .\nRUN pip install -r requirements.txt --no-cache-dir\nCOPY src/ src/\nRUN pip install . --no-deps --no-cache-dir\n\n(with uv: `COPY uv.lock pyproject.toml ./`, `RUN uv sync --locked --no-install-project`, then `COPY . .` and `RUN uv sync --locked`).',
    references: ['https://docs.docker.com/build/cache/'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const seenSource = new Map<number, { where: (typeof d.p.instructions)[number]; what: string }>();
    const reported = new Set<number>();
    for (const i of d.p.instructions) {
      const { sources } = copySources(i);
      if (sources.length && !seenSource.has(i.stage)) {
        const src = sources.find((s) => {
          if (isDependencyManifest(s.value)) return false;
          const rel = joinPath(d.context, s.value);
          if (s.value === '.' || s.value === './') return true;
          if (/\.py$/.test(s.value)) return true;
          return ctx.ws.isDirectory(rel) && [...ctx.ws.filesUnder(rel)].some((f) => f.endsWith('.py'));
        });
        if (src) seenSource.set(i.stage, { where: i, what: src.value });
      }
      if (i.keyword !== 'RUN' || reported.has(i.stage)) continue;
      const source = seenSource.get(i.stage);
      const kinds = commandsOf(i.words)
        .map(installKind)
        .filter((k) => k !== undefined);
      if (!kinds.length) continue;
      if (!source) {
        reported.add(i.stage); // dependencies installed first: good order for this stage
        continue;
      }
      if (!kinds.some((k) => k === 'requirements' || k === 'project')) continue;
      reported.add(i.stage);
      ctx.report({
        message: `${source.where.keyword} ${source.what} comes before the dependencies are installed (line ${i.range.start.line + 1}): every source change reinstalls all dependencies; copy the requirement/lock files, install, then copy the source`,
        range: source.where.range,
        related: [{ file: ctx.file, range: i.range, message: 'dependencies installed here' }],
      });
    }
  },
});
