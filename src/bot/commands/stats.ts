// !stats [days]: the report's headline figures, for the experts and the coordinator.
import { computeReport, lastDays } from "../../consult/report.ts";
import { statsHeadline } from "../../consult/report-stats.ts";
import { consultStore } from "../../consult/lifecycle.ts";
import { smsStatsBlocks, smsSummary } from "../../consult/sms-report.ts";
import { smsStoreOf } from "../../consult/sms-store.ts";
import { paragraph, reply, t } from "../../i18n/index.ts";
import { defineCommand, notice } from "./define.ts";

const MAX_DAYS = 366;

export const stats = defineCommand({
  name: "stats",
  summary: "command.stats.summary",
  arguments: [{ name: "days", label: "argument.days" }],
  allowed: { roles: ["expert", "coordinator"], rooms: ["experts"] },
  run(ctx, { days }) {
    const lang = ctx.sender.language;
    const n = days === undefined ? 30 : Number(days);
    if (!Number.isInteger(n) || n < 1 || n > MAX_DAYS) {
      return [notice(ctx, reply(paragraph(t(lang, "stats.bad_days", { max: MAX_DAYS, example: `${ctx.prefix}stats 30` }))))];
    }
    const now = ctx.clock.now();
    const period = lastDays(now, n, ctx.province.province.timezone);
    // Every consult: the report keeps the period's calendar days, and also counts what is open now.
    const consults = consultStore(ctx).openedBetween(0, now + 86_400_000);
    const headline = statsHeadline(computeReport(consults, ctx.province, { ...period, now }), lang);
    if (!ctx.province.sms) return [notice(ctx, headline)];
    const pages = smsStoreOf(ctx.store.db).pagesBetween(now - n * 86_400_000, now + 1);
    return [notice(ctx, reply(...headline.blocks, ...smsStatsBlocks(smsSummary(pages), lang)))];
  },
});
