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
  // Past every tolerance already; the length difference is a lower bound, cheap to return.
  if (Math.abs(a.length - b.length) > 4) return Math.abs(a.length - b.length);
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > 2) return Math.abs(x.length - y.length);
  // Three rows (this one, the last, the one before for swaps) instead of the whole table:
  // the guide matcher calls this for every keyword and every typed word.
  let before = new Array<number>(y.length + 1).fill(0);
  let last = Array.from({ length: y.length + 1 }, (_, j) => j);
  let row = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min((last[j] as number) + 1, (row[j - 1] as number) + 1, (last[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row[j] = d;
    }
    [before, last, row] = [last, row, before];
  }
  return last[y.length] as number;
}
