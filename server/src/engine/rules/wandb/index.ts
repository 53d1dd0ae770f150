import type { Rule } from '../../rule';
import { sweepSchemaRule } from './schema';
import { sweepBoundsOrder, sweepGridNotDiscrete, sweepLogUniformValues, sweepProbabilities } from './parameters';
import { sweepHydraArgs, sweepMetricNotLogged, sweepProgramMissing } from './program';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [sweepSchemaRule, sweepBoundsOrder, sweepGridNotDiscrete, sweepProbabilities, sweepLogUniformValues, sweepProgramMissing, sweepHydraArgs, sweepMetricNotLogged];
