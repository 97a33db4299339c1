import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConsultStore, type NewConsult } from "../../src/consult/store.ts";
import { BotStore } from "../../src/store/bot-store.ts";
import { uid } from "./consult-support.ts";

const request = (eventId: string, openedAt = 1000): NewConsult => ({
  requestEventId: eventId,
  roomId: "!north:mchlink.test",
  districtId: "north",
  facilityId: "north-hc1",
  requester: uid("nurse-n1"),
  priority: "emergency",
  specialty: "obstetrics",
  openedBy: "tag",
  openedAt,
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("consult store", () => {
  it("numbers cases per prefix and opens one consult per request event", () => {
    const store = new ConsultStore(new BotStore(":memory:").db);
    const first = store.open(request("$a"), "TL");
    expect(first).toMatchObject({ created: true, consult: { caseId: "TL-0001", status: "open", escalationStep: -1, ladderRun: 0, ladderStartedAt: 1000 } });
    expect(store.open(request("$a", 9999), "TL")).toEqual({ created: false, consult: first.consult });
    expect(store.open(request("$b"), "TL").consult.caseId).toBe("TL-0002");
    expect(store.open(request("$c"), "BK").consult.caseId).toBe("BK-0001");
    expect(store.get("tl-0002")?.requestEventId).toBe("$b");
    expect(store.openConsults().map((c) => c.caseId)).toEqual(["TL-0001", "TL-0002", "BK-0001"]);
  });

  it("claims each ladder step once, and keeps what was not confirmed done across a restart", () => {
    const dir = mkdtempSync(join(tmpdir(), "consult-store-"));
    dirs.push(dir);
    const path = join(dir, "bot.sqlite");
    const before = new BotStore(path);
    const store = new ConsultStore(before.db);
    const { consult } = store.open(request("$a"), "TL");
    const step = { caseId: consult.caseId, run: 0, stepIndex: 0, action: "page_backup", dueAt: 5, firedAt: 6 };
    expect(store.claimStep(step)).toBe(true);
    expect(store.claimStep({ ...step, firedAt: 7 })).toBe(false);
    expect(store.claimStep({ ...step, stepIndex: 1, action: "post_experts_room" })).toBe(true);
    store.markStepDone(consult.caseId, 0, 0);
    expect(store.get(consult.caseId)?.escalationStep).toBe(1);
    before.close();

    const after = new ConsultStore(new BotStore(path).db);
    expect(after.unfinishedSteps().map((s) => [s.stepIndex, s.status])).toEqual([[1, "claimed"]]);
    expect(after.claimStep(step)).toBe(false);
    expect(after.open(request("$a"), "TL").created).toBe(false);
  });

  it("starts a new ladder run once per event, resetting the step", () => {
    const store = new ConsultStore(new BotStore(":memory:").db);
    const { consult } = store.open({ ...request("$a"), priority: "urgent" }, "TL");
    store.claimStep({ caseId: consult.caseId, run: 0, stepIndex: 0, action: "page_backup", dueAt: 1, firedAt: 1 });
    const change = { cause: "escalate", fromPriority: "urgent", toPriority: "emergency", by: uid("nurse-n1"), eventId: "$esc", at: 5000 } as const;
    expect(store.startRun(change, consult.caseId)).toEqual({ ...change, caseId: consult.caseId, run: 1 });
    expect(store.startRun(change, consult.caseId)).toBeUndefined();
    expect(store.runByEvent("$esc")?.run).toBe(1);
    expect(store.get(consult.caseId)).toMatchObject({ priority: "emergency", ladderRun: 1, ladderStartedAt: 5000, escalationStep: -1 });
    expect(store.firedSteps(consult.caseId, 1)).toEqual([]);
    expect(store.firedSteps(consult.caseId).length).toBe(1);
  });

  it("records the first acknowledgement as the first response, once per person", () => {
    const store = new ConsultStore(new BotStore(":memory:").db);
    const { consult } = store.open(request("$a"), "TL");
    const ack = { caseId: consult.caseId, userId: uid("obstetrician"), via: "reply", eventId: "$r1", at: 4000 } as const;
    expect(store.acknowledge(ack, true)).toEqual({ recorded: true, first: true });
    expect(store.acknowledge({ ...ack, eventId: "$r2", at: 5000 }, true)).toEqual({ recorded: false, first: false });
    expect(store.acknowledge({ ...ack, userId: uid("paediatrician"), at: 6000 }, true)).toEqual({ recorded: true, first: false });
    expect(store.get(consult.caseId)).toMatchObject({ firstResponseAt: 4000, firstResponder: uid("obstetrician") });
    expect(store.acknowledgements(consult.caseId).map((a) => a.userId)).toEqual([uid("obstetrician"), uid("paediatrician")]);
  });

  it("records referrals, closing and reopening once per event", () => {
    const store = new ConsultStore(new BotStore(":memory:").db);
    const { consult } = store.open(request("$a"), "TL");
    const referral = { eventId: "$ref", caseId: consult.caseId, facilityId: "north-ph", by: uid("obstetrician"), at: 7000 };
    expect(store.refer(referral)).toBe(true);
    expect(store.refer(referral)).toBe(false);
    expect(store.referralByEvent("$ref")).toEqual(referral);
    const close = { eventId: "$close", caseId: consult.caseId, status: "closed", outcome: "referred", by: uid("obstetrician"), at: 8000 } as const;
    expect(store.setStatus(close)).toBe(true);
    expect(store.setStatus(close)).toBe(false);
    expect(store.get(consult.caseId)).toMatchObject({ status: "closed", closedAt: 8000, outcome: "referred", referredTo: "north-ph", referredAt: 7000 });
    expect(store.openConsults()).toEqual([]);
    expect(store.setStatus({ eventId: "$reopen", caseId: consult.caseId, status: "open", by: uid("nurse-n1"), at: 9000 })).toBe(true);
    const reopened = store.get(consult.caseId)!;
    expect(reopened.status).toBe("open");
    expect(reopened.closedAt).toBeUndefined();
    expect(reopened.outcome).toBeUndefined();
    expect(store.statusChangeByEvent("$close")).toEqual(close);
  });

  it("keeps pages, linked events, rota overrides and privacy reminders", () => {
    const store = new ConsultStore(new BotStore(":memory:").db);
    const { consult } = store.open(request("$a"), "TL");
    store.recordPages(consult.caseId, "run:0", [uid("obstetrician")], 1000);
    store.recordPages(consult.caseId, "run:0", [uid("obstetrician")], 2000);
    store.recordPages(consult.caseId, "step:0:0", [uid("obstetrician"), uid("coordinator")], 3000);
    expect(store.pages(consult.caseId).map((p) => [p.cause, p.userId, p.at])).toEqual([
      ["run:0", uid("obstetrician"), 1000],
      ["step:0:0", uid("obstetrician"), 3000],
      ["step:0:0", uid("coordinator"), 3000],
    ]);

    store.linkEvent(consult.caseId, "$card");
    expect(store.byEvent("$card")?.caseId).toBe(consult.caseId);
    expect(store.byEvent("$a")?.caseId).toBe(consult.caseId);
    expect(store.byEvent("$other")).toBeUndefined();

    const override = { specialty: "obstetrics", slot: "expert", userId: uid("obstetrician"), from: 0, to: 10_000, setBy: uid("coordinator"), setAt: 0 } as const;
    store.addRotaOverride(override, "$set");
    store.addRotaOverride(override, "$set");
    expect(store.rotaOverrides(5000)).toEqual([{ ...override, id: 1 }]);
    expect(store.endRotaOverrides("obstetrics", 6000)).toBe(1);
    expect(store.rotaOverrides(6000)).toEqual([]);

    expect(store.claimPrivacyReminder(consult.caseId, uid("nurse-n1"), "$m1", 1)).toBe(true);
    expect(store.claimPrivacyReminder(consult.caseId, uid("nurse-n1"), "$m1", 2)).toBe(true);
    expect(store.claimPrivacyReminder(consult.caseId, uid("nurse-n1"), "$m2", 3)).toBe(false);
    expect(store.claimPrivacyReminder(consult.caseId, uid("nurse-n2"), "$m3", 4)).toBe(true);
  });
});
