// What a guideline card is: the schema of one card file. Apart from the loader (cards.ts)
// so that the matcher can name the type without importing the loader, which imports it.
import { z } from "zod";
import { STAGES } from "./lexicon.ts";

const cardId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lowercase letters, digits and '-', such as pph or newborn-resuscitation");

/** Card text in both languages. Whether it was reviewed lives in the review ledger, not here. */
export const CardText = z.strictObject({ en: z.string().trim().min(1), lo: z.string().trim().min(1) });
export type CardText = z.infer<typeof CardText>;

export const Source = z.strictObject({
  /** How steps cite it, e.g. who-txa-2017. */
  id: cardId,
  /** Who published it, e.g. "WHO" or "WHO, FIGO, ICM". */
  publisher: z.string().min(1),
  /** The document's exact title, so a reader can find it. */
  title: z.string().min(1),
  year: z.number().int().min(1990).max(2100),
  /** Where the quoted text was read. */
  read_at: z.string().url().optional(),
});
export type Source = z.infer<typeof Source>;

/** Where a step's numbers come from: the words of the source that hold them. */
export const Cite = z.strictObject({
  source: z.string().min(1),
  /** Section or page in the source. */
  where: z.string().trim().min(1),
  quote: z.string().trim().min(1),
});
export type Cite = z.infer<typeof Cite>;

export const CardItem = z.strictObject({ en: z.string().trim().min(1), lo: z.string().trim().min(1), cite: Cite.optional() });
export type CardItem = z.infer<typeof CardItem>;

export const Card = z.strictObject({
  id: cardId,
  title: CardText,
  /** Whom and when the card is for; a query naming another stage or patient never opens it. */
  applies_to: z.array(z.enum(STAGES)).min(1),
  /** Words people type to find this card, in English and Lao, with synonyms and common misspellings; never words many cards share. */
  keywords: z.array(z.string().trim().min(1)).min(1),
  /** Phrases that mean this card is not the one, beyond the stage words the matcher knows. */
  rules_out: z.array(z.string().trim().min(1)).optional(),
  /** One line shown before the key points, e.g. "Any one of these signs means danger". */
  intro: CardText.optional(),
  summary: z.array(CardItem).min(1),
  steps: z.array(CardItem).min(1),
  sources: z.array(Source).min(1),
  disclaimer: CardText,
});
export type Card = z.infer<typeof Card>;
