// What an SMS costs: how many segments (each billed as one SMS) a text takes.
// GSM 03.38: a text made only of the GSM-7 alphabet packs 160 characters into one
// segment, 153 per segment once it has to be split (the rest carries the
// concatenation header); characters of the extension table (€ [ ] { } …) take two.
// Anything else (Lao among it) forces UCS-2: 70 UTF-16 units in one segment, 67 per
// segment when split.

const GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";

export type SmsEncoding = "gsm7" | "ucs2";

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** How many units one segment holds for this text (160/153 or 70/67). */
  perSegment: number;
}

export function encodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!GSM7_BASIC.includes(ch) && !GSM7_EXTENSION.includes(ch)) return "ucs2";
  return "gsm7";
}

export function countSegments(text: string): SegmentCount {
  const encoding = encodingOf(text);
  if (encoding === "gsm7") {
    let units = 0;
    for (const ch of text) units += GSM7_EXTENSION.includes(ch) ? 2 : 1;
    const perSegment = units <= 160 ? 160 : 153;
    return { encoding, units, segments: Math.max(1, Math.ceil(units / perSegment)), perSegment };
  }
  const units = text.length; // UTF-16 code units: what UCS-2 (in practice UTF-16) carries
  const perSegment = units <= 70 ? 70 : 67;
  return { encoding, units, segments: Math.max(1, Math.ceil(units / perSegment)), perSegment };
}
