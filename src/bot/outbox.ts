// Every message the bot sends goes out here: replies, reactions, welcomes, escalation steps,
// private reminders in direct rooms, and the notices that a partner server missed a page.
//
// Transaction ids are derived from what is being answered (an event id, a firing's key), the
// message's place in the batch and its room, so a batch sent again after a crash is
// recognised by the homeserver and not posted twice. A send the homeserver could not take
// for now (unreachable, overloaded, rate limited) is retried with the shared backoff until
// it goes through. A send that failed after its remote echo arrived (a process before this
// one sent it) counts as sent. A message that can never be sent (the bot was removed from
// the room, may not post there, the room is gone) is a value returned to the caller, and
// the rest of the batch still goes out: nothing one room refuses holds back another.
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { EventType, HTTPError, RelationType } from "matrix-js-sdk";
import type { Logger } from "pino";
import type { Language } from "../config/schema.ts";
import { renderCompact } from "../i18n/index.ts";
import type { OutgoingEvent, SendingClient } from "../matrix/sending.ts";
import { errorText } from "../util/errors.ts";
import type { Retrier } from "./retry.ts";
import type { Outgoing } from "../messaging/types.ts";
import { remoteServers, unreachableNotices, type SentMessage } from "./unreachable.ts";

/** A message that could not be sent, and no retry would cure it. */
export interface SendFailure {
  /** Its place in the batch (notices about unreachable servers are numbered after it). */
  index: number;
  roomId: string | undefined;
  /** The homeserver's answer (HTTP status and errcode), or why nothing was tried. */
  status?: number;
  errcode?: string;
  reason: string;
}

/** Transaction ids that are the same every time the same thing is sent. */
export function txnIdFor(...parts: string[]): string {
  return "mchlink." + createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 32);
}

/** Where the bot's direct rooms are remembered (the bot's database). */
export interface DirectRooms {
  directRoom(userId: string): string | undefined;
  setDirectRoom(userId: string, roomId: string): void;
}

export interface OutboxOptions {
  client: SendingClient;
  directRooms: DirectRooms;
  retry: Retrier;
  log: Logger;
  ownServer: string;
  /** A person's name for a notice. */
  nameOf(userId: string): string;
  /** The language of the people in a room, for a notice there. */
  languageOf(userIds: string[]): Language;
  /** Told about every message sent, so handlers can link it (a consult card) to what it is about. */
  onSent?(sent: { eventId: string; roomId: string; outgoing: Outgoing }): void;
  /** How long a new direct room may take to arrive by sync. */
  directRoomWaitMs?: number;
}

export class Outbox {
  private readonly opts: OutboxOptions;

  constructor(opts: OutboxOptions) {
    this.opts = opts;
  }

  /**
   * Send what a handler returned; `origin` makes the transaction ids deterministic. Each
   * message goes out on its own: one that can never be sent is returned, the rest still go.
   * Throws only when the bot is stopping (nothing is lost: the work is done again after a restart).
   */
  async send(origin: string, roomId: string | undefined, out: readonly Outgoing[]): Promise<SendFailure[]> {
    const { client, ownServer } = this.opts;
    // Asked while the messages go out, so that a partner server that does not answer delays nothing.
    const servers = remoteServers(out, ownServer);
    const asked =
      servers.length === 0
        ? undefined
        : client.unreachableServers(servers).catch((err: unknown) => {
            this.opts.log.warn({ err: errorText(err), servers }, "could not ask whether partner servers answer");
            return new Set<string>();
          });
    const failed: SendFailure[] = [];
    const sent = await this.sendEach(origin, roomId, out, 0, failed);
    const down = await asked;
    if (!down || down.size === 0) return failed;
    this.opts.log.warn({ servers: [...down] }, "a message named people on a partner server that is not answering; the room is told");
    const notices = unreachableNotices(sent, down, { ownServer, nameOf: this.opts.nameOf, languageOf: (room) => this.opts.languageOf(client.joinedMembers(room)) });
    // Numbered after the batch, so its own messages keep their transaction ids when it is sent again.
    await this.sendEach(origin, roomId, notices, out.length, failed);
    return failed;
  }

  private async sendEach(origin: string, roomId: string | undefined, out: readonly Outgoing[], first: number, failed: SendFailure[]): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    for (const [j, o] of out.entries()) {
      const index = first + j;
      let target: string | undefined;
      try {
        target = o.kind === "message" && o.directTo ? await this.directRoom(o.directTo) : (o.roomId ?? roomId);
        if (!target) throw new Error("an outgoing message without a room");
        const eventId = await this.sendOne(txnIdFor(origin, String(index), target), target, o);
        if (o.kind !== "message") continue;
        if (eventId) this.opts.onSent?.({ eventId, roomId: target, outgoing: o });
        sent.push({ outgoing: o, roomId: target, eventId });
      } catch (err) {
        if (this.opts.retry.isStopped) throw err;
        failed.push({ index, roomId: target, ...failureOf(err) });
      }
    }
    return sent;
  }

  /** One message; its event id once the homeserver gave one. */
  private async sendOne(txnId: string, roomId: string, o: Outgoing): Promise<string | undefined> {
    const { client } = this.opts;
    const membership = client.membership(roomId);
    // Never to a room the client does not know (it could not tell it is encrypted) or has left.
    if (membership !== "join" && membership !== "invite") {
      throw new Error(membership ? `the bot's membership in the room is ${membership}` : "the bot does not know the room");
    }
    try {
      const id = await this.opts.retry.run({ room_id: roomId }, () => client.send(roomId, txnId, eventFor(o)));
      return id?.startsWith("~") ? undefined : id;
    } catch (err) {
      // A process before this one, killed after sending, sent it under the same transaction id,
      // and its remote echo took the place of our local echo while it was going out: it is sent.
      const echoed = client.echoed(roomId, txnId);
      if (echoed) return echoed;
      client.abandon(roomId, txnId);
      throw err;
    }
  }

  /** The bot's encrypted direct room with a person, created the first time it is needed. */
  private async directRoom(userId: string): Promise<string> {
    const { client, directRooms } = this.opts;
    const known = directRooms.directRoom(userId);
    if (known) return known;
    const roomId = await this.opts.retry.run({ user_id: userId }, () => client.createDirectRoom(userId));
    // Never send before the client knows the room is encrypted (an unknown room would get
    // plaintext) and knows the invitation (else the room key is not shared with the person).
    const deadline = Date.now() + (this.opts.directRoomWaitMs ?? 30_000);
    while (!client.directRoomReady(roomId, userId)) {
      if (Date.now() > deadline || this.opts.retry.isStopped) throw new Error(`direct room ${roomId} did not arrive by sync`);
      await sleep(100);
    }
    directRooms.setDirectRoom(userId, roomId);
    return roomId;
  }
}

/** The Matrix event for a message or reaction: rendered once into plain and HTML bodies, with explicit mentions and its relation. */
export function eventFor(o: Outgoing): OutgoingEvent {
  if (o.kind === "reaction") {
    return { type: EventType.Reaction, content: { "m.relates_to": { rel_type: RelationType.Annotation, event_id: o.eventId, key: o.key } } };
  }
  const content: Record<string, unknown> = {
    msgtype: o.msgtype ?? "m.notice",
    ...renderCompact(o.reply),
    // Explicit: a notice must not ring anyone by matching a display name.
    "m.mentions": { ...(o.mentions?.user_ids ? { user_ids: o.mentions.user_ids } : {}), ...(o.mentions?.room ? { room: true } : {}) },
  };
  if (o.threadRootId) {
    content["m.relates_to"] = { rel_type: "m.thread", event_id: o.threadRootId, is_falling_back: true, "m.in_reply_to": { event_id: o.inReplyTo ?? o.threadRootId } };
    return { type: EventType.RoomMessage, content, threadId: o.threadRootId };
  }
  if (o.inReplyTo) content["m.relates_to"] = { "m.in_reply_to": { event_id: o.inReplyTo } };
  return { type: EventType.RoomMessage, content };
}

function failureOf(err: unknown): Omit<SendFailure, "index" | "roomId"> {
  if (err instanceof HTTPError) {
    const errcode = (err as { errcode?: unknown }).errcode;
    return { ...(err.httpStatus !== undefined ? { status: err.httpStatus } : {}), ...(typeof errcode === "string" ? { errcode } : {}), reason: errorText(err) };
  }
  return { reason: errorText(err) };
}
