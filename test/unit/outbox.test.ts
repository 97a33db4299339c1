// The outbox's decisions, through its narrow client interface (the adapter to matrix-js-sdk
// and the homeserver's real answers are exercised by the bot's integration tests):
// each message on its own, failures as values, retries under the same transaction id,
// echo recovery, direct rooms, and notices about partner servers that do not answer.
import { ConnectionError, MatrixError } from "matrix-js-sdk";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { eventFor, Outbox, txnIdFor } from "../../src/bot/outbox.ts";
import { Retrier } from "../../src/bot/retry.ts";
import type { Outgoing } from "../../src/messaging/types.ts";
import { paragraph, reply } from "../../src/i18n/index.ts";
import type { OutgoingEvent, SendingClient } from "../../src/matrix/sending.ts";

const log = pino({ level: "silent" });
const msg = (text: string, extra: Partial<Extract<Outgoing, { kind: "message" }>> = {}): Outgoing => ({ kind: "message", reply: reply(paragraph(text)), ...extra });

/** A client whose answers each test scripts: `fail(room, attempt)` returns the error for that attempt, if any. */
function fakeClient(opts: { fail?: (roomId: string, attempt: number) => Error | undefined; rooms?: Record<string, string>; echoed?: Record<string, string>; down?: string[] } = {}) {
  const sends: { roomId: string; txnId: string; event: OutgoingEvent }[] = [];
  const abandoned: string[] = [];
  const created: string[] = [];
  const attempts = new Map<string, number>();
  const rooms: Record<string, string> = { "!a:x": "join", "!b:x": "join", ...opts.rooms };
  let ready = 0;
  const client: SendingClient = {
    userId: "@bot:x",
    membership: (roomId) => rooms[roomId],
    async send(roomId, txnId, event) {
      const n = (attempts.get(txnId) ?? 0) + 1;
      attempts.set(txnId, n);
      sends.push({ roomId, txnId, event });
      const err = opts.fail?.(roomId, n);
      if (err) throw err;
      return `$${sends.length}`;
    },
    echoed: (_roomId, txnId) => opts.echoed?.[txnId],
    abandon: (_roomId, txnId) => void abandoned.push(txnId),
    async createDirectRoom(userId) {
      created.push(userId);
      rooms[`!dm-${userId}`] = "join";
      return `!dm-${userId}`;
    },
    directRoomReady: () => ++ready > 2, // arrives by the third look
    unreachableServers: async (servers) => new Set(servers.filter((s) => opts.down?.includes(s))),
    joinedMembers: () => [],
  };
  return { client, sends, abandoned, created };
}

function outbox(client: SendingClient, retry = new Retrier(log, { firstMs: 1, maxMs: 5 })) {
  const direct = new Map<string, string>();
  const sent: string[] = [];
  const box = new Outbox({
    client,
    directRooms: { directRoom: (u) => direct.get(u), setDirectRoom: (u, r) => void direct.set(u, r) },
    retry,
    log,
    ownServer: "x",
    nameOf: (u) => u,
    languageOf: () => "en",
    onSent: (s) => void sent.push(s.eventId),
  });
  return { box, direct, sent, retry };
}

describe("outbox", () => {
  it("sends each message on its own: one a room refuses for good is returned, the others still go", async () => {
    const forbidden = new MatrixError({ errcode: "M_FORBIDDEN", error: "You are not in this room" }, 403);
    const f = fakeClient({ fail: (room) => (room === "!a:x" ? forbidden : undefined) });
    const { box, sent } = outbox(f.client);
    const failed = await box.send("$origin", undefined, [msg("one", { roomId: "!a:x" }), msg("two", { roomId: "!b:x" }), msg("three", { roomId: "!a:x" })]);
    expect(failed).toEqual([
      { index: 0, roomId: "!a:x", status: 403, errcode: "M_FORBIDDEN", reason: expect.stringContaining("not in this room") },
      { index: 2, roomId: "!a:x", status: 403, errcode: "M_FORBIDDEN", reason: expect.any(String) },
    ]);
    expect(f.sends.filter((s) => s.roomId === "!b:x")).toHaveLength(1);
    expect(sent).toEqual(["$2"]);
    // Not retried (a retry would meet the same refusal), and not left pending to hold back the room.
    expect(f.sends.filter((s) => s.roomId === "!a:x")).toHaveLength(2);
    expect(f.abandoned).toEqual([txnIdFor("$origin", "0", "!a:x"), txnIdFor("$origin", "2", "!a:x")]);
  });

  it("retries what a later attempt can cure under the same transaction id, until it goes through", async () => {
    const f = fakeClient({ fail: (_room, n) => (n === 1 ? new ConnectionError("down") : n === 2 ? new MatrixError({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 2 }, 429) : undefined) });
    const { box } = outbox(f.client);
    expect(await box.send("$e", "!a:x", [msg("hello")])).toEqual([]);
    expect(f.sends.map((s) => s.txnId)).toEqual(Array(3).fill(txnIdFor("$e", "0", "!a:x")));
  });

  it("counts a message as sent when a killed process's identical send came back as its echo", async () => {
    const txnId = txnIdFor("$e", "0", "!a:x");
    const f = fakeClient({ fail: () => new MatrixError({ errcode: "M_UNKNOWN" }, 400), echoed: { [txnId]: "$from-before" } });
    const { box, sent } = outbox(f.client);
    expect(await box.send("$e", "!a:x", [msg("hello")])).toEqual([]);
    expect(sent).toEqual(["$from-before"]);
    expect(f.abandoned).toEqual([]);
  });

  it("sends nothing to a room the bot has left or does not know (it could not tell that the room is encrypted)", async () => {
    const f = fakeClient({ rooms: { "!gone:x": "leave" } });
    const { box } = outbox(f.client);
    const failed = await box.send("$e", undefined, [msg("a", { roomId: "!gone:x" }), msg("b", { roomId: "!nowhere:x" }), msg("c", { roomId: "!a:x" })]);
    expect(failed.map((x) => [x.index, x.reason])).toEqual([
      [0, "the bot's membership in the room is leave"],
      [1, "the bot does not know the room"],
    ]);
    expect(f.sends.map((s) => s.roomId)).toEqual(["!a:x"]);
  });

  it("creates a direct room once, waits until sync brought it, and remembers it", async () => {
    const f = fakeClient();
    const { box, direct } = outbox(f.client);
    await box.send("$e1", "!a:x", [msg("private", { directTo: "@nurse:x" })]);
    await box.send("$e2", "!a:x", [msg("again", { directTo: "@nurse:x" })]);
    expect(f.created).toEqual(["@nurse:x"]);
    expect(direct.get("@nurse:x")).toBe("!dm-@nurse:x");
    expect(f.sends.map((s) => s.roomId)).toEqual(["!dm-@nurse:x", "!dm-@nurse:x"]);
  });

  it("tells the room when a page named people on a partner server that does not answer, numbered after the batch", async () => {
    const f = fakeClient({ down: ["partner.example"] });
    const { box } = outbox(f.client);
    await box.send("$e", "!a:x", [msg("page", { mentions: { user_ids: ["@dr:partner.example"] }, msgtype: "m.text" })]);
    expect(f.sends).toHaveLength(2);
    expect(f.sends[1]!.txnId).toBe(txnIdFor("$e", "1", "!a:x"));
    expect(f.sends[1]!.event.content["m.relates_to"]).toEqual({ "m.in_reply_to": { event_id: "$1" } });
  });

  it("throws instead of returning a failure when the bot is stopping: the work is done again after the restart", async () => {
    const f = fakeClient({ fail: () => new ConnectionError("down") });
    const retry = new Retrier(log, { firstMs: 50, maxMs: 50 });
    const { box } = outbox(f.client, retry);
    const sending = box.send("$e", "!a:x", [msg("hello")]);
    setTimeout(() => retry.stop(), 10);
    await expect(sending).rejects.toThrow();
  });

  it("renders a thread reply with its fallback and explicit mentions", () => {
    const e = eventFor(msg("hi", { threadRootId: "$root", mentions: { user_ids: ["@a:x"] } }));
    expect(e.threadId).toBe("$root");
    expect(e.content).toMatchObject({
      msgtype: "m.notice",
      "m.mentions": { user_ids: ["@a:x"] },
      "m.relates_to": { rel_type: "m.thread", event_id: "$root", is_falling_back: true, "m.in_reply_to": { event_id: "$root" } },
    });
    expect(eventFor({ kind: "reaction", eventId: "$x", key: "✅" })).toEqual({ type: "m.reaction", content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$x", key: "✅" } } });
  });
});
