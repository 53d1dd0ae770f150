import type { Rule } from '../../rule';
import { badPackageName, emptyTestFile, noDependencyFile, noPackage, noReadme, noTests } from './layout';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [noReadme, noTests, emptyTestFile, noPackage, badPackageName, noDependencyFile];
