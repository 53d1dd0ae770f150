import type { ContextBase } from '../../rule';
import { SEVERITIES, type Severity } from '../../types';
import { projectDependencySources, type DependencySources } from '../../python/dependencies';

/** The project's declarations at the top level (requirements*.txt, requirements/, pyproject.toml), once per pass. */
export function topLevelSources(ctx: ContextBase): DependencySources {
  return ctx.memo('deps:sources:top', () => projectDependencySources(ctx.ws, false));
}

/** Declarations anywhere in the repository (sub-projects included), once per pass. */
export function allSources(ctx: ContextBase): DependencySources {
  return ctx.memo('deps:sources:all', () => projectDependencySources(ctx.ws, true));
}

/** A severity option of `[tool.mlops-hygiene]`, ignored when it is not a severity name. */
export function severityOption(ctx: ContextBase, name: string): Severity | undefined {
  const v = ctx.option<string>(name, '');
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : undefined;
}

/** Lock files that pin a pyproject's dependencies. */
export const LOCK_FILES = ['uv.lock', 'poetry.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'];
