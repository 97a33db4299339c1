// Escalate, refer, close, reopen, !open and the privacy reminder, over a ManualClock and a :memory: store.
import { describe, expect, it } from "vitest";
import type { Province } from "../../src/config/schema.ts";
import { acknowledge, actorOf, close, consultStore, escalate, escalationTick, firingDone, onMessage, openConsult, openList, parseOutcome, refer, reopen } from "../../src/consult/lifecycle.ts";
import { bodyOf, MINUTE, MONDAY_0900, ROOMS, said, shape, smallProvince, uid, world, type World } from "./consult-support.ts";

const NORTH = ROOMS.get("district:north")!;
const SOUTH = ROOMS.get("district:south")!;
const EXPERTS = ROOMS.get("experts")!;

function tick(w: World) {
  const firings = escalationTick(w);
  for (const firing of firings) firingDone(w, firing);
  return firings;
}

/** Opens a consult from `who` in `room` and returns its request event id. */
function opened(w: World, body = "#urgent headache 34 weeks", who = "doctor-n3", room = "district:north"): string {
  const ctx = said(w, who, room, body);
  onMessage(ctx);
  return ctx.event.eventId;
}

describe("escalation", () => {
  it("raises the priority, pages the on-call expert again, and starts the new ladder from now", () => {
    const w = world();
    const thread = opened(w);
    w.clock.set(MONDAY_0900 + 20 * MINUTE);
    expect(tick(w).map((f) => f.key)).toEqual(["TL-0001:0:0", "TL-0001:0:1"]);

    w.clock.set(MONDAY_0900 + 25 * MINUTE);
    const ctx = said(w, "doctor-n3", "district:north", "!escalate TL-0001 she is fitting now", { threadRootId: thread });
    const out = escalate(w, actorOf(ctx), "TL-0001", "she is fitting now");
    expect(out.map(shape)).toEqual([{ room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] }, thread }]);
    expect(bodyOf(out[0])).toBe("TL-0001 is now emergency.\n\nPaged: Test Obstetrician\n\nIf no expert answers by 09:30 (in 5 min), the backup expert is paged.");
    expect(bodyOf(out[0])).not.toContain("fitting");
    expect(consultStore(w).get("TL-0001")).toMatchObject({ priority: "emergency", ladderRun: 1, ladderStartedAt: MONDAY_0900 + 25 * MINUTE, escalationStep: -1 });

    w.clock.set(MONDAY_0900 + 30 * MINUTE);
    expect(tick(w).map((f) => [f.key, f.action])).toEqual([
      ["TL-0001:1:0", "page_backup"],
      ["TL-0001:1:1", "post_experts_room"],
    ]);
    // The same command handled again after a crash changes nothing and says the same.
    expect(escalate(w, actorOf(ctx), "TL-0001", "she is fitting now")).toEqual(out);
    expect(consultStore(w).get("TL-0001")?.ladderRun).toBe(1);
  });

  it("goes to the priority named in the reason, and refuses to go past emergency", () => {
    const w = world();
    opened(w, "#routine iron tablets question");
    const ctx = said(w, "doctor-n3", "district:north", "!escalate TL-0001 emergency");
    const out = escalate(w, actorOf(ctx), "TL-0001", "emergency");
    expect(consultStore(w).get("TL-0001")?.priority).toBe("emergency");
    expect(out.at(-1)).toEqual({ kind: "reaction", roomId: NORTH, eventId: ctx.event.eventId, key: "✅" });
    const again = said(w, "doctor-n3", "district:north", "!escalate TL-0001");
    expect(bodyOf(escalate(w, actorOf(again), "TL-0001")[0])).toBe("TL-0001 is already an emergency. If no expert is answering, phone +856 84 000 900.");
  });

  it("by a higher tag in the consult's thread", () => {
    const w = world();
    const thread = opened(w);
    const out = onMessage(said(w, "doctor-n3", "district:north", "#emergency now she is fitting", { threadRootId: thread }));
    expect(consultStore(w).get("TL-0001")?.priority).toBe("emergency");
    expect(out.map(shape)).toEqual([{ room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] }, thread }]);
    // A lower or equal tag changes nothing.
    expect(onMessage(said(w, "doctor-n3", "district:north", "#urgent update", { threadRootId: thread }))).toEqual([]);
  });

  it("of an answered consult pages the expert who answered and keeps the ladder stopped", () => {
    const w = world();
    const thread = opened(w);
    w.clock.advance(3 * MINUTE);
    onMessage(said(w, "obstetrician", "district:north", "check BP again", { threadRootId: thread }));
    w.clock.advance(10 * MINUTE);
    const ctx = said(w, "doctor-n3", "district:north", "!escalate TL-0001");
    const out = escalate(w, actorOf(ctx), "TL-0001");
    expect(out[0]).toMatchObject({ msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] } });
    expect(bodyOf(out[0])).toBe("Test Obstetrician: TL-0001 is now emergency. The health worker says the patient is worse.");
    w.clock.advance(60 * MINUTE);
    expect(tick(w)).toEqual([]);
  });

  it("is for the health worker who asked and coordinators only", () => {
    const w = world();
    opened(w);
    const other = said(w, "nurse-n1", "district:north", "!escalate TL-0001");
    expect(bodyOf(escalate(w, actorOf(other), "TL-0001")[0])).toBe("ສະເພາະພະນັກງານທີ່ຖາມ ຫຼື ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ຍົກລະດັບການປຶກສານີ້ໄດ້.");
    const expert = said(w, "obstetrician", "district:north", "!escalate TL-0001");
    expect(bodyOf(escalate(w, actorOf(expert), "TL-0001")[0])).toBe("Only the health worker who asked, or a coordinator, can escalate this consult.");
    const coordinator = said(w, "coordinator", "experts", "!escalate TL-0001");
    escalate(w, actorOf(coordinator), "TL-0001");
    expect(consultStore(w).get("TL-0001")?.priority).toBe("emergency");
  });
});

describe("referral", () => {
  it("records it and tells the receiving facility's room the case id and origin only, ringing its staff", () => {
    const w = world();
    const thread = opened(w, "#urgent bleeding 34 weeks, husband is Mr X");
    w.clock.advance(20 * MINUTE);
    const ctx = said(w, "obstetrician", "district:north", "!refer TL-0001 south-hc1", { threadRootId: thread });
    const out = refer(w, actorOf(ctx), "TL-0001", "south-hc1");
    expect(out.map(shape)).toEqual([
      { room: SOUTH, msgtype: "m.text", mentions: { user_ids: [uid("nurse-s1"), uid("nurse-s2"), uid("doctor-s3")] } },
      { room: NORTH, msgtype: "m.notice", thread },
    ]);
    // The south staff read Lao.
    expect(bodyOf(out[0])).toBe("Test Nurse S1, Test Assistant Nurse S2, Test Assistant Doctor S3: ມີການສົ່ງຕໍ່ມາຫາ ສຸກສາລາ ໃຕ້ 1 (ທົດສອບ): TL-0001 ຈາກ ໂຮງໝໍແຂວງ ເໜືອ (ທົດສອບ) (ເໜືອ).");
    expect(bodyOf(out[0])).not.toMatch(/bleeding|husband|Mr X/u);
    expect(bodyOf(out[1])).toBe("Referral of TL-0001 to South Health Centre 1 (test) recorded; its room has been told.");
    expect(consultStore(w).get("TL-0001")).toMatchObject({ referredTo: "south-hc1", referredAt: MONDAY_0900 + 20 * MINUTE });
    expect(refer(w, actorOf(ctx), "TL-0001", "south-hc1")).toEqual(out);
    expect(consultStore(w).referrals("TL-0001")).toHaveLength(1);
  });

  it("finds a facility by name, and lists hospital ids for an unknown one", () => {
    const w = world();
    opened(w);
    const ctx = said(w, "obstetrician", "experts", "!refer TL-0001 North Provincial Hospital (test)");
    const out = refer(w, actorOf(ctx), "TL-0001", "north provincial hospital (test)");
    expect(consultStore(w).get("TL-0001")?.referredTo).toBe("north-ph");
    expect(out.at(-1)).toEqual({ kind: "reaction", roomId: EXPERTS, eventId: ctx.event.eventId, key: "✅" });
    const bad = said(w, "obstetrician", "experts", "!refer TL-0001 mars");
    expect(bodyOf(refer(w, actorOf(bad), "TL-0001", "mars")[0])).toBe("I do not know the facility “mars”. Use its id, for example: north-ph.");
  });

  it("is refused to health workers", () => {
    const w = world();
    opened(w);
    const ctx = said(w, "doctor-n3", "district:north", "!refer TL-0001 north-ph");
    expect(bodyOf(refer(w, actorOf(ctx), "TL-0001", "north-ph")[0])).toBe("Only experts and coordinators record referrals.");
    expect(consultStore(w).get("TL-0001")?.referredTo).toBeUndefined();
  });
});

describe("closing and reopening", () => {
  it("reads outcomes by id or by name in either language", () => {
    expect(parseOutcome("managed_locally")).toBe("managed_locally");
    expect(parseOutcome("Managed locally")).toBe("managed_locally");
    expect(parseOutcome("arrived-at-referral-facility")).toBe("arrived_at_referral_facility");
    expect(parseOutcome("ສົ່ງຕໍ່")).toBe("referred");
    expect(parseOutcome("ແມ່ເສຍຊີວິດ")).toBe("maternal_death");
    expect(parseOutcome("better")).toBeUndefined();
    expect(parseOutcome("")).toBeUndefined();
  });

  it("closes with an outcome, stops the ladder, and says so in the thread", () => {
    const w = world();
    const thread = opened(w);
    w.clock.advance(7 * MINUTE);
    const ctx = said(w, "doctor-n3", "district:north", "!close TL-0001 managed locally", { threadRootId: thread });
    const out = close(w, actorOf(ctx), "TL-0001", "managed locally");
    expect(out.map(shape)).toEqual([{ room: NORTH, msgtype: "m.notice", thread }]);
    expect(bodyOf(out[0])).toBe("TL-0001 is closed: managed locally. Thank you.");
    expect(consultStore(w).get("TL-0001")).toMatchObject({ status: "closed", outcome: "managed_locally", closedAt: MONDAY_0900 + 7 * MINUTE });
    w.clock.advance(24 * 60 * MINUTE);
    expect(tick(w)).toEqual([]);
    expect(close(w, actorOf(ctx), "TL-0001", "managed locally")).toEqual(out);
    const again = said(w, "obstetrician", "district:north", "!close TL-0001 referred");
    expect(bodyOf(close(w, actorOf(again), "TL-0001", "referred")[0])).toBe("TL-0001 is already closed (managed locally).");
  });

  it("lists the outcomes when it does not know the one given", () => {
    const w = world();
    opened(w);
    const ctx = said(w, "doctor-n3", "district:north", "!close TL-0001 fine");
    expect(bodyOf(close(w, actorOf(ctx), "TL-0001", "fine")[0])).toBe(
      "I do not know the outcome “fine”. Choose one of: managed_locally (managed locally), referred (referred), arrived_at_referral_facility (arrived at the referral facility), maternal_death (maternal death), newborn_death (newborn death), other (other).",
    );
  });

  it("reopens an unanswered consult: its ladder starts again from now and the on-call expert is paged", () => {
    const w = world();
    const thread = opened(w);
    const closing = said(w, "doctor-n3", "district:north", "!close TL-0001 other");
    close(w, actorOf(closing), "TL-0001", "other");
    w.clock.set(MONDAY_0900 + 60 * MINUTE);
    const ctx = said(w, "doctor-n3", "district:north", "!reopen TL-0001");
    const out = reopen(w, actorOf(ctx), "TL-0001");
    expect(out.map(shape)).toEqual([
      { room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] }, thread },
      { reaction: "✅", on: ctx.event.eventId, room: NORTH },
    ]);
    expect(bodyOf(out[0])).toBe("TL-0001 is open again (urgent).\n\nPaged: Test Obstetrician\n\nIf no expert answers by 10:20 (in 20 min), the backup expert is paged.");
    const consult = consultStore(w).get("TL-0001");
    expect(consult).toMatchObject({ status: "open", ladderRun: 1, ladderStartedAt: MONDAY_0900 + 60 * MINUTE });
    expect(consult?.outcome).toBeUndefined();
    expect(reopen(w, actorOf(ctx), "TL-0001")).toEqual(out);
    w.clock.set(MONDAY_0900 + 80 * MINUTE);
    expect(tick(w).map((f) => f.key)).toEqual(["TL-0001:1:0", "TL-0001:1:1"]);
    const open = said(w, "doctor-n3", "district:north", "!reopen TL-0001");
    expect(bodyOf(reopen(w, actorOf(open), "TL-0001")[0])).toBe("TL-0001 is still open.");
  });

  it("reopens an answered consult by paging the expert who answered", () => {
    const w = world();
    const thread = opened(w);
    onMessage(said(w, "obstetrician", "district:north", "ok", { threadRootId: thread }));
    close(w, actorOf(said(w, "obstetrician", "district:north", "!close TL-0001 managed_locally")), "TL-0001", "managed_locally");
    const out = reopen(w, actorOf(said(w, "doctor-n3", "district:north", "!reopen TL-0001")), "TL-0001");
    expect(out[0]).toMatchObject({ msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] } });
    expect(bodyOf(out[0])).toBe("Test Obstetrician: TL-0001 is open again (urgent).");
  });

  it("lets the health worker who asked, experts and coordinators close; not other health workers", () => {
    const w = world();
    opened(w);
    const other = said(w, "nurse-n2", "district:north", "!close TL-0001 other");
    expect(bodyOf(close(w, actorOf(other), "TL-0001", "other")[0])).toBe("ສະເພາະພະນັກງານທີ່ຖາມ, ແພດຊ່ຽວຊານ ຫຼື ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ປິດການປຶກສານີ້ໄດ້.");
    expect(consultStore(w).get("TL-0001")?.status).toBe("open");
  });
});

describe("!open", () => {
  it("lists open consults oldest first with age and ladder position: the room's for health workers, all for experts", () => {
    const w = world();
    opened(w, "#emergency bleeding");
    w.clock.advance(MINUTE);
    opened(w, "#routine question", "doctor-s3", "district:south");
    w.clock.advance(MINUTE);
    const third = opened(w, "#urgent headache");
    w.clock.advance(MINUTE);
    onMessage(said(w, "obstetrician", "district:north", "seen", { threadRootId: third }));
    w.clock.set(MONDAY_0900 + 6 * MINUTE);
    tick(w);

    const expert = openList(w, actorOf(said(w, "coordinator", "experts", "!open")));
    expect(bodyOf(expert[0])).toBe(
      [
        "Open consults",
        [
          "• TL-0001: emergency, obstetrics, North, open 6 min — no answer yet, step 2 of 5 reached; next at 09:10: all experts are called",
          "• TL-0002: routine, obstetrics, South, open 5 min — no answer yet, step 0 of 5 reached; next at 13:01: the backup expert is paged",
          "• TL-0003: urgent, obstetrics, North, open 4 min — answered by Test Obstetrician",
        ].join("\n"),
      ].join("\n\n"),
    );
    const provider = openList(w, actorOf(said(w, "doctor-s3", "district:south", "!open")));
    expect(bodyOf(provider[0])).toContain("TL-0002");
    expect(bodyOf(provider[0])).not.toContain("TL-0001");
    const admin = openList(w, actorOf(said(w, "admin", "district:north", "!open")));
    expect(bodyOf(admin[0])).toBe("ສະເພາະພະນັກງານສາທາລະນະສຸກ, ແພດຊ່ຽວຊານ ແລະ ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ເບິ່ງລາຍການການປຶກສາໄດ້.");
  });

  it("says when there is nothing open", () => {
    const w = world();
    expect(bodyOf(openList(w, actorOf(said(w, "coordinator", "experts", "!open")))[0])).toBe("No open consults.");
  });
});

describe("the privacy reminder", () => {
  it("reminds each person once per consult, without repeating the number", () => {
    const w = world();
    const ctx = said(w, "doctor-n3", "district:north", "#urgent headache, call her husband 020 5555 0123");
    const out = onMessage(ctx);
    const reminder = out.at(-1)!;
    // Privately: in the bot's direct room with the person, not in the consult room.
    expect(reminder).toMatchObject({ kind: "message", msgtype: "m.notice", directTo: uid("doctor-n3") });
    expect(shape(reminder)).toEqual({ room: undefined, msgtype: "m.notice" });
    expect(bodyOf(reminder)).toBe(
      "Your message in TL-0001 seems to contain a phone number or an ID number. Please do not post these in consult rooms: delete the message and send it again without them.",
    );
    expect(bodyOf(reminder)).not.toContain("5555");
    expect(onMessage(said(w, "doctor-n3", "district:north", "her ID 1234567", { threadRootId: ctx.event.eventId }))).toEqual([]);
    const expert = onMessage(said(w, "obstetrician", "district:north", "phone me on 020 7777 8888", { threadRootId: ctx.event.eventId }));
    expect(expert.map((o) => bodyOf(o))).toContain(
      "Your message in TL-0001 seems to contain a phone number or an ID number. Please do not post these in consult rooms: delete the message and send it again without them.",
    );
  });

  it("reminds about ID numbers too, and never fires for the hospital's own number", () => {
    const w = world();
    const out = onMessage(said(w, "doctor-n3", "district:north", "#urgent ID 7654321"));
    expect(out.at(-1)).toMatchObject({ kind: "message", directTo: uid("doctor-n3") });
    const hospital = onMessage(said(w, "doctor-n3", "district:north", "#urgent I phoned +856 84 000 900, no answer"));
    expect(hospital.map((o) => bodyOf(o)).some((b) => b.includes("seems to contain"))).toBe(false);
  });
});

describe("who gets paged when the rota does not name a local expert", () => {
  it("pages a partner expert on call in the experts' room, with the case id only", () => {
    const base = smallProvince();
    const partner = "@dr.noy:partner.example";
    const province: Province = {
      ...base,
      federation: { partners: ["partner.example"], partner_experts: [{ user_id: partner, name: "Dr Noy", specialty: "obstetrics", language: "en" }] },
      oncall: { ...base.oncall, obstetrics: { weekly: [{ days: ["mon"], from: "08:00", to: "20:00", expert: partner }], backup: "obstetrician", overrides: [] } },
    };
    const w = world(province);
    const ctx = said(w, "doctor-n3", "district:north", "#emergency bleeding");
    const out = onMessage(ctx);
    expect(out.slice(0, 2).map(shape)).toEqual([
      { room: NORTH, msgtype: "m.notice", thread: ctx.event.eventId },
      { room: EXPERTS, msgtype: "m.text", mentions: { user_ids: [partner] } },
    ]);
    expect(bodyOf(out[0])).toContain("Paged in the experts' room (partner hospital): Dr Noy");
    expect(bodyOf(out[1])).toBe("Dr Noy: you are paged for TL-0001 (emergency, obstetrics, North). Send !ack TL-0001 to take it.");
    // The partner acknowledges from the experts' room.
    w.clock.advance(2 * MINUTE);
    const ack = acknowledge(w, actorOf(said(w, partner, "experts", "!ack TL-0001")), "TL-0001", "command");
    expect(bodyOf(ack[0])).toBe("Dr Noy is answering TL-0001, 2 min after it was asked. Paging has stopped.");
  });

  it("calls every expert with @room when a specialty has no rota and no expert", () => {
    const w = world();
    const ctx = said(w, "doctor-n3", "district:north", "!consult general fever");
    const out = openConsult(w, actorOf(ctx), ctx.event.body, { priority: "urgent", specialty: "general", openedBy: "command" });
    expect(out.slice(0, 2).map(shape)).toEqual([
      { room: NORTH, msgtype: "m.notice", thread: ctx.event.eventId },
      { room: EXPERTS, msgtype: "m.text", mentions: { room: true } },
    ]);
    expect(bodyOf(out[0])).toContain("No one is on call for general medicine");
    expect(bodyOf(out[1])).toBe("@room TL-0001 (urgent, general medicine, North): no one is on call for general medicine. Please answer in the North room.");
  });
});
