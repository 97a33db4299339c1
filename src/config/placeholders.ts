// Placeholders in province texts, so that a number or a name is written once in the file and
// every text that mentions it stays right when it changes. Whoever shows a text fills them;
// the loader only checks that a text uses no others.

/** In `rules.items`: filled from `rules.hospital_phone` and `rules.expected_answer_minutes`. */
export const RULE_PLACEHOLDERS = ["hospital_phone", "emergency", "urgent", "routine"] as const;
/** In `rooms.district`: the district's name, in the text's language. */
export const DISTRICT_ROOM_PLACEHOLDERS = ["district"] as const;

/** Whatever is inside each `{…}`, in order: broader than what fills them, so that a
 *  misspelt `{Emergency}` is reported rather than shown to people as typed. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? "");
}
