// Clinical guideline cards: one YAML file per topic under config/guides/, so that a
// province can review and edit them without touching code. Loading validates every
// file and returns all problems at once, each naming its file and field.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { normalize } from "../util/text.ts";
import { Card, type CardItem } from "./card-schema.ts";
import { keywordProblem } from "./match.ts";
import { numbersIn, quoteLacks } from "./numbers.ts";

export const DEFAULT_GUIDES_DIR = fileURLToPath(new URL("../../config/guides/", import.meta.url));

export { Card, CardItem, CardText, Cite, Source } from "./card-schema.ts";

export interface CardProblem {
  readonly file: string;
  /** The line of the field at fault, when there is one. */
  readonly line?: number;
  readonly message: string;
}

export type LoadResult = { readonly ok: true; readonly cards: readonly Card[] } | { readonly ok: false; readonly problems: readonly CardProblem[] };

/** Parses one card file's text; `file` is only used to name the file in problems. */
export function parseCard(text: string, file: string): { ok: true; card: Card } | { ok: false; problems: CardProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const error = doc.errors[0];
  if (error !== undefined) {
    return { ok: false, problems: [{ file, ...(error.linePos && { line: error.linePos[0].line }), message: `not valid YAML: ${error.message.split("\n")[0]}` }] };
  }
  // The line of a field such as steps.3.cite.quote, or of the nearest field above it that exists.
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(
        path.slice(0, n).map((k) => (typeof k === "string" && /^\d+$/.test(k) ? Number(k) : k)),
        true,
      ) as { range?: [number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const located = (path: readonly PropertyKey[], message: string): CardProblem => {
    const line = lineOf(path);
    return line === undefined ? { file, message } : { file, line, message };
  };
  const result = Card.safeParse(doc.toJS());
  if (!result.success) {
    return { ok: false, problems: result.error.issues.map((issue) => located(issue.path, `${issue.path.length ? issue.path.join(".") : "(card)"}: ${issue.message}`)) };
  }
  const problems = cardProblems(result.data).map((message) => located((message.split(": ")[0] as string).split("."), message));
  return problems.length ? { ok: false, problems } : { ok: true, card: result.data };
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
  return problems.map((p) => `${p.file}${p.line === undefined ? "" : `:${p.line}`}: ${p.message}`).join("\n");
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

/**
 * What the schema cannot say (each problem starts with the field's path): every number in a step or key point is traceable to a verbatim
 * quote of a source on this card, the Lao carries the same numbers as the English, and no
 * keyword is only words many cards share.
 */
export function cardProblems(card: Card): string[] {
  const problems: string[] = [];
  const sourceIds = card.sources.map((s) => s.id);
  const years = new Set(card.sources.map((s) => String(s.year)));
  const seen = new Set<string>();
  card.sources.forEach((s, i) => {
    if (seen.has(s.id)) problems.push(`sources.${i}.id: "${s.id}" is used by two sources of this card`);
    seen.add(s.id);
  });
  const items: [string, CardItem][] = [...card.summary.map((s, i): [string, CardItem] => [`summary.${i}`, s]), ...card.steps.map((s, i): [string, CardItem] => [`steps.${i}`, s])];
  for (const [field, item] of items) {
    // A source's year written beside its name, "(WHO 2025)", is a reference, not a clinical number.
    const numbers = numbersIn(item.en, { words: true }).filter((n) => !years.has(n.value));
    if (numbers.length > 0 && item.cite === undefined) {
      problems.push(
        `${field}.cite: missing; the English text holds ${numbers.map((n) => n.text).join(", ")}, so it needs cite: { source, where, quote } with a verbatim quote holding those numbers (or no number: say to follow the protocol or ask the expert)`,
      );
    }
    if (item.cite !== undefined) {
      if (!sourceIds.includes(item.cite.source)) problems.push(`${field}.cite.source: "${item.cite.source}" is not one of this card's sources (${sourceIds.join(", ")})`);
      const lacking = quoteLacks(item.cite.quote, numbers);
      if (lacking.length > 0) problems.push(`${field}.cite.quote: does not contain ${lacking.join(", ")}, which the English text uses; quote the words of the source that hold every number`);
    }
  }
  const texts: [string, { en: string; lo: string } | undefined][] = [["title", card.title], ["intro", card.intro], ...items, ["disclaimer", card.disclaimer]];
  for (const [field, text] of texts) {
    if (text === undefined) continue;
    const en = numbersIn(text.en)
      .map((n) => n.value)
      .sort();
    const lo = numbersIn(text.lo)
      .map((n) => n.value)
      .sort();
    if (en.join(" ") !== lo.join(" ")) problems.push(`${field}.lo: holds the numbers [${lo.join(", ")}] but the English holds [${en.join(", ")}]; write the same numbers, in Arabic digits`);
  }
  card.keywords.forEach((keyword, i) => {
    const problem = keywordProblem(keyword, card.applies_to);
    if (problem !== undefined) problems.push(`keywords.${i}: "${keyword}" ${problem}`);
  });
  return problems;
}
