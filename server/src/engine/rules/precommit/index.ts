import type { Rule } from '../../rule';
import { preCommitConfigMissing, ruffNotHooked, safetyHooksMissing, preCommitRevStale } from './precommit';
import { cloudbuildDockerfileMissing, cloudbuildSecretUndeclared } from './cloudbuild';
import { taskRefersToMissingFile } from './taskFiles';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  preCommitConfigMissing,
  ruffNotHooked,
  safetyHooksMissing,
  preCommitRevStale,
  cloudbuildDockerfileMissing,
  cloudbuildSecretUndeclared,
  taskRefersToMissingFile,
];
