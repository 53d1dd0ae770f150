import type { Rule } from '../../rule';
import { envFileExposed } from './envFile';
import { privateKey, serviceAccountKey } from './privateKeys';
import { wandbApiKey } from './wandbKey';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [envFileExposed, wandbApiKey, privateKey, serviceAccountKey];
