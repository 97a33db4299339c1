// The consult commands as the dispatcher runs them: declared arguments reach the lifecycle.
import { describe, expect, it } from "vitest";
import { registry, runCommand } from "../../src/bot/commands.ts";
import { consultStore } from "../../src/consult/lifecycle.ts";
import { bodyOf, said, uid, world, type World } from "./consult-support.ts";

function run(w: World, who: string, room: string, body: string) {
  return runCommand({ ...said(w, who, room, body), guides: [], prefix: w.province.bot.command_prefix, commands: registry });
}

describe("consult commands", () => {
  it("!consult opens a consult with the priority and specialty typed, !ack takes it, !close closes it with a two-word outcome", () => {
    const w = world();
    const opened = run(w, "doctor-n3", "district:north", "!consult emergency paediatrics newborn not breathing");
    expect(opened?.status).toBe("ok");
    expect(consultStore(w).get("TL-0001")).toMatchObject({ priority: "emergency", specialty: "paediatrics", openedBy: "command" });
    expect(opened?.outgoing[0]).toMatchObject({ msgtype: "m.text", mentions: { user_ids: [uid("paediatrician")] } });

    expect(run(w, "paediatrician", "experts", "!ack tl-1")?.status).toBe("ok");
    expect(consultStore(w).get("TL-0001")?.firstResponder).toBe(uid("paediatrician"));

    const closed = run(w, "doctor-n3", "district:north", "!close TL-0001 managed locally");
    expect(bodyOf(closed?.outgoing[0])).toBe("TL-0001 is closed: managed locally. Thank you.");
  });

  it("!escalate, !refer, !reopen and !open pass their arguments through", () => {
    const w = world();
    run(w, "doctor-n3", "district:north", "!consult routine question about iron");
    run(w, "doctor-n3", "district:north", "!escalate 1 emergency she collapsed");
    expect(consultStore(w).get("TL-0001")?.priority).toBe("emergency");
    run(w, "obstetrician", "experts", "!refer TL-0001 North Provincial Hospital (test)");
    expect(consultStore(w).get("TL-0001")?.referredTo).toBe("north-ph");
    run(w, "obstetrician", "experts", "!close TL-0001 referred");
    run(w, "doctor-n3", "district:north", "!reopen TL-0001");
    expect(consultStore(w).get("TL-0001")?.status).toBe("open");
    expect(bodyOf(run(w, "coordinator", "experts", "!open")?.outgoing[0])).toContain("TL-0001: emergency, obstetrics, North");
  });

  it("!oncall shows the rota to anyone and lets only coordinators change it", () => {
    const w = world();
    expect(bodyOf(run(w, "doctor-n3", "district:north", "!oncall")?.outgoing[0])).toContain("Test Obstetrician");
    expect(bodyOf(run(w, "obstetrician", "experts", "!oncall set obstetrics obstetrician for 2h")?.outgoing[0])).toBe("Only coordinators change the on-call rota.");
    expect(bodyOf(run(w, "coordinator", "experts", "!oncall set obstetrics obstetrician backup for 2h")?.outgoing[0])).toBe("Test Obstetrician is the backup for obstetrics until 2026-03-02 11:00.");
    expect(bodyOf(run(w, "coordinator", "experts", "!oncall set obstetrics paediatrician")?.outgoing[0])).toBe("paediatrician is not an expert in obstetrics.");
    expect(bodyOf(run(w, "coordinator", "experts", "!oncall clear obstetrics")?.outgoing[0])).toBe("The on-call rota for obstetrics is back to the planned one.");
  });
});
