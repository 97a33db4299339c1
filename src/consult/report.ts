// Report arithmetic: what happened to the consults opened in a period, as plain data that
// the renderers (report-render.ts, report-html.ts, report-stats.ts) turn into text.
// Pure: consults and the province in, numbers out; the caller says what "now" is.
//
// How the figures are defined (the report prints the same notes):
// - A consult belongs to the period when its `openedAt`, read as a calendar date in the
//   province's time zone, falls between `from` and `to`, both included.
// - Response time is from `openedAt` to `firstResponseAt` (the first expert acknowledgement).
//   Consults never answered are counted as `unanswered`, never as a time of zero or of
//   infinity: the median and the 90th percentile are over answered consults only.
// - Median: the middle answered time, or the mean of the two middle ones when their number is even.
// - 90th percentile: nearest rank: sort the n answered times ascending and take the one at
//   rank ceil(0.9 × n) (1-based). It is always a time that really happened.
// - Within target: answered no later than the priority's `rules.expected_answer_minutes`.
//   The share is over the consults whose result is known: answered ones, and unanswered ones
//   that are closed or whose target time has passed. An open unanswered consult still inside
//   its target time is `pending` and left out of the share until it is decided.
// - Times are minutes with one decimal, rounded half up at the end, not before.
// - Outcomes count closed consults only; a closed consult without one is `closedWithoutOutcome`.
// - Escalation: a consult reached step i (0-based) when its highest fired step is i or later.
import { parseDuration } from "../config/duration.ts";
import type { EscalationStep, Priority, Province, Specialty } from "../config/schema.ts";
import { facilities } from "../config/lookup.ts";
import { OUTCOMES, type ConsultRecord, type Outcome } from "./types.ts";

export const PRIORITIES: readonly Priority[] = ["emergency", "urgent", "routine"];
export const SPECIALTIES: readonly Specialty[] = ["obstetrics", "paediatrics", "general"];

/** Upper limits (minutes, included) of the response-time bands; the last band is open-ended. */
export const RESPONSE_BANDS_MINUTES = [5, 10, 15, 30, 60, 240] as const;

/**
 * A published figure shown beside ours for context. It is not a target: another country,
 * another network, another case mix.
 */
export const PUBLISHED_REFERENCE = {
  id: "ghana_obstetric_whatsapp_2022",
  medianResponseMinutes: 17,
  sites: 13,
  source: "PLoS One, 2022",
} as const;

/** Calendar dates in the province time zone, both included. */
export interface Period {
  from: string;
  to: string;
}

export interface Names {
  en: string;
  lo: string;
}

export interface ResponseStats {
  consults: number;
  answered: number;
  unanswered: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** Answered no later than the target of their own priority. */
  withinTarget: number;
  /** Unanswered, open and still inside their target time: not yet counted either way. */
  pending: number;
  /** withinTarget / (consults − pending), in percent with one decimal; null when nothing is decided. */
  percentWithinTarget: number | null;
}

export type DistrictRow = { id: string; name: Names; consultsByPriority: Record<Priority, number> } & ResponseStats;
export type FacilityRow = { id: string; name: Names; districtId: string } & ResponseStats;
export type PriorityRow = { id: Priority; targetMinutes: number } & ResponseStats;
export type SpecialtyRow = { id: Specialty } & ResponseStats;

export interface EscalationRow {
  priority: Priority;
  consults: number;
  /** Consults that reached no step. */
  noStep: number;
  steps: { index: number; afterMinutes: number; action: EscalationStep["action"]; reached: number }[];
}

export interface ConsultReport {
  province: { id: string; name: Names; timezone: string };
  period: Period;
  /** When the figures were taken (ms since the epoch): decides `pending` and `openNow`. */
  asOf: number;
  all: ResponseStats;
  status: { open: number; closed: number };
  /** Open consults now, whenever they were opened (also before the period). */
  openNow: number;
  /** Every district and facility of the config, in config order, even with no consults; then any unknown ids. */
  districts: DistrictRow[];
  facilities: FacilityRow[];
  priorities: PriorityRow[];
  specialties: SpecialtyRow[];
  /** Answered consults per response-time band; `upToMinutes: null` is the open-ended last band. */
  responseBands: { upToMinutes: number | null; consults: number }[];
  escalation: EscalationRow[];
  referrals: { count: number; byFacility: { id: string; name: Names; count: number }[] };
  outcomes: Record<Outcome, number>;
  closedWithoutOutcome: number;
  reference: typeof PUBLISHED_REFERENCE;
}

const MINUTE = 60_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function computeReport(consults: readonly ConsultRecord[], province: Province, options: Period & { now: number }): ConsultReport {
  const { from, to, now } = options;
  if (!DATE.test(from) || !DATE.test(to)) throw new RangeError(`report period needs dates as YYYY-MM-DD, got ${from} to ${to}`);
  const timezone = province.province.timezone;
  const localDate = localDateOf(timezone);
  const inPeriod = consults.filter((c) => {
    const day = localDate(c.openedAt);
    return day >= from && day <= to;
  });
  const stats = (group: readonly ConsultRecord[]) => responseStats(group, province, now);
  const count = <K extends string>(key: (c: ConsultRecord) => K, value: K) => inPeriod.filter((c) => key(c) === value);

  const knownDistricts = province.districts.map((d) => d.id);
  const knownFacilities = facilities(province).map((f) => f.id);
  const districts: DistrictRow[] = withUnknown(
    knownDistricts,
    inPeriod.map((c) => c.districtId),
  ).map((id) => {
    const district = province.districts.find((d) => d.id === id);
    const group = count((c) => c.districtId, id);
    const consultsByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, group.filter((c) => c.priority === p).length])) as Record<Priority, number>;
    return { id, name: names(district?.name, id), consultsByPriority, ...stats(group) };
  });
  const facilityRows: FacilityRow[] = withUnknown(
    knownFacilities,
    inPeriod.map((c) => c.facilityId),
  ).map((id) => {
    const district = province.districts.find((d) => d.facilities.some((f) => f.id === id));
    const facility = district?.facilities.find((f) => f.id === id);
    const group = count((c) => c.facilityId, id);
    return { id, name: names(facility?.name, id), districtId: district?.id ?? group[0]?.districtId ?? "", ...stats(group) };
  });

  const referred = inPeriod.filter((c) => c.referredTo !== undefined);
  const referralCounts = new Map<string, number>();
  for (const c of referred) referralCounts.set(c.referredTo as string, (referralCounts.get(c.referredTo as string) ?? 0) + 1);
  const byFacility = [...referralCounts]
    .map(([id, n]) => {
      const facility = facilities(province).find((f) => f.id === id);
      return { id, name: names(facility?.name, id), count: n };
    })
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));

  const closed = inPeriod.filter((c) => c.status === "closed");
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, closed.filter((c) => c.outcome === o).length])) as Record<Outcome, number>;

  const answeredMs = inPeriod.flatMap((c) => (c.firstResponseAt === undefined ? [] : [responseMs(c)]));
  const bandLimits: (number | null)[] = [...RESPONSE_BANDS_MINUTES, null];
  const responseBands = bandLimits.map((upTo, i) => {
    const lower = i === 0 ? -Infinity : (RESPONSE_BANDS_MINUTES[i - 1] as number) * MINUTE;
    const upper = upTo === null ? Infinity : upTo * MINUTE;
    return { upToMinutes: upTo, consults: answeredMs.filter((ms) => ms > lower && ms <= upper).length };
  });

  return {
    province: { id: province.province.id, name: names(province.province.name, province.province.id), timezone },
    period: { from, to },
    asOf: now,
    all: stats(inPeriod),
    status: { open: inPeriod.length - closed.length, closed: closed.length },
    openNow: consults.filter((c) => c.status === "open").length,
    districts,
    facilities: facilityRows,
    priorities: PRIORITIES.map((id) => ({ id, targetMinutes: province.rules.expected_answer_minutes[id], ...stats(count((c) => c.priority, id)) })),
    specialties: SPECIALTIES.map((id) => ({ id, ...stats(count((c) => c.specialty, id)) })),
    responseBands,
    escalation: PRIORITIES.map((priority) =>
      escalationRow(
        priority,
        province.escalation[priority] ?? [],
        count((c) => c.priority, priority),
      ),
    ),
    referrals: { count: referred.length, byFacility },
    outcomes,
    closedWithoutOutcome: closed.filter((c) => c.outcome === undefined).length,
    reference: PUBLISHED_REFERENCE,
  };
}

/** The last `days` calendar days in the time zone, today included: the period of `!stats [days]`. */
export function lastDays(now: number, days: number, timezone: string): Period {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number of at least 1, got ${days}`);
  const to = localDateOf(timezone)(now);
  return { from: addDays(to, -(days - 1)), to };
}

/** A calendar date moved by whole days (negative: back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The calendar date (YYYY-MM-DD) of an instant, read in `timezone`. */
export function localDateOf(timezone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

/** Median of ascending numbers: the middle one, or the mean of the two middle ones; undefined when empty. */
export function median(sorted: readonly number[]): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (0 < p ≤ 100, whole) of ascending numbers by nearest rank: the value at rank ceil(p·n/100). */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  // p·n/100 from integers, divided once: (7 / 100) × 100 is 7.000000000000001, whose ceiling is 8.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1];
}

function responseStats(group: readonly ConsultRecord[], province: Province, now: number): ResponseStats {
  const times = group.flatMap((c) => (c.firstResponseAt === undefined ? [] : [responseMs(c)])).sort((a, b) => a - b);
  const target = (c: ConsultRecord) => province.rules.expected_answer_minutes[c.priority] * MINUTE;
  const withinTarget = group.filter((c) => c.firstResponseAt !== undefined && responseMs(c) <= target(c)).length;
  const pending = group.filter((c) => c.firstResponseAt === undefined && c.status === "open" && now - c.openedAt < target(c)).length;
  const decided = group.length - pending;
  return {
    consults: group.length,
    answered: times.length,
    unanswered: group.length - times.length,
    medianMinutes: minutes(median(times)),
    p90Minutes: minutes(nearestRank(times, 90)),
    withinTarget,
    pending,
    percentWithinTarget: decided === 0 ? null : oneDecimal((100 * withinTarget) / decided),
  };
}

function escalationRow(priority: Priority, ladder: readonly EscalationStep[], group: readonly ConsultRecord[]): EscalationRow {
  return {
    priority,
    consults: group.length,
    noStep: group.filter((c) => c.escalationStep < 0).length,
    steps: ladder.map((step, index) => ({
      index,
      afterMinutes: (parseDuration(step.after) ?? 0) / MINUTE,
      action: step.action,
      reached: group.filter((c) => c.escalationStep >= index).length,
    })),
  };
}

/** An answer logged before the request (clock skew between servers) counts as immediate. */
function responseMs(c: ConsultRecord): number {
  return Math.max(0, (c.firstResponseAt as number) - c.openedAt);
}

function minutes(ms: number | undefined): number | null {
  return ms === undefined ? null : oneDecimal(ms / MINUTE);
}

function oneDecimal(x: number): number {
  // Rounded from tenths computed once, so 17.75 becomes 17.8 and not 17.7 through 17.749999…
  return Math.round(Number((x * 10).toPrecision(12))) / 10;
}

function names(text: { en: string; lo: string } | undefined, id: string): Names {
  return text ? { en: text.en, lo: text.lo } : { en: id, lo: id };
}

/** The config's ids in order, then ids seen in consults but no longer in the config. */
function withUnknown(known: readonly string[], seen: readonly string[]): string[] {
  const unknown = [...new Set(seen)].filter((id) => !known.includes(id)).sort();
  return [...known, ...unknown];
}
