// `!oncall`: who is on call now, and the coordinator's changes to the rota, which are kept
// in the store (so they survive restarts) and win over the config until they end.
import type { BotContext, Outgoing } from "../messaging/types.ts";
import { parseDuration } from "../config/duration.ts";
import { personById } from "../config/lookup.ts";
import { Specialty, type Language } from "../config/schema.ts";
import { bold, list, paragraph, reply, t, tRich } from "../i18n/index.ts";
import { consultStore, refusal } from "./common.ts";
import { addDays, clockMinutes, formatClock, formatDateTime, localTime, zonedInstant } from "./local-time.ts";
import { answer, expertsRoomLanguage, inRoom, specialtyName, type Actor } from "./messages.ts";
import { permitted } from "./permissions.ts";
import { nameOf, onCallAt, userIdOf, type RotaSlot } from "./rota.ts";
import { specialtyWord } from "./tags.ts";

/** Without `for` or `until`, a change lasts to the end of the planned shift, or this long if there is none. */
const DEFAULT_OVERRIDE_MS = 12 * 3_600_000;

/** "14:05" today, else "2026-04-13 14:05". */
function when(ctx: BotContext, instant: number): string {
  const tz = ctx.province.province.timezone;
  return localTime(tz, instant).date === localTime(tz, ctx.clock.now()).date ? formatClock(tz, instant) : formatDateTime(tz, instant);
}

/** Who is on call now for each specialty that has a rota or a coordinator's change. */
export function onCallList(ctx: BotContext, actor: Actor): Outgoing[] {
  const lang = actor.sender.language;
  const now = ctx.clock.now();
  const overrides = consultStore(ctx).rotaOverrides(now);
  const items: string[] = [];
  for (const specialty of Specialty.options) {
    if (!ctx.province.oncall[specialty] && !overrides.some((o) => o.specialty === specialty && o.from <= now)) continue;
    const on = onCallAt(ctx.province, specialty, now, overrides);
    const backup = on.backup !== undefined ? nameOf(ctx.province, on.backup) : "-";
    items.push(
      on.expert !== undefined
        ? t(lang, "oncall.line", { specialty: specialtyName(lang, specialty), expert: nameOf(ctx.province, on.expert), until: when(ctx, on.until ?? now), backup })
        : t(lang, "oncall.line_nobody", { specialty: specialtyName(lang, specialty), backup }),
    );
  }
  if (items.length === 0) return [answer(actor, reply(paragraph(t(lang, "oncall.no_rota"))))];
  return [answer(actor, reply(paragraph(bold(t(lang, "oncall.title"))), list(items)))];
}

export interface OnCallChange {
  specialty: Specialty;
  slot: RotaSlot;
  /** Matrix user ID. */
  userId: string;
  /** Exclusive end; undefined for the default. */
  until?: number;
}

export type ParsedOnCallChange = { ok: true; change: OnCallChange } | { ok: false; message: string };

/**
 * `<specialty> <expert> [backup] [for <duration> | until <HH:MM | YYYY-MM-DD>]`. The expert
 * is a roster id, a Matrix ID or a partner's user_id, and must be an expert of the
 * specialty. `until 08:00` is the next 08:00; `until 2026-04-16` includes that whole day.
 */
export function parseOnCallChange(ctx: BotContext, lang: Language, text: string): ParsedOnCallChange {
  const words = text
    .trim()
    .split(/\s+/u)
    .filter((w) => w !== "");
  const specialty = words[0] !== undefined ? specialtyWord(words[0]) : undefined;
  if (specialty === undefined) return { ok: false, message: t(lang, "oncall.set.usage", { specialties: Specialty.options.join(", ") }) };
  const who = words[1];
  if (who === undefined) return { ok: false, message: t(lang, "oncall.set.usage", { specialties: Specialty.options.join(", ") }) };
  const userId = expertOf(ctx, specialty, who);
  if (userId === undefined) return { ok: false, message: t(lang, "oncall.set.not_expert", { who, specialty: specialtyName(lang, specialty) }) };
  let rest = words.slice(2);
  let slot: RotaSlot = "expert";
  if (rest[0]?.toLowerCase() === "backup") {
    slot = "backup";
    rest = rest.slice(1);
  }
  if (rest.length === 0) return { ok: true, change: { specialty, slot, userId } };
  const [word, value, ...extra] = rest;
  const until = word !== undefined && value !== undefined && extra.length === 0 ? endOf(ctx, word.toLowerCase(), value) : undefined;
  if (until === undefined) return { ok: false, message: t(lang, "oncall.set.bad_period", { period: rest.join(" ") }) };
  return { ok: true, change: { specialty, slot, userId, until } };
}

function expertOf(ctx: BotContext, specialty: Specialty, who: string): string | undefined {
  const { province } = ctx;
  const partner = province.federation.partner_experts.find((p) => p.user_id === who && p.specialty === specialty);
  if (partner) return partner.user_id;
  const server = `:${province.homeserver.server_name}`;
  const id = who.startsWith("@") && who.endsWith(server) ? who.slice(1, -server.length) : who;
  const person = personById(province, id);
  return person?.role === "expert" && person.specialty === specialty ? userIdOf(province, person.id) : undefined;
}

function endOf(ctx: BotContext, word: string, value: string): number | undefined {
  const now = ctx.clock.now();
  const tz = ctx.province.province.timezone;
  if (word === "for") {
    const ms = parseDuration(value);
    return ms !== undefined && ms > 0 ? now + ms : undefined;
  }
  if (word !== "until") return undefined;
  if (/^([01]\d|2[0-3]):[0-5]\d$/u.test(value)) {
    const today = localTime(tz, now).date;
    const instant = zonedInstant(tz, today, clockMinutes(value));
    return instant > now ? instant : zonedInstant(tz, addDays(today, 1), clockMinutes(value));
  }
  if (/^\d{4}-\d{2}-\d{2}$/u.test(value)) {
    const end = zonedInstant(tz, addDays(value, 1), 0);
    return Number.isNaN(end) || end <= now ? undefined : end;
  }
  return undefined;
}

/**
 * A coordinator puts someone on call (or as backup) from now. Kept in the store and keyed
 * by the command's event. The person put on call is told in the experts' room.
 */
export function setOnCall(ctx: BotContext, actor: Actor, change: OnCallChange): Outgoing[] {
  const lang = actor.sender.language;
  if (!permitted(actor.sender.role, "rota")) return [refusal(actor, "rota")];
  const store = consultStore(ctx);
  let stored = store.rotaOverrideByEvent(actor.eventId);
  if (!stored) {
    const now = ctx.clock.now();
    const until = change.until ?? onCallAt(ctx.province, change.specialty, now, []).until ?? now + DEFAULT_OVERRIDE_MS;
    store.addRotaOverride({ specialty: change.specialty, slot: change.slot, userId: change.userId, from: now, to: until, setBy: actor.sender.userId, setAt: now }, actor.eventId);
    stored = store.rotaOverrideByEvent(actor.eventId)!;
  }
  const tz = ctx.province.province.timezone;
  const key = stored.slot === "backup" ? "oncall.set.done_backup" : "oncall.set.done";
  const params = { name: nameOf(ctx.province, stored.userId), specialty: specialtyName(lang, stored.specialty), until: formatDateTime(tz, stored.to) };
  const out: Outgoing[] = [answer(actor, reply(paragraph(t(lang, key, params))))];
  const experts = ctx.roomIds.get("experts");
  if (experts !== undefined) {
    const el = expertsRoomLanguage(ctx.province);
    const told = tRich(el, stored.slot === "backup" ? "oncall.set.told_backup" : "oncall.set.told", {
      name: nameOf(ctx.province, stored.userId),
      specialty: specialtyName(el, stored.specialty),
      until: formatDateTime(tz, stored.to),
      by: actor.sender.displayName,
    });
    out.push(inRoom(experts, reply(paragraph(...told)), { userIds: [stored.userId] }));
  }
  return out;
}

/** Ends the coordinator's changes for a specialty: the planned rota applies again. */
export function clearOnCall(ctx: BotContext, actor: Actor, specialty: Specialty): Outgoing[] {
  const lang = actor.sender.language;
  if (!permitted(actor.sender.role, "rota")) return [refusal(actor, "rota")];
  consultStore(ctx).endRotaOverrides(specialty, ctx.clock.now());
  return [answer(actor, reply(paragraph(t(lang, "oncall.clear.done", { specialty: specialtyName(lang, specialty) }))))];
}
