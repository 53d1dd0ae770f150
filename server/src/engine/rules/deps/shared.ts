import type { ContextBase } from '../../rule';
import { SEVERITIES, type Severity } from '../../types';
import { dependencySourcesOf, type DependencySources } from '../../python/projectDependencies';

/** The project's dependency files and what they declare (python/projectDependencies.ts: the one answer), once per pass. */
export function projectSources(ctx: ContextBase): DependencySources {
  return dependencySourcesOf(ctx);
}

/** A severity option of `[tool.mlops-hygiene]`, ignored when it is not a severity name. */
export function severityOption(ctx: ContextBase, name: string): Severity | undefined {
  const v = ctx.option<string>(name, '');
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : undefined;
}

/** Lock files that pin a pyproject's dependencies. */
export const LOCK_FILES = ['uv.lock', 'poetry.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'];
