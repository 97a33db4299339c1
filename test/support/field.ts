// A phone in the field: a real E2EE client (matrix-js-sdk, sync v2, as Element
// Classic) whose every byte to Synapse goes through its own shaped link
// (link.ts), so what it costs the phone can be counted. Used by the 2G tests
// and the bench's link phase (`npm run bench -- --links`).
import { loginClient, type TestClient } from "./clients.ts";
import { seededRandom } from "./faults.ts";
import { matrixKind, since, startLink, type Link, type LinkCounters, type LinkProfile } from "./link.ts";

export interface Phone {
  link: Link;
  client: TestClient;
  /** The bytes and time of the login and first sync, through the link. */
  firstSync: { ms: number; bytes: LinkCounters };
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Log `user` in through a new link of `profile` to `upstream` and wait for the first
 * sync. A login the link reset is tried again, as a person taps "Sign in" again.
 */
export async function phoneOnLink(upstream: string, profile: LinkProfile, user: string, password: string, seed = 1): Promise<Phone> {
  const link = await startLink(upstream, profile, { classify: matrixKind, random: seededRandom(seed).next });
  const t0 = performance.now();
  let client: TestClient | undefined;
  for (let attempt = 1; !client; attempt++) {
    try {
      client = await loginClient(link.url, user, password);
    } catch (err) {
      // Only the network may fail here: a refused login is a real failure.
      if (attempt >= 3 || /login of .* failed: \d/.test(String(err))) {
        await link.close();
        throw err;
      }
    }
  }
  const firstSync = { ms: performance.now() - t0, bytes: link.snapshot() };
  return {
    link,
    client,
    firstSync,
    async stop() {
      await client.stop();
      await link.close();
    },
  };
}

export interface Measured<T> {
  value: T;
  /** From the start of `fn` to its end. */
  ms: number;
  /** Everything the link carried from the start of `fn` to `settleMs` after its end. */
  bytes: LinkCounters;
}

/**
 * Run `fn` and count what the link carried meanwhile and for `settleMs` after
 * (what follows the awaited event, e.g. a second reply, lands in the window).
 */
export async function measured<T>(link: Link, settleMs: number, fn: () => Promise<T>): Promise<Measured<T>> {
  const before = link.snapshot();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  await sleep(settleMs);
  return { value, ms, bytes: since(before, link.snapshot()) };
}
