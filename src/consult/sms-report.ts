// SMS figures for `!stats` and `mchlink report`: pages sent by SMS, delivered,
// acknowledged by SMS, failed, and the times between. Pure over the recorded pages.
import type { Language } from "../config/schema.ts";
import { paragraph, t, type Block } from "../i18n/index.ts";
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
    `|${columns.split("|").map(() => "---").join("|")}|`,
    ...rows,
    "",
  ].join("\n");
}
