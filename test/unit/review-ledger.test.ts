import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Card, cardHash, cardReviewState, parseCard } from "../../src/guides/index.ts";
import { LEDGER_HEADER, loadLedger, parseLedger, recordReview, type Review } from "../../src/review/ledger.ts";

const CARD = `id: demo
title: { en: "Demo card", lo: "ບັດຕົວຢ່າງ" }
applies_to: [postpartum]
keywords: [demo card]
summary:
  - { en: "Measure blood loss.", lo: "ວັດແທກເລືອດທີ່ເສຍ." }
steps:
  - { en: "Call for help.", lo: "ຮ້ອງຂໍຄວາມຊ່ວຍເຫຼືອ." }
sources:
  - { id: who-2017, publisher: WHO, title: A WHO recommendation, year: 2017 }
disclaimer: { en: "This card supports and does not replace clinical judgement.", lo: "ບັດນີ້ຊ່ວຍ." }
`;
const card = (text = CARD): Card => (parseCard(text, "demo.yaml") as { ok: true; card: Card }).card;

const review = (c: Card, kind: "clinical" | "language"): Review => ({ subject: `card:${c.id}`, kind, sha256: cardHash(c, kind), by: "Dr A", role: "obstetrician", date: "2026-12-03" });

describe("card reviews", () => {
  it("hold while the reviewed text is unchanged", () => {
    const c = card();
    const state = cardReviewState(c, [review(c, "clinical"), review(c, "language")]);
    expect(state.clinical?.by).toBe("Dr A");
    expect(state.language?.by).toBe("Dr A");
    expect(state.voided).toBe(0);
  });

  it("an edit of a step's English voids the clinical and the language review", () => {
    const before = card();
    const after = card(CARD.replace("Call for help.", "Call for help now."));
    const state = cardReviewState(after, [review(before, "clinical"), review(before, "language")]);
    expect(state.clinical).toBeUndefined();
    expect(state.language).toBeUndefined();
    expect(state.voided).toBe(2);
  });

  it("an edit of the Lao voids the language review only; a keyword edit voids neither", () => {
    const before = card();
    const lao = card(CARD.replace("ຮ້ອງຂໍຄວາມຊ່ວຍເຫຼືອ.", "ຮ້ອງຂໍຄວາມຊ່ວຍເຫຼືອດ່ວນ."));
    expect(cardReviewState(lao, [review(before, "clinical"), review(before, "language")])).toMatchObject({ clinical: { by: "Dr A" }, voided: 1 });
    expect(cardReviewState(lao, [review(before, "language")]).language).toBeUndefined();
    const keywords = card(CARD.replace("keywords: [demo card]", "keywords: [demo card, other demo]"));
    expect(cardReviewState(keywords, [review(before, "clinical"), review(before, "language")])).toMatchObject({ clinical: {}, language: {}, voided: 0 });
  });

  it("an edit of a cited quote or a source voids the clinical review", () => {
    const before = card();
    const source = card(CARD.replace("A WHO recommendation", "Another WHO recommendation"));
    expect(cardReviewState(source, [review(before, "clinical")]).clinical).toBeUndefined();
  });
});

describe("the ledger file", () => {
  it("starts empty when missing, records reviews, and reads them back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ledger-"));
    const file = join(dir, "reviews.yaml");
    expect(await loadLedger(file)).toEqual({ ok: true, reviews: [] });
    const c = card();
    expect(await recordReview(file, review(c, "clinical"))).toMatchObject({ ok: true });
    expect(await recordReview(file, review(c, "language"))).toMatchObject({ ok: true });
    const loaded = await loadLedger(file);
    expect(loaded.ok && loaded.reviews.map((r) => r.kind)).toEqual(["clinical", "language"]);
    const text = await readFile(file, "utf8");
    expect(text).toContain("never edit by hand");
    // One block per record, the date quoted: readable, and a diff shows one review at a time.
    expect(text).toContain("reviews:\n  - subject: card:demo\n    kind: clinical\n");
    expect(text.match(/date: "2026-12-03"/g)).toHaveLength(2);
  });

  it("the header alone is an empty ledger", () => {
    expect(parseLedger(LEDGER_HEADER, "reviews.yaml")).toEqual({ ok: true, reviews: [] });
  });

  it("names the file, line and field of a bad record, and changes nothing when recording into it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ledger-"));
    const file = join(dir, "reviews.yaml");
    const bad = `reviews:\n  - subject: card:pph\n    kind: clinical\n    sha256: abc\n    by: Dr A\n    role: obstetrician\n    date: 3/12/2026\n`;
    await writeFile(file, bad);
    const result = await loadLedger(file);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContain(`${file}:4: reviews.0.sha256: 64 lowercase hex digits`);
    expect(problems).toContain(`${file}:7: reviews.0.date: a date such as 2026-12-03 (quote it in YAML)`);
    expect(await recordReview(file, review(card(), "clinical"))).toMatchObject({ ok: false });
    expect(await readFile(file, "utf8")).toBe(bad);
    await writeFile(file, "reviews: [unclosed\n");
    expect(await loadLedger(file)).toMatchObject({ ok: false, problems: [expect.stringContaining(`${file}:`)] });
  });
});

it("the committed ledger (config/reviews.yaml) reads cleanly", async () => {
  expect(await loadLedger()).toMatchObject({ ok: true });
});

describe("a review, as a card shows it", () => {
  it("drops the DRAFT banner and names the reviewer's role and date; an edit brings the banner back", async () => {
    const { renderCard } = await import("../../src/guides/index.ts");
    const { render, t } = await import("../../src/i18n/index.ts");
    const before = card();
    const reviews = [review(before, "clinical")];
    const reviewed = render(renderCard(before, "en", cardReviewState(before, reviews))).body;
    expect(reviewed).not.toContain(t("en", "guide.draft_banner"));
    expect(reviewed).toContain("Last reviewed by: obstetrician, 2026-12-03");
    const edited = card(CARD.replace("Call for help.", "Call for help at once."));
    const draft = render(renderCard(edited, "en", cardReviewState(edited, reviews))).body;
    expect(draft.startsWith(`⚠ ${t("en", "guide.draft_banner")}`)).toBe(true);
    expect(draft).not.toContain("Last reviewed");
  });
});
