// SMS in the escalation ladder: which pages a fired step sends by SMS, what they say,
// and what an SMS answer does. Pure over the BotContext and the stores; src/sms/service.ts
// does the sending and the listening.
//
// Decisions:
// - SMS pages are planned from the ladder steps the consult store recorded as fired, not
//   inside the ladder's own tick: sending an SMS is slow and may fail, and a failed or
//   slow gateway must never hold back the next step. A failure is a value recorded on
//   the page and told in the experts' room.
// - An SMS sender can be forged. An answer counts only from the number the page went
//   to, with that page's one-time code; anything else is recorded (metadata only) and
//   ignored, and guessing is limited per number and per case, per window and per page
//   sent, so that a forger cannot keep an expert from answering for longer than that.
// - A step fired long before SMS could plan it (SMS just enabled, or the bot down for
//   hours) sends no SMS: a page about a stale step would wake someone for nothing.
import { randomInt, timingSafeEqual } from "node:crypto";
import type { BotContext, Outgoing, Sender } from "../messaging/types.ts";
import type { Language, Province, SmsTarget } from "../config/schema.ts";
import { bold, paragraph, reply, t, tRich } from "../i18n/index.ts";
import { pageText, caseNumberOf, type PageText } from "../sms/page-text.ts";
import { internationalNumber, sameNumber } from "../sms/phone.ts";
import { parseAnswer, CODE_DIGITS } from "../sms/reply.ts";
import { acknowledge, consultStore, normalizeCaseId } from "./lifecycle.ts";
import { districtName, expertsRoomLanguage, inRoom, inThread, priorityName } from "./messages.ts";
import { nameOf, onCallAt, userIdOf } from "./rota.ts";
import type { Consult } from "./store.ts";
import { codeHash, senderHash, smsStoreOf, type AnswerOutcome, type SmsFailure, type SmsPage } from "./sms-store.ts";

/** Steps fired longer ago than this are not paged by SMS any more. */
export const STALE_STEP_MS = 30 * 60_000;
/** Failed guesses allowed per sender number, and per case from all numbers, within GUESS_WINDOW_MS. */
export const GUESSES_PER_NUMBER = 5;
export const GUESSES_PER_CASE = 10;
export const GUESS_WINDOW_MS = 60 * 60_000;

/**
 * Records the SMS pages of every fired step of an open, unanswered consult whose step
 * says `sms:`, once per step and person. Returns the pages recorded by this call.
 */
export function planSmsPages(ctx: BotContext): SmsPage[] {
  if (!ctx.province.sms) return [];
  const consults = consultStore(ctx);
  const sms = smsStoreOf(ctx.store.db);
  const now = ctx.clock.now();
  const planned: SmsPage[] = [];
  for (const consult of consults.openConsults()) {
    if (consult.firstResponseAt !== undefined) continue;
    const steps = ctx.province.escalation[consult.priority] ?? [];
    for (const fired of consults.firedSteps(consult.caseId, consult.ladderRun)) {
      const targets = steps[fired.stepIndex]?.sms;
      if (!targets || now - fired.firedAt > STALE_STEP_MS || sms.stepPlanned(consult.caseId, fired.run, fired.stepIndex)) continue;
      for (const userId of smsTargets(ctx, consult, targets, fired.dueAt)) {
        const sender = ctx.senderOf(userId);
        const language = sender?.language ?? "lo";
        // The code is made when the page is sent (issueCode); the cost does not depend on which digits.
        const text = smsText(ctx.province, consult, language, "0".repeat(CODE_DIGITS));
        const page = sms.addPage({ caseId: consult.caseId, run: fired.run, stepIndex: fired.stepIndex, userId, language, encoding: text.encoding, segments: text.segments, createdAt: now });
        if (phoneOf(ctx, userId) === undefined) sms.markFailed(page.id, "no_phone", now);
        planned.push(page);
      }
    }
  }
  return planned;
}

/** The number a page goes to: read from the province file when needed, never stored. */
export function phoneOf(ctx: Pick<BotContext, "senderOf">, userId: string): string | undefined {
  return internationalNumber(ctx.senderOf(userId)?.person?.phone ?? "");
}

/** Makes the one-time code a page carries, as it is sent; only its keyed hash is kept. */
export function issueCode(ctx: Pick<BotContext, "store">, key: string, page: SmsPage): string {
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
  smsStoreOf(ctx.store.db).setCodeHash(page.id, codeHash(key, page.id, code));
  return code;
}

/** Who a step's `sms:` names, at the moment the step fell due; local people only (partners have no number here). */
export function smsTargets(ctx: BotContext, consult: Consult, targets: readonly SmsTarget[], at: number): string[] {
  const { province } = ctx;
  const rota = onCallAt(province, consult.specialty, at, consultStore(ctx).rotaOverrides(at));
  const ids = targets.flatMap((target) => {
    switch (target) {
      case "on_call": {
        const first = rota.expert ?? rota.backup;
        return first !== undefined ? [first] : [];
      }
      case "backup":
        return rota.backup !== undefined ? [rota.backup] : [];
      case "all_experts":
        return province.people.filter((p) => p.role === "expert").map((p) => userIdOf(province, p.id));
    }
  });
  return [...new Set(ids)].filter((id) => ctx.senderOf(id)?.person !== undefined);
}

/** A page's words, in the expert's language. Only the consult's metadata goes in. */
export function smsText(province: Province, consult: Consult, lang: Language, code: string): PageText {
  return pageText(lang, {
    caseId: consult.caseId,
    caseNumber: caseNumberOf(consult.caseId),
    priority: consult.priority,
    priorityName: priorityName(lang, consult.priority),
    districtName: districtName(province, lang, consult.districtId),
    phone: province.rules.hospital_phone,
    code,
  });
}

/** The experts' room is told that a page did not go out; the ladder went on regardless. */
export function failureNotice(ctx: BotContext, page: SmsPage, failure: SmsFailure): Outgoing[] {
  const roomId = ctx.roomIds.get("experts");
  if (roomId === undefined) return [];
  const lang = expertsRoomLanguage(ctx.province);
  return [inRoom(roomId, reply(paragraph(...tRich(lang, "sms.failed", { case_id: bold(page.caseId), name: nameOf(ctx.province, page.userId), reason: t(lang, `sms.reason.${failure}`) }))))];
}

/** Why SMS paging did not start: its secrets (sms.json) cannot be read, or its callback port cannot be opened. */
export type SmsOffReason = "secrets" | "listen";

/** Whether any ladder step of the province pages by SMS (only then does SMS paging being off matter). */
export function smsOnSteps(province: Province): boolean {
  return Object.values(province.escalation).some((steps) => (steps ?? []).some((step) => step.sms !== undefined));
}

/**
 * The experts' room is told, once per start, that SMS paging is off although ladder steps
 * page by SMS: otherwise those steps page nobody by SMS and nobody in Matrix knows.
 * Metadata only: the reason's kind, never the secrets file's path or its contents.
 */
export function smsOffNotice(ctx: Pick<BotContext, "province" | "roomIds">, reason: SmsOffReason): Outgoing[] {
  const roomId = ctx.roomIds.get("experts");
  if (roomId === undefined || !smsOnSteps(ctx.province)) return [];
  const lang = expertsRoomLanguage(ctx.province);
  return [inRoom(roomId, reply(paragraph(...tRich(lang, "sms.off", { reason: t(lang, `sms.off.reason.${reason}`) }))))];
}

export interface AnswerResult {
  outcome: AnswerOutcome;
  /** What to post (the acknowledgement in the consult's thread), under `origin`'s transaction ids. */
  outgoing: Outgoing[];
  origin?: string;
  caseId?: string;
}

/**
 * An SMS that came in through the gateway. `key` is the deployment's hashing key (sms.json).
 * Acknowledges the consult when it is `OK <case> <code>` from the number a page for that case
 * went to, with that page's code; otherwise it is recorded by outcome and changes nothing.
 */
export function answerBySms(ctx: BotContext, key: string, sms: { from: string; text: string }): AnswerResult {
  const store = smsStoreOf(ctx.store.db);
  const now = ctx.clock.now();
  const hash = senderHash(key, sms.from);
  const record = (outcome: AnswerOutcome, extra: { userId?: string; caseId?: string; pageId?: number } = {}): AnswerResult => {
    store.recordAnswer({ at: now, senderHash: hash, outcome, ...extra });
    return { outcome, outgoing: [], ...(extra.caseId !== undefined ? { caseId: extra.caseId } : {}) };
  };
  const parsed = parseAnswer(sms.text);
  if (!parsed) return record("not_an_answer");
  const caseId = normalizeCaseId(ctx, parsed.caseNumber);
  const experts = ctx.province.people.filter((p) => p.role === "expert" && p.phone !== undefined && sameNumber(internationalNumber(p.phone) ?? "", sms.from));
  if (experts.length === 0) return record("unknown_number", { caseId });
  // Guesses are counted within the window and since the newest page (to this number, or of this
  // case): a forger who spends a number's allowance blocks it until the window passes or a new
  // page brings a new code, never longer, since refused answers do not count.
  const since = (newest: number | undefined) => Math.max(now - GUESS_WINDOW_MS, newest ?? Number.NEGATIVE_INFINITY);
  const userIds = experts.map((p) => userIdOf(ctx.province, p.id));
  if (store.failedGuesses({ senderHash: hash }, since(store.newestSent({ userIds }))) >= GUESSES_PER_NUMBER || store.failedGuesses({ caseId }, since(store.newestSent({ caseId }))) >= GUESSES_PER_CASE)
    return record("rate_limited", { caseId, userId: userIds[0]! });
  const pages = experts.flatMap((p) => store.pagesOfCaseTo(caseId, userIdOf(ctx.province, p.id)));
  if (pages.length === 0) return record("no_page", { caseId, userId: userIdOf(ctx.province, experts[0]!.id) });
  const page = pages.find((p) => p.codeHash !== undefined && codesEqual(p.codeHash, codeHash(key, p.id, parsed.code)));
  if (!page) return record("wrong_code", { caseId, userId: pages[0]!.userId });

  const consult = consultStore(ctx).get(caseId);
  const sender: Sender | undefined = ctx.senderOf(page.userId);
  if (!consult || !sender) return record("no_page", { caseId, userId: page.userId });
  // Closed before the answer came: nothing to acknowledge, and the code stays unspent.
  if (consult.status !== "open" && page.ackedAt === undefined) return record("closed", { caseId, userId: page.userId, pageId: page.id });
  // A repeated answer (the operator delivered it twice) repeats the same messages, which the
  // stable transaction ids turn into nothing new; the code was spent by the first.
  const first = store.useCode(page.id, now);
  const outgoing = acknowledge(ctx, { sender, eventId: `sms:${page.id}`, roomId: consult.roomId }, caseId, "sms");
  const lang = ctx.senderOf(consult.requester)?.language ?? "lo";
  outgoing.push(inThread(consult, reply(paragraph(...tRich(lang, "sms.ack.thread", { name: sender.displayName, case_id: bold(consult.caseId) })))));
  store.recordAnswer({ at: now, senderHash: hash, userId: page.userId, caseId, pageId: page.id, outcome: first ? "acknowledged" : "repeated" });
  return { outcome: first ? "acknowledged" : "repeated", outgoing, origin: `sms:${page.id}`, caseId };
}

function codesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
