import type { Rule } from '../../rule';
import { unpinnedRequirement } from './unpinned';
import { missingRequirementFile } from './missingRequirementFile';
import { lockNotTracked } from './lockNotTracked';
import { ciToolUndeclared } from './ciTools';
import { undeclaredImport } from './undeclaredImport';
import { pythonVersionMismatch } from './pythonVersion';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [unpinnedRequirement, missingRequirementFile, lockNotTracked, undeclaredImport, ciToolUndeclared, pythonVersionMismatch];
