// Phone numbers as SMS needs them. The province file writes them for people
// (`+856 20 5555 0123`); Kannel wants them without spaces; operators hand replies
// over with or without the `+`, sometimes in national form (`020 5555 0123`).

/** `+85620...` from `+856 20-5555 0123`, or undefined when it is not an international number (E.164: + and 8 to 15 digits). */
export function internationalNumber(text: string): string | undefined {
  const compact = text.replace(/[\s-]/gu, "");
  return /^\+[1-9]\d{7,14}$/u.test(compact) ? compact : undefined;
}

/**
 * Whether a sender number from the operator is this international number. Operators differ
 * in how they write the sender: `+8562055550123`, `8562055550123`, `008562055550123`, or the
 * national `02055550123` (trunk 0 instead of the country code). Anything shorter than eight
 * digits never matches: a short code or an alphanumeric sender is nobody on the roster.
 */
export function sameNumber(international: string, sender: string): boolean {
  const want = international.replace(/\D/gu, "");
  let got = sender.trim().replace(/[\s-]/gu, "");
  if (!/^\+?\d{8,17}$/u.test(got)) return false;
  got = got.replace(/^\+/u, "").replace(/^00/u, "");
  if (got === want) return true;
  // National form: a trunk 0 followed by the subscriber number, which ends the international one.
  return got.startsWith("0") && got.length >= 9 && want.endsWith(got.slice(1)) && want.length - (got.length - 1) <= 3;
}

/** The last four digits: enough to tell numbers apart in a log without writing the number down. */
export function numberTail(sender: string): string {
  const digits = sender.replace(/\D/gu, "");
  return digits.length >= 4 ? `…${digits.slice(-4)}` : "…";
}
