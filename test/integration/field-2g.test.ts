import { Direction, type MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { phoneOnLink, type Phone } from "../support/field.ts";
import { PROFILES } from "../support/link.ts";
import { newDeployment, provision, provinceWithBackup, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

const MIN = 60_000;
/** How long the phone is out of reach: long enough for its sync to fail and back off, short enough for CI. */
const OFFLINE_MS = 60_000;
const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
const caseIdIn = (e: MatrixEvent) => /TL-\d{4}/.exec(body(e))?.[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("on a 2G link", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  const clock = new ManualClock(Date.now());
  let nurse: Phone; // nurse-n1, on 2G
  let expert: Phone; // the on-call obstetrician, on 2G
  let offline: Phone; // nurse-n2, on 2G, out of reach in the second test
  let backup: TestClient; // obstetrician-2, on loopback: sees a page if the ladder climbs
  let doctor: TestClient; // doctor-n3, on loopback: talks while nurse-n2 is away
  let north: string;
  const botId = () => p.userId("mchlink-bot");

  beforeAll(async () => {
    hs = await startTestSynapse();
    const dep = newDeployment(hs);
    p = await provision(hs, provinceWithBackup(dep.dir, "en"), dep);
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), clock, tickMs: 100, utdGraceMs: 2000 });
    north = bot.runtime.roomIds.get("district:north")!;
    const onLink = (u: string, seed: number) => phoneOnLink(hs.baseUrl, PROFILES["2G"], p.userId(u), p.password(u), seed);
    const direct = (u: string) => loginClient(hs.baseUrl, u, p.password(u));
    [nurse, expert, offline, backup, doctor] = await Promise.all([onLink("nurse-n1", 1), onLink("obstetrician", 2), onLink("nurse-n2", 3), direct("obstetrician-2"), direct("doctor-n3")]);
  }, 240_000);
  afterAll(async () => {
    for (const c of [nurse, expert, offline, backup, doctor]) await c?.stop();
    await bot?.stop();
    await hs?.destroy();
  });

  it("a consult opens, its card and page arrive, and the expert's slow answer stops the ladder", async () => {
    // The first login and sync over 2G took seconds, not milliseconds: the link is really slow.
    expect(nurse.firstSync.ms).toBeGreaterThan(5_000);
    const request = await nurse.client.send(north, "#emergency heavy bleeding after delivery, placenta out");
    const card = await nurse.client.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === request && caseIdIn(e) !== undefined, 120_000, "the consult card");
    const caseId = caseIdIn(card)!;
    const page = await expert.client.waitFor(
      (e) => e.getSender() === botId() && body(e).includes(caseId) && (e.getContent()["m.mentions"]?.user_ids ?? []).includes(expert.client.userId),
      120_000,
      `the page for ${caseId}`,
    );
    expect(page.isEncrypted()).toBe(true);

    // Four of the five minutes pass; the expert answers, and the answer crawls up the 2G link
    // (a 4-second drop-out in the middle of it, connections kept).
    clock.advance(4 * MIN);
    const answer = expert.client.client.sendEvent(
      north,
      request,
      "m.room.message" as never,
      {
        msgtype: "m.text",
        body: "Massage the uterus now. I am calling you.",
        "m.relates_to": { rel_type: "m.thread", event_id: request, is_falling_back: true, "m.in_reply_to": { event_id: request } },
      } as never,
    );
    expert.link.dropOut(4_000, { reset: false });
    await answer;
    const responder = () => (bot!.store.db.prepare("SELECT first_responder FROM consults WHERE case_id = ?").get(caseId) as { first_responder: string | null }).first_responder;
    const deadline = Date.now() + 60_000;
    while (responder() === null && Date.now() < deadline) await sleep(200);
    expect(responder()).toBe(expert.client.userId);
    // Past the first step's time: the backup is not paged, since the answer was in.
    clock.advance(6 * MIN);
    await sleep(2_000);
    await bot!.runtime.idle();
    const pagedBackup = (e: MatrixEvent) => e.getSender() === botId() && body(e).includes(caseId) && (e.getContent()["m.mentions"]?.user_ids ?? []).includes(backup.userId);
    expect(backup.events.some(pagedBackup)).toBe(false);
    const steps = bot!.store.db.prepare("SELECT COUNT(*) AS n FROM escalation_steps WHERE case_id = ?").get(caseId) as { n: number };
    expect(steps.n).toBe(0);
  }, 240_000);

  it("a phone out of reach while messages and room-key rotations happen comes back and decrypts everything", async () => {
    const away = offline.client;
    // Out of reach: open connections die, new ones wait for the end of the drop-out.
    offline.link.dropOut(OFFLINE_MS);
    const t0 = performance.now();
    const sent: Array<{ id: string; text: string; from: string }> = [];
    const say = async (text: string) => sent.push({ id: await doctor.send(north, text), text, from: doctor.userId });
    for (let i = 1; i <= 4; i++) await say(`while away ${i}`);
    await doctor.client.getCrypto()!.forceDiscardSession(north); // the doctor's room key rotates
    for (let i = 5; i <= 8; i++) await say(`while away ${i}`);
    // The bot answers with one room key, rotates it, and answers with the next.
    const guide = await doctor.send(north, "!guide pph");
    sent.push({ id: guide, text: "!guide pph", from: doctor.userId });
    const card = await doctor.waitFor(isAnswerTo(guide, botId()), 60_000, "the guide card");
    sent.push({ id: card.getId()!, text: "(PPH)", from: botId() });
    await bot!.identity.client.getCrypto()!.forceDiscardSession(north);
    const whoami = await doctor.send(north, "!whoami");
    sent.push({ id: whoami, text: "!whoami", from: doctor.userId });
    const who = await doctor.waitFor(isAnswerTo(whoami, botId()), 60_000, "the whoami answer");
    sent.push({ id: who.getId()!, text: doctor.userId, from: botId() });
    await doctor.client.getCrypto()!.forceDiscardSession(north);
    for (let i = 9; i <= 12; i++) await say(`while away ${i}`);
    expect(performance.now() - t0).toBeLessThan(OFFLINE_MS); // all of it happened while the phone was away
    expect(away.events.some((e) => sent.some((s) => s.id === e.getId()))).toBe(false);

    // Back in reach: the phone catches up by itself, and reading back (as a person scrolls up) finds every event, decrypted.
    const room = away.client.getRoom(north);
    if (!room) throw new Error("the phone does not know the district room");
    const readable = async () => {
      const byId = new Map(
        room
          .getLiveTimeline()
          .getEvents()
          .map((e) => [e.getId(), e]),
      );
      const missing = sent.filter((s) => !byId.has(s.id));
      if (missing.length > 0 && room.getLiveTimeline().getPaginationToken(Direction.Backward) !== null) {
        // A reset or drop-out of the link fails the request; the person scrolls again (next round).
        await away.client.scrollback(room, 30).catch(() => undefined);
      }
      const results = await Promise.all(
        sent.map(async (s) => {
          const e = byId.get(s.id);
          if (!e) return false;
          await away.client.decryptEventIfNeeded(e);
          return !e.isDecryptionFailure() && e.getSender() === s.from && body(e).includes(s.text);
        }),
      );
      return results.every(Boolean);
    };
    const deadline = Date.now() + OFFLINE_MS + 120_000;
    while (!(await readable())) {
      if (Date.now() > deadline) {
        const byId = new Map(
          room
            .getLiveTimeline()
            .getEvents()
            .map((e) => [e.getId(), e]),
        );
        throw new Error(
          `after coming back, not readable: ${JSON.stringify(sent.filter((s) => byId.get(s.id)?.isDecryptionFailure() !== false).map((s) => [s.text, byId.has(s.id) ? "undecryptable" : "missing"]))}`,
        );
      }
      await sleep(1_000);
    }
    expect(performance.now() - t0).toBeGreaterThan(OFFLINE_MS - 1_000);
  }, 300_000);
});
