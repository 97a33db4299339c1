// Replies as the Matrix spec has them since v1.13 (MSC2781): a reply is only its
// `m.relates_to.m.in_reply_to`; the quoted "reply fallback" (`> <@user> …` lines in
// `body`, `<mx-reply>` in `formatted_body`) was removed from the spec. The bot sends
// none, but Element Classic and older clients still put one in front of what people
// type, so everything read from a reply has it taken off first: a quoted `#emergency`
// is not a new emergency, and `!ack` after a quote is still a command.

/** The quoted lines a client without threads put before the reply, and the blank line after them. */
export function stripReplyFallback(body: string): string {
  // A fallback starts with the quoted sender (`> <@user:server>`, or `> * <@user…>` for an emote).
  if (!body.startsWith("> <") && !body.startsWith("> * <")) return body;
  const lines = body.split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(">")) i++;
  return lines.slice(i).join("\n").trimStart();
}

export interface Relation {
  /** The thread's root, for an `m.thread` relation. */
  threadRootId?: string;
  /** The event replied to (a plain reply, or the thread's own reply fallback to its root or a message in it). */
  inReplyTo?: string;
}

/** Where a received message points, read defensively: any of it may be missing or of the wrong type. */
export function relationOf(content: Record<string, unknown>): Relation {
  const relates = content["m.relates_to"];
  if (typeof relates !== "object" || relates === null) return {};
  const r = relates as { rel_type?: unknown; event_id?: unknown; "m.in_reply_to"?: { event_id?: unknown } };
  const inReplyTo = typeof r["m.in_reply_to"]?.event_id === "string" ? r["m.in_reply_to"].event_id : undefined;
  return {
    ...(r.rel_type === "m.thread" && typeof r.event_id === "string" ? { threadRootId: r.event_id } : {}),
    ...(inReplyTo !== undefined ? { inReplyTo } : {}),
  };
}

/** The text a person wrote in a received message: without the reply fallback when it is a reply. */
export function typedText(body: string, relation: Relation): string {
  return relation.inReplyTo !== undefined ? stripReplyFallback(body) : body;
}
