// What the bot's outbox (src/bot/outbox.ts) asks of matrix-js-sdk, behind a narrow
// interface so that the outbox's decisions (retry, echo recovery, failures as values) are
// tested without a homeserver, and this adapter with one.
import { ConnectionError, EventStatus, type MatrixClient } from "matrix-js-sdk";
import { unreachableServers } from "./reachability.ts";

export interface OutgoingEvent {
  type: string;
  content: Record<string, unknown>;
  /** The thread the event belongs to, if any. */
  threadId?: string;
}

export interface SendingClient {
  readonly userId: string;
  /** The bot's membership in the room; undefined when the client does not know the room. */
  membership(roomId: string): string | undefined;
  /**
   * Send an event under a transaction id. After a failed attempt the same local event is
   * sent again (same transaction id, same ciphertext). Returns its event id (a local "~" id
   * while only the local echo exists). Throws a ConnectionError while an earlier message to
   * the room has not gone out: matrix-js-sdk holds later ones behind it.
   */
  send(roomId: string, txnId: string, event: OutgoingEvent): Promise<string | undefined>;
  /** Our event with this transaction id as the server echoed it back, if it did (a killed process sent it). */
  echoed(roomId: string, txnId: string): string | undefined;
  /** Drop a local event that failed for good: left pending it would hold back every later one to the room. */
  abandon(roomId: string, txnId: string): void;
  /** A new encrypted direct room with the person invited; its id. */
  createDirectRoom(userId: string): Promise<string>;
  /** Whether the client knows the room is encrypted and the person invited or joined (else the room key would not reach them). */
  directRoomReady(roomId: string, userId: string): boolean;
  /** Which of these servers do not answer. */
  unreachableServers(servers: string[]): Promise<Set<string>>;
  /** Who is joined to the room. */
  joinedMembers(roomId: string): string[];
}

export function matrixSendingClient(client: MatrixClient): SendingClient {
  const userId = client.getUserId()!;
  return {
    userId,
    membership: (roomId) => client.getRoom(roomId)?.getMyMembership(),
    async send(roomId, txnId, event) {
      const room = client.getRoom(roomId);
      const earlier = room?.getEventForTxnId(txnId);
      // matrix-js-sdk refuses new messages to a room while an earlier one there failed to go out.
      if (room?.getPendingEvents().some((e) => e.status === EventStatus.NOT_SENT && e !== earlier)) {
        throw new ConnectionError("an earlier message to this room has not gone out yet");
      }
      if (earlier?.status === EventStatus.NOT_SENT) {
        await client.resendEvent(earlier, room!);
        return earlier.getId();
      }
      if (earlier) return earlier.getId(); // this process already sent it; its remote echo is on the way
      return (await client.sendEvent(roomId, event.threadId ?? null, event.type as never, event.content as never, txnId)).event_id;
    },
    echoed: (roomId, txnId) =>
      client
        .getRoom(roomId)
        ?.getLiveTimeline()
        .getEvents()
        .find((e) => e.getSender() === userId && e.getUnsigned().transaction_id === txnId)
        ?.getId(),
    abandon(roomId, txnId) {
      const left = client.getRoom(roomId)?.getEventForTxnId(txnId);
      if (left?.status === EventStatus.NOT_SENT) client.cancelPendingEvent(left);
    },
    async createDirectRoom(invitee) {
      const { room_id } = await client.createRoom({
        is_direct: true,
        preset: "trusted_private_chat" as never,
        invite: [invitee],
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
      });
      return room_id;
    },
    directRoomReady(roomId, invitee) {
      const room = client.getRoom(roomId);
      return Boolean(room?.hasEncryptionStateEvent()) && ["invite", "join"].includes(room?.getMember(invitee)?.membership ?? "");
    },
    unreachableServers: (servers) => unreachableServers(client, servers),
    joinedMembers: (roomId) => (client.getRoom(roomId)?.getJoinedMembers() ?? []).map((m) => m.userId),
  };
}
