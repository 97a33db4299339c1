// Reading a consult's priority and specialty from what a health worker wrote: escalation
// tags in any message, and the words of `!consult`. Pure; the text is never kept.
import type { Priority, Province, Specialty } from "../config/schema.ts";
import { stripReplyFallback } from "../matrix/replies.ts";

/** Re-exported for the consult code that reads a request's text. */
export { stripReplyFallback } from "../matrix/replies.ts";

/** Highest first: when a message carries several tags, the most urgent one counts. */
export const PRIORITIES: readonly Priority[] = ["emergency", "urgent", "routine"];

export function isHigher(a: Priority, b: Priority): boolean {
  return PRIORITIES.indexOf(a) < PRIORITIES.indexOf(b);
}

/**
 * The priority of the highest tag in `text`, or undefined. A tag counts where its `#` starts
 * the text or follows something other than a letter or digit (so `page#urgent` in a link
 * is not one), and ends where a Latin letter or digit does not follow (so `#urgently` is not
 * `#urgent`, while `#ດ່ວນ` directly followed by Lao words is, because Lao is written without
 * spaces between words). Case and Unicode normalisation do not matter. The quoted part of a
 * reply is skipped: answering an emergency is not a new emergency.
 */
export function detectTag(province: Province, text: string): Priority | undefined {
  const body = normalize(stripReplyFallback(text));
  let best: Priority | undefined;
  for (const priority of PRIORITIES) {
    for (const tag of province.tags[priority] ?? []) {
      if (containsTag(body, normalize(tag))) {
        if (best === undefined || isHigher(priority, best)) best = priority;
      }
    }
  }
  return best;
}

function containsTag(body: string, tag: string): boolean {
  for (let at = body.indexOf(tag); at !== -1; at = body.indexOf(tag, at + 1)) {
    const before = body.slice(0, at).at(-1);
    const after = body.at(at + tag.length);
    if (before !== undefined && /[\p{L}\p{M}\p{N}#]/u.test(before)) continue;
    if (after !== undefined && /[a-z0-9_]/.test(after)) continue;
    return true;
  }
  return false;
}

export interface ConsultArguments {
  priority: Priority;
  specialty: Specialty;
  /** Whether the priority and specialty were written or guessed, so replies can say so. */
  priorityGiven: boolean;
  specialtyGiven: boolean;
  /** What is left once the priority and specialty words are taken off; never stored. */
  summary: string;
}

/**
 * `!consult` is asked without a priority most often by someone who wants an answer soon
 * but is not in an emergency, so the default is urgent: an emergency ladder `@room`s every
 * expert within ten minutes and would wear out their attention if it were the default,
 * while routine would leave a real question for hours. A tag in the summary sets it too.
 */
export const DEFAULT_PRIORITY: Priority = "urgent";

const SPECIALTY_WORDS = new Map<string, Specialty>([
  ["obstetrics", "obstetrics"],
  ["obstetric", "obstetrics"],
  ["obs", "obstetrics"],
  ["paediatrics", "paediatrics"],
  ["pediatrics", "paediatrics"],
  ["paediatric", "paediatrics"],
  ["pediatric", "paediatrics"],
  ["paeds", "paediatrics"],
  ["peds", "paediatrics"],
  ["general", "general"],
  ["ສູຕິ", "obstetrics"],
  ["ສູຕິກຳ", "obstetrics"],
  ["ເດັກ", "paediatrics"],
  ["ກຸມານ", "paediatrics"],
  ["ກຸມານເວດ", "paediatrics"],
]);

/** A priority written as a word: its English name, or any of its tags with or without the `#`. */
function priorityWord(province: Province, word: string): Priority | undefined {
  const named = PRIORITIES.find((p) => p === word);
  if (named) return named;
  const tag = word.startsWith("#") ? word : `#${word}`;
  return PRIORITIES.find((p) => (province.tags[p] ?? []).some((t) => normalize(t) === tag));
}

/**
 * The words of `!consult [emergency|urgent|routine] [specialty] <summary>`. The priority and
 * specialty may come in either order, as words or tags. Nothing is refused: a nurse who
 * types only `!consult emergency` in a hurry gets a consult, and the case template asks
 * for what is missing.
 */
export function parseConsultArguments(province: Province, text: string): ConsultArguments {
  let rest = text.trim();
  let priority: Priority | undefined;
  let specialty: Specialty | undefined;
  for (let i = 0; i < 2; i++) {
    const end = rest.search(/\s/u);
    const word = normalize(end === -1 ? rest : rest.slice(0, end));
    const asPriority = priority === undefined ? priorityWord(province, word) : undefined;
    const asSpecialty = specialty === undefined && asPriority === undefined ? specialtyWord(word) : undefined;
    if (asPriority === undefined && asSpecialty === undefined) break;
    priority ??= asPriority;
    specialty ??= asSpecialty;
    rest = end === -1 ? "" : rest.slice(end).trimStart();
  }
  const tagged = priority === undefined ? detectTag(province, rest) : undefined;
  return {
    priority: priority ?? tagged ?? DEFAULT_PRIORITY,
    specialty: specialty ?? guessSpecialty(rest),
    priorityGiven: priority !== undefined || tagged !== undefined,
    specialtyGiven: specialty !== undefined,
    summary: rest,
  };
}

// Words that point at the baby or at the mother. "Baby" alone is not enough: "baby born an
// hour ago, still bleeding" is the mother's emergency, so the two kinds are counted.
const PAEDIATRIC_WORDS = [
  /\bnew\s*born/u,
  /\bneonat/u,
  /\bbab(y|ies)\b/u,
  /\binfant/u,
  /\bchild/u,
  /\bapgar/u,
  /\bjaundice/u,
  /\bnot\s+breathing/u,
  /\bcord\b/u,
  /\bfeeding/u,
  /ເດັກ/u,
  /ທາລົກ/u,
  /ເກີດໃໝ່/u,
];
const OBSTETRIC_WORDS = [
  /\bbleed/u,
  /\bp\.?p\.?h\b/u,
  /\bha?emorrh/u,
  /\bplacenta/u,
  /\bpregnan/u,
  /\blabou?r\b/u,
  /\bgestation/u,
  /\bweeks?\b/u,
  /\bp?re-?eclamp|\beclamp/u,
  /\buterus|\buterine/u,
  /\bdeliver/u,
  /\bpost-?partum/u,
  /\bcontraction/u,
  /\bmother\b/u,
  /\bwoman\b/u,
  /\bg\d+\s*p\d+/u,
  /ແມ່/u,
  /ຖືພາ/u,
  /ເກີດລູກ/u,
  /ເລືອດອອກ/u,
  /ແຮ່/u,
  /ມົດລູກ/u,
  /ທ້ອງ/u,
];

/** A specialty written as a word (`obstetrics`, `peds`, `ສູຕິ` …), or undefined. */
export function specialtyWord(word: string): Specialty | undefined {
  return SPECIALTY_WORDS.get(normalize(word));
}

/**
 * Paediatrics when the text says more about a baby than about a mother, otherwise
 * obstetrics: maternal emergencies are the commonest reason to ask, and an obstetrician
 * paged for a baby hands over faster than a missed haemorrhage is caught. Never general.
 */
export function guessSpecialty(text: string): Specialty {
  const body = normalize(text);
  const count = (patterns: readonly RegExp[]) => patterns.filter((p) => p.test(body)).length;
  return count(PAEDIATRIC_WORDS) > count(OBSTETRIC_WORDS) ? "paediatrics" : "obstetrics";
}

function normalize(text: string): string {
  return text.normalize("NFC").toLowerCase();
}
