// What the homeserver should hold for a province: accounts, rooms, their
// settings, members and power levels. Pure: derived from the config alone.
import { createHash } from "node:crypto";
import { parseDuration } from "../config/duration.ts";
import { districtOfFacility } from "../config/lookup.ts";
import type { Language, Localized, Person, Province } from "../config/schema.ts";
import { ADMIN_LOCALPART } from "../homeserver/deployment.ts";
import { type Block, fill, heading, numbered, render, reply, t } from "../i18n/index.ts";

import { roomCatalogue, type RoomKind } from "../config/rooms.ts";

export { ROOM_KINDS, type RoomKind } from "../config/rooms.ts";

export interface DesiredUser {
  userId: string;
  localpart: string;
  displayName: string;
  /** Synapse server admin (the IT admin person only). */
  admin: boolean;
  /** Undefined for the bot. */
  person?: Person;
}

export interface StateEvent {
  type: string;
  stateKey: string;
  content: Record<string, unknown>;
}

export interface DesiredRoom {
  /** Stable key used in plans: "space", "experts", "district:paktha" … */
  key: string;
  kind: RoomKind;
  /** For district rooms. */
  districtId?: string;
  /** Alias localpart; the alias is how apply finds the room again. */
  alias: string;
  name: string;
  topic: string;
  federate: boolean;
  /** Local and remote members, sorted. */
  members: string[];
  powerLevels: Record<string, unknown>;
  /** Rules pinned in the room (not in the Space, which has no timeline). */
  rules?: PinnedRules;
}

export interface PinnedRules {
  body: string;
  html: string;
  /** Content hash, stored in the event, so apply knows the pinned text is current. */
  version: string;
}

export interface Desired {
  serverName: string;
  adminUserId: string;
  botUserId: string;
  users: DesiredUser[];
  /** Space first, then the rooms in a stable order. */
  rooms: DesiredRoom[];
  retention: { min_lifetime: number; max_lifetime: number };
}

/** Room names and topics are NOT end-to-end encrypted: they come from the config only, never from users. */
export function bilingual(text: Localized, vars: Record<string, string> = {}): string {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (whole, k: string) => vars[k] ?? whole);
  const en = fill(text.en);
  const lo = fill(text.lo);
  return en === lo ? en : `${en} · ${lo}`;
}

function durationMs(d: string): number {
  const ms = parseDuration(d);
  if (ms === undefined) throw new Error(`not a duration: ${d}`); // the loader already rejected these
  return ms;
}

/** The province's rules in one language, numbers filled in: pinned in each room, answered to `!rules`, shown on welcome. */
export function rulesBlocks(province: Province, lang: Language): Block[] {
  const r = province.rules;
  const values = { hospital_phone: r.hospital_phone, ...r.expected_answer_minutes };
  return [heading(t(lang, "rules.title", { province: province.province.name[lang] })), numbered(r.items.map((item, i) => fill(item[lang], values, `rules.items[${i}]`)))];
}

export function renderRules(province: Province): PinnedRules {
  const { body, formatted_body: html } = render(reply(...rulesBlocks(province, "lo"), ...rulesBlocks(province, "en")));
  const version = createHash("sha256").update(body).digest("hex").slice(0, 16);
  return { body, html, version };
}

/** A room's name in one language, as the bot says it; the room itself is named in both. */
export function roomName(province: Province, room: { kind: RoomKind; districtId?: string | undefined }, lang: Language): string {
  const rs = province.rooms;
  if (room.kind !== "district") return rs[room.kind].name[lang];
  const district = province.districts.find((d) => d.id === room.districtId);
  return rs.district.name[lang].replaceAll("{district}", district?.name[lang] ?? room.districtId ?? "");
}

/**
 * Power levels: the admin service account owns the rooms (100); moderators
 * (experts, coordinators) and the bot get 50, enough to pin, notify the room
 * and invite; nobody but the admin can rename a room or change its topic, so
 * patient details can never end up in those unencrypted fields by accident.
 */
function powerLevels(adminId: string, moderators: string[], opts: { eventsDefault: number }): Record<string, unknown> {
  const users: Record<string, number> = { [adminId]: 100 };
  for (const m of moderators) users[m] = 50;
  return {
    users: Object.fromEntries(Object.entries(users).sort(([a], [b]) => a.localeCompare(b))),
    users_default: 0,
    events_default: opts.eventsDefault,
    state_default: 50,
    ban: 50,
    kick: 50,
    redact: 50,
    invite: 50,
    notifications: { room: 50 },
    events: {
      "m.room.name": 100,
      "m.room.topic": 100,
      "m.room.avatar": 100,
      "m.room.power_levels": 100,
      "m.room.history_visibility": 100,
      "m.room.canonical_alias": 100,
      "m.room.encryption": 100,
      "m.room.join_rules": 100,
      "m.room.guest_access": 100,
      "m.room.server_acl": 100,
      "m.room.tombstone": 100,
      "m.room.retention": 100,
      "m.space.child": 100,
      "m.space.parent": 100,
      "m.room.pinned_events": 50,
      "m.reaction": 0,
      "m.room.redaction": 0,
    },
  };
}

export function desiredState(province: Province): Desired {
  const server = province.homeserver.server_name;
  const uid = (localpart: string) => `@${localpart}:${server}`;
  const adminUserId = uid(ADMIN_LOCALPART);
  const botUserId = uid(province.bot.id);

  const users: DesiredUser[] = province.people.map((p) => ({
    userId: uid(p.id),
    localpart: p.id,
    displayName: p.name,
    admin: p.role === "admin",
    person: p,
  }));
  users.push({ userId: botUserId, localpart: province.bot.id, displayName: province.bot.name, admin: false });

  const withRole = (...roles: Person["role"][]) => province.people.filter((p) => roles.includes(p.role)).map((p) => uid(p.id));
  const everyone = province.people.map((p) => uid(p.id));
  const experts = withRole("expert");
  const coordinators = withRole("coordinator");
  const partnerExperts = province.federation.partner_experts.map((e) => e.user_id);
  const sorted = (ids: string[]) => [...new Set(ids)].sort();

  const alias = new Map(roomCatalogue(province).map((r) => [r.key, r.alias]));
  const rules = renderRules(province);
  const rooms: DesiredRoom[] = [];
  const std = { eventsDefault: 0 };
  const rs = province.rooms;

  rooms.push({
    key: "space",
    kind: "space",
    alias: alias.get("space")!,
    name: bilingual(rs.space.name),
    topic: bilingual(rs.space.topic),
    federate: rs.space.federate,
    members: sorted([...everyone, botUserId, ...(rs.space.federate ? partnerExperts : [])]),
    powerLevels: powerLevels(adminUserId, sorted([...coordinators, botUserId]), std),
  });
  for (const d of province.districts) {
    const local = province.people.filter((p) => p.role === "provider" && districtOfFacility(province, p.facility)?.id === d.id).map((p) => uid(p.id));
    const room = { kind: "district", districtId: d.id } as const;
    rooms.push({
      key: `district:${d.id}`,
      kind: "district",
      districtId: d.id,
      alias: alias.get(`district:${d.id}`)!,
      name: bilingual({ ...rs.district.name, en: roomName(province, room, "en"), lo: roomName(province, room, "lo") }),
      topic: bilingual({ ...rs.district.topic, lo: rs.district.topic.lo.replace("{district}", d.name.lo) }, { district: d.name.en }),
      federate: d.federate,
      members: sorted([...local, ...experts, ...coordinators, botUserId]),
      powerLevels: powerLevels(adminUserId, sorted([...experts, ...coordinators, botUserId]), std),
      rules,
    });
  }
  rooms.push({
    key: "experts",
    kind: "experts",
    alias: alias.get("experts")!,
    name: bilingual(rs.experts.name),
    topic: bilingual(rs.experts.topic),
    federate: rs.experts.federate,
    members: sorted([...experts, ...coordinators, botUserId, ...(rs.experts.federate ? partnerExperts : [])]),
    powerLevels: powerLevels(adminUserId, sorted([...experts, ...coordinators, botUserId]), std),
    rules,
  });
  rooms.push({
    key: "announcements",
    kind: "announcements",
    alias: alias.get("announcements")!,
    name: bilingual(rs.announcements.name),
    topic: bilingual(rs.announcements.topic),
    federate: rs.announcements.federate,
    members: sorted([...everyone, botUserId]),
    // Only coordinators (and the bot, for notices) post here.
    powerLevels: powerLevels(adminUserId, sorted([...coordinators, botUserId]), { eventsDefault: 50 }),
    rules,
  });
  rooms.push({
    key: "training",
    kind: "training",
    alias: alias.get("training")!,
    name: bilingual(rs.training.name),
    topic: bilingual(rs.training.topic),
    federate: rs.training.federate,
    members: sorted([...everyone, botUserId]),
    powerLevels: powerLevels(adminUserId, sorted([...experts, ...coordinators, botUserId]), std),
    rules,
  });

  return {
    serverName: server,
    adminUserId,
    botUserId,
    users,
    rooms,
    retention: { min_lifetime: durationMs(province.retention.min_lifetime), max_lifetime: durationMs(province.retention.max_lifetime) },
  };
}

/**
 * Room-key rotation in district rooms. Each rotation makes the sender's next message share
 * a new room key with every device in the room (bench --links: 2.2-2.6 KB per device,
 * 13-15 KB for the 6 other devices of the test room, 7 s on 2G), and every phone receives one
 * key share per rotating sender. A week, as Element's default, bounds how much one leaked
 * room key reveals. The message limit is raised from the default 100 to 500 so the room's
 * busiest sender (the bot: cards, pages, acknowledgements) rotates about weekly rather
 * than every few days; a member leaving still rotates every key at once.
 * `mchlink apply` sets them in new rooms and brings existing rooms up to date (it never
 * changes a room's algorithm).
 */
export const DISTRICT_ENCRYPTION = { algorithm: "m.megolm.v1.aes-sha2", rotation_period_ms: 7 * 24 * 3600 * 1000, rotation_period_msgs: 500 } as const;

/** The state events apply manages in a room, given the ids of the rooms that exist. */
export function desiredStateEvents(desired: Desired, room: DesiredRoom, roomIds: Map<string, string>): StateEvent[] {
  const events: StateEvent[] = [
    { type: "m.room.name", stateKey: "", content: { name: room.name } },
    { type: "m.room.topic", stateKey: "", content: { topic: room.topic } },
    { type: "m.room.join_rules", stateKey: "", content: { join_rule: "invite" } },
    { type: "m.room.guest_access", stateKey: "", content: { guest_access: "forbidden" } },
    // New members see messages from their invitation on, not the room's whole past.
    { type: "m.room.history_visibility", stateKey: "", content: { history_visibility: "invited" } },
    { type: "m.room.encryption", stateKey: "", content: room.kind === "district" ? DISTRICT_ENCRYPTION : { algorithm: "m.megolm.v1.aes-sha2" } },
    { type: "m.room.power_levels", stateKey: "", content: room.powerLevels },
    { type: "m.room.retention", stateKey: "", content: { ...desired.retention } },
  ];
  const via = [desired.serverName];
  if (room.kind === "space") {
    for (const child of desired.rooms) {
      const childId = roomIds.get(child.key);
      if (child.kind !== "space" && childId) events.push({ type: "m.space.child", stateKey: childId, content: { via, suggested: child.kind !== "experts" } });
    }
  } else {
    const spaceId = roomIds.get("space");
    if (spaceId) events.push({ type: "m.space.parent", stateKey: spaceId, content: { via, canonical: true } });
  }
  return events;
}
