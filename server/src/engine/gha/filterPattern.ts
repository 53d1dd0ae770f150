/**
 * GitHub's filter patterns for `branches`, `tags` and `paths` (workflow syntax, "Filter pattern cheat sheet"). They are
 * not shell globs:
 * - `*` matches zero or more characters, but not `/`; `**` matches zero or more of any character, `/` included;
 * - `?` matches zero or one of the PRECEDING character, and `+` one or more of it (`*.jsx?` matches `page.js`);
 * - `[]` matches one character of the list or ranges (`a-z`, `A-Z`, `0-9`);
 * - `\` escapes the next character, so a branch name with a literal `+` or `*` can be matched;
 * - `!` at the start of a pattern negates the previous positive patterns; order matters: the last pattern that matches
 *   a name decides (a later positive pattern includes again what an earlier negative one excluded).
 */
export function compileFilterPattern(pattern: string): RegExp {
  let re = '';
  let prevIsAtom = false; // whether `?`/`+` have a preceding character (or class) to apply to
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?'; // `**/x` also matches `x` at the top
        } else re += '.*';
      } else re += '[^/]*';
      prevIsAtom = false;
    } else if ((c === '?' || c === '+') && prevIsAtom) {
      re += c;
      prevIsAtom = false;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
        prevIsAtom = true;
        continue;
      }
      const body = pattern.slice(i + 1, end).replace(/[\\\]^]/g, '\\$&');
      re += `[${body}]`;
      i = end;
      prevIsAtom = true;
    } else if (c === '\\' && i + 1 < pattern.length) {
      i++;
      re += escapeRe(pattern[i]);
      prevIsAtom = true;
    } else {
      re += escapeRe(c);
      prevIsAtom = true;
    }
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Whether a filter list (`branches:` / `tags:` / `paths:`) lets `name` through: positive and `!`-negated patterns are
 * read in order and the last one that matches decides; no match means not included.
 */
export function filterIncludes(patterns: readonly string[], name: string): boolean {
  let included = false;
  for (const p of patterns) {
    const negative = p.startsWith('!');
    const body = negative ? p.slice(1) : p;
    if (compileFilterPattern(body).test(name)) included = !negative;
  }
  return included;
}
