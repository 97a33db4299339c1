// The vocabulary the bot's runtime, its commands and the consult code share: who speaks,
// in which room, what a handler is given and what it returns. It sits below all of them
// (src/consult never imports src/bot); the runtime (src/bot/runtime.ts) does the I/O.
import type { Language, PartnerExpert, Person, Province, Role } from "../config/schema.ts";
import type { Reply } from "../i18n/index.ts";
import type { RoomKind } from "../config/rooms.ts";
import type { BotStore } from "../store/bot-store.ts";
import type { Clock } from "../util/clock.ts";

/** Who sent a message, resolved from the roster (people outside it never reach a handler). */
export interface Sender {
  userId: string;
  /** Partner experts (on an allow-listed server) act as experts. */
  role: Role;
  person?: Person;
  partner?: PartnerExpert;
  displayName: string;
  /** From `!lang`, else the roster. */
  language: Language;
}

export interface RoomInfo {
  roomId: string;
  kind: RoomKind;
  /** For district rooms. */
  districtId?: string;
}

/** A decrypted text message as the handlers see it. */
export interface Incoming {
  eventId: string;
  roomId: string;
  sender: string;
  body: string;
  ts: number;
  /** Set when the message is in a thread (m.thread relation). */
  threadRootId?: string;
  /** Set when the message is a reply (m.in_reply_to). */
  inReplyTo?: string;
}

/** What a handler asks the runtime to do. The runtime sends them in order, each with a deterministic transaction id. */
export type Outgoing =
  | {
      kind: "message";
      reply: Reply;
      /** Default: the room of the incoming message. */
      roomId?: string;
      /** Instead of a room: privately, in the bot's direct room with this user (created when first needed). */
      directTo?: string;
      /** m.notice unless the message must ring phones (paging is m.text with mentions). */
      msgtype?: "m.notice" | "m.text";
      mentions?: { user_ids?: string[]; room?: boolean };
      /** Start or continue a thread on this event (with the reply fallback). */
      threadRootId?: string;
      /** Plain reply to this event. */
      inReplyTo?: string;
    }
  | { kind: "reaction"; eventId: string; key: string; roomId?: string };

export interface BotContext {
  province: Province;
  store: BotStore;
  clock: Clock;
  botUserId: string;
  /** Room id by desired room key ("experts", "district:paktha", …). */
  roomIds: ReadonlyMap<string, string>;
  /** The province room with this id, if it is one. */
  roomInfo(roomId: string): RoomInfo | undefined;
  /** Roster lookup; undefined for anyone outside the roster and partner list. */
  senderOf(userId: string): Sender | undefined;
}

export interface CommandContext extends BotContext {
  sender: Sender;
  room: RoomInfo;
  event: Incoming;
}
