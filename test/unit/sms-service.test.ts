// The SMS shell without Kannel: the bot's callback endpoint (secret path, replies, delivery
// reports) and a gateway that is not there. Loopback only; the real gateway is exercised in
// test/integration/sms.test.ts.
import { connect } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Outgoing } from "../../src/messaging/types.ts";
import { consultStore } from "../../src/consult/lifecycle.ts";
import { failureNotice } from "../../src/consult/sms.ts";
import { smsStoreOf } from "../../src/consult/sms-store.ts";
import { freePort } from "../../src/homeserver/process.ts";
import { caseNumberOf } from "../../src/sms/page-text.ts";
import { SmsService } from "../../src/sms/service.ts";
import { bodyOf, uid, world } from "./consult-support.ts";
import { codeOf, pagedConsultFor, SMS_TEST_KEY, smsProvinceFor } from "./sms-support.ts";

const secrets = { username: "mchlink", password: "pw", callback_token: "token-0123456789abcdef", hash_key: SMS_TEST_KEY };

describe("the SMS service", () => {
  let service: SmsService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  async function started() {
    const listen = `127.0.0.1:${await freePort()}`;
    const province = smsProvinceFor({ gateway: `http://127.0.0.1:${await freePort()}`, listen });
    const w = world(province);
    const sent: { origin: string; out: Outgoing[] }[] = [];
    service = new SmsService({ ctx: { ...w, send: async (origin, _room, out) => void sent.push({ origin, out }) }, secrets, logger: pino({ level: "silent" }), tickMs: 50 });
    await service.start();
    return { w, sent, base: `http://${listen}/sms/${secrets.callback_token}` };
  }

  it("tells the experts' room when the gateway is not there, page by page, once", async () => {
    const { w, sent } = await started();
    const caseId = pagedConsultFor(w, { send: false });
    const deadline = Date.now() + 10_000;
    while (sent.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(
      smsStoreOf(w.store.db)
        .pagesBetween(0, Number.MAX_SAFE_INTEGER)
        .map((p) => p.failure),
    ).toEqual(["unreachable", "unreachable"]);
    expect(sent.map((s) => s.origin).sort()).toEqual(["sms-failed:1", "sms-failed:2"]);
    expect(bodyOf(sent[0]!.out[0])).toContain(caseId);
    await new Promise((r) => setTimeout(r, 300));
    expect(sent).toHaveLength(2);
  });

  it("stops at once while a request from Kannel is half received", async () => {
    const { base } = await started();
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(`GET ${url.pathname}/mo?from=1 HTTP/1.1\r\nHost: x\r\n`); // no blank line: the request never ends
    await new Promise((r) => setTimeout(r, 100));
    const begun = Date.now();
    await service!.stop();
    service = undefined;
    expect(Date.now() - begun).toBeLessThan(2_000);
    socket.destroy();
  });

  it("does not send a page whose consult was answered before it went out", async () => {
    const w = world(smsProvinceFor({ gateway: `http://127.0.0.1:${await freePort()}`, listen: `127.0.0.1:${await freePort()}` }));
    const caseId = pagedConsultFor(w, { send: false });
    consultStore(w).acknowledge({ caseId, userId: uid("obstetrician"), via: "reply", eventId: "$reply", at: w.clock.now() }, true);
    const sent: string[] = [];
    service = new SmsService({ ctx: { ...w, send: async (origin) => void sent.push(origin) }, secrets, logger: pino({ level: "silent" }), tickMs: 50 });
    await service.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(
      smsStoreOf(w.store.db)
        .pagesBetween(0, Number.MAX_SAFE_INTEGER)
        .map((p) => p.status),
    ).toEqual(["cancelled", "cancelled"]);
    expect(sent).toEqual([]);
  });

  it("answers nothing on a path without the secret token, and takes replies and delivery reports on it", async () => {
    const { w, sent, base } = await started();
    const caseId = pagedConsultFor(w, { send: true });
    const page = smsStoreOf(w.store.db).pagesOfCaseTo(caseId, uid("obstetrician"))[0]!;
    const mo = (prefix: string, from: string, text: string) => fetch(`${prefix}/mo?from=${encodeURIComponent(from)}&to=1515&text=${encodeURIComponent(text)}`);
    const wrong = await mo(base.replace(secrets.callback_token, "guessed-token-000000"), "+8562055550101", `OK ${caseNumberOf(caseId)} ${codeOf(w, page)}`);
    expect(wrong.status).toBe(404);
    expect(consultStore(w).get(caseId)!.firstResponder).toBeUndefined();

    expect((await fetch(`${base}/dlr?page=${page.id}&type=1`)).status).toBe(200);
    expect(smsStoreOf(w.store.db).page(page.id)!.deliveredAt).toBe(w.clock.now());

    const ok = await mo(base, "+8562055550101", `OK ${caseNumberOf(caseId)} ${codeOf(w, page)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(""); // Kannel sends nothing back for an empty answer
    expect(consultStore(w).get(caseId)!.firstResponder).toBe(uid("obstetrician"));
    expect(sent.find((s) => s.origin === `sms:${page.id}`)?.out.length).toBeGreaterThan(0);
  });

  it("tells the experts' room when the operator could not deliver a page", async () => {
    const { w, sent, base } = await started();
    const caseId = pagedConsultFor(w, { send: true });
    const page = smsStoreOf(w.store.db).pagesOfCaseTo(caseId, uid("obstetrician-2"))[0]!;
    await fetch(`${base}/dlr?page=${page.id}&type=16`);
    const deadline = Date.now() + 5_000;
    while (!sent.some((s) => s.origin === `sms-failed:${page.id}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const told = sent.find((s) => s.origin === `sms-failed:${page.id}`)!;
    expect(bodyOf(told.out[0])).toBe(bodyOf(failureNotice(w, page, "undelivered")[0]));
  });
});
