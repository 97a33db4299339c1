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

  it("brings an existing district room's rotation up to date, and never swaps an algorithm", () => {
    const observed: Observed = { users: new Map(), rooms: new Map(), ratelimitExempt: new Set() };
    const room = (content: Record<string, unknown>) =>
      ({ roomId: "!north:x", state: new Map([[stateKey("m.room.encryption", ""), content]]), members: new Map(), federate: false, pinned: [], pinnedRules: [] }) as never;
    const encryptionChanges = () => plan(desired, observed).changes.filter((c) => c.kind === "set_state" && c.room.key === "district:north" && c.event.type === "m.room.encryption");
    observed.rooms.set("district:north", room({ algorithm: "m.megolm.v1.aes-sha2" }));
    expect(encryptionChanges().map((c) => (c as { event: { content: unknown } }).event.content)).toEqual([DISTRICT_ENCRYPTION]);
    observed.rooms.set("district:north", room({ ...DISTRICT_ENCRYPTION }));
    expect(encryptionChanges()).toEqual([]);
    observed.rooms.set("district:north", room({ algorithm: "m.megolm.v2.future" }));
    expect(encryptionChanges()).toEqual([]);
  });
});
