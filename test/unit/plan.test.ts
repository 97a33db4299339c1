// The planner as pure logic: desired state from the config, observed state made by hand.
import { describe, expect, it } from "vitest";
import { loadProvince } from "../../src/config/load.ts";
import { desiredState, desiredStateEvents, type Desired } from "../../src/provision/desired.ts";
import { stateKey, type Observed, type ObservedRoom } from "../../src/provision/observe.ts";
import { plan } from "../../src/provision/plan.ts";
import { SMALL_PROVINCE } from "../support/province.ts";

const loaded = loadProvince(SMALL_PROVINCE);
if (!loaded.ok) throw new Error("fixture does not load");
const desired = desiredState(loaded.province);

const empty = (): Observed => ({ users: new Map(), rooms: new Map(), ratelimitExempt: new Set() });

/** What the server would hold after a perfect apply. */
function converged(d: Desired): Observed {
  const o = empty();
  for (const u of d.users) o.users.set(u.userId, { userId: u.userId, displayName: u.displayName, deactivated: false, admin: u.admin });
  o.ratelimitExempt = new Set([d.adminUserId, d.botUserId]);
  const ids = new Map(d.rooms.map((r, i) => [r.key, `!room${i}:x`]));
  for (const r of d.rooms) {
    const room: ObservedRoom = { roomId: ids.get(r.key)!, state: new Map(), members: new Map(), federate: r.federate, pinnedRulesVersion: r.rules?.version, pinned: [], pinnedRules: [] };
    for (const e of desiredStateEvents(d, r, ids)) room.state.set(stateKey(e.type, e.stateKey), structuredClone(e.content));
    for (const m of r.members) room.members.set(m, "join");
    room.members.set(d.adminUserId, "join");
    o.rooms.set(r.key, room);
  }
  return o;
}

const kinds = (changes: { kind: string }[]) => changes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }), {});

describe("plan", () => {
  it("from an empty server: every account, room, membership and pin", () => {
    const p = plan(desired, empty());
    const members = desired.rooms.reduce((n, r) => n + r.members.length, 0);
    expect(kinds(p.changes)).toEqual({
      create_user: desired.users.length,
      exempt_ratelimit: 2,
      create_room: desired.rooms.length,
      join: members,
      pin_rules: desired.rooms.filter((r) => r.rules).length,
    });
    expect(p.warnings).toEqual([]);
  });

  it("says nothing when the server matches", () => {
    expect(plan(desired, converged(desired))).toEqual({ changes: [], notInConfig: [], warnings: [] });
  });

  it("fixes drift: a display name, a topic, a power level, a member who left", () => {
    const o = converged(desired);
    const nurse = desired.users.find((u) => u.localpart === "nurse-n1")!;
    o.users.get(nurse.userId)!.displayName = "Someone Else";
    const north = o.rooms.get("district:north")!;
    north.state.set(stateKey("m.room.topic", ""), { topic: "patient Mrs X bleeding" });
    north.members.set(nurse.userId, "leave");
    const pl = north.state.get(stateKey("m.room.power_levels", ""))!;
    (pl.users as Record<string, number>)[nurse.userId] = 100;
    const p = plan(desired, o);
    expect(p.changes.map((c) => c.kind).sort()).toEqual(["join", "set_state", "set_state", "update_user"]);
    const topic = p.changes.find((c) => c.kind === "set_state" && c.event.type === "m.room.topic");
    expect(topic && topic.kind === "set_state" && topic.event.content).toEqual({ topic: desired.rooms.find((r) => r.key === "district:north")!.topic });
  });

  it("reports strangers in the rooms, and removes and deactivates them only with prune", () => {
    const o = converged(desired);
    const stranger = `@old-nurse:${desired.serverName}`;
    o.users.set(stranger, { userId: stranger, displayName: "Old", deactivated: false, admin: false });
    o.rooms.get("space")!.members.set(stranger, "join");
    o.rooms.get("district:south")!.members.set(stranger, "join");
    const report = plan(desired, o);
    expect(report.notInConfig).toEqual([stranger]);
    expect(report.changes).toEqual([]);
    const pruned = plan(desired, o, { prune: true });
    expect(kinds(pruned.changes)).toEqual({ remove_member: 2, deactivate_user: 1 });
  });

  it("warns about someone on another server who is not in the config, and removes them only with prune", () => {
    const o = converged(desired);
    const former = "@former.partner:partner.example";
    o.rooms.get("experts")!.members.set(former, "join");
    const p = plan(desired, o);
    expect(p.changes).toEqual([]);
    expect(p.notInConfig).toEqual([]); // not an account here: nothing to deactivate
    expect(p.warnings).toEqual([expect.stringMatching(new RegExp(`^${former}, on another server, is in #testland-experts`))]);
    const pruned = plan(desired, o, { prune: true });
    expect(pruned.changes).toEqual([expect.objectContaining({ kind: "remove_member", userId: former, reason: "not_in_config" })]);
    expect(pruned.warnings).toEqual([]);
  });

  it("warns instead of acting where Matrix cannot change things", () => {
    const o = converged(desired);
    o.rooms.get("experts")!.federate = true;
    const nurse = desired.users.find((u) => u.localpart === "nurse-n1")!;
    o.rooms.get("district:north")!.members.set(nurse.userId, "ban");
    const p = plan(desired, o);
    expect(p.changes).toEqual([]);
    expect(p.warnings).toHaveLength(2);
    expect(p.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/created with federation on/), expect.stringMatching(/is banned from/)]));
  });

  it("never replaces an existing encryption setting", () => {
    const o = converged(desired);
    o.rooms.get("training")!.state.set(stateKey("m.room.encryption", ""), { algorithm: "m.megolm.v1.aes-sha2", rotation_period_ms: 1 });
    expect(plan(desired, o).changes).toEqual([]);
  });
});
