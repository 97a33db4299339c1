// Wall-clock time in the province's time zone, with Intl only: the rota is written in
// local days and hours, and people read times in their own zone.

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallParts(timeZone: string, instant: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

export function localTime(timeZone: string, instant: number): LocalTime {
  const p = wallParts(timeZone, instant);
  const weekday = WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]!;
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, weekday, minutes: p.hour * 60 + p.minute };
}

/** "14:05" */
export function formatClock(timeZone: string, instant: number): string {
  const p = wallParts(timeZone, instant);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2026-04-13 14:05" */
export function formatDateTime(timeZone: string, instant: number): string {
  return `${localTime(timeZone, instant).date} ${formatClock(timeZone, instant)}`;
}

/** The instant a local date and time names. A time skipped by a daylight-saving change comes out an hour late (Asia/Vientiane has none). */
export function zonedInstant(timeZone: string, date: string, minutes: number): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetAt(timeZone, guess);
  return guess;
}

/** The local date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "08:30" → 510 */
export function clockMinutes(text: string): number {
  const [h, m] = text.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

function offsetAt(timeZone: string, instant: number): number {
  const p = wallParts(timeZone, instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
