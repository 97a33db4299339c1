// The life of a consult: opening and paging, the escalation ladder, acknowledgement,
// escalation, referral, closing and reopening. Each operation reads and writes the
// consult store at the injected clock's time and returns what to send; the runtime sends.
//
// Whatever an event changes is keyed by that event's id. Handling the same event again
// (the bot crashed before marking it done) changes nothing a second time and returns the
// same messages in the same order, which the runtime sends with the same transaction ids,
// so the homeserver drops whatever had already gone out.
//
// Decisions:
// - A ladder run starts at the opening and again at each escalation or reopening, with the
//   ladder of the consult's priority measured from that moment. Escalation pages the
//   on-call expert at once and gives them the new, shorter deadlines; measuring from the
//   opening instead would fire every step of the new ladder in the same instant, `@room`
//   and "phone the hospital" included, before anyone could answer.
// - When the consult has been answered, escalating or reopening pages the expert who
//   answered rather than restarting the ladder: they are already on it.
// - Answering by a reply in the thread or a ✅ counts for experts (partners included);
//   `!ack` counts for coordinators too, who may acknowledge on an expert's behalf.
//
// Where things are: src/consult/opening.ts (the card, paging, the template),
// escalation.ts (the ladder and escalating), answers.ts (acknowledgement, thread replies,
// reactions), case-actions.ts (refer, close, reopen, list) and common.ts (what they share,
// with the one guard for "the case exists and the actor may do this"). Who may do what is
// one table, src/consult/permissions.ts; a command's declared roles come from it, and the
// dispatcher (src/bot/commands.ts, `refuse`) checks roles and rooms before a handler runs.
export type { Actor } from "./messages.ts";
export { acknowledge, onMessage, onReaction } from "./answers.ts";
export { close, openList, parseOutcome, refer, reopen } from "./case-actions.ts";
export { actorOf, consultStore, normalizeCaseId, refusal } from "./common.ts";
export { escalate, escalationTick, firingDone, undeliveredStep, type Firing } from "./escalation.ts";
export { openConsult, type OpenRequest } from "./opening.ts";
