// Reading an expert's SMS answer. `OK 42 5817`: the case number (or the whole case id)
// and the page's one-time code. Phones capitalise, add punctuation and doubled spaces;
// all of that is accepted. Anything else is not an answer.

export interface SmsAnswer {
  /** The case as typed, digits only once the prefix is dropped: `42` from `BK-0042`, `bk42` or `42`. */
  caseNumber: string;
  code: string;
}

export const CODE_DIGITS = 4;

export function parseAnswer(text: string): SmsAnswer | undefined {
  const match = /^\s*ok[\s.,:;!-]*(?:[a-z]{2,4}\s*-?\s*)?0*(\d{1,6})[\s.,:;-]+(\d{4})[\s.!]*$/iu.exec(asciiDigits(text.normalize("NFKC")));
  if (!match) return undefined;
  return { caseNumber: String(Number(match[1])), code: match[2]! };
}

/** Lao (໐–໙) and Thai (๐–๙) digits, which phones in Laos may type, as ASCII digits. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0ED0-\u0ED9\u0E50-\u0E59]/gu, (d) => String(d.codePointAt(0)! & 0xf));
}
