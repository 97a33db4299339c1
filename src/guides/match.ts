// Finding the card a health worker means from what they typed: an id, a keyword or a
// phrase, in English or Lao, often in a hurry and misspelt. Forgiving, but it must not
// answer garbage with a random clinical card, so every match needs real evidence.
import { distance, normalize } from "../util/text.ts";
import type { Card } from "./cards.ts";

// Kept here too while other changes to this file are in flight; new code imports src/util/text.ts.
export { distance, normalize } from "../util/text.ts";

export interface CardMatch {
  readonly card: Card;
  readonly score: number;
}

// Evidence, strongest first; within a kind, longer (more specific) keywords win.
const EXACT = 1000;
const CONTAINS = 500;
const PREFIX = 300;
const FUZZY = 200;
const COVERED_WORD = 50;

const LAO = /\p{Script=Lao}/u;

/**
 * The card `query` clearly means, or undefined when nothing matches or two cards match
 * equally well ("fever": pregnancy or newborn?). The caller then lists the topics,
 * or the candidates from `searchCards`, rather than guess a clinical card.
 */
export function findCard(query: string, cards: readonly Card[]): Card | undefined {
  const [best, second] = searchCards(query, cards);
  if (best === undefined || (second !== undefined && second.score === best.score)) return undefined;
  return best.card;
}

/** All cards that match `query`, best first; ties keep the cards' order. */
export function searchCards(query: string, cards: readonly Card[]): CardMatch[] {
  const q = normalize(query);
  if (q === "") return [];
  const tokens = q.split(" ");
  const compact = tokens.join("");
  const matches: CardMatch[] = [];
  for (const card of cards) {
    const terms = [card.id, card.title.en, card.title.lo, ...card.keywords].map(normalize);
    let score = 0;
    for (const term of terms) score = Math.max(score, scoreTerm(tokens, compact, term));
    if (score > 0) matches.push({ card, score: score + COVERED_WORD * coveredWords(tokens, terms) });
  }
  return matches.sort((a, b) => b.score - a.score);
}

/**
 * How many of the query's words (three letters or more) appear among the card's words,
 * so that in "newborn resus" the card that knows both words beats the one that knows one.
 */
function coveredWords(tokens: readonly string[], terms: readonly string[]): number {
  const words = new Set(terms.flatMap((term) => term.split(" ")));
  return tokens.filter(
    (token) =>
      length(token) >= 3 &&
      [...words].some((word) => word === token || (length(token) >= 5 && word.startsWith(token)) || (length(word) >= 5 && distance(token, word) <= tolerance(length(word)))),
  ).length;
}

function scoreTerm(tokens: readonly string[], compact: string, term: string): number {
  if (term === "") return 0;
  const termCompact = term.replaceAll(" ", "");
  if (compact === termCompact) return EXACT + termCompact.length;

  // Lao is written without spaces between words, so compare whole strings.
  if (LAO.test(term)) {
    if (compact.includes(termCompact)) return CONTAINS + termCompact.length;
    if (length(compact) >= 3 && termCompact.includes(compact)) return PREFIX + length(compact);
    const d = distance(compact, termCompact);
    return d <= tolerance(length(termCompact)) ? FUZZY + length(termCompact) - 10 * d : 0;
  }

  // Latin: slide the term over the query's words; one word more or fewer lets
  // "pre eclampsia" meet "preeclampsia" and the reverse.
  const termWords = term.split(" ");
  let best = 0;
  for (let size = Math.max(1, termWords.length - 1); size <= termWords.length + 1; size++) {
    for (let i = 0; i + size <= tokens.length; i++) {
      const window = tokens.slice(i, i + size).join("");
      const d = distance(window, termCompact);
      if (d === 0) best = Math.max(best, CONTAINS + termCompact.length);
      else if (d <= tolerance(termCompact.length)) best = Math.max(best, FUZZY + termCompact.length - 10 * d);
    }
  }
  // A single word of five letters or more may be the start of a term's word: "eclamp",
  // "resus". Shorter ones ("help", "baby") say too little to pick a clinical card.
  if (tokens.length === 1 && compact.length >= 5 && termWords.some((w) => w.startsWith(compact))) {
    best = Math.max(best, PREFIX + compact.length);
  }
  return best;
}

/**
 * How many typos a term of this length tolerates: none for short words like "pph" or
 * "fits", and never more than two, or "not breathing" would meet "fast breathing".
 */
function tolerance(termLength: number): number {
  if (termLength <= 4) return 0;
  if (termLength <= 7) return 1;
  return 2;
}

function length(text: string): number {
  return Array.from(text).length;
}
