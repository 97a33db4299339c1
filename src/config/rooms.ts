// The province's rooms as a list of kinds, keys and aliases, from the config alone: what
// provisioning creates (src/provision/desired.ts adds names, members and power levels) and
// what the bot finds again by alias at start.
import type { Province } from "./schema.ts";

export const ROOM_KINDS = ["space", "district", "experts", "announcements", "training"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

export interface CatalogueRoom {
  /** Stable key: "space", "experts", "district:paktha" … */
  key: string;
  kind: RoomKind;
  /** For district rooms. */
  districtId?: string;
  /** Alias localpart; the alias is how apply and the bot find the room again. */
  alias: string;
}

/** Space first, then the district rooms in the config's order, then the others. */
export function roomCatalogue(province: Province): CatalogueRoom[] {
  const pid = province.province.id;
  return [
    { key: "space", kind: "space", alias: pid },
    ...province.districts.map((d): CatalogueRoom => ({ key: `district:${d.id}`, kind: "district", districtId: d.id, alias: `${pid}-district-${d.id}` })),
    { key: "experts", kind: "experts", alias: `${pid}-experts` },
    { key: "announcements", kind: "announcements", alias: `${pid}-announcements` },
    { key: "training", kind: "training", alias: `${pid}-training` },
  ];
}
