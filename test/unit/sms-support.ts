// Shared by the SMS unit tests: the small province paging by SMS (two obstetricians with
// phones, one English, one Lao) and an emergency consult whose first step has fired.
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { parseProvince } from "../../src/config/load.ts";
import type { Province } from "../../src/config/schema.ts";
import { actorOf, consultStore, escalationTick, firingDone, openConsult } from "../../src/consult/lifecycle.ts";
import { issueCode, planSmsPages } from "../../src/consult/sms.ts";
import { smsStoreOf, type SmsPage } from "../../src/consult/sms-store.ts";
import { MINUTE, said, SMALL, type World } from "./consult-support.ts";

export const OB = "+856 20 5555 0101";
export const OB2 = "+856 20 5555 0102";
/** The hashing key (sms.json's hash_key) of the SMS unit tests. */
export const SMS_TEST_KEY = "unit-test-hash-key";

/** The codes the sent pages carried, as their SMS said: the database keeps only their hashes. */
const codes = new WeakMap<object, Map<number, string>>();
export function codeOf(w: World, page: SmsPage): string {
  const code = codes.get(w.store.db)?.get(page.id);
  if (code === undefined) throw new Error(`page ${page.id} was not sent with a code`);
  return code;
}

export function smsProvinceFor(sms: Record<string, string> = { gateway: "http://127.0.0.1:13013" }): Province {
  const doc = parse(readFileSync(SMALL, "utf8")) as Record<string, any>;
  doc.people.find((p: { id: string }) => p.id === "obstetrician").phone = OB;
  doc.people.find((p: { id: string }) => p.id === "paediatrician").phone = "+856 20 5555 0103";
  doc.people.push({ id: "obstetrician-2", name: "Test Obstetrician Two", role: "expert", specialty: "obstetrics", facility: "north-ph", language: "lo", phone: OB2 });
  doc.oncall.obstetrics.backup = "obstetrician-2";
  doc.sms = sms;
  doc.escalation = {
    emergency: [
      { after: "5m", action: "page_backup", sms: ["on_call", "backup"] },
      { after: "10m", action: "post_experts_room" },
    ],
    urgent: [],
    routine: [],
  };
  const result = parseProvince(stringify(doc), "sms.yaml");
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.province;
}

/** An emergency consult opened by the nurse, its first step fired and its SMS pages planned (and marked sent with codes hashed under SMS_TEST_KEY, unless `send` is false). */
export function pagedConsultFor(w: World, opts: { send: boolean; body?: string }): string {
  const body = opts.body ?? "#emergency Noy, 19 years, bleeding after delivery";
  const ctx = said(w, "nurse-n1", "district:north", body);
  openConsult(ctx, actorOf(ctx), body, { priority: "emergency", specialty: "obstetrics", openedBy: "tag" });
  const caseId = consultStore(w).openConsults().at(-1)!.caseId;
  w.clock.advance(5 * MINUTE + 1);
  for (const f of escalationTick(w)) firingDone(w, f);
  planSmsPages(w);
  if (opts.send) {
    const sent = codes.get(w.store.db) ?? new Map<number, string>();
    codes.set(w.store.db, sent);
    for (const page of smsStoreOf(w.store.db).pending()) {
      sent.set(page.id, issueCode(w, SMS_TEST_KEY, page));
      smsStoreOf(w.store.db).markSent(page.id, w.clock.now());
    }
  }
  return caseId;
}
