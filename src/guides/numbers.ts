// The numbers of a card's text and of its source quotes, so a test and the loader can tell
// that every dose, interval and threshold a nurse reads was copied from a source, not made up.
// Spacing and unit spelling may differ ("1 g" and "1g", "10 minutes" and "10 min"); the number
// itself never may.

export interface CardNumber {
  /** As written, e.g. "10 minutes". */
  readonly text: string;
  /** The number alone, thousands separators removed: "1000", "1.5". */
  readonly value: string;
  /** The unit in one spelling ("min", "g", "ml"), when one follows. */
  readonly unit?: string;
}

const UNITS: Readonly<Record<string, string>> = {
  g: "g",
  gm: "g",
  gram: "g",
  grams: "g",
  mg: "mg",
  milligram: "mg",
  milligrams: "mg",
  mcg: "mcg",
  µg: "mcg",
  ug: "mcg",
  microgram: "mcg",
  micrograms: "mcg",
  kg: "kg",
  kilogram: "kg",
  kilograms: "kg",
  ml: "ml",
  millilitre: "ml",
  millilitres: "ml",
  milliliter: "ml",
  milliliters: "ml",
  cc: "ml",
  l: "l",
  litre: "l",
  litres: "l",
  liter: "l",
  liters: "l",
  iu: "iu",
  units: "iu",
  unit: "iu",
  min: "min",
  mins: "min",
  minute: "min",
  minutes: "min",
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  day: "d",
  days: "d",
  week: "wk",
  weeks: "wk",
  wk: "wk",
  wks: "wk",
  month: "mo",
  months: "mo",
  year: "y",
  years: "y",
  "%": "%",
  percent: "%",
  mmhg: "mmhg",
  "°c": "c",
  "°": "c",
  degrees: "c",
  degree: "c",
};

const NUMBER = /(?<![\d.,])(\d+(?:,\d{3})*(?:\.\d+)?)(?![\d])(?:\s?(%|°c|°|µg|[a-z]+))?/giu;

// A limit can be written in words: "within one minute of birth", "the first hour", "half an hour"
// (only before a unit of time: "the first dose" or "two helpers" are not limits).
const WORD_VALUES: Readonly<Record<string, string>> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  eleven: "11",
  twelve: "12",
  fifteen: "15",
  twenty: "20",
  thirty: "30",
  forty: "40",
  sixty: "60",
  first: "1",
  second: "2",
  half: "0.5",
};
const WORD_NUMBER =
  /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|sixty|first|second|half)(?:\s+an?)?\s+(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b/giu;

/**
 * The numbers in `text`, in order, each with the unit that follows it if it is one; with `words`,
 * also numbers written as words before a unit of time or a dose ("one minute": 1 min).
 */
export function numbersIn(text: string, options: { readonly words?: boolean } = {}): CardNumber[] {
  const digits = Array.from(text.matchAll(NUMBER), (m): CardNumber & { at: number } => {
    const raw = m[1] as string;
    const unit = m[2] === undefined ? undefined : UNITS[m[2].toLowerCase()];
    const shown = unit === undefined ? raw : (m[0] as string);
    return unit === undefined ? { at: m.index, text: shown, value: raw.replaceAll(",", "") } : { at: m.index, text: shown, value: raw.replaceAll(",", ""), unit };
  });
  const words = options.words
    ? Array.from(text.matchAll(WORD_NUMBER), (m) => {
        const unit = (m[2] as string).toLowerCase();
        return { at: m.index, text: m[0] as string, value: WORD_VALUES[(m[1] as string).toLowerCase()] as string, unit: UNITS[unit] ?? unit.replace(/s$/, "") };
      })
    : [];
  return [...digits, ...words].sort((a, b) => a.at - b.at).map(({ at: _, ...n }) => n);
}

/**
 * The step's numbers the quote does not hold: absent, or present only with another unit
 * (the step's "1 g" against the quote's "1 mg"). A quote's bare number ("500 or 1000 mL")
 * counts for a step's number with a unit.
 */
export function quoteLacks(quote: string, numbers: readonly CardNumber[]): string[] {
  const inQuote = numbersIn(quote, { words: true });
  return numbers
    .filter((n) => {
      const same = inQuote.filter((q) => q.value === n.value);
      if (same.length === 0) return true;
      return n.unit !== undefined && same.every((q) => q.unit !== undefined && q.unit !== n.unit);
    })
    .map((n) => n.text);
}
