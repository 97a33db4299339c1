// !guide [topic]: a guideline card in the sender's language; the list of cards when there is
// no topic, no match, or a tie (a clinical card is never guessed).
import { findCard, renderCard, renderTopics, searchCards } from "../../guides/index.ts";
import type { Outgoing } from "../../messaging/types.ts";
import { ANY_ROOM, clip, defineCommand, EVERYONE, notice } from "./define.ts";

export const guide = defineCommand({
  name: "guide",
  summary: "command.guide.summary",
  arguments: [{ name: "topic", label: "argument.topic", rest: true }],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx, { topic }): Outgoing[] {
    const lang = ctx.sender.language;
    const shortest = [...ctx.guides].sort((a, b) => a.id.length - b.id.length)[0];
    const example = `${ctx.prefix}${guide.name} ${shortest?.id ?? ""}`.trimEnd();
    if (topic === undefined) return [notice(ctx, renderTopics(ctx.guides, lang, { example }))];
    const card = findCard(topic, ctx.guides);
    if (card) return [notice(ctx, renderCard(card, lang))];
    const matches = searchCards(topic, ctx.guides);
    const best = matches[0];
    if (best !== undefined) {
      const tied = matches.filter((m) => m.score === best.score).map((m) => m.card);
      return [notice(ctx, renderTopics(tied, lang, { example }))];
    }
    return [notice(ctx, renderTopics(ctx.guides, lang, { example, query: clip(topic, 80) }))];
  },
});
