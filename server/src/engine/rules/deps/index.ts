import type { Rule } from '../../rule';
import { unpinnedRequirement } from './unpinned';
import { requirementsFileMissing } from './requirementsFileMissing';
import { lockFileNotTracked } from './lockFileNotTracked';
import { ciToolNotDeclared } from './ciTools';
import { importNotDeclared } from './importNotDeclared';
import { pythonVersionMismatch } from './pythonVersion';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [unpinnedRequirement, requirementsFileMissing, lockFileNotTracked, importNotDeclared, ciToolNotDeclared, pythonVersionMismatch];
