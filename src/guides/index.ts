export { Card, CardItem, cardProblems, CardText, Cite, type CardProblem, DEFAULT_GUIDES_DIR, formatProblems, type LoadResult, loadCards, parseCard, Source } from "./cards.ts";
export { STAGES, type Stage } from "./lexicon.ts";
export { analyse, distance, type GuideAnswer, keywordProblem, matchGuide, normalize } from "./match.ts";
export { type CardNumber, numbersIn, quoteLacks } from "./numbers.ts";
export { renderCandidates, renderCard, renderTopics } from "./render.ts";
export { cardHash, cardReviewState, type CardReviewState, clinicalContent, languageContent } from "./review.ts";
export { DEFAULT_LEDGER, type LedgerResult, loadLedger, messageHash, parseLedger, recordReview, type Review, type ReviewKind, validReview } from "../review/ledger.ts";
