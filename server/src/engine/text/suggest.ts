/**
 * "Did you mean": the one policy every family uses to suggest a known name for an unknown one (a key of dvc.yaml, a
 * Hydra config group option, a W&B sweep key, an MLproject parameter, ...). The policy:
 *
 * - Names are compared without regard to case; a candidate spelled exactly like the word is never suggested, one that
 *   differs only in case is the best suggestion there is.
 * - The distance counts inserting, deleting or changing one letter, and swapping two neighbouring letters, as one edit
 *   (optimal string alignment): `cahce` is one edit from `cache`, `defualt` one from `default`.
 * - A name cut short or run on (`bayesian` for `bayes`, `metric` for `metrics`) counts as one edit when the shorter has
 *   at least 4 letters and is at least half as long as the longer.
 * - A suggestion is made when it is at most one edit per three letters of the word, and never more than 3: a word of
 *   3-5 letters allows 1 edit, 6-8 allow 2, longer ones 3. A word of one or two letters gets only a suggestion that
 *   differs in case: `lr` is not a typo of `bs`, nor `x` of `y`.
 * - Of the candidates within the limit, the nearest; on a tie, the first given.
 */

/** Edits between `a` and `b` (optimal string alignment: insert, delete, substitute, swap two neighbours), case-sensitive. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

/** How many edits a suggestion for `word` may be away (see the policy above). */
export function suggestionLimit(word: string): number {
  return Math.min(3, Math.floor(word.length / 3));
}

/** The distance of `candidate` from `word` under the policy: case-insensitive, a prefix extension counting as one edit. */
export function suggestionDistance(word: string, candidate: string): number {
  const w = word.toLowerCase();
  const c = candidate.toLowerCase();
  if (w === c) return 0;
  const [short, long] = w.length <= c.length ? [w, c] : [c, w];
  if (short.length >= 4 && short.length * 2 >= long.length && long.startsWith(short)) return 1;
  return editDistance(w, c);
}

/** The known name `word` is most likely a typo of, or undefined when none is close enough (see the policy above). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = suggestionLimit(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = suggestionDistance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}
