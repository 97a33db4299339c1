// The words of a report, from the catalogue, in both languages: the reader's language
// first, the other second. Shared by the Markdown, CSV, HTML and `!stats` renderings so
// that a label reads the same everywhere.
import type { EscalationStep, Language, Priority, Specialty } from "../config/schema.ts";
import type { catalogue, MessageKey, PlaceholderNames } from "../i18n/catalogue.ts";
import { t } from "../i18n/index.ts";
import type { ConsultReport, Names, ResponseStats } from "./report.ts";
import type { Outcome } from "./types.ts";

export const LANGUAGES: readonly Language[] = ["lo", "en"];

/** Something said in both languages. */
export type Text = (lang: Language) => string;

export const other = (lang: Language): Language => (lang === "lo" ? "en" : "lo");

/** A catalogue key whose message has no placeholders. */
export type LabelKey = { [K in MessageKey]: [PlaceholderNames<(typeof catalogue)[K]["en"]>] extends [never] ? K : never }[MessageKey];

const plain = t as (lang: Language, key: LabelKey) => string;

export const label =
  (key: LabelKey): Text =>
  (lang) =>
    plain(lang, key);

export const named =
  (names: Names): Text =>
  (lang) =>
    names[lang];

export const priorityLabel = (priority: Priority): Text => label(`report.priority.${priority}`);
export const specialtyLabel = (specialty: Specialty): Text => label(`report.specialty.${specialty}`);
export const outcomeLabel = (outcome: Outcome): Text => label(`report.outcome.${outcome}`);

export const minutesText =
  (minutes: number | null): Text =>
  (lang) =>
    minutes === null ? "–" : t(lang, "report.minutes", { minutes: oneDecimal(minutes) });

export const percentText = (percent: number | null): string => (percent === null ? "–" : `${oneDecimal(percent)}%`);

export function oneDecimal(x: number): string {
  return x.toFixed(1);
}

export function afterText(afterMinutes: number): Text {
  return (lang) => (afterMinutes >= 60 && afterMinutes % 60 === 0 ? t(lang, "report.after_hours", { hours: afterMinutes / 60 }) : t(lang, "report.after_minutes", { minutes: afterMinutes }));
}

export function stepLabel(step: { afterMinutes: number; action: EscalationStep["action"] }): Text {
  return (lang) => t(lang, "report.step", { after: afterText(step.afterMinutes)(lang), action: t(lang, `report.action.${step.action}`) });
}

/** The label of a response-time band, e.g. "10 to 15 min". */
export function bandLabel(report: ConsultReport, index: number): Text {
  const band = report.responseBands[index];
  const low = index === 0 ? undefined : report.responseBands[index - 1]?.upToMinutes;
  return (lang) => {
    if (band?.upToMinutes === null || band === undefined) return t(lang, "report.band_last", { low: low ?? 0 });
    if (low === undefined || low === null) return t(lang, "report.band_first", { high: band.upToMinutes });
    return t(lang, "report.band", { low, high: band.upToMinutes });
  };
}

/** A stable identifier for a band in CSV: `upto_5`, `upto_10`, …, `over_240`. */
export function bandId(report: ConsultReport, index: number): string {
  const band = report.responseBands[index];
  return band?.upToMinutes === null || band === undefined ? `over_${report.responseBands[index - 1]?.upToMinutes ?? 0}` : `upto_${band.upToMinutes}`;
}

export function referenceNote(report: ConsultReport): Text {
  const r = report.reference;
  return (lang) => t(lang, "report.reference_note", { sites: r.sites, minutes: r.medianResponseMinutes, source: r.source });
}

/** An instant as a date and time in the province's time zone, e.g. 2026-04-01 00:01. */
export function localTime(ms: number, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** "ສຸກເສີນ / Emergency": the reader's language first. */
export function both(lang: Language, text: Text, separator = " / "): string {
  const first = text(lang);
  const second = text(other(lang));
  return first === second ? first : `${first}${separator}${second}`;
}

/** The headline figures, in the order every rendering shows them. */
export function summaryRows(report: ConsultReport): [Text, Text][] {
  const all = report.all;
  const n = (x: number) => () => String(x);
  return [
    [label("report.consults"), n(all.consults)],
    [label("report.median"), minutesText(all.medianMinutes)],
    [label("report.ninetieth_percentile"), minutesText(all.p90Minutes)],
    [label("report.unanswered"), n(all.unanswered)],
    [label("report.within_target"), withinText(all)],
    [label("report.referrals"), n(report.referrals.count)],
    [label("report.open"), n(report.status.open)],
    [label("report.closed"), n(report.status.closed)],
    [label("report.open_now"), n(report.openNow)],
  ];
}

/** "53.8% (21 of 39)". */
export function withinText(s: ResponseStats): Text {
  return (lang) => (s.percentWithinTarget === null ? "–" : `${percentText(s.percentWithinTarget)} (${of(s.withinTarget, s.consults - s.pending)(lang)})`);
}

export function of(part: number, whole: number): Text {
  return (lang) => t(lang, "report.of", { part, whole });
}
