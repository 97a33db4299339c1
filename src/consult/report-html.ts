// The report as one self-contained HTML page for the coordinator: headline figures first,
// then charts drawn as inline SVG (no scripts, fonts or images fetched from anywhere, so it
// opens offline and prints), then the tables behind them. Every piece of text, from the
// catalogue or from the config, goes through escapeHtml.
import type { Language, Priority } from "../config/schema.ts";
import { escapeHtml as esc, t } from "../i18n/index.ts";
import {
  bandLabel,
  label,
  localTime,
  minutesText,
  named,
  other,
  outcomeLabel,
  percentText,
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
import { OUTCOMES, type Outcome } from "./types.ts";

/** The charts, in page order; each is one <svg data-chart="…">. */
export const CHARTS = ["by_district", "response_distribution", "median_by_district", "within_target", "escalation", "outcomes"] as const;
export type ChartId = (typeof CHARTS)[number];

const STYLE = `body{font-family:"Noto Sans Lao","Phetsarath OT","Saysettha OT",system-ui,sans-serif;max-width:62rem;margin:1.5rem auto;padding:0 1rem;color:#1d2630;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #d5dbe1;padding-bottom:.2rem}
.alt{color:#5c6873;font-size:.85em;margin-left:.5em}.meta{color:#3d4852;margin:.1rem 0}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}.card{border:1px solid #d5dbe1;border-radius:6px;padding:.5rem .8rem;min-width:9rem}
.card .v{font-size:1.6rem;font-weight:600}.card .l{font-size:.85rem}.card .l .alt{display:block;margin:0}
.ref{border-left:4px solid #9aa5b1;padding:.3rem .7rem;background:#f4f6f8;font-size:.92rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #d5dbe1;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th .alt{display:block;margin:0}
svg{display:block;max-width:100%;height:auto;margin:.4rem 0}svg text{font-size:13px;fill:#1d2630}svg text.alt{font-size:11px;fill:#5c6873}
svg text.v{font-variant-numeric:tabular-nums}svg text.group{font-weight:600}svg text.empty{fill:#5c6873}
.emergency{fill:#b3261e}.urgent{fill:#e07b00}.routine{fill:#2f6db5}.ours{fill:#2f6db5}.all{fill:#1c4b82}.unanswered{fill:#8a949e}
.track{fill:#eef1f4}.outcome{fill:#2a8a7e}.death{fill:#6b1a1a}.reference{fill:#fff;stroke:#5c6873;stroke-width:1.5;stroke-dasharray:5 3}
.legend{display:flex;gap:1rem;font-size:.85rem;margin:.2rem 0}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem}
.legend .emergency{background:#b3261e}.legend .urgent{background:#e07b00}.legend .routine{background:#2f6db5}
footer{margin-top:2rem;font-size:.85rem;color:#5c6873}
@media print{h2{break-after:avoid}svg,table{break-inside:avoid}}`;

export function renderReportHtml(report: ConsultReport, lang: Language): string {
  const bi = (text: Text) => `<span lang="${lang}">${esc(text(lang))}</span><span class="alt" lang="${other(lang)}">${esc(text(other(lang)))}</span>`;
  const para = (text: Text, cls = "meta") => `<p class="${cls}">${bi(text)}</p>`;
  const tz = report.province.timezone;
  const title: Text = (l) => t(l, "report.title", { province: report.province.name[l] });
  const section = (heading: Text, ...body: string[]) => `<section><h2>${bi(heading)}</h2>\n${body.join("\n")}\n</section>`;
  const statsHeaders = [label("report.consults"), label("report.unanswered"), label("report.median"), label("report.ninetieth_percentile"), label("report.within_target")].map(bi);
  const statsCells = (s: ResponseStats) => [num(s.consults), num(s.unanswered), num(minutesText(s.medianMinutes)(lang)), num(minutesText(s.p90Minutes)(lang)), num(withinText(s)(lang))];
  const districtName = (id: string) => report.districts.find((d) => d.id === id)?.name ?? { en: id, lo: id };
  const silent = report.facilities.filter((f) => f.consults === 0);

  const body = [
    `<header><h1>${bi(title)}</h1>`,
    para((l) => t(l, "report.period", { from: report.period.from, to: report.period.to, timezone: tz })),
    para((l) => t(l, "report.as_of", { time: localTime(report.asOf, tz) })),
    `</header>`,
    `<section class="cards">${summaryRows(report)
      .map(([name, value]) => `<div class="card"><div class="v">${esc(value(lang))}</div><div class="l">${bi(name)}</div></div>`)
      .join("")}</section>`,
    para(referenceNote(report), "ref"),
    report.all.consults === 0 ? para(label("report.no_consults")) : "",
    section(
      label("report.by_district"),
      districtChart(report, lang),
      legend(lang),
      table(
        [bi(label("report.district")), ...statsHeaders],
        report.districts.map((d) => [bi(named(d.name)), ...statsCells(d)]),
      ),
    ),
    section(label("report.response_distribution"), distributionChart(report, lang)),
    section(label("report.median_by_district"), medianChart(report, lang)),
    section(
      label("report.within_target_by_priority"),
      withinTargetChart(report, lang),
      table(
        [bi(label("report.priority")), bi(label("report.target")), ...statsHeaders, bi(label("report.pending"))],
        report.priorities.map((p) => [bi(priorityLabel(p.id)), num(minutesText(p.targetMinutes)(lang)), ...statsCells(p), num(p.pending)]),
      ),
    ),
    section(label("report.escalation"), escalationChart(report, lang)),
    section(label("report.outcomes"), outcomesChart(report, lang)),
    section(
      label("report.referrals_by_facility"),
      report.referrals.count === 0
        ? para(label("report.no_referrals"))
        : table(
            [bi(label("report.facility")), bi(label("report.referrals"))],
            report.referrals.byFacility.map((r) => [bi(named(r.name)), num(r.count)]),
          ),
    ),
    section(
      label("report.by_facility"),
      table(
        [bi(label("report.facility")), bi(label("report.district")), ...statsHeaders],
        report.facilities.filter((f) => f.consults > 0).map((f) => [bi(named(f.name)), bi(named(districtName(f.districtId))), ...statsCells(f)]),
      ),
      silent.length > 0 ? para((l) => t(l, "report.silent_facilities", { count: silent.length, names: silent.map((f) => f.name[l]).join(", ") })) : "",
    ),
    section(
      label("report.by_specialty"),
      table(
        [bi(label("report.specialty")), ...statsHeaders],
        report.specialties.map((s) => [bi(specialtyLabel(s.id)), ...statsCells(s)]),
      ),
    ),
    section(
      label("report.method"),
      `<ul>${[(l: Language) => t(l, "report.method_period", { timezone: tz }), label("report.method_unanswered"), label("report.method_percentile"), label("report.method_target")]
        .map((text) => `<li>${bi(text)}</li>`)
        .join("")}</ul>`,
    ),
    `<footer>${bi(label("report.metadata_only"))}</footer>`,
  ];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title(lang))}: ${esc(report.period.from)} – ${esc(report.period.to)}</title>
<style>${STYLE}</style></head>
<body>
${body.filter((part) => part !== "").join("\n")}
</body></html>
`;
}

// ── Charts ──

interface Segment {
  value: number;
  cls: string;
}

interface Row {
  label: Text;
  segments: Segment[];
  /** Written after the bar. */
  value: string;
  /** A label-only row that heads the rows below it. */
  group?: boolean;
}

const ROW = 34;
const BAR_WIDTH = 420;

/**
 * A horizontal bar chart: names on the left in both languages, bars scaled to `max`, the
 * figure after each bar. With `track`, a pale full-length bar behind each shows what `max` is
 * (for shares out of 100%).
 */
function barChart(id: ChartId, title: Text, lang: Language, rows: readonly Row[], max: number, track = false): string {
  // No text measuring without a browser: about 7 px a character at 13 px covers Latin and Lao.
  const chars = Math.max(8, ...rows.filter((r) => !r.group).map((r) => Math.max(r.label(lang).length, r.label(other(lang)).length * 0.85)));
  const labelWidth = Math.min(480, Math.max(120, Math.round(chars * 7) + 12));
  const barX = labelWidth + 10;
  const barWidth = BAR_WIDTH;
  const width = barX + barWidth + 150;
  const height = Math.max(1, rows.length) * ROW + 8;
  const scale = (v: number) => (max > 0 ? (v / max) * barWidth : 0);
  const parts = rows.map((row, i) => {
    const y = 4 + i * ROW;
    if (row.group) return `<text class="group" x="0" y="${y + 21}">${esc(row.label(lang))}</text>`;
    let x = barX;
    const rects = row.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const w = Math.max(1.5, scale(s.value));
        const rect = `<rect class="${s.cls}" x="${fix(x)}" y="${y + 7}" width="${fix(w)}" height="20"/>`;
        x += w;
        return rect;
      });
    return [
      `<text x="${labelWidth}" y="${y + 15}" text-anchor="end">${esc(row.label(lang))}</text>`,
      `<text class="alt" x="${labelWidth}" y="${y + 29}" text-anchor="end">${esc(row.label(other(lang)))}</text>`,
      `<line x1="${barX}" y1="${y + 4}" x2="${barX}" y2="${y + 30}" stroke="#9aa5b1"/>`,
      track ? `<rect class="track" x="${barX}" y="${y + 7}" width="${barWidth}" height="20"/>` : "",
      ...rects,
      `<text class="v" x="${fix(x + 6)}" y="${y + 22}">${esc(row.value)}</text>`,
    ].join("");
  });
  if (rows.length === 0) parts.push(`<text class="empty" x="0" y="24">${esc(label("report.no_consults")(lang))}</text>`);
  return `<svg data-chart="${id}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title(lang))}"><title>${esc(title(lang))} / ${esc(title(other(lang)))}</title>${parts.join("\n")}</svg>`;
}

function districtChart(report: ConsultReport, lang: Language): string {
  const rows = report.districts.map((d) => ({
    label: named(d.name),
    segments: PRIORITIES.map((p) => ({ value: d.consultsByPriority[p], cls: p })),
    value: String(d.consults),
  }));
  return barChart("by_district", label("report.by_district"), lang, rows, Math.max(0, ...report.districts.map((d) => d.consults)));
}

function distributionChart(report: ConsultReport, lang: Language): string {
  const rows: Row[] = report.responseBands.map((band, i) => ({ label: bandLabel(report, i), segments: [{ value: band.consults, cls: "ours" }], value: String(band.consults) }));
  rows.push({ label: label("report.unanswered"), segments: [{ value: report.all.unanswered, cls: "unanswered" }], value: String(report.all.unanswered) });
  return barChart("response_distribution", label("report.response_distribution"), lang, rows, Math.max(0, ...rows.map((r) => r.segments[0]?.value ?? 0)));
}

/** Our median, overall and per district, with the published Ghana figure as a dashed bar below it. */
function medianChart(report: ConsultReport, lang: Language): string {
  const bar = (minutes: number | null, cls: string) => (minutes === null ? [] : [{ value: minutes, cls }]);
  const rows: Row[] = [
    { label: label("report.all_districts"), segments: bar(report.all.medianMinutes, "all"), value: minutesText(report.all.medianMinutes)(lang) },
    ...report.districts.map((d) => ({ label: named(d.name), segments: bar(d.medianMinutes, "ours"), value: minutesText(d.medianMinutes)(lang) })),
    {
      label: label("report.reference_label"),
      segments: [{ value: report.reference.medianResponseMinutes, cls: "reference" }],
      value: minutesText(report.reference.medianResponseMinutes)(lang),
    },
  ];
  const max = Math.max(0, ...rows.flatMap((r) => r.segments.map((s) => s.value)));
  return barChart("median_by_district", label("report.median_by_district"), lang, rows, max);
}

function withinTargetChart(report: ConsultReport, lang: Language): string {
  const rows = report.priorities.map((p) => ({
    label: (l: Language) => `${priorityLabel(p.id)(l)} · ${t(l, "report.target_minutes", { minutes: p.targetMinutes })}`,
    segments: p.percentWithinTarget === null ? [] : [{ value: p.percentWithinTarget, cls: p.id }],
    value: p.percentWithinTarget === null ? "–" : `${percentText(p.percentWithinTarget)} (${of(p.withinTarget, p.consults - p.pending)(lang)})`,
  }));
  return barChart("within_target", label("report.within_target_by_priority"), lang, rows, 100, true);
}

function escalationChart(report: ConsultReport, lang: Language): string {
  const rows = report.escalation.flatMap((row): Row[] => {
    const cls: Priority = row.priority;
    return [
      { label: (l) => `${priorityLabel(row.priority)(l)} (${row.consults})`, segments: [], value: "", group: true },
      { label: label("report.no_step"), segments: [{ value: row.noStep, cls: "unanswered" }], value: of(row.noStep, row.consults)(lang) },
      ...row.steps.map((step) => ({ label: stepLabel(step), segments: [{ value: step.reached, cls }], value: of(step.reached, row.consults)(lang) })),
    ];
  });
  return barChart("escalation", label("report.escalation"), lang, rows, Math.max(0, ...report.escalation.map((r) => r.consults)));
}

function outcomesChart(report: ConsultReport, lang: Language): string {
  const cls = (o: Outcome) => (o === "maternal_death" || o === "newborn_death" ? "death" : "outcome");
  const rows: Row[] = OUTCOMES.map((o) => ({ label: outcomeLabel(o), segments: [{ value: report.outcomes[o], cls: cls(o) }], value: String(report.outcomes[o]) }));
  rows.push({ label: label("report.outcome_not_recorded"), segments: [{ value: report.closedWithoutOutcome, cls: "unanswered" }], value: String(report.closedWithoutOutcome) });
  return barChart("outcomes", label("report.outcomes"), lang, rows, Math.max(0, ...rows.map((r) => r.segments[0]?.value ?? 0)));
}

function legend(lang: Language): string {
  return `<div class="legend">${PRIORITIES.map((p) => `<span><i class="${p}"></i>${esc(priorityLabel(p)(lang))} / ${esc(priorityLabel(p)(other(lang)))}</span>`).join("")}</div>`;
}

// ── Tables ──

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => (cell.startsWith("<td") ? cell : `<td>${cell}</td>`)).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** A right-aligned cell for a figure. */
function num(value: string | number): string {
  return `<td class="n">${esc(String(value))}</td>`;
}

function fix(x: number): string {
  return String(Math.round(x * 10) / 10);
}
