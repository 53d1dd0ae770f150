import type { Rule } from '../../rule';
import { configNameNotFound, configPathFromCwd, configPathNotFound, missingVersionBase } from './app';
import { configNotCommitted, defaultsOptionNotFound, duplicateSelf, overrideNotLast } from './defaults';
import { envWithoutDefault, interpolationKeyNotFound, interpolationSyntax, mandatoryNotSupplied, unknownResolver } from './interpolations';
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
  interpolationSyntax,
  interpolationKeyNotFound,
  unknownResolver,
  envWithoutDefault,
  mandatoryNotSupplied,
  targetNotFound,
  targetPackageNotDeclared,
];
