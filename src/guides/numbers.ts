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
  g: "g", gm: "g", gram: "g", grams: "g",
  mg: "mg", milligram: "mg", milligrams: "mg",
  mcg: "mcg", "µg": "mcg", ug: "mcg", microgram: "mcg", micrograms: "mcg",
  kg: "kg", kilogram: "kg", kilograms: "kg",
  ml: "ml", millilitre: "ml", millilitres: "ml", milliliter: "ml", milliliters: "ml", cc: "ml",
  l: "l", litre: "l", litres: "l", liter: "l", liters: "l",
  iu: "iu", units: "iu", unit: "iu",
  min: "min", mins: "min", minute: "min", minutes: "min",
  s: "s", sec: "s", secs: "s", second: "s", seconds: "s",
  h: "h", hr: "h", hrs: "h", hour: "h", hours: "h",
  day: "d", days: "d",
  week: "wk", weeks: "wk", wk: "wk", wks: "wk",
  month: "mo", months: "mo",
  year: "y", years: "y",
  "%": "%", percent: "%",
  mmhg: "mmhg",
  "°c": "c", "°": "c", degrees: "c", degree: "c",
};

const NUMBER = /(?<![\d.,])(\d+(?:,\d{3})*(?:\.\d+)?)(?![\d])(?:\s?(%|°c|°|µg|[a-z]+))?/giu;

/** The numbers in `text`, in order, each with the unit that follows it if it is one. */
export function numbersIn(text: string): CardNumber[] {
  return Array.from(text.matchAll(NUMBER), (m): CardNumber => {
    const raw = m[1] as string;
    const unit = m[2] === undefined ? undefined : UNITS[m[2].toLowerCase()];
    const text = unit === undefined ? raw : (m[0] as string);
    return unit === undefined ? { text, value: raw.replaceAll(",", "") } : { text, value: raw.replaceAll(",", ""), unit };
  });
}

/**
 * The step's numbers the quote does not hold: absent, or present only with another unit
 * (the step's "1 g" against the quote's "1 mg"). A quote's bare number ("500 or 1000 mL")
 * counts for a step's number with a unit.
 */
export function quoteLacks(quote: string, numbers: readonly CardNumber[]): string[] {
  const inQuote = numbersIn(quote);
  return numbers
    .filter((n) => {
      const same = inQuote.filter((q) => q.value === n.value);
      if (same.length === 0) return true;
      return n.unit !== undefined && same.every((q) => q.unit !== undefined && q.unit !== n.unit);
    })
    .map((n) => n.text);
}
