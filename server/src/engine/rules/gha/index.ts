import type { Rule } from '../../rule';
import { noWorkflowRunsTests, pytestWithoutInstall } from './testsAndInstall';
import { cacheDependencyPathMissing, noDependencyCache } from './caching';
import { matrixKeyUndefined } from './matrix';
import { stepCannotFail } from './cannotFail';
import { dvcPullWithoutAuth } from './dvcAuth';
import { literalSecret } from './literalSecret';
import { branchNotDefault } from './branches';
import { deployWithoutNeeds } from './deployNeeds';
import { outdatedAction } from './outdatedAction';
import { unquotedVersion } from './floatVersion';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  noWorkflowRunsTests,
  noDependencyCache,
  cacheDependencyPathMissing,
  pytestWithoutInstall,
  matrixKeyUndefined,
  stepCannotFail,
  dvcPullWithoutAuth,
  literalSecret,
  branchNotDefault,
  deployWithoutNeeds,
  outdatedAction,
  unquotedVersion,
];
