// An expert answers: by `!ack`, a reply in the consult's thread or a ✅; and what a message
// or reaction that is not a command means for a consult.
import type { BotContext, CommandContext, Outgoing, Sender } from "../messaging/types.ts";
import { bold, paragraph, reply, tRich } from "../i18n/index.ts";
import { formatClock } from "./local-time.ts";
import { answer, confirm, formatWait, inThread, type Actor } from "./messages.ts";
import { permitted } from "./permissions.ts";
import type { AckVia } from "./store.ts";
import { detectTag, guessSpecialty, isHigher, stripReplyFallback } from "./tags.ts";
import { actorOf, consultStore, refusal, findConsult, threadLanguage, nameOrId, unknownCase, closedCase } from "./common.ts";
import { escalateByTag } from "./escalation.ts";
import { openConsult, privacyReminder } from "./opening.ts";

// ── Acknowledgement ──────────────────────────────────────────────────────────

/**
 * An expert answers a consult: by a reply in its thread, a ✅ on the request or the bot's
 * card, or `!ack`. The first answer is the consult's first response (its time is what the
 * reports measure) and stops the ladder; the thread is told who is answering. Replies and
 * reactions from people who may not acknowledge are not answers and pass silently; a
 * command gets a refusal.
 */
export function acknowledge(ctx: BotContext, actor: Actor, caseId: string, via: AckVia): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
  const consult = findConsult(ctx, caseId);
  const silent = via !== "command";
  if (!consult) return silent ? [] : [unknownCase(actor, caseId)];
  const implicitOk = actor.sender.role === "expert";
  if (silent ? !implicitOk : !permitted(actor.sender.role, "acknowledge")) return silent ? [] : [refusal(actor, "acknowledge")];

  const mine = store.acknowledgements(consult.caseId).find((a) => a.userId === actor.sender.userId);
  if (mine === undefined) {
    if (consult.status !== "open") return silent ? [] : [closedCase(ctx, actor, consult)];
    store.acknowledge({ caseId: consult.caseId, userId: actor.sender.userId, via, eventId: actor.eventId, at: ctx.clock.now() }, true);
  } else if (mine.eventId !== actor.eventId) {
    return silent ? [] : [answer(actor, reply(paragraph(...tRich(lang, "consult.ack.again", { case_id: bold(consult.caseId) }))))];
  }
  // From here: this event's acknowledgement, new or handled again.
  const now = store.get(consult.caseId)!;
  const ack = store.acknowledgements(consult.caseId).find((a) => a.userId === actor.sender.userId)!;
  if (now.firstResponder === ack.userId && now.firstResponseAt === ack.at) {
    const tl = threadLanguage(ctx, now);
    const content = reply(paragraph(...tRich(tl, "consult.ack.answered", { name: actor.sender.displayName, case_id: bold(now.caseId), wait: formatWait(tl, ack.at - now.openedAt) })));
    return [inThread(now, content), ...(via === "command" ? confirm(actor, now) : [])];
  }
  if (silent) return [];
  const first = now.firstResponder ?? "";
  return [
    answer(
      actor,
      reply(
        paragraph(...tRich(lang, "consult.ack.already", { case_id: bold(now.caseId), name: nameOrId(ctx, first), time: formatClock(ctx.province.province.timezone, now.firstResponseAt ?? ack.at) })),
      ),
    ),
  ];
}

// ── Messages and reactions that are not commands ─────────────────────────────

/**
 * A message that is not a command. In a consult's thread (or replying to its request):
 * an expert's message acknowledges; a higher tag from whoever may escalate raises the
 * priority; a phone or ID number earns a reminder. Elsewhere in a district room, a tag
 * opens a consult (for those who may open one; others discuss tags freely).
 */
export function onMessage(ctx: CommandContext): Outgoing[] {
  const actor = actorOf(ctx);
  const body = ctx.event.body;
  const store = consultStore(ctx);
  const related = ctx.event.threadRootId ?? ctx.event.inReplyTo;
  const consult = related !== undefined ? store.byEvent(related) : undefined;
  if (consult && consult.roomId === ctx.event.roomId) {
    // Without threads (Element X) a conversation is a chain of plain replies: a reply to this message is about the same consult.
    store.linkEvent(consult.caseId, actor.eventId);
    const out: Outgoing[] = [];
    if (consult.status === "open" && ctx.sender.role === "expert") out.push(...acknowledge(ctx, actor, consult.caseId, "reply"));
    const tag = detectTag(ctx.province, body);
    // Handled again after a crash, the tag is no longer higher: its escalation is found by the event.
    if (tag !== undefined && (isHigher(tag, consult.priority) || store.runByEvent(actor.eventId))) out.push(...escalateByTag(ctx, actor, consult, tag));
    out.push(...privacyReminder(ctx, consult, actor, body));
    return out;
  }
  if (ctx.room.kind !== "district") return [];
  const priority = detectTag(ctx.province, body);
  if (priority === undefined || !permitted(ctx.sender.role, "open")) return [];
  return openConsult(ctx, actor, body, { priority, specialty: guessSpecialty(stripReplyFallback(body)), openedBy: "tag" });
}

const ACK_KEYS = new Set(["✅", "✔", "☑"]);

/** A ✅ (or ✔, ☑) from an expert on a consult's request or on one of the bot's messages about it acknowledges it. */
export function onReaction(ctx: BotContext, reaction: { eventId: string; roomId: string; sender: string; key: string; relatesTo: string }): Outgoing[] {
  if (!ACK_KEYS.has(reaction.key.replace(/\uFE0F/gu, ""))) return [];
  const sender: Sender | undefined = ctx.senderOf(reaction.sender);
  const consult = consultStore(ctx).byEvent(reaction.relatesTo);
  if (!sender || !consult || consult.roomId !== reaction.roomId) return [];
  return acknowledge(ctx, { sender, eventId: reaction.eventId, roomId: reaction.roomId }, consult.caseId, "reaction");
}
