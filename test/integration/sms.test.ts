// SMS paging end to end: a real Synapse, real E2EE clients, the real bot with a compressed
// clock, and a real Kannel (bearerbox + smsbox from Debian) in front of Kannel's own fake
// SMS centre (kannel-extras' fakesmsc), which plays the phone network: it shows what the
// gateway sends out and sends in what the experts' phones answer.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { freePort } from "../../src/homeserver/process.ts";
import { ensureSmsSecrets } from "../../src/sms/secrets.ts";
import { countSegments } from "../../src/sms/segments.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { loginClient, type TestClient } from "../support/clients.ts";
import { startTestKannel, type MtMessage, type TestKannel } from "../support/kannel.ts";
import { newDeployment, provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";
import { stopInStages } from "../support/teardown.ts";

const MIN = 60_000;
const cli = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
const OB_PHONE = "+856 20 5555 0101";
const OB2_PHONE = "+856 20 5555 0102";
const GATEWAY_NUMBER = "1515";
/** What the nurse writes: a name, an age and clinical words, none of which may travel by SMS. */
const REQUEST = "#emergency Noy Sisavang, 19 years, heavy bleeding after delivery, placenta retained, BP 80/50, pulse 120";
const PRIVATE_WORDS = ["Noy", "Sisavang", "19", "years", "bleeding", "delivery", "placenta", "retained", "80/50", "pulse", "120"];

function smsProvince(dir: string, gateway: string, listen: string): string {
  const doc = parse(readFileSync(SMALL_PROVINCE, "utf8")) as Record<string, any>;
  const ob = doc.people.find((p: { id: string }) => p.id === "obstetrician");
  ob.phone = OB_PHONE;
  doc.people.push({ id: "obstetrician-2", name: "Test Obstetrician Two", role: "expert", specialty: "obstetrics", facility: "north-ph", language: "lo", phone: OB2_PHONE });
  doc.people.find((p: { id: string }) => p.id === "paediatrician").phone = "+856 20 5555 0103";
  doc.oncall.obstetrics.backup = "obstetrician-2";
  doc.sms = { gateway, listen, sender: GATEWAY_NUMBER };
  doc.escalation = {
    emergency: [
      { after: "5m", action: "page_backup", sms: ["on_call", "backup"] },
      { after: "5m", action: "post_experts_room" },
      { after: "10m", action: "page_all_experts" },
      { after: "15m", action: "advise_phone_and_referral" },
    ],
    urgent: [{ after: "20m", action: "page_backup" }],
    routine: [{ after: "4h", action: "page_backup" }],
  };
  const path = join(dir, "sms-province.yaml");
  writeFileSync(path, stringify(doc));
  return path;
}

const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
const caseIdIn = (e: MatrixEvent) => /TL-\d{4}/.exec(body(e))?.[0];
const digits = (phone: string) => phone.replace(/\D/g, "");

describe("SMS paging through Kannel", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let kannel: TestKannel;
  let bot: RunningBot | undefined;
  const clock = new ManualClock(Date.now());
  let nurse: TestClient; // Lao
  let ob: TestClient; // on call, English
  let coord: TestClient;
  let north: string;
  let experts: string;
  let firstCase = "";
  const botId = () => p.userId("mchlink-bot");
  const db = () => bot!.store.db;
  const consultRow = (caseId: string) => db().prepare("SELECT first_responder, first_response_at FROM consults WHERE case_id = ?").get(caseId) as { first_responder: string | null };
  const answers = () => db().prepare("SELECT outcome, case_id FROM sms_answers ORDER BY id").all() as Array<{ outcome: string; case_id: string | null }>;
  const until = async (what: string, ok: () => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const smsTo = (phone: string, caseId: string) => (m: MtMessage) => digits(m.to) === digits(phone) && m.text.includes(caseId);
  const cardFor = (requestId: string) =>
    nurse.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === requestId && caseIdIn(e) !== undefined, 30_000, "the consult card");

  beforeAll(async () => {
    hs = await startTestSynapse();
    const dep = newDeployment(hs);
    const secrets = ensureSmsSecrets(dep);
    const botPort = await freePort();
    kannel = await startTestKannel({ secrets, callbackBase: `http://127.0.0.1:${botPort}/sms/${secrets.callback_token}` });
    p = await provision(hs, smsProvince(dep.dir, kannel.sendsmsUrl, `127.0.0.1:${botPort}`), dep);
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), clock, tickMs: 100, utdGraceMs: 2000 });
    expect(bot.sms, "SMS paging did not start").toBeDefined();
    north = bot.runtime.roomIds.get("district:north")!;
    experts = bot.runtime.roomIds.get("experts")!;
    const login = (u: string) => loginClient(hs.baseUrl, u, p.password(u));
    [nurse, ob, coord] = await Promise.all([login("nurse-n1"), login("obstetrician"), login("coordinator")]);
  }, 240_000);
  afterAll(async () => {
    await stopInStages(
      [nurse, ob, coord].map((c) => () => c?.stop()),
      [() => bot?.stop()],
      [() => kannel?.stop(), () => hs?.destroy()],
    );
  });

  it("pages the on-call expert by SMS at the configured step, without clinical text; the Lao page is UCS-2 and its cost is counted", async () => {
    const request = await nurse.send(north, REQUEST);
    const caseId = caseIdIn(await cardFor(request))!;
    firstCase = caseId;
    clock.advance(4 * MIN);
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      kannel.received.filter((m) => m.text.includes(caseId)),
      "an SMS before its step",
    ).toHaveLength(0);

    clock.advance(MIN + 1000);
    const en = await kannel.waitForSms(smsTo(OB_PHONE, caseId), 30_000, "the page to the on-call obstetrician");
    const lo = await kannel.waitForSms(smsTo(OB2_PHONE, caseId), 30_000, "the page to the backup, in Lao");
    expect(en.from).toBe(GATEWAY_NUMBER);
    expect(en.coding).toBe("text");
    expect(en.text).toMatch(new RegExp(`^${caseId} emergency, North: .*Open Element or call \\+85684000900\\. Reply OK \\d+ \\d{4}$`));
    expect(countSegments(en.text)).toMatchObject({ encoding: "gsm7", segments: 1 });
    expect(lo.coding).toBe("ucs-2");
    expect(en.parts).toBe(1);
    expect(lo.text).toContain("ສຸກເສີນ");
    expect(lo.text).toContain("ເໜືອ");
    const loCost = countSegments(lo.text);
    expect(loCost.encoding).toBe("ucs2");
    // A Lao page is longer than the 70 UTF-16 units of one UCS-2 segment: it costs two.
    expect(loCost.segments).toBe(2);
    expect(lo.parts, "the Lao page as it went over the air").toBe(2);
    const recorded = db().prepare("SELECT language, encoding, segments FROM sms_pages WHERE case_id = ? ORDER BY language").all(caseId);
    expect(recorded).toEqual([
      { language: "en", encoding: "gsm7", segments: 1 },
      { language: "lo", encoding: "ucs2", segments: 2 },
    ]);
    // The database keeps neither the numbers nor the codes the pages carried (review P1).
    const stored = JSON.stringify(db().prepare("SELECT * FROM sms_pages WHERE case_id = ?").all(caseId));
    for (const sms of [en, lo]) {
      expect(stored).not.toContain(digits(sms.to).slice(-8));
      expect(stored).not.toContain(`"${/(\d{4})$/.exec(sms.text)![1]}"`);
    }
    for (const sms of [en, lo]) {
      // Whole words: a short number such as 19 may well appear inside the random code.
      const words = new Set(sms.text.toLowerCase().split(/[\s,.:]+/));
      for (const word of PRIVATE_WORDS) expect(words.has(word.toLowerCase()) || (word.length > 3 && sms.text.includes(word)), `the SMS carries "${word}"`).toBe(false);
      for (const person of p.province.people) expect(sms.text).not.toContain(person.name);
    }
    // Kannel's delivery reports come back and are recorded.
    await until(
      "the delivery reports",
      () => (db().prepare("SELECT COUNT(*) AS n FROM sms_pages WHERE case_id = ? AND delivered_at IS NOT NULL AND accepted_at IS NOT NULL").get(caseId) as { n: number }).n === 2,
    );
  });

  it("ignores an answer from an unknown number or with a wrong code; `OK <n> <code>` from the expert's number acknowledges in the thread", async () => {
    const caseId = firstCase;
    const page = kannel.received.find(smsTo(OB_PHONE, caseId))!;
    const [, number, code] = /OK (\d+) (\d{4})$/.exec(page.text)!;
    const wrong = String((Number(code) + 1) % 10_000).padStart(4, "0");

    kannel.sendFromPhone("+8562099990000", GATEWAY_NUMBER, `OK ${number} ${code}`); // forged: right code, unknown number
    await until("the unknown number recorded", () => answers().some((a) => a.outcome === "unknown_number"));
    kannel.sendFromPhone(digits(OB_PHONE), GATEWAY_NUMBER, `OK ${number} ${wrong}`); // right number, wrong code
    await until("the wrong code recorded", () => answers().some((a) => a.outcome === "wrong_code"));
    // The backup's code does not work from the on-call expert's phone either.
    const backupCode = /OK \d+ (\d{4})$/.exec(kannel.received.find(smsTo(OB2_PHONE, caseId))!.text)![1]!;
    if (backupCode !== code) {
      kannel.sendFromPhone(digits(OB_PHONE), GATEWAY_NUMBER, `OK ${number} ${backupCode}`);
      await until("the backup's code refused", () => answers().filter((a) => a.outcome === "wrong_code").length === 2);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(consultRow(caseId).first_responder).toBeNull();

    kannel.sendFromPhone(digits(OB_PHONE), GATEWAY_NUMBER, `ok ${number} ${code}`);
    await until("the acknowledgement", () => consultRow(caseId).first_responder !== null);
    expect(consultRow(caseId).first_responder).toBe(p.userId("obstetrician"));
    expect(db().prepare("SELECT via FROM acknowledgements WHERE case_id = ?").get(caseId)).toEqual({ via: "sms" });
    // Seen by the nurse's real E2EE client, in the consult's thread, in her language.
    const request = db().prepare("SELECT request_event_id AS id FROM consults WHERE case_id = ?").get(caseId) as { id: string };
    const note = await nurse.waitFor(
      (e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === request.id && body(e).includes("SMS") && body(e).includes(caseId),
      30_000,
      "the SMS acknowledgement in the thread",
    );
    expect(note.isEncrypted()).toBe(true);
    expect(body(note)).toContain("Test Obstetrician");
    // The same answer delivered twice acknowledges nothing new; the code is spent.
    kannel.sendFromPhone(digits(OB_PHONE), GATEWAY_NUMBER, `OK ${number} ${code}`);
    await until("the repeat recorded", () => answers().some((a) => a.outcome === "repeated"));
    // Acknowledged: the ladder stops, no @room for this case.
    clock.advance(6 * MIN);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ob.events.some((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(caseId))).toBe(false);
  });

  it("with Kannel down, the ladder goes on on time and the experts' room is told", async () => {
    await kannel.stopGateway();
    const request = await nurse.send(north, "#emergency twins, second not delivered");
    const caseId = caseIdIn(await cardFor(request))!;
    clock.advance(5 * MIN + 1000);
    const told = await ob.waitFor((e) => e.getRoomId() === experts && e.getSender() === botId() && body(e).includes(caseId) && body(e).includes("SMS"), 30_000, "the failure in the experts' room");
    expect(told.isEncrypted()).toBe(true);
    expect(db().prepare("SELECT status, failure FROM sms_pages WHERE case_id = ? ORDER BY id").all(caseId)).toEqual([
      { status: "failed", failure: "unreachable" },
      { status: "failed", failure: "unreachable" },
    ]);
    clock.advance(5 * MIN);
    const atRoom = await ob.waitFor((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(caseId), 30_000, "@room at ten minutes");
    expect(atRoom.getContent().msgtype).toBe("m.text");
  });

  it("!stats and mchlink report show the pages sent by SMS, delivered and acknowledged by SMS", async () => {
    const ask = await coord.send(experts, "!stats 7");
    const stats = await coord.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.["m.in_reply_to"]?.event_id === ask, 30_000, "the !stats answer");
    expect(body(stats)).toMatch(/SMS pages: 2 sent, 2 delivered, 1 acknowledged by SMS, 2 failed/);
    await bot!.runtime.idle();
    const run = (format: string) =>
      spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", cli, "--state", p.deployment.dir, "report", p.configPath, "--format", format, "--lang", "en"], { encoding: "utf8" });
    const json = run("json");
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { sms: { sent: number; delivered: number; acknowledged: number; failed: number; pages: Array<Record<string, unknown>> } };
    expect(report.sms).toMatchObject({ sent: 2, delivered: 2, acknowledged: 1, failed: 2 });
    expect(report.sms.pages.every((page) => !("code" in page) && !("phone" in page))).toBe(true);
    const md = run("md");
    expect(md.stdout).toContain("## Pages by SMS");
    expect(md.stdout).toContain(`| ${firstCase} | ${p.userId("obstetrician")} |`);
  });
});
