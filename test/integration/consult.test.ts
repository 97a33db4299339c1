// Consultations end to end: real Synapse, real E2EE clients, the real bot with
// a compressed clock. Opening by tag (both languages) and by command, the page
// that rings the on-call expert, acknowledgement three ways, the whole ladder,
// a restart in the middle of it, escalate/refer/close/reopen, permissions, and
// the report read back from the bot's database.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { newDeployment, provision, provinceWithBackup, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

const MIN = 60_000;
const cli = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

const body = (e: MatrixEvent) => String(e.getContent().body ?? "");

/** The id of the first room the bot invites this client to. */
async function waitForInvite(c: TestClient): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const room = c.client.getRooms().find((r) => r.getMyMembership() === "invite");
    if (room) return room.roomId;
    if (Date.now() > deadline) throw new Error(`${c.userId} was invited nowhere`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const caseIdIn = (e: MatrixEvent) => /TL-\d{4}/.exec(body(e))?.[0];

describe("consultations", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  const clock = new ManualClock(Date.now());
  let nurse: TestClient; // nurse-n1, Lao
  let doctor: TestClient; // doctor-n3, English
  let ob: TestClient; // on call for obstetrics
  let ob2: TestClient; // the backup
  let coord: TestClient;
  let north: string;
  let experts: string;
  const botId = () => p.userId("mchlink-bot");

  const start = async () => {
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), clock, tickMs: 100, utdGraceMs: 2000 });
  };
  /** The bot's card for a request: in the request's thread, carrying the case id. */
  const cardFor = async (client: TestClient, requestId: string) =>
    client.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === requestId && caseIdIn(e) !== undefined, 30_000, "the consult card");
  const pageFor = (client: TestClient, caseId: string, target: string) =>
    client.waitFor(
      (e) => e.getSender() === botId() && e.getContent().msgtype === "m.text" && body(e).includes(caseId) && (e.getContent()["m.mentions"]?.user_ids ?? []).includes(target),
      30_000,
      `a page for ${caseId} naming ${target}`,
    );

  beforeAll(async () => {
    hs = await startTestSynapse();
    const dep = newDeployment(hs);
    p = await provision(
      hs,
      provinceWithBackup(dep.dir, "lo", (doc) => {
        doc.tags = { emergency: ["#emergency", "#ສຸກເສີນ"], urgent: ["#urgent", "#ດ່ວນ"], routine: ["#routine", "#ທົ່ວໄປ"] };
      }),
      dep,
    );
    await start();
    north = bot!.runtime.roomIds.get("district:north")!;
    experts = bot!.runtime.roomIds.get("experts")!;
    const login = (u: string) => loginClient(hs.baseUrl, u, p.password(u));
    [nurse, doctor, ob, ob2, coord] = await Promise.all([login("nurse-n1"), login("doctor-n3"), login("obstetrician"), login("obstetrician-2"), login("coordinator")]);
  }, 180_000);
  afterAll(async () => {
    for (const c of [nurse, doctor, ob, ob2, coord]) await c?.stop();
    await bot?.stop();
    await hs?.destroy();
  });

  it("a Lao tag opens an emergency consult, pages the on-call expert so the phone rings, and asks only for what is missing", async () => {
    const request = await nurse.send(north, "#ສຸກເສີນ ແມ່ເລືອດອອກຫຼາຍ ຫຼັງເກີດລູກ, BP 80/50, ຜົວ 020 5555 0123");
    const card = await cardFor(nurse, request);
    // The card is the page: an m.text that names the on-call expert, so their phone rings.
    expect(card.getContent().msgtype).toBe("m.text");
    expect(card.getContent()["m.relates_to"]).toMatchObject({ rel_type: "m.thread", event_id: request, "m.in_reply_to": { event_id: request } });
    const caseId = caseIdIn(card)!;
    expect(body(card)).toContain("ສຸກເສີນ"); // in the nurse's language
    const page = await pageFor(ob, caseId, p.userId("obstetrician"));
    expect(page.isEncrypted()).toBe(true);
    // The template lists what the request lacks, not what it said (blood pressure was given).
    const template = await nurse.waitFor((e) => e.getSender() === botId() && body(e).includes("ອາຍຸ") && e.getContent()["m.relates_to"]?.event_id === request, 30_000, "the case template");
    expect(body(template)).not.toContain("ຄວາມດັນເລືອດ");
    // The phone number in the request brings a private reminder, in the bot's direct room with the nurse.
    const invite = await waitForInvite(nurse);
    await nurse.client.joinRoom(invite);
    const reminder = await nurse
      .waitFor((e) => e.getRoomId() === invite && e.getSender() === botId() && body(e).includes(caseId), 30_000, "the private reminder")
      .catch((err) => {
        process.stderr.write(
          "DEBUGX " + JSON.stringify(nurse.events.filter((e) => e.getRoomId() === invite).map((e) => [e.getType(), e.getSender(), e.isDecryptionFailure(), body(e).slice(0, 60)])) + "\n",
        );
        throw err;
      });
    expect(reminder.isEncrypted()).toBe(true);
    expect(body(reminder)).not.toContain("5555");
    // The expert answers in the thread: acknowledged, no further escalation.
    await ob.client.sendEvent(
      north,
      request,
      "m.room.message" as never,
      {
        msgtype: "m.text",
        body: "Start uterine massage now. I am calling you.",
        "m.relates_to": { rel_type: "m.thread", event_id: request, is_falling_back: true, "m.in_reply_to": { event_id: request } },
      } as never,
    );
    const responder = () => (bot!.store.db.prepare("SELECT first_responder FROM consults WHERE case_id = ?").get(caseId) as { first_responder: string | null }).first_responder;
    const deadline = Date.now() + 30_000;
    while (responder() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(responder()).toBe(p.userId("obstetrician"));
    clock.advance(6 * MIN);
    await new Promise((r) => setTimeout(r, 1500));
    const pagedOb2 = (e: MatrixEvent) => e.getSender() === botId() && body(e).includes(caseId) && (e.getContent()["m.mentions"]?.user_ids ?? []).includes(p.userId("obstetrician-2"));
    expect(ob2.events.some(pagedOb2)).toBe(false);
  });

  it("an English command opens a consult, and a ✅ reaction on the bot's card acknowledges it", async () => {
    const request = await doctor.send(north, "!consult urgent obstetrics woman 34 weeks, headache, BP 160/110, no fits");
    const card = await cardFor(doctor, request);
    const caseId = caseIdIn(card)!;
    expect(body(card)).toMatch(/urgent/i);
    await pageFor(ob, caseId, p.userId("obstetrician"));
    await ob.client.sendEvent(north, "m.reaction" as never, { "m.relates_to": { rel_type: "m.annotation", event_id: card.getId()!, key: "✅" } } as never);
    await doctor.waitFor(
      (e) => e.getSender() === botId() && body(e).includes(caseId) && e.getId() !== card.getId() && e.getContent()["m.relates_to"]?.event_id === request,
      30_000,
      "the acknowledgement",
    );
    const consult = bot!.store.db.prepare("SELECT first_responder FROM consults WHERE case_id = ?").get(caseId) as { first_responder: string };
    expect(consult.first_responder).toBe(p.userId("obstetrician"));
  });

  it("climbs the whole ladder when nobody answers, and resumes it after a restart", async () => {
    const request = await nurse.send(north, "#emergency heavy bleeding after delivery, placenta out");
    const caseId = caseIdIn(await cardFor(nurse, request))!;
    clock.advance(5 * MIN + 1000);
    await pageFor(ob2, caseId, p.userId("obstetrician-2")); // step 1: the backup
    await ob.waitFor((e) => e.getRoomId() === experts && e.getSender() === botId() && body(e).includes(caseId), 30_000, "the case in the experts' room");

    await bot!.stop(); // down across the next two steps
    bot = undefined;
    clock.advance(10 * MIN);
    await start();
    const atRoom = await ob.waitFor((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(caseId), 30_000, "@room in the experts' room");
    expect(atRoom.getContent().msgtype).toBe("m.text");
    await pageFor(coord, caseId, p.userId("coordinator"));
    const phone = await nurse.waitFor((e) => e.getSender() === botId() && body(e).includes(p.province.rules.hospital_phone) && body(e).includes(caseId), 30_000, "advice to phone and refer");
    expect(phone.getContent()["m.relates_to"]?.event_id).toBe(request);
    // Each step exactly once, although the bot was down when they fell due.
    await new Promise((r) => setTimeout(r, 1500));
    expect(ob.events.filter((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(caseId))).toHaveLength(1);
    expect(nurse.events.filter((e) => e.getSender() === botId() && body(e).includes(p.province.rules.hospital_phone) && body(e).includes(caseId))).toHaveLength(1);
    const steps = bot!.store.db.prepare("SELECT COUNT(*) AS n FROM escalation_steps WHERE case_id = ?").get(caseId) as { n: number };
    expect(steps.n).toBe(p.province.escalation.emergency.length);
  });

  it("escalate, refer, close and reopen, with a clear refusal for whoever may not", async () => {
    const request = await nurse.send(north, "!consult routine obstetrics para 2, 39 weeks, labour 14 hours");
    const caseId = caseIdIn(await cardFor(nurse, request))!;
    const row = () => bot!.store.db.prepare("SELECT priority, status, outcome, referred_to FROM consults WHERE case_id = ?").get(caseId) as Record<string, string>;
    const until = async (what: string, ok: (r: Record<string, string>) => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!ok(row())) {
        if (Date.now() > deadline) throw new Error(`${caseId} never became ${what}: ${JSON.stringify(row())}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await nurse.send(north, `!escalate ${caseId} head not descending`);
    await until("urgent", (r) => r.priority === "urgent");

    // A provider may not refer: the refusal answers the command, and nothing changes.
    const refused = await nurse.send(north, `!refer ${caseId} north-ph`);
    expect(body(await nurse.waitFor(isAnswerTo(refused, botId()), 30_000, "the refusal"))).toMatch(/ບໍ່ມີສິດ/);
    expect(row().referred_to).toBeNull();

    await ob.send(north, `!refer ${caseId} north-ph`);
    await until("referred", (r) => r.referred_to === "north-ph");
    await nurse.send(north, `!close ${caseId} referred`);
    await until("closed", (r) => r.status === "closed" && r.outcome === "referred");
    await coord.send(north, `!reopen ${caseId}`);
    await until("open again", (r) => r.status === "open");
    await ob.send(north, `!close ${caseId} arrived_at_referral_facility`);
    await until("closed on arrival", (r) => r.status === "closed" && r.outcome === "arrived_at_referral_facility");
  });

  it("mchlink report reads the consults back with their response times", async () => {
    await bot!.runtime.idle();
    const res = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", cli, "--state", p.deployment.dir, "report", p.configPath, "--format", "json"], { encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { all: { consults: number; answered: number } };
    expect(report.all.consults).toBe(4);
    // Answered: the thread reply and the ✅; the ladder's case and the referred one never had an acknowledgement.
    expect(report.all.answered).toBe(2);
  });
});
