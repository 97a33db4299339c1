// Today's phones, end to end: real Synapse, real E2EE clients, the real bot, and a
// real ntfy as the push gateway.
// - Element X shows no threads by default: a thread message appears as a plain
//   reply, and people answer with plain replies (m.in_reply_to, no fallback, as
//   the Matrix spec has replies since v1.13). Element Classic still quotes what it
//   answers (the old reply fallback). Both kinds of plain reply, to the request or
//   to the bot's card (or further down a chain of plain replies), must answer a consult;
//   the bot's own replies carry no fallback.
// - Push: the expert's phone registers an HTTP pusher the way Element X does with
//   UnifiedPush (event_id_only, ntfy's Matrix gateway, the topic URL as pushkey).
//   The page reaches the topic within seconds, marked high priority, with nothing
//   in it but opaque ids.
import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { startTestNtfy, type NtfyMessage, type TestNtfy } from "../support/ntfy.ts";
import { provision, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";
import { stopInStages } from "../support/teardown.ts";

const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
const caseIdIn = (e: MatrixEvent) => /TL-\d{4}/.exec(body(e))?.[0];

describe("today's phones: plain replies and push", () => {
  let hs: TestSynapse;
  let ntfy: TestNtfy;
  let p: TestProvince;
  let bot: RunningBot;
  let nurse: TestClient;
  let ob: TestClient;
  let coord: TestClient;
  let north: string;
  const botId = () => p.userId("mchlink-bot");

  const cardFor = (client: TestClient, requestId: string) =>
    client.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === requestId && caseIdIn(e) !== undefined, 30_000, "the consult card");
  const acknowledgement = (caseId: string) => bot.store.db.prepare("SELECT user_id, via FROM acknowledgements WHERE case_id = ?").get(caseId) as { user_id: string; via: string } | undefined;
  const until = async <T>(what: string, read: () => T | undefined, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** What a client shows a plain reply as when threads are off (Element X's default). */
  const plainReplyTo = (eventId: string) => ({ "m.relates_to": { "m.in_reply_to": { event_id: eventId } } });

  beforeAll(async () => {
    [hs, ntfy] = await Promise.all([startTestSynapse(), startTestNtfy()]);
    p = await provision(hs);
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), tickMs: 200, utdGraceMs: 2000 });
    north = bot.runtime.roomIds.get("district:north")!;
    const login = (u: string) => loginClient(hs.baseUrl, u, p.password(u));
    [nurse, ob, coord] = await Promise.all([login("nurse-n1"), login("obstetrician"), login("coordinator")]);
  }, 180_000);
  afterAll(async () => {
    await stopInStages(
      [nurse, ob, coord].map((c) => () => c?.stop()),
      [() => bot?.stop()],
      [() => hs?.destroy(), () => ntfy?.stop()],
    );
  });

  it("an expert's plain reply to the bot's card, without any fallback (Element X), answers the consult", async () => {
    const request = await nurse.send(north, "#urgent 36 weeks, headache and swollen face");
    const card = await cardFor(nurse, request);
    const caseId = caseIdIn(card)!;
    // The bot sends no reply fallback: no quote in body, no <mx-reply> in formatted_body.
    expect(body(card)).not.toMatch(/^> /);
    expect(String(card.getContent().formatted_body)).not.toContain("mx-reply");
    // Without thread display the card stands alone: it names the case and says how to answer by a reply.
    expect(body(card)).toContain(caseId);
    expect(body(card)).toContain("ຕອບກັບຂໍ້ຄວາມນີ້ ຫຼື ຄຳຂໍ"); // "reply to this message or to the request", in the nurse's Lao
    await ob.send(north, "Check BP now, I will call you", plainReplyTo(card.getId()!));
    expect(await until("the acknowledgement", () => acknowledgement(caseId))).toEqual({ user_id: ob.userId, via: "reply" });
  });

  it("a plain reply to the request that quotes it (Element Classic's fallback) answers the consult", async () => {
    const text = "#emergency bleeding after delivery";
    const request = await nurse.send(north, text);
    const caseId = caseIdIn(await cardFor(nurse, request))!;
    await ob.send(north, "On my way to the phone", {
      ...plainReplyTo(request),
      body: `> <${nurse.userId}> ${text}\n\nOn my way to the phone`,
      format: "org.matrix.custom.html",
      formatted_body: `<mx-reply><blockquote><a href="https://matrix.to/#/${north}/${request}">In reply to</a> <a href="https://matrix.to/#/${nurse.userId}">${nurse.userId}</a><br>${text}</blockquote></mx-reply>On my way to the phone`,
    });
    expect(await until("the acknowledgement", () => acknowledgement(caseId))).toEqual({ user_id: ob.userId, via: "reply" });
  });

  it("a chain of plain replies stays one consult: the expert answering the nurse's follow-up answers the consult", async () => {
    const request = await nurse.send(north, "#urgent 30 weeks, fever");
    const caseId = caseIdIn(await cardFor(nurse, request))!;
    const followUp = await nurse.send(north, "temperature 39.2 now", plainReplyTo(request));
    await bot.runtime.idle();
    expect(acknowledgement(caseId)).toBeUndefined();
    await ob.send(north, "Give paracetamol, I will call", plainReplyTo(followUp));
    expect(await until("the acknowledgement", () => acknowledgement(caseId))).toEqual({ user_id: ob.userId, via: "reply" });
  });

  it("a command typed under an Element Classic quote is still a command, and its answer is a plain reply without fallback", async () => {
    const request = await nurse.send(north, "#routine iron tablets question, 20 weeks");
    const card = await cardFor(nurse, request);
    const caseId = caseIdIn(card)!;
    // A coordinator's reply does not acknowledge by itself; their !ack does.
    const command = await coord.send(north, `> <${botId()}> ${body(card).split("\n")[0]}\n\n!ack ${caseId}`, plainReplyTo(card.getId()!));
    expect(await until("the acknowledgement", () => acknowledgement(caseId))).toEqual({ user_id: coord.userId, via: "command" });
    const done = await coord.waitFor((e) => e.getType() === "m.reaction" && e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === command, 30_000, "the ✅ on the command");
    expect(done.getContent()["m.relates_to"]?.key).toBe("✅");
    // An answer to a plain reply is itself a plain reply, with no quote.
    const unknown = await coord.send(north, "> <@x:mchlink.test> hello\n\n!ack TL-9999", plainReplyTo(card.getId()!));
    const answer = await coord.waitFor(isAnswerTo(unknown, botId()), 30_000, "the answer to an unknown case");
    expect(answer.getContent()["m.relates_to"]).toEqual({ "m.in_reply_to": { event_id: unknown } });
    expect(body(answer)).toContain("TL-9999");
    expect(body(answer)).not.toMatch(/^> /);
    expect(String(answer.getContent().formatted_body)).not.toContain("mx-reply");
  });

  it("the page reaches the on-call expert's ntfy topic within seconds, high priority, ids only", async () => {
    // As Element X registers a UnifiedPush pusher (matrix-rust-sdk's set_pusher): http kind,
    // event_id_only, the distributor's endpoint as pushkey, ntfy's Matrix gateway as data.url.
    const topic = ntfy.newUnifiedPushTopic();
    const pushkey = `${ntfy.baseUrl}/${topic}?up=1`;
    const set = await fetch(`${hs.baseUrl}/_matrix/client/v3/pushers/set`, {
      method: "POST",
      headers: { authorization: `Bearer ${ob.client.getAccessToken()}`, "content-type": "application/json" },
      body: JSON.stringify({
        kind: "http",
        app_id: "im.vector.app.android",
        pushkey,
        app_display_name: "Element X",
        device_display_name: "MyDevice",
        profile_tag: "mobile_",
        lang: "en",
        append: false,
        data: { url: ntfy.matrixGatewayUrl, format: "event_id_only", default_payload: { cs: "per-user-secret" } },
      }),
    });
    expect(set.status, await set.clone().text()).toBe(200);

    const request = await nurse.send(north, "#emergency fitting, 38 weeks");
    const page = await ob.waitFor(
      (e) =>
        e.getSender() === botId() && e.getContent().msgtype === "m.text" && (e.getContent()["m.mentions"]?.user_ids ?? []).includes(ob.userId) && e.getContent()["m.relates_to"]?.event_id === request,
      30_000,
      "the page",
    );
    const seenAt = Date.now();
    const notificationOf = (m: NtfyMessage) => (JSON.parse(m.message ?? "{}") as { notification?: Record<string, unknown> }).notification;
    const pushed = await ntfy.waitFor(topic, (m) => notificationOf(m)?.event_id === page.getId(), 10_000);
    const latencyMs = Date.now() - page.getTs();
    process.stdout.write(`push: page sent → on the ntfy topic in about ${latencyMs} ms (the expert's client saw it after ${seenAt - page.getTs()} ms)\n`);
    expect(latencyMs).toBeLessThan(10_000);

    const n = notificationOf(pushed)!;
    expect(n.prio).toBe("high");
    expect(n.room_id).toBe(north);
    // Nothing but opaque ids and the unread count: no text, sender, names or type.
    expect(Object.keys(n).sort()).toEqual(["counts", "devices", "event_id", "prio", "room_id"]);
    const device = (n.devices as Record<string, unknown>[])[0]!;
    expect(device).toMatchObject({ app_id: "im.vector.app.android", pushkey, data: { format: "event_id_only", default_payload: { cs: "per-user-secret" } } });
    // event_id_only sends no tweaks either (Synapse leaves the sound and highlight tweaks out).
    expect(Object.keys(device).sort()).toEqual(["app_id", "data", "pushkey", "pushkey_ts"]);
    expect(pushed.message).not.toMatch(/fitting|weeks|emergency|TL-\d|Obstetrician/i);
    // ntfy's gateway forwards the Matrix JSON as the UnifiedPush message and sets no ntfy
    // priority of its own: the high priority travels inside it, for the app on the phone.
    expect(pushed.priority ?? 3).toBe(3);
  });
});
