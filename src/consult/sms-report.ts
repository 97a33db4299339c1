// SMS figures for `!stats` and `mchlink report`: pages sent by SMS, delivered,
// acknowledged by SMS, failed, and the times between. Pure over the recorded pages.
import type { Language } from "../config/schema.ts";
import { escapeHtml, paragraph, t, type Block } from "../i18n/index.ts";
import { formatDateTime } from "./local-time.ts";
import { formatWait } from "./messages.ts";
import type { SmsPage } from "./sms-store.ts";

export interface SmsSummary {
  pages: number;
  sent: number;
  delivered: number;
  acknowledged: number;
  failed: number;
  /** Medians over the pages that got there, in milliseconds; null when none did. */
  medianDeliveryMs: number | null;
  medianAckMs: number | null;
}

export function smsSummary(pages: readonly SmsPage[]): SmsSummary {
  const sent = pages.filter((p) => p.sentAt !== undefined);
  const delivered = sent.filter((p) => p.deliveredAt !== undefined);
  const acked = sent.filter((p) => p.ackedAt !== undefined);
  return {
    pages: pages.length,
    sent: sent.length,
    delivered: delivered.length,
    acknowledged: acked.length,
    failed: pages.filter((p) => p.failure !== undefined).length,
    medianDeliveryMs: median(delivered.map((p) => p.deliveredAt! - p.sentAt!)),
    medianAckMs: median(acked.map((p) => p.ackedAt! - p.sentAt!)),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Under `!stats`: the counts and the median times. */
export function smsStatsBlocks(summary: SmsSummary, lang: Language): Block[] {
  const time = (ms: number | null) => (ms === null ? "–" : ms < 60_000 ? `${Math.round(ms / 1000)} s` : formatWait(lang, ms));
  return [
    paragraph(t(lang, "stats.sms", { sent: summary.sent, delivered: summary.delivered, acknowledged: summary.acknowledged, failed: summary.failed })),
    paragraph(t(lang, "stats.sms_times", { delivery: time(summary.medianDeliveryMs), acknowledgement: time(summary.medianAckMs) })),
  ];
}

/** Every page with its times, for the report (Markdown). */
export function smsReportMarkdown(pages: readonly SmsPage[], summary: SmsSummary, lang: Language, timezone: string): string {
  const at = (ms: number | undefined) => (ms === undefined ? "–" : formatDateTime(timezone, ms));
  const rows = pages.map((p) => `| ${p.caseId} | ${p.userId} | ${at(p.sentAt)} | ${at(p.deliveredAt)} | ${at(p.ackedAt)} | ${p.failure ?? ""} |`);
  const columns = t(lang, "report.sms_columns");
  return [
    `## ${t(lang, "report.sms_title")}`,
    "",
    t(lang, "stats.sms", { sent: summary.sent, delivered: summary.delivered, acknowledged: summary.acknowledged, failed: summary.failed }),
    "",
    `| ${columns} |`,
    `|${columns
      .split("|")
      .map(() => "---")
      .join("|")}|`,
    ...rows,
    "",
  ].join("\n");
}

/** The same for the HTML report: one section, every text escaped. */
export function smsReportHtml(pages: readonly SmsPage[], summary: SmsSummary, lang: Language, timezone: string): string {
  const at = (ms: number | undefined) => (ms === undefined ? "–" : formatDateTime(timezone, ms));
  const head = t(lang, "report.sms_columns")
    .split("|")
    .map((c) => `<th>${escapeHtml(c.trim())}</th>`)
    .join("");
  const rows = pages.map((p) => `<tr>${[p.caseId, p.userId, at(p.sentAt), at(p.deliveredAt), at(p.ackedAt), p.failure ?? ""].map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`);
  return [
    `<section><h2>${escapeHtml(t(lang, "report.sms_title"))}</h2>`,
    `<p>${escapeHtml(t(lang, "stats.sms", { sent: summary.sent, delivered: summary.delivered, acknowledged: summary.acknowledged, failed: summary.failed }))}</p>`,
    `<table><thead><tr>${head}</tr></thead><tbody>`,
    ...rows,
    "</tbody></table></section>",
  ].join("\n");
}

/** CSV rows in the report's columns (section, id, name_en, name_lo, metric, value): the totals, then each page's times. */
export function smsReportCsvRows(pages: readonly SmsPage[], summary: SmsSummary): string {
  const field = (v: string | number | null) => (v === null ? "" : typeof v === "number" ? String(v) : `"${v.replace(/"/g, '""')}"`);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const rows: (string | number | null)[][] = [
    ...(["pages", "sent", "delivered", "acknowledged", "failed"] as const).map((m) => ["sms", "", "", "", m, summary[m]]),
    ["sms", "", "", "", "median_delivery_seconds", summary.medianDeliveryMs === null ? null : summary.medianDeliveryMs / 1000],
    ["sms", "", "", "", "median_acknowledgement_seconds", summary.medianAckMs === null ? null : summary.medianAckMs / 1000],
    ...pages.flatMap((p) => [
      ["sms_page", p.caseId, "", "", "sent_at", iso(p.sentAt)],
      ["sms_page", p.caseId, "", "", "delivered_at", iso(p.deliveredAt)],
      ["sms_page", p.caseId, "", "", "acknowledged_at", iso(p.ackedAt)],
      ["sms_page", p.caseId, "", "", "failure", p.failure ?? null],
    ]),
  ];
  return rows.map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}
