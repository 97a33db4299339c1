// Shared by the consult unit tests: the small province, a roster-backed context over a
// :memory: bot store, and a ManualClock. No server: the lifecycle is pure over these.
import { loadProvince } from "../../src/config/load.ts";
import type { Province } from "../../src/config/schema.ts";
import type { BotContext, CommandContext, Incoming, Outgoing, RoomInfo, Sender } from "../../src/messaging/types.ts";
import { render } from "../../src/i18n/index.ts";
import { BotStore } from "../../src/store/bot-store.ts";
import { ManualClock } from "../../src/util/clock.ts";

export const SMALL = "test/fixtures/small-province.yaml";

export function smallProvince(): Province {
  const result = loadProvince(SMALL);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.province;
}

/** 2026-03-02 is a Monday; 09:00 in Vientiane (UTC+7) is 02:00 UTC. */
export const MONDAY_0900 = Date.UTC(2026, 2, 2, 2, 0);
export const MINUTE = 60_000;

export const ROOMS = new Map([
  ["experts", "!experts:mchlink.test"],
  ["district:north", "!north:mchlink.test"],
  ["district:south", "!south:mchlink.test"],
  ["announcements", "!announcements:mchlink.test"],
]);

export const uid = (id: string) => (id.startsWith("@") ? id : `@${id}:mchlink.test`);

export interface World extends BotContext {
  clock: ManualClock;
  store: BotStore;
}

export function world(province: Province = smallProvince(), path = ":memory:", clock = new ManualClock(MONDAY_0900)): World {
  const roomsById = new Map([...ROOMS].map(([key, id]) => [id, key]));
  return {
    province,
    store: new BotStore(path),
    clock,
    botUserId: uid(province.bot.id),
    roomIds: ROOMS,
    roomInfo(roomId: string): RoomInfo | undefined {
      const key = roomsById.get(roomId);
      if (!key) return undefined;
      if (key.startsWith("district:")) return { roomId, kind: "district", districtId: key.slice("district:".length) };
      return { roomId, kind: key as RoomInfo["kind"] };
    },
    senderOf(userId: string): Sender | undefined {
      const partner = province.federation.partner_experts.find((p) => p.user_id === userId);
      if (partner) return { userId, role: "expert", partner, displayName: partner.name, language: partner.language };
      const person = province.people.find((p) => uid(p.id) === userId);
      return person && { userId, role: person.role, person, displayName: person.name, language: person.language };
    },
  };
}

let counter = 0;

/** A message from `who` in room `roomKey`, as the runtime would hand it over. */
export function said(w: World, who: string, roomKey: string, body: string, extra: Partial<Incoming> = {}): CommandContext {
  const sender = w.senderOf(uid(who));
  if (!sender) throw new Error(`${who} is not in the roster`);
  const roomId = ROOMS.get(roomKey)!;
  const event: Incoming = { eventId: `$e${++counter}`, roomId, sender: sender.userId, body, ts: w.clock.now(), ...extra };
  return Object.freeze({ ...w, sender, room: w.roomInfo(roomId)!, event });
}

/** The plain text of an outgoing message, as a phone's notification would show it. */
export function bodyOf(out: Outgoing | undefined): string {
  if (out?.kind !== "message") throw new Error(`not a message: ${JSON.stringify(out)}`);
  return render(out.reply).body;
}

/** Where an outgoing message goes and whom it rings, without its text. */
export function shape(out: Outgoing): Record<string, unknown> {
  if (out.kind === "reaction") return { reaction: out.key, on: out.eventId, room: out.roomId };
  return {
    room: out.roomId,
    msgtype: out.msgtype,
    ...(out.mentions ? { mentions: out.mentions } : {}),
    ...(out.threadRootId ? { thread: out.threadRootId } : {}),
    ...(out.inReplyTo ? { replyTo: out.inReplyTo } : {}),
  };
}
