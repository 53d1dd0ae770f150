import type { Rule } from '../../rule';
import { packageNameInvalid, testFileWithoutTests, noDependencyFile, noSourcePackage, noReadme, noTests } from './layout';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [noReadme, noTests, testFileWithoutTests, noSourcePackage, packageNameInvalid, noDependencyFile];
