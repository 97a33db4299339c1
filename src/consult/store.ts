// What the bot remembers about consults, over the bot's database (migration 3 in
// src/store/db.ts). Metadata only: ids, times, people, facilities; never clinical text.
// Every change that a message causes is keyed by that message's event id, and every
// ladder step by (case, run, step), so that work repeated after a crash changes nothing
// twice and the replies can be repeated with the same transaction ids.
import type { DatabaseSync } from "node:sqlite";
import type { Priority, Specialty } from "../config/schema.ts";
import { transaction } from "../store/db.ts";
import type { ConsultRecord, ConsultStatus, Outcome } from "./types.ts";
import type { RotaOverride, RotaSlot } from "./rota.ts";

/** A consult as stored: the shared record plus where its ladder stands. */
export interface Consult extends ConsultRecord {
  /** 0 at the opening, one more at each escalation or reopening. */
  ladderRun: number;
  ladderStartedAt: number;
}

export type AckVia = "reply" | "reaction" | "command" | "sms";

export interface NewConsult {
  requestEventId: string;
  roomId: string;
  districtId: string;
  facilityId: string;
  requester: string;
  priority: Priority;
  specialty: Specialty;
  openedBy: "command" | "tag";
  openedAt: number;
}

export interface FiredStep {
  caseId: string;
  run: number;
  stepIndex: number;
  action: string;
  dueAt: number;
  firedAt: number;
  status: "claimed" | "done";
}

export interface LadderRun {
  caseId: string;
  run: number;
  cause: "escalate" | "reopen";
  fromPriority: Priority;
  toPriority: Priority;
  by: string;
  eventId: string;
  at: number;
}

export interface Page {
  caseId: string;
  cause: string;
  userId: string;
  at: number;
}

export interface Acknowledgement {
  caseId: string;
  userId: string;
  via: AckVia;
  eventId: string;
  at: number;
}

export interface Referral {
  eventId: string;
  caseId: string;
  facilityId: string;
  by: string;
  at: number;
}

export interface StatusChange {
  eventId: string;
  caseId: string;
  status: ConsultStatus;
  outcome?: Outcome;
  by: string;
  at: number;
}

interface ConsultRow {
  case_id: string;
  request_event_id: string;
  room_id: string;
  district_id: string;
  facility_id: string;
  requester: string;
  priority: Priority;
  specialty: Specialty;
  opened_by: "command" | "tag";
  opened_at: number;
  ladder_run: number;
  ladder_started_at: number;
  escalation_step: number;
  first_response_at: number | null;
  first_responder: string | null;
  status: ConsultStatus;
  closed_at: number | null;
  outcome: Outcome | null;
  referred_to: string | null;
  referred_at: number | null;
}

function toConsult(row: ConsultRow): Consult {
  return {
    caseId: row.case_id,
    requestEventId: row.request_event_id,
    roomId: row.room_id,
    districtId: row.district_id,
    facilityId: row.facility_id,
    requester: row.requester,
    priority: row.priority,
    specialty: row.specialty,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    escalationStep: row.escalation_step,
    status: row.status,
    ladderRun: row.ladder_run,
    ladderStartedAt: row.ladder_started_at,
    ...(row.first_response_at !== null ? { firstResponseAt: row.first_response_at } : {}),
    ...(row.first_responder !== null ? { firstResponder: row.first_responder } : {}),
    ...(row.closed_at !== null ? { closedAt: row.closed_at } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome } : {}),
    ...(row.referred_to !== null ? { referredTo: row.referred_to } : {}),
    ...(row.referred_at !== null ? { referredAt: row.referred_at } : {}),
  };
}

interface RotaOverrideRow {
  id: number;
  specialty: Specialty;
  slot: RotaSlot;
  user_id: string;
  from_ts: number;
  to_ts: number;
  set_by: string;
  set_at: number;
}

function toRotaOverride(r: RotaOverrideRow): RotaOverride {
  return { id: r.id, specialty: r.specialty, slot: r.slot, userId: r.user_id, from: r.from_ts, to: r.to_ts, setBy: r.set_by, setAt: r.set_at };
}

export class ConsultStore {
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Opens a consult for a request, or finds the one already opened for it: the request's
   * event id is unique, so handling the same event twice never opens a second consult.
   */
  open(consult: NewConsult, prefix: string): { consult: Consult; created: boolean } {
    return transaction(this.db, () => {
      const existing = this.byRequestEvent(consult.requestEventId);
      if (existing) return { consult: existing, created: false };
      const row = this.db.prepare("INSERT INTO case_counters (prefix, last) VALUES (?, 1) ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last").get(prefix) as { last: number };
      const caseId = `${prefix}-${String(row.last).padStart(4, "0")}`;
      this.db
        .prepare(
          `INSERT INTO consults (case_id, request_event_id, room_id, district_id, facility_id, requester, priority, specialty, opened_by, opened_at, ladder_started_at, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
        )
        .run(
          caseId,
          consult.requestEventId,
          consult.roomId,
          consult.districtId,
          consult.facilityId,
          consult.requester,
          consult.priority,
          consult.specialty,
          consult.openedBy,
          consult.openedAt,
          consult.openedAt,
        );
      return { consult: this.get(caseId)!, created: true };
    });
  }

  get(caseId: string): Consult | undefined {
    const row = this.db.prepare("SELECT * FROM consults WHERE case_id = ?").get(caseId.toUpperCase()) as ConsultRow | undefined;
    return row && toConsult(row);
  }

  byRequestEvent(eventId: string): Consult | undefined {
    const row = this.db.prepare("SELECT * FROM consults WHERE request_event_id = ?").get(eventId) as ConsultRow | undefined;
    return row && toConsult(row);
  }

  /** The consult an event stands for: its request, or one of the bot's messages linked to it. */
  byEvent(eventId: string): Consult | undefined {
    const row = this.db.prepare("SELECT c.* FROM consults c LEFT JOIN consult_events e ON e.case_id = c.case_id WHERE c.request_event_id = ? OR e.event_id = ? LIMIT 1").get(eventId, eventId) as
      | ConsultRow
      | undefined;
    return row && toConsult(row);
  }

  /** Remembers that an event belongs to a consult: the bot's card or a page, or a message that replied within it. */
  linkEvent(caseId: string, eventId: string): void {
    this.db.prepare("INSERT OR IGNORE INTO consult_events (event_id, case_id) VALUES (?, ?)").run(eventId, caseId);
  }

  /** Open consults, oldest first; in one room if given. */
  openConsults(roomId?: string): Consult[] {
    const rows = (roomId === undefined
      ? this.db.prepare("SELECT * FROM consults WHERE status = 'open' ORDER BY opened_at, rowid").all()
      : this.db.prepare("SELECT * FROM consults WHERE status = 'open' AND room_id = ? ORDER BY opened_at, rowid").all(roomId)) as unknown as ConsultRow[];
    return rows.map(toConsult);
  }

  /** Consults opened in [from, to), oldest first: what the reports read. */
  openedBetween(from: number, to: number): Consult[] {
    const rows = this.db.prepare("SELECT * FROM consults WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at, rowid").all(from, to) as unknown as ConsultRow[];
    return rows.map(toConsult);
  }

  // The ladder.

  /**
   * Claims a ladder step before anything is sent for it. True the first time: the step
   * (case, run, index) can be claimed once only, however often the tick runs or the bot restarts.
   */
  claimStep(step: Omit<FiredStep, "status">): boolean {
    return transaction(this.db, () => {
      const res = this.db
        .prepare("INSERT OR IGNORE INTO escalation_steps (case_id, run, step_index, action, due_at, fired_at, status) VALUES (?, ?, ?, ?, ?, ?, 'claimed')")
        .run(step.caseId, step.run, step.stepIndex, step.action, step.dueAt, step.firedAt);
      if (Number(res.changes) !== 1) return false;
      this.db.prepare("UPDATE consults SET escalation_step = MAX(escalation_step, ?) WHERE case_id = ? AND ladder_run = ?").run(step.stepIndex, step.caseId, step.run);
      return true;
    });
  }

  /** The step's messages were sent, or are no longer needed (the consult was answered or closed meanwhile). */
  markStepDone(caseId: string, run: number, stepIndex: number): void {
    this.db.prepare("UPDATE escalation_steps SET status = 'done' WHERE case_id = ? AND run = ? AND step_index = ?").run(caseId, run, stepIndex);
  }

  firedSteps(caseId: string, run?: number): FiredStep[] {
    const rows = (
      run === undefined
        ? this.db.prepare("SELECT * FROM escalation_steps WHERE case_id = ? ORDER BY run, step_index").all(caseId)
        : this.db.prepare("SELECT * FROM escalation_steps WHERE case_id = ? AND run = ? ORDER BY step_index").all(caseId, run)
    ) as Array<{ case_id: string; run: number; step_index: number; action: string; due_at: number; fired_at: number; status: "claimed" | "done" }>;
    return rows.map((r) => ({ caseId: r.case_id, run: r.run, stepIndex: r.step_index, action: r.action, dueAt: r.due_at, firedAt: r.fired_at, status: r.status }));
  }

  /** Steps claimed but not known to be done: a crash came in between; send them again. */
  unfinishedSteps(): FiredStep[] {
    const rows = this.db.prepare("SELECT case_id FROM escalation_steps WHERE status = 'claimed' GROUP BY case_id").all() as Array<{ case_id: string }>;
    return rows.flatMap((r) => this.firedSteps(r.case_id).filter((s) => s.status === "claimed"));
  }

  /**
   * Starts a new ladder run: the priority is raised (escalate) or the consult is open again
   * (reopen). Keyed by the event that asked for it; undefined if that event already did.
   */
  startRun(change: Omit<LadderRun, "run" | "caseId">, caseId: string): LadderRun | undefined {
    return transaction(this.db, () => {
      if (this.runByEvent(change.eventId)) return undefined;
      const consult = this.get(caseId);
      if (!consult) throw new Error(`no consult ${caseId}`);
      const run = consult.ladderRun + 1;
      this.db
        .prepare("INSERT INTO ladder_runs (case_id, run, cause, from_priority, to_priority, by_user, event_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(caseId, run, change.cause, change.fromPriority, change.toPriority, change.by, change.eventId, change.at);
      this.db.prepare("UPDATE consults SET priority = ?, ladder_run = ?, ladder_started_at = ?, escalation_step = -1 WHERE case_id = ?").run(change.toPriority, run, change.at, caseId);
      return { ...change, caseId, run };
    });
  }

  runByEvent(eventId: string): LadderRun | undefined {
    const row = this.db.prepare("SELECT * FROM ladder_runs WHERE event_id = ?").get(eventId) as
      | { case_id: string; run: number; cause: "escalate" | "reopen"; from_priority: Priority; to_priority: Priority; by_user: string; event_id: string; at: number }
      | undefined;
    return row && { caseId: row.case_id, run: row.run, cause: row.cause, fromPriority: row.from_priority, toPriority: row.to_priority, by: row.by_user, eventId: row.event_id, at: row.at };
  }

  // Paging.

  recordPages(caseId: string, cause: string, userIds: readonly string[], at: number): void {
    const insert = this.db.prepare("INSERT OR IGNORE INTO pages (case_id, cause, user_id, at) VALUES (?, ?, ?, ?)");
    for (const userId of userIds) insert.run(caseId, cause, userId, at);
  }

  /** Who was paged for a cause (in the order paged), or for the whole consult. */
  pages(caseId: string, cause?: string): Page[] {
    const rows = (
      cause === undefined
        ? this.db.prepare("SELECT * FROM pages WHERE case_id = ? ORDER BY at, rowid").all(caseId)
        : this.db.prepare("SELECT * FROM pages WHERE case_id = ? AND cause = ? ORDER BY rowid").all(caseId, cause)
    ) as Array<{ case_id: string; cause: string; user_id: string; at: number }>;
    return rows.map((r) => ({ caseId: r.case_id, cause: r.cause, userId: r.user_id, at: r.at }));
  }

  // Acknowledgements.

  /**
   * Records that `userId` answered. The first answer sets the consult's first response
   * (and so stops its ladder); later ones are kept for the record. Once per person.
   */
  acknowledge(ack: Acknowledgement, firstResponse: boolean): { recorded: boolean; first: boolean } {
    return transaction(this.db, () => {
      const res = this.db.prepare("INSERT OR IGNORE INTO acknowledgements (case_id, user_id, via, event_id, at) VALUES (?, ?, ?, ?, ?)").run(ack.caseId, ack.userId, ack.via, ack.eventId, ack.at);
      if (Number(res.changes) !== 1) return { recorded: false, first: false };
      if (!firstResponse) return { recorded: true, first: false };
      const first = this.db.prepare("UPDATE consults SET first_response_at = ?, first_responder = ? WHERE case_id = ? AND first_response_at IS NULL").run(ack.at, ack.userId, ack.caseId);
      return { recorded: true, first: Number(first.changes) === 1 };
    });
  }

  acknowledgements(caseId: string): Acknowledgement[] {
    const rows = this.db.prepare("SELECT * FROM acknowledgements WHERE case_id = ? ORDER BY at, rowid").all(caseId) as Array<{
      case_id: string;
      user_id: string;
      via: AckVia;
      event_id: string;
      at: number;
    }>;
    return rows.map((r) => ({ caseId: r.case_id, userId: r.user_id, via: r.via, eventId: r.event_id, at: r.at }));
  }

  // Referral, closing, reopening.

  /** Records a referral; false if this event already recorded it. */
  refer(referral: Referral): boolean {
    return transaction(this.db, () => {
      const res = this.db
        .prepare("INSERT OR IGNORE INTO referrals (event_id, case_id, facility_id, by_user, at) VALUES (?, ?, ?, ?, ?)")
        .run(referral.eventId, referral.caseId, referral.facilityId, referral.by, referral.at);
      if (Number(res.changes) !== 1) return false;
      this.db.prepare("UPDATE consults SET referred_to = ?, referred_at = ? WHERE case_id = ?").run(referral.facilityId, referral.at, referral.caseId);
      return true;
    });
  }

  referralByEvent(eventId: string): Referral | undefined {
    const row = this.db.prepare("SELECT * FROM referrals WHERE event_id = ?").get(eventId) as { event_id: string; case_id: string; facility_id: string; by_user: string; at: number } | undefined;
    return row && { eventId: row.event_id, caseId: row.case_id, facilityId: row.facility_id, by: row.by_user, at: row.at };
  }

  referrals(caseId: string): Referral[] {
    const rows = this.db.prepare("SELECT * FROM referrals WHERE case_id = ? ORDER BY at, rowid").all(caseId) as Array<{
      event_id: string;
      case_id: string;
      facility_id: string;
      by_user: string;
      at: number;
    }>;
    return rows.map((r) => ({ eventId: r.event_id, caseId: r.case_id, facilityId: r.facility_id, by: r.by_user, at: r.at }));
  }

  /** Closes (with an outcome) or reopens; false if this event already did. */
  setStatus(change: StatusChange): boolean {
    return transaction(this.db, () => {
      const res = this.db
        .prepare("INSERT OR IGNORE INTO status_changes (event_id, case_id, status, outcome, by_user, at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(change.eventId, change.caseId, change.status, change.outcome ?? null, change.by, change.at);
      if (Number(res.changes) !== 1) return false;
      if (change.status === "closed") {
        this.db.prepare("UPDATE consults SET status = 'closed', closed_at = ?, outcome = ? WHERE case_id = ?").run(change.at, change.outcome ?? null, change.caseId);
      } else {
        this.db.prepare("UPDATE consults SET status = 'open', closed_at = NULL, outcome = NULL WHERE case_id = ?").run(change.caseId);
      }
      return true;
    });
  }

  statusChangeByEvent(eventId: string): StatusChange | undefined {
    const row = this.db.prepare("SELECT * FROM status_changes WHERE event_id = ?").get(eventId) as
      | { event_id: string; case_id: string; status: ConsultStatus; outcome: Outcome | null; by_user: string; at: number }
      | undefined;
    return row && { eventId: row.event_id, caseId: row.case_id, status: row.status, ...(row.outcome !== null ? { outcome: row.outcome } : {}), by: row.by_user, at: row.at };
  }

  // The rota.

  /** Adds a coordinator's override; keyed by the `!oncall set` event, so a repeat adds nothing. */
  addRotaOverride(override: RotaOverride, eventId: string): void {
    this.db
      .prepare("INSERT OR IGNORE INTO rota_overrides (specialty, slot, user_id, from_ts, to_ts, set_by, set_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(override.specialty, override.slot, override.userId, override.from, override.to, override.setBy, override.setAt, eventId);
  }

  rotaOverrideByEvent(eventId: string): RotaOverride | undefined {
    const row = this.db.prepare("SELECT * FROM rota_overrides WHERE event_id = ?").get(eventId) as RotaOverrideRow | undefined;
    return row && toRotaOverride(row);
  }

  /** Ends every override of a specialty still running at `at` (`!oncall clear`). */
  endRotaOverrides(specialty: Specialty, at: number): number {
    return Number(this.db.prepare("UPDATE rota_overrides SET to_ts = ? WHERE specialty = ? AND from_ts <= ? AND to_ts > ?").run(at, specialty, at, at).changes);
  }

  /** Overrides still running at or after `at`. */
  rotaOverrides(at: number): RotaOverride[] {
    const rows = this.db.prepare("SELECT * FROM rota_overrides WHERE to_ts > ? ORDER BY set_at, id").all(at) as unknown as RotaOverrideRow[];
    return rows.map(toRotaOverride);
  }

  // Privacy reminders.

  /** True when `userId` is to be reminded for this consult: the first time, or the same event again. */
  claimPrivacyReminder(caseId: string, userId: string, eventId: string, at: number): boolean {
    return transaction(this.db, () => {
      const row = this.db.prepare("SELECT event_id FROM privacy_reminders WHERE case_id = ? AND user_id = ?").get(caseId, userId) as { event_id: string } | undefined;
      if (row) return row.event_id === eventId;
      this.db.prepare("INSERT INTO privacy_reminders (case_id, user_id, event_id, at) VALUES (?, ?, ?, ?)").run(caseId, userId, eventId, at);
      return true;
    });
  }
}

const stores = new WeakMap<DatabaseSync, ConsultStore>();

/** The consult store over a database, one per database. */
export function consultStoreOf(db: DatabaseSync): ConsultStore {
  let store = stores.get(db);
  if (!store) {
    store = new ConsultStore(db);
    stores.set(db, store);
  }
  return store;
}
