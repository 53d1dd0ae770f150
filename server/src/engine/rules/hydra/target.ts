import { isMap, isPair, isScalar, isSeq, type Pair } from 'yaml';
import { defineFileRule } from '../../rule';
import { hydraConfigSetup, resolveEntries } from './defaults';
import { isYamlPath } from '../../hydra/project';
import { definesName, moduleIndex } from '../../hydra/pythonModules';
import { STDLIB } from '../../python/stdlib';
import { HYDRA_PLUGIN_OPTIONS, installedWith, isProvided, providerOf } from '../../python/importNames';
import { dependencySourcesOf } from '../../python/projectDependencies';
import type { YamlDocument } from '../../text/yamlDocument';
import type { Range } from '../../types';

interface Target {
  value: string;
  range: Range;
}

function targets(doc: YamlDocument): Target[] {
  const out: Target[] = [];
  const visit = (n: unknown): void => {
    if (isMap(n)) {
      for (const it of n.items) {
        if (!isPair(it)) continue;
        const p = it as Pair;
        if (isScalar(p.key) && p.key.value === '_target_' && isScalar(p.value) && typeof p.value.value === 'string')
          out.push({ value: p.value.value.trim(), range: doc.rangeOf(p.value) });
        else visit(p.value);
      }
    } else if (isSeq(n)) n.items.forEach(visit);
  };
  visit(doc.doc?.contents);
  return out;
}

export const targetNotFound = defineFileRule({
  code: 'HYD014',
  name: 'target-not-found',
  severity: 'error',
  title: '_target_ into the project that does not resolve',
  doc: {
    what: "A `_target_` names the project's own code (a module of the repository) but the module file does not exist, or it defines no class or function of that name.",
    why: '`hydra.utils.instantiate` fails with "Error locating target" when the object is built, after data loading has already begun.',
    example: '# configs/model/cnn.yaml\n_target_: my_project.models.ConvNet   # src/my_project/models.py defines MyConvNet\n',
    fix: 'Point at the class or function where it is defined (`my_project.models.MyConvNet`), or move it there.',
    references: ['https://hydra.cc/docs/advanced/instantiate_objects/overview/'],
  },
  appliesTo: isYamlPath,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    const list = targets(s.parsed.doc);
    if (!list.length) return;
    const idx = moduleIndex(ctx);
    for (const t of list) {
      if (t.value.includes('${') || !/^[A-Za-z_][\w.]*$/.test(t.value)) continue;
      const parts = t.value.split('.');
      if (!idx.tops.has(parts[0])) continue;
      let k = parts.length;
      while (k > 0 && !idx.modules.has(parts.slice(0, k).join('.'))) k--;
      if (k === 0) continue;
      const mod = parts.slice(0, k).join('.');
      const file = idx.modules.get(mod)!;
      if (k === parts.length) continue; // the target is a module: instantiate fails differently; not this rule
      const attr = parts[k];
      const r = ctx.ws.readText(file);
      if (!r.ok || definesName(r.text, attr)) continue;
      const message =
        k < parts.length - 1
          ? `_target_ ${t.value}: there is no module ${parts.slice(0, k + 1).join('.')} in the project, and ${file} (${mod}) defines no '${attr}'`
          : `_target_ ${t.value}: ${file} defines no class or function '${attr}'`;
      ctx.report({ message, range: t.range });
    }
  },
});

export const targetPackageNotDeclared = defineFileRule({
  code: 'HYD015',
  name: 'target-package-not-declared',
  severity: 'warning',
  title: '_target_ or plugin option from a package the project does not declare',
  doc: {
    what: "A `_target_` names a third-party package (e.g. `torch.optim.AdamW`, `sklearn.ensemble.RandomForestClassifier`) that no dependency file of the project declares, neither directly nor through a declared package that installs it. Import names are mapped to distributions as DEP004 does: `hydra_plugins.hydra_optuna_sweeper.*` comes from hydra-optuna-sweeper (which also installs optuna), and likewise hydra-colorlog, hydra-submitit-launcher, hydra-ray-launcher and hydra-joblib-launcher; `torch @ https://...whl` declares torch. A defaults entry that picks a plugin's option of a Hydra group (`override hydra/sweeper: optuna`, `hydra/launcher: submitit_slurm`, `hydra/job_logging: colorlog`) needs that plugin too, unless the project has the option as a file.",
    why: 'It works in your environment only: a fresh install cannot instantiate the object, or Hydra stops with "Could not find \'hydra/sweeper/optuna\'".',
    example: '# configs/model/rf.yaml\n_target_: sklearn.ensemble.RandomForestClassifier   # scikit-learn is not in requirements.txt\n',
    fix: 'Declare the distribution (`scikit-learn`) in requirements.txt or pyproject.toml.',
  },
  appliesTo: isYamlPath,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    const list = targets(s.parsed.doc);
    const plugins = resolveEntries(ctx, s).filter((t) => t.entry.kind === 'group' && !t.exists && HYDRA_PLUGIN_OPTIONS[t.configPath]);
    if (!list.length && !plugins.length) return;
    const idx = moduleIndex(ctx);
    const deps = dependencySourcesOf(ctx).deps;
    if (!deps.length) return; // the project declares nothing: the DEP rules say so
    const installed = ctx.memo('python:installed-with-declared', () => installedWith(deps.map((d) => d.name)));
    // `override hydra/sweeper: optuna`: the option comes from a plugin package, not from a file of the project
    for (const t of plugins) {
      const p = providerOf(`hydra_plugins.${HYDRA_PLUGIN_OPTIONS[t.configPath]}`);
      if (isProvided(p, installed)) continue;
      ctx.report({
        message: `${t.group}: ${t.option.name} comes from the package '${p.distributions[0]}', which the project does not declare (requirements*.txt, pyproject.toml): Hydra cannot find '${t.configPath}'`,
        range: t.option.range,
      });
    }
    for (const t of list) {
      if (t.value.includes('${') || !/^[A-Za-z_][\w.]*$/.test(t.value)) continue;
      const top = t.value.split('.')[0];
      if (idx.tops.has(top) || STDLIB.has(top) || top === '__main__') continue;
      const p = providerOf(t.value);
      if (!p.distributions.length || isProvided(p, installed)) continue;
      ctx.report({
        message: `_target_ ${t.value} needs the package '${p.distributions[0]}', which the project does not declare (requirements*.txt, pyproject.toml)`,
        range: t.range,
      });
    }
  },
});
