import type { Rule } from '../../rule';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [];
