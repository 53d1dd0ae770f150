import type { Rule } from '../../rule';
import { unpinnedRequirement } from './unpinned';
import { missingRequirementFile } from './missingRequirementFile';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [unpinnedRequirement, missingRequirementFile];
