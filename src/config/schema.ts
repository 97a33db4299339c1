// The province description: the single source of truth that `mchlink plan/apply`
// converges the homeserver to and that the bot reads its roster, rules and rota from.
// Field names are the users' words (district, facility, provider, expert, on-call).
import { z } from "zod";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "lowercase letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit");

/** Text shown to people: always both languages. */
export const Localized = z.object({
  en: z.string().min(1),
  lo: z.string().min(1),
  /** Set when the Lao text has been checked by a native clinical speaker. */
  lo_reviewed: z.boolean().default(false),
});
export type Localized = z.infer<typeof Localized>;

const phone = z.string().regex(/^\+?[0-9][0-9 -]{5,20}$/, "a phone number such as +856 84 211 000");
const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, "a duration such as 30s, 5m, 2h or 180d");

export const Language = z.enum(["lo", "en"]);
export type Language = z.infer<typeof Language>;
export const Role = z.enum(["provider", "expert", "coordinator", "admin"]);
export type Role = z.infer<typeof Role>;
export const Specialty = z.enum(["obstetrics", "paediatrics", "general"]);
export type Specialty = z.infer<typeof Specialty>;
export const Priority = z.enum(["emergency", "urgent", "routine"]);
export type Priority = z.infer<typeof Priority>;

export const Facility = z.object({
  id,
  name: Localized,
  kind: z.enum(["provincial_hospital", "district_hospital", "health_centre"]),
  phone: phone.optional(),
});
export type Facility = z.infer<typeof Facility>;

export const District = z.object({
  id,
  name: Localized,
  facilities: z.array(Facility).min(1),
  /** Whether the district's consult room may federate; district rooms stay local by default. */
  federate: z.boolean().default(false),
});
export type District = z.infer<typeof District>;

export const Person = z.object({
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
export const PartnerExpert = z.object({
  user_id: z.string().regex(/^@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(:\d+)?$/, "a Matrix user ID such as @dr.noy:partner.example"),
  name: z.string().min(1).max(80),
  specialty: Specialty,
  language: Language.default("en"),
});
export type PartnerExpert = z.infer<typeof PartnerExpert>;

const RoomSettings = z.object({
  name: Localized,
  topic: Localized,
  federate: z.boolean().default(false),
});

export const Rooms = z.object({
  space: RoomSettings,
  experts: RoomSettings,
  announcements: RoomSettings,
  training: RoomSettings,
  /** Template for each district's consult room; `{district}` is replaced by the district name. */
  district: z.object({ name: Localized, topic: Localized }),
});

export const Rules = z.object({
  /** The number to phone when the network fails or no expert answers. */
  hospital_phone: phone,
  /** What answer time to expect, per priority, in minutes. */
  expected_answer_minutes: z.object({ emergency: z.number().int().positive(), urgent: z.number().int().positive(), routine: z.number().int().positive() }),
  items: z.array(Localized).min(1),
});

const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day such as 08:00");
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-12-24");

export const OnCallShift = z.object({ days: z.array(weekday).min(1), from: clock, to: clock, expert: z.string() });
export const OnCall = z.object({
  /** Weekly pattern in the province's time zone; a shift whose `to` is before `from` runs past midnight. */
  weekly: z.array(OnCallShift).min(1),
  backup: z.string(),
  overrides: z.array(z.object({ from: date, to: date, expert: z.string() })).default([]),
});

export const EscalationStep = z.object({
  after: duration,
  action: z.enum(["page_backup", "post_experts_room", "page_all_experts", "alert_coordinator", "page_partner_experts", "advise_phone_and_referral"]),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const Province = z.object({
  version: z.literal(1),
  province: z.object({
    id,
    name: Localized,
    /** Prefix of case ids, e.g. BK for BK-0042. */
    case_prefix: z.string().regex(/^[A-Z]{2,4}$/, "two to four capital letters"),
    timezone: z.string().default("Asia/Vientiane"),
  }),
  homeserver: z.object({
    server_name: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a server name such as matrix.bokeo.example"),
  }),
  federation: z
    .object({
      /** Allow-list of partner homeservers; empty means no federation at all. */
      partners: z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a server name")).default([]),
      partner_experts: z.array(PartnerExpert).default([]),
    })
    .default({ partners: [], partner_experts: [] }),
  retention: z.object({ min_lifetime: duration, max_lifetime: duration }),
  bot: z.object({ id, name: z.string().min(1), command_prefix: z.string().min(1).max(3).default("!") }),
  rules: Rules,
  rooms: Rooms,
  districts: z.array(District).min(1),
  people: z.array(Person).min(1),
  oncall: z.record(Specialty, OnCall).default({}),
  escalation: z.record(Priority, z.array(EscalationStep)).default({}),
  tags: z.record(Priority, z.array(z.string().regex(/^#\S+$/, "a tag starting with #"))).default({}),
});
export type Province = z.infer<typeof Province>;
