/**
 * Hydra configs as Hydra composes them: the defaults list of each config (Hydra 1.1+ semantics: groups relative to the
 * containing config's group unless absolute `/group`, `optional`, `override`, `_self_`, `@package`, `???`, `null`), and
 * the composition of a primary config (defaults merged in order at their packages) with the origin of every value, so
 * interpolations can be resolved and explained.
 */
export * from './defaults';
export * from './compose';
