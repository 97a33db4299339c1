// A bot context over the small fixture province, a `:memory:` store and a manual clock,
// resolving senders the way the runtime does (roster, then the `!lang` preference), so
// that command handlers and the welcome message are tested without a server.
import { type Invocation, registry } from "../../src/bot/commands.ts";
import type { BotContext, RoomInfo, Sender } from "../../src/messaging/types.ts";
import { loadProvince } from "../../src/config/load.ts";
import type { Province } from "../../src/config/schema.ts";
import { type Card, formatProblems, loadCards } from "../../src/guides/index.ts";
import { desiredState } from "../../src/provision/desired.ts";
import { BotStore } from "../../src/store/bot-store.ts";
import { ManualClock } from "../../src/util/clock.ts";

export const SMALL_PROVINCE = "test/fixtures/small-province.yaml";

export function smallProvince(): Province {
  const result = loadProvince(SMALL_PROVINCE);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.province;
}

export async function guideCards(): Promise<readonly Card[]> {
  const result = await loadCards();
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.cards;
}

export interface TestBot extends BotContext {
  readonly store: BotStore;
  readonly clock: ManualClock;
  /** The Matrix ID of a roster person by id, e.g. "nurse-n1". */
  userId(personId: string): string;
  /** A province room by its desired key, e.g. "district:north", "training". */
  room(key: string): RoomInfo;
  /** The context of `body` sent by `personId` in room `roomKey`. */
  command(personId: string, roomKey: string, body: string, extra?: { threadRootId?: string }): Invocation;
}

export function testBot(p: Province, guides: readonly Card[]): TestBot {
  const store = new BotStore(":memory:");
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 3, 0));
  const server = p.homeserver.server_name;
  const desired = desiredState(p);
  const roomIds = new Map(desired.rooms.map((r) => [r.key, `!${r.key.replace(":", "-")}:${server}`]));
  const infos = new Map(
    desired.rooms.map((r): [string, RoomInfo] => [roomIds.get(r.key) as string, { roomId: roomIds.get(r.key) as string, kind: r.kind, ...(r.districtId ? { districtId: r.districtId } : {}) }]),
  );
  let eventCounter = 0;

  const senderOf = (userId: string): Sender | undefined => {
    const person = p.people.find((x) => `@${x.id}:${server}` === userId);
    if (person) return { userId, role: person.role, person, displayName: person.name, language: store.language(userId) ?? person.language };
    const partner = p.federation.partner_experts.find((x) => x.user_id === userId);
    if (partner) return { userId, role: "expert", partner, displayName: partner.name, language: store.language(userId) ?? partner.language };
    return undefined;
  };
  const bot: TestBot = {
    province: p,
    store,
    clock,
    botUserId: `@${p.bot.id}:${server}`,
    roomIds,
    roomInfo: (roomId) => infos.get(roomId),
    senderOf,
    userId: (personId) => `@${personId}:${server}`,
    room(key) {
      const info = infos.get(roomIds.get(key) ?? "");
      if (!info) throw new Error(`no room ${key}`);
      return info;
    },
    command(personId, roomKey, body, extra = {}) {
      const userId = bot.userId(personId);
      const sender = senderOf(userId);
      if (!sender) throw new Error(`${personId} is not in the roster`);
      const room = bot.room(roomKey);
      eventCounter += 1;
      return {
        ...bot,
        sender,
        room,
        event: { eventId: `$event${eventCounter}`, roomId: room.roomId, sender: userId, body, ts: clock.now(), ...extra },
        guides,
        prefix: p.bot.command_prefix,
        commands: registry,
      };
    },
  };
  return bot;
}
