// District rooms are created with their room-key rotation settings; other rooms keep
// the clients' defaults; an existing room's encryption event is never rewritten.
import { describe, expect, it } from "vitest";
import { loadProvince } from "../../src/config/load.ts";
import { DISTRICT_ENCRYPTION, desiredState, desiredStateEvents } from "../../src/provision/desired.ts";
import { stateKey, type Observed } from "../../src/provision/observe.ts";
import { plan } from "../../src/provision/plan.ts";
import { SMALL_PROVINCE } from "../support/province.ts";

const loaded = loadProvince(SMALL_PROVINCE);
if (!loaded.ok) throw new Error("fixture does not load");
const desired = desiredState(loaded.province);
const encryptionOf = (key: string) => desiredStateEvents(desired, desired.rooms.find((r) => r.key === key)!, new Map()).find((e) => e.type === "m.room.encryption")!.content;

describe("room-key rotation", () => {
  it("sets a week and 500 messages in district rooms, and nothing extra elsewhere", () => {
    expect(encryptionOf("district:north")).toEqual({ algorithm: "m.megolm.v1.aes-sha2", rotation_period_ms: 604_800_000, rotation_period_msgs: 500 });
    expect(encryptionOf("district:north")).toBe(DISTRICT_ENCRYPTION);
    for (const key of ["experts", "announcements", "training", "space"]) expect(encryptionOf(key)).toEqual({ algorithm: "m.megolm.v1.aes-sha2" });
  });

  it("creates a new district room with them, and leaves an existing room's encryption alone", () => {
    const fresh = plan(desired, { users: new Map(), rooms: new Map(), ratelimitExempt: new Set() });
    expect(fresh.changes.some((c) => c.kind === "create_room" && c.room.key === "district:north")).toBe(true);
    const observed: Observed = { users: new Map(), rooms: new Map(), ratelimitExempt: new Set() };
    observed.rooms.set("district:north", {
      roomId: "!north:x",
      state: new Map([[stateKey("m.room.encryption", ""), { algorithm: "m.megolm.v1.aes-sha2" }]]),
      members: new Map(),
      federate: false,
      pinned: [],
      pinnedRules: [],
    } as never);
    const again = plan(desired, observed);
    expect(again.changes.some((c) => c.kind === "set_state" && c.room.key === "district:north" && c.event.type === "m.room.encryption")).toBe(false);
  });
});
