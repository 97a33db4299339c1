// The greeting a person gets the first time they join a province room (the runtime calls
// this once per person and room, see BotStore.markWelcomed): by name, in their language,
// what the room is for, how to ask an expert, and the rules.
import { DEFAULT_TAGS, type Language, type Province } from "../config/schema.ts";
import { type Block, bold, code, paragraph, reply, t, tRich } from "../i18n/index.ts";
import { type RoomKind, rulesBlocks } from "../provision/desired.ts";
import type { BotContext, Outgoing, RoomInfo } from "../messaging/types.ts";

const LAO = /\p{Script=Lao}/u;

export function welcomeMessage(ctx: BotContext, userId: string, room: RoomInfo): Outgoing[] {
  const kind = room.kind;
  // The Space has no timeline: nobody would see a message there.
  if (kind === "space" || userId === ctx.botUserId) return [];
  const person = ctx.senderOf(userId);
  if (person === undefined) return [];
  const lang = person.language;
  const province = ctx.province;
  const command = (name: string) => code(province.bot.command_prefix + name);

  const blocks: Block[] = [paragraph(...tRich(lang, "welcome.message", { name: bold(person.displayName), room_purpose: purpose(province, kind, room.districtId, lang) }))];
  if (person.role === "provider") {
    const key = kind === "district" ? "welcome.how_to_ask_here" : "welcome.how_to_ask";
    blocks.push(paragraph(...tRich(lang, key, { tag: code(emergencyTag(province, lang)), consult: command("consult") })));
  }
  if (person.role === "expert") blocks.push(paragraph(t(lang, "welcome.expert_paged")));
  if (kind === "training") blocks.push(paragraph(...tRich(lang, "welcome.practice_hint", { practice: command("practice") })));
  blocks.push(
    ...rulesBlocks(province, lang),
    paragraph(...tRich(lang, "welcome.rules_pinned", { rules: command("rules") })),
    paragraph(...tRich(lang, "welcome.help_hint", { help: command("help") })),
  );
  return [{ kind: "message", roomId: room.roomId, reply: reply(...blocks), msgtype: "m.notice", mentions: { user_ids: [userId] } }];
}

/** The emergency tag to teach a reader: one in their script if the province defines one. */
export function emergencyTag(province: Province, lang: Language): string {
  const tags = province.tags.emergency;
  return tags.find((tag) => LAO.test(tag) === (lang === "lo")) ?? tags[0] ?? (DEFAULT_TAGS.emergency[0] as string);
}

function purpose(province: Province, kind: Exclude<RoomKind, "space">, districtId: string | undefined, lang: Language): string {
  switch (kind) {
    case "district": {
      const district = province.districts.find((d) => d.id === districtId);
      return t(lang, "welcome.purpose.district", { district: district?.name[lang] ?? districtId ?? "" });
    }
    case "experts":
      return t(lang, "welcome.purpose.experts");
    case "announcements":
      return t(lang, "welcome.purpose.announcements");
    case "training":
      return t(lang, "welcome.purpose.training");
  }
}
