// The words of an SMS page. Built from the consult's metadata only (case id,
// priority, district) and the hospital's phone: nothing the health worker wrote can
// reach it, so no name, age or clinical word travels over the operator's network,
// which is neither encrypted nor ours.
import type { Language, Priority } from "../config/schema.ts";
import { t } from "../i18n/index.ts";
import { countSegments, type SegmentCount } from "./segments.ts";

export interface PageFacts {
  caseId: string;
  /** The case number the expert types back (`42` for BK-0042). */
  caseNumber: string;
  priority: Priority;
  /** The priority's and the district's names in the expert's language. */
  priorityName: string;
  districtName: string;
  phone: string;
  code: string;
}

export interface PageText extends SegmentCount {
  text: string;
}

export function pageText(lang: Language, facts: PageFacts): PageText {
  const text = t(lang, "sms.page", {
    case_id: facts.caseId,
    priority: facts.priorityName,
    district: facts.districtName,
    // Spaces cost a character each and a phone's dialler ignores them anyway.
    phone: facts.phone.replace(/[\s-]/gu, ""),
    number: facts.caseNumber,
    code: facts.code,
  });
  return { text, ...countSegments(text) };
}

/** `42` for `BK-0042`: what is quickest to type on a keypad, and what `OK 42 …` is matched against. */
export function caseNumberOf(caseId: string): string {
  return String(Number(/(\d+)$/u.exec(caseId)?.[1] ?? "0"));
}
