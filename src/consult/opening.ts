// Opening a consult: the card that pages the on-call expert, the case template with only
// what is missing, and the private reminder not to post phone or ID numbers.
import type { BotContext, Outgoing } from "../messaging/types.ts";
import type { Language, Priority, Specialty } from "../config/schema.ts";
import { facilities } from "../config/lookup.ts";
import { bold, code, list, paragraph, reply, t, tRich, type Block } from "../i18n/index.ts";
import { looksLikeIdentifier, missingEssentials } from "./essentials.ts";
import { answer, expertsRoomLanguage, inRoom, inThread, names, priorityName, specialtyName, type Actor } from "./messages.ts";
import { permitted } from "./permissions.ts";
import type { Consult } from "./store.ts";
import { stripReplyFallback } from "./tags.ts";
import { consultStore, nextStepLine, refusal, onCallTargets, pagesOnce, splitPartners, threadLanguage, caseParams, freshLadder } from "./common.ts";

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
export function expertsRoomPages(ctx: BotContext, consult: Consult, partners: readonly string[], nobody: boolean): Outgoing[] {
  const roomId = ctx.roomIds.get("experts");
  if (roomId === undefined) return [];
  const lang = expertsRoomLanguage(ctx.province);
  const out: Outgoing[] = [];
  const about = caseParams(ctx, lang, consult);
  if (partners.length > 0) {
    out.push(
      inRoom(
        roomId,
        reply(paragraph(...tRich(lang, "consult.experts.paged", { ...about, names: names(ctx.province, partners), command: code(`${ctx.province.bot.command_prefix}ack ${consult.caseId}`) }))),
        { userIds: partners },
      ),
    );
  }
  if (nobody) out.push(inRoom(roomId, reply(paragraph(...tRich(lang, "consult.experts.nobody_on_call", about))), { room: true }));
  return out;
}

function template(consult: Consult, lang: Language, body: string): Outgoing[] {
  const missing = missingEssentials(stripReplyFallback(body));
  if (missing.length === 0) return [];
  return [
    inThread(consult, reply(paragraph(t(lang, "consult.template.title")), list(missing.map((essential) => t(lang, `consult.essential.${essential}`))), paragraph(t(lang, "consult.template.privacy")))),
  ];
}

/** Once per consult and person: a private reminder (in the bot's direct room with them) not to post phone or ID numbers. */
export function privacyReminder(ctx: BotContext, consult: Consult, actor: Actor, body: string): Outgoing[] {
  const { province } = ctx;
  const known = [province.rules.hospital_phone, ...facilities(province).flatMap((f) => (f.phone ? [f.phone] : [])), ...province.people.flatMap((p) => (p.phone ? [p.phone] : []))];
  if (!looksLikeIdentifier(stripReplyFallback(body), known)) return [];
  const store = consultStore(ctx);
  if (!store.claimPrivacyReminder(consult.caseId, actor.sender.userId, actor.eventId, ctx.clock.now())) return [];
  const content = reply(paragraph(...tRich(actor.sender.language, "consult.privacy.reminder", { case_id: bold(consult.caseId) })));
  return [{ kind: "message", reply: content, msgtype: "m.notice", directTo: actor.sender.userId }];
}
