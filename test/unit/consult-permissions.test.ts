// The permission table, and each operation checked against it case by case.
import { describe, expect, it } from "vitest";
import type { Outgoing } from "../../src/messaging/types.ts";
import { t } from "../../src/i18n/index.ts";
import { acknowledge, actorOf, close, escalate, onMessage, openConsult, openList, refer, reopen } from "../../src/consult/lifecycle.ts";
import { setOnCall } from "../../src/consult/oncall.ts";
import { CONSULT_ACTIONS, PERMISSIONS, permitted, rolesFor, type ConsultAction } from "../../src/consult/permissions.ts";
import { bodyOf, said, uid, world, type World } from "./consult-support.ts";

describe("the permission table", () => {
  it("is the one the issue asks for", () => {
    expect(PERMISSIONS).toEqual({
      provider: { open: "yes", acknowledge: "no", escalate: "own", refer: "no", close: "own", reopen: "own", list: "yes", rota: "no" },
      expert: { open: "no", acknowledge: "yes", escalate: "no", refer: "yes", close: "yes", reopen: "yes", list: "yes", rota: "no" },
      coordinator: { open: "yes", acknowledge: "yes", escalate: "yes", refer: "yes", close: "yes", reopen: "yes", list: "yes", rota: "yes" },
      admin: { open: "no", acknowledge: "no", escalate: "no", refer: "no", close: "no", reopen: "no", list: "no", rota: "no" },
    });
    expect(permitted("provider", "close", true)).toBe(true);
    expect(permitted("provider", "close", false)).toBe(false);
    expect(rolesFor("escalate")).toEqual(["provider", "coordinator"]);
    expect(rolesFor("rota")).toEqual(["coordinator"]);
  });

  /** Runs `action` as `who` on TL-0001 (opened by doctor-n3; closed first for reopen). */
  function attempt(w: World, who: string, action: ConsultAction): Outgoing[] {
    const room = who === "coordinator" || who === "obstetrician" ? "experts" : "district:north";
    const ctx = said(w, who, action === "open" ? "district:north" : room, `!${action}`);
    const actor = actorOf(ctx);
    switch (action) {
      case "open":
        return openConsult(w, actor, ctx.event.body, { priority: "urgent", specialty: "obstetrics", openedBy: "command" });
      case "acknowledge":
        return acknowledge(w, actor, "TL-0001", "command");
      case "escalate":
        return escalate(w, actor, "TL-0001");
      case "refer":
        return refer(w, actor, "TL-0001", "north-ph");
      case "close":
        return close(w, actor, "TL-0001", "other");
      case "reopen":
        close(w, actorOf(said(w, "coordinator", "experts", "!close TL-0001 other")), "TL-0001", "other");
        return reopen(w, actor, "TL-0001");
      case "list":
        return openList(w, actor);
      case "rota":
        return setOnCall(w, actor, { specialty: "obstetrics", slot: "expert", userId: uid("obstetrician") });
    }
  }

  const people = [
    { who: "doctor-n3", as: "provider who asked", role: "provider", own: true },
    { who: "nurse-n1", as: "another provider", role: "provider", own: false },
    { who: "obstetrician", as: "expert", role: "expert", own: false },
    { who: "coordinator", as: "coordinator", role: "coordinator", own: false },
    { who: "admin", as: "admin", role: "admin", own: false },
  ] as const;

  for (const person of people) {
    for (const action of CONSULT_ACTIONS) {
      const allowed = permitted(person.role, action, person.own);
      it(`${person.as}: ${action} is ${allowed ? "allowed" : "refused"}`, () => {
        const w = world();
        onMessage(said(w, "doctor-n3", "district:north", "#urgent headache"));
        const sender = w.senderOf(uid(person.who))!;
        const refusal = t(sender.language, `consult.refused.${action}`);
        const out = attempt(w, person.who, action);
        const refused = out.length === 1 && out[0]?.kind === "message" && bodyOf(out[0]) === refusal;
        expect(refused).toBe(!allowed);
      });
    }
  }
});
