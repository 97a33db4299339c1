import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  analyse,
  type Card,
  formatProblems,
  keywordProblem,
  loadCards,
  matchGuide,
  normalize,
  numbersIn,
  parseCard,
  quoteLacks,
  renderCandidates,
  renderCard,
  renderTopics,
} from "../../src/guides/index.ts";
import { ALLOWED_TAGS, render, renderCompact, t } from "../../src/i18n/index.ts";

let cards: readonly Card[];

beforeAll(async () => {
  const result = await loadCards();
  if (!result.ok) throw new Error(formatProblems(result.problems));
  cards = result.cards;
});

// The final set agreed for issue 11.
const REQUIRED_TOPICS = [
  "pph",
  "pre-eclampsia",
  "danger-signs-pregnancy",
  "prolonged-labour",
  "newborn-resuscitation",
  "newborn-danger-signs",
  "referral",
  "maternal-sepsis",
  "antepartum-haemorrhage",
  "early-pregnancy-bleeding",
  "retained-placenta",
  "pph-not-stopping",
  "preterm-lbw",
  "newborn-jaundice",
  "shoulder-dystocia",
  "cord-prolapse",
  "sick-child",
];

/** A minimal valid card, for tests of the loader's rules. */
const CARD = `id: demo
title: { en: "Tranexamic acid demo", lo: "ຕົວຢ່າງ" }
applies_to: [postpartum]
keywords: [demo card]
summary:
  - { en: "Measure blood loss.", lo: "ວັດແທກ." }
steps:
  - en: "Give 1 g IV over 10 minutes."
    lo: "ໃຫ້ 1 g IV ໃນ 10 ນາທີ."
    cite: { source: who-txa-2017, where: "Recommendation, p. 2", quote: "1g (10 ml of a 100 mg/ml solution) IV at 1 ml per minute (i.e., administered over 10 min)" }
sources:
  - { id: who-txa-2017, publisher: WHO, title: WHO recommendation on tranexamic acid, year: 2017 }
disclaimer: { en: "This card supports and does not replace clinical judgement.", lo: "ບັດນີ້ຊ່ວຍ." }
`;

describe("the cards in config/guides", () => {
  it("all load and are the agreed set", () => {
    expect(cards.map((c) => c.id).sort()).toEqual([...REQUIRED_TOPICS].sort());
  });

  it.each(REQUIRED_TOPICS)("%s cites its sources and the disclaimer in both languages", (id) => {
    const card = cards.find((c) => c.id === id) as Card;
    for (const s of card.sources) {
      expect(s.title.length).toBeGreaterThan(10);
    }
    expect(card.disclaimer.en).toBe(t("en", "guide.disclaimer"));
    expect(card.disclaimer.lo).toBe(t("lo", "guide.disclaimer"));
  });

  it("trace every number of a step or key point to a quote of one of its sources", () => {
    for (const card of cards) {
      const years = new Set(card.sources.map((s) => String(s.year)));
      for (const item of [...card.summary, ...card.steps]) {
        const numbers = numbersIn(item.en, { words: true }).filter((n) => !years.has(n.value));
        if (numbers.length === 0) continue;
        expect(item.cite, `${card.id}: ${item.en}`).toBeDefined();
        expect(card.sources.map((s) => s.id)).toContain(item.cite?.source);
        expect(quoteLacks(item.cite?.quote ?? "", numbers), `${card.id}: ${item.en}`).toEqual([]);
      }
    }
  });
});

describe("numbers and quotes", () => {
  it("reads numbers with their units in one spelling", () => {
    expect(numbersIn("1 g IV over 10 minutes, within 3 hours; 1,000 mL; 37.5°C; 160/110")).toEqual([
      { text: "1 g", value: "1", unit: "g" },
      { text: "10 minutes", value: "10", unit: "min" },
      { text: "3 hours", value: "3", unit: "h" },
      { text: "1,000 mL", value: "1000", unit: "ml" },
      { text: "37.5°C", value: "37.5", unit: "c" },
      { text: "160", value: "160" },
      { text: "110", value: "110" },
    ]);
  });

  it("reads a limit written in words before a unit of time", () => {
    expect(numbersIn("Within one minute of birth, and in the first hour; half an hour later; two helpers", { words: true })).toEqual([
      { text: "one minute", value: "1", unit: "min" },
      { text: "first hour", value: "1", unit: "h" },
      { text: "half an hour", value: "0.5", unit: "h" },
    ]);
    expect(numbersIn("Within one minute of birth")).toEqual([]);
    expect(quoteLacks("breathing well within 1 minute", numbersIn("within one minute", { words: true }))).toEqual([]);
    expect(quoteLacks("breathing well within 2 minutes", numbersIn("within one minute", { words: true }))).toEqual(["one minute"]);
  });

  it("accepts another spacing or unit spelling, never a missing number or another unit", () => {
    const step = numbersIn("1 g IV over 10 minutes");
    expect(quoteLacks("1g IV over 10 min", step)).toEqual([]);
    expect(quoteLacks("1 g IV", step)).toEqual(["10 minutes"]);
    expect(quoteLacks("1 mg IV over 10 min", step)).toEqual(["1 g"]);
    expect(quoteLacks("1.5 g over 100 minutes", step)).toEqual(["1 g", "10 minutes"]);
    // A bare number in a range counts for the step's number with a unit.
    expect(quoteLacks("500 or 1000 mL", numbersIn("500 mL"))).toEqual([]);
  });
});

describe("loading bad card files", () => {
  const load = async (files: Record<string, string>) => {
    const dir = await mkdtemp(join(tmpdir(), "guides-"));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const result = await loadCards(dir);
    return { dir, report: result.ok ? "" : formatProblems(result.problems) };
  };

  it("accepts a good card", () => {
    expect(parseCard(CARD, "demo.yaml")).toMatchObject({ ok: true });
  });

  it("names the file and the field of every problem", async () => {
    const { dir, report } = await load({
      "demo.yaml": CARD.replace('lo: "ຕົວຢ່າງ"', 'lo: ""').replace("applies_to: [postpartum]", "applies_to: [after-birth]"),
      "broken.yaml": "id: broken\ntitle: [unclosed\n",
    });
    expect(report).toContain(`${join(dir, "demo.yaml")}:2: title.lo:`);
    expect(report).toContain(`${join(dir, "demo.yaml")}:3: applies_to.0:`);
    expect(report).toContain(`${join(dir, "broken.yaml")}:3: not valid YAML`);
  });

  it("refuses the review fields that moved to the ledger", async () => {
    const { report } = await load({ "demo.yaml": CARD.replace("keywords:", 'last_reviewed: "2026-11-25"\nkeywords:').replace('lo: "ຕົວຢ່າງ" }', 'lo: "ຕົວຢ່າງ", lo_reviewed: false }') });
    expect(report).toMatch(/demo\.yaml:2: title: Unrecognized key: "lo_reviewed"/);
    expect(report).toMatch(/demo\.yaml: \(card\): Unrecognized key: "last_reviewed"/);
  });

  it("refuses a numeric step without a quote, a quote without the step's numbers, a foreign source, Lao with other numbers", async () => {
    const noCite = CARD.replace(/ {4}cite: .*\n/, "");
    expect((await load({ "demo.yaml": noCite })).report).toContain("demo.yaml:8: steps.0.cite: missing; the English text holds 1 g, 10 minutes");
    const shortQuote = CARD.replace(/quote: "[^"]*"/, 'quote: "1 g IV"');
    expect((await load({ "demo.yaml": shortQuote })).report).toContain("demo.yaml:10: steps.0.cite.quote: does not contain 10 minutes");
    const foreign = CARD.replace("source: who-txa-2017,", "source: who-2099,");
    expect((await load({ "demo.yaml": foreign })).report).toContain('demo.yaml:10: steps.0.cite.source: "who-2099" is not one of this card\'s sources (who-txa-2017)');
    const lao = CARD.replace("ໃຫ້ 1 g IV ໃນ 10 ນາທີ.", "ໃຫ້ 1 g IV ໃນ 15 ນາທີ.");
    expect((await load({ "demo.yaml": lao })).report).toContain("demo.yaml:9: steps.0.lo: holds the numbers [1, 15] but the English holds [1, 10]");
  });

  it("refuses keywords many cards share, stage words alone, and patients the card is not for", async () => {
    const kw = (k: string) => CARD.replace("keywords: [demo card]", `keywords: [demo card, ${JSON.stringify(k)}]`);
    expect((await load({ "demo.yaml": kw("bleeding") })).report).toContain('demo.yaml:4: keywords.1: "bleeding" is only words many cards share');
    expect((await load({ "demo.yaml": kw("ເລືອດອອກ") })).report).toContain('keywords.1: "ເລືອດອອກ" is only words many cards share');
    expect((await load({ "demo.yaml": kw("postpartum") })).report).toContain('keywords.1: "postpartum" is only stage or patient words');
    expect((await load({ "demo.yaml": kw("pregnant bleeding") })).report).toContain('keywords.1: "pregnant bleeding" also names pregnancy or labour, but the card applies to postpartum');
    expect((await load({ "demo.yaml": kw("bleeding after birth") })).report).toBe("");
    expect(keywordProblem("baby fever", ["newborn"])).toContain("also names newborn or child");
    expect(keywordProblem("neonatal sepsis", ["newborn"])).toBeUndefined();
  });

  it("rejects a card whose id does not match its file name, and keywords shared by two cards", async () => {
    const { report } = await load({ "demo.yaml": CARD, "other.yaml": CARD.replace("id: demo", "id: wrong"), "copy.yaml": CARD.replace("id: demo", "id: copy") });
    expect(report).toContain('id: is "wrong" but the file is named other.yaml');
    expect(report).toMatch(/keywords: "demo card" is also a keyword of/);
  });

  it("reports an empty or missing folder", async () => {
    const empty = await mkdtemp(join(tmpdir(), "guides-"));
    expect(await loadCards(empty)).toMatchObject({ ok: false, problems: [{ message: "no guide cards (*.yaml) found" }] });
    expect(await loadCards(join(empty, "missing"))).toMatchObject({ ok: false });
  });
});

describe("matchGuide on a made-up pair of cards", () => {
  const card = (id: string, applies: string, keywords: string[], summary = "About something.") =>
    (
      parseCard(
        CARD.replace("id: demo", `id: ${id}`)
          .replace("applies_to: [postpartum]", `applies_to: [${applies}]`)
          .replace("keywords: [demo card]", `keywords: ${JSON.stringify(keywords)}`)
          .replace("Measure blood loss.", summary),
        `${id}.yaml`,
      ) as { card: Card }
    ).card;
  const after = card("after", "postpartum", ["pph", "bleeding after birth"], "Bleeding after birth.");
  const before = card("before", "pregnancy, labour", ["aph", "placenta praevia"], "Bleeding before birth.");
  const young = card("young", "newborn", ["neonatal sepsis"], "Fever in a newborn.");
  const all = [after, before, young];
  const answer = (q: string) => {
    const a = matchGuide(q, all);
    return a.kind === "card" ? a.card.id : a.kind === "list" ? `list:${a.cards.map((c) => c.id).join(",")}` : "none";
  };

  it("opens a card named by its own words, forgiving a typo when only one card is in reach", () => {
    expect(answer("pph")).toBe("after");
    expect(answer("placenta previa")).toBe("before");
    expect(answer("neonatal sepsiss")).toBe("young");
  });

  it("lists the candidates of a shared word instead of opening one", () => {
    expect(answer("bleeding")).toBe("list:after,before");
    expect(answer("ເລືອດອອກ")).toBe("list:after,before");
    expect(answer("fever")).toBe("list:young");
  });

  it("never opens a card for another stage or patient", () => {
    expect(answer("bleeding at 30 weeks")).toBe("list:before");
    expect(answer("pph at 30 weeks")).toBe("none");
    expect(answer("neonatal sepsis 3 years")).toBe("none");
    expect(answer("pph pregnant")).toBe("none");
  });

  it("lets a card rule itself out for early or late pregnancy, from the weeks or months given", () => {
    const early = (
      parseCard(
        CARD.replace("id: demo", "id: early").replace("applies_to: [postpartum]", "applies_to: [pregnancy]").replace("keywords: [demo card]", "keywords: [miscarriage]\nrules_out: [late pregnancy]"),
        "early.yaml",
      ) as { card: Card }
    ).card;
    const one = (q: string) => {
      const a = matchGuide(q, [early]);
      return a.kind === "card" ? a.card.id : a.kind;
    };
    expect(one("miscarriage")).toBe("early");
    expect(one("miscarriage at 10 weeks")).toBe("early");
    expect(one("miscarriage at 30 weeks")).toBe("none");
    expect(one("miscarriage 7 months pregnant")).toBe("none");
    expect(one("miscarriage ຖືພາ 30 ອາທິດ")).toBe("none");
    expect(one("miscarriage in late pregnancy")).toBe("none");
    expect([...analyse("22 weeks").markers]).toEqual([]);
    expect([...analyse("8 wks").markers]).toEqual(["early pregnancy"]);
    expect([...analyse("2 weeks old").markers]).toEqual([]);
  });

  it("reads ages and weeks", () => {
    expect(analyse("30 weeks").constraints).toEqual([["pregnancy", "labour"]]);
    expect(analyse("2 weeks old").constraints).toEqual([["newborn"]]);
    expect(analyse("2 month old").constraints).toEqual([["child"]]);
    expect(analyse("1 month old").constraints).toEqual([["newborn"]]);
    expect(analyse("3yo").constraints).toEqual([["child"]]);
    expect(analyse("6 years").constraints).toEqual([["older"]]);
    expect(analyse("ອາຍຸ 3 ປີ").constraints).toEqual([["child"]]);
    expect(analyse("ຖືພາ 30 ອາທິດ").constraints).toEqual([
      ["pregnancy", "labour"],
      ["pregnancy", "labour"],
    ]);
    // ແມ່ນ ("is") is not ແມ່ ("mother").
    expect(analyse("ແມ່ນຫຍັງ").constraints).toEqual([]);
  });

  it("normalizes case, accents, punctuation and Lao compatibility forms", () => {
    expect(normalize("  Pre-Eclampsia!! ")).toBe("pre eclampsia");
    expect(normalize("Hémorrhage")).toBe("hemorrhage");
    expect(normalize("ນ\u0eb3")).toBe(normalize("ນ\u0ecd\u0eb2"));
    expect(normalize("ເລືອດ\u200bອອກ")).toBe(normalize("ເລືອດ ອອກ"));
  });
});

describe("renderCard", () => {
  it.each(["en", "lo"] as const)("renders every card in %s: DRAFT banner in both languages first, then title, steps, sources, disclaimer", (lang) => {
    for (const card of cards) {
      const { body, formatted_body } = render(renderCard(card, lang));
      const [first, second] = body.split("\n");
      expect(first).toBe(`⚠ ${t("en", "guide.draft_banner")}`);
      expect(second).toBe(`⚠ ${t("lo", "guide.draft_banner")}`);
      expect(body.indexOf(t("lo", "guide.draft_banner"))).toBeLessThan(body.indexOf(lang === "en" ? card.title.en : card.title.lo));
      for (const line of card.summary) expect(body).toContain(`• ${lang === "en" ? line.en : line.lo}`);
      card.steps.forEach((step, i) => expect(body).toContain(`${i + 1}. ${lang === "en" ? step.en : step.lo}`));
      for (const s of card.sources) expect(body).toContain(`• ${t(lang, "guide.source", { title: s.title, publisher: s.publisher, year: s.year })}`);
      // The sources' label once, not on every line.
      expect(body.split("\n").filter((line) => line === t(lang, "guide.sources_heading"))).toHaveLength(1);
      // What a nurse reads never carries the verbatim quotes (they are for reviewers, on the sheet).
      for (const item of [...card.summary, ...card.steps]) if (item.cite) expect(body).not.toContain(item.cite.quote);
      expect(body).not.toContain(t(lang, "guide.last_reviewed", { role: "x", date: "x" }).split("x")[0]);
      expect(body).toContain(t(lang, "guide.disclaimer"));
      for (const tag of Array.from(formatted_body.matchAll(/<\/?([a-z0-9]+)/g), (m) => m[1])) expect(ALLOWED_TAGS).toContain(tag);
    }
  });

  it.each(["en", "lo"] as const)("sends every card in %s as the plain body alone, with no emphasis the body would lose", (lang) => {
    for (const card of cards) {
      const value = renderCard(card, lang);
      expect(renderCompact(value)).toEqual({ body: render(value).body });
      const emphasis = value.blocks.flatMap((b) => (b.kind === "list" ? b.items.flat() : b.content)).filter((x) => typeof x !== "string");
      expect(emphasis).toEqual([]);
    }
  });

  it("drops the banner and names the reviewer's role and date only with a valid clinical review", () => {
    const card = cards[0] as Card;
    const review = { subject: `card:${card.id}`, kind: "clinical" as const, sha256: "0".repeat(64), by: "Dr A", role: "obstetrician", date: "2026-12-01" };
    const { body } = render(renderCard(card, "en", { clinical: review, voided: 0 }));
    expect(body).not.toContain(t("en", "guide.draft_banner"));
    expect(body).toContain("Last reviewed by: obstetrician, 2026-12-01");
  });

  it("warns Lao readers that the Lao text is not yet checked, and not English readers", () => {
    const card = cards[0] as Card;
    expect(render(renderCard(card, "lo")).body).toContain(t("lo", "guide.lo_unreviewed"));
    expect(render(renderCard(card, "en")).body).not.toContain(t("en", "guide.lo_unreviewed"));
  });
});

describe("renderTopics and renderCandidates", () => {
  it("lists every card and escapes the query it could not match", () => {
    const { body, formatted_body } = render(renderTopics(cards, "en", { example: "!guide pph", query: "<img src=x onerror=alert(1)>" }));
    for (const card of cards) expect(body).toContain(card.title.en);
    expect(formatted_body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(formatted_body).not.toContain("<img");
  });

  it("shows each candidate's title and the command that opens it, in the reader's language", () => {
    const two = cards.slice(0, 2);
    for (const lang of ["en", "lo"] as const) {
      const { body } = render(renderCandidates(two, lang, { command: "!guide", query: "bleeding" }));
      expect(body).toContain(t(lang, "guide.candidates", { query: "bleeding" }));
      for (const c of two) expect(body).toContain(`${lang === "en" ? c.title.en : c.title.lo}: !guide ${c.id}`);
    }
  });
});

describe("matchGuide on a long message", () => {
  it("reads only the first 200 characters, so a pasted message cannot hold the bot", () => {
    expect(matchGuide(`${"x".repeat(190)} pph`, cards)).toMatchObject({ kind: "card", card: { id: "pph" } });
    expect(matchGuide(`${"x".repeat(250)} pph`, cards)).toEqual({ kind: "none" });
    expect(matchGuide(`pph ${"xyzzy bleeding 30 weeks ເລືອດອອກ ".repeat(150)}`, cards).kind).not.toBe("card");
  });
});
