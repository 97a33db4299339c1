// Finding the card a health worker means from what they typed: an id, a keyword or a
// phrase, in English or Lao, often in a hurry and misspelt. A confident wrong card is the
// worst answer a guideline bot can give (uterine massage for bleeding before birth, a
// mother's card for a baby), so the matcher refuses to guess:
//  - a query that names a stage or a patient ("30 weeks", "after birth", "baby", "3 years",
//    ຖືພາ, ເດັກ) only ever opens a card whose `applies_to` covers it;
//  - a query that fits only through a word many cards share (bleeding, fever, fit, pain),
//    or that fits several cards, gets the list of candidates to choose from;
//  - misspellings are forgiven only when exactly one card is in reach.
import { distance, normalize } from "../util/text.ts";
import type { Card } from "./card-schema.ts";
import { GENERIC, LAO_STAGE_PHRASES, LAO_STOP_WORDS, type QueryStage, STAGE_PHRASES, type Stage, STOP_WORDS } from "./lexicon.ts";

// Kept here too for callers of the matcher; new code imports src/util/text.ts.
export { distance, normalize } from "../util/text.ts";

export type GuideAnswer =
  | { readonly kind: "card"; readonly card: Card }
  /** Several cards could be meant (or one, through a shared word only): show them, open none. */
  | { readonly kind: "list"; readonly cards: readonly Card[] }
  | { readonly kind: "none" };

const LAO = /\p{Script=Lao}/u;

/** normalize, and digits parted from letters so "30wks", "3yo" and "mgso4" read as words. */
function prepare(text: string): string {
  return normalize(text)
    .replace(/(\p{N})(\p{L})/gu, "$1 $2")
    .replace(/(\p{L})(\p{N})/gu, "$1 $2");
}

type Kind = "stage" | "generic" | "stop" | "number" | "specific";

/** What a query (or a card's term) says, once the matcher's own words are recognised. */
export interface Analysis {
  /** Latin words, in order, and what each one is. */
  readonly tokens: readonly string[];
  readonly kinds: readonly Kind[];
  /** All Lao text, spaces removed. */
  readonly lao: string;
  /** The Lao left once stage, shared and filler words are taken out. */
  readonly laoResidue: string;
  /** One entry per stage or patient word: the stages it allows. */
  readonly constraints: readonly (readonly QueryStage[])[];
  /** Where each constraint's words are (Latin word or Lao character positions), to ignore those inside a card's own phrase. */
  readonly constraintAt: readonly (readonly string[])[];
  /** The shared concepts (bleeding, fever...) it mentions. */
  readonly concepts: ReadonlySet<string>;
  /**
   * "early pregnancy" (before 20 weeks) or "late pregnancy" (24 weeks on) when the query gives the
   * weeks or months of a pregnancy, so a card can rule itself out with those words in `rules_out`.
   */
  readonly markers: ReadonlySet<string>;
}

const latinStagePhrases = [...STAGE_PHRASES].map(([p, s]) => [prepare(p).split(" "), s] as const).sort((a, b) => b[0].length - a[0].length);
const laoStagePhrases = [...LAO_STAGE_PHRASES].map(([p, s]) => [compactLao(p), s] as const).sort((a, b) => b[0].length - a[0].length);
const genericLatin = new Map(Object.entries(GENERIC).flatMap(([concept, forms]) => forms.en.map((w) => [w, concept] as const)));
const genericLao = Object.entries(GENERIC)
  .flatMap(([concept, forms]) => forms.lo.map((w) => [compactLao(w), concept] as const))
  .sort((a, b) => b[0].length - a[0].length);
const fuzzyGeneric = [...genericLatin].filter(([w]) => w.length >= 6);
const stageWords = latinStagePhrases.filter(([words]) => words.length === 1 && (words[0] as string).length >= 6).map(([words]) => words[0] as string);

/**
 * A misspelt stage word ("delivere", "materna"): not trusted to name a stage, and never evidence
 * for a card either (it would reach "placenta not delivered" by a prefix).
 */
function nearStageWord(token: string): boolean {
  return token.length >= 6 && stageWords.some((w) => Math.abs(w.length - token.length) <= tolerance(w.length) && distance(token, w) <= tolerance(w.length));
}
const laoStops = [...LAO_STOP_WORDS].map(compactLao).sort((a, b) => b.length - a.length);

function compactLao(text: string): string {
  return prepare(text).replaceAll(" ", "");
}

type WordKind = { readonly kind: "generic"; readonly concept: string } | { readonly kind: "stop" | "specific" };
// Words recur across queries and card keywords, and the fuzzy comparisons are the costly part.
const classified = new Map<string, WordKind>();

/** A Latin word that is no stage word: shared (misspelt too), filler, or the query's own. */
function classify(token: string): WordKind {
  const known = classified.get(token);
  if (known) return known;
  const concept =
    genericLatin.get(token) ??
    (length(token) >= 6 ? fuzzyGeneric.find(([w]) => Math.abs(w.length - token.length) <= tolerance(w.length) && distance(token, w) <= tolerance(w.length))?.[1] : undefined);
  const word: WordKind = concept !== undefined ? { kind: "generic", concept } : STOP_WORDS.has(token) || nearStageWord(token) ? { kind: "stop" } : { kind: "specific" };
  if (classified.size < 10_000) classified.set(token, word);
  return word;
}

export function analyse(text: string): Analysis {
  const prepared = prepare(text);
  const all = prepared === "" ? [] : prepared.split(" ");
  const tokens = all.filter((t) => !LAO.test(t));
  const lao = all.filter((t) => LAO.test(t)).join("");
  const kinds: Kind[] = tokens.map((t) => (/^\p{N}+$/u.test(t) ? "number" : "specific"));
  const constraints: (readonly QueryStage[])[] = [];
  const constraintAt: string[][] = [];
  const concepts = new Set<string>();

  const markers = new Set<string>();
  for (const age of latinAges(tokens)) {
    constraints.push(age.stages);
    constraintAt.push([`en${age.at}`, `en${age.at + 1}`]);
    if (age.gestationWeeks !== undefined) addGestation(markers, age.gestationWeeks);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (kinds[i] !== "specific") continue;
    const phrase = latinStagePhrases.find(([words]) => words.every((w, j) => tokens[i + j] === w && kinds[i + j] === "specific"));
    if (phrase === undefined) continue;
    constraints.push(phrase[1]);
    constraintAt.push(phrase[0].map((_, j) => `en${i + j}`));
    for (let j = 0; j < phrase[0].length; j++) kinds[i + j] = "stage";
  }
  for (let i = 0; i < tokens.length; i++) {
    if (kinds[i] !== "specific") continue;
    const word = classify(tokens[i] as string);
    if (word.kind === "generic") concepts.add(word.concept);
    kinds[i] = word.kind;
  }

  // Lao: ages first (they hold digits), then the longest phrases, each occurrence replaced by
  // a gap so that what is left is not glued into new words.
  const laoWithDigits = all.filter((t) => LAO.test(t) || /^\p{N}+$/u.test(t)).join("");
  for (const age of laoAges(laoWithDigits)) {
    constraints.push(age.stages);
    constraintAt.push([]);
    if (age.gestationWeeks !== undefined) addGestation(markers, age.gestationWeeks);
  }
  // Gaps as long as what they replace keep the positions of the rest.
  const gap = (m: string) => "|".repeat(m.length);
  let rest = lao;
  for (const [phrase, stages] of laoStagePhrases) {
    const pattern = new RegExp(phrase === compactLao("ແມ່") ? `${phrase}(?!ນ)` : phrase, "gu");
    for (const m of rest.matchAll(pattern)) {
      constraints.push(stages);
      constraintAt.push(Array.from({ length: m[0].length }, (_, j) => `lo${m.index + j}`));
    }
    rest = rest.replace(pattern, gap);
  }
  for (const [phrase, concept] of genericLao) {
    if (rest.includes(phrase)) {
      concepts.add(concept);
      rest = rest.replaceAll(phrase, gap);
    }
  }
  for (const stop of laoStops) rest = rest.replaceAll(stop, gap);
  return { tokens, kinds, lao, laoResidue: rest.replaceAll("|", ""), constraints, constraintAt, concepts, markers };
}

const WEEK = new Set(["weeks", "week", "wks", "wk", "w"]);
const DAY = new Set(["days", "day", "d"]);
const MONTH = new Set(["months", "month", "mo", "mos", "mth", "mths", "m"]);
const YEAR = new Set(["years", "year", "yrs", "yr", "yo", "y"]);
const AFTER = new Set(["after", "ago", "since", "postpartum", "pp", "postnatal"]);
const GESTATION = new Set(["pregnant", "pregnancy", "gestation", "ga"]);

/** "30 weeks" is a pregnancy; "2 weeks old", "2 month old", "3 years", "3yo" are a baby or a child. */
interface Age {
  readonly stages: QueryStage[];
  /** Set when the number is the length of a pregnancy. */
  readonly gestationWeeks?: number;
}

// The two ends of pregnancy that cards tell apart (early pregnancy loss, bleeding late in
// pregnancy); the weeks between are left to the shared-word list.
function addGestation(markers: Set<string>, weeks: number): void {
  if (weeks < 20) markers.add("early pregnancy");
  else if (weeks >= 24) markers.add("late pregnancy");
}

function latinAges(tokens: readonly string[]): (Age & { at: number })[] {
  const out: (Age & { at: number })[] = [];
  const push = (stages: QueryStage[], gestationWeeks?: number) => out.push(gestationWeeks === undefined ? { at: i, stages } : { at: i, stages, gestationWeeks });
  let i = 0;
  for (; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!/^\p{N}+$/u.test(token)) continue;
    const n = Number(token);
    const unit = tokens[i + 1] ?? "";
    const next = tokens[i + 2] ?? "";
    const prev = tokens[i - 1] ?? "";
    const isAge = next === "old" || prev === "aged" || prev === "age" || unit === "yo" || (unit === "y" && next === "o");
    if (WEEK.has(unit)) {
      if (isAge) push(ageInDays(n * 7));
      else if (!AFTER.has(next)) push(["pregnancy", "labour"], n);
    } else if (DAY.has(unit)) {
      if (isAge) push(ageInDays(n));
    } else if (MONTH.has(unit)) {
      if (GESTATION.has(next)) push(["pregnancy", "labour"], n * 4.3);
      else if (isAge || n > 10) push(ageInMonths(n));
      else push(["pregnancy", "labour", ...ageInMonths(n)], n * 4.3);
    } else if (YEAR.has(unit)) {
      push(ageInYears(n));
    }
  }
  return out;
}

function laoAges(text: string): Age[] {
  const out: Age[] = [];
  const aged = /ອາຍຸ(\p{N}+)(ມື້|ອາທິດ|ເດືອນ|ປີ)/gu;
  for (const m of text.matchAll(aged)) {
    const n = Number(m[1]);
    out.push({ stages: m[2] === "ມື້" ? ageInDays(n) : m[2] === "ອາທິດ" ? ageInDays(n * 7) : m[2] === "ເດືອນ" ? ageInMonths(n) : ageInYears(n) });
  }
  const rest = text.replace(aged, "|");
  for (const m of rest.matchAll(/(\p{N}+)(ອາທິດ|ເດືອນ|ປີ)/gu)) {
    const n = Number(m[1]);
    if (m[2] === "ອາທິດ") out.push({ stages: ["pregnancy", "labour"], gestationWeeks: n });
    else if (m[2] === "ປີ") out.push({ stages: ageInYears(n) });
    else out.push(n > 10 ? { stages: ageInMonths(n) } : { stages: ["pregnancy", "labour", ...ageInMonths(n)], gestationWeeks: n * 4.3 });
  }
  return out;
}

// Newborn means the first two months (59 days); the sick-child card covers 2 months to 5 years.
function ageInDays(days: number): QueryStage[] {
  return days < 60 ? ["newborn"] : ageInMonths(days / 30);
}
function ageInMonths(months: number): QueryStage[] {
  if (months < 2) return ["newborn"];
  return months < 60 ? ["child"] : ["older"];
}
function ageInYears(years: number): QueryStage[] {
  if (years < 5) return ["child"];
  // A woman's age ("25 years, bleeding"): a mother, not a child.
  return years < 12 ? ["older"] : ["pregnancy", "labour", "postpartum"];
}

interface Term {
  readonly words: readonly string[];
  readonly compact: string;
  readonly lao: boolean;
  /** Holds something beyond stage, shared and filler words: may be matched loosely. */
  readonly specific: boolean;
}

const termCache = new WeakMap<Card, { terms: Term[]; concepts: Set<string> }>();

function cardTerms(card: Card): { terms: Term[]; concepts: Set<string> } {
  const cached = termCache.get(card);
  if (cached) return cached;
  const terms = [card.id.replaceAll("-", " "), card.title.en, card.title.lo, ...card.keywords].map((text): Term => {
    const a = analyse(text);
    const isLao = LAO.test(text);
    return {
      words: isLao ? [] : a.tokens,
      compact: isLao ? a.lao : a.tokens.join(""),
      lao: isLao,
      specific: isLao ? a.laoResidue.length >= 2 : a.kinds.some((k) => k === "specific"),
    };
  });
  // The shared concepts a card is about: from its title, intro, summary and keywords (its steps
  // mention too much: "blood pressure", "if she bleeds"), and drugs from its steps too.
  const concepts = new Set<string>();
  for (const text of [card.title.en, card.title.lo, card.intro?.en, card.intro?.lo, ...card.summary.flatMap((s) => [s.en, s.lo]), ...card.keywords]) {
    if (text !== undefined) for (const c of analyse(text).concepts) concepts.add(c);
  }
  for (const step of card.steps) for (const c of analyse(step.en).concepts) if (GENERIC[c]?.inSteps) concepts.add(c);
  const entry = { terms: terms.filter((t) => t.compact !== ""), concepts };
  termCache.set(card, entry);
  return entry;
}

interface Evidence {
  /** Query positions an exact term match covers (Latin word index, or Lao character index). */
  readonly covered: Set<string>;
  /** Query positions a misspelt or partial match reaches. */
  readonly loose: Set<string>;
}

const windowCache = new WeakMap<Analysis, Map<number, { i: number; window: string; hasSpecific: boolean }[]>>();

/** The query's runs of `size` words, glued, and whether each holds a word of its own; built once per query. */
function windowsOf(q: Analysis, size: number): { i: number; window: string; hasSpecific: boolean }[] {
  let bySize = windowCache.get(q);
  if (bySize === undefined) windowCache.set(q, (bySize = new Map()));
  let windows = bySize.get(size);
  if (windows === undefined) {
    windows = [];
    for (let i = 0; i + size <= q.tokens.length; i++) {
      windows.push({ i, window: q.tokens.slice(i, i + size).join(""), hasSpecific: q.kinds.slice(i, i + size).some((k) => k === "specific") });
    }
    bySize.set(size, windows);
  }
  return windows;
}

/** How `card` fits the query; `specificOnly` counts only exact matches of terms with words of their own. */
function evidence(q: Analysis, card: Card, specificOnly = false): Evidence {
  const ev: Evidence = { covered: new Set(), loose: new Set() };
  const allLao = () => Array.from({ length: q.lao.length }, (_, i) => `lo${i}`);
  const specificTokens = q.tokens.filter((_, i) => q.kinds[i] === "specific");
  for (const term of cardTerms(card).terms) {
    if (specificOnly && !term.specific) continue;
    if (term.lao) {
      if (q.lao === "") continue;
      const at = q.lao.indexOf(term.compact);
      if (at >= 0) {
        for (let i = at; i < at + term.compact.length; i++) ev.covered.add(`lo${i}`);
        continue;
      }
      if (specificOnly || !term.specific || length(q.laoResidue) < 2) continue;
      if ((length(q.lao) >= 3 && term.compact.includes(q.lao)) || distance(q.lao, term.compact) <= tolerance(length(term.compact))) for (const p of allLao()) ev.loose.add(p);
      continue;
    }
    // Latin: slide the term over the query's words; one word more or fewer lets
    // "pre eclampsia" meet "preeclampsia" and the reverse.
    for (let size = Math.max(1, term.words.length - 1); size <= term.words.length + 1; size++) {
      for (const { i, window, hasSpecific } of windowsOf(q, size)) {
        const near = !specificOnly && term.specific && hasSpecific && Math.abs(window.length - term.compact.length) <= tolerance(term.compact.length);
        const d = window === term.compact ? 0 : near ? distance(window, term.compact) : Infinity;
        if (d === 0 && (hasSpecific || !term.specific)) for (let j = i; j < i + size; j++) ev.covered.add(`en${j}`);
        else if (d <= tolerance(term.compact.length)) for (let j = i; j < i + size; j++) ev.loose.add(`en${j}`);
      }
    }
    // One specific word of five letters or more may be the start of a term's word: "eclamp",
    // "resus". Shorter ones say too little to pick a clinical card.
    const only = !specificOnly && specificTokens.length === 1 ? (specificTokens[0] as string) : "";
    if (term.specific && length(only) >= 5 && term.words.some((w) => w.startsWith(only) && !genericLatin.has(w) && !STOP_WORDS.has(w))) ev.loose.add(`en${q.tokens.indexOf(only)}`);
  }
  return ev;
}

/**
 * The longest query read. A guide search is a few words; reading a whole pasted message (the bot
 * accepts 4,000 characters) word run by word run would hold the bot for seconds.
 */
export const MAX_QUERY_LENGTH = 200;

/** What `query` asks for among `cards`: the card it clearly means, candidates to choose from, or none. */
export function matchGuide(query: string, cards: readonly Card[]): GuideAnswer {
  const q = analyse(Array.from(query).slice(0, MAX_QUERY_LENGTH).join(""));
  if (q.tokens.length === 0 && q.lao === "") return { kind: "none" };

  // A stage word inside a card's own phrase ("kangaroo mother care") names no patient.
  const inPhrase = new Set(cards.flatMap((card) => [...evidence(q, card, true).covered]));
  const constraints = q.constraints.filter((_, i) => !(q.constraintAt[i] as readonly string[]).every((p) => inPhrase.has(p)) || (q.constraintAt[i] as readonly string[]).length === 0);

  // The stages every stage word allows; words that contradict each other ("mother", "3 years")
  // could be two patients, so nothing opens and the candidates of each are listed.
  let allowed: Set<QueryStage> | undefined;
  let conflict = false;
  for (const c of constraints) allowed = allowed === undefined ? new Set(c) : new Set(c.filter((s) => allowed?.has(s)));
  if (allowed !== undefined && allowed.size === 0) {
    conflict = true;
    allowed = new Set(constraints.flat());
  }
  const ruled = new Set(cards.filter((card) => (card.rules_out ?? []).some((phrase) => mentions(q, phrase))));
  const eligible = cards.filter((card) => !ruled.has(card) && (allowed === undefined || card.applies_to.some((s: Stage) => allowed?.has(s))));

  const found = eligible.map((card) => ({ card, ev: evidence(q, card) }));
  const strong = found.filter((f) => f.ev.covered.size > 0);
  const loose = found.filter((f) => f.ev.covered.size === 0 && f.ev.loose.size > 0);
  const list = (list: readonly Card[]): GuideAnswer => (list.length === 0 ? { kind: "none" } : { kind: "list", cards: list });

  if (strong.length > 0) {
    // One card only, or one whose exact match takes in every other card's ("pph not stopping" over "pph").
    const best = [...strong].sort((a, b) => b.ev.covered.size - a.ev.covered.size)[0] as (typeof strong)[number];
    const containsAll = strong.every((f) => f === best || ([...f.ev.covered].every((p) => best.ev.covered.has(p)) && f.ev.covered.size < best.ev.covered.size));
    // A misspelling that reaches past the exact match into another card ("pph not stoping": "pph"
    // is exact, "not stoping" nearly pph-not-stopping's) may be what was meant: both are listed.
    const beyond = found.filter((f) => f !== best && [...f.ev.loose].some((p) => !best.ev.covered.has(p)));
    if (!conflict && containsAll && beyond.length === 0) return { kind: "card", card: best.card };
    return list([...new Set([...strong, ...beyond])].map((f) => f.card));
  }
  if (loose.length > 0) {
    // A misspelt or partial match opens a card only when the card covers every stage the query
    // allows: "sepsis baby" may be a one-year-old, so the newborn card is listed, not opened.
    const only = loose.length === 1 ? (loose[0] as (typeof loose)[number]).card : undefined;
    const covers = (card: Card) => allowed === undefined || [...allowed].every((s) => card.applies_to.includes(s as Stage));
    if (!conflict && only !== undefined && covers(only)) return { kind: "card", card: only };
    return list(loose.map((f) => f.card));
  }
  // Only stage, shared or unknown words: the cards about those concepts, for those stages.
  if (q.concepts.size > 0) return list(eligible.filter((card) => [...q.concepts].some((c) => cardTerms(card).concepts.has(c))));
  if (constraints.length > 0 && !q.kinds.some((k) => k === "specific") && q.laoResidue.length === 0) return list(eligible);
  return { kind: "none" };
}

/**
 * Whether the query holds `phrase` (a card's `rules_out`): whole words in Latin, anywhere in Lao;
 * "early pregnancy" and "late pregnancy" also when the weeks or months given say so.
 */
const phraseCache = new Map<string, Analysis>();

function mentions(q: Analysis, phrase: string): boolean {
  const p = phraseCache.get(phrase) ?? analyse(phrase);
  phraseCache.set(phrase, p);
  if (q.markers.has(p.tokens.join(" "))) return true;
  if (p.lao !== "" && q.lao.includes(p.lao)) return true;
  if (p.tokens.length === 0) return false;
  return q.tokens.some((_, i) => p.tokens.every((w, j) => q.tokens[i + j] === w));
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

/**
 * Why `keyword` would make a card open for the wrong query, if it would: made only of shared
 * and filler words ("bleeding", "danger signs", ເລືອດອອກ) or only of stage words ("newborn"),
 * it opens its card for every query about that concept or stage; naming a patient the card is
 * not for ("baby convulsions" on a newborn-only card: a baby may be a year old), it opens the
 * card for that patient.
 */
export function keywordProblem(keyword: string, appliesTo: readonly Stage[]): string | undefined {
  const a = analyse(keyword);
  if (a.tokens.length === 0 && a.lao === "") return "is empty once punctuation is removed";
  const specific = a.kinds.some((k) => k === "specific" || k === "number") || a.laoResidue.length >= 2;
  if (specific) return undefined;
  if (a.constraints.length === 0) return "is only words many cards share (the matcher lists the candidates for those itself); use a phrase that names this card's condition";
  if (a.concepts.size === 0) return "is only stage or patient words (the matcher lists the cards for a stage itself); use a phrase that names this card's condition";
  for (const stages of a.constraints) {
    const foreign = stages.filter((s) => (s === "child" || s === "pregnancy" || s === "older") && !appliesTo.includes(s as Stage));
    if (foreign.length > 0 || !stages.some((s) => appliesTo.includes(s as Stage))) {
      return `also names ${stages.join(" or ")}, but the card applies to ${appliesTo.join(", ")}; use a phrase only this card's patients fit`;
    }
  }
  return undefined;
}
