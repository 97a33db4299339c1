// What every stage of a consult's life uses: the store, case ids, who is paged and in
// which language, where its ladder stands, and the refusals.
import type { BotContext, CommandContext, Outgoing } from "../messaging/types.ts";
import { expertsBySpecialty } from "../config/lookup.ts";
import type { Language, Priority, Specialty } from "../config/schema.ts";
import { bold, code, paragraph, reply, t, tRich, type Block } from "../i18n/index.ts";
import { ladderFor, nextStep, type LadderState } from "./ladder.ts";
import { formatClock } from "./local-time.ts";
import { answer, districtName, formatWait, languageOf, priorityName, specialtyName, stepName, type Actor } from "./messages.ts";
import { permitted, type ConsultAction } from "./permissions.ts";
import { onCallAt, userIdOf } from "./rota.ts";
import { consultStoreOf, type Consult, type ConsultStore } from "./store.ts";

export function consultStore(ctx: BotContext): ConsultStore {
  return consultStoreOf(ctx.store.db);
}

/** A case id as typed on a phone: `tl-42`, `TL-0042` and `42` all name TL-0042. */
export function normalizeCaseId(ctx: BotContext, text: string): string {
  const prefix = ctx.province.province.case_prefix;
  const match = /^(?:([a-z]{2,4})\s*-?\s*)?0*(\d+)$/iu.exec(text.trim());
  if (!match) return text.trim().toUpperCase();
  return `${(match[1] ?? prefix).toUpperCase()}-${match[2]!.padStart(4, "0")}`;
}

export function findConsult(ctx: BotContext, caseId: string): Consult | undefined {
  return consultStore(ctx).get(normalizeCaseId(ctx, caseId));
}

/** The actor of a command or message handed to a handler. */
export function actorOf(ctx: CommandContext): Actor {
  return { sender: ctx.sender, eventId: ctx.event.eventId, roomId: ctx.event.roomId, ...(ctx.event.threadRootId !== undefined ? { threadRootId: ctx.event.threadRootId } : {}) };
}

// ── Paging ───────────────────────────────────────────────────────────────────

/** Who is paged when a ladder run starts: the on-call expert, else the backup, else every local expert of the specialty. */
export function onCallTargets(ctx: BotContext, specialty: Specialty, at: number): string[] {
  const now = onCallAt(ctx.province, specialty, at, consultStore(ctx).rotaOverrides(at));
  const first = now.expert ?? now.backup;
  if (first !== undefined) return [first];
  return expertsBySpecialty(ctx.province, specialty).map((p) => userIdOf(ctx.province, p.id));
}

/** The people paged for `cause`: as recorded if it was already paged, else computed now and recorded. */
export function pagesOnce(store: ConsultStore, consult: Consult, cause: string, at: number, compute: () => string[]): string[] {
  const recorded = store.pages(consult.caseId, cause).map((p) => p.userId);
  if (recorded.length > 0) return recorded;
  const userIds = [...new Set(compute())];
  store.recordPages(consult.caseId, cause, userIds, at);
  return userIds;
}

export function splitPartners(ctx: BotContext, userIds: readonly string[]): { local: string[]; partners: string[] } {
  const partner = new Set(ctx.province.federation.partner_experts.map((p) => p.user_id));
  return { local: userIds.filter((id) => !partner.has(id)), partners: userIds.filter((id) => partner.has(id)) };
}

/** A consult's thread speaks the language of the health worker who asked: the card and the template are for them. */
export function threadLanguage(ctx: BotContext, consult: Consult): Language {
  return ctx.senderOf(consult.requester)?.language ?? "lo";
}

/** A page meant for particular people (the backup, the coordinator, the responder) speaks their language. */
export function languageFor(ctx: BotContext, userIds: readonly string[], fallback: Language): Language {
  const people = userIds.flatMap((id) => {
    const sender = ctx.senderOf(id);
    return sender ? [sender] : [];
  });
  return people.length > 0 ? languageOf(people) : fallback;
}

export function caseParams(ctx: BotContext, lang: Language, consult: Consult) {
  return {
    case_id: bold(consult.caseId),
    priority: priorityName(lang, consult.priority),
    specialty: specialtyName(lang, consult.specialty),
    district: districtName(ctx.province, lang, consult.districtId),
  };
}

// ── The ladder ───────────────────────────────────────────────────────────────

export function freshLadder(ctx: BotContext, priority: Priority, startedAt: number): LadderState {
  return { steps: ladderFor(ctx.province, priority), startedAt, fired: new Set(), stopped: false };
}

export function ladderState(ctx: BotContext, consult: Consult): LadderState {
  return {
    steps: ladderFor(ctx.province, consult.priority),
    startedAt: consult.ladderStartedAt,
    fired: new Set(
      consultStore(ctx)
        .firedSteps(consult.caseId, consult.ladderRun)
        .map((s) => s.stepIndex),
    ),
    stopped: consult.status !== "open" || consult.firstResponseAt !== undefined,
  };
}

export function nextStepLine(ctx: BotContext, lang: Language, state: LadderState): Block[] {
  const next = nextStep(state);
  if (!next) return [];
  return [
    paragraph(
      t(lang, "consult.card.next", {
        time: formatClock(ctx.province.province.timezone, next.at),
        wait: formatWait(lang, next.at - state.startedAt),
        step: stepName(lang, next.step.action),
      }),
    ),
  ];
}

export function nameOrId(ctx: BotContext, userId: string): string {
  return ctx.senderOf(userId)?.displayName ?? userId;
}

// ── Refusals ─────────────────────────────────────────────────────────────────

export function refusal(actor: Actor, action: ConsultAction): Outgoing {
  return answer(actor, reply(paragraph(t(actor.sender.language, `consult.refused.${action}`))));
}

export function unknownCase(actor: Actor, caseId: string): Outgoing {
  return answer(actor, reply(paragraph(t(actor.sender.language, "consult.unknown_case", { case_id: Array.from(caseId.trim()).slice(0, 40).join("") }))));
}

export function closedCase(ctx: BotContext, actor: Actor, consult: Consult): Outgoing {
  const lang = actor.sender.language;
  return answer(actor, reply(paragraph(...tRich(lang, "consult.closed_case", { case_id: bold(consult.caseId), command: code(`${ctx.province.bot.command_prefix}reopen ${consult.caseId}`) }))));
}

/**
 * The preamble that close, reopen, escalate and refer share: the case must exist and the
 * actor may do `action` to it (decided by src/consult/permissions.ts, "own" meaning their
 * own request). `replayed` finds what this same event already did (the bot handled it before
 * a crash), so the caller answers from the record instead of acting twice.
 */
export function guardCase<T>(
  ctx: BotContext,
  actor: Actor,
  caseId: string,
  action: ConsultAction,
  replayed: (store: ConsultStore) => T | undefined,
): { consult: Consult; done: T | undefined } | { answer: Outgoing[] } {
  const consult = findConsult(ctx, caseId);
  if (!consult) return { answer: [unknownCase(actor, caseId)] };
  if (!permitted(actor.sender.role, action, consult.requester === actor.sender.userId)) return { answer: [refusal(actor, action)] };
  return { consult, done: replayed(consultStore(ctx)) };
}
