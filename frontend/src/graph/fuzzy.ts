/**
 * Fuzzy matching for the palette and quick search: every query word must match some field as a
 * subsequence; substrings, word starts and matches in the title score higher than scattered letters.
 */

/** Score of `term` (lower case) against `text`, or -1 when the letters do not appear in order. */
export function fuzzyScore(term: string, text: string): number {
  if (!term) return 0;
  const t = text.toLowerCase();
  const at = t.indexOf(term);
  if (at >= 0) {
    const wordStart = at === 0 || /[\s._\-/(]/.test(t[at - 1] ?? "");
    return 100 + (at === 0 ? 40 : 0) + (wordStart ? 25 : 0) + (term.length === t.length ? 30 : 0) - at * 0.1;
  }
  let score = 0;
  let from = 0;
  let prev = -2;
  for (const ch of term) {
    const i = t.indexOf(ch, from);
    if (i < 0) return -1;
    const wordStart = i === 0 || /[\s._\-/(]/.test(t[i - 1] ?? "");
    score += i === prev + 1 ? 6 : wordStart ? 5 : 1;
    prev = i;
    from = i + 1;
  }
  return score;
}

export interface FuzzyField<T> {
  get: (item: T) => string | string[];
  weight: number;
  /** Only whole substrings count (for long text such as descriptions, where scattered letters match anything). */
  substringOnly?: boolean;
}

/** Items matching every word of `query`, best first; the whole list (in order) for an empty query. */
export function fuzzySearch<T>(items: readonly T[], query: string, fields: FuzzyField<T>[]): T[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return [...items];
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    let total = 0;
    for (const term of terms) {
      let best = -1;
      for (const f of fields) {
        const values = f.get(item);
        for (const v of Array.isArray(values) ? values : [values]) {
          if (f.substringOnly && !v.toLowerCase().includes(term)) continue;
          const s = fuzzyScore(term, v);
          if (s >= 0) best = Math.max(best, s * f.weight);
        }
      }
      if (best < 0) return;
      total += best;
    }
    scored.push({ item, score: total, index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((s) => s.item);
}
