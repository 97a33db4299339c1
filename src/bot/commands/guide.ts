// !guide [topic]: a guideline card in the sender's language; the list of cards when there is
// no topic or no match; the candidates, none opened, when the topic could mean several cards
// or fits one only through a word many cards share (a clinical card is never guessed).
import { matchGuide, renderCandidates, renderCard, renderTopics } from "../../guides/index.ts";
import type { Outgoing } from "../../messaging/types.ts";
import { ANY_ROOM, clip, defineCommand, EVERYONE, notice } from "./define.ts";

export const guide = defineCommand({
  name: "guide",
  summary: "command.guide.summary",
  arguments: [{ name: "topic", label: "argument.topic", rest: true }],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx, { topic }): Outgoing[] {
    const lang = ctx.sender.language;
    const command = `${ctx.prefix}${guide.name}`;
    const shortest = [...ctx.guides].sort((a, b) => a.id.length - b.id.length)[0];
    const example = `${command} ${shortest?.id ?? ""}`.trimEnd();
    if (topic === undefined) return [notice(ctx, renderTopics(ctx.guides, lang, { example }))];
    const answer = matchGuide(topic, ctx.guides);
    if (answer.kind === "card") return [notice(ctx, renderCard(answer.card, lang, ctx.guideReviews?.get(answer.card.id)))];
    if (answer.kind === "list") return [notice(ctx, renderCandidates(answer.cards, lang, { command, query: clip(topic, 80) }))];
    return [notice(ctx, renderTopics(ctx.guides, lang, { example, query: clip(topic, 80) }))];
  },
});
