import type { Rule } from '../../rule';
import { exponentFloatReadAsString, leadingZeroNumber, sexagesimalNumber, unquotedDate, yaml11Boolean } from './scalars';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [exponentFloatReadAsString, yaml11Boolean, leadingZeroNumber, sexagesimalNumber, unquotedDate];
