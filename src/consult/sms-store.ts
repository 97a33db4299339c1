// What the bot remembers about SMS pages (migrations 5 and 6 in src/store/db.ts): each page
// and what became of it, and every SMS answer's outcome. Metadata only: never an SMS's
// text, never a phone number (the page's is read from the province file when it is sent, a
// sender's is kept as a keyed hash), and a page's one-time code only as a keyed hash.
import { createHmac } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { Language } from "../config/schema.ts";
import type { SmsEncoding } from "../sms/segments.ts";
import { transaction } from "../store/db.ts";

export type SmsFailure = "unreachable" | "rejected" | "undelivered" | "no_phone";
export type AnswerOutcome = "acknowledged" | "repeated" | "not_an_answer" | "unknown_number" | "no_page" | "wrong_code" | "rate_limited" | "closed";

export interface SmsPage {
  id: number;
  caseId: string;
  run: number;
  stepIndex: number;
  userId: string;
  /** The keyed hash of the one-time code, made when the page is sent (codeHash below). */
  codeHash?: string;
  language: Language;
  encoding: SmsEncoding;
  segments: number;
  createdAt: number;
  /** `cancelled`: answered or closed before it went out, so it never did. */
  status: "pending" | "sent" | "failed" | "cancelled";
  sentAt?: number;
  acceptedAt?: number;
  deliveredAt?: number;
  failedAt?: number;
  failure?: SmsFailure;
  failureTold: boolean;
  ackedAt?: number;
}

export type NewSmsPage = Pick<SmsPage, "caseId" | "run" | "stepIndex" | "userId" | "language" | "encoding" | "segments" | "createdAt">;

interface PageRow {
  id: number;
  case_id: string;
  run: number;
  step_index: number;
  user_id: string;
  code_hash: string | null;
  language: Language;
  encoding: SmsEncoding;
  segments: number;
  created_at: number;
  status: SmsPage["status"];
  sent_at: number | null;
  accepted_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
  failure: SmsFailure | null;
  failure_told: number;
  acked_at: number | null;
}

function toPage(r: PageRow): SmsPage {
  return {
    id: r.id,
    caseId: r.case_id,
    run: r.run,
    stepIndex: r.step_index,
    userId: r.user_id,
    language: r.language,
    encoding: r.encoding,
    segments: r.segments,
    createdAt: r.created_at,
    status: r.status,
    failureTold: r.failure_told === 1,
    ...(r.code_hash !== null ? { codeHash: r.code_hash } : {}),
    ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
    ...(r.accepted_at !== null ? { acceptedAt: r.accepted_at } : {}),
    ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at } : {}),
    ...(r.failed_at !== null ? { failedAt: r.failed_at } : {}),
    ...(r.failure !== null ? { failure: r.failure } : {}),
    ...(r.acked_at !== null ? { ackedAt: r.acked_at } : {}),
  };
}

export class SmsStore {
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Records a page to send; a page for the same step and person is recorded once, however often asked. */
  addPage(page: NewSmsPage): SmsPage {
    return transaction(this.db, () => {
      this.db
        .prepare(
          `INSERT OR IGNORE INTO sms_pages (case_id, run, step_index, user_id, language, encoding, segments, created_at, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
        )
        .run(page.caseId, page.run, page.stepIndex, page.userId, page.language, page.encoding, page.segments, page.createdAt);
      return this.pageFor(page.caseId, page.run, page.stepIndex, page.userId)!;
    });
  }

  pageFor(caseId: string, run: number, stepIndex: number, userId: string): SmsPage | undefined {
    const row = this.db.prepare("SELECT * FROM sms_pages WHERE case_id = ? AND run = ? AND step_index = ? AND user_id = ?").get(caseId, run, stepIndex, userId) as PageRow | undefined;
    return row && toPage(row);
  }

  page(id: number): SmsPage | undefined {
    const row = this.db.prepare("SELECT * FROM sms_pages WHERE id = ?").get(id) as PageRow | undefined;
    return row && toPage(row);
  }

  /** Whether any SMS page exists for this ladder step (it was planned already). */
  stepPlanned(caseId: string, run: number, stepIndex: number): boolean {
    return this.db.prepare("SELECT 1 FROM sms_pages WHERE case_id = ? AND run = ? AND step_index = ? LIMIT 1").get(caseId, run, stepIndex) !== undefined;
  }

  pending(): SmsPage[] {
    return (this.db.prepare("SELECT * FROM sms_pages WHERE status = 'pending' ORDER BY id").all() as unknown as PageRow[]).map(toPage);
  }

  /** Failed pages the experts' room has not been told about yet. */
  untoldFailures(): SmsPage[] {
    return (this.db.prepare("SELECT * FROM sms_pages WHERE failure IS NOT NULL AND failure_told = 0 ORDER BY id").all() as unknown as PageRow[]).map(toPage);
  }

  /** The pages of one case sent to one person, newest first: an answer may only use these codes. */
  pagesOfCaseTo(caseId: string, userId: string): SmsPage[] {
    return (this.db.prepare("SELECT * FROM sms_pages WHERE case_id = ? AND user_id = ? AND status = 'sent' ORDER BY id DESC").all(caseId, userId) as unknown as PageRow[]).map(toPage);
  }

  pagesBetween(from: number, to: number): SmsPage[] {
    return (this.db.prepare("SELECT * FROM sms_pages WHERE created_at >= ? AND created_at < ? ORDER BY id").all(from, to) as unknown as PageRow[]).map(toPage);
  }

  /** The keyed hash of the code a page is about to carry (a page is sent once, so this is set once). */
  setCodeHash(id: number, hash: string): void {
    this.db.prepare("UPDATE sms_pages SET code_hash = ? WHERE id = ?").run(hash, id);
  }

  /**
   * Hashes the codes migration 6 kept in plain text (pages that could still be answered when
   * it ran) and deletes them. Needs the key, which only the SMS service has. Returns how many.
   */
  hashLegacyCodes(key: string): number {
    return transaction(this.db, () => {
      const rows = this.db.prepare("SELECT page_id, code FROM sms_codes_to_hash").all() as Array<{ page_id: number; code: string }>;
      for (const row of rows) this.setCodeHash(row.page_id, codeHash(key, row.page_id, row.code));
      this.db.exec("DELETE FROM sms_codes_to_hash");
      return rows.length;
    });
  }

  markSent(id: number, at: number): void {
    this.db.prepare("UPDATE sms_pages SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'pending'").run(at, id);
  }

  markCancelled(id: number): void {
    this.db.prepare("UPDATE sms_pages SET status = 'cancelled' WHERE id = ? AND status = 'pending'").run(id);
  }

  markFailed(id: number, failure: SmsFailure, at: number): void {
    this.db.prepare("UPDATE sms_pages SET status = 'failed', failure = ?, failed_at = ? WHERE id = ?").run(failure, at, id);
  }

  markFailureTold(id: number): void {
    this.db.prepare("UPDATE sms_pages SET failure_told = 1 WHERE id = ?").run(id);
  }

  /** A delivery report. Kannel's types: 1 delivered, 2 failed on the phone's side, 8 accepted by the operator, 16 rejected by it. */
  recordDelivery(id: number, type: number, at: number): void {
    if (type & 1) this.db.prepare("UPDATE sms_pages SET delivered_at = COALESCE(delivered_at, ?) WHERE id = ?").run(at, id);
    if (type & 8) this.db.prepare("UPDATE sms_pages SET accepted_at = COALESCE(accepted_at, ?) WHERE id = ?").run(at, id);
    if (type & 2 || type & 16) this.db.prepare("UPDATE sms_pages SET failure = COALESCE(failure, 'undelivered'), failed_at = COALESCE(failed_at, ?) WHERE id = ? AND delivered_at IS NULL").run(at, id);
  }

  /** Uses the page's code: true the first time only (a one-time code). */
  useCode(id: number, at: number): boolean {
    return Number(this.db.prepare("UPDATE sms_pages SET acked_at = ? WHERE id = ? AND acked_at IS NULL").run(at, id).changes) === 1;
  }

  recordAnswer(answer: { at: number; senderHash: string; userId?: string; caseId?: string; pageId?: number; outcome: AnswerOutcome }): void {
    this.db
      .prepare("INSERT INTO sms_answers (at, sender_hash, user_id, case_id, page_id, outcome) VALUES (?, ?, ?, ?, ?, ?)")
      .run(answer.at, answer.senderHash, answer.userId ?? null, answer.caseId ?? null, answer.pageId ?? null, answer.outcome);
  }

  /**
   * Failed guesses since `since`: wrong codes or unpaged cases from one number; or wrong codes
   * naming one case from the roster's numbers. Answers that were refused for too many guesses do
   * not count (a forger's steady trickle would otherwise keep a number blocked for good), nor do
   * answers from unknown numbers, which can never succeed (anyone could lock a case out).
   */
  failedGuesses(by: { senderHash: string } | { caseId: string }, since: number): number {
    const row =
      "senderHash" in by
        ? this.db.prepare("SELECT COUNT(*) AS n FROM sms_answers WHERE sender_hash = ? AND at >= ? AND outcome IN ('wrong_code', 'no_page')").get(by.senderHash, since)
        : this.db.prepare("SELECT COUNT(*) AS n FROM sms_answers WHERE case_id = ? AND at >= ? AND outcome = 'wrong_code'").get(by.caseId, since);
    return Number((row as { n: number }).n);
  }

  /** When the newest page to these people, or of this case, was sent (a new code: a fresh count of guesses). */
  newestSent(by: { userIds: readonly string[] } | { caseId: string }): number | undefined {
    const row =
      "caseId" in by
        ? this.db.prepare("SELECT MAX(sent_at) AS at FROM sms_pages WHERE case_id = ?").get(by.caseId)
        : this.db.prepare(`SELECT MAX(sent_at) AS at FROM sms_pages WHERE user_id IN (${by.userIds.map(() => "?").join(", ")})`).get(...by.userIds);
    const at = (row as { at: number | null } | undefined)?.at;
    return at === null || at === undefined ? undefined : Number(at);
  }

  answers(): { at: number; userId?: string; caseId?: string; pageId?: number; outcome: AnswerOutcome }[] {
    const rows = this.db.prepare("SELECT * FROM sms_answers ORDER BY id").all() as Array<{
      at: number;
      user_id: string | null;
      case_id: string | null;
      page_id: number | null;
      outcome: AnswerOutcome;
    }>;
    return rows.map((r) => ({
      at: r.at,
      outcome: r.outcome,
      ...(r.user_id !== null ? { userId: r.user_id } : {}),
      ...(r.case_id !== null ? { caseId: r.case_id } : {}),
      ...(r.page_id !== null ? { pageId: r.page_id } : {}),
    }));
  }
}

const stores = new WeakMap<DatabaseSync, SmsStore>();

export function smsStoreOf(db: DatabaseSync): SmsStore {
  let store = stores.get(db);
  if (!store) {
    store = new SmsStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The keyed hash a sender's number is kept as. The key is per deployment (sms.json), so the hash cannot be looked up in a list of numbers. */
export function senderHash(key: string, sender: string): string {
  return createHmac("sha256", key).update(sender.replace(/\D/gu, "")).digest("base64url").slice(0, 22);
}

/** The keyed hash a page's one-time code is kept as, bound to the page: the same code on another page hashes differently. */
export function codeHash(key: string, pageId: number, code: string): string {
  return createHmac("sha256", key).update(`code\0${pageId}\0${code}`).digest("base64url").slice(0, 22);
}
