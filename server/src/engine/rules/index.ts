import type { Rule } from '../rule';
import { CODE_PATTERN } from '../rule';
import { coreRules } from './core';
import { rules as git } from './git';
import { rules as sec } from './sec';
import { rules as prj } from './prj';
import { rules as dvc } from './dvc';
import { rules as hydra } from './hydra';
import { rules as yml } from './yml';
import { rules as wandb } from './wandb';
import { rules as mlflow } from './mlflow';
import { rules as deps } from './deps';
import { rules as docker } from './docker';
import { rules as gha } from './gha';
import { rules as precommit } from './precommit';

/**
 * Every rule, by family. Families: MLH (the tool itself), GIT (repository and git), SEC (secrets), PRJ (project layout
 * and tests), DVC, HYD (Hydra/OmegaConf), YML (YAML read by the wrong loader), WB (Weights & Biases), MLF (MLflow),
 * DEP (dependencies), DKR (Dockerfiles), GHA (GitHub Actions), PRE (pre-commit, Cloud Build, tasks).
 */
export const ALL_RULES: readonly Rule[] = [
  ...coreRules,
  ...git,
  ...sec,
  ...prj,
  ...dvc,
  ...hydra,
  ...yml,
  ...wandb,
  ...mlflow,
  ...deps,
  ...docker,
  ...gha,
  ...precommit,
];

export function findRule(codeOrName: string): Rule | undefined {
  const q = codeOrName.trim();
  return ALL_RULES.find((r) => r.code === q.toUpperCase() || r.name === q.toLowerCase());
}

/** Checked by a test: codes are unique, well formed, and every rule has a complete doc. */
export function registryProblems(rules: readonly Rule[] = ALL_RULES): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const names = new Set<string>();
  for (const r of rules) {
    if (!CODE_PATTERN.test(r.code)) problems.push(`${r.code}: code must be letters and three digits`);
    if (seen.has(r.code)) problems.push(`${r.code}: duplicate code`);
    if (names.has(r.name)) problems.push(`${r.code}: duplicate name ${r.name}`);
    seen.add(r.code);
    names.add(r.name);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(r.name)) problems.push(`${r.code}: name must be kebab-case`);
    for (const k of ['what', 'why', 'example', 'fix'] as const) if (!r.doc[k]?.trim()) problems.push(`${r.code}: doc.${k} is empty`);
  }
  return problems;
}
