// !oncall: the rota now, and a coordinator's changes, kept across restarts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Province } from "../../src/config/schema.ts";
import { actorOf, onMessage } from "../../src/consult/lifecycle.ts";
import { zonedInstant } from "../../src/consult/local-time.ts";
import { clearOnCall, onCallList, parseOnCallChange, setOnCall } from "../../src/consult/oncall.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { bodyOf, MINUTE, MONDAY_0900, ROOMS, said, shape, smallProvince, uid, world } from "./consult-support.ts";

const EXPERTS = ROOMS.get("experts")!;

function withSecondObstetrician(): Province {
  const base = smallProvince();
  return { ...base, people: [...base.people, { id: "ob-2", name: "Second Obstetrician", role: "expert", specialty: "obstetrics", facility: "north-ph", language: "en" }] };
}

const dir = mkdtempSync(join(tmpdir(), "consult-oncall-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("!oncall", () => {
  it("shows who is on call now, until when, and the backup", () => {
    const w = world();
    const out = onCallList(w, actorOf(said(w, "coordinator", "experts", "!oncall")));
    expect(bodyOf(out[0])).toBe("On call now\n\n• obstetrics: Test Obstetrician until 20:00 (backup: Test Obstetrician)\n• paediatrics: Test Paediatrician until 20:00 (backup: Test Paediatrician)");
  });

  it("reads a coordinator's change: specialty, expert, backup, and for or until", () => {
    const w = world(withSecondObstetrician());
    const parse = (text: string) => parseOnCallChange(w, "en", text);
    expect(parse("obstetrics ob-2")).toEqual({ ok: true, change: { specialty: "obstetrics", slot: "expert", userId: uid("ob-2") } });
    expect(parse("obs @ob-2:mchlink.test for 2h")).toEqual({ ok: true, change: { specialty: "obstetrics", slot: "expert", userId: uid("ob-2"), until: MONDAY_0900 + 120 * MINUTE } });
    // 08:00 has passed today, so it is tomorrow's.
    expect(parse("obstetrics ob-2 backup until 08:00")).toEqual({
      ok: true,
      change: { specialty: "obstetrics", slot: "backup", userId: uid("ob-2"), until: zonedInstant("Asia/Vientiane", "2026-03-03", 8 * 60) },
    });
    expect(parse("obstetrics ob-2 until 2026-03-04")).toMatchObject({ ok: true, change: { until: zonedInstant("Asia/Vientiane", "2026-03-05", 0) } });
    expect(parse("obstetrics paediatrician")).toEqual({ ok: false, message: "paediatrician is not an expert in obstetrics." });
    expect(parse("obstetrics ob-2 whenever")).toEqual({ ok: false, message: "I do not understand “whenever”. Write for 12h, until 08:00 or until 2026-04-16." });
    expect(parse("obstetrics ob-2 until 2020-01-01")).toMatchObject({ ok: false });
    expect(parse("cardiology ob-2")).toMatchObject({ ok: false });
  });

  it("puts someone on call until the planned shift ends, tells them, pages them, and survives a restart", () => {
    const path = join(dir, "bot.sqlite");
    const w = world(withSecondObstetrician(), path);
    const ctx = said(w, "coordinator", "experts", "!oncall set obstetrics ob-2");
    const out = setOnCall(w, actorOf(ctx), { specialty: "obstetrics", slot: "expert", userId: uid("ob-2") });
    expect(out.map(shape)).toEqual([
      { room: EXPERTS, msgtype: "m.notice", replyTo: ctx.event.eventId },
      { room: EXPERTS, msgtype: "m.text", mentions: { user_ids: [uid("ob-2")] } },
    ]);
    expect(bodyOf(out[0])).toBe("Second Obstetrician is on call for obstetrics until 2026-03-02 20:00.");
    expect(bodyOf(out[1])).toBe("Second Obstetrician: you are on call for obstetrics until 2026-03-02 20:00 (set by Test Coordinator).");
    expect(setOnCall(w, actorOf(ctx), { specialty: "obstetrics", slot: "expert", userId: uid("ob-2") })).toEqual(out);
    w.store.close();

    const after = world(withSecondObstetrician(), path, new ManualClock(MONDAY_0900 + 30 * MINUTE));
    expect(bodyOf(onCallList(after, actorOf(said(after, "coordinator", "experts", "!oncall")))[0])).toContain("obstetrics: Second Obstetrician until 20:00 (backup: Test Obstetrician)");
    const opened = onMessage(said(after, "doctor-n3", "district:north", "#emergency bleeding"));
    expect(opened[0]).toMatchObject({ msgtype: "m.text", mentions: { user_ids: [uid("ob-2")] } });

    const clear = clearOnCall(after, actorOf(said(after, "coordinator", "experts", "!oncall clear obstetrics")), "obstetrics");
    expect(bodyOf(clear[0])).toBe("The on-call rota for obstetrics is back to the planned one.");
    expect(bodyOf(onCallList(after, actorOf(said(after, "coordinator", "experts", "!oncall")))[0])).toContain("obstetrics: Test Obstetrician until 20:00");
  });
});
