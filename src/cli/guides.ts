// `mchlink guides sheet | review | status`: the guide cards' review workflow. A sheet is printed
// for a clinician and a native Lao clinical speaker; their sign-off is recorded in the review
// ledger against a hash of exactly the text they read, so a later edit voids it by itself.
import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Card, cardHash, cardReviewState, DEFAULT_GUIDES_DIR, DEFAULT_LEDGER, formatProblems, loadCards, loadLedger, messageHash, recordReview, type Review } from "../guides/index.ts";
import { renderReviewSheet } from "../guides/sheet.ts";
import { catalogue, type MessageKey } from "../i18n/catalogue.ts";

type Line = (line: string) => void;

/** A failure the user can fix; `main` prints it and exits 1. */
export class GuidesError extends Error {}

interface Paths {
  readonly guides: string;
  readonly ledger: string;
}

async function cardsAndReviews(paths: Paths): Promise<{ cards: readonly Card[]; reviews: readonly Review[] }> {
  const cards = await loadCards(paths.guides);
  if (!cards.ok) throw new GuidesError(`The guide cards have problems; fix them first:\n${formatProblems(cards.problems)}`);
  const ledger = await loadLedger(paths.ledger);
  if (!ledger.ok) throw new GuidesError(`The review ledger has problems; fix it first (nothing was changed):\n${ledger.problems.join("\n")}`);
  return { cards: cards.cards, reviews: ledger.reviews };
}

function findCard(cards: readonly Card[], id: string): Card {
  const card = cards.find((c) => c.id === id);
  if (card === undefined) throw new GuidesError(`No guide card "${id}". The cards are: ${cards.map((c) => c.id).join(", ")}.`);
  return card;
}

export interface ReviewRequest {
  readonly subject: string;
  readonly by: string;
  readonly role: string;
  readonly lang: "en" | "lo";
  readonly date: string;
}

/** The ledger record for a sign-off of a card (`pph`) or a catalogue message (`message:KEY`), or why there can be none. */
export function reviewRecord(cards: readonly Card[], request: ReviewRequest): Review {
  const by = request.by.trim();
  const role = request.role.trim();
  if (by === "") throw new GuidesError("--by: give the reviewer's name.");
  if (role === "") throw new GuidesError("--role: give the reviewer's role, e.g. obstetrician or midwife; cards show it beside the date.");
  if (request.subject.startsWith("message:")) {
    const key = request.subject.slice("message:".length);
    if (!(key in catalogue)) throw new GuidesError(`No catalogue message "${key}" (see src/i18n/catalogue.ts).`);
    if (request.lang !== "lo") throw new GuidesError("A catalogue message's review is of its Lao: use --lang lo.");
    return { subject: request.subject, kind: "language", sha256: messageHash(catalogue[key as MessageKey]), by, role, date: request.date };
  }
  const card = findCard(cards, request.subject);
  const kind = request.lang === "lo" ? "language" : "clinical";
  return { subject: `card:${card.id}`, kind, sha256: cardHash(card, kind), by, role, date: request.date };
}

export interface CardStatus {
  readonly id: string;
  readonly title: string;
  readonly clinical: Pick<Review, "by" | "role" | "date"> | null;
  readonly language: Pick<Review, "by" | "role" | "date"> | null;
  /** Reviews of an earlier text of the card, voided by an edit. */
  readonly voided: number;
}

export function cardStatuses(cards: readonly Card[], reviews: readonly Review[]): CardStatus[] {
  const who = (r: Review | undefined) => (r ? { by: r.by, role: r.role, date: r.date } : null);
  return cards.map((card) => {
    const state = cardReviewState(card, reviews);
    return { id: card.id, title: card.title.en, clinical: who(state.clinical), language: who(state.language), voided: state.voided };
  });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function addGuidesCommands(program: Command, out: Line): void {
  const guides = program
    .command("guides")
    .description("guide cards: print them for review, record reviews, see which are reviewed")
    .option("--guides <dir>", "the guide card folder", DEFAULT_GUIDES_DIR)
    .option("--ledger <file>", "the review ledger", DEFAULT_LEDGER);
  const paths = (cmd: Command): Paths => {
    const o = cmd.optsWithGlobals<{ guides: string; ledger: string }>();
    return { guides: resolve(o.guides), ledger: resolve(o.ledger) };
  };

  guides
    .command("sheet")
    .description("write a printable reviewer's sheet (HTML): each step beside its source quote, English beside Lao, boxes to mark")
    .option("--card <id>", "only this card")
    .option("--out <file>", "where to write it", "guides-review-sheet.html")
    .action(async (opts: { card?: string; out: string }, cmd: Command) => {
      const { cards, reviews } = await cardsAndReviews(paths(cmd));
      const chosen = opts.card === undefined ? cards : [findCard(cards, opts.card)];
      await writeFile(opts.out, renderReviewSheet(chosen, reviews, today()));
      out(`Wrote the review sheet for ${chosen.length} card(s) to ${opts.out}. Print it for a clinician (English) and a native Lao clinical speaker (Lao).`);
    });

  guides
    .command("review")
    .description("record a sign-off in the review ledger, for exactly the card's current text (an edit voids it)")
    .argument("<card>", "a card id such as pph, or message:KEY for a catalogue message's Lao")
    .requiredOption("--by <name>", "the reviewer's name")
    .requiredOption("--role <role>", "the reviewer's role, e.g. obstetrician, paediatrician, midwife")
    .option("--lang <lang>", "en: clinical review of the English content; lo: review of the Lao beside the English", "en")
    .action(async (subject: string, opts: { by: string; role: string; lang: string }, cmd: Command) => {
      if (opts.lang !== "en" && opts.lang !== "lo") throw new GuidesError(`--lang: "${opts.lang}" is not en or lo.`);
      const p = paths(cmd);
      const { cards } = await cardsAndReviews(p);
      const record = reviewRecord(cards, { subject, by: opts.by, role: opts.role, lang: opts.lang, date: today() });
      const saved = await recordReview(p.ledger, record);
      if (!saved.ok) throw new GuidesError(`The review ledger has problems; fix it first (nothing was changed):\n${saved.problems.join("\n")}`);
      out(`Recorded: ${record.kind} review of ${record.subject} by ${record.by} (${record.role}), ${record.date}, in ${p.ledger}. Commit that file.`);
      out("It holds until the reviewed text changes; an edit voids it.");
    });

  guides
    .command("status")
    .description("each card and whether its current text has a clinical and a Lao review")
    .option("--json", "machine-readable", false)
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const { cards, reviews } = await cardsAndReviews(paths(cmd));
      const statuses = cardStatuses(cards, reviews);
      if (opts.json) {
        out(JSON.stringify(statuses, null, 2));
        return;
      }
      const who = (r: CardStatus["clinical"]) => (r ? `${r.role} ${r.by}, ${r.date}` : "none (DRAFT)");
      for (const s of statuses) {
        out(`${s.id}: clinical review ${who(s.clinical)}; Lao review ${s.language ? who(s.language) : "none"}${s.voided ? `; ${s.voided} review(s) voided by later edits` : ""}`);
      }
      const drafts = statuses.filter((s) => s.clinical === null).length;
      out(`${statuses.length} cards, ${drafts} without a valid clinical review (they open with a DRAFT banner).`);
    });
}
