// The welcome each person gets once per province room, sent when they join or when their
// first device appears: a message encrypted before their first login could never be read.
import type { MatrixClient } from "matrix-js-sdk";
import type { Logger } from "pino";
import type { BotStore } from "../store/bot-store.ts";
import { errorText } from "../util/errors.ts";
import type { Outbox } from "./outbox.ts";
import type { BotContext, Outgoing, RoomInfo } from "../messaging/types.ts";

export type WelcomeHandler = (ctx: BotContext, userId: string, room: RoomInfo) => Outgoing[];

export interface WelcomeDeps {
  client: MatrixClient;
  store: BotStore;
  log: Logger;
  outbox: Outbox;
  context: BotContext;
  /** The province rooms. */
  roomIds(): Iterable<string>;
  onWelcome?: WelcomeHandler;
}

export class Welcomes {
  private readonly deps: WelcomeDeps;
  /** Welcomes being sent now (person and room), so that two triggers at once send one. */
  private readonly welcoming = new Set<string>();

  constructor(deps: WelcomeDeps) {
    this.deps = deps;
  }

  /** New devices (a first login among them): welcome their owners in the rooms they are in. */
  async devicesUpdated(userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      if (userId === this.deps.context.botUserId) continue;
      const rooms = [...this.deps.roomIds()].filter((roomId) => this.deps.client.getRoom(roomId)?.getMember(userId)?.membership === "join");
      await this.welcome(userId, rooms);
    }
  }

  /** Welcome a person once per room, and only when they have a device. */
  async welcome(userId: string, roomIds: string[]): Promise<void> {
    const { client, store, context, onWelcome } = this.deps;
    if (!onWelcome || roomIds.length === 0 || !context.senderOf(userId)) return;
    const devices = await client.getCrypto()?.getUserDeviceInfo([userId]);
    if ((devices?.get(userId)?.size ?? 0) === 0) return;
    for (const roomId of roomIds) {
      const room = context.roomInfo(roomId);
      if (!room || room.kind === "space" || room.kind === "announcements") continue;
      // Recorded once sent, so that a crash or a failed send in between means a welcome
      // later rather than none; the stable transaction ids keep a resend from doubling it.
      const key = `${userId}\u0000${roomId}`;
      if (this.welcoming.has(key) || store.welcomed(userId, roomId)) continue;
      this.welcoming.add(key);
      try {
        const failed = await this.deps.outbox.send(`welcome:${userId}`, roomId, onWelcome(context, userId, room));
        if (failed.length > 0) throw new Error(failed.map((f) => f.reason).join("; "));
        store.markWelcomed(userId, roomId, context.clock.now());
      } catch (err) {
        this.deps.log.warn({ user_id: userId, room_id: roomId, err: errorText(err) }, "could not send a welcome; it is tried again at the person's next device or join");
      } finally {
        this.welcoming.delete(key);
      }
    }
  }
}
