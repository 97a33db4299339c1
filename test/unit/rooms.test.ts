// The room catalogue the bot finds its rooms by is the one provisioning creates them from.
import { describe, expect, it } from "vitest";
import { roomCatalogue } from "../../src/config/rooms.ts";
import { desiredState } from "../../src/provision/desired.ts";
import { smallProvince } from "../support/command-context.ts";

describe("room catalogue", () => {
  it("names the same rooms, kinds and aliases as the provisioning's desired state, in its order", () => {
    const p = smallProvince();
    const desired = desiredState(p).rooms.map((r) => ({ key: r.key, kind: r.kind, alias: r.alias, ...(r.districtId ? { districtId: r.districtId } : {}) }));
    expect(roomCatalogue(p)).toEqual(desired);
    expect(roomCatalogue(p).map((r) => r.alias)).toEqual(["testland", "testland-district-north", "testland-district-south", "testland-experts", "testland-announcements", "testland-training"]);
  });
});
