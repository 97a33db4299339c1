// Comparing what people type: one folding of text (case, accents, Lao spellings,
// punctuation) and one edit distance, for guideline cards and command suggestions alike.

/**
 * Case-folded, Latin accents removed, Lao in compatibility form (ຳ, ໜ, ໝ typed either
 * way compare equal), punctuation and zero-width characters turned into single spaces.
 */
export function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ")
    .trim();
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (by code point). */
export function distance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  // Past every tolerance already; the length difference is a lower bound, cheap to return.
  if (Math.abs(x.length - y.length) > 2) return Math.abs(x.length - y.length);
  const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(x.length, y.length);
}
