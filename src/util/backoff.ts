// One backoff for every request mchlink retries, the CLI's HTTP client and the bot's sends
// alike: doubling from a first wait up to a cap, or as long as the server asked when it did.

export interface Backoff {
  /** The wait before the first retry; doubles each time. */
  readonly firstMs: number;
  /** The longest single wait, even if the server asks for more. */
  readonly maxMs: number;
}

export const BACKOFF: Backoff = { firstMs: 500, maxMs: 30_000 };

/** The wait before retry number `retry` (0 for the first), or what the server asked (Retry-After, retry_after_ms). */
export function backoffDelay(retry: number, backoff: Backoff = BACKOFF, askedMs?: number | null): number {
  const wait = askedMs !== undefined && askedMs !== null && Number.isFinite(askedMs) && askedMs > 0 ? askedMs : backoff.firstMs * 2 ** retry;
  return Math.min(wait, backoff.maxMs);
}

/** Answers a later attempt can cure: rate limiting and server errors. */
export function isRetriableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
