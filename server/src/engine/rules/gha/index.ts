import type { Rule } from '../../rule';
import { testsNotRunInCi, testsRunWithoutInstall } from './testsAndInstall';
import { cacheDependencyPathMissing, dependencyCacheMissing } from './caching';
import { matrixKeyUndefined } from './matrix';
import { checkStepCannotFail } from './cannotFail';
import { dvcPullWithoutAuth } from './dvcAuth';
import { literalSecretInWorkflow } from './literalSecretInWorkflow';
import { workflowBranchNotDefault } from './branches';
import { deployWithoutTestNeeds } from './deployNeeds';
import { actionVersionOutdated } from './actionVersionOutdated';
import { versionReadAsNumber } from './floatVersion';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  testsNotRunInCi,
  dependencyCacheMissing,
  cacheDependencyPathMissing,
  testsRunWithoutInstall,
  matrixKeyUndefined,
  checkStepCannotFail,
  dvcPullWithoutAuth,
  literalSecretInWorkflow,
  workflowBranchNotDefault,
  deployWithoutTestNeeds,
  actionVersionOutdated,
  versionReadAsNumber,
];
