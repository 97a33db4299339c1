// Province texts with placeholders, so that a number or a name is written once in the
// file and every text that mentions it stays right when it changes.
import type { District, Localized, Province } from "./schema.ts";

export const RULE_PLACEHOLDERS = ["hospital_phone", "emergency", "urgent", "routine"] as const;
export const DISTRICT_ROOM_PLACEHOLDERS = ["district"] as const;

/** The names inside `{…}` in a text, in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? "");
}

export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The rules as shown to people: the phone number and answer times filled in. */
export function ruleItems(province: Province): Localized[] {
  const { hospital_phone, expected_answer_minutes: minutes } = province.rules;
  const values = {
    hospital_phone,
    emergency: String(minutes.emergency),
    urgent: String(minutes.urgent),
    routine: String(minutes.routine),
  };
  return province.rules.items.map((item) => fillLocalized(item, () => values));
}

/** A district's consult room name and topic, from the template in `rooms.district`. */
export function districtRoom(province: Province, district: District): { name: Localized; topic: Localized } {
  const values = (language: "en" | "lo") => ({ district: district.name[language] });
  const reviewed = district.name.lo_reviewed;
  return {
    name: fillLocalized(province.rooms.district.name, values, reviewed),
    topic: fillLocalized(province.rooms.district.topic, values, reviewed),
  };
}

function fillLocalized(
  text: Localized,
  values: (language: "en" | "lo") => Record<string, string>,
  insertedLoReviewed = true,
): Localized {
  return {
    en: fillPlaceholders(text.en, values("en")),
    lo: fillPlaceholders(text.lo, values("lo")),
    lo_reviewed: text.lo_reviewed && insertedLoReviewed,
  };
}
