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
import type { BotContext, CommandContext, Outgoing, Sender } from "../messaging/types.ts";
import { districtOfFacility, expertsBySpecialty, facilities, facilityById } from "../config/lookup.ts";
import type { Facility, Language, Priority, Specialty } from "../config/schema.ts";
import { bold, code, list, paragraph, reply, t, tRich, type Block } from "../i18n/index.ts";
import { looksLikeIdentifier, missingEssentials } from "./essentials.ts";
import { dueSteps, ladderFor, nextStep, type EscalationAction, type LadderState } from "./ladder.ts";
import { formatClock } from "./local-time.ts";
import {
  answer,
  confirm,
  districtName,
  expertsRoomLanguage,
  facilityName,
  facilityWithDistrict,
  formatWait,
  inRoom,
  inThread,
  languageOf,
  names,
  outcomeName,
  priorityName,
  specialtyName,
  stepName,
  type Actor,
} from "./messages.ts";
import { permitted, type ConsultAction } from "./permissions.ts";
import { onCallAt, userIdOf } from "./rota.ts";
import { consultStoreOf, type AckVia, type Consult, type ConsultStore, type FiredStep, type LadderRun } from "./store.ts";
import { detectTag, guessSpecialty, isHigher, PRIORITIES, stripReplyFallback } from "./tags.ts";
import { OUTCOMES, type Outcome } from "./types.ts";

export type { Actor } from "./messages.ts";

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

function findConsult(ctx: BotContext, caseId: string): Consult | undefined {
  return consultStore(ctx).get(normalizeCaseId(ctx, caseId));
}

/** The actor of a command or message handed to a handler. */
export function actorOf(ctx: CommandContext): Actor {
  return { sender: ctx.sender, eventId: ctx.event.eventId, roomId: ctx.event.roomId, ...(ctx.event.threadRootId !== undefined ? { threadRootId: ctx.event.threadRootId } : {}) };
}

// ── Opening ──────────────────────────────────────────────────────────────────

export interface OpenRequest {
  priority: Priority;
  specialty: Specialty;
  openedBy: "command" | "tag";
}

/**
 * Opens a consult for the actor's message (`body` is its text, read for the case template
 * and the privacy reminder, never kept). Answers in a thread on the request: the card
 * (case id, priority, who is paged, when the next step happens) as an m.text that rings
 * the paged experts, then the case template with only what is missing.
 */
export function openConsult(ctx: BotContext, actor: Actor, body: string, request: OpenRequest): Outgoing[] {
  const lang = actor.sender.language;
  const room = ctx.roomInfo(actor.roomId);
  if (room?.kind !== "district" || room.districtId === undefined) return [answer(actor, reply(paragraph(t(lang, "consult.refused.not_district"))))];
  if (!permitted(actor.sender.role, "open")) return [refusal(actor, "open")];
  const facilityId = actor.sender.person?.facility;
  if (facilityId === undefined) return [refusal(actor, "open")];

  const store = consultStore(ctx);
  const { consult } = store.open(
    {
      requestEventId: actor.eventId,
      roomId: actor.roomId,
      districtId: room.districtId,
      facilityId,
      requester: actor.sender.userId,
      priority: request.priority,
      specialty: request.specialty,
      openedBy: request.openedBy,
      openedAt: ctx.clock.now(),
    },
    ctx.province.province.case_prefix,
  );
  const paged = pagesOnce(store, consult, "run:0", consult.openedAt, () => onCallTargets(ctx, consult.specialty, consult.openedAt));
  const out = [...card(ctx, consult, paged), ...template(consult, lang, body)];
  out.push(...privacyReminder(ctx, consult, actor, body));
  return out;
}

function card(ctx: BotContext, consult: Consult, paged: readonly string[]): Outgoing[] {
  const { province } = ctx;
  const lang = threadLanguage(ctx, consult);
  const { local, partners } = splitPartners(ctx, paged);
  const blocks: Block[] = [
    paragraph(...tRich(lang, "consult.card.title", { case_id: bold(consult.caseId), priority: priorityName(lang, consult.priority), specialty: specialtyName(lang, consult.specialty) })),
  ];
  if (local.length > 0) blocks.push(paragraph(t(lang, "consult.card.paged", { names: names(province, local) })));
  if (partners.length > 0) blocks.push(paragraph(t(lang, "consult.card.paged_partners", { names: names(province, partners) })));
  if (paged.length === 0) blocks.push(paragraph(t(lang, "consult.card.nobody_on_call", { specialty: specialtyName(lang, consult.specialty) })));
  blocks.push(...nextStepLine(ctx, lang, freshLadder(ctx, consult.priority, consult.openedAt)));
  blocks.push(paragraph(...tRich(lang, "consult.card.how_to_answer", { command: code(`${province.bot.command_prefix}ack ${consult.caseId}`) })));
  return [inThread(consult, reply(...blocks), { userIds: local }), ...expertsRoomPages(ctx, consult, partners, paged.length === 0)];
}

/** Partner experts cannot see district rooms: they are paged in the experts' room, with the case id only. */
function expertsRoomPages(ctx: BotContext, consult: Consult, partners: readonly string[], nobody: boolean): Outgoing[] {
  const roomId = ctx.roomIds.get("experts");
  if (roomId === undefined) return [];
  const lang = expertsRoomLanguage(ctx.province);
  const out: Outgoing[] = [];
  const about = caseParams(ctx, lang, consult);
  if (partners.length > 0) {
    out.push(inRoom(roomId, reply(paragraph(...tRich(lang, "consult.experts.paged", { ...about, names: names(ctx.province, partners), command: code(`${ctx.province.bot.command_prefix}ack ${consult.caseId}`) }))), { userIds: partners }));
  }
  if (nobody) out.push(inRoom(roomId, reply(paragraph(...tRich(lang, "consult.experts.nobody_on_call", about))), { room: true }));
  return out;
}

function template(consult: Consult, lang: Language, body: string): Outgoing[] {
  const missing = missingEssentials(stripReplyFallback(body));
  if (missing.length === 0) return [];
  return [
    inThread(
      consult,
      reply(
        paragraph(t(lang, "consult.template.title")),
        list(missing.map((essential) => t(lang, `consult.essential.${essential}`))),
        paragraph(t(lang, "consult.template.privacy")),
      ),
    ),
  ];
}

/** Once per consult and person: a private reminder (in the bot's direct room with them) not to post phone or ID numbers. */
function privacyReminder(ctx: BotContext, consult: Consult, actor: Actor, body: string): Outgoing[] {
  const { province } = ctx;
  const known = [province.rules.hospital_phone, ...facilities(province).flatMap((f) => (f.phone ? [f.phone] : [])), ...province.people.flatMap((p) => (p.phone ? [p.phone] : []))];
  if (!looksLikeIdentifier(stripReplyFallback(body), known)) return [];
  const store = consultStore(ctx);
  if (!store.claimPrivacyReminder(consult.caseId, actor.sender.userId, actor.eventId, ctx.clock.now())) return [];
  const content = reply(paragraph(...tRich(actor.sender.language, "consult.privacy.reminder", { case_id: bold(consult.caseId) })));
  return [{ kind: "message", reply: content, msgtype: "m.notice", directTo: actor.sender.userId }];
}

// ── Paging ───────────────────────────────────────────────────────────────────

/** Who is paged when a ladder run starts: the on-call expert, else the backup, else every local expert of the specialty. */
function onCallTargets(ctx: BotContext, specialty: Specialty, at: number): string[] {
  const now = onCallAt(ctx.province, specialty, at, consultStore(ctx).rotaOverrides(at));
  const first = now.expert ?? now.backup;
  if (first !== undefined) return [first];
  return expertsBySpecialty(ctx.province, specialty).map((p) => userIdOf(ctx.province, p.id));
}

/** The people paged for `cause`: as recorded if it was already paged, else computed now and recorded. */
function pagesOnce(store: ConsultStore, consult: Consult, cause: string, at: number, compute: () => string[]): string[] {
  const recorded = store.pages(consult.caseId, cause).map((p) => p.userId);
  if (recorded.length > 0) return recorded;
  const userIds = [...new Set(compute())];
  store.recordPages(consult.caseId, cause, userIds, at);
  return userIds;
}

function splitPartners(ctx: BotContext, userIds: readonly string[]): { local: string[]; partners: string[] } {
  const partner = new Set(ctx.province.federation.partner_experts.map((p) => p.user_id));
  return { local: userIds.filter((id) => !partner.has(id)), partners: userIds.filter((id) => partner.has(id)) };
}

/** A consult's thread speaks the language of the health worker who asked: the card and the template are for them. */
function threadLanguage(ctx: BotContext, consult: Consult): Language {
  return ctx.senderOf(consult.requester)?.language ?? "lo";
}

/** A page meant for particular people (the backup, the coordinator, the responder) speaks their language. */
function languageFor(ctx: BotContext, userIds: readonly string[], fallback: Language): Language {
  const people = userIds.flatMap((id) => {
    const sender = ctx.senderOf(id);
    return sender ? [sender] : [];
  });
  return people.length > 0 ? languageOf(people) : fallback;
}

function caseParams(ctx: BotContext, lang: Language, consult: Consult) {
  return {
    case_id: bold(consult.caseId),
    priority: priorityName(lang, consult.priority),
    specialty: specialtyName(lang, consult.specialty),
    district: districtName(ctx.province, lang, consult.districtId),
  };
}

// ── The ladder ───────────────────────────────────────────────────────────────

function freshLadder(ctx: BotContext, priority: Priority, startedAt: number): LadderState {
  return { steps: ladderFor(ctx.province, priority), startedAt, fired: new Set(), stopped: false };
}

function ladderState(ctx: BotContext, consult: Consult): LadderState {
  return {
    steps: ladderFor(ctx.province, consult.priority),
    startedAt: consult.ladderStartedAt,
    fired: new Set(consultStore(ctx).firedSteps(consult.caseId, consult.ladderRun).map((s) => s.stepIndex)),
    stopped: consult.status !== "open" || consult.firstResponseAt !== undefined,
  };
}

function nextStepLine(ctx: BotContext, lang: Language, state: LadderState): Block[] {
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

/** One ladder step's messages, sent under `key` (the runtime's transaction ids derive from it). */
export interface Firing {
  /** `caseId:run:step`, the same every time this step is sent. */
  key: string;
  caseId: string;
  run: number;
  stepIndex: number;
  action: EscalationAction;
  outgoing: Outgoing[];
}

/**
 * Fires the ladder steps that are due for every open, unanswered consult. Each step is
 * claimed in the store before its messages are returned, so it fires once however often
 * this runs; steps overdue after a restart come due together and fire in order. A step
 * claimed before a crash but never marked done is returned again under the same key.
 * The runtime sends each firing's messages, then calls `firingDone`.
 */
export function escalationTick(ctx: BotContext): Firing[] {
  const store = consultStore(ctx);
  const now = ctx.clock.now();
  const firings: Firing[] = [];
  for (const step of store.unfinishedSteps()) {
    const consult = store.get(step.caseId);
    if (!consult || consult.ladderRun !== step.run || ladderState(ctx, consult).stopped) {
      store.markStepDone(step.caseId, step.run, step.stepIndex);
      continue;
    }
    firings.push(fire(ctx, consult, step));
  }
  for (const consult of store.openConsults()) {
    const state = ladderState(ctx, consult);
    for (const step of dueSteps(state, now)) {
      const claimed = { caseId: consult.caseId, run: consult.ladderRun, stepIndex: step.index, action: step.action, dueAt: state.startedAt + step.after, firedAt: now };
      if (store.claimStep(claimed)) firings.push(fire(ctx, store.get(consult.caseId)!, { ...claimed, status: "claimed" }));
    }
  }
  return firings;
}

export function firingDone(ctx: BotContext, firing: Firing): void {
  consultStore(ctx).markStepDone(firing.caseId, firing.run, firing.stepIndex);
}

/**
 * Some of a step's messages can never be posted (the bot was removed from their room or
 * may no longer post there): nobody in that room heard the step, so the coordinators (else
 * the specialty's experts) hear it in the experts' room. Nothing when that room is the one lost.
 */
export function undeliveredStep(ctx: BotContext, firing: Pick<Firing, "caseId" | "action">, roomIds: readonly string[]): Outgoing[] {
  const { province } = ctx;
  const expertsRoom = ctx.roomIds.get("experts");
  const consult = consultStore(ctx).get(firing.caseId);
  if (expertsRoom === undefined || !consult || roomIds.every((r) => r === expertsRoom)) return [];
  const coordinators = province.people.filter((p) => p.role === "coordinator");
  const told = (coordinators.length > 0 ? coordinators : expertsBySpecialty(province, consult.specialty)).map((p) => userIdOf(province, p.id));
  const lang = languageFor(ctx, told, expertsRoomLanguage(province));
  const content = paragraph(
    ...tRich(lang, "consult.ladder.undelivered", {
      names: names(province, told),
      step: stepName(lang, firing.action),
      case_id: bold(consult.caseId),
      district: districtName(province, lang, consult.districtId),
      requester: nameOrId(ctx, consult.requester),
      facility: facilityName(province, lang, consult.facilityId),
    }),
  );
  return [inRoom(expertsRoom, reply(content), { userIds: told })];
}

/** When the next ladder step of any open consult falls due, so the runtime can wake then. */
export function nextDeadline(ctx: BotContext): number | undefined {
  let earliest: number | undefined;
  for (const consult of consultStore(ctx).openConsults()) {
    const at = nextStep(ladderState(ctx, consult))?.at;
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}

function fire(ctx: BotContext, consult: Consult, step: FiredStep): Firing {
  const action = step.action as EscalationAction;
  return { key: `${consult.caseId}:${step.run}:${step.stepIndex}`, caseId: consult.caseId, run: step.run, stepIndex: step.stepIndex, action, outgoing: stepMessages(ctx, consult, step, action) };
}

function stepMessages(ctx: BotContext, consult: Consult, step: FiredStep, action: EscalationAction): Outgoing[] {
  const { province } = ctx;
  const store = consultStore(ctx);
  const lang = threadLanguage(ctx, consult);
  const expertsLang = expertsRoomLanguage(province);
  const expertsRoom = ctx.roomIds.get("experts");
  const cause = `step:${step.run}:${step.stepIndex}`;
  const page = (compute: () => string[]) => pagesOnce(store, consult, cause, step.firedAt, compute);
  // How long the request has waited when the step fell due: the same however late it fires.
  const wait = (l: Language) => formatWait(l, step.dueAt - consult.openedAt);
  const toExperts = (content: Block, ring?: { userIds?: string[]; room?: boolean }): Outgoing[] => (expertsRoom === undefined ? [] : [inRoom(expertsRoom, reply(content), ring)]);

  switch (action) {
    case "page_backup": {
      const paged = page(() => {
        const backup = onCallAt(province, consult.specialty, step.dueAt, store.rotaOverrides(step.dueAt)).backup;
        return backup !== undefined ? [backup] : expertsBySpecialty(province, consult.specialty).map((p) => userIdOf(province, p.id));
      });
      const { local, partners } = splitPartners(ctx, paged);
      const out: Outgoing[] = [];
      if (local.length > 0) {
        const l = languageFor(ctx, local, lang);
        out.push(inThread(consult, reply(paragraph(...tRich(l, "consult.ladder.backup", { names: names(province, local), case_id: bold(consult.caseId), wait: wait(l) }))), { userIds: local }));
      }
      if (partners.length > 0) out.push(...expertsRoomPages(ctx, consult, partners, false));
      return out;
    }
    case "post_experts_room":
      return toExperts(paragraph(...tRich(expertsLang, "consult.ladder.experts_room", { ...caseParams(ctx, expertsLang, consult), wait: wait(expertsLang) })));
    case "page_all_experts": {
      page(() => province.people.filter((p) => p.role === "expert").map((p) => userIdOf(province, p.id)));
      return toExperts(paragraph(...tRich(expertsLang, "consult.ladder.all_experts", { ...caseParams(ctx, expertsLang, consult), wait: wait(expertsLang) })), { room: true });
    }
    case "alert_coordinator": {
      const coordinators = page(() => province.people.filter((p) => p.role === "coordinator").map((p) => userIdOf(province, p.id)));
      if (coordinators.length === 0) return [];
      const l = languageFor(ctx, coordinators, lang);
      return [inThread(consult, reply(paragraph(...tRich(l, "consult.ladder.coordinator", { names: names(province, coordinators), case_id: bold(consult.caseId), wait: wait(l) }))), { userIds: coordinators })];
    }
    case "page_partner_experts": {
      const partners = page(() => {
        const all = province.federation.partner_experts;
        const same = all.filter((p) => p.specialty === consult.specialty);
        return (same.length > 0 ? same : all).map((p) => p.user_id);
      });
      if (partners.length === 0) return [];
      return toExperts(paragraph(...tRich(expertsLang, "consult.ladder.partners", { ...caseParams(ctx, expertsLang, consult), names: names(province, partners), wait: wait(expertsLang) })), { userIds: partners });
    }
    case "advise_phone_and_referral": {
      page(() => [consult.requester]);
      const content = reply(
        paragraph(...tRich(lang, "consult.ladder.phone", { name: nameOrId(ctx, consult.requester), case_id: bold(consult.caseId), wait: wait(lang), phone: bold(province.rules.hospital_phone) })),
        paragraph(t(lang, "consult.ladder.prepare_referral")),
      );
      return [inThread(consult, content, { userIds: [consult.requester] })];
    }
  }
}

function nameOrId(ctx: BotContext, userId: string): string {
  return ctx.senderOf(userId)?.displayName ?? userId;
}

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
      reply(paragraph(...tRich(lang, "consult.ack.already", { case_id: bold(now.caseId), name: nameOrId(ctx, first), time: formatClock(ctx.province.province.timezone, now.firstResponseAt ?? ack.at) }))),
    ),
  ];
}

// ── Escalation ───────────────────────────────────────────────────────────────

/**
 * The health worker raises the priority (the patient is worse). `reason` may start with the
 * priority wanted (a word or a tag); otherwise it goes one step up. The reason's text is
 * not copied anywhere. Starts a new ladder run: see the decisions at the top of this file.
 */
export function escalate(ctx: BotContext, actor: Actor, caseId: string, reason = ""): Outgoing[] {
  const consult = findConsult(ctx, caseId);
  if (!consult) return [unknownCase(actor, caseId)];
  const wanted = detectTag(ctx.province, reason) ?? PRIORITIES.find((p) => reason.trim().toLowerCase().split(/\s+/u)[0] === p);
  return escalateTo(ctx, actor, consult, wanted, true);
}

function escalateTo(ctx: BotContext, actor: Actor, consult: Consult, wanted: Priority | undefined, fromCommand: boolean): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
  if (!permitted(actor.sender.role, "escalate", consult.requester === actor.sender.userId)) return fromCommand ? [refusal(actor, "escalate")] : [];
  const done = store.runByEvent(actor.eventId);
  if (done) return [...runMessages(ctx, store.get(consult.caseId)!, done), ...(fromCommand ? confirm(actor, consult) : [])];
  if (consult.status !== "open") return fromCommand ? [closedCase(ctx, actor, consult)] : [];

  const higher = PRIORITIES[PRIORITIES.indexOf(consult.priority) - 1];
  const target = wanted !== undefined && isHigher(wanted, consult.priority) ? wanted : higher;
  if (target === undefined) {
    if (!fromCommand) return [];
    return [answer(actor, reply(paragraph(...tRich(lang, "consult.escalate.highest", { case_id: bold(consult.caseId), phone: bold(ctx.province.rules.hospital_phone) }))))];
  }
  const run = store.startRun({ cause: "escalate", fromPriority: consult.priority, toPriority: target, by: actor.sender.userId, eventId: actor.eventId, at: ctx.clock.now() }, consult.caseId)!;
  return [...runMessages(ctx, store.get(consult.caseId)!, run), ...(fromCommand ? confirm(actor, consult) : [])];
}

/**
 * The messages of a ladder run started by an escalation or a reopening: the expert who
 * answered is paged if there is one, else the on-call expert, with the next step.
 */
function runMessages(ctx: BotContext, consult: Consult, run: LadderRun): Outgoing[] {
  const { province } = ctx;
  const store = consultStore(ctx);
  const lang = threadLanguage(ctx, consult);
  const responder = consult.firstResponseAt !== undefined && consult.firstResponseAt <= run.at ? consult.firstResponder : undefined;
  const paged = pagesOnce(store, consult, `run:${run.run}`, run.at, () => (responder !== undefined ? [responder] : onCallTargets(ctx, consult.specialty, run.at)));
  const { local, partners } = splitPartners(ctx, paged);
  const priority = priorityName(lang, run.toPriority);
  const caseId = bold(consult.caseId);
  const blocks: Block[] = [];
  if (responder !== undefined) {
    const key = run.cause === "escalate" ? "consult.escalate.responder" : "consult.reopen.responder";
    const l = languageFor(ctx, paged, lang);
    blocks.push(paragraph(...tRich(l, key, { case_id: caseId, priority: priorityName(l, run.toPriority), names: names(province, local) })));
  } else {
    blocks.push(paragraph(...tRich(lang, run.cause === "escalate" ? "consult.escalate.raised" : "consult.reopen.done", { case_id: caseId, priority })));
    if (local.length > 0) blocks.push(paragraph(t(lang, "consult.card.paged", { names: names(province, local) })));
    if (partners.length > 0) blocks.push(paragraph(t(lang, "consult.card.paged_partners", { names: names(province, partners) })));
    blocks.push(...nextStepLine(ctx, lang, freshLadder(ctx, run.toPriority, run.at)));
  }
  return [inThread(consult, reply(...blocks), { userIds: local }), ...expertsRoomPages(ctx, { ...consult, priority: run.toPriority }, partners, paged.length === 0)];
}

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
  const consult = findConsult(ctx, caseId);
  if (!consult) return [unknownCase(actor, caseId)];
  if (!permitted(actor.sender.role, "refer")) return [refusal(actor, "refer")];
  const done = store.referralByEvent(actor.eventId);
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
  const q = text.trim().normalize("NFC").toLowerCase().replace(/[\s-]+/gu, "_");
  if (q === "") return undefined;
  return OUTCOMES.find((o) => o === q || (["en", "lo"] as const).some((l) => outcomeName(l, o).normalize("NFC").toLowerCase().replace(/[\s-]+/gu, "_") === q));
}

export function close(ctx: BotContext, actor: Actor, caseId: string, outcomeText: string): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
  const consult = findConsult(ctx, caseId);
  if (!consult) return [unknownCase(actor, caseId)];
  if (!permitted(actor.sender.role, "close", consult.requester === actor.sender.userId)) return [refusal(actor, "close")];
  const done = store.statusChangeByEvent(actor.eventId);
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
  const consult = findConsult(ctx, caseId);
  if (!consult) return [unknownCase(actor, caseId)];
  if (!permitted(actor.sender.role, "reopen", consult.requester === actor.sender.userId)) return [refusal(actor, "reopen")];
  const done = store.statusChangeByEvent(actor.eventId);
  if (!done) {
    if (consult.status === "open") return [answer(actor, reply(paragraph(...tRich(lang, "consult.reopen.not_closed", { case_id: bold(consult.caseId) }))))];
    store.setStatus({ eventId: actor.eventId, caseId: consult.caseId, status: "open", by: actor.sender.userId, at: ctx.clock.now() });
  }
  const run =
    store.runByEvent(actor.eventId) ??
    store.startRun({ cause: "reopen", fromPriority: consult.priority, toPriority: consult.priority, by: actor.sender.userId, eventId: actor.eventId, at: store.statusChangeByEvent(actor.eventId)!.at }, consult.caseId)!;
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
    const out: Outgoing[] = [];
    if (consult.status === "open" && ctx.sender.role === "expert") out.push(...acknowledge(ctx, actor, consult.caseId, "reply"));
    const tag = detectTag(ctx.province, body);
    // Handled again after a crash, the tag is no longer higher: its escalation is found by the event.
    if (tag !== undefined && (isHigher(tag, consult.priority) || store.runByEvent(actor.eventId))) out.push(...escalateTo(ctx, actor, consult, tag, false));
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

// ── Refusals ─────────────────────────────────────────────────────────────────

export function refusal(actor: Actor, action: ConsultAction): Outgoing {
  return answer(actor, reply(paragraph(t(actor.sender.language, `consult.refused.${action}`))));
}

function unknownCase(actor: Actor, caseId: string): Outgoing {
  return answer(actor, reply(paragraph(t(actor.sender.language, "consult.unknown_case", { case_id: Array.from(caseId.trim()).slice(0, 40).join("") }))));
}

function closedCase(ctx: BotContext, actor: Actor, consult: Consult): Outgoing {
  const lang = actor.sender.language;
  return answer(actor, reply(paragraph(...tRich(lang, "consult.closed_case", { case_id: bold(consult.caseId), command: code(`${ctx.province.bot.command_prefix}reopen ${consult.caseId}`) }))));
}
