// The province description: the single source of truth that `mchlink plan/apply`
// converges the homeserver to and that the bot reads its roster, rules and rota from.
// Field names are the users' words (district, facility, provider, expert, on-call).
// Objects are strict: a misspelt field is an error rather than a setting silently ignored.
// Checks that need the whole file (references between sections) live in checks.ts.
import { z } from "zod";
import { internationalPhone } from "./phone.ts";

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "lowercase letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit");

/** Text shown to people: always both languages. */
export const Localized = z.strictObject({
  en: z.string().min(1),
  lo: z.string().min(1),
  /** Set when the Lao text has been checked by a native clinical speaker. */
  lo_reviewed: z.boolean().default(false),
});
export type Localized = z.infer<typeof Localized>;

const phone = z.string().regex(/^\+?[0-9][0-9 -]{5,20}$/, "a phone number such as +856 20 5555 0123");
const duration = z.string().regex(/^\d+(s|m|h|d)$/, "a duration such as 30s, 5m, 2h or 180d");

export const Language = z.enum(["lo", "en"]);
export type Language = z.infer<typeof Language>;
export const Role = z.enum(["provider", "expert", "coordinator", "admin"]);
export type Role = z.infer<typeof Role>;
export const Specialty = z.enum(["obstetrics", "paediatrics", "general"]);
export type Specialty = z.infer<typeof Specialty>;
export const Priority = z.enum(["emergency", "urgent", "routine"]);
export type Priority = z.infer<typeof Priority>;

export const Facility = z.strictObject({
  id,
  name: Localized,
  kind: z.enum(["provincial_hospital", "district_hospital", "health_centre"]),
  phone: phone.optional(),
});
export type Facility = z.infer<typeof Facility>;

export const District = z.strictObject({
  id,
  name: Localized,
  facilities: z.array(Facility).min(1),
  /** Whether the district's consult room may federate; district rooms stay local by default. */
  federate: z.boolean().default(false),
});
export type District = z.infer<typeof District>;

export const Person = z.strictObject({
  /** Matrix localpart: the person logs in with it. */
  id,
  name: z.string().min(1).max(80),
  role: Role,
  facility: id,
  specialty: Specialty.optional(),
  language: Language.default("lo"),
  phone: phone.optional(),
});
export type Person = z.infer<typeof Person>;

/** An expert on a partner hospital's homeserver, known by full Matrix ID. */
export const PartnerExpert = z.strictObject({
  user_id: z.string().regex(/^@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(:\d+)?$/, "a Matrix user ID such as @dr.noy:partner.example"),
  name: z.string().min(1).max(80),
  specialty: Specialty,
  language: Language.default("en"),
});
export type PartnerExpert = z.infer<typeof PartnerExpert>;

const RoomSettings = z.strictObject({
  name: Localized,
  topic: Localized,
  federate: z.boolean().default(false),
});

export const Rooms = z.strictObject({
  space: RoomSettings,
  experts: RoomSettings,
  announcements: RoomSettings,
  training: RoomSettings,
  /** Template for each district's consult room; `{district}` is replaced by the district name. */
  district: z.strictObject({ name: Localized, topic: Localized }),
});
export type Rooms = z.infer<typeof Rooms>;

export const Rules = z.strictObject({
  /** The number to phone when the network fails or no expert answers. */
  hospital_phone: internationalPhone,
  /** What answer time to expect, per priority, in minutes. */
  expected_answer_minutes: z.strictObject({ emergency: z.number().int().positive(), urgent: z.number().int().positive(), routine: z.number().int().positive() }),
  /** `{hospital_phone}`, `{emergency}`, `{urgent}` and `{routine}` are filled in when shown. */
  items: z.array(Localized).min(1),
});
export type Rules = z.infer<typeof Rules>;

const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day such as 08:00");
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-12-24")
  .refine(isCalendarDate, "a date that exists on the calendar");

/** `expert` is a local person's id or a partner expert's user_id. */
export const OnCallShift = z.strictObject({ days: z.array(weekday).min(1), from: clock, to: clock, expert: z.string().min(1) });
export type OnCallShift = z.infer<typeof OnCallShift>;
export const OnCall = z.strictObject({
  /** Weekly pattern in the province's time zone; a shift whose `to` is before `from` runs past midnight. */
  weekly: z.array(OnCallShift).min(1),
  backup: z.string().min(1),
  /** Whole days, both ends included, that replace the weekly pattern (leave, holidays). */
  overrides: z.array(z.strictObject({ from: date, to: date, expert: z.string().min(1) })).default([]),
});
export type OnCall = z.infer<typeof OnCall>;

/** Who a ladder step also pages by SMS (needs the `sms` section): see src/consult/sms.ts. */
export const SmsTarget = z.enum(["on_call", "backup", "all_experts"]);
export type SmsTarget = z.infer<typeof SmsTarget>;

export const EscalationStep = z.strictObject({
  /** Time since the consult was asked, not since the step before. */
  after: duration,
  action: z.enum(["page_backup", "post_experts_room", "page_all_experts", "alert_coordinator", "page_partner_experts", "advise_phone_and_referral"]),
  /** Also page these people by SMS when the step fires (their `phone`, international form). */
  sms: z.array(SmsTarget).min(1).optional(),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

/** Steps run in order; two actions at the same moment are two steps with the same `after`. */
export const DEFAULT_ESCALATION: Record<Priority, EscalationStep[]> = {
  emergency: [
    { after: "5m", action: "page_backup" },
    { after: "5m", action: "post_experts_room" },
    { after: "10m", action: "page_all_experts" },
    { after: "10m", action: "alert_coordinator" },
    { after: "15m", action: "advise_phone_and_referral" },
  ],
  urgent: [
    { after: "20m", action: "page_backup" },
    { after: "20m", action: "post_experts_room" },
    { after: "40m", action: "page_all_experts" },
    { after: "40m", action: "alert_coordinator" },
    { after: "60m", action: "advise_phone_and_referral" },
  ],
  routine: [
    { after: "4h", action: "page_backup" },
    { after: "4h", action: "post_experts_room" },
    { after: "8h", action: "page_all_experts" },
    { after: "8h", action: "alert_coordinator" },
    { after: "24h", action: "advise_phone_and_referral" },
  ],
};

/**
 * The SMS gateway (Kannel's smsbox) and where the bot takes its replies and delivery
 * reports. The gateway's username and password are secrets: they live in the deployment
 * (sms.json, mode 0600), never here.
 */
export const Sms = z.strictObject({
  /** Kannel smsbox's sendsms address, e.g. http://127.0.0.1:13013 (or http://kannel:13013 in compose). */
  gateway: z.url({ protocol: /^https?$/, error: "an http(s) address such as http://127.0.0.1:13013" }),
  /** The sender shown on the phone (an operator may replace it with its own number). */
  sender: z
    .string()
    .regex(/^(\+?[0-9]{3,15}|[A-Za-z0-9]{1,11})$/, "a phone number or up to 11 letters and digits")
    .default("mchlink"),
  /** Where the bot listens for Kannel's replies and delivery reports: loopback or the compose network only. */
  listen: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "host:port such as 127.0.0.1:13080")
    .default("127.0.0.1:13080"),
  /** How Kannel reaches that listener (default: http://<listen>). */
  callback: z.url({ protocol: /^https?$/, error: "an http(s) address such as http://bot:13080" }).optional(),
});
export type Sms = z.infer<typeof Sms>;

export const DEFAULT_TAGS: Record<Priority, string[]> = {
  emergency: ["#emergency"],
  urgent: ["#urgent"],
  routine: ["#routine"],
};

export const Province = z.strictObject({
  version: z.literal(1),
  province: z.strictObject({
    id,
    name: Localized,
    /** Prefix of case ids, e.g. BK for BK-0042. */
    case_prefix: z.string().regex(/^[A-Z]{2,4}$/, "two to four capital letters"),
    timezone: z.string().refine(isTimeZone, "an IANA time zone such as Asia/Vientiane").default("Asia/Vientiane"),
  }),
  homeserver: z.strictObject({
    server_name: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a server name such as matrix.bokeo.example"),
  }),
  federation: z
    .strictObject({
      /** Allow-list of partner homeservers; empty means no federation at all. */
      partners: z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a server name")).default([]),
      partner_experts: z.array(PartnerExpert).default([]),
    })
    .default(() => ({ partners: [], partner_experts: [] })),
  retention: z.strictObject({ min_lifetime: duration, max_lifetime: duration }),
  bot: z.strictObject({ id, name: z.string().min(1), command_prefix: z.string().min(1).max(3).default("!") }),
  rules: Rules,
  rooms: Rooms,
  districts: z.array(District).min(1),
  people: z.array(Person).min(1),
  /** Not every specialty has a rota; a consult in one without goes to the experts room. */
  oncall: z.partialRecord(Specialty, OnCall).default({}),
  /** Every priority needs a ladder; leaving the section out gives DEFAULT_ESCALATION. */
  escalation: z.record(Priority, z.array(EscalationStep)).default(() => structuredClone(DEFAULT_ESCALATION)),
  tags: z.record(Priority, z.array(z.string().regex(/^#\S+$/, "a tag starting with #"))).default(() => structuredClone(DEFAULT_TAGS)),
  /** SMS paging through Kannel; without it no step sends SMS. */
  sms: Sms.optional(),
});
export type Province = z.infer<typeof Province>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
