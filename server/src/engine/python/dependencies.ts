import type { Range } from '../types';

/**
 * What a Python project declares: requirements files (requirements.ts), pyproject.toml (pyproject.ts), conda and MLflow
 * environments (conda.ts); projectDependencies.ts puts them together.
 */
export * from './requirements';
export * from './pyproject';

/** A dependency the project declares, with where it is declared. */
export interface DeclaredDependency {
  /** Normalised distribution name (PEP 503: lower case, runs of -_. as -). */
  name: string;
  /** The requirement as written. */
  raw: string;
  file: string;
  /** 0-based line of the declaration. */
  line: number;
  /** `main`, an optional-dependencies extra, or a dependency group. */
  group: string;
  /** Range of the requirement text (name, extras, specifier), when known. */
  range?: Range;
  /** The version specifier as written (`==1.2`, `>=2,<3`), '' when there is none. */
  specifier?: string;
  /** Installed from a URL, a VCS or a local path (a version is implied by the reference). */
  direct?: boolean;
}

/**
 * Folders whose files are not the project's own code, by name: environments, vendored and built code. Run folders (a
 * W&B run's `files/requirements.txt`, a Hydra run's copies) are the workspace's answer, `Workspace.isRunArtefact`, by
 * their markers: a package named `wandb/` or `outputs/` is the project's own.
 */
export function isVendored(rel: string): boolean {
  return /(^|\/)(node_modules|\.venv|venv|env|site-packages|\.hydra|\.tox|\.nox|build|dist)\//.test(rel);
}
