// SMS paging's pure parts: what a page costs (GSM-7 and UCS-2 segments), what it says and
// never says, how answers are read and checked, the province file's SMS checks, the
// rendered Kannel configuration and the database migration. No server here; the real
// Kannel runs in test/integration/sms.test.ts.
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Deployment } from "../../src/homeserver/deployment.ts";
import { renderComposeSms } from "../../src/sms/compose.ts";
import { loadProvince, parseProvince } from "../../src/config/load.ts";
import { consultStore } from "../../src/consult/lifecycle.ts";
import { priorityName, districtName } from "../../src/consult/messages.ts";
import { answerBySms, GUESSES_PER_NUMBER, planSmsPages, smsText } from "../../src/consult/sms.ts";
import { smsStoreOf } from "../../src/consult/sms-store.ts";
import { smsSummary } from "../../src/consult/sms-report.ts";
import { reportCommand } from "../../src/consult/report-command.ts";
import { renderKannelConfig } from "../../src/sms/kannel-config.ts";
import { caseNumberOf, pageText } from "../../src/sms/page-text.ts";
import { internationalNumber, sameNumber } from "../../src/sms/phone.ts";
import { parseAnswer } from "../../src/sms/reply.ts";
import { countSegments } from "../../src/sms/segments.ts";
import { MIGRATIONS, openDatabase } from "../../src/store/db.ts";
import { bodyOf, MINUTE, SMALL, uid, world, type World } from "./consult-support.ts";
import { codeOf, OB, pagedConsultFor, SMS_TEST_KEY, smsProvinceFor } from "./sms-support.ts";

const KEY = SMS_TEST_KEY;

const smsProvince = () => smsProvinceFor();
const pagedConsult = (w: World, body?: string) => pagedConsultFor(w, { send: true, ...(body !== undefined ? { body } : {}) });
const pageOf = (w: World, caseId: string, person: string) => smsStoreOf(w.store.db).pagesOfCaseTo(caseId, uid(person))[0]!;

describe("what an SMS costs", () => {
  it("counts GSM-7 septets: 160 in one segment, 153 per segment beyond; extension characters count twice", () => {
    expect(countSegments("a".repeat(160))).toMatchObject({ encoding: "gsm7", segments: 1 });
    expect(countSegments("a".repeat(161))).toMatchObject({ encoding: "gsm7", segments: 2, perSegment: 153 });
    expect(countSegments("€".repeat(80))).toMatchObject({ encoding: "gsm7", units: 160, segments: 1 });
    expect(countSegments("€".repeat(81))).toMatchObject({ encoding: "gsm7", units: 162, segments: 2 });
  });

  it("counts UCS-2 units: 70 in one segment, 67 per segment beyond; one Lao letter forces UCS-2", () => {
    expect(countSegments("ກ".repeat(70))).toMatchObject({ encoding: "ucs2", segments: 1 });
    expect(countSegments("ກ".repeat(71))).toMatchObject({ encoding: "ucs2", segments: 2, perSegment: 67 });
    expect(countSegments(`${"a".repeat(69)}ກ`)).toMatchObject({ encoding: "ucs2", segments: 1 });
    expect(countSegments(`${"a".repeat(70)}ກ`)).toMatchObject({ encoding: "ucs2", segments: 2 });
  });

  it("an English page fits one GSM-7 segment and a Lao page costs two UCS-2 segments, for every Bokeo district and priority", () => {
    const loaded = loadProvince("config/bokeo.yaml");
    if (!loaded.ok) throw new Error("bokeo.yaml does not load");
    const province = loaded.province;
    const costs = new Set<string>();
    for (const district of province.districts) {
      for (const priority of ["emergency", "urgent", "routine"] as const) {
        for (const lang of ["en", "lo"] as const) {
          // The longest case id and code a year of consults can have.
          const page = pageText(lang, {
            caseId: "BK-9999",
            caseNumber: "9999",
            priority,
            priorityName: priorityName(lang, priority),
            districtName: districtName(province, lang, district.id),
            phone: province.rules.hospital_phone,
            code: "0000",
          });
          costs.add(`${lang}:${page.encoding}:${page.segments}`);
        }
      }
    }
    expect([...costs].sort()).toEqual(["en:gsm7:1", "lo:ucs2:2"]);
  });
});

describe("the page's words", () => {
  it("carry the case, priority, district, the phone to call and how to answer; nothing the health worker wrote", () => {
    const w = world(smsProvince());
    const request = "#emergency Noy Sisavang age 19, G2P1, eclampsia, fitting, BP 170/110, in Ban Houayxay";
    const caseId = pagedConsult(w, request);
    const page = pageOf(w, caseId, "obstetrician");
    const text = smsText(w.province, consultStore(w).get(caseId)!, "en", codeOf(w, page)).text;
    expect(text).toBe(`${caseId} emergency, North: consult waiting. Open Element or call +85684000900. Reply OK ${caseNumberOf(caseId)} ${codeOf(w, page)}`);
    // Whole words: a short number such as 19 may well appear inside the random code.
    const words = new Set(text.toLowerCase().split(/[\s,.:]+/));
    for (const word of request
      .toLowerCase()
      .split(/[\s,]+/)
      .filter((x) => x !== "#emergency"))
      expect(words, word).not.toContain(word);
    for (const word of ["noy", "sisavang", "eclampsia", "fitting", "170/110", "houayxay"]) expect(text.toLowerCase()).not.toContain(word);
    for (const person of w.province.people) expect(text).not.toContain(person.name);
  });

  it("are in the expert's language and say how many segments they cost", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    expect(pageOf(w, caseId, "obstetrician")).toMatchObject({ language: "en", encoding: "gsm7", segments: 1 });
    expect(pageOf(w, caseId, "obstetrician-2")).toMatchObject({ language: "lo", encoding: "ucs2", segments: 2 });
  });

  it("are planned once per step and person, and not at all for an answered consult", () => {
    const w = world(smsProvince());
    pagedConsult(w);
    expect(planSmsPages(w)).toEqual([]);
    expect(smsStoreOf(w.store.db).pagesBetween(0, Number.MAX_SAFE_INTEGER)).toHaveLength(2);
  });
});

describe("reading an answer", () => {
  it("accepts OK, the case number or id, and the code, as phones type them", () => {
    for (const text of ["OK 42 5817", "ok 42 5817", " Ok  42  5817. ", "OK BK-0042 5817", "OK bk42 5817", "OK, 0042, 5817", "OK ໔໒ ໕໘໑໗", "OK ๔๒ ๕๘๑๗"])
      expect(parseAnswer(text), text).toEqual({ caseNumber: "42", code: "5817" });
    for (const text of ["OK 42", "OK 5817", "42 5817", "OK 42 58170", "yes 42 5817", "OK 42 5817 she is bleeding"]) expect(parseAnswer(text), text).toBeUndefined();
  });

  it("matches the operator's forms of a number, and never a short code", () => {
    expect(internationalNumber("+856 20-5555 0101")).toBe("+8562055550101");
    expect(internationalNumber("020 5555 0101")).toBeUndefined();
    for (const sender of ["+8562055550101", "8562055550101", "008562055550101", "02055550101"]) expect(sameNumber("+8562055550101", sender), sender).toBe(true);
    for (const sender of ["+8562055550102", "1515", "55550101", "mchlink"]) expect(sameNumber("+8562055550101", sender), sender).toBe(false);
  });
});

describe("answering by SMS", () => {
  it("acknowledges in the consult's thread from the paged number with that page's code, once", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const page = pageOf(w, caseId, "obstetrician");
    const result = answerBySms(w, KEY, { from: "8562055550101", text: `OK ${caseNumberOf(caseId)} ${codeOf(w, page)}` });
    expect(result.outcome).toBe("acknowledged");
    expect(consultStore(w).get(caseId)).toMatchObject({ firstResponder: uid("obstetrician") });
    expect(consultStore(w).acknowledgements(caseId)).toMatchObject([{ via: "sms", eventId: `sms:${page.id}` }]);
    const consult = consultStore(w).get(caseId)!;
    expect(result.outgoing.every((o) => o.kind === "message" && o.threadRootId === consult.requestEventId)).toBe(true);
    expect(result.outgoing.map(bodyOf).join("\n")).toContain("SMS");
    // Delivered twice by the operator: the same messages again (same transaction ids), nothing new.
    const again = answerBySms(w, KEY, { from: "+8562055550101", text: `OK ${caseNumberOf(caseId)} ${codeOf(w, page)}` });
    expect(again.outcome).toBe("repeated");
    expect(again.outgoing.map(bodyOf)).toEqual(result.outgoing.map(bodyOf));
    expect(again.origin).toBe(result.origin);
  });

  it("ignores a forged sender, a wrong code, another expert's code and a case that was not paged", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const n = caseNumberOf(caseId);
    const mine = codeOf(w, pageOf(w, caseId, "obstetrician"));
    const theirs = codeOf(w, pageOf(w, caseId, "obstetrician-2"));
    const wrong = String((Number(mine) + 1) % 10_000).padStart(4, "0");
    expect(answerBySms(w, KEY, { from: "+8562099990000", text: `OK ${n} ${mine}` }).outcome).toBe("unknown_number");
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${wrong === theirs ? "9999" : wrong}` }).outcome).toBe("wrong_code");
    if (theirs !== mine) expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${theirs}` }).outcome).toBe("wrong_code");
    expect(answerBySms(w, KEY, { from: OB, text: `OK 77 ${mine}` }).outcome).toBe("no_page");
    expect(answerBySms(w, KEY, { from: OB, text: "call me" }).outcome).toBe("not_an_answer");
    expect(consultStore(w).get(caseId)!.firstResponder).toBeUndefined();
    expect(
      smsStoreOf(w.store.db)
        .answers()
        .every((a) => a.outcome !== "acknowledged"),
    ).toBe(true);
  });

  it("stops listening to a number after too many wrong codes, even when it then guesses right, until the hour has passed", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const n = caseNumberOf(caseId);
    const code = codeOf(w, pageOf(w, caseId, "obstetrician"));
    const wrong = code === "0000" ? "0001" : "0000";
    for (let i = 0; i < GUESSES_PER_NUMBER; i++) expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${wrong}` }).outcome).toBe("wrong_code");
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${code}` }).outcome).toBe("rate_limited");
    expect(consultStore(w).get(caseId)!.firstResponder).toBeUndefined();
    w.clock.advance(61 * MINUTE);
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${code}` }).outcome).toBe("acknowledged");
  });
});

describe("answering by SMS, abuse", () => {
  it("answers from unknown numbers naming a case, however many, do not lock its experts out", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const n = caseNumberOf(caseId);
    for (let i = 0; i < 20; i++) expect(answerBySms(w, KEY, { from: `+85620999900${String(i).padStart(2, "0")}`, text: `OK ${n} ${String(i).padStart(4, "0")}` }).outcome).toBe("unknown_number");
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${codeOf(w, pageOf(w, caseId, "obstetrician"))}` }).outcome).toBe("acknowledged");
  });

  it("a forger's refused answers do not extend a number's block (review S3)", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const n = caseNumberOf(caseId);
    const code = codeOf(w, pageOf(w, caseId, "obstetrician"));
    const wrong = code === "0000" ? "0001" : "0000";
    for (let i = 0; i < GUESSES_PER_NUMBER; i++) expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${wrong}` }).outcome).toBe("wrong_code");
    // The forger keeps sending every five minutes; each is refused and none counts.
    for (let i = 0; i < 12; i++) {
      w.clock.advance(5 * MINUTE);
      expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${wrong}` }).outcome).toBe("rate_limited");
    }
    w.clock.advance(MINUTE + 1);
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${n} ${code}` }).outcome).toBe("acknowledged");
  });

  it("a new page brings a new code and a fresh count of guesses (review S3)", () => {
    const w = world(smsProvince());
    const first = pagedConsult(w);
    const wrong = codeOf(w, pageOf(w, first, "obstetrician")) === "0000" ? "0001" : "0000";
    for (let i = 0; i < GUESSES_PER_NUMBER; i++) expect(answerBySms(w, KEY, { from: OB, text: `OK ${caseNumberOf(first)} ${wrong}` }).outcome).toBe("wrong_code");
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${caseNumberOf(first)} ${codeOf(w, pageOf(w, first, "obstetrician"))}` }).outcome).toBe("rate_limited");
    // Twenty minutes later, well within the hour, a new consult pages the same expert.
    w.clock.advance(15 * MINUTE);
    const second = pagedConsult(w, "#emergency fitting after delivery");
    expect(second).not.toBe(first);
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${caseNumberOf(second)} ${codeOf(w, pageOf(w, second, "obstetrician"))}` }).outcome).toBe("acknowledged");
  });

  it("a closed consult is not acknowledged, and the code is not spent", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    consultStore(w).setStatus({ eventId: "$close", caseId, status: "closed", outcome: "managed_locally", by: uid("nurse-n1"), at: w.clock.now() });
    const page = pageOf(w, caseId, "obstetrician");
    expect(answerBySms(w, KEY, { from: OB, text: `OK ${caseNumberOf(caseId)} ${codeOf(w, page)}` })).toMatchObject({ outcome: "closed", outgoing: [] });
    expect(smsStoreOf(w.store.db).page(page.id)!.ackedAt).toBeUndefined();
    expect(consultStore(w).acknowledgements(caseId)).toEqual([]);
  });
});

describe("SMS figures", () => {
  it("count sent, delivered, acknowledged and failed pages, with median times", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const store = smsStoreOf(w.store.db);
    const [a, b] = store.pagesBetween(0, Number.MAX_SAFE_INTEGER);
    store.recordDelivery(a!.id, 8, w.clock.now() + 1000);
    store.recordDelivery(a!.id, 1, w.clock.now() + 4000);
    store.recordDelivery(b!.id, 16, w.clock.now() + 2000);
    store.useCode(a!.id, w.clock.now() + 60_000);
    expect(caseId).toBeDefined();
    expect(smsSummary(store.pagesBetween(0, Number.MAX_SAFE_INTEGER))).toEqual({ pages: 2, sent: 2, delivered: 1, acknowledged: 1, failed: 1, medianDeliveryMs: 4000, medianAckMs: 60_000 });
  });
});

describe("the report's SMS section", () => {
  it("is in every format, with each page's times, never a page's code or number", () => {
    const w = world(smsProvince());
    const caseId = pagedConsult(w);
    const store = smsStoreOf(w.store.db);
    const pages = store.pagesBetween(0, Number.MAX_SAFE_INTEGER);
    store.recordDelivery(pages[0]!.id, 1, w.clock.now() + 3000);
    const all = store.pagesBetween(0, Number.MAX_SAFE_INTEGER);
    const run = (format: string) => {
      const r = reportCommand(consultStore(w).openedBetween(0, Number.MAX_SAFE_INTEGER), w.province, { format, lang: "en", now: w.clock.now(), smsPages: all });
      if (!r.ok) throw new Error(r.error);
      expect(r.output, format).not.toContain("8562055550101");
      return r.output;
    };
    expect(run("md")).toMatch(new RegExp(`## Pages by SMS[\\s\\S]*\\| ${caseId} \\| @obstetrician:mchlink.test \\| 2026-03-02 09:05 \\| 2026-03-02 09:05 \\| – \\|`));
    expect(run("html")).toMatch(/<h2>Pages by SMS<\/h2>[\s\S]*<td>@obstetrician-2:mchlink.test<\/td>[\s\S]*<\/section>\n<\/body><\/html>/);
    expect(run("csv")).toContain('"sms","","","","delivered",1\r\n');
    const json = JSON.parse(run("json")).sms as { pages: Record<string, unknown>[] };
    expect(json).toMatchObject({ sent: 2, delivered: 1, pages: [{ caseId }, { caseId }] });
    expect(json.pages.some((page) => "code" in page || "phone" in page)).toBe(false);
  });
});

describe("the province file's SMS settings", () => {
  const base = () => {
    const doc = parse(readFileSync(SMALL, "utf8")) as Record<string, any>;
    doc.escalation = { emergency: [{ after: "5m", action: "page_backup", sms: ["on_call"] }], urgent: [], routine: [] };
    return doc;
  };
  const errors = (doc: Record<string, any>) => {
    const result = parseProvince(stringify(doc), "sms.yaml");
    return result.ok ? [] : result.errors.map((e) => `${e.path}: expected ${e.expected}, found ${e.found}`);
  };

  it("want an sms section for steps that send SMS", () => {
    expect(errors(base())).toContain("escalation.emergency[0].sms: expected an `sms` section (the gateway's address) for steps that send SMS, found no sms section");
  });

  it("want a phone, in international form, for the experts SMS reaches", () => {
    const doc = base();
    doc.sms = { gateway: "http://127.0.0.1:13013" };
    expect(errors(doc)).toContain("people[6]: expected a `phone` such as +856 20 5555 0123: escalation steps page this expert by SMS, found no phone");
    doc.people[6].phone = "020 5555 0101";
    expect(errors(doc)).toContain('people[6].phone: expected a phone number in international form, + and country code, such as +856 20 5555 0123 (SMS pages need it), found "020 5555 0101"');
    doc.people[6].phone = OB;
    doc.people[7].phone = "+856 20 5555 0103";
    expect(errors(doc)).toEqual([]);
  });

  it("reject a gateway that is not an http address and a step target that does not exist, with the line", () => {
    const doc = base();
    doc.sms = { gateway: "kannel:13013" };
    doc.escalation.emergency[0].sms = ["coordinator"];
    const result = parseProvince(stringify(doc), "sms.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["sms.gateway", "escalation.emergency[0].sms[0]"]));
    expect(result.errors.every((e) => e.line > 0)).toBe(true);
  });
});

describe("Kannel's configuration", () => {
  it("sends every incoming SMS to the bot's secret callback and answers nothing back", () => {
    const secrets = { username: "mchlink", password: "pw-1234567890", callback_token: "tok-1234567890abcdef", hash_key: "k" };
    const text = renderKannelConfig({
      dir: "/var/lib/kannel",
      sendsmsInterface: "127.0.0.1",
      allowIp: "127.0.0.1",
      ports: { admin: 13000, smsbox: 13001, sendsms: 13013 },
      adminPassword: "a",
      centre: { kind: "smpp", host: "smpp.operator.example", port: 2775, systemId: "bokeo", password: "op-secret" },
      secrets,
      callbackBase: "http://bot:13080/sms/tok-1234567890abcdef",
    });
    expect(text).toContain('get-url = "http://bot:13080/sms/tok-1234567890abcdef/mo?from=%p&to=%P&text=%a"');
    expect(text).toContain("omit-empty = yes");
    // At info (1) smsbox logs every page's number and text with its code; warnings only.
    expect(text.match(/^log-level = \d+$/gmu)).toEqual(["log-level = 2", "log-level = 2"]);
    expect(text).toContain("smsc = smpp");
    const withAdminPassword = (adminPassword: string) => () =>
      renderKannelConfig({
        dir: "/x",
        sendsmsInterface: "127.0.0.1",
        allowIp: "127.0.0.1",
        ports: { admin: 1, smsbox: 2, sendsms: 3 },
        adminPassword,
        centre: { kind: "fake", port: 4 },
        secrets,
        callbackBase: "http://x",
      });
    expect(withAdminPassword('a"b')).toThrow(/quote/);
    expect(withAdminPassword('secretpw"')).toThrow(/^(?!.*secretpw)/u);
  });
});

describe("render-config for docker-compose's sms profile", () => {
  it("writes the bot's SMS secrets and Kannel's configuration as 0600 files, and says when no SMS centre is configured", () => {
    const out = mkdtempSync(join(tmpdir(), "mchlink-sms-render-"));
    try {
      const province = { ...smsProvince(), sms: { gateway: "http://kannel:13013", sender: "mchlink", listen: "0.0.0.0:13080", callback: "http://bot:13080" } };
      const state = new Deployment(join(out, "state"));
      const first = renderComposeSms(province, out, state);
      expect(first.created).toEqual([state.path("sms.json")]);
      expect(first.warnings.join("\n")).toMatch(/smsc\.json is missing/);
      const conf = readFileSync(join(out, "kannel", "kannel.conf"), "utf8");
      const secrets = JSON.parse(readFileSync(state.path("sms.json"), "utf8")) as { callback_token: string; password: string };
      expect(conf).toContain(`get-url = "http://bot:13080/sms/${secrets.callback_token}/mo?from=%p&to=%P&text=%a"`);
      for (const file of [state.path("sms.json"), join(out, "kannel", "kannel.conf")]) expect(statSync(file).mode & 0o777).toBe(0o600);
      writeFileSync(join(out, "kannel", "smsc.json"), JSON.stringify({ kind: "smpp", host: "smpp.operator.example", port: 2775, system_id: "bokeo", password: "op-secret" }), { mode: 0o600 });
      const second = renderComposeSms(province, out, state);
      expect(second.created).toEqual([]);
      expect(second.warnings.filter((w) => !w.startsWith("not root"))).toEqual([]);
      expect(readFileSync(join(out, "kannel", "kannel.conf"), "utf8")).toMatch(/smsc = smpp\nsmsc-id = operator\nhost = "smpp.operator.example"/);
      // The secrets stay what they were: Kannel and the bot keep agreeing.
      expect(JSON.parse(readFileSync(state.path("sms.json"), "utf8"))).toEqual(secrets);
      writeFileSync(join(out, "kannel", "smsc.json"), JSON.stringify({ kind: "pigeon" }), { mode: 0o600 });
      expect(() => renderComposeSms(province, out, state)).toThrow(/kind must be "smpp".*or "modem"/);
      // A typo in a secret file names the file, and its text (a password) is not repeated in the error.
      writeFileSync(join(out, "kannel", "smsc.json"), '{"kind": "smpp", "password": op-secret}', { mode: 0o600 });
      expect(() => renderComposeSms(province, out, state)).toThrow(/smsc\.json is not valid JSON/);
      expect(() => renderComposeSms(province, out, state)).toThrow(/^(?![\s\S]*op-secret)/u);
      writeFileSync(state.path("sms.json"), "password s3cret", { mode: 0o600 });
      expect(() => renderComposeSms(province, out, state)).toThrow(/sms\.json is not valid JSON; its contents are not shown/);
      expect(() => renderComposeSms(province, out, state)).toThrow(/^(?![\s\S]*s3cret)/u);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("the migration", () => {
  it("keeps every acknowledgement and lets new ones say 'sms'", () => {
    const db = new DatabaseSync(":memory:");
    for (const [v, m] of MIGRATIONS.slice(0, 4).entries()) {
      m(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    }
    db.prepare(
      "INSERT INTO consults (case_id, request_event_id, room_id, district_id, facility_id, requester, priority, specialty, opened_by, opened_at, ladder_started_at, status) VALUES ('TL-0001', '$r', '!r', 'north', 'north-hc1', '@n:x', 'urgent', 'obstetrics', 'tag', 1, 1, 'open')",
    ).run();
    db.prepare("INSERT INTO acknowledgements (case_id, user_id, via, event_id, at) VALUES ('TL-0001', '@ob:x', 'reaction', '$a', 2)").run();
    db.close;
    MIGRATIONS[4]!(db);
    expect(db.prepare("SELECT case_id, user_id, via, event_id, at FROM acknowledgements").all()).toEqual([{ case_id: "TL-0001", user_id: "@ob:x", via: "reaction", event_id: "$a", at: 2 }]);
    db.prepare("INSERT INTO acknowledgements (case_id, user_id, via, event_id, at) VALUES ('TL-0001', '@ob2:x', 'sms', 'sms:1', 3)").run();
    expect(() => db.prepare("INSERT INTO acknowledgements (case_id, user_id, via, event_id, at) VALUES ('TL-0001', '@x:x', 'carrier-pigeon', 'p', 4)").run()).toThrow();
    expect(openDatabase(":memory:").prepare("PRAGMA user_version").get()).toEqual({ user_version: MIGRATIONS.length });
  });
});

describe("the migration that stops keeping codes and numbers in plain text (review P1)", () => {
  it("drops every number and the codes that can no longer be used, from the file too, and hashes the rest when SMS paging starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "mchlink-sms-migration-"));
    try {
      const path = join(dir, "bot.sqlite");
      const old = openDatabase(path, MIGRATIONS.slice(0, 5));
      const consult = old.prepare(
        "INSERT INTO consults (case_id, request_event_id, room_id, district_id, facility_id, requester, priority, specialty, opened_by, opened_at, ladder_started_at, status) VALUES (?, ?, '!north:mchlink.test', 'north', 'north-hc1', ?, 'emergency', 'obstetrics', 'tag', 1, 1, ?)",
      );
      consult.run("TL-0001", "$r1", uid("nurse-n1"), "open");
      consult.run("TL-0002", "$r2", uid("nurse-n1"), "closed");
      const page = old.prepare(
        "INSERT INTO sms_pages (case_id, run, step_index, user_id, phone, code, language, encoding, segments, created_at, status, acked_at) VALUES (?, 0, ?, ?, ?, ?, 'en', 'gsm7', 1, 1, ?, ?)",
      );
      page.run("TL-0001", 0, uid("obstetrician"), "+8562055550101", "7391", "sent", null); // can still be answered
      page.run("TL-0001", 1, uid("obstetrician-2"), "+8562055550102", "1111", "failed", null);
      page.run("TL-0001", 2, uid("obstetrician-2"), "+8562055550102", "2222", "sent", 5); // answered already
      page.run("TL-0002", 0, uid("obstetrician"), "+8562055550101", "3333", "sent", null); // its consult is closed
      page.run("TL-0001", 3, uid("obstetrician"), "+8562055550101", "4444", "pending", null); // gets its code when sent
      old.close();
      const fileBytes = () => Buffer.concat([readFileSync(path), ...["-wal", "-journal"].map((x) => (existsSync(path + x) ? readFileSync(path + x) : Buffer.alloc(0)))]);
      expect(fileBytes().includes("5555010"), "the numbers are in the file before the migration").toBe(true);

      const migrated = openDatabase(path);
      const columns = (migrated.prepare("PRAGMA table_info(sms_pages)").all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).toContain("code_hash");
      expect(columns).not.toContain("phone");
      expect(columns).not.toContain("code");
      expect(migrated.prepare("SELECT COUNT(*) AS n FROM sms_pages").get()).toEqual({ n: 5 });
      expect(migrated.prepare("SELECT page_id, code FROM sms_codes_to_hash").all()).toEqual([{ page_id: 1, code: "7391" }]);
      migrated.close();
      // The dropped numbers are gone from the file's bytes, not only from the schema.
      expect(fileBytes().includes("5555010")).toBe(false);

      const w = world(smsProvince(), path);
      try {
        const store = smsStoreOf(w.store.db);
        expect(store.hashLegacyCodes(KEY)).toBe(1);
        expect(w.store.db.prepare("SELECT COUNT(*) AS n FROM sms_codes_to_hash").get()).toEqual({ n: 0 });
        expect(store.page(1)!.codeHash).toMatch(/^[A-Za-z0-9_-]{22}$/u);
        expect(store.page(5)!.codeHash).toBeUndefined();
        expect(store.hashLegacyCodes(KEY)).toBe(0);
        // The closed consult's code was dropped; the open one's still answers its page.
        expect(answerBySms(w, KEY, { from: OB, text: "OK 2 3333" }).outcome).toBe("wrong_code");
        expect(answerBySms(w, KEY, { from: OB, text: "OK 1 7391" }).outcome).toBe("acknowledged");
        expect(consultStore(w).get("TL-0001")!.firstResponder).toBe(uid("obstetrician"));
      } finally {
        w.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the deployment's other secret files", () => {
  it("say which file has a JSON typo without repeating its text (a password)", () => {
    const dir = mkdtempSync(join(tmpdir(), "mchlink-secret-json-"));
    try {
      const dep = new Deployment(dir);
      dep.ensureDir();
      writeFileSync(dep.path("bot.json"), '{"password": hunter2-secret}', { mode: 0o600 });
      expect(() => dep.readCredentials("bot")).toThrow(/bot\.json is not valid JSON/);
      expect(() => dep.readCredentials("bot")).toThrow(/^(?![\s\S]*hunter2)/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
