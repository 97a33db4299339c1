// `!stats [days]`: the report's headline figures as a short reply for the experts' room.
import type { Language } from "../config/schema.ts";
import { bold, heading, list, reply, source, t, type Reply } from "../i18n/index.ts";
import { label, minutesText, referenceNote, withinText } from "./report-labels.ts";
import type { ConsultReport } from "./report.ts";

export function statsHeadline(report: ConsultReport, lang: Language): Reply {
  const all = report.all;
  const item = (key: Parameters<typeof label>[0], value: string) => [bold(label(key)(lang)), `: ${value}`];
  const unanswered = all.unanswered > 0 ? ` (${t(lang, "stats.unanswered", { count: all.unanswered })})` : "";
  return reply(
    heading(t(lang, "stats.title", { from: report.period.from, to: report.period.to })),
    list([
      item("report.consults", String(all.consults)),
      [...item("report.median", minutesText(all.medianMinutes)(lang)), " · ", ...item("report.ninetieth_percentile", minutesText(all.p90Minutes)(lang)), unanswered],
      item("report.within_target", withinText(all)(lang)),
      item("report.referrals", String(report.referrals.count)),
      item("report.open_now", String(report.openNow)),
    ]),
    source(referenceNote(report)(lang)),
  );
}
