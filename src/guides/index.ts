export { Card, type CardProblem, DEFAULT_GUIDES_DIR, formatProblems, type LoadResult, loadCards, parseCard, Source, type UnreviewedCardText, unreviewedCardText } from "./cards.ts";
export { type CardMatch, findCard, normalize, searchCards } from "./match.ts";
export { renderCard, renderTopics } from "./render.ts";
