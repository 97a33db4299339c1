// What the homeserver holds now, read through the admin API: a handful of
// calls for the whole province (one user listing, one state dump per room), so
// that a no-op `plan` or `apply` stays quick.
import { enc, MatrixError, type MatrixHttp } from "../matrix/http.ts";
import type { Desired } from "./desired.ts";

export interface ObservedUser {
  userId: string;
  displayName: string | undefined;
  deactivated: boolean;
  admin: boolean;
}

export type Membership = "join" | "invite" | "leave" | "ban" | "knock";

export interface ObservedRoom {
  roomId: string;
  /** "type\u0000stateKey" → content */
  state: Map<string, Record<string, unknown>>;
  members: Map<string, Membership>;
  /** m.federate from the create event (cannot be changed after creation). */
  federate: boolean;
  /** Version of the pinned rules message, if the admin pinned one. */
  pinnedRulesVersion: string | undefined;
  /** All pinned events, in order (apply replaces the admin's old rules among them). */
  pinned: string[];
  /** The admin's rules messages among the pinned events. */
  pinnedRules: string[];
}

export interface Observed {
  users: Map<string, ObservedUser>;
  /** By desired room key; missing key: the room does not exist yet. */
  rooms: Map<string, ObservedRoom>;
  /** Service accounts exempted from rate limits. */
  ratelimitExempt: Set<string>;
}

export const stateKey = (type: string, key: string) => `${type}\u0000${key}`;

interface ListedUser {
  name: string;
  displayname?: string | null;
  deactivated: boolean | number;
  admin: boolean | number;
}

async function listUsers(http: MatrixHttp): Promise<Map<string, ObservedUser>> {
  const users = new Map<string, ObservedUser>();
  let from: string | undefined = "0";
  while (from !== undefined) {
    const page: { users: ListedUser[]; next_token?: string | number } = await http.get(`/_synapse/admin/v2/users?from=${enc(from)}&limit=500&guests=false&deactivated=true`);
    for (const u of page.users) {
      users.set(u.name, { userId: u.name, displayName: u.displayname ?? undefined, deactivated: Boolean(u.deactivated), admin: Boolean(u.admin) });
    }
    from = page.next_token === undefined ? undefined : String(page.next_token);
  }
  return users;
}

async function resolveAlias(http: MatrixHttp, alias: string): Promise<string | undefined> {
  try {
    const res = await http.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(alias)}`);
    return res.room_id;
  } catch (err) {
    if (err instanceof MatrixError && err.status === 404) return undefined;
    throw err;
  }
}

interface RawStateEvent {
  type: string;
  state_key: string;
  content: Record<string, unknown>;
}

async function observeRoom(http: MatrixHttp, roomId: string, adminUserId: string): Promise<ObservedRoom> {
  const { state } = await http.get<{ state: RawStateEvent[] }>(`/_synapse/admin/v1/rooms/${enc(roomId)}/state`);
  const room: ObservedRoom = { roomId, state: new Map(), members: new Map(), federate: true, pinnedRulesVersion: undefined, pinned: [], pinnedRules: [] };
  for (const ev of state) {
    room.state.set(stateKey(ev.type, ev.state_key), ev.content);
    if (ev.type === "m.room.member") room.members.set(ev.state_key, ev.content.membership as Membership);
    if (ev.type === "m.room.create") room.federate = ev.content["m.federate"] !== false;
  }
  room.pinned = (room.state.get(stateKey("m.room.pinned_events", ""))?.pinned ?? []) as string[];
  for (const eventId of room.pinned) {
    try {
      const ev = await http.get<{ sender: string; content: Record<string, unknown> }>(`/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(eventId)}`);
      const version = ev.content["org.mchlink.rules_version"];
      if (ev.sender === adminUserId && typeof version === "string") {
        room.pinnedRulesVersion = version;
        room.pinnedRules.push(eventId);
      }
    } catch (err) {
      // A pinned event that was redacted or purged by retention is simply not current.
      if (!(err instanceof MatrixError && err.status === 404)) throw err;
    }
  }
  return room;
}

export async function observe(http: MatrixHttp, desired: Desired): Promise<Observed> {
  const users = await listUsers(http);
  const rooms = new Map<string, ObservedRoom>();
  for (const room of desired.rooms) {
    const roomId = await resolveAlias(http, `#${room.alias}:${desired.serverName}`);
    if (roomId) rooms.set(room.key, await observeRoom(http, roomId, desired.adminUserId));
  }
  const ratelimitExempt = new Set<string>();
  for (const userId of [desired.adminUserId, desired.botUserId]) {
    if (!users.has(userId)) continue;
    const o = await http.get<{ messages_per_second?: number; burst_count?: number }>(`/_synapse/admin/v1/users/${enc(userId)}/override_ratelimit`);
    if (o.messages_per_second === 0 && o.burst_count === 0) ratelimitExempt.add(userId);
  }
  return { users, rooms, ratelimitExempt };
}
