/**
 * A small fuzzy match for the command palette: the query's characters must appear in the
 * text in order. Matches at the start of words and runs of adjacent characters score higher,
 * so "gj" finds "Go to Jobs" before "Go to Subscriptions".
 */

const WORD_START_POINTS = 3;
const ADJACENT_POINTS = 2;

/** The match's score (higher is better), or null when the text does not contain the query's characters in order. */
export function fuzzyScore(query: string, text: string): number | null {
  const needle = query.trim().toLowerCase().replace(/\s+/g, '');
  if (needle === '') return 0;
  const haystack = text.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of needle) {
    const at = haystack.indexOf(char, from);
    if (at < 0) return null;
    score += 1;
    if (at === 0 || /[\s\-_/(]/.test(haystack[at - 1]!)) score += WORD_START_POINTS;
    if (at === previous + 1) score += ADJACENT_POINTS;
    previous = at;
    from = at + 1;
  }
  // A shorter text with the same match is the closer one.
  return score - haystack.length / 1_000;
}

/** The items the query matches, best first (ties keep their order). */
export function fuzzyFilter<T>(query: string, items: readonly T[], textOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, textOf(item)) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.item);
}
