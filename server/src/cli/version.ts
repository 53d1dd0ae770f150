// Replaced at bundle time by esbuild's `define`; the fallback serves tests run from tsc output.
declare const __MLOPS_HYGIENE_VERSION__: string | undefined;
export const VERSION: string = typeof __MLOPS_HYGIENE_VERSION__ === 'string' ? __MLOPS_HYGIENE_VERSION__ : require('../../../package.json').version;
