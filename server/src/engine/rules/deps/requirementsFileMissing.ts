import { defineFileRule } from '../../rule';
import { parseRequirementsText, pyprojectDependencies, resolveRelative } from '../../python/dependencies';
import { isRequirementsFileOf, mayBeRequirementsFile } from '../../python/projectDependencies';

/** An include or a dynamic dependency file that is not there makes `pip install` fail on a fresh clone. */
export const requirementsFileMissing = defineFileRule({
  code: 'DEP002',
  name: 'requirements-file-missing',
  severity: 'error',
  title: 'Requirements file referenced but missing',
  doc: {
    what: 'A requirements file includes another with `-r`/`-c` that does not exist, or pyproject.toml takes its dependencies from a file (`[tool.setuptools.dynamic] dependencies = {file = [...]}`) that does not exist or that git does not track.',
    why: '`pip install -r requirements_dev.txt` and `pip install .` fail on a fresh clone (pip resolves `-r` paths relative to the including file). With dynamic dependencies, a missing file silently produces a package without dependencies on some setuptools versions.',
    example: '# requirements_dev.txt\n-r requirements.txt   # but the file is requirements/base.txt\npytest==8.3.3\n',
    fix: 'Point the include at the real file (relative to the including file), or add and commit the missing file.',
    references: ['https://setuptools.pypa.io/en/latest/userguide/pyproject_config.html#dynamic-metadata'],
  },
  appliesTo: (rel) => mayBeRequirementsFile(rel) || rel === 'pyproject.toml' || rel.endsWith('/pyproject.toml'),
  check(ctx) {
    const missing = (rel: string): 'missing' | 'untracked' | undefined => {
      if (!ctx.ws.exists(rel)) return 'missing';
      if (ctx.ws.isGitRepository && !ctx.ws.isTracked(rel) && ctx.ws.isIgnored(rel)) return 'untracked';
      return undefined;
    };
    if (ctx.file.endsWith('pyproject.toml')) {
      const doc = ctx.toml();
      if (!doc) return;
      for (const d of pyprojectDependencies(doc, ctx.file).dynamicFiles) {
        const why = missing(d.file);
        if (why) {
          ctx.report({
            message: `dynamic ${d.group === 'main' ? 'dependencies' : `optional dependencies '${d.group}'`} come from ${d.file}, which ${why === 'missing' ? 'does not exist' : 'git ignores (a fresh clone does not have it)'}`,
            range: d.range,
          });
        }
      }
      return;
    }
    if (!isRequirementsFileOf(ctx, ctx.file)) return; // a text file nothing installs
    const r = ctx.text();
    if (!r.ok) return;
    for (const l of parseRequirementsText(r.text)) {
      if ((l.kind !== 'include' && l.kind !== 'constraint') || !l.target || /^[a-z]+:\/\//.test(l.target)) continue;
      const target = resolveRelative(ctx.file, l.target);
      const why = missing(target);
      if (why) {
        ctx.report({
          message: `${l.kind === 'include' ? '-r' : '-c'} ${l.target}: ${target} ${why === 'missing' ? 'does not exist (pip resolves the path relative to this file)' : 'is ignored by git, so a fresh clone does not have it'}`,
          range: l.range,
        });
      }
    }
  },
});
