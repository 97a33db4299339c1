// Pure arithmetic over measurements: percentiles, medians, ratios, a linear fit.

/** The p-th percentile (0-100) by nearest rank, over any order of samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export interface Latencies {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function latencies(ms: readonly number[]): Latencies {
  return { n: ms.length, p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: percentile(ms, 100) };
}

/** Latencies to whole milliseconds, for the results file. */
export const rounded = (l: Latencies): Latencies => ({ n: l.n, p50: round(l.p50, 0), p90: round(l.p90, 0), p99: round(l.p99, 0), max: round(l.max, 0) });

/** How many times the floor a figure is; rounded for reading, not for arithmetic. */
export function ratio(figure: number, floor: number): number {
  return Math.round((figure / floor) * 100) / 100;
}

/** Least-squares line y = a + b x. */
export function linearFit(points: ReadonlyArray<readonly [number, number]>): { a: number; b: number; residualSd: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const b = sxx === 0 ? 0 : sxy / sxx;
  const a = my - b * mx;
  const residualSd = Math.sqrt(points.reduce((s, [x, y]) => s + (y - (a + b * x)) ** 2, 0) / Math.max(1, n - 2));
  return { a, b, residualSd };
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
