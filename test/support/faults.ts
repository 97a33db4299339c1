// Shared pieces of the fault tests: a seeded random source (a failing run can be replayed),
// a stream of real commands from several providers, and the exactly-once and decryption checks.
//
// Answers are counted in each room's history as the server has it (read back with /messages and
// decrypted by the provider's client), not in what the client's sync happened to show: a client's
// live timeline can miss events (matrix-js-sdk drops part of a limited sync that contains a message
// the client sent itself), and a duplicate hidden that way would go unnoticed.
import { Direction, type MatrixEvent } from "matrix-js-sdk";
import { isAnswerTo, type TestClient } from "./clients.ts";

/** mulberry32: small, seedable, good enough to place kills and pauses. */
export function seededRandom(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Provider {
  client: TestClient;
  roomId: string;
}

export interface SentCommand {
  eventId: string;
  body: string;
  provider: Provider;
}

/**
 * The commands of the stream, each with what its answer must contain whatever the sender's
 * language: proof that the answer is the command's own, not a could-not-decrypt notice.
 */
export const STREAM_COMMANDS: ReadonlyArray<{ body: string; answerHas: (userId: string) => string }> = [
  { body: "!rules", answerHas: () => "+856 84 000 900" }, // the small province's hospital phone, in its rules
  { body: "!guide pph", answerHas: () => "(PPH)" },
  { body: "!whoami", answerHas: (userId) => userId },
  { body: "!help", answerHas: () => "!guide" },
];

/** Wait until the bot has welcomed each provider: it knows their device, so they can read its replies. */
export async function waitForWelcomes(providers: Provider[], botUserId: string): Promise<void> {
  await Promise.all(
    providers.map(({ client, roomId }) =>
      client.waitFor(
        (e) => e.getSender() === botUserId && e.getRoomId() === roomId && ((e.getContent()["m.mentions"] as { user_ids?: string[] } | undefined)?.user_ids ?? []).includes(client.userId),
        60_000,
        "the bot's welcome",
      ),
    ),
  );
}

/** A room's events since `sinceTs` as the server has them, oldest first, decrypted by `client`. */
export async function roomHistory(client: TestClient, roomId: string, sinceTs: number): Promise<MatrixEvent[]> {
  const map = client.client.getEventMapper();
  const events: MatrixEvent[] = [];
  let from: string | null = null;
  for (;;) {
    const page = await client.client.createMessagesRequest(roomId, from, 100, Direction.Backward);
    const chunk = page.chunk.map(map);
    await Promise.all(chunk.map((e) => client.client.decryptEventIfNeeded(e)));
    events.push(...chunk);
    if (!page.end || chunk.length === 0 || chunk.at(-1)!.getTs() < sinceTs) break;
    from = page.end;
  }
  return events.filter((e) => e.getTs() >= sinceTs).reverse();
}

/** Each provider room's history since `sinceTs`, read by one of its providers. */
export async function histories(providers: Provider[], sinceTs: number): Promise<Map<string, MatrixEvent[]>> {
  const rooms = [...new Map(providers.map((p) => [p.roomId, p])).values()];
  return new Map(await Promise.all(rooms.map(async (p) => [p.roomId, await roomHistory(p.client, p.roomId, sinceTs)] as const)));
}

/**
 * Waits until every command has an answer, then until a sentinel per room is answered too (the
 * bot handles a room's events in order, so anything it would still repeat for earlier commands
 * comes before the sentinel's answer); returns the rooms' histories since `sinceTs`.
 */
export async function collectAnswers(sent: SentCommand[], providers: Provider[], botUserId: string, sinceTs: number, timeoutMs = 60_000): Promise<Map<string, MatrixEvent[]>> {
  const deadline = Date.now() + timeoutMs;
  const untilAnswered = async (commands: SentCommand[]) => {
    for (;;) {
      const rooms = await histories(providers, sinceTs);
      const missing = commands.filter((c) => !rooms.get(c.provider.roomId)!.some(isAnswerTo(c.eventId, botUserId)));
      if (missing.length === 0) return rooms;
      if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms to ${missing.map((c) => `${c.body} (${c.eventId})`).join(", ")}`);
      await sleep(1000);
    }
  };
  await untilAnswered(sent);
  const sentinels: SentCommand[] = [];
  for (const p of new Map(providers.map((x) => [x.roomId, x])).values()) sentinels.push({ eventId: await p.client.send(p.roomId, "!whoami"), body: "!whoami", provider: p });
  return await untilAnswered(sentinels);
}

/** The commands that did not get exactly one answer, or whose answer is not theirs. */
export function notAnsweredOnce(sent: SentCommand[], rooms: Map<string, MatrixEvent[]>, botUserId: string): string[] {
  return sent.flatMap((c) => {
    const answers = rooms.get(c.provider.roomId)!.filter(isAnswerTo(c.eventId, botUserId));
    const has = STREAM_COMMANDS.find((k) => k.body === c.body)!.answerHas(c.provider.client.userId);
    return answers.length === 1 && String(answers[0]!.getContent().body).includes(has) ? [] : [`${c.body} ${c.eventId}: ${answers.length} answer(s)`];
  });
}

/** Events a provider could not decrypt in the rooms' histories. */
export function undecryptable(rooms: Map<string, MatrixEvent[]>): string[] {
  return [...rooms.values()]
    .flat()
    .filter((e) => e.isDecryptionFailure())
    .map((e) => `${e.getId()} from ${e.getSender()}`);
}

/** Bot log lines (pino JSON) with this message. */
export function logLines(log: string, msg: string): Array<Record<string, unknown>> {
  return log
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);
}
