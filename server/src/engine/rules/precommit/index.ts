import type { Rule } from '../../rule';
import { precommitMissing, ruffNotHooked, safetyHooksMissing, staleHookRev } from './precommit';
import { cloudbuildDockerfileMissing, cloudbuildSecretUndeclared } from './cloudbuild';
import { taskMissingFile } from './taskFiles';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [precommitMissing, ruffNotHooked, safetyHooksMissing, staleHookRev, cloudbuildDockerfileMissing, cloudbuildSecretUndeclared, taskMissingFile];
