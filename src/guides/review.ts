// What a review of a guide card vouches for, and which of a card's reviews in the ledger
// (src/review/ledger.ts) still hold. A clinical review covers the card's English clinical
// content: steps, key points, their cited quotes and the sources. A language review covers
// each Lao text beside the English it translates, so editing either voids it.
import { type Review, type ReviewKind, sha256, validReview } from "../review/ledger.ts";
import type { Card } from "./cards.ts";

/** What a clinical review of `card` vouches for: its English clinical content, numbers, quotes and sources. */
export function clinicalContent(card: Card): unknown {
  return {
    id: card.id,
    title: card.title.en,
    applies_to: card.applies_to,
    intro: card.intro?.en,
    summary: card.summary.map((s) => ({ en: s.en, cite: s.cite })),
    steps: card.steps.map((s) => ({ en: s.en, cite: s.cite })),
    sources: card.sources,
    disclaimer: card.disclaimer.en,
  };
}

/** What a language review of `card` vouches for: each Lao text beside the English it translates. */
export function languageContent(card: Card): unknown {
  const pair = (t: { en: string; lo: string } | undefined) => (t === undefined ? undefined : [t.en, t.lo]);
  return { id: card.id, title: pair(card.title), intro: pair(card.intro), summary: card.summary.map(pair), steps: card.steps.map(pair), disclaimer: pair(card.disclaimer) };
}

export function cardHash(card: Card, kind: ReviewKind): string {
  return sha256(kind === "clinical" ? clinicalContent(card) : languageContent(card));
}

export interface CardReviewState {
  readonly clinical?: Review;
  readonly language?: Review;
  /** Reviews recorded for an earlier text of the card: voided by an edit. */
  readonly voided: number;
}

export function cardReviewState(card: Card, reviews: readonly Review[]): CardReviewState {
  const subject = `card:${card.id}`;
  const clinical = validReview(reviews, subject, "clinical", cardHash(card, "clinical"));
  const language = validReview(reviews, subject, "language", cardHash(card, "language"));
  const voided = reviews.filter((r) => r.subject === subject && r !== clinical && r !== language && r.sha256 !== cardHash(card, r.kind)).length;
  return { ...(clinical && { clinical }), ...(language && { language }), voided };
}
