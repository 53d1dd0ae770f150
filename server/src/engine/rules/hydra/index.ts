import type { Rule } from '../../rule';
import { configNameNotFound, configPathFromCwd, configPathNotFound, missingVersionBase } from './app';
import { configNotCommitted, defaultsOptionNotFound, duplicateSelf, overrideNotLast } from './defaults';
import { envWithoutDefault, interpolationKeyNotFound, interpolationSyntaxError, mandatoryValueNotSupplied, unknownResolver } from './interpolations';
import { targetNotFound, targetPackageNotDeclared } from './target';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  configPathNotFound,
  configNameNotFound,
  configPathFromCwd,
  missingVersionBase,
  defaultsOptionNotFound,
  duplicateSelf,
  overrideNotLast,
  configNotCommitted,
  interpolationSyntaxError,
  interpolationKeyNotFound,
  unknownResolver,
  envWithoutDefault,
  mandatoryValueNotSupplied,
  targetNotFound,
  targetPackageNotDeclared,
];
