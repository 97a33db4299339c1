// How the bot retries what a later attempt can cure (the homeserver unreachable or
// overloaded, rate limiting): until it goes through, with the shared backoff, at once when
// sync works again, and never after the bot was told to stop.
import { setTimeout as sleep } from "node:timers/promises";
import { ConnectionError, HTTPError } from "matrix-js-sdk";
import type { Logger } from "pino";
import { BACKOFF, backoffDelay, isRetriableStatus, type Backoff } from "../util/backoff.ts";
import { errorText } from "../util/errors.ts";

/** Failures a later attempt can cure: the homeserver unreachable or overloaded, or rate limiting. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  const status = err instanceof HTTPError ? err.httpStatus : undefined;
  return status !== undefined && isRetriableStatus(status);
}

export class Retrier {
  private stopped = false;
  private readonly stopping = new AbortController();
  /** Resolved (and replaced) when sync works again after failing: waiting retries go at once. */
  private reconnected = Promise.withResolvers<void>();

  private readonly log: Logger;
  private readonly backoff: Backoff;

  constructor(log: Logger, backoff: Backoff = BACKOFF) {
    this.log = log;
    this.backoff = backoff;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Ends every wait; what was waiting throws. */
  stop(): void {
    this.stopped = true;
    this.stopping.abort();
  }

  reconnect(): void {
    this.reconnected.resolve();
    this.reconnected = Promise.withResolvers<void>();
  }

  /** Run a request until it goes through; other errors, and stopping, end it. */
  async run<T>(where: Record<string, string>, request: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await request();
      } catch (err) {
        if (this.stopped || !isTransient(err)) throw err;
        const delayMs = backoffDelay(retry, this.backoff, askedWait(err));
        this.log.warn({ ...where, attempt: retry + 1, retry_in_ms: delayMs, err: errorText(err) }, "homeserver unreachable; retrying");
        await Promise.race([sleep(delayMs, undefined, { signal: this.stopping.signal }), this.reconnected.promise]);
      }
    }
  }
}

/** How long the homeserver asked us to wait, if it did (a malformed answer is ignored). */
function askedWait(err: unknown): number | undefined {
  try {
    return (err instanceof HTTPError ? err.getRetryAfterMs() : undefined) ?? undefined;
  } catch {
    return undefined;
  }
}
