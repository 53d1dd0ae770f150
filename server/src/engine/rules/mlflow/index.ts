import type { Rule } from '../../rule';
import { mlprojectEnvFileMissing, mlprojectMultipleEnvironments, mlprojectParameterType, mlprojectStructure, mlprojectUndeclaredParameter } from './mlproject';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [mlprojectStructure, mlprojectMultipleEnvironments, mlprojectEnvFileMissing, mlprojectParameterType, mlprojectUndeclaredParameter];
