// `mchlink report [--from DATE] [--to DATE] [--format md|csv|json|html]`: the options
// checked, the period settled, the report computed and rendered. The CLI reads the
// consults and prints the text; a wrong option comes back as a message, not a throw.
import type { Language, Province } from "../config/schema.ts";
import { t } from "../i18n/index.ts";
import { both } from "./report-labels.ts";
import { REPORT_FORMATS, renderReport, type ReportFormat } from "./report-render.ts";
import { addDays, computeReport, lastDays, localDateOf } from "./report.ts";
import { smsReportCsvRows, smsReportHtml, smsReportMarkdown, smsSummary } from "./sms-report.ts";
import type { SmsPage } from "./sms-store.ts";
import type { ConsultRecord } from "./types.ts";

/** Without --from, a report covers this many days up to --to (default: today). */
export const DEFAULT_REPORT_DAYS = 30;

export interface ReportCommandOptions {
  from?: string;
  to?: string;
  format?: string;
  /** The reader's language, shown first; the other follows. */
  lang?: Language;
  now: number;
  /** SMS pages, when the province pages by SMS: those of the period are added (every format), without their codes and numbers. */
  smsPages?: readonly SmsPage[];
}

/** `error` says what is wrong and what to type instead, in both languages. */
export type ReportCommandResult = { ok: true; output: string } | { ok: false; error: string };

export function reportCommand(consults: readonly ConsultRecord[], province: Province, options: ReportCommandOptions): ReportCommandResult {
  const lang = options.lang ?? "lo";
  for (const [option, value] of [
    ["--from", options.from],
    ["--to", options.to],
  ] as const) {
    if (value !== undefined && !isCalendarDate(value)) return { ok: false, error: both(lang, (l) => t(l, "report.error_date", { option, value }), "\n") };
  }
  const format = options.format ?? "md";
  if (!isFormat(format)) return { ok: false, error: both(lang, (l) => t(l, "report.error_format", { value: format, formats: REPORT_FORMATS.join(", ") }), "\n") };
  const to = options.to ?? lastDays(options.now, 1, province.province.timezone).to;
  const from = options.from ?? addDays(to, -(DEFAULT_REPORT_DAYS - 1));
  if (from > to) return { ok: false, error: both(lang, (l) => t(l, "report.error_order", { from, to }), "\n") };
  const report = computeReport(consults, province, { from, to, now: options.now });
  const output = renderReport(report, format, lang);
  if (!options.smsPages) return { ok: true, output };
  const day = localDateOf(province.province.timezone);
  const pages = options.smsPages.filter((p) => day(p.createdAt) >= from && day(p.createdAt) <= to);
  const summary = smsSummary(pages);
  if (format === "json")
    return { ok: true, output: JSON.stringify({ ...(JSON.parse(output) as object), sms: { ...summary, pages: pages.map(({ codeHash: _codeHash, ...rest }) => rest) } }, null, 2) + "\n" };
  const tz = province.province.timezone;
  switch (format) {
    case "md":
      return { ok: true, output: `${output.trimEnd()}\n\n${smsReportMarkdown(pages, summary, lang, tz)}` };
    case "html":
      return { ok: true, output: output.replace("</body></html>", `${smsReportHtml(pages, summary, lang, tz)}\n</body></html>`) };
    case "csv":
      return { ok: true, output: output + smsReportCsvRows(pages, summary) };
  }
}

function isFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return addDays(text, 0) === text;
}
