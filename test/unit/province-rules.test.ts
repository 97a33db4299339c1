// The province file's rules (issue 11): the hospital phone number is a dialable number, `apply`
// and `validate` warn loudly while it is the demo one, and the demo rules carry what the Bokeo
// study asked for.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProvince } from "../../src/config/load.ts";
import { DEMO_HOSPITAL_PHONE, demoPhoneWarning, internationalPhone } from "../../src/config/phone.ts";
import { captureMain } from "../support/cli.ts";

const small = readFileSync(new URL("../fixtures/small-province.yaml", import.meta.url), "utf8");
const bokeo = readFileSync(new URL("../../config/bokeo.yaml", import.meta.url), "utf8");

describe("rules.hospital_phone", () => {
  it.each(["+856 84 000 900", "+856-20-5555-0123", "+85620555501"])("accepts %s", (phone) => {
    expect(internationalPhone.safeParse(phone).success).toBe(true);
  });

  it.each(["084 000 900", "+856", "+856 84  000", "+856 84 000 900 ext 2", "call 1195", "+0856 84 000 900", "+856 84 000 900 123 456 7"])("refuses %j", (phone) => {
    expect(internationalPhone.safeParse(phone).success).toBe(false);
  });

  it("names the file, line and field of a bad number", () => {
    const result = parseProvince(small.replace('hospital_phone: "+856 84 000 900"', 'hospital_phone: "084 000 900"'), "small.yaml");
    expect(result.ok).toBe(false);
    const line = small.split("\n").findIndex((l) => l.includes("hospital_phone:")) + 1;
    const messages = result.ok ? [] : result.errors.map((e) => e.message);
    expect(messages).toEqual([
      `small.yaml:${line}:19 rules.hospital_phone: expected an international phone number: + then the country code, digits in groups separated by one space or '-', such as +856 84 000 100, found "084 000 900"`,
    ]);
  });

  it("warns while it is the demo number, and only then", () => {
    const demo = parseProvince(bokeo, "bokeo.yaml");
    const real = parseProvince(small, "small.yaml");
    if (!demo.ok || !real.ok) throw new Error("fixtures do not load");
    expect(demo.province.rules.hospital_phone).toBe(DEMO_HOSPITAL_PHONE);
    expect(demoPhoneWarning(demo.province)).toContain("INVENTED demo number");
    expect(demoPhoneWarning(real.province)).toBeUndefined();
  });

  it("mchlink validate says so on the demo province", async () => {
    const res = await captureMain(["validate", new URL("../../config/bokeo.yaml", import.meta.url).pathname]);
    expect(res.code).toBe(0);
    expect(res.err).toContain(`warning: rules.hospital_phone is ${DEMO_HOSPITAL_PHONE}, the INVENTED demo number`);
  });
});

describe("the demo province's rules", () => {
  const loaded = parseProvince(bokeo, "bokeo.yaml");
  if (!loaded.ok) throw new Error("config/bokeo.yaml does not load");
  const rules = loaded.province.rules.items.map((r) => r.en).join("\n");

  it("say never to wait for a reply before treating or referring, and to phone", () => {
    expect(rules).toContain("Never delay treatment or referral while you wait for a reply. If it is urgent, phone {hospital_phone}.");
  });

  it("say what identifies a patient: village, date of birth, record numbers, faces, intimate images", () => {
    for (const word of ["name", "village", "date of birth", "record numbers", "face", "intimate images"]) expect(rules).toContain(word);
  });

  it("ask for the patient's consent to photos, and forbid saving or sending them on", () => {
    expect(rules).toContain("only with the patient's consent");
    expect(rules).toContain("Never save a patient's photo on your phone or send it anywhere outside these rooms");
  });

  it("say who to ask for training and how to practise", () => {
    expect(rules).toContain("Ask your coordinator for training, and practise with !practice in the training room");
  });
});
