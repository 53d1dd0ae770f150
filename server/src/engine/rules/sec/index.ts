import type { Rule } from '../../rule';
import { envFileNotIgnored } from './envFile';
import { privateKey, serviceAccountJson } from './privateKeys';
import { wandbApiKey } from './wandbKey';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [envFileNotIgnored, wandbApiKey, privateKey, serviceAccountJson];
