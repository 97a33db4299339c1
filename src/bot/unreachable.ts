// What the bot says when a message that names people on a partner hospital's server
// (a page, an escalation step) cannot reach them because that server is not answering.
// Their homeserver takes the message either way and delivers it once the partner is
// back, so nothing waits: the bot says who missed it and that the escalation goes on.
// Pure: the runtime finds which servers are unreachable and sends what this returns.
import type { Language } from "../config/schema.ts";
import { paragraph, reply, t } from "../i18n/index.ts";
import type { Outgoing } from "../messaging/types.ts";

/** The server part of a Matrix user ID (everything after the first colon, port included). */
export function serverOf(userId: string): string {
  return userId.slice(userId.indexOf(":") + 1);
}

/** The other servers whose users a batch of outgoing messages names. */
export function remoteServers(out: readonly Outgoing[], ownServer: string): string[] {
  const servers = out.flatMap((o) => (o.kind === "message" ? (o.mentions?.user_ids ?? []) : [])).map(serverOf);
  return [...new Set(servers.filter((s) => s !== ownServer))];
}

export interface SentMessage {
  outgoing: Outgoing;
  /** Where it went and its event id, if the homeserver gave one. */
  roomId: string;
  eventId: string | undefined;
}

/**
 * One notice per sent message and unreachable server, in the same room (and thread), as a
 * reply to the message that did not reach its target, so that it says which step it was.
 */
export function unreachableNotices(
  sent: readonly SentMessage[],
  unreachable: ReadonlySet<string>,
  opts: { ownServer: string; nameOf: (userId: string) => string; languageOf: (roomId: string) => Language },
): Outgoing[] {
  const notices: Outgoing[] = [];
  for (const { outgoing: o, roomId, eventId } of sent) {
    if (o.kind !== "message") continue;
    const missed = (o.mentions?.user_ids ?? []).filter((u) => serverOf(u) !== opts.ownServer && unreachable.has(serverOf(u)));
    for (const server of new Set(missed.map(serverOf))) {
      const names = missed
        .filter((u) => serverOf(u) === server)
        .map(opts.nameOf)
        .join(", ");
      notices.push({
        kind: "message",
        roomId,
        reply: reply(paragraph(t(opts.languageOf(roomId), "federation.unreachable", { names, server }))),
        ...(o.threadRootId ? { threadRootId: o.threadRootId } : {}),
        ...(eventId ? { inReplyTo: eventId } : {}),
      });
    }
  }
  return notices;
}
