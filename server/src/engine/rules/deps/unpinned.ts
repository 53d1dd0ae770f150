import { defineFileRule } from '../../rule';
import { parseRequirementsText, pyprojectDependencies, readRequirementsTree } from '../../python/dependencies';
import { isRequirementsFileOf, mayBeRequirementsFile } from '../../python/projectDependencies';
import { LOCK_FILES, projectSources, severityOption } from './shared';

/** A bare requirement installs whatever is newest on the day: the same commit builds different environments. */
export const unpinnedRequirement = defineFileRule({
  code: 'DEP001',
  name: 'unpinned-requirement',
  severity: 'warning',
  title: 'Requirement without a version',
  doc: {
    what: 'A requirement in a requirements file or in pyproject.toml has no version specifier (`torch` instead of `torch==2.5.1` or `torch>=2.5,<2.6`), and no lock file or constraint file pins it.',
    why: 'Without a version, `pip install -r requirements.txt` installs whatever is newest that day: a run from last month cannot be rebuilt, and CI breaks when a dependency releases a major version. Dependabot also ignores bare names. The severity can be changed with `unpinned-severity = "info"` in `[tool.mlops-hygiene]`.',
    example: '# requirements.txt\ntorch\nhydra-core>=1.3\n',
    fix: 'Pin the version you tested with (`pip freeze | grep -i torch`), or keep loose specifiers and commit a lock file (`uv lock`, `pip-compile`), or a constraints file included with `-c`.',
    references: ['https://pip.pypa.io/en/stable/reference/requirements-file-format/'],
  },
  appliesTo: (rel) => mayBeRequirementsFile(rel) || rel === 'pyproject.toml' || rel.endsWith('/pyproject.toml'),
  check(ctx) {
    const severity = severityOption(ctx, 'unpinned-severity');
    const dir = ctx.file.includes('/') ? ctx.file.slice(0, ctx.file.lastIndexOf('/') + 1) : '';
    if (ctx.file.endsWith('pyproject.toml')) {
      // a committed lock file pins everything pyproject.toml declares
      if (LOCK_FILES.some((l) => ctx.ws.isTracked(dir + l) || ctx.ws.has(dir + l))) return;
      const doc = ctx.toml();
      if (!doc) return;
      const { deps } = pyprojectDependencies(doc, ctx.file);
      for (const d of deps) {
        if (d.specifier || d.direct || !d.range) continue;
        ctx.report({
          message: `${d.raw} (${d.group === 'main' ? 'project dependencies' : `group '${d.group}'`}) has no version specifier and no lock file pins it; add a version range or commit uv.lock`,
          range: d.range,
          ...(severity ? { severity } : {}),
        });
      }
      return;
    }
    if (!isRequirementsFileOf(ctx, ctx.file)) return; // a text file nothing installs
    // pip-tools: requirements.in is loose on purpose when the compiled requirements.txt sits next to it
    if (ctx.file.endsWith('.in') && ctx.ws.has(ctx.file.slice(0, -3) + '.txt')) return;
    const r = ctx.text();
    if (!r.ok) return;
    const constrained = new Set(projectSources(ctx).constrained);
    for (const f of readRequirementsTree(ctx.ws, ctx.file)) if (f.constraint) for (const l of f.lines) if (l.name) constrained.add(l.name);
    for (const l of parseRequirementsText(r.text)) {
      if (l.kind !== 'requirement' || !l.req || l.req.specifier || constrained.has(l.req.name)) continue;
      ctx.report({
        message: `${l.req.rawName} has no version specifier: every install may get a different version; pin it (${l.req.rawName}==<version>) or add it to a constraints/lock file`,
        range: l.range,
        ...(severity ? { severity } : {}),
      });
    }
  },
});
