// One word per concept in Lao (config/glossary.yaml) across the catalogue, the guide cards and
// the province file, including the room names the bot speaks of.
import { describe, expect, it } from "vitest";
import { loadProvince } from "../../src/config/load.ts";
import { formatProblems, loadCards } from "../../src/guides/index.ts";
import { catalogue } from "../../src/i18n/catalogue.ts";
import { type BilingualText, glossaryProblems, loadGlossary } from "../../src/i18n/glossary.ts";

const glossary = loadGlossary();

async function allTexts(): Promise<BilingualText[]> {
  const texts: BilingualText[] = Object.entries(catalogue).map(([key, e]) => ({ where: `src/i18n/catalogue.ts ${key}`, en: e.en, lo: e.lo }));
  const cards = await loadCards();
  if (!cards.ok) throw new Error(formatProblems(cards.problems));
  for (const card of cards.cards) {
    const where = `config/guides/${card.id}.yaml`;
    const items: [string, { en: string; lo: string } | undefined][] = [
      ["title", card.title],
      ["intro", card.intro],
      ...card.summary.map((s, i): [string, { en: string; lo: string }] => [`summary.${i}`, s]),
      ...card.steps.map((s, i): [string, { en: string; lo: string }] => [`steps.${i}`, s]),
      ["disclaimer", card.disclaimer],
    ];
    for (const [field, t] of items) if (t) texts.push({ where: `${where} ${field}`, en: t.en, lo: t.lo });
  }
  const loaded = loadProvince(new URL("../../config/bokeo.yaml", import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const p = loaded.province;
  p.rules.items.forEach((t, i) => texts.push({ where: `config/bokeo.yaml rules.items.${i}`, en: t.en, lo: t.lo }));
  for (const [kind, room] of Object.entries(p.rooms)) {
    texts.push({ where: `config/bokeo.yaml rooms.${kind}.name`, en: room.name.en, lo: room.name.lo });
    texts.push({ where: `config/bokeo.yaml rooms.${kind}.topic`, en: room.topic.en, lo: room.topic.lo });
  }
  return texts;
}

describe("the glossary", () => {
  it("is marked as needing a native Lao clinical speaker's review until one has confirmed it", () => {
    expect(["needed", "done"]).toContain(glossary.native_review);
    expect(glossary.concepts.map((c) => c.concept)).toEqual(
      expect.arrayContaining(["expert", "experts' room", "consult", "routine", "urgent", "emergency", "escalate", "refer", "pulse", "blood pressure", "health centre", "district hospital", "on-call"]),
    );
  });

  it("flags a forbidden variant and a concept the Lao leaves out", () => {
    expect(glossaryProblems(glossary, [{ where: "x", en: "Ask the expert.", lo: "ຖາມຜູ້ຊ່ຽວຊານ." }])).toEqual([
      'x: Lao writes "ຜູ້ຊ່ຽວຊານ" for expert; the glossary\'s word is "ແພດຊ່ຽວຊານ"',
      'x: the English says expert; the Lao should say "ແພດຊ່ຽວຊານ"',
    ]);
    expect(glossaryProblems(glossary, [{ where: "x", en: "Ask the expert.", lo: "ຖາມແພດຊ່ຽວຊານ." }])).toEqual([]);
  });

  it("is followed by the catalogue, the guide cards and the province file", async () => {
    expect(glossaryProblems(glossary, await allTexts())).toEqual([]);
  });

  it("names the rooms in the province file with the words the bot uses for them", async () => {
    const loaded = loadProvince(new URL("../../config/bokeo.yaml", import.meta.url).pathname);
    if (!loaded.ok) throw new Error("config/bokeo.yaml does not load");
    const rooms = loaded.province.rooms;
    const term = glossary.concepts.find((c) => c.concept === "expert")?.lo as string;
    expect(rooms.experts.name.lo).toContain(term);
    // The bot says "the experts' room", "the training room"...: the room's own name is in it.
    // (The Space's name is the province's own title, not a word the bot uses.)
    const said = { experts: "room_kind.experts", announcements: "room_kind.announcements", training: "room_kind.training", district: "room_kind.district" } as const;
    for (const [kind, key] of Object.entries(said)) {
      const name = rooms[kind as keyof typeof said].name.lo.replace(/\{[a-z_]+\}/g, "").trim();
      expect(catalogue[key].lo, `${kind}: province calls it ${name}`).toContain(name);
    }
  });
});
