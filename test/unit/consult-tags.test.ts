import { describe, expect, it } from "vitest";
import { ESSENTIALS, looksLikeIdentifier, mentionedEssentials, missingEssentials } from "../../src/consult/essentials.ts";
import { DEFAULT_PRIORITY, detectTag, guessSpecialty, parseConsultArguments, stripReplyFallback } from "../../src/consult/tags.ts";
import { smallProvince } from "./consult-support.ts";

const province = smallProvince();
// The small province leaves tags out (defaults: English only); the Bokeo ones add Lao.
const bilingual = { ...province, tags: { emergency: ["#emergency", "#ສຸກເສີນ"], urgent: ["#urgent", "#ດ່ວນ"], routine: ["#routine", "#ທົ່ວໄປ"] } };

describe("escalation tags", () => {
  it("finds English tags in any case, anywhere in the message", () => {
    expect(detectTag(province, "#emergency PPH after delivery")).toBe("emergency");
    expect(detectTag(province, "Woman bleeding #Urgent")).toBe("urgent");
    expect(detectTag(province, "question about iron tablets #ROUTINE.")).toBe("routine");
    expect(detectTag(province, "(#urgent) please")).toBe("urgent");
  });

  it("finds Lao tags, with or without a space after them", () => {
    expect(detectTag(bilingual, "#ສຸກເສີນ ແມ່ເລືອດອອກຫຼາຍ")).toBe("emergency");
    expect(detectTag(bilingual, "#ດ່ວນແມ່ຖືພາ 36 ອາທິດ")).toBe("urgent");
    expect(detectTag(bilingual, "ຄຳຖາມ #ທົ່ວໄປ")).toBe("routine");
  });

  it("matches NFC and NFD spellings alike", () => {
    expect(detectTag(province, "#EMERGENCY".normalize("NFD"))).toBe("emergency");
    expect(detectTag(bilingual, "#ສຸກເສີນ".normalize("NFD"))).toBe("emergency");
  });

  it("lets the highest priority win when several tags are present", () => {
    expect(detectTag(province, "#routine question, now #emergency")).toBe("emergency");
    expect(detectTag(bilingual, "#ທົ່ວໄປ ... #ດ່ວນ")).toBe("urgent");
    expect(detectTag(province, "#urgent #routine")).toBe("urgent");
  });

  it("does not see tags inside words, links or longer tags", () => {
    expect(detectTag(province, "no tag here")).toBeUndefined();
    expect(detectTag(province, "emergency without the hash")).toBeUndefined();
    expect(detectTag(province, "see page#urgent")).toBeUndefined();
    expect(detectTag(province, "#urgently needed")).toBeUndefined();
    expect(detectTag(province, "##urgent")).toBeUndefined();
  });

  it("ignores the quoted message in a reply fallback", () => {
    const reply = "> <@nurse-n1:mchlink.test> #emergency bleeding\n> more\n\nI am on my way";
    expect(stripReplyFallback(reply)).toBe("I am on my way");
    expect(detectTag(province, reply)).toBeUndefined();
    expect(detectTag(province, "> <@a:b> #routine\n\n#emergency now fitting")).toBe("emergency");
  });
});

describe("!consult arguments", () => {
  it("reads priority and specialty words in either order", () => {
    expect(parseConsultArguments(province, "emergency obstetrics bleeding after delivery")).toEqual({
      priority: "emergency",
      specialty: "obstetrics",
      priorityGiven: true,
      specialtyGiven: true,
      summary: "bleeding after delivery",
    });
    expect(parseConsultArguments(province, "paediatrics routine jaundice day 3")).toMatchObject({ priority: "routine", specialty: "paediatrics", summary: "jaundice day 3" });
    expect(parseConsultArguments(province, "Emergency PEDS baby not breathing")).toMatchObject({ priority: "emergency", specialty: "paediatrics" });
  });

  it("takes the priority from a tag, or a Lao tag word, and defaults to urgent", () => {
    expect(DEFAULT_PRIORITY).toBe("urgent");
    expect(parseConsultArguments(province, "#emergency bleeding")).toMatchObject({ priority: "emergency", priorityGiven: true, summary: "bleeding" });
    expect(parseConsultArguments(bilingual, "ສຸກເສີນ ເລືອດອອກ")).toMatchObject({ priority: "emergency", summary: "ເລືອດອອກ" });
    expect(parseConsultArguments(province, "woman 34 weeks headache #emergency")).toMatchObject({ priority: "emergency", priorityGiven: true });
    expect(parseConsultArguments(province, "woman 34 weeks headache")).toMatchObject({ priority: "urgent", priorityGiven: false, specialtyGiven: false });
  });

  it("never refuses: a bare priority opens a consult with an empty summary", () => {
    expect(parseConsultArguments(province, "emergency")).toEqual({ priority: "emergency", specialty: "obstetrics", priorityGiven: true, specialtyGiven: false, summary: "" });
    expect(parseConsultArguments(province, "")).toMatchObject({ priority: "urgent", specialty: "obstetrics", summary: "" });
  });

  it("guesses paediatrics only when the baby outweighs the mother", () => {
    expect(guessSpecialty("newborn not breathing well, grunting")).toBe("paediatrics");
    expect(guessSpecialty("baby 2 days old, jaundice, poor feeding")).toBe("paediatrics");
    expect(guessSpecialty("ເດັກເກີດໃໝ່ ຫາຍໃຈຍາກ")).toBe("paediatrics");
    // The baby is born; the mother is bleeding: obstetrics.
    expect(guessSpecialty("baby delivered 1 hour ago, mother still bleeding, placenta out")).toBe("obstetrics");
    expect(guessSpecialty("ແມ່ເລືອດອອກຫຼາຍ ຫຼັງເກີດລູກ")).toBe("obstetrics");
    expect(guessSpecialty("headache and swelling")).toBe("obstetrics");
    expect(guessSpecialty("")).toBe("obstetrics");
  });
});

describe("case essentials", () => {
  it("asks for everything when nothing is said", () => {
    expect(missingEssentials("help please")).toEqual([...ESSENTIALS]);
  });

  it("recognises a full English request", () => {
    const text = "28 yo G3P2, 39 weeks, delivered 1h ago, heavy bleeding. BP 90/60, pulse 120, temp 37.2. Oxytocin given, uterine massage. Ambulance available.";
    expect(missingEssentials(text)).toEqual([]);
  });

  it("recognises a full Lao request", () => {
    const text = "ແມ່ອາຍຸ 24 ປີ, ຖືພາຄັ້ງທີ 2, ອາຍຸຄັນ 38 ອາທິດ, ຄວາມດັນ 160/110, ກຳມະຈອນ 96, ອຸນຫະພູມ 37, ຊັກ 1 ຄັ້ງ, ໄດ້ໃຫ້ຢາແລ້ວ, ມີລົດ";
    expect(missingEssentials(text)).toEqual([]);
  });

  it("lists only what is missing, in template order", () => {
    expect(missingEssentials("34 weeks, BP 160/110, fits at home")).toEqual(["age", "gravida_para", "pulse", "temperature", "treatment_given", "transport"]);
    expect([...mentionedEssentials("newborn 2 days old, not breathing well, temp 38.5 C")]).toEqual(["gestation_or_baby_age", "temperature", "danger_signs"]);
  });

  it("does not take a gestation like 36/40 for a blood pressure", () => {
    const found = mentionedEssentials("G2P1 at 36/40");
    expect(found.has("gestation_or_baby_age")).toBe(true);
    expect(found.has("blood_pressure")).toBe(false);
    expect(mentionedEssentials("BP 150/100").has("blood_pressure")).toBe(true);
  });
});

describe("identifiers (the privacy reminder)", () => {
  it("sees phone numbers and ID numbers", () => {
    expect(looksLikeIdentifier("her husband's phone is 020 5555 0123")).toBe(true);
    expect(looksLikeIdentifier("call +856 20 5555 0123")).toBe(true);
    expect(looksLikeIdentifier("02055550123")).toBe(true);
    expect(looksLikeIdentifier("ID 1234567")).toBe(true);
    expect(looksLikeIdentifier("ID: 12345")).toBe(true);
    expect(looksLikeIdentifier("ເບີໂທ 020 5555 0123")).toBe(true);
    expect(looksLikeIdentifier("ເລກບັດ 123456")).toBe(true);
  });

  it("leaves vital signs, doses, dates and times alone", () => {
    expect(looksLikeIdentifier("BP 150/100, pulse 110, temp 38.5, RR 24")).toBe(false);
    expect(looksLikeIdentifier("120 80 110 38")).toBe(false);
    expect(looksLikeIdentifier("oxytocin 10 IU IM, tranexamic acid 1 g at 14:35")).toBe(false);
    expect(looksLikeIdentifier("delivered 2026-04-13 at 03:10, weight 3500 g")).toBe(false);
    expect(looksLikeIdentifier("G3P2 39 weeks")).toBe(false);
  });

  it("does not count the hospital's own number, however it is spaced", () => {
    expect(looksLikeIdentifier("I phoned +856 84 000 900", ["+856 84 000 900"])).toBe(false);
    expect(looksLikeIdentifier("I phoned 084 000900", ["+856 84 000 900"])).toBe(false);
    expect(looksLikeIdentifier("I phoned 084 000900 and 020 5555 0123", ["+856 84 000 900"])).toBe(true);
  });
});
