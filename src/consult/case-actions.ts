// What experts, coordinators and health workers do to a case once it is open: refer it,
// close it with an outcome, reopen it, list what is open.
import type { BotContext, Outgoing } from "../messaging/types.ts";
import { districtOfFacility, facilities, facilityById } from "../config/lookup.ts";
import type { Facility } from "../config/schema.ts";
import { bold, list, paragraph, reply, t, tRich } from "../i18n/index.ts";
import { nextStep } from "./ladder.ts";
import { formatClock } from "./local-time.ts";
import { answer, confirm, facilityName, facilityWithDistrict, formatWait, inRoom, inThread, languageOf, names, outcomeName, stepName, type Actor } from "./messages.ts";
import { permitted } from "./permissions.ts";
import { userIdOf } from "./rota.ts";
import { OUTCOMES, type Outcome } from "./types.ts";
import { caseParams, consultStore, guardCase, refusal, threadLanguage, ladderState, nameOrId } from "./common.ts";
import { runMessages } from "./escalation.ts";

// ── Referral ─────────────────────────────────────────────────────────────────

/** A facility by id or by name in either language, ignoring case; a unique partial match will do. */
function findFacility(ctx: BotContext, query: string): Facility | undefined {
  const q = query.trim().normalize("NFC").toLowerCase();
  if (q === "") return undefined;
  const all = facilities(ctx.province);
  const texts = (f: Facility) => [f.id, f.name.en, f.name.lo].map((s) => s.normalize("NFC").toLowerCase());
  const exact = all.find((f) => texts(f).includes(q));
  if (exact) return exact;
  const partial = all.filter((f) => texts(f).some((s) => s.includes(q)));
  return partial.length === 1 ? partial[0] : undefined;
}

/**
 * Records that the woman or baby is referred to a facility, and tells that facility's
 * district room (ringing the facility's staff) the case id and where it comes from, nothing else.
 */
export function refer(ctx: BotContext, actor: Actor, caseId: string, facilityQuery: string): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
  const guarded = guardCase(ctx, actor, caseId, "refer", (s) => s.referralByEvent(actor.eventId));
  if ("answer" in guarded) return guarded.answer;
  const { consult, done } = guarded;
  const facility = done ? facilityById(ctx.province, done.facilityId) : findFacility(ctx, facilityQuery);
  if (!facility) {
    const examples = facilities(ctx.province)
      .filter((f) => f.kind !== "health_centre")
      .map((f) => f.id)
      .join(", ");
    return [answer(actor, reply(paragraph(t(lang, "consult.refer.unknown_facility", { query: facilityQuery, examples }))))];
  }
  if (!done) store.refer({ eventId: actor.eventId, caseId: consult.caseId, facilityId: facility.id, by: actor.sender.userId, at: ctx.clock.now() });

  const tl = threadLanguage(ctx, consult);
  const district = districtOfFacility(ctx.province, facility.id);
  const roomId = district && ctx.roomIds.get(`district:${district.id}`);
  const out: Outgoing[] = [];
  if (roomId !== undefined) {
    const staff = ctx.province.people.filter((p) => p.facility === facility.id && p.role !== "admin");
    const rl = languageOf(staff.length > 0 ? staff : ctx.province.people.filter((p) => districtOfFacility(ctx.province, p.facility)?.id === district?.id));
    const staffIds = staff.map((p) => userIdOf(ctx.province, p.id));
    const content = reply(
      paragraph(
        ...tRich(rl, "consult.refer.incoming", {
          case_id: bold(consult.caseId),
          facility: facilityName(ctx.province, rl, facility.id),
          origin: facilityWithDistrict(ctx.province, rl, consult.facilityId),
          names: staffIds.length > 0 ? names(ctx.province, staffIds) : facilityName(ctx.province, rl, facility.id),
        }),
      ),
    );
    out.push(inRoom(roomId, content, { userIds: staffIds }));
    out.push(inThread(consult, reply(paragraph(...tRich(tl, "consult.refer.recorded", { case_id: bold(consult.caseId), facility: facilityName(ctx.province, tl, facility.id) })))));
  } else {
    const phone = facility.phone ?? ctx.province.rules.hospital_phone;
    out.push(inThread(consult, reply(paragraph(...tRich(tl, "consult.refer.no_room", { case_id: bold(consult.caseId), facility: facilityName(ctx.province, tl, facility.id), phone: bold(phone) })))));
  }
  return [...out, ...confirm(actor, consult)];
}

// ── Closing and reopening ────────────────────────────────────────────────────

/** An outcome from its id (`managed_locally`, `managed-locally`) or its name in either language. */
export function parseOutcome(text: string): Outcome | undefined {
  const q = text
    .trim()
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s-]+/gu, "_");
  if (q === "") return undefined;
  return OUTCOMES.find(
    (o) =>
      o === q ||
      (["en", "lo"] as const).some(
        (l) =>
          outcomeName(l, o)
            .normalize("NFC")
            .toLowerCase()
            .replace(/[\s-]+/gu, "_") === q,
      ),
  );
}

export function close(ctx: BotContext, actor: Actor, caseId: string, outcomeText: string): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
  const guarded = guardCase(ctx, actor, caseId, "close", (s) => s.statusChangeByEvent(actor.eventId));
  if ("answer" in guarded) return guarded.answer;
  const { consult, done } = guarded;
  if (!done) {
    const outcome = parseOutcome(outcomeText);
    if (outcome === undefined) {
      const choices = OUTCOMES.map((o) => `${o} (${outcomeName(lang, o)})`).join(", ");
      return [answer(actor, reply(paragraph(t(lang, "consult.close.unknown_outcome", { outcome: outcomeText, choices }))))];
    }
    if (consult.status === "closed") {
      return [answer(actor, reply(paragraph(...tRich(lang, "consult.close.already", { case_id: bold(consult.caseId), outcome: consult.outcome ? outcomeName(lang, consult.outcome) : "-" }))))];
    }
    store.setStatus({ eventId: actor.eventId, caseId: consult.caseId, status: "closed", outcome, by: actor.sender.userId, at: ctx.clock.now() });
  }
  const change = store.statusChangeByEvent(actor.eventId)!;
  const tl = threadLanguage(ctx, consult);
  const outcome = change.outcome ? outcomeName(tl, change.outcome) : "-";
  return [inThread(consult, reply(paragraph(...tRich(tl, "consult.close.done", { case_id: bold(consult.caseId), outcome })))), ...confirm(actor, consult)];
}

/** Opens a closed consult again; its ladder starts again at its priority (or its responder is paged). */
export function reopen(ctx: BotContext, actor: Actor, caseId: string): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
  const guarded = guardCase(ctx, actor, caseId, "reopen", (s) => s.statusChangeByEvent(actor.eventId));
  if ("answer" in guarded) return guarded.answer;
  const { consult, done } = guarded;
  if (!done) {
    if (consult.status === "open") return [answer(actor, reply(paragraph(...tRich(lang, "consult.reopen.not_closed", { case_id: bold(consult.caseId) }))))];
    store.setStatus({ eventId: actor.eventId, caseId: consult.caseId, status: "open", by: actor.sender.userId, at: ctx.clock.now() });
  }
  const run =
    store.runByEvent(actor.eventId) ??
    store.startRun(
      { cause: "reopen", fromPriority: consult.priority, toPriority: consult.priority, by: actor.sender.userId, eventId: actor.eventId, at: store.statusChangeByEvent(actor.eventId)!.at },
      consult.caseId,
    )!;
  return [...runMessages(ctx, store.get(consult.caseId)!, run), ...confirm(actor, consult)];
}

// ── Listing ──────────────────────────────────────────────────────────────────

/**
 * `!open`: open consults, oldest first, with their age and where their ladder stands.
 * Health workers see the consults of the room they ask in; experts and coordinators see all.
 */
export function openList(ctx: BotContext, actor: Actor): Outgoing[] {
  const lang = actor.sender.language;
  if (!permitted(actor.sender.role, "list")) return [refusal(actor, "list")];
  const store = consultStore(ctx);
  const all = actor.sender.role === "expert" || actor.sender.role === "coordinator";
  const consults = all ? store.openConsults() : store.openConsults(actor.roomId);
  if (consults.length === 0) return [answer(actor, reply(paragraph(t(lang, "consult.list.none"))))];
  const now = ctx.clock.now();
  const tz = ctx.province.province.timezone;
  const items = consults.map((consult) => {
    const state = ladderState(ctx, consult);
    const head = tRich(lang, "consult.list.item", { ...caseParams(ctx, lang, consult), age: formatWait(lang, now - consult.openedAt) });
    let where: string;
    if (consult.firstResponder !== undefined) where = t(lang, "consult.list.answered", { name: nameOrId(ctx, consult.firstResponder) });
    else {
      const next = nextStep(state);
      const reached = consult.escalationStep + 1;
      where = next
        ? t(lang, "consult.list.waiting", { reached, steps: state.steps.length, step: stepName(lang, next.step.action), time: formatClock(tz, next.at) })
        : t(lang, "consult.list.top", { reached, steps: state.steps.length });
    }
    return [...head, " — ", where];
  });
  return [answer(actor, reply(paragraph(bold(t(lang, "consult.list.title"))), list(items)))];
}
