import type { Rule } from '../../rule';
import { mlprojectEnvFileMissing, mlprojectEnvironments, mlprojectParameterType, mlprojectStructure, mlprojectUndeclaredParameter } from './mlproject';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [mlprojectStructure, mlprojectEnvironments, mlprojectEnvFileMissing, mlprojectParameterType, mlprojectUndeclaredParameter];
