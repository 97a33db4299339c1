// Clinical guideline cards: one YAML file per topic under config/guides/, so that a
// province can review and edit them without touching code. Loading validates every
// file and returns all problems at once, each naming its file and field.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, YAMLParseError } from "yaml";
import { z } from "zod";
import { Localized } from "../config/schema.ts";
import { normalize } from "../util/text.ts";

export const DEFAULT_GUIDES_DIR = fileURLToPath(new URL("../../config/guides/", import.meta.url));

const cardId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lowercase letters, digits and '-', such as pph or newborn-resuscitation");

export const Source = z.object({
  /** Who published it, e.g. "WHO" or "WHO, FIGO, ICM". */
  publisher: z.string().min(1),
  /** The document's exact title, so a reader can find it. */
  title: z.string().min(1),
  year: z.number().int().min(1990).max(2100),
});
export type Source = z.infer<typeof Source>;

export const Card = z.object({
  id: cardId,
  title: Localized,
  /** Words people type to find this card, in English and Lao, with synonyms and common misspellings. */
  keywords: z.array(z.string().trim().min(1)).min(1),
  /** One line shown before the key points, e.g. "Any one of these signs means danger". */
  intro: Localized.optional(),
  summary: z.array(Localized).min(1),
  steps: z.array(Localized).min(1),
  sources: z.array(Source).min(1),
  /** When the card's content was last checked against its sources. */
  last_reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-11-25 (quote it in YAML)"),
  /** A clinician's name, or a plain statement in both languages that no clinician has reviewed it yet. */
  reviewed_by: z.union([z.string().min(1), Localized]),
  disclaimer: Localized,
});
export type Card = z.infer<typeof Card>;

export interface CardProblem {
  readonly file: string;
  readonly message: string;
}

export type LoadResult = { readonly ok: true; readonly cards: readonly Card[] } | { readonly ok: false; readonly problems: readonly CardProblem[] };

/** Parses one card file's text; `file` is only used to name the file in problems. */
export function parseCard(text: string, file: string): { ok: true; card: Card } | { ok: false; problems: CardProblem[] } {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    const message = e instanceof YAMLParseError ? e.message : String(e);
    return { ok: false, problems: [{ file, message: `not valid YAML: ${message}` }] };
  }
  const result = Card.safeParse(data);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => ({ file, message: `${issue.path.length ? issue.path.join(".") : "(card)"}: ${issue.message}` })),
    };
  }
  return { ok: true, card: result.data };
}

/** Loads every `*.yaml` card in `dir`, in file-name order. */
export async function loadCards(dir: string = DEFAULT_GUIDES_DIR): Promise<LoadResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml")).sort();
  } catch (e) {
    return { ok: false, problems: [{ file: dir, message: `cannot read the guide card folder: ${(e as Error).message}` }] };
  }
  if (names.length === 0) return { ok: false, problems: [{ file: dir, message: "no guide cards (*.yaml) found" }] };

  const cards: Card[] = [];
  const problems: CardProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const parsed = parseCard(await readFile(file, "utf8"), file);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const expected = name.replace(/\.ya?ml$/, "");
    if (parsed.card.id !== expected) problems.push({ file, message: `id: is "${parsed.card.id}" but the file is named ${name}; name the file ${parsed.card.id}.yaml` });
    cards.push(parsed.card);
  }
  problems.push(...crossCardProblems(cards, dir));
  return problems.length ? { ok: false, problems } : { ok: true, cards };
}

export function formatProblems(problems: readonly CardProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.message}`).join("\n");
}

/** Two cards with the same id or keyword would make matching ambiguous. */
function crossCardProblems(cards: readonly Card[], dir: string): CardProblem[] {
  const problems: CardProblem[] = [];
  const owner = new Map<string, string>();
  for (const card of cards) {
    const file = join(dir, `${card.id}.yaml`);
    if (owner.has(`id:${card.id}`)) problems.push({ file, message: `id: "${card.id}" is used by two cards` });
    owner.set(`id:${card.id}`, card.id);
    for (const keyword of new Set(card.keywords.map(normalize))) {
      const other = owner.get(`kw:${keyword}`);
      if (other !== undefined && other !== card.id) problems.push({ file, message: `keywords: "${keyword}" is also a keyword of ${other}; keep each keyword on one card` });
      else owner.set(`kw:${keyword}`, card.id);
    }
  }
  return problems;
}

export interface UnreviewedCardText {
  readonly card: string;
  readonly field: string;
  readonly en: string;
  readonly lo: string;
}

/** Every piece of card text whose Lao a native clinical speaker has not checked yet. */
export function unreviewedCardText(cards: readonly Card[]): UnreviewedCardText[] {
  const out: UnreviewedCardText[] = [];
  for (const card of cards) {
    const fields: [string, Localized | undefined][] = [
      ["title", card.title],
      ["intro", card.intro],
      ...card.summary.map((s, i): [string, Localized] => [`summary.${i}`, s]),
      ...card.steps.map((s, i): [string, Localized] => [`steps.${i}`, s]),
      ["reviewed_by", typeof card.reviewed_by === "string" ? undefined : card.reviewed_by],
      ["disclaimer", card.disclaimer],
    ];
    for (const [field, text] of fields) if (text && !text.lo_reviewed) out.push({ card: card.id, field, en: text.en, lo: text.lo });
  }
  return out;
}
