import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Card, findCard, formatProblems, loadCards, normalize, parseCard, renderCard, renderTopics, searchCards, unreviewedCardText } from "../../src/guides/index.ts";
import { ALLOWED_TAGS, render, t } from "../../src/i18n/index.ts";

let cards: readonly Card[];

beforeAll(async () => {
  const result = await loadCards();
  if (!result.ok) throw new Error(formatProblems(result.problems));
  cards = result.cards;
});

const REQUIRED_TOPICS = ["pph", "pre-eclampsia", "danger-signs-pregnancy", "prolonged-labour", "newborn-resuscitation", "newborn-danger-signs", "referral"];

describe("the cards in config/guides", () => {
  it("all load and cover the required topics", () => {
    expect(cards.map((c) => c.id).sort()).toEqual([...REQUIRED_TOPICS].sort());
  });

  it.each(REQUIRED_TOPICS)("%s cites its sources, review date and status, and the disclaimer in both languages", (id) => {
    const card = cards.find((c) => c.id === id) as Card;
    expect(card.sources.length).toBeGreaterThan(0);
    for (const s of card.sources) {
      expect(s.title.length).toBeGreaterThan(10);
      expect(s.year).toBeGreaterThanOrEqual(2011);
    }
    expect(card.last_reviewed).toBe("2026-11-25");
    expect(card.reviewed_by).toMatchObject({ en: "not yet reviewed by a clinician" });
    expect(card.disclaimer.en).toBe(t("en", "guide.disclaimer"));
    expect(card.disclaimer.lo).toBe(t("lo", "guide.disclaimer"));
  });

  it("never claims Lao text was reviewed: no native clinical speaker has checked it yet", () => {
    for (const card of cards) {
      const texts = [card.title, card.intro, ...card.summary, ...card.steps, card.disclaimer].filter((x) => x !== undefined);
      for (const text of texts) expect(text.lo_reviewed, `${card.id}: ${text.en}`).toBe(false);
    }
    expect(unreviewedCardText(cards).length).toBeGreaterThan(50);
  });

  it("states the WHO doses the cards are built on, and points to the source for others", () => {
    const en = (id: string) => JSON.stringify(cards.find((c) => c.id === id));
    expect(en("pph")).toContain("1 g IV over 10 minutes");
    expect(en("pph")).toContain("within 3 hours of birth");
    expect(en("pre-eclampsia")).toContain("4 g of 20% solution IV over 5 minutes");
    expect(en("pre-eclampsia")).toContain("10 g of 50% solution by deep IM injection: 5 g in each buttock");
    expect(en("pre-eclampsia")).toContain("5 g of 50% solution by deep IM injection every 4 hours");
    expect(en("pre-eclampsia")).toContain("give the loading dose and then transfer her at once");
    expect(en("newborn-resuscitation")).toContain("within one minute of birth");
  });

  it("keeps numbers the same in English and Lao", () => {
    const numbers = (text: string) => (text.match(/\d+(\.\d+)?/g) ?? []).sort();
    for (const card of cards) {
      for (const text of [card.title, card.intro, ...card.summary, ...card.steps].filter((x) => x !== undefined)) {
        expect(numbers(text.lo), `${card.id}: ${text.en}`).toEqual(numbers(text.en));
      }
    }
  });
});

describe("findCard", () => {
  it.each([
    ["pph", "pph"],
    ["PPH!!", "pph"],
    ["bleeding", "pph"],
    ["hemorrhage", "pph"],
    ["haemorrhage", "pph"],
    ["Hémorrhage", "pph"],
    ["haemorhage", "pph"],
    ["hemorage", "pph"],
    ["postpartum hemorage", "pph"],
    ["mother bleeding a lot", "pph"],
    ["tranexamic", "pph"],
    ["ເລືອດອອກ", "pph"],
    ["ເລືອດອອກຫຼາຍຫຼັງເກີດລູກ", "pph"],
    ["eclampsia", "pre-eclampsia"],
    ["pre eclampsia", "pre-eclampsia"],
    ["preeclampsia", "pre-eclampsia"],
    ["eclamp", "pre-eclampsia"],
    ["magnesium", "pre-eclampsia"],
    ["MgSO4", "pre-eclampsia"],
    ["convulsions", "pre-eclampsia"],
    ["ຊັກ", "pre-eclampsia"],
    ["danger signs", "danger-signs-pregnancy"],
    ["bleeding in pregnancy", "danger-signs-pregnancy"],
    ["obstructed labour", "prolonged-labour"],
    ["labor", "prolonged-labour"],
    ["ເກີດລູກຍາກ", "prolonged-labour"],
    ["newborn", "newborn-danger-signs"],
    ["sick newborn", "newborn-danger-signs"],
    ["newborn fever", "newborn-danger-signs"],
    ["baby convulsions", "newborn-danger-signs"],
    ["psbi", "newborn-danger-signs"],
    ["not breathing", "newborn-resuscitation"],
    ["the baby is not breathing", "newborn-resuscitation"],
    ["newborn resus", "newborn-resuscitation"],
    ["ເດັກເກີດໃໝ່ບໍ່ຫາຍໃຈ", "newborn-resuscitation"],
    ["referal", "referral"],
    ["ສົ່ງຕໍ່", "referral"],
  ])("%s finds %s", (query, id) => {
    expect(findCard(query, cards)?.id).toBe(id);
  });

  it.each(["", "   ", "???", "asdfgh", "hello world", "qwerty", "xyz", "the", "help", "baby", "ok", "<img src=x onerror=alert(1)>"])(
    "%j finds nothing",
    (query) => {
      expect(findCard(query, cards)).toBeUndefined();
    },
  );

  it("answers nothing, rather than guess, when two cards match equally well", () => {
    expect(findCard("fever", cards)).toBeUndefined();
    expect(searchCards("fever", cards).map((m) => m.card.id).sort()).toEqual(["danger-signs-pregnancy", "newborn-danger-signs"]);
  });

  it("normalizes case, accents, punctuation and Lao compatibility forms", () => {
    expect(normalize("  Pre-Eclampsia!! ")).toBe("pre eclampsia");
    expect(normalize("Hémorrhage")).toBe("hemorrhage");
    // ຳ typed as one character or as ໍ + າ
    expect(normalize("ນ\u0eb3")).toBe(normalize("ນ\u0ecd\u0eb2"));
    // zero-width space, common in Lao text
    expect(normalize("ເລືອດ\u200bອອກ")).toBe(normalize("ເລືອດ ອອກ"));
  });
});

describe("renderCard", () => {
  it.each(["en", "lo"] as const)("renders every card in %s with title, steps, sources and disclaimer", (lang) => {
    for (const card of cards) {
      const { body, formatted_body } = render(renderCard(card, lang));
      const title = lang === "en" ? card.title.en : card.title.lo;
      expect(body.startsWith(title)).toBe(true);
      for (const step of card.steps) expect(body).toContain(lang === "en" ? step.en : step.lo);
      for (const s of card.sources) {
        expect(body).toContain(s.title);
        expect(body).toContain(String(s.year));
      }
      expect(body).toContain(t(lang, "guide.last_reviewed", { date: card.last_reviewed }));
      expect(body).toContain(lang === "en" ? "not yet reviewed by a clinician" : "ຍັງບໍ່ໄດ້ກວດໂດຍທ່ານໝໍ");
      expect(body).toContain(t(lang, "guide.disclaimer"));
      expect(formatted_body).toContain(`<h4>${title}</h4>`);
      for (const tag of Array.from(formatted_body.matchAll(/<\/?([a-z0-9]+)/g), (m) => m[1])) expect(ALLOWED_TAGS).toContain(tag);
    }
  });

  it("warns Lao readers that the Lao text is not yet checked, and not English readers", () => {
    const card = cards[0] as Card;
    expect(render(renderCard(card, "lo")).body).toContain(t("lo", "guide.lo_unreviewed"));
    expect(render(renderCard(card, "en")).body).not.toContain(t("en", "guide.lo_unreviewed"));
  });
});

describe("renderTopics", () => {
  it("lists every card and escapes the query it could not match", () => {
    const { body, formatted_body } = render(renderTopics(cards, "en", { example: "!guide pph", query: "<img src=x onerror=alert(1)>" }));
    for (const card of cards) expect(body).toContain(card.title.en);
    expect(body).toContain("!guide pph");
    expect(formatted_body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(formatted_body).not.toContain("<img");
  });
});

describe("loading bad card files", () => {
  const good = () => readFile(new URL("../../config/guides/referral.yaml", import.meta.url), "utf8");

  it("names the file and the field of every problem", async () => {
    const dir = await mkdtemp(join(tmpdir(), "guides-"));
    const text = await good();
    await writeFile(join(dir, "referral.yaml"), text.replace(/^last_reviewed: .*$/m, "last_reviewed: 25/11/2026").replace(/^  lo: ລາຍການກວດກ່ອນສົ່ງຕໍ່$/m, '  lo: ""'));
    await writeFile(join(dir, "broken.yaml"), "id: broken\ntitle: [unclosed\n");
    const result = await loadCards(dir);
    expect(result.ok).toBe(false);
    const report = result.ok ? "" : formatProblems(result.problems);
    expect(report).toContain(`${join(dir, "referral.yaml")}: last_reviewed: a date such as 2026-11-25`);
    expect(report).toContain(`${join(dir, "referral.yaml")}: title.lo:`);
    expect(report).toContain(`${join(dir, "broken.yaml")}: not valid YAML`);
  });

  it("rejects a card whose id does not match its file name, and keywords shared by two cards", async () => {
    const dir = await mkdtemp(join(tmpdir(), "guides-"));
    const text = await good();
    await writeFile(join(dir, "referral.yaml"), text);
    await writeFile(join(dir, "transfer.yaml"), text.replace("id: referral", "id: transfer"));
    await writeFile(join(dir, "other.yaml"), text.replace("id: referral", "id: wrong"));
    const result = await loadCards(dir);
    const report = result.ok ? "" : formatProblems(result.problems);
    expect(report).toContain('id: is "wrong" but the file is named other.yaml');
    expect(report).toMatch(/keywords: "referral" is also a keyword of/);
  });

  it("reports an empty or missing folder", async () => {
    const empty = await mkdtemp(join(tmpdir(), "guides-"));
    expect(await loadCards(empty)).toMatchObject({ ok: false, problems: [{ message: "no guide cards (*.yaml) found" }] });
    expect(await loadCards(join(empty, "missing"))).toMatchObject({ ok: false });
  });

  it("parseCard accepts a reviewer's name", async () => {
    const text = (await good()).replace(/^reviewed_by:\n(?: {2}.*\n)+/m, "reviewed_by: Dr Example\n");
    const parsed = parseCard(text, "referral.yaml");
    expect(parsed.ok && parsed.card.reviewed_by).toBe("Dr Example");
  });
});
