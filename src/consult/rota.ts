// Who is on call for a specialty at a given instant: the weekly pattern of the config in
// the province's time zone, replaced by the config's dated overrides (leave, holidays),
// replaced in turn by what a coordinator set with `!oncall set` (kept in the store).
// Everyone is named by Matrix user ID, so partner experts and local ones page alike.
import { personById } from "../config/lookup.ts";
import type { OnCall, OnCallShift, Province, Specialty } from "../config/schema.ts";
import { addDays, clockMinutes, localTime, WEEKDAYS, zonedInstant, type LocalTime } from "./local-time.ts";

export type RotaSlot = "expert" | "backup";

/** A coordinator's change to the rota, from `!oncall set`: who covers a slot from one instant to another. */
export interface RotaOverride {
  id?: number;
  specialty: Specialty;
  slot: RotaSlot;
  userId: string;
  from: number;
  /** Exclusive. */
  to: number;
  setBy: string;
  setAt: number;
}

export interface OnCallNow {
  /** Undefined when the weekly pattern has a gap and nothing overrides it. */
  expert?: string;
  backup?: string;
  /** When the weekly shift (or the day of a dated override) that gives `expert` ends. */
  until?: number;
}

/** A roster id (a local person's id or a partner's user_id) as a Matrix user ID. */
export function userIdOf(province: Province, id: string): string {
  return id.startsWith("@") ? id : `@${id}:${province.homeserver.server_name}`;
}

/** The display name of a local person or partner expert, else the user ID itself. */
export function nameOf(province: Province, userId: string): string {
  const partner = province.federation.partner_experts.find((p) => p.user_id === userId);
  if (partner) return partner.name;
  const server = `:${province.homeserver.server_name}`;
  if (userId.startsWith("@") && userId.endsWith(server)) {
    const person = personById(province, userId.slice(1, -server.length));
    if (person) return person.name;
  }
  return userId;
}

/**
 * Who is on call for `specialty` at `instant`. Precedence: a coordinator's override covering
 * the instant (the most recently set wins), then a dated override in the config (whole local
 * days, the first listed wins), then the first weekly shift covering the local time. A shift
 * whose `to` is before its `from` runs past midnight into the next day. Returns an empty
 * object for a specialty without a rota.
 */
export function onCallAt(province: Province, specialty: Specialty, instant: number, overrides: readonly RotaOverride[]): OnCallNow {
  const rota = province.oncall[specialty];
  const set = (slot: RotaSlot) => overrides.filter((o) => o.specialty === specialty && o.slot === slot && o.from <= instant && instant < o.to).sort((a, b) => b.setAt - a.setAt)[0];
  const expertOverride = set("expert");
  const backupOverride = set("backup");
  const planned = rota ? plannedAt(province, rota, instant) : {};
  return {
    ...(expertOverride ? { expert: expertOverride.userId, until: expertOverride.to } : planned),
    ...(backupOverride ? { backup: backupOverride.userId } : rota ? { backup: userIdOf(province, rota.backup) } : {}),
  };
}

function plannedAt(province: Province, rota: OnCall, instant: number): { expert?: string; until?: number } {
  const tz = province.province.timezone;
  const local = localTime(tz, instant);
  const dated = rota.overrides.find((o) => o.from <= local.date && local.date <= o.to);
  if (dated) return { expert: userIdOf(province, dated.expert), until: zonedInstant(tz, addDays(dated.to, 1), 0) };
  for (const shift of rota.weekly) {
    const start = shiftStart(shift, local);
    if (start !== undefined) return { expert: userIdOf(province, shift.expert), until: shiftEnd(tz, shift, start) };
  }
  return {};
}

/** The local date the shift covering `local` began on, or undefined if it does not cover it. */
function shiftStart(shift: OnCallShift, local: LocalTime): string | undefined {
  const from = clockMinutes(shift.from);
  const to = clockMinutes(shift.to);
  const on = (weekday: string) => (shift.days as readonly string[]).includes(weekday);
  if (from < to) return on(local.weekday) && from <= local.minutes && local.minutes < to ? local.date : undefined;
  if (on(local.weekday) && local.minutes >= from) return local.date;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(local.weekday) + 6) % 7]!;
  if (on(yesterday) && local.minutes < to) return addDays(local.date, -1);
  return undefined;
}

function shiftEnd(timeZone: string, shift: OnCallShift, startDate: string): number {
  const from = clockMinutes(shift.from);
  const to = clockMinutes(shift.to);
  return zonedInstant(timeZone, from < to ? startDate : addDays(startDate, 1), to);
}
