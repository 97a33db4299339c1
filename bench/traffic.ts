// Commands and answers between real E2EE clients (test/support/clients.ts):
// when each answer was decrypted, an echo client for the floor, sequential
// round trips, open-loop load at a fixed rate, and a closed-loop conversation.
import { EventType, MatrixEventEvent, RoomEvent, type MatrixEvent } from "matrix-js-sdk";
import type { TestClient } from "../test/support/clients.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answeredEventId(e: MatrixEvent): string | undefined {
  if (e.getType() !== "m.room.message") return undefined;
  const rel = e.getContent()["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined;
  return rel?.["m.in_reply_to"]?.event_id;
}

/** Calls `fn` once per timeline event of `client`, once it is readable (decrypted, or never encrypted). */
function onDecrypted(client: TestClient, fn: (e: MatrixEvent) => void): () => void {
  const seen = new WeakSet<MatrixEvent>();
  const once = (e: MatrixEvent) => {
    // A failure may still turn into a decryption when its key arrives; Decrypted fires again then.
    if (e.isBeingDecrypted() || e.shouldAttemptDecryption() || e.isDecryptionFailure() || seen.has(e)) return;
    seen.add(e);
    fn(e);
  };
  const onTimeline = (e: MatrixEvent, _room: unknown, toStart?: boolean) => {
    if (toStart) return;
    void client.client.decryptEventIfNeeded(e).then(() => once(e));
  };
  client.client.on(RoomEvent.Timeline, onTimeline);
  client.client.on(MatrixEventEvent.Decrypted, once);
  return () => {
    client.client.off(RoomEvent.Timeline, onTimeline);
    client.client.off(MatrixEventEvent.Decrypted, once);
  };
}

/** When `client` decrypted an answer from `from` to each of its messages. */
export class Answers {
  private readonly at = new Map<string, number>();
  private readonly bodies = new Map<string, string>();
  private readonly waiting = new Map<string, (ms: number) => void>();
  readonly stop: () => void;

  constructor(client: TestClient, from: string) {
    this.stop = onDecrypted(client, (e) => {
      if (e.getSender() !== from) return;
      const id = answeredEventId(e);
      if (!id || this.at.has(id)) return;
      const now = performance.now();
      this.at.set(id, now);
      const body = e.getContent().body;
      if (typeof body === "string") this.bodies.set(id, body);
      this.waiting.get(id)?.(now);
      this.waiting.delete(id);
    });
  }

  /** The text of the answer to `eventId`, once it was decrypted. */
  body(eventId: string): string | undefined {
    return this.bodies.get(eventId);
  }

  /** performance.now() when the answer to `eventId` was decrypted; rejects after `timeoutMs`. */
  wait(eventId: string, timeoutMs: number): Promise<number> {
    const known = this.at.get(eventId);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(eventId);
        reject(new Error(`no answer to ${eventId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(eventId, (ms) => {
        clearTimeout(timer);
        resolve(ms);
      });
    });
  }
}

/** The floor's other client: answers each message starting with `prefix` at once, with a short encrypted notice. */
export function startEcho(echo: TestClient, prefix: string): () => void {
  const answered = new Set<string>();
  return onDecrypted(echo, (e) => {
    const id = e.getId();
    const body = e.getContent().body;
    if (!id || e.getSender() === echo.userId || e.getType() !== "m.room.message" || typeof body !== "string" || !body.startsWith(prefix) || answered.has(id)) return;
    answered.add(id);
    void echo.client.sendEvent(e.getRoomId()!, EventType.RoomMessage, { msgtype: "m.notice", body: "echo", "m.relates_to": { "m.in_reply_to": { event_id: id } } } as never);
  });
}

export interface Sender {
  client: TestClient;
  roomId: string;
  answers: Answers;
}

/** Sequential round trips, send until the answer is decrypted; the first `warmup` are not kept. */
export async function roundTrips(s: Sender, body: (i: number) => string, warmup: number, runs: number, timeoutMs = 30_000): Promise<number[]> {
  const kept: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    const id = await s.client.send(s.roomId, body(i));
    const answered = await s.answers.wait(id, timeoutMs);
    if (i >= warmup) kept.push(answered - started);
  }
  return kept;
}

/**
 * Sequential round trips of two kinds, alternating (and alternating which goes
 * first), so that drift in the machine's load falls on both alike.
 */
export async function alternatingRoundTrips(a: RoundTripKind, b: RoundTripKind, warmup: number, runs: number): Promise<[number[], number[]]> {
  const kept: [number[], number[]] = [[], []];
  for (let i = 0; i < warmup + runs; i++) {
    const order = i % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    for (const k of order) {
      const { sender, body, after } = k === 0 ? a : b;
      const started = performance.now();
      const id = await sender.client.send(sender.roomId, body(i));
      const answered = await sender.answers.wait(id, 30_000);
      if (i >= warmup) kept[k].push(answered - started);
      await after?.(id);
    }
  }
  return kept;
}

export interface RoundTripKind {
  sender: Sender;
  body: (i: number) => string;
  /** Untimed work after each round trip (e.g. closing the consult it opened), given the message's event id. */
  after?: (eventId: string) => Promise<void>;
}

export interface LoadStep {
  rate: number;
  sent: number;
  answered: number;
  /** From each message's scheduled send time to its decrypted answer; unanswered ones are Infinity. */
  latenciesMs: number[];
}

/**
 * Open loop: `rate` messages a second for `durationMs`, round-robin over the
 * senders, each latency counted from when the message was due (so a sender
 * falling behind shows as latency, not as a slower offered rate).
 */
export async function loadStep(senders: Sender[], rate: number, durationMs: number, body: (i: number) => string, drainMs: number): Promise<LoadStep> {
  const count = Math.max(1, Math.round((rate * durationMs) / 1000));
  const start = performance.now();
  const deadline = start + durationMs + drainMs;
  const pending: Array<Promise<number>> = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const s = senders[i % senders.length]!;
    pending.push(
      (async () => {
        const id = await s.client.send(s.roomId, body(i));
        const answered = await s.answers.wait(id, Math.max(1, deadline - performance.now()));
        return answered - due;
      })().catch(() => Number.POSITIVE_INFINITY),
    );
  }
  const latenciesMs = await Promise.all(pending);
  return { rate, sent: count, answered: latenciesMs.filter(Number.isFinite).length, latenciesMs };
}

/**
 * Closed loop, like a room's conversation: each sender posts `chatPerCommand`
 * ordinary messages, then a command, and waits for its answer before going on.
 * A room's events are handled in order, so the answer also means the messages
 * before it were handled. Stops at `target` handled messages or after `maxMs`.
 */
export async function conversation(
  senders: Sender[],
  chatPerCommand: number,
  target: number,
  maxMs: number,
  command: (i: number) => string,
  onHandled: (handled: number) => void,
): Promise<{ handled: number; commands: number; unanswered: number; ms: number }> {
  const start = performance.now();
  let handled = 0;
  let commands = 0;
  let unanswered = 0;
  const lane = async (s: Sender) => {
    while (handled < target && performance.now() - start < maxMs) {
      try {
        for (let k = 0; k < chatPerCommand; k++) await s.client.send(s.roomId, `bench conversation ${handled}-${k}`);
        const id = await s.client.send(s.roomId, command(commands++));
        await s.answers.wait(id, 60_000);
        handled += chatPerCommand + 1;
        onHandled(handled);
      } catch {
        unanswered++;
      }
    }
  };
  await Promise.all(senders.map(lane));
  return { handled, commands, unanswered, ms: performance.now() - start };
}
