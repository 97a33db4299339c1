// A report as text: Markdown for reading, CSV for spreadsheets, JSON for programs, and
// HTML with charts (report-html.ts). Words for people come in both languages, the
// reader's first; CSV columns, metric names and JSON keys are English identifiers.
import type { Language } from "../config/schema.ts";
import { renderReportHtml } from "./report-html.ts";
import {
  bandId,
  bandLabel,
  both,
  label,
  localTime,
  minutesText,
  named,
  other,
  outcomeLabel,
  priorityLabel,
  referenceNote,
  specialtyLabel,
  stepLabel,
  summaryRows,
  withinText,
  of,
  type Text,
} from "./report-labels.ts";
import { PRIORITIES, type ConsultReport, type ResponseStats } from "./report.ts";
import { t } from "../i18n/index.ts";
import { csvLine } from "../util/csv.ts";
import { OUTCOMES } from "./types.ts";

export const REPORT_FORMATS = ["md", "csv", "json", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(report: ConsultReport, format: ReportFormat, lang: Language): string {
  switch (format) {
    case "md":
      return renderMarkdown(report, lang);
    case "csv":
      return renderCsv(report);
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "html":
      return renderReportHtml(report, lang);
  }
}

// ── Markdown ──

function renderMarkdown(report: ConsultReport, lang: Language): string {
  const b = (text: Text) => mdEscape(both(lang, text));
  const line = (text: Text) => `${mdEscape(text(lang))}  \n_${mdEscape(text(other(lang)))}_`;
  const tz = report.province.timezone;
  const out: string[] = [];
  out.push(`# ${b((l) => t(l, "report.title", { province: report.province.name[l] }))}`);
  out.push(line((l) => t(l, "report.period", { from: report.period.from, to: report.period.to, timezone: tz })));
  out.push(line((l) => t(l, "report.as_of", { time: localTime(report.asOf, tz) })));

  out.push(`## ${b(label("report.summary"))}`);
  out.push(
    mdTable(
      ["", ""],
      summaryRows(report).map(([text, value]) => [b(text), value(lang)]),
    ),
  );
  out.push(`_${mdEscape(both(lang, referenceNote(report)))}_`);
  if (report.all.consults === 0) out.push(b(label("report.no_consults")));

  const statsHeaders = [b(label("report.consults")), b(label("report.unanswered")), b(label("report.median")), b(label("report.ninetieth_percentile")), b(label("report.within_target"))];
  const statsCells = (s: ResponseStats) => [String(s.consults), String(s.unanswered), minutesText(s.medianMinutes)(lang), minutesText(s.p90Minutes)(lang), withinText(s)(lang)];

  out.push(`## ${b(label("report.by_district"))}`);
  out.push(
    mdTable(
      [b(label("report.district")), ...statsHeaders],
      report.districts.map((d) => [b(named(d.name)), ...statsCells(d)]),
    ),
  );

  out.push(`## ${b(label("report.by_facility"))}`);
  const active = report.facilities.filter((f) => f.consults > 0);
  const districtName = (id: string) => report.districts.find((d) => d.id === id)?.name ?? { en: id, lo: id };
  if (active.length > 0) {
    out.push(
      mdTable(
        [b(label("report.facility")), b(label("report.district")), ...statsHeaders],
        active.map((f) => [b(named(f.name)), b(named(districtName(f.districtId))), ...statsCells(f)]),
        2,
      ),
    );
  }
  const silent = report.facilities.filter((f) => f.consults === 0);
  if (silent.length > 0) {
    out.push(line((l) => t(l, "report.silent_facilities", { count: silent.length, names: silent.map((f) => f.name[l]).join(", ") })));
  }

  out.push(`## ${b(label("report.by_priority"))}`);
  out.push(
    mdTable(
      [b(label("report.priority")), b(label("report.target")), ...statsHeaders, b(label("report.pending"))],
      report.priorities.map((p) => [b(priorityLabel(p.id)), minutesText(p.targetMinutes)(lang), ...statsCells(p), String(p.pending)]),
    ),
  );

  out.push(`## ${b(label("report.by_specialty"))}`);
  out.push(
    mdTable(
      [b(label("report.specialty")), ...statsHeaders],
      report.specialties.map((s) => [b(specialtyLabel(s.id)), ...statsCells(s)]),
    ),
  );

  out.push(`## ${b(label("report.response_distribution"))}`);
  out.push(
    mdTable(
      ["", b(label("report.count"))],
      [...report.responseBands.map((band, i) => [b(bandLabel(report, i)), String(band.consults)]), [b(label("report.unanswered")), String(report.all.unanswered)]],
    ),
  );

  out.push(`## ${b(label("report.escalation"))}`);
  out.push(
    mdTable(
      [b(label("report.priority")), "", b(label("report.count"))],
      report.escalation.flatMap((row) => [
        [b(priorityLabel(row.priority)), b(label("report.no_step")), of(row.noStep, row.consults)(lang)],
        ...row.steps.map((step) => ["", b(stepLabel(step)), of(step.reached, row.consults)(lang)]),
      ]),
      2,
    ),
  );

  out.push(`## ${b(label("report.referrals_by_facility"))}`);
  out.push(
    report.referrals.count === 0
      ? b(label("report.no_referrals"))
      : mdTable(
          [b(label("report.facility")), b(label("report.referrals"))],
          report.referrals.byFacility.map((r) => [b(named(r.name)), String(r.count)]),
        ),
  );

  out.push(`## ${b(label("report.outcomes"))}`);
  out.push(
    mdTable(["", b(label("report.count"))], [...OUTCOMES.map((o) => [b(outcomeLabel(o)), String(report.outcomes[o])]), [b(label("report.outcome_not_recorded")), String(report.closedWithoutOutcome)]]),
  );

  out.push(`## ${b(label("report.method"))}`);
  out.push(
    [
      (l: Language) => t(l, "report.method_period", { timezone: tz }),
      label("report.method_unanswered"),
      label("report.method_percentile"),
      label("report.method_target"),
      label("report.metadata_only"),
    ]
      .map((text) => `- ${line(text).replace("\n", "\n  ")}`)
      .join("\n"),
  );
  return out.join("\n\n") + "\n";
}

/** The first `textColumns` columns are names, the rest figures, aligned right. */
function mdTable(headers: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): string {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [row(headers), row(headers.map((_, i) => (i < textColumns ? "---" : "---:"))), ...rows.map(row)].join("\n");
}

/** Text from the config is shown as text: no table breaks, links, emphasis or HTML. */
function mdEscape(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_[\]|<>#]/g, (c) => `\\${c}`);
}

// ── CSV ──
// One row per figure (section, id, names, metric, value): easy to filter and pivot in a
// spreadsheet. RFC 4180: every text field quoted, numbers bare, CRLF line ends, and a byte-order mark so that spreadsheet
// programs read the Lao names as UTF-8.

const CSV_HEADER = ["section", "id", "name_en", "name_lo", "metric", "value"] as const;

function renderCsv(report: ConsultReport): string {
  const rows: (string | number | null)[][] = [];
  const add = (section: string, id: string, names: Text | undefined, metric: string, value: string | number | null) =>
    rows.push([section, id, names?.("en") ?? "", names?.("lo") ?? "", metric, value]);
  const stats = (section: string, id: string, names: Text | undefined, s: ResponseStats) => {
    add(section, id, names, "consults", s.consults);
    add(section, id, names, "answered", s.answered);
    add(section, id, names, "unanswered", s.unanswered);
    add(section, id, names, "median_response_minutes", s.medianMinutes);
    add(section, id, names, "p90_response_minutes", s.p90Minutes);
    add(section, id, names, "within_target", s.withinTarget);
    add(section, id, names, "pending", s.pending);
    add(section, id, names, "percent_within_target", s.percentWithinTarget);
  };

  add("period", "", undefined, "from", report.period.from);
  add("period", "", undefined, "to", report.period.to);
  add("period", "", undefined, "timezone", report.province.timezone);
  add("period", "", undefined, "as_of", new Date(report.asOf).toISOString());
  stats("all", "", undefined, report.all);
  add("status", "open", label("report.open"), "consults", report.status.open);
  add("status", "closed", label("report.closed"), "consults", report.status.closed);
  add("status", "open_now", label("report.open_now"), "consults", report.openNow);
  for (const d of report.districts) {
    stats("district", d.id, named(d.name), d);
    for (const p of PRIORITIES) add("district", d.id, named(d.name), `consults_${p}`, d.consultsByPriority[p]);
  }
  for (const f of report.facilities) stats("facility", f.id, named(f.name), f);
  for (const p of report.priorities) {
    add("priority", p.id, priorityLabel(p.id), "target_minutes", p.targetMinutes);
    stats("priority", p.id, priorityLabel(p.id), p);
  }
  for (const s of report.specialties) stats("specialty", s.id, specialtyLabel(s.id), s);
  report.responseBands.forEach((band, i) => add("response_band", bandId(report, i), bandLabel(report, i), "consults", band.consults));
  add("response_band", "unanswered", label("report.unanswered"), "consults", report.all.unanswered);
  for (const row of report.escalation) {
    add("escalation", `${row.priority}.none`, label("report.no_step"), "consults", row.noStep);
    for (const step of row.steps) add("escalation", `${row.priority}.${step.index}.${step.action}`, stepLabel(step), "reached", step.reached);
  }
  add("referrals", "", label("report.referrals"), "referrals", report.referrals.count);
  for (const r of report.referrals.byFacility) add("referral_facility", r.id, named(r.name), "referrals", r.count);
  for (const o of OUTCOMES) add("outcome", o, outcomeLabel(o), "consults", report.outcomes[o]);
  add("outcome", "not_recorded", label("report.outcome_not_recorded"), "consults", report.closedWithoutOutcome);
  add("reference", report.reference.id, referenceNote(report), "median_response_minutes", report.reference.medianResponseMinutes);

  return "\uFEFF" + [CSV_HEADER, ...rows].map(csvLine).join("\r\n") + "\r\n";
}
