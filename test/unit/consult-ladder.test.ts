import { describe, expect, it } from "vitest";
import { dueSteps, ladderFor, nextStep, nextStepAt, type LadderState } from "../../src/consult/ladder.ts";
import { MINUTE, smallProvince } from "./consult-support.ts";

const province = smallProvince();
const emergency = ladderFor(province, "emergency");
const state = (fired: number[] = [], stopped = false): LadderState => ({ steps: emergency, startedAt: 0, fired: new Set(fired), stopped });

describe("the escalation ladder (pure)", () => {
  it("reads the config's ladder in milliseconds, indexed", () => {
    expect(emergency).toEqual([
      { index: 0, after: 5 * MINUTE, action: "page_backup" },
      { index: 1, after: 5 * MINUTE, action: "post_experts_room" },
      { index: 2, after: 10 * MINUTE, action: "page_all_experts" },
      { index: 3, after: 10 * MINUTE, action: "alert_coordinator" },
      { index: 4, after: 15 * MINUTE, action: "advise_phone_and_referral" },
    ]);
    expect(ladderFor(province, "routine")[4]).toEqual({ index: 4, after: 24 * 60 * MINUTE, action: "advise_phone_and_referral" });
  });

  it("has nothing due before the first step, then the steps of each moment", () => {
    expect(dueSteps(state(), 5 * MINUTE - 1)).toEqual([]);
    expect(dueSteps(state(), 5 * MINUTE).map((s) => s.index)).toEqual([0, 1]);
    expect(dueSteps(state([0, 1]), 10 * MINUTE).map((s) => s.index)).toEqual([2, 3]);
  });

  it("fires steps that fell due while the bot was down at once, in order, and only those not fired", () => {
    expect(dueSteps(state(), 60 * MINUTE).map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    expect(dueSteps(state([0, 1]), 60 * MINUTE).map((s) => s.index)).toEqual([2, 3, 4]);
    expect(dueSteps(state([0, 1, 2, 3, 4]), 60 * MINUTE)).toEqual([]);
  });

  it("stops once answered or closed", () => {
    expect(dueSteps(state([], true), 60 * MINUTE)).toEqual([]);
    expect(nextStepAt(state([], true))).toBeUndefined();
  });

  it("says when the next step falls due, measured from the ladder's start", () => {
    expect(nextStep(state())).toEqual({ step: emergency[0], at: 5 * MINUTE });
    expect(nextStepAt({ ...state([0, 1]), startedAt: 1000 })).toBe(1000 + 10 * MINUTE);
    expect(nextStepAt(state([0, 1, 2, 3, 4]))).toBeUndefined();
  });
});
