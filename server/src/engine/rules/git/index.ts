import type { Rule } from '../../rule';
import { modelFileNotIgnored, modelFileTracked } from './modelFiles';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [modelFileTracked, modelFileNotIgnored];
