import type { Rule } from '../../rule';
import { exponentFloatAsString, leadingZeroNumber, sexagesimalNumber, unquotedDate, yaml11Boolean } from './scalars';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [exponentFloatAsString, yaml11Boolean, leadingZeroNumber, sexagesimalNumber, unquotedDate];
