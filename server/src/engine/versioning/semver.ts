import type { Bump } from '../../../../shared/types';
export type { Bump } from '../../../../shared/types';

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The version of `tag` under `prefix`, or undefined when the tag is not `<prefix>X.Y.Z` (pre-releases are ignored). */
export function parseVersionTag(tag: string, prefix: string): Version | undefined {
  const m = new RegExp(`^${escapeRe(prefix)}(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$`).exec(tag);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** The highest version among `tags` that carry `prefix`, with its tag name. */
export function latestVersion(tags: string[], prefix: string): { tag: string; version: Version } | undefined {
  let best: { tag: string; version: Version } | undefined;
  for (const tag of tags) {
    const version = parseVersionTag(tag, prefix);
    if (version && (!best || compareVersions(version, best.version) > 0)) best = { tag, version };
  }
  return best;
}

/** Next version: from nothing, major -> 1.0.0, minor -> 0.1.0, patch -> 0.0.1. */
export function bumpVersion(current: Version | undefined, bump: Bump): Version {
  const c = current ?? { major: 0, minor: 0, patch: 0 };
  if (bump === 'major') return { major: c.major + 1, minor: 0, patch: 0 };
  if (bump === 'minor') return { major: c.major, minor: c.minor + 1, patch: 0 };
  return { major: c.major, minor: c.minor, patch: c.patch + 1 };
}

/**
 * Whether `prefix` can start a tag name. A subset of git's check-ref-format rules, checked before git is asked so that
 * the message names the problem: no spaces, no `..`, no `~^:?*[\`, not starting with `-` or `/`.
 */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix.startsWith('-')) return `the tag prefix '${prefix}' starts with '-'`;
  if (prefix.startsWith('/') || prefix.includes('//')) return `the tag prefix '${prefix}' has an empty path component`;
  if (/[\s~^:?*[\\\x00-\x1f\x7f]/.test(prefix)) return `the tag prefix '${prefix}' contains a character git does not allow in tag names`;
  if (prefix.includes('..') || prefix.includes('@{')) return `the tag prefix '${prefix}' contains '..' or '@{'`;
  if (prefix.split('/').some((c) => c.startsWith('.'))) return `a component of the tag prefix '${prefix}' starts with '.'`;
  return undefined;
}
