// Cards and the topic list as bot replies, in the reader's language.
import type { Language } from "../config/schema.ts";
import { code, heading, type Inline, list, localize, numbered, paragraph, plainReply, type Reply, reply, source, t, tRich } from "../i18n/index.ts";
import type { Card } from "./cards.ts";
import type { CardReviewState } from "./review.ts";

/** Marks the safety warnings in a card, which has no bold or italics to make them stand out. */
const WARNING = "⚠ ";

/**
 * A card opens with a DRAFT banner, in both languages whatever the reader's, until a clinician's
 * review in the ledger matches its current text; then title, key points, numbered steps,
 * disclaimer, and sources with the review (reviewer's role and date) as a footnote.
 * Plain text only: the HTML copy doubled the bytes every phone in the room downloads (a Lao card
 * is 5 KB of text; bench --links, 2G), and Element X and Classic show headings as lines, lists
 * with "•" and "1.", and the warnings with their marker just as well in the plain body.
 */
export function renderCard(card: Card, lang: Language, review: CardReviewState = { voided: 0 }): Reply {
  const blocks = [];
  if (review.clinical === undefined) blocks.push(paragraph(WARNING, t("en", "guide.draft_banner"), "\n", WARNING, t("lo", "guide.draft_banner")));
  blocks.push(heading(localize(lang, card.title)));
  // Unchecked Lao in a clinical card could mislead; say so, and where the checked-against text is.
  if (lang === "lo" && review.language === undefined) blocks.push(paragraph(WARNING, t(lang, "guide.lo_unreviewed")));
  if (card.intro) blocks.push(paragraph(localize(lang, card.intro)));
  blocks.push(
    heading(t(lang, "guide.summary_heading")),
    list(card.summary.map((line) => localize(lang, line))),
    heading(t(lang, "guide.steps_heading")),
    numbered(card.steps.map((step) => localize(lang, step))),
    paragraph(localize(lang, card.disclaimer)),
    // The label once, not once per source (in Lao it is 35 bytes a line).
    heading(t(lang, "guide.sources_heading")),
    list(card.sources.map((s) => t(lang, "guide.source", { title: s.title, publisher: s.publisher, year: s.year }))),
  );
  if (review.clinical) blocks.push(source(t(lang, "guide.last_reviewed", { role: review.clinical.role, date: review.clinical.date })));
  return plainReply(...blocks);
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

/** Several cards could be meant: their titles and the command that opens each, none opened. */
export function renderCandidates(cards: readonly Card[], lang: Language, options: { readonly command: string; readonly query: string }): Reply {
  return reply(paragraph(t(lang, "guide.candidates", { query: options.query })), list(cards.map((card): Inline[] => [localize(lang, card.title), ": ", code(`${options.command} ${card.id}`)])));
}
