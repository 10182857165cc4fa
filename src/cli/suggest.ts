/**
 * "Did you mean …?" for a mistyped command or demo name: the closest known word by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours count one each), if close enough.
 */

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word closest to `word`, when it is within a third of the word's length (at least 1). */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: { word: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(w, k.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { word: k, distance };
  }
  return best?.word;
}

/** ` Did you mean "demo1"?` or the empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  const match = closest(word, known);
  return match ? ` Did you mean "${match}"?` : '';
}
