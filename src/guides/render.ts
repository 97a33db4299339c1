// Cards and the topic list as bot replies, in the reader's language.
import type { Language } from "../config/schema.ts";
import { code, heading, type Inline, italic, list, localize, numbered, paragraph, type Reply, reply, source, t, tRich } from "../i18n/index.ts";
import { type Card, unreviewedCardText } from "./cards.ts";

/** Title, key points, numbered steps, disclaimer, then sources and review status as a footnote. */
export function renderCard(card: Card, lang: Language): Reply {
  const blocks = [heading(localize(lang, card.title))];
  // Unchecked Lao in a clinical card could mislead; say so, and where the checked-against text is.
  if (lang === "lo" && unreviewedCardText([card]).length > 0) blocks.push(paragraph(italic(t(lang, "guide.lo_unreviewed"))));
  if (card.intro) blocks.push(paragraph(localize(lang, card.intro)));
  blocks.push(
    heading(t(lang, "guide.summary_heading")),
    list(card.summary.map((line) => localize(lang, line))),
    heading(t(lang, "guide.steps_heading")),
    numbered(card.steps.map((step) => localize(lang, step))),
    paragraph(localize(lang, card.disclaimer)),
    source(
      [
        ...card.sources.map((s) => t(lang, "guide.source", { title: s.title, publisher: s.publisher, year: s.year })),
        t(lang, "guide.last_reviewed", { date: card.last_reviewed }),
        t(lang, "guide.reviewed_by", { reviewer: typeof card.reviewed_by === "string" ? card.reviewed_by : localize(lang, card.reviewed_by) }),
      ].join("\n"),
    ),
  );
  return reply(...blocks);
}

/**
 * The list of cards, for `!guide` alone or a query that matched nothing (pass `query`).
 * `example` is the command to show, e.g. "!guide pph", as the bot spells its prefix.
 */
export function renderTopics(cards: readonly Card[], lang: Language, options: { readonly example: string; readonly query?: string }): Reply {
  const blocks = [];
  if (options.query !== undefined) blocks.push(paragraph(t(lang, "guide.not_found", { query: options.query })));
  blocks.push(
    heading(t(lang, "guide.topics_title")),
    list(cards.map((card): Inline[] => [code(card.id), " ", localize(lang, card.title)])),
    paragraph(...tRich(lang, "guide.topics_hint", { example: code(options.example) })),
  );
  return reply(...blocks);
}
