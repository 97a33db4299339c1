// Each event of a province room, once: decrypted (with a grace period for a late room key),
// claimed in the bot's database, handed to its handler as a plain context, answered through
// the outbox, then marked done. It never logs or stores message text.
//
// Exactly once. Before a message is handled its event id is claimed; when every reply was
// sent it is marked done. Replies carry transaction ids derived from the event id, so when a
// crash between the two makes the bot handle the event again after restart, Synapse
// recognises the retried sends and does not post them twice. Side effects in the database
// are keyed by the event id (a consult per request event), so they do not double either.
import { EventType, MatrixEventEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { DecryptionFailureCode } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { Logger } from "pino";
import { paragraph, reply, t } from "../i18n/index.ts";
import { relationOf, typedText } from "../matrix/replies.ts";
import type { BotStore } from "../store/bot-store.ts";
import type { Invocation } from "./commands/define.ts";
import type { Outbox } from "./outbox.ts";
import type { Arrival } from "./room-lane.ts";
import type { BotContext, Incoming, Outgoing, RoomInfo } from "../messaging/types.ts";

/** Longer messages are cut here before a handler reads them. */
const MAX_BODY = 65_536;

export type MessageHandler = (ctx: Invocation) => Outgoing[] | undefined | Promise<Outgoing[] | undefined>;
export type ReactionHandler = (ctx: BotContext, reaction: { eventId: string; roomId: string; sender: string; key: string; relatesTo: string; ts: number }) => Outgoing[];

export interface EventDeps {
  client: MatrixClient;
  store: BotStore;
  log: Logger;
  outbox: Outbox;
  /** The context every message's own is built on: the bot's, with the commands' resources. */
  base: Omit<Invocation, "sender" | "room" | "event">;
  roomInfo(roomId: string): RoomInfo | undefined;
  onMessage: MessageHandler;
  onReaction?: ReactionHandler;
  /** Someone joined the room. */
  onJoin(userId: string, roomId: string): Promise<void>;
  onUndecryptable?: () => void;
  /** How long to wait for a late room key before telling the sender their message did not decrypt. */
  utdGraceMs: number;
}

/**
 * Failures no late room key can cure, so not worth the grace period: the message is older than this
 * device (the bot reads no key backup) or than the bot's membership. A new device, after its store
 * was lost, meets every such message in its catch-up; waiting for each one held its room's answers
 * back by the grace period per message.
 */
const NO_LATE_KEY: ReadonlySet<string> = new Set([
  DecryptionFailureCode.HISTORICAL_MESSAGE_NO_KEY_BACKUP,
  DecryptionFailureCode.HISTORICAL_MESSAGE_BACKUP_UNCONFIGURED,
  DecryptionFailureCode.HISTORICAL_MESSAGE_USER_NOT_JOINED,
]);

export class EventHandling {
  private readonly deps: EventDeps;

  constructor(deps: EventDeps) {
    this.deps = deps;
  }

  async handle(roomId: string, event: MatrixEvent, arrival?: Arrival): Promise<void> {
    const { store, client } = this.deps;
    const joined = store.joinedTs(roomId);
    if (joined !== undefined && event.getTs() < joined) return; // from before the bot was here
    if (store.status(event.getId()!) === "done") return; // seen again by a catch-up; no need to decrypt it
    const started = performance.now();
    if (event.isEncrypted()) {
      await client.decryptEventIfNeeded(event);
      if (event.isDecryptionFailure() && (NO_LATE_KEY.has(event.decryptionFailureReason ?? "") || !(await this.waitForKey(event)))) return this.undecryptable(roomId, event);
    }
    const type = event.getType();
    if (type === EventType.RoomMessage) return this.message(roomId, event, { arrival, started, decrypted: performance.now() });
    if (type === EventType.Reaction && this.deps.onReaction) return this.reaction(roomId, event);
    if (type === EventType.RoomMember) return this.membership(roomId, event);
  }

  private waitForKey(event: MatrixEvent): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve(!event.isDecryptionFailure());
      }, this.deps.utdGraceMs);
      const onDecrypted = () => {
        if (event.isDecryptionFailure()) return;
        clearTimeout(timer);
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve(true);
      };
      event.on(MatrixEventEvent.Decrypted, onDecrypted);
    });
  }

  private async undecryptable(roomId: string, event: MatrixEvent): Promise<void> {
    const { store, base } = this.deps;
    const sender = event.getSender()!;
    const who = base.senderOf(sender);
    if (!who) return;
    const eventId = event.getId()!;
    const prior = store.claim({ eventId, roomId, sender, ts: event.getTs(), kind: "undecryptable" }, base.clock.now());
    if (prior === "done") return;
    if (prior === undefined) {
      store.increment("decryption_failures");
      this.deps.onUndecryptable?.();
    }
    this.deps.log.warn({ event_id: eventId, room_id: roomId, sender, reason: event.decryptionFailureReason }, "could not decrypt a message");
    await this.answer(eventId, roomId, [
      { kind: "reaction", eventId, key: "⚠️" },
      { kind: "message", reply: reply(paragraph(t(who.language, "notice.could_not_decrypt", { phone: base.province.rules.hospital_phone }))), inReplyTo: eventId },
    ]);
  }

  private async message(roomId: string, event: MatrixEvent, timing: { arrival: Arrival | undefined; started: number; decrypted: number }): Promise<void> {
    const { store, base, log } = this.deps;
    const content = event.getContent();
    if (content.msgtype !== "m.text" || typeof content.body !== "string") return;
    if (content["m.relates_to"]?.rel_type === "m.replace") return; // edits are not new requests
    const sender = base.senderOf(event.getSender()!);
    const room = this.deps.roomInfo(roomId);
    if (!sender || !room) {
      log.info({ event_id: event.getId(), room_id: roomId }, "ignored a message from outside the roster");
      return;
    }
    const eventId = event.getId()!;
    if (store.claim({ eventId, roomId, sender: sender.userId, ts: event.getTs(), kind: "message" }, base.clock.now()) === "done") return;
    const relation = relationOf(content);
    const text = typedText(content.body, relation);
    const incoming: Incoming = Object.freeze({
      eventId,
      roomId,
      sender: sender.userId,
      body: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text,
      ts: event.getTs(),
      ...relation,
    });
    // The one context of this message: built here, plain and frozen, read by every handler.
    const ctx: Invocation = Object.freeze({ ...base, sender, room, event: incoming });
    const out = ((await this.deps.onMessage(ctx)) ?? []).map((o) => answering(incoming, o));
    const handled = performance.now();
    await this.answer(eventId, roomId, out);
    if (log.isLevelEnabled("debug")) {
      const ms = (from: number, to: number) => Math.round((to - from) * 10) / 10;
      // Metadata only: where the time went between sync and the last reply sent.
      log.debug(
        {
          event_id: eventId,
          room_id: roomId,
          // From the sender's homeserver stamping the event to its arrival here by sync (wall clocks, ms).
          ...(timing.arrival ? { sync_lag_ms: timing.arrival.lagMs, queued_ms: ms(timing.arrival.at, timing.started) } : {}),
          decrypt_ms: ms(timing.started, timing.decrypted),
          handler_ms: ms(timing.decrypted, handled),
          send_ms: ms(handled, performance.now()),
        },
        "handled a message",
      );
    }
  }

  private async reaction(roomId: string, event: MatrixEvent): Promise<void> {
    const { store, base } = this.deps;
    const rel = event.getContent()["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;
    if (rel?.rel_type !== "m.annotation" || !rel.event_id || typeof rel.key !== "string") return;
    const sender = base.senderOf(event.getSender()!);
    if (!sender) return;
    const eventId = event.getId()!;
    if (store.claim({ eventId, roomId, sender: sender.userId, ts: event.getTs(), kind: "reaction" }, base.clock.now()) === "done") return;
    const out = this.deps.onReaction!(base, { eventId, roomId, sender: sender.userId, key: rel.key, relatesTo: rel.event_id, ts: event.getTs() });
    await this.answer(eventId, roomId, out);
  }

  private async membership(roomId: string, event: MatrixEvent): Promise<void> {
    const userId = event.getStateKey();
    if (!userId || userId === this.deps.base.botUserId || event.getContent().membership !== "join") return;
    if (event.getPrevContent().membership === "join") return; // a profile change, not a join
    await this.deps.onJoin(userId, roomId);
  }

  /**
   * The answers to an event, then the event is done. One that can never be sent is logged
   * (where, and the homeserver's answer) and the event is done all the same: handling it
   * again would meet the same refusal.
   */
  private async answer(eventId: string, roomId: string, out: Outgoing[]): Promise<void> {
    const { store, log, base } = this.deps;
    const failed = await this.deps.outbox.send(eventId, roomId, out);
    if (failed.length > 0) {
      store.increment("replies_undelivered", failed.length);
      log.error({ event_id: eventId, room_id: roomId, failed: failed.map((f) => ({ room_id: f.roomId, status: f.status, errcode: f.errcode, reason: f.reason })) }, "could not send an answer");
    }
    store.markDone(eventId, base.clock.now());
  }
}

/** An answer in the same room is a reply to the message it answers (in its thread, if it was in one). */
function answering(incoming: Incoming, o: Outgoing): Outgoing {
  if (o.kind !== "message" || o.directTo || (o.roomId && o.roomId !== incoming.roomId) || o.threadRootId || o.inReplyTo) return o;
  return incoming.threadRootId ? { ...o, threadRootId: incoming.threadRootId, inReplyTo: incoming.eventId } : { ...o, inReplyTo: incoming.eventId };
}
