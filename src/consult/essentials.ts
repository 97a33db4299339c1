// What an expert needs to know before advising, and which of it a request already says.
// Light pattern matching in English and Lao: a miss only means the template asks for
// something that was written, so the patterns lean towards "mentioned". Pure; the text
// is looked at and forgotten, never stored or copied.

/** In the order the case template lists them. */
export const ESSENTIALS = ["age", "gravida_para", "gestation_or_baby_age", "blood_pressure", "pulse", "temperature", "danger_signs", "treatment_given", "transport"] as const;
export type Essential = (typeof ESSENTIALS)[number];

const PATTERNS: Record<Essential, readonly RegExp[]> = {
  age: [/\b\d{1,2}\s*-?\s*(y|yo|yrs?|years?)\b/u, /\bage[d]?\s*:?\s*\d/u, /\d{1,2}\s*ປີ/u, /ອາຍຸ\s*:?\s*\d/u],
  gravida_para: [/\bg\s*\d+\s*p\s*\d+/u, /\bgravida/u, /\bpara\s*\d/u, /\bprimi/u, /\bmultip/u, /ຖືພາຄັ້ງທີ/u, /ທ້ອງທີ/u, /ລູກຄົນທີ/u, /ລູກທີ/u, /ເກີດລູກ\s*\d+\s*ຄັ້ງ/u],
  gestation_or_baby_age: [
    /\b\d{1,2}\s*(\+\d\s*)?(w|wk|wks|weeks?)\b/u,
    /\b\d{1,2}\s*\/\s*40\b/u,
    /\bga\b/u,
    /\bgestation/u,
    /\b\d+\s*(h|hrs?|hours?|d|days?|mo|months?)\s*old\b/u,
    /\d+\s*(ອາທິດ|ຊົ່ວໂມງ|ວັນ|ເດືອນ)/u,
    /ອາຍຸຄັນ/u,
  ],
  blood_pressure: [/\bb\/?p\b/u, /\bblood\s*pressure/u, /\b(\d{3}|[6-9]\d)\s*\/\s*\d{2,3}\b/u, /ຄວາມດັນ/u],
  pulse: [/\bpulse/u, /\bp(r|ulse)?\s*[:=]?\s*\d{2,3}\b/u, /\bhr\b/u, /\bheart\s*rate/u, /\bbpm\b/u, /ກຳມະຈອນ/u, /ຊີບພະຈອນ/u],
  temperature: [/\btemp/u, /\b\d{2}([.,]\d)?\s*°?\s*c\b/u, /°/u, /ອຸນຫະພູມ/u],
  danger_signs: [
    /\bbleed/u,
    /\bblood\s*loss/u,
    /\bha?emorrh/u,
    /\bp\.?p\.?h\b/u,
    /\bfits?\b/u,
    /\bconvuls/u,
    /\bseizure/u,
    /\beclamp/u,
    /\bfever/u,
    /\bfebrile/u,
    /\bbreath/u,
    /\brespirat/u,
    /\brr\b/u,
    /\bgrunt/u,
    /ເລືອດອອກ/u,
    /ຊັກ/u,
    /ໄຂ້/u,
    /ຫາຍໃຈ/u,
  ],
  treatment_given: [
    /\b(given|gave|started|done|inserted)\b/u,
    /\boxytocin/u,
    /\bmiso/u,
    /\bmgso4|\bmagnesium/u,
    /\btranexamic|\btxa\b/u,
    /\biv\b|\bdrip\b|\bfluids?\b|\bcannula/u,
    /\bmassage/u,
    /\bcatheter/u,
    /\bbag\s*(and|&)\s*mask|\bresuscitat|\bventilat/u,
    /ໃຫ້ຢາ/u,
    /ໄດ້ໃຫ້/u,
    /ໄດ້ເຮັດ/u,
    /ເຮັດແລ້ວ/u,
    /ນວດ/u,
    /ນ້ຳເກືອ/u,
  ],
  transport: [/\btransport/u, /\bambulance/u, /\bcar\b/u, /\bmotor\s*(bike|cycle)/u, /\bboat\b/u, /\bvehicle/u, /\btruck\b/u, /\btuk/u, /\broad\b/u, /ລົດ/u, /ເຮືອ/u, /ຂົນສົ່ງ/u],
};

/** The essentials `text` seems to mention. */
export function mentionedEssentials(text: string): Set<Essential> {
  const body = text.normalize("NFC").toLowerCase();
  return new Set(ESSENTIALS.filter((essential) => PATTERNS[essential].some((pattern) => pattern.test(body))));
}

/** The essentials still to ask for, in template order. */
export function missingEssentials(text: string): Essential[] {
  const mentioned = mentionedEssentials(text);
  return ESSENTIALS.filter((essential) => !mentioned.has(essential));
}

/**
 * Whether `text` seems to carry a phone number or an ID number, which the rules forbid in
 * a consult room. Dates, times, blood pressures and drug doses are left alone, and so are
 * `publicNumbers` (the hospital's and facilities' own phones, however they are spaced): a
 * false alarm on every set of vital signs would teach people to ignore the reminder.
 */
export function looksLikeIdentifier(text: string, publicNumbers: readonly string[] = []): boolean {
  const known = publicNumbers.map(nationalDigits);
  const body = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b/gu, " ")
    .replace(/\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b/gu, " ")
    .replace(/\b\d{1,2}:\d{2}\b/gu, " ");
  for (const match of body.matchAll(/\+?\d[\d -]*\d/gu)) {
    const groups = match[0].split(/[ -]+/u).filter((g) => g !== "");
    const digits = groups.join("").replace("+", "");
    if (known.includes(nationalDigits(digits))) continue;
    // A long run of digits: an ID, a phone typed without spaces, a record number.
    if (groups.some((g) => g.replace("+", "").length >= 7)) return true;
    // A phone number in groups: +856 20 5555 0123, 020 5555 0123, 20-5555-0123.
    const dialled = match[0].startsWith("+") || /^0\d{1,2}$/u.test(groups[0] ?? "") || groups.some((g) => g.length >= 4);
    if (digits.length >= 8 && dialled) return true;
    // A number labelled as an identifier or a phone.
    const before = body.slice(Math.max(0, match.index - 16), match.index);
    if (digits.length >= 5 && /(\b(id|passport|tel|phone|mobile)\b\.?\s*(no\.?|number|#)?|ເລກບັດ|ບັດປະຈຳຕົວ|ເບີໂທ|ເບີ)\s*:?\s*$/u.test(before)) return true;
  }
  return false;
}

/** A phone number's digits without the country code or trunk zero: +856 20 5555 0123 and 020 55550123 are the same. */
function nationalDigits(number: string): string {
  return number.replace(/\D/gu, "").replace(/^856/u, "").replace(/^0/u, "");
}
