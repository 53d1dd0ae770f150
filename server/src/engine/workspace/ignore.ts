import type { Ignore } from 'ignore';

/** A .gitignore's patterns: they apply below `dir` (workspace-relative); `prefix` is prepended for files above the root. */
export interface Matcher {
  dir: string;
  ig: Ignore;
  prefix?: string;
}

export function isIgnoredBy(matchers: Matcher[], rel: string, isDir: boolean): boolean {
  // gitignore: once a parent folder is ignored, nothing below it can be re-included.
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const dirLike = i < parts.length || isDir;
    let ignored = false;
    for (const m of matchers) {
      if (m.dir && !(sub === m.dir || sub.startsWith(m.dir + '/'))) continue;
      const local = (m.prefix ?? '') + (m.dir ? sub.slice(m.dir.length + 1) : sub);
      if (!local) continue;
      const r = m.ig.test(dirLike ? local + '/' : local);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    if (ignored) return true;
  }
  return false;
}
