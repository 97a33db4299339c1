// The escalation ladder: steps that fall due are claimed, fired once and marked done; a
// health worker's escalation starts a new, shorter run. See the decisions in lifecycle.ts.
import type { BotContext, Outgoing } from "../messaging/types.ts";
import { expertsBySpecialty } from "../config/lookup.ts";
import type { Language, Priority } from "../config/schema.ts";
import { bold, paragraph, reply, t, tRich, type Block } from "../i18n/index.ts";
import { dueSteps, type EscalationAction } from "./ladder.ts";
import { answer, confirm, districtName, expertsRoomLanguage, facilityName, formatWait, inRoom, inThread, names, priorityName, stepName, type Actor } from "./messages.ts";
import { permitted } from "./permissions.ts";
import { onCallAt, userIdOf } from "./rota.ts";
import type { Consult, FiredStep, LadderRun } from "./store.ts";
import { detectTag, isHigher, PRIORITIES } from "./tags.ts";
import { caseParams, consultStore, guardCase, nextStepLine, onCallTargets, pagesOnce, splitPartners, threadLanguage, languageFor, freshLadder, ladderState, nameOrId, closedCase } from "./common.ts";
import { expertsRoomPages } from "./opening.ts";

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
      return [
        inThread(consult, reply(paragraph(...tRich(l, "consult.ladder.coordinator", { names: names(province, coordinators), case_id: bold(consult.caseId), wait: wait(l) }))), {
          userIds: coordinators,
        }),
      ];
    }
    case "page_partner_experts": {
      const partners = page(() => {
        const all = province.federation.partner_experts;
        const same = all.filter((p) => p.specialty === consult.specialty);
        return (same.length > 0 ? same : all).map((p) => p.user_id);
      });
      if (partners.length === 0) return [];
      return toExperts(paragraph(...tRich(expertsLang, "consult.ladder.partners", { ...caseParams(ctx, expertsLang, consult), names: names(province, partners), wait: wait(expertsLang) })), {
        userIds: partners,
      });
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

// ── Escalation ───────────────────────────────────────────────────────────────

/**
 * The health worker raises the priority (the patient is worse). `reason` may start with the
 * priority wanted (a word or a tag); otherwise it goes one step up. The reason's text is
 * not copied anywhere. Starts a new ladder run: see the decisions at the top of this file.
 */
export function escalate(ctx: BotContext, actor: Actor, caseId: string, reason = ""): Outgoing[] {
  const guarded = guardCase(ctx, actor, caseId, "escalate", (store) => store.runByEvent(actor.eventId));
  if ("answer" in guarded) return guarded.answer;
  const wanted = detectTag(ctx.province, reason) ?? PRIORITIES.find((p) => reason.trim().toLowerCase().split(/\s+/u)[0] === p);
  return raise(ctx, actor, guarded.consult, guarded.done, wanted, true);
}

/** A higher tag in a consult's thread escalates it; from someone who may not, it passes silently. */
export function escalateByTag(ctx: BotContext, actor: Actor, consult: Consult, wanted: Priority): Outgoing[] {
  if (!permitted(actor.sender.role, "escalate", consult.requester === actor.sender.userId)) return [];
  return raise(ctx, actor, consult, consultStore(ctx).runByEvent(actor.eventId), wanted, false);
}

/** `done`: the run this event already started (handled again after a crash). */
function raise(ctx: BotContext, actor: Actor, consult: Consult, done: LadderRun | undefined, wanted: Priority | undefined, fromCommand: boolean): Outgoing[] {
  const lang = actor.sender.language;
  const store = consultStore(ctx);
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
export function runMessages(ctx: BotContext, consult: Consult, run: LadderRun): Outgoing[] {
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
