// When a ladder step cannot be posted in its room (the bot was removed from it), the
// coordinators hear it in the experts' room: which step, which case, whom to reach.
import { describe, expect, it } from "vitest";
import { escalationTick, onMessage, undeliveredStep } from "../../src/consult/lifecycle.ts";
import { bodyOf, MINUTE, MONDAY_0900, ROOMS, said, shape, uid, world } from "./consult-support.ts";

const NORTH = ROOMS.get("district:north")!;
const EXPERTS = ROOMS.get("experts")!;

describe("a ladder step that could not be posted", () => {
  it("is told to the coordinators in the experts' room, naming the step, the case and the health worker", () => {
    const w = world();
    onMessage(said(w, "doctor-n3", "district:north", "#emergency bleeding heavily after delivery"));
    w.clock.set(MONDAY_0900 + 5 * MINUTE);
    const [backup] = escalationTick(w);
    expect(backup?.action).toBe("page_backup");
    const notice = undeliveredStep(w, backup!, [NORTH]);
    expect(notice.map(shape)).toEqual([{ room: EXPERTS, msgtype: "m.text", mentions: { user_ids: [uid("coordinator")] } }]);
    expect(bodyOf(notice[0])).toContain(backup!.caseId);
    expect(bodyOf(notice[0])).toContain("Test Assistant Doctor N3");
  });

  it("says nothing when the room lost is the experts' room itself: there is nowhere else to say it", () => {
    const w = world();
    onMessage(said(w, "doctor-n3", "district:north", "#emergency bleeding heavily after delivery"));
    w.clock.set(MONDAY_0900 + 5 * MINUTE);
    const firings = escalationTick(w);
    const experts = firings.find((f) => f.action === "post_experts_room")!;
    expect(undeliveredStep(w, experts, [EXPERTS])).toEqual([]);
  });
});
