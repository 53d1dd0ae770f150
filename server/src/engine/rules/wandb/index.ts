import type { Rule } from '../../rule';
import { sweepSchema } from './schema';
import { sweepBoundsOrder, sweepGridNotDiscrete, sweepLogUniformExponents, sweepProbabilities } from './parameters';
import { sweepHydraArgs, sweepMetricNotLogged, sweepProgramMissing } from './program';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  sweepSchema,
  sweepBoundsOrder,
  sweepGridNotDiscrete,
  sweepProbabilities,
  sweepLogUniformExponents,
  sweepProgramMissing,
  sweepHydraArgs,
  sweepMetricNotLogged,
];
