// How consult messages read and where they go: the language of each room, names of
// people, priorities and durations, and the Outgoing shapes (thread, experts' room).
// Never any clinical text: a consult's messages carry its case id and metadata only.
import type { Outgoing, Sender } from "../messaging/types.ts";
import { districtOfFacility, facilityById } from "../config/lookup.ts";
import type { Language, Priority, Province, Specialty } from "../config/schema.ts";
import { localize, t, type Reply } from "../i18n/index.ts";
import type { EscalationAction } from "./ladder.ts";
import { nameOf } from "./rota.ts";
import type { Consult } from "./store.ts";
import type { Outcome } from "./types.ts";

/** The event that asked for something, and who sent it. Its id keys what it changes. */
export interface Actor {
  sender: Sender;
  eventId: string;
  roomId: string;
  /** Set when the event is in a thread. */
  threadRootId?: string;
}

/** The most common language among people, Lao on a tie (the province's own language). */
export function languageOf(people: readonly { language: Language }[]): Language {
  const en = people.filter((p) => p.language === "en").length;
  return en > people.length - en ? "en" : "lo";
}

/** The experts' room is read by experts and coordinators. */
export function expertsRoomLanguage(province: Province): Language {
  return languageOf(province.people.filter((p) => p.role === "expert" || p.role === "coordinator"));
}

export function priorityName(lang: Language, priority: Priority): string {
  return t(lang, `consult.priority.${priority}`);
}

export function specialtyName(lang: Language, specialty: Specialty): string {
  return t(lang, `consult.specialty.${specialty}`);
}

export function outcomeName(lang: Language, outcome: Outcome): string {
  return t(lang, `consult.outcome.${outcome}`);
}

export function stepName(lang: Language, action: EscalationAction): string {
  return t(lang, `consult.step.${action}`);
}

export function districtName(province: Province, lang: Language, districtId: string): string {
  const district = province.districts.find((d) => d.id === districtId);
  return district ? localize(lang, district.name) : districtId;
}

export function facilityName(province: Province, lang: Language, facilityId: string): string {
  const facility = facilityById(province, facilityId);
  return facility ? localize(lang, facility.name) : facilityId;
}

/** "Facility (District)" */
export function facilityWithDistrict(province: Province, lang: Language, facilityId: string): string {
  const district = districtOfFacility(province, facilityId);
  const name = facilityName(province, lang, facilityId);
  return district ? `${name} (${localize(lang, district.name)})` : name;
}

export function names(province: Province, userIds: readonly string[]): string {
  return userIds.map((id) => nameOf(province, id)).join(", ");
}

/** "7 min", "2 h 5 min", "3 d 4 h": how long something has waited, to the minute. */
export function formatWait(lang: Language, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return t(lang, "consult.duration.minutes", { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t(lang, "consult.duration.hours", { hours, minutes: minutes % 60 });
  return t(lang, "consult.duration.days", { days: Math.floor(hours / 24), hours: hours % 24 });
}

/** A message in the consult's thread, on the request (with the reply fallback). */
export function inThread(consult: Consult, content: Reply, ring?: { userIds?: readonly string[]; room?: boolean }): Outgoing {
  return {
    kind: "message",
    roomId: consult.roomId,
    threadRootId: consult.requestEventId,
    reply: content,
    ...ringing(ring),
  };
}

/** A top-level message in a room, ringing `ring` if given (paging is m.text with mentions). */
export function inRoom(roomId: string, content: Reply, ring?: { userIds?: readonly string[]; room?: boolean }): Outgoing {
  return { kind: "message", roomId, reply: content, ...ringing(ring) };
}

function ringing(ring: { userIds?: readonly string[]; room?: boolean } | undefined): Pick<Extract<Outgoing, { kind: "message" }>, "msgtype" | "mentions"> {
  const userIds = ring?.userIds ?? [];
  if (userIds.length === 0 && !ring?.room) return { msgtype: "m.notice" };
  return { msgtype: "m.text", mentions: { ...(userIds.length > 0 ? { user_ids: [...userIds] } : {}), ...(ring?.room ? { room: true } : {}) } };
}

/** An answer to the actor: in their thread if they wrote in one, else as a reply to their message. */
export function answer(actor: Actor, content: Reply): Outgoing {
  return actor.threadRootId !== undefined
    ? { kind: "message", roomId: actor.roomId, msgtype: "m.notice", threadRootId: actor.threadRootId, reply: content }
    : { kind: "message", roomId: actor.roomId, msgtype: "m.notice", inReplyTo: actor.eventId, reply: content };
}

/** A ✅ on the actor's command when its result is told somewhere else (the consult's thread). */
export function confirm(actor: Actor, consult: Consult): Outgoing[] {
  const inConsultThread = actor.roomId === consult.roomId && actor.threadRootId === consult.requestEventId;
  return inConsultThread ? [] : [{ kind: "reaction", roomId: actor.roomId, eventId: actor.eventId, key: "✅" }];
}
