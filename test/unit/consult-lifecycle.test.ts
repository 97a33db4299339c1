// Opening, the full ladder, restarts and acknowledgement, pure over a ManualClock and a
// :memory: (or temporary file) store: what the runtime would send, message by message.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Province } from "../../src/config/schema.ts";
import { acknowledge, actorOf, consultStore, escalationTick, firingDone, onMessage, onReaction, openConsult, type Firing } from "../../src/consult/lifecycle.ts";
import { parseConsultArguments } from "../../src/consult/tags.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { bodyOf, MINUTE, MONDAY_0900, ROOMS, said, shape, smallProvince, uid, world, type World } from "./consult-support.ts";

const NORTH = ROOMS.get("district:north")!;
const EXPERTS = ROOMS.get("experts")!;

/** Runs the escalation tick as the runtime does: send, then mark each firing done. */
function tick(w: World): Firing[] {
  const firings = escalationTick(w);
  for (const firing of firings) firingDone(w, firing);
  return firings;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "consult-"));
  dirs.push(dir);
  return join(dir, "bot.sqlite");
}

describe("opening a consult", () => {
  it("by tag: the card rings the on-call expert in a thread on the request, then the case template", () => {
    const w = world();
    const ctx = said(w, "doctor-n3", "district:north", "#emergency bleeding after delivery, BP 90/60, pulse 120");
    const out = onMessage(ctx);
    expect(out.map(shape)).toEqual([
      { room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] }, thread: ctx.event.eventId },
      { room: NORTH, msgtype: "m.notice", thread: ctx.event.eventId },
    ]);
    expect(bodyOf(out[0])).toBe(
      [
        "Consult TL-0001: emergency, obstetrics",
        "Paged: Test Obstetrician",
        "If no expert answers by 09:05 (in 5 min), the backup expert is paged.",
        "Experts: reply to this message or to the request, react ✅, or send !ack TL-0001.",
      ].join("\n\n"),
    );
    expect(bodyOf(out[1])).toBe(
      [
        "To help the expert, please add:",
        ["• Age", "• Gravida and para (pregnancies, births)", "• Weeks of pregnancy, or the baby's age", "• Temperature", "• What has been done so far", "• Transport available"].join("\n"),
        "Do not write the patient's name, phone number or ID number.",
      ].join("\n\n"),
    );
    const consult = consultStore(w).get("TL-0001");
    expect(consult).toMatchObject({
      requestEventId: ctx.event.eventId,
      roomId: NORTH,
      districtId: "north",
      facilityId: "north-ph",
      requester: uid("doctor-n3"),
      priority: "emergency",
      specialty: "obstetrics",
      openedBy: "tag",
      openedAt: MONDAY_0900,
      escalationStep: -1,
      status: "open",
    });
    expect(
      consultStore(w)
        .pages("TL-0001")
        .map((p) => [p.cause, p.userId]),
    ).toEqual([["run:0", uid("obstetrician")]]);
  });

  it("by Lao tag, answering in the health worker's language and guessing the specialty", () => {
    const province: Province = { ...smallProvince(), tags: { emergency: ["#emergency", "#ສຸກເສີນ"], urgent: ["#urgent", "#ດ່ວນ"], routine: ["#routine", "#ທົ່ວໄປ"] } };
    const w = world(province);
    const out = onMessage(said(w, "nurse-n1", "district:north", "#ດ່ວນ ເດັກເກີດໃໝ່ ຫາຍໃຈຍາກ"));
    expect(consultStore(w).get("TL-0001")).toMatchObject({ priority: "urgent", specialty: "paediatrics", facilityId: "north-hc1" });
    expect(out[0]).toMatchObject({ msgtype: "m.text", mentions: { user_ids: [uid("paediatrician")] } });
    expect(bodyOf(out[0])).toContain("ການປຶກສາ TL-0001: ດ່ວນ, ກຸມານເວດ");
    expect(bodyOf(out[0])).toContain("09:20");
  });

  it("by command, with the priority and specialty from its words", () => {
    const w = world();
    const ctx = said(w, "doctor-n3", "district:north", "!consult routine paediatrics baby 3 days old, jaundice, temp 37, feeding well");
    const args = parseConsultArguments(w.province, "routine paediatrics baby 3 days old, jaundice, temp 37, feeding well");
    const out = openConsult(ctx, actorOf(ctx), ctx.event.body, { priority: args.priority, specialty: args.specialty, openedBy: "command" });
    expect(consultStore(w).get("TL-0001")).toMatchObject({ priority: "routine", specialty: "paediatrics", openedBy: "command" });
    expect(bodyOf(out[0])).toContain("If no expert answers by 13:00 (in 4 h 0 min), the backup expert is paged.");
  });

  it("handles the same event twice as one consult, with the same messages", () => {
    const w = world();
    const ctx = said(w, "doctor-n3", "district:north", "#urgent headache 34 weeks");
    const first = onMessage(ctx);
    w.clock.advance(3 * MINUTE);
    const again = onMessage(ctx);
    expect(again).toEqual(first);
    expect(consultStore(w).openConsults()).toHaveLength(1);
    expect(consultStore(w).get("TL-0001")?.openedAt).toBe(MONDAY_0900);
  });

  it("opens nothing for untagged messages, tags outside district rooms, or tags from experts", () => {
    const w = world();
    expect(onMessage(said(w, "doctor-n3", "district:north", "good morning"))).toEqual([]);
    expect(onMessage(said(w, "coordinator", "experts", "#emergency drill tomorrow"))).toEqual([]);
    expect(onMessage(said(w, "obstetrician", "district:north", "remember to tag #emergency for PPH"))).toEqual([]);
    expect(consultStore(w).openConsults()).toEqual([]);
  });

  it("refuses a consult command outside a district room", () => {
    const w = world();
    const ctx = said(w, "coordinator", "experts", "!consult emergency test");
    const out = openConsult(ctx, actorOf(ctx), ctx.event.body, { priority: "emergency", specialty: "obstetrics", openedBy: "command" });
    expect(out.map(shape)).toEqual([{ room: EXPERTS, msgtype: "m.notice", replyTo: ctx.event.eventId }]);
    expect(bodyOf(out[0])).toBe("Consults are opened in a district consult room, where the experts can see them.");
  });

  it("asks for nothing when the request already has the essentials, and never repeats clinical text", () => {
    const w = world();
    const text = "#emergency 28 yo G3P2 39 weeks, PPH, BP 90/60 pulse 120 temp 37.2, oxytocin given, ambulance coming";
    const out = onMessage(said(w, "doctor-n3", "district:north", text));
    expect(out).toHaveLength(1);
    expect(bodyOf(out[0])).not.toMatch(/PPH|oxytocin|G3P2|90\/60/u);
  });
});

describe("the escalation ladder", () => {
  it("climbs the emergency ladder to its last step, each step ringing exactly whom it should", () => {
    const w = world();
    const request = said(w, "doctor-n3", "district:north", "#emergency bleeding heavily after delivery");
    onMessage(request);
    const thread = request.event.eventId;

    w.clock.set(MONDAY_0900 + 5 * MINUTE - 1);
    expect(tick(w)).toEqual([]);

    w.clock.set(MONDAY_0900 + 5 * MINUTE);
    const five = tick(w);
    expect(five.map((f) => [f.key, f.action])).toEqual([
      ["TL-0001:0:0", "page_backup"],
      ["TL-0001:0:1", "post_experts_room"],
    ]);
    expect(five.flatMap((f) => f.outgoing.map(shape))).toEqual([
      { room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("obstetrician")] }, thread },
      { room: EXPERTS, msgtype: "m.notice" },
    ]);
    expect(bodyOf(five[0]!.outgoing[0])).toBe("Test Obstetrician: no expert has answered TL-0001 for 5 min. You are the backup expert: please answer now.");
    expect(bodyOf(five[1]!.outgoing[0])).toBe("TL-0001 (emergency, obstetrics, North) has had no expert answer for 5 min. Please answer in the North room.");
    expect(tick(w)).toEqual([]);

    w.clock.set(MONDAY_0900 + 10 * MINUTE);
    const ten = tick(w);
    expect(ten.map((f) => f.action)).toEqual(["page_all_experts", "alert_coordinator"]);
    expect(ten.flatMap((f) => f.outgoing.map(shape))).toEqual([
      { room: EXPERTS, msgtype: "m.text", mentions: { room: true } },
      { room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("coordinator")] }, thread },
    ]);
    expect(bodyOf(ten[0]!.outgoing[0])).toMatch(/^@room TL-0001 \(emergency, obstetrics, North\) has had no expert answer for 10 min/u);

    w.clock.set(MONDAY_0900 + 15 * MINUTE);
    const fifteen = tick(w);
    expect(fifteen.map((f) => f.action)).toEqual(["advise_phone_and_referral"]);
    expect(fifteen[0]!.outgoing.map(shape)).toEqual([{ room: NORTH, msgtype: "m.text", mentions: { user_ids: [uid("doctor-n3")] }, thread }]);
    expect(bodyOf(fifteen[0]!.outgoing[0])).toBe(
      "Test Assistant Doctor N3: no expert has answered TL-0001 for 15 min. Phone the hospital now: +856 84 000 900.\n\nPrepare referral: transport, and someone to go with the patient.",
    );

    w.clock.set(MONDAY_0900 + 24 * 60 * MINUTE);
    expect(tick(w)).toEqual([]);
    expect(consultStore(w).get("TL-0001")?.escalationStep).toBe(4);
    expect(
      consultStore(w)
        .firedSteps("TL-0001")
        .map((s) => [s.stepIndex, s.dueAt - MONDAY_0900, s.status]),
    ).toEqual([
      [0, 5 * MINUTE, "done"],
      [1, 5 * MINUTE, "done"],
      [2, 10 * MINUTE, "done"],
      [3, 10 * MINUTE, "done"],
      [4, 15 * MINUTE, "done"],
    ]);
    // Who was paged when: the opening, the backup, all experts, the coordinator, the health worker.
    expect(
      consultStore(w)
        .pages("TL-0001")
        .map((p) => [p.cause, p.userId, (p.at - MONDAY_0900) / MINUTE]),
    ).toEqual([
      ["run:0", uid("obstetrician"), 0],
      ["step:0:0", uid("obstetrician"), 5],
      ["step:0:2", uid("obstetrician"), 10],
      ["step:0:2", uid("paediatrician"), 10],
      ["step:0:3", uid("coordinator"), 10],
      ["step:0:4", uid("doctor-n3"), 15],
    ]);
    // Nothing the health worker wrote left the request.
    for (const firing of [...five, ...ten, ...fifteen]) for (const o of firing.outgoing) expect(bodyOf(o)).not.toMatch(/bleeding|delivery/u);
  });

  it("speaks to the health worker in their language, and to the person a page is for in theirs", () => {
    const w = world();
    const out = onMessage(said(w, "nurse-n1", "district:north", "#emergency ເລືອດອອກຫຼາຍ"));
    expect(bodyOf(out[0])).toMatch(/^ການປຶກສາ TL-0001: ສຸກເສີນ, ສູຕິກຳ/u);
    w.clock.set(MONDAY_0900 + 15 * MINUTE);
    const bodies = tick(w).map((f) => bodyOf(f.outgoing[0]));
    // The obstetrician and the coordinator read English; the nurse reads Lao.
    expect(bodies[0]).toBe("Test Obstetrician: no expert has answered TL-0001 for 5 min. You are the backup expert: please answer now.");
    expect(bodies[3]).toBe("Test Coordinator: TL-0001 has had no expert answer for 10 min. Please find an expert.");
    expect(bodies[4]).toMatch(/^Test Nurse N1: ບໍ່ມີແພດຊ່ຽວຊານຕອບ TL-0001 ມາ 15 ນາທີ ແລ້ວ/u);
  });

  it("after a restart, fires the steps that fell due while the bot was down once, at once, in order", () => {
    const path = tempDb();
    const before = world(smallProvince(), path);
    onMessage(said(before, "doctor-n3", "district:north", "#emergency bleeding"));
    before.store.close();

    // The bot was down from 09:00 to 09:12; new objects over the same file.
    const after = world(smallProvince(), path, new ManualClock(MONDAY_0900 + 12 * MINUTE));
    const caughtUp = tick(after);
    expect(caughtUp.map((f) => f.key)).toEqual(["TL-0001:0:0", "TL-0001:0:1", "TL-0001:0:2", "TL-0001:0:3"]);
    // Late steps still say how long the request had waited when they fell due.
    expect(bodyOf(caughtUp[0]!.outgoing[0])).toContain("for 5 min");
    expect(tick(after)).toEqual([]);
    after.clock.set(MONDAY_0900 + 15 * MINUTE);
    expect(tick(after).map((f) => f.key)).toEqual(["TL-0001:0:4"]);
  });

  it("sends again, under the same keys, a step claimed before a crash but never confirmed sent", () => {
    const path = tempDb();
    const before = world(smallProvince(), path);
    onMessage(said(before, "doctor-n3", "district:north", "#emergency bleeding"));
    before.clock.set(MONDAY_0900 + 5 * MINUTE);
    const claimed = escalationTick(before);
    expect(claimed.map((f) => f.key)).toEqual(["TL-0001:0:0", "TL-0001:0:1"]);
    // Crash before firingDone.
    before.store.close();

    const after = world(smallProvince(), path, new ManualClock(MONDAY_0900 + 6 * MINUTE));
    const again = escalationTick(after);
    expect(again).toEqual(claimed);
    for (const firing of again) firingDone(after, firing);
    expect(escalationTick(after)).toEqual([]);
  });

  it("does not send a step claimed before a crash if the consult was answered meanwhile", () => {
    const w = world();
    const request = said(w, "doctor-n3", "district:north", "#emergency bleeding");
    onMessage(request);
    w.clock.set(MONDAY_0900 + 5 * MINUTE);
    expect(escalationTick(w)).toHaveLength(2);
    onMessage(said(w, "obstetrician", "district:north", "on my way", { threadRootId: request.event.eventId }));
    expect(escalationTick(w)).toEqual([]);
    expect(consultStore(w).unfinishedSteps()).toEqual([]);
  });
});

describe("acknowledgement", () => {
  function opened(w: World) {
    const request = said(w, "doctor-n3", "district:north", "#emergency bleeding");
    onMessage(request);
    return request.event.eventId;
  }

  it("by a reply in the thread: records the first response time, stops the ladder, tells the thread", () => {
    const w = world();
    const thread = opened(w);
    w.clock.set(MONDAY_0900 + 4 * MINUTE);
    const out = onMessage(said(w, "obstetrician", "district:north", "Give oxytocin 10 IU IM now", { threadRootId: thread }));
    expect(out.map(shape)).toEqual([{ room: NORTH, msgtype: "m.notice", thread }]);
    expect(bodyOf(out[0])).toBe("Test Obstetrician is answering TL-0001, 4 min after it was asked. Paging has stopped.");
    expect(consultStore(w).get("TL-0001")).toMatchObject({ firstResponseAt: MONDAY_0900 + 4 * MINUTE, firstResponder: uid("obstetrician") });
    w.clock.set(MONDAY_0900 + 60 * MINUTE);
    expect(tick(w)).toEqual([]);
    // Talking on in the thread is not a new answer.
    expect(onMessage(said(w, "obstetrician", "district:north", "how is she now?", { threadRootId: thread }))).toEqual([]);
  });

  it("by a plain reply anywhere in a chain of plain replies (threads off, as in Element X)", () => {
    const w = world();
    const request = opened(w);
    // The health worker adds details as a plain reply to her request; the expert answers that reply.
    const details = said(w, "doctor-n3", "district:north", "BP 80/50 now", { inReplyTo: request });
    expect(onMessage(details)).toEqual([]);
    w.clock.set(MONDAY_0900 + 3 * MINUTE);
    const out = onMessage(said(w, "obstetrician", "district:north", "Start IV fluids", { inReplyTo: details.event.eventId }));
    expect(bodyOf(out[0])).toBe("Test Obstetrician is answering TL-0001, 3 min after it was asked. Paging has stopped.");
    expect(consultStore(w).acknowledgements("TL-0001")).toMatchObject([{ userId: uid("obstetrician"), via: "reply" }]);
    // A reply to a message outside any consult stays outside.
    const other = said(w, "doctor-n3", "district:north", "training tomorrow?");
    onMessage(other);
    expect(onMessage(said(w, "obstetrician", "district:north", "yes", { inReplyTo: other.event.eventId }))).toEqual([]);
    expect(consultStore(w).byEvent(other.event.eventId)).toBeUndefined();
  });

  it("by a reply after the ladder started: later steps do not fire", () => {
    const w = world();
    const thread = opened(w);
    w.clock.set(MONDAY_0900 + 5 * MINUTE);
    expect(tick(w)).toHaveLength(2);
    w.clock.set(MONDAY_0900 + 7 * MINUTE);
    onMessage(said(w, "paediatrician", "district:north", "I can help", { threadRootId: thread }));
    w.clock.set(MONDAY_0900 + 30 * MINUTE);
    expect(tick(w)).toEqual([]);
    expect(consultStore(w).get("TL-0001")).toMatchObject({ escalationStep: 1, firstResponder: uid("paediatrician"), firstResponseAt: MONDAY_0900 + 7 * MINUTE });
  });

  it("by a ✅ reaction from an expert on the request or on the bot's card; not from a health worker", () => {
    const w = world();
    const thread = opened(w);
    const reaction = { roomId: NORTH, key: "✅", relatesTo: thread };
    expect(onReaction(w, { ...reaction, eventId: "$r1", sender: uid("doctor-n3") })).toEqual([]);
    expect(onReaction(w, { ...reaction, eventId: "$r2", sender: uid("obstetrician"), key: "👍" })).toEqual([]);
    w.clock.advance(2 * MINUTE);
    const out = onReaction(w, { ...reaction, eventId: "$r3", sender: uid("obstetrician"), key: "✅\uFE0F" });
    expect(bodyOf(out[0])).toBe("Test Obstetrician is answering TL-0001, 2 min after it was asked. Paging has stopped.");
    expect(consultStore(w).acknowledgements("TL-0001")).toEqual([{ caseId: "TL-0001", userId: uid("obstetrician"), via: "reaction", eventId: "$r3", at: MONDAY_0900 + 2 * MINUTE }]);

    consultStore(w).linkEvent("TL-0001", "$card");
    w.clock.advance(MINUTE);
    expect(onReaction(w, { ...reaction, relatesTo: "$card", eventId: "$r4", sender: uid("paediatrician") })).toEqual([]);
    expect(
      consultStore(w)
        .acknowledgements("TL-0001")
        .map((a) => [a.userId, a.via]),
    ).toEqual([
      [uid("obstetrician"), "reaction"],
      [uid("paediatrician"), "reaction"],
    ]);
    // The same reaction handled again repeats the same answer.
    expect(onReaction(w, { ...reaction, eventId: "$r3", sender: uid("obstetrician"), key: "✅" })).toEqual(out);
  });

  it("by command, from any room: the thread is told and the command gets a ✅", () => {
    const w = world();
    const thread = opened(w);
    w.clock.advance(3 * MINUTE);
    const ctx = said(w, "obstetrician", "experts", "!ack tl-0001");
    const out = acknowledge(w, actorOf(ctx), "tl-0001", "command");
    expect(out.map(shape)).toEqual([
      { room: NORTH, msgtype: "m.notice", thread },
      { reaction: "✅", on: ctx.event.eventId, room: EXPERTS },
    ]);
    expect(consultStore(w).get("TL-0001")?.firstResponseAt).toBe(MONDAY_0900 + 3 * MINUTE);

    // The paediatrician reads Lao.
    const late = said(w, "paediatrician", "experts", "!ack TL-0001");
    expect(bodyOf(acknowledge(w, actorOf(late), "TL-0001", "command")[0])).toBe("TL-0001 ມີ Test Obstetrician ກຳລັງຕອບແລ້ວ (ແຕ່ 09:03). ຄຳຕອບຂອງທ່ານກໍຖືກບັນທຶກໄວ້ຄືກັນ.");
    const twice = said(w, "obstetrician", "experts", "!ack TL-0001");
    expect(bodyOf(acknowledge(w, actorOf(twice), "TL-0001", "command")[0])).toBe("You have already answered TL-0001.");
    const unknown = said(w, "obstetrician", "experts", "!ack TL-0099");
    expect(bodyOf(acknowledge(w, actorOf(unknown), "TL-0099", "command")[0])).toBe("I do not know the consult TL-0099.");
  });

  it("a coordinator's !ack counts, a health worker's is refused", () => {
    const w = world();
    opened(w);
    const nurse = said(w, "doctor-n3", "district:north", "!ack TL-0001");
    expect(bodyOf(acknowledge(w, actorOf(nurse), "TL-0001", "command")[0])).toBe("Only experts and coordinators acknowledge consults.");
    const coordinator = said(w, "coordinator", "district:north", "!ack TL-0001");
    acknowledge(w, actorOf(coordinator), "TL-0001", "command");
    expect(consultStore(w).get("TL-0001")?.firstResponder).toBe(uid("coordinator"));
  });
});
