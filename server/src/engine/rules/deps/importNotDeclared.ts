import { defineFileRule } from '../../rule';
import { isVendored } from '../../python/dependencies';
import { scanImports } from '../../python/imports';
import { STDLIB } from '../../python/stdlib';
import { installedWith, isProvided, providerOf } from '../../python/importNames';
import { projectSources } from './shared';

/** Names that are the project's own: every folder and module stem holding Python code anywhere in the repository. */
function ownNames(paths: Iterable<string>): Set<string> {
  const own = new Set<string>();
  for (const p of paths) {
    if (!p.endsWith('.py') && !p.endsWith('.pyi') && !p.endsWith('.pyx')) continue;
    const parts = p.split('/');
    for (const d of parts.slice(0, -1)) own.add(d);
    own.add(parts[parts.length - 1].replace(/\.(py|pyi|pyx)$/, ''));
  }
  return own;
}

/** Code that imports a package no dependency file declares works on the author's machine only. */
export const importNotDeclared = defineFileRule({
  code: 'DEP004',
  name: 'import-not-declared',
  severity: 'warning',
  title: 'Import of a package that no dependency declares',
  doc: {
    what: "A Python file of the project imports a third-party package (`import wandb`, `from sklearn.metrics import f1_score`) that no requirements file, pyproject.toml (any group) or conda environment of the repository declares. The usual import-to-distribution names are known (`sklearn` is scikit-learn, `cv2` opencv-python, `PIL` pillow, `yaml` pyyaml, `box` python-box, `imblearn` imbalanced-learn, `grpc` grpcio, ...), and namespace packages by their sub-package (`google.cloud.storage` is google-cloud-storage, `hydra_plugins.hydra_colorlog` hydra-colorlog). Standard-library modules, the project's own modules, relative imports, imports under `if TYPE_CHECKING:` or in a `try:` that catches ImportError, and packages a declared one installs (omegaconf with hydra-core, botocore with boto3, optuna with hydra-optuna-sweeper: a dated table of their requirements) are not reported. Projects whose dependencies are in setup.py or another opaque place are skipped.",
    why: "The code runs on the author's machine, where the package happens to be installed, and fails with ModuleNotFoundError in CI, in the Docker image and for everyone who clones the repository.",
    example: '# src/digits/train.py\nimport wandb          # requirements.txt lists torch and hydra-core only\n',
    fix: 'Declare it with a version: `wandb==0.18.5` in requirements.txt, or `uv add wandb`.',
  },
  appliesTo: (rel) => rel.endsWith('.py') && !isVendored(rel) && !/(^|\/)(docs?|\.github)\//.test(rel) && !/(^|\/)(setup|noxfile|conftest)\.py$/.test(rel),
  check(ctx) {
    const src = projectSources(ctx);
    if (!src.hasDeclarations || src.opaque) return;
    const r = ctx.text();
    if (!r.ok) return;
    const installed = ctx.memo('python:installed-with-declared', () => installedWith(src.deps.map((d) => d.name)));
    const own = ctx.memo('deps:own-modules', () => ownNames(ctx.ws.paths()));
    const reported = new Set<string>();
    for (const imp of scanImports(r.text)) {
      const top = imp.module.split('.')[0];
      if (imp.optional || STDLIB.has(top) || own.has(top) || top === 'pytest' || top === '__main__') continue;
      const whole = providerOf(imp.module, imp.names);
      // `from google.cloud import storage, bigquery`: each name is its own distribution
      const providers = whole.distributions.length || imp.names.length < 2 ? [whole] : imp.names.map((n) => providerOf(`${imp.module}.${n}`));
      const p = providers.find((x) => !reported.has(x.name) && !isProvided(x, installed));
      if (!p) continue;
      reported.add(p.name);
      const dist = p.distributions[0] ?? p.namespacePrefix?.replace(/-$/, '') ?? top;
      ctx.report({
        message: `${p.name} is imported here but no dependency file declares ${dist}${dist !== p.name ? ` (the distribution that provides ${p.name})` : ''}: it works only where it happens to be installed`,
        range: { start: { line: imp.line, character: imp.character }, end: { line: imp.line, character: imp.character + top.length } },
      });
    }
  },
});
