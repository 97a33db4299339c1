// Converges the homeserver to the province config. Every step is idempotent
// and apply always re-reads the server first, so a run that was interrupted
// (killed, network gone, 5xx) is finished by running apply again.
import { randomBytes, randomUUID } from "node:crypto";
import { districtOfFacility } from "../config/lookup.ts";
import type { Province } from "../config/schema.ts";
import { enc, MatrixError, MatrixHttp } from "../matrix/http.ts";
import { settleLimited } from "../util/concurrency.ts";
import { desiredState, desiredStateEvents, type Desired, type DesiredRoom, type DesiredUser } from "./desired.ts";
import { observe, type Observed } from "./observe.ts";
import { plan, type Change, type Plan } from "./plan.ts";
import type { OnboardingSheet } from "./sheet.ts";

export interface ApplyOptions {
  prune: boolean;
  /** How many requests run at once; Synapse's password hashing bounds account creation anyway. */
  concurrency?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface ApplyResult {
  /** The plan apply started from. */
  plan: Plan;
  applied: number;
  failures: Array<{ change: Change; error: string }>;
  /** Changes of the failing phase never started because the homeserver kept failing (later phases are not counted). */
  notAttempted: number;
}

/** A fresh initial password: 12 characters from an alphabet without look-alikes, easy to type on a phone. */
export function initialPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(12);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

type Kind = Change["kind"];

const isRemoteInvite = (c: Change) => c.kind === "join" && c.remote;
/** Our homeserver unreachable or failing even after the client's retries: no point starting more changes. */
const homeserverFailing = (err: unknown) => err instanceof MatrixError && (err.status === 0 || err.status === 429 || err.status >= 500);
const PHASES: Kind[][] = [["create_user", "update_user"], ["exempt_ratelimit"], ["create_room"], ["set_state"], ["join"], ["pin_rules"], ["remove_member"], ["deactivate_user"]];

/**
 * Synapse handles one membership change at a time per room; interleaving the
 * rooms keeps the requests in flight in different rooms, so they run in parallel.
 */
function interleaveByRoom(changes: Change[]): Change[] {
  const byRoom = new Map<string, Change[]>();
  for (const c of changes) {
    const key = "room" in c ? c.room.key : "";
    const queue = byRoom.get(key) ?? [];
    queue.push(c);
    byRoom.set(key, queue);
  }
  const queues = [...byRoom.values()];
  const out: Change[] = [];
  for (let i = 0; out.length < changes.length; i++) for (const q of queues) if (i < q.length) out.push(q[i]!);
  return out;
}

export class Applier {
  private readonly http: MatrixHttp;
  private readonly province: Province;
  private readonly sheet: OnboardingSheet;
  readonly desired: Desired;

  private readonly botPassword: () => string;
  /**
   * For invites to partner servers: Synapse has already retried the partner by the
   * time it answers 5xx, so retrying again here would only keep the operator waiting.
   */
  private readonly remoteHttp: MatrixHttp;

  /** `botPassword` returns the bot's password, made durable before it is returned (the bot logs in with it). */
  constructor(http: MatrixHttp, province: Province, sheet: OnboardingSheet, botPassword: () => string) {
    this.http = http;
    this.province = province;
    this.sheet = sheet;
    this.botPassword = botPassword;
    this.remoteHttp = new MatrixHttp({ baseUrl: http.baseUrl, ...(http.accessToken ? { accessToken: http.accessToken } : {}), retries: 1 });
    this.desired = desiredState(province);
  }

  async plan(prune: boolean): Promise<{ plan: Plan; observed: Observed }> {
    const observed = await observe(this.http, this.desired);
    return { plan: plan(this.desired, observed, { prune }), observed };
  }

  async apply(opts: ApplyOptions): Promise<ApplyResult> {
    const concurrency = opts.concurrency ?? 4;
    let { plan: current, observed } = await this.plan(opts.prune);
    const first = current;
    let applied = 0;
    const failures: ApplyResult["failures"] = [];
    let notAttempted = 0;
    for (const kinds of PHASES) {
      // Rooms created in the phase before have ids now: plan again so state and
      // memberships refer to them.
      if (kinds[0] === "set_state" && applied > 0) ({ plan: current, observed } = await this.plan(opts.prune));
      const batch = interleaveByRoom(current.changes.filter((c) => kinds.includes(c.kind)));
      if (batch.length === 0) continue;
      const limit = kinds[0] === "create_room" || kinds[0] === "pin_rules" ? 1 : concurrency;
      let done = 0;
      const { failures: failed, notStarted } = await settleLimited(
        batch,
        limit,
        async (change) => {
          await this.execute(change, observed);
          applied++;
          opts.onProgress?.(kinds[0]!, ++done, batch.length);
        },
        homeserverFailing,
      );
      notAttempted += notStarted;
      for (const f of failed) failures.push({ change: f.item, error: f.error instanceof Error ? f.error.message : String(f.error) });
      // Later phases build on earlier ones; stop here and let the next run resume. An
      // invite a partner server could not receive holds up nothing local: it is
      // reported, and the next run sends it again.
      if (failed.some((f) => !isRemoteInvite(f.item))) break;
    }
    return { plan: first, applied, failures, notAttempted };
  }

  private roomId(observed: Observed, room: DesiredRoom): string {
    const id = observed.rooms.get(room.key)?.roomId;
    if (!id) throw new Error(`room #${room.alias} does not exist yet`);
    return id;
  }

  private async execute(change: Change, observed: Observed): Promise<void> {
    const http = this.http;
    switch (change.kind) {
      case "create_user":
        return this.createUser(change.user);
      case "update_user": {
        const body: Record<string, unknown> = {};
        if (change.displayName) body.displayname = change.displayName.to;
        if (change.admin) body.admin = change.admin.to;
        if (change.reactivate) {
          body.deactivated = false;
          body.password = this.newPassword(change.user);
        }
        await http.put(`/_synapse/admin/v2/users/${enc(change.user.userId)}`, body);
        return;
      }
      case "exempt_ratelimit":
        await http.post(`/_synapse/admin/v1/users/${enc(change.userId)}/override_ratelimit`, { messages_per_second: 0, burst_count: 0 });
        return;
      case "create_room":
        return this.createRoom(change.room, observed);
      case "set_state":
        await http.put(`/_matrix/client/v3/rooms/${enc(this.roomId(observed, change.room))}/state/${enc(change.event.type)}/${enc(change.event.stateKey)}`, change.event.content);
        return;
      case "join": {
        const roomId = this.roomId(observed, change.room);
        if (!change.remote) {
          await http.post(`/_synapse/admin/v1/join/${enc(roomId)}`, { user_id: change.userId });
          return;
        }
        try {
          await this.remoteHttp.post(`/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: change.userId });
        } catch (err) {
          const server = change.userId.slice(change.userId.indexOf(":") + 1);
          throw new Error(
            `could not invite ${change.userId} to #${change.room.alias}: their server ${server} did not take the invite (${err instanceof Error ? err.message : String(err)}); run apply again when it is reachable`,
          );
        }
        return;
      }
      case "pin_rules":
        return this.pinRules(change.room, observed);
      case "remove_member":
        await http.post(`/_matrix/client/v3/rooms/${enc(this.roomId(observed, change.room))}/kick`, {
          user_id: change.userId,
          reason: change.reason === "moved" ? "moved to another room by the province config" : "no longer in the province roster",
        });
        return;
      case "deactivate_user":
        await http.post(`/_synapse/admin/v1/deactivate/${enc(change.userId)}`, { erase: false });
        return;
    }
  }

  private newPassword(user: DesiredUser): string {
    if (!user.person) return this.botPassword();
    const password = initialPassword();
    const person = user.person;
    const district = districtOfFacility(this.province, person.facility);
    this.sheet.record({
      user_id: user.userId,
      password,
      role: person.role,
      facility: person.facility,
      district: district?.id ?? "",
      display_name: user.displayName,
      language: person.language,
      written_at: new Date().toISOString(),
    });
    return password;
  }

  private async createUser(user: DesiredUser): Promise<void> {
    // A password already in the sheet comes from an apply interrupted between
    // writing it and creating the account: use it, so the sheet stays right.
    const password = (user.person && this.sheet.passwordFor(user.userId)) || this.newPassword(user);
    await this.http.put(`/_synapse/admin/v2/users/${enc(user.userId)}`, {
      password,
      displayname: user.displayName,
      admin: user.admin,
      logout_devices: false,
    });
  }

  private async createRoom(room: DesiredRoom, observed: Observed): Promise<void> {
    const spaceId = observed.rooms.get("space")?.roomId;
    const initialState = desiredStateEvents(this.desired, room, new Map(spaceId ? [["space", spaceId]] : []))
      .filter((e) => !["m.room.name", "m.room.topic", "m.room.power_levels"].includes(e.type))
      .map((e) => ({ type: e.type, state_key: e.stateKey, content: e.content }));
    const res = await this.http.post<{ room_id: string }>("/_matrix/client/v3/createRoom", {
      room_alias_name: room.alias,
      name: room.name,
      topic: room.topic,
      preset: "private_chat",
      visibility: "private",
      room_version: "11",
      creation_content: { "m.federate": room.federate, ...(room.kind === "space" ? { type: "m.space" } : {}) },
      power_level_content_override: room.powerLevels,
      initial_state: initialState,
    });
    // Synapse puts its own m.room.encryption (algorithm only) in every new room
    // (encryption_enabled_by_default_for_room_type), over the one in initial_state: the
    // rotation settings are set right after, before anyone has sent a message.
    const encryption = initialState.find((e) => e.type === "m.room.encryption");
    if (encryption && Object.keys(encryption.content).length > 1) {
      await this.http.put(`/_matrix/client/v3/rooms/${enc(res.room_id)}/state/m.room.encryption/`, encryption.content);
    }
    observed.rooms.set(room.key, {
      roomId: res.room_id,
      state: new Map(),
      members: new Map(),
      federate: room.federate,
      pinnedRulesVersion: undefined,
      pinned: [],
      pinnedRules: [],
    });
  }

  /**
   * The rules are sent as a plain (unencrypted) notice on purpose: they are the
   * province's public policy, carry no patient data, and must be readable by
   * every member, including the many who log in for the first time after they
   * were pinned (Megolm keys are only shared with devices present when a message
   * is sent). `!rules` gives the same text, encrypted, at any time.
   */
  private async pinRules(room: DesiredRoom, observed: Observed): Promise<void> {
    const rules = room.rules!;
    const roomId = this.roomId(observed, room);
    const { event_id } = await this.http.put<{ event_id: string }>(`/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${enc(`mchlink-rules-${randomUUID()}`)}`, {
      msgtype: "m.notice",
      body: rules.body,
      format: "org.matrix.custom.html",
      formatted_body: rules.html,
      "org.mchlink.rules_version": rules.version,
    });
    const have = observed.rooms.get(room.key);
    const others = (have?.pinned ?? []).filter((id) => !(have?.pinnedRules ?? []).includes(id));
    await this.http.put(`/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.pinned_events/`, { pinned: [event_id, ...others] });
  }
}
