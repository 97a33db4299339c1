// The difference between what the province config wants and what the server
// holds, as a list of changes. Pure: tested without a server, and the same
// function drives `plan` (print) and `apply` (execute).
import { isDeepStrictEqual } from "node:util";
import { desiredStateEvents, type Desired, type DesiredRoom, type DesiredUser, type StateEvent } from "./desired.ts";
import { stateKey, type Observed } from "./observe.ts";

export type Change =
  | { kind: "create_user"; user: DesiredUser }
  | { kind: "update_user"; user: DesiredUser; displayName?: { from: string | undefined; to: string }; admin?: { from: boolean; to: boolean }; reactivate?: true }
  | { kind: "exempt_ratelimit"; userId: string }
  | { kind: "create_room"; room: DesiredRoom }
  | { kind: "set_state"; room: DesiredRoom; event: StateEvent; previous: Record<string, unknown> | undefined }
  | { kind: "join"; room: DesiredRoom; userId: string; remote: boolean }
  | { kind: "pin_rules"; room: DesiredRoom }
  | { kind: "remove_member"; room: DesiredRoom; userId: string; reason: "moved" | "not_in_config" }
  | { kind: "deactivate_user"; userId: string };

export interface Plan {
  changes: Change[];
  /** Local accounts in the province's rooms that the config no longer lists (deactivated by --prune). */
  notInConfig: string[];
  /** Things apply cannot change by itself, with what to do. */
  warnings: string[];
}

export interface PlanOptions {
  prune: boolean;
}

const isLocal = (userId: string, server: string) => userId.endsWith(`:${server}`);

export function plan(desired: Desired, observed: Observed, opts: PlanOptions = { prune: false }): Plan {
  const changes: Change[] = [];
  const warnings: string[] = [];
  const wanted = new Set(desired.users.map((u) => u.userId));

  for (const user of desired.users) {
    const have = observed.users.get(user.userId);
    if (!have) {
      changes.push({ kind: "create_user", user });
      continue;
    }
    const update: Extract<Change, { kind: "update_user" }> = { kind: "update_user", user };
    if (have.deactivated) update.reactivate = true;
    if (have.displayName !== user.displayName) update.displayName = { from: have.displayName, to: user.displayName };
    if (have.admin !== user.admin) update.admin = { from: have.admin, to: user.admin };
    if (update.reactivate || update.displayName || update.admin) changes.push(update);
  }
  for (const userId of [desired.adminUserId, desired.botUserId]) {
    if (!observed.ratelimitExempt.has(userId)) changes.push({ kind: "exempt_ratelimit", userId });
  }

  const roomIds = new Map<string, string>();
  for (const [key, room] of observed.rooms) roomIds.set(key, room.roomId);

  const notInConfig = new Set<string>();
  for (const room of desired.rooms) {
    const have = observed.rooms.get(room.key);
    const members = new Set(room.members);
    if (!have) {
      changes.push({ kind: "create_room", room });
      for (const userId of room.members) changes.push({ kind: "join", room, userId, remote: !isLocal(userId, desired.serverName) });
      if (room.rules) changes.push({ kind: "pin_rules", room });
      continue;
    }
    if (have.federate !== room.federate) {
      warnings.push(
        `room #${room.alias} was created with federation ${have.federate ? "on" : "off"} and the config says ${room.federate ? "on" : "off"}; ` +
          "Matrix cannot change this after creation: create a new room (rename the alias in the config) or change the config back",
      );
    }
    for (const event of desiredStateEvents(desired, room, roomIds)) {
      const current = have.state.get(stateKey(event.type, event.stateKey));
      // Never downgrade or swap an algorithm; the rotation settings of the same algorithm are kept
      // up to date (a room created before them, or an apply killed between creating a room and setting them).
      if (event.type === "m.room.encryption" && current && current.algorithm !== event.content.algorithm) continue;
      if (!current || !isDeepStrictEqual(pick(current, event.content), event.content)) {
        changes.push({ kind: "set_state", room, event, previous: current });
      }
    }
    if (room.kind === "space") {
      // Children that are no longer part of the province are unlinked.
      const childIds = new Set(roomIds.values());
      for (const [key, content] of have.state) {
        const [type, child] = key.split("\u0000") as [string, string];
        if (type === "m.space.child" && Object.keys(content).length > 0 && !childIds.has(child)) {
          changes.push({ kind: "set_state", room, event: { type, stateKey: child, content: {} }, previous: content });
        }
      }
    }
    for (const userId of room.members) {
      const m = have.members.get(userId);
      if (m === "join") continue;
      if (m === "ban") {
        warnings.push(`${userId} is banned from #${room.alias}; unban them in a client if they should be back`);
        continue;
      }
      const remote = !isLocal(userId, desired.serverName);
      if (remote && m === "invite") continue; // a remote expert accepts the invite on their own server
      changes.push({ kind: "join", room, userId, remote });
    }
    for (const [userId, m] of have.members) {
      if ((m !== "join" && m !== "invite") || members.has(userId) || userId === desired.adminUserId) continue;
      if (wanted.has(userId)) {
        changes.push({ kind: "remove_member", room, userId, reason: "moved" });
      } else {
        if (isLocal(userId, desired.serverName)) notInConfig.add(userId);
        // Someone on another server (a partner expert taken off the list) still gets the room's keys: say so.
        else if (!opts.prune) warnings.push(`${userId}, on another server, is in #${room.alias} but not in the config; apply --prune removes them from the room`);
        if (opts.prune) changes.push({ kind: "remove_member", room, userId, reason: "not_in_config" });
      }
    }
    if (room.rules && have.pinnedRulesVersion !== room.rules.version) changes.push({ kind: "pin_rules", room });
  }

  const stale = [...notInConfig].filter((u) => observed.users.get(u)?.deactivated !== true).sort();
  if (opts.prune) for (const userId of stale) changes.push({ kind: "deactivate_user", userId });
  return { changes, notInConfig: stale, warnings };
}

/** Compare only the keys we manage, so fields a newer Synapse adds do not cause churn. */
function pick(have: Record<string, unknown>, want: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(want).length === 0) return have;
  return Object.fromEntries(
    Object.keys(want)
      .filter((k) => k in have)
      .map((k) => [k, have[k]]),
  );
}

export function isNoop(p: Plan): boolean {
  return p.changes.length === 0;
}
