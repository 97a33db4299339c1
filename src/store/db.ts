// The bot's own database: metadata only (event ids, times, who, which room),
// never message text. node:sqlite (built into Node 24, no native addon), WAL
// with synchronous=FULL so that what the bot recorded survives a power cut (a
// SIGKILL cannot undo a WAL commit in any mode). The bot's per-message claims
// and done marks are the exception (BotStore: they ride on the next commit).
// Schema changes are numbered migrations, applied in order, each once.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

export type Migration = (db: DatabaseSync) => void;

/** Append only: a migration, once released, never changes. */
export const MIGRATIONS: Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE handled_events (
        event_id   TEXT PRIMARY KEY,
        room_id    TEXT NOT NULL,
        sender     TEXT NOT NULL,
        ts         INTEGER NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('claimed', 'done')),
        kind       TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX handled_events_room_ts ON handled_events (room_id, ts);
      CREATE TABLE preferences (
        user_id  TEXT PRIMARY KEY,
        language TEXT NOT NULL CHECK (language IN ('lo', 'en'))
      );
      CREATE TABLE welcomed (
        user_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        at      INTEGER NOT NULL,
        PRIMARY KEY (user_id, room_id)
      );
      CREATE TABLE joined_rooms (
        room_id   TEXT PRIMARY KEY,
        joined_ts INTEGER NOT NULL
      );
      CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `);
  },
  // The training drill's step per person (a number, never what they typed).
  (db) => {
    db.exec(`
      CREATE TABLE practice (
        user_id    TEXT PRIMARY KEY,
        step       INTEGER NOT NULL CHECK (step >= 1),
        updated_at INTEGER NOT NULL
      );
    `);
  },
  // Consults and what happened to them: ids, times, people and facilities, never clinical text.
  // Every change made by a message keeps that message's event id, so handling the same
  // event again after a crash finds the change already made and repeats the same replies.
  (db) => {
    db.exec(`
      CREATE TABLE consults (
        case_id           TEXT PRIMARY KEY,
        request_event_id  TEXT NOT NULL UNIQUE,
        room_id           TEXT NOT NULL,
        district_id       TEXT NOT NULL,
        facility_id       TEXT NOT NULL,
        requester         TEXT NOT NULL,
        priority          TEXT NOT NULL CHECK (priority IN ('emergency', 'urgent', 'routine')),
        specialty         TEXT NOT NULL CHECK (specialty IN ('obstetrics', 'paediatrics', 'general')),
        opened_by         TEXT NOT NULL CHECK (opened_by IN ('command', 'tag')),
        opened_at         INTEGER NOT NULL,
        ladder_run        INTEGER NOT NULL DEFAULT 0,
        ladder_started_at INTEGER NOT NULL,
        escalation_step   INTEGER NOT NULL DEFAULT -1,
        first_response_at INTEGER,
        first_responder   TEXT,
        status            TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        closed_at         INTEGER,
        outcome           TEXT CHECK (outcome IN ('managed_locally', 'referred', 'arrived_at_referral_facility', 'maternal_death', 'newborn_death', 'other')),
        referred_to       TEXT,
        referred_at       INTEGER
      );
      CREATE INDEX consults_status_opened ON consults (status, opened_at);
      CREATE INDEX consults_opened ON consults (opened_at);
      CREATE TABLE case_counters (
        prefix TEXT PRIMARY KEY,
        last   INTEGER NOT NULL
      );
      -- Events of the bot's (card, pages) that stand for a consult, so a reaction on them acknowledges it.
      CREATE TABLE consult_events (
        event_id TEXT PRIMARY KEY,
        case_id  TEXT NOT NULL REFERENCES consults (case_id)
      );
      -- A ladder run starts at the opening (run 0) and again at each escalation or reopening.
      CREATE TABLE escalation_steps (
        case_id    TEXT NOT NULL REFERENCES consults (case_id),
        run        INTEGER NOT NULL,
        step_index INTEGER NOT NULL,
        action     TEXT NOT NULL,
        due_at     INTEGER NOT NULL,
        fired_at   INTEGER NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('claimed', 'done')),
        PRIMARY KEY (case_id, run, step_index)
      );
      -- What started each run after the first: an escalation (priority raised) or a reopening.
      CREATE TABLE ladder_runs (
        case_id       TEXT NOT NULL REFERENCES consults (case_id),
        run           INTEGER NOT NULL CHECK (run >= 1),
        cause         TEXT NOT NULL CHECK (cause IN ('escalate', 'reopen')),
        from_priority TEXT NOT NULL,
        to_priority   TEXT NOT NULL,
        by_user       TEXT NOT NULL,
        event_id      TEXT NOT NULL UNIQUE,
        at            INTEGER NOT NULL,
        PRIMARY KEY (case_id, run)
      );
      -- Who was paged when. cause: 'run:N' (opening, escalation, reopening), 'step:N:I' (a ladder step).
      CREATE TABLE pages (
        case_id TEXT NOT NULL REFERENCES consults (case_id),
        cause   TEXT NOT NULL,
        user_id TEXT NOT NULL,
        at      INTEGER NOT NULL,
        PRIMARY KEY (case_id, cause, user_id)
      );
      CREATE TABLE acknowledgements (
        case_id  TEXT NOT NULL REFERENCES consults (case_id),
        user_id  TEXT NOT NULL,
        via      TEXT NOT NULL CHECK (via IN ('reply', 'reaction', 'command')),
        event_id TEXT NOT NULL,
        at       INTEGER NOT NULL,
        PRIMARY KEY (case_id, user_id)
      );
      CREATE TABLE referrals (
        event_id    TEXT PRIMARY KEY,
        case_id     TEXT NOT NULL REFERENCES consults (case_id),
        facility_id TEXT NOT NULL,
        by_user     TEXT NOT NULL,
        at          INTEGER NOT NULL
      );
      CREATE TABLE status_changes (
        event_id TEXT PRIMARY KEY,
        case_id  TEXT NOT NULL REFERENCES consults (case_id),
        status   TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        outcome  TEXT,
        by_user  TEXT NOT NULL,
        at       INTEGER NOT NULL
      );
      CREATE TABLE rota_overrides (
        id        INTEGER PRIMARY KEY,
        specialty TEXT NOT NULL CHECK (specialty IN ('obstetrics', 'paediatrics', 'general')),
        slot      TEXT NOT NULL CHECK (slot IN ('expert', 'backup')),
        user_id   TEXT NOT NULL,
        from_ts   INTEGER NOT NULL,
        to_ts     INTEGER NOT NULL,
        set_by    TEXT NOT NULL,
        set_at    INTEGER NOT NULL,
        event_id  TEXT NOT NULL UNIQUE
      );
      CREATE TABLE privacy_reminders (
        case_id  TEXT NOT NULL REFERENCES consults (case_id),
        user_id  TEXT NOT NULL,
        event_id TEXT NOT NULL,
        at       INTEGER NOT NULL,
        PRIMARY KEY (case_id, user_id)
      );
    `);
  },
  // The bot's direct room with each person (for private reminders).
  (db) => {
    db.exec(`
      CREATE TABLE direct_rooms (
        user_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL
      );
    `);
  },
  // SMS paging (src/consult/sms-store.ts): each SMS page with its one-time code and what became of
  // it, and every answer that came in by SMS (who, when, what it came to; never its text).
  // Acknowledgements gain 'sms': SQLite cannot change a CHECK in place, so the table is rebuilt.
  (db) => {
    db.exec(`
      CREATE TABLE acknowledgements_sms (
        case_id  TEXT NOT NULL REFERENCES consults (case_id),
        user_id  TEXT NOT NULL,
        via      TEXT NOT NULL CHECK (via IN ('reply', 'reaction', 'command', 'sms')),
        event_id TEXT NOT NULL,
        at       INTEGER NOT NULL,
        PRIMARY KEY (case_id, user_id)
      );
      INSERT INTO acknowledgements_sms (case_id, user_id, via, event_id, at) SELECT case_id, user_id, via, event_id, at FROM acknowledgements;
      DROP TABLE acknowledgements;
      ALTER TABLE acknowledgements_sms RENAME TO acknowledgements;
      CREATE TABLE sms_pages (
        id           INTEGER PRIMARY KEY,
        case_id      TEXT NOT NULL REFERENCES consults (case_id),
        run          INTEGER NOT NULL,
        step_index   INTEGER NOT NULL,
        user_id      TEXT NOT NULL,
        phone        TEXT NOT NULL,
        code         TEXT NOT NULL,
        language     TEXT NOT NULL CHECK (language IN ('lo', 'en')),
        encoding     TEXT NOT NULL CHECK (encoding IN ('gsm7', 'ucs2')),
        segments     INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        sent_at      INTEGER,
        accepted_at  INTEGER,
        delivered_at INTEGER,
        failed_at    INTEGER,
        failure      TEXT CHECK (failure IN ('unreachable', 'rejected', 'undelivered', 'no_phone')),
        failure_told INTEGER NOT NULL DEFAULT 0,
        acked_at     INTEGER,
        UNIQUE (case_id, run, step_index, user_id)
      );
      CREATE INDEX sms_pages_status ON sms_pages (status);
      CREATE INDEX sms_pages_created ON sms_pages (created_at);
      CREATE TABLE sms_answers (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        -- A keyed hash of the sender's number: enough to count one number's guesses, not to read it back.
        sender_hash TEXT NOT NULL,
        user_id     TEXT,
        case_id     TEXT,
        page_id     INTEGER,
        outcome     TEXT NOT NULL CHECK (outcome IN ('acknowledged', 'repeated', 'not_an_answer', 'unknown_number', 'no_page', 'wrong_code', 'rate_limited', 'closed'))
      );
      CREATE INDEX sms_answers_sender ON sms_answers (sender_hash, at);
      CREATE INDEX sms_answers_case ON sms_answers (case_id, at);
    `);
  },
  (db) => {
    // Review P1: a page's one-time code and its full phone number were kept in plain text,
    // and so in every backup. The number is now read from the province file when the page
    // is sent, and the code is made then and kept only as a keyed hash (hash_key in
    // sms.json, which this migration cannot read). So the codes of pages that can still be
    // answered (sent, unanswered, consult open) wait in sms_codes_to_hash until the SMS
    // service hashes them at its start (SmsStore.hashLegacyCodes); every other code is
    // worthless and dropped. secure_delete has SQLite overwrite the space the dropped values
    // leave, so they do not linger in free pages of the file (or of a backup copied from it).
    db.exec(`
      PRAGMA secure_delete = ON;
      CREATE TABLE sms_codes_to_hash (
        page_id INTEGER PRIMARY KEY REFERENCES sms_pages (id),
        code    TEXT NOT NULL
      );
      INSERT INTO sms_codes_to_hash (page_id, code)
        SELECT p.id, p.code FROM sms_pages p JOIN consults c ON c.case_id = p.case_id
        WHERE p.status = 'sent' AND p.acked_at IS NULL AND c.status = 'open';
      ALTER TABLE sms_pages ADD COLUMN code_hash TEXT;
      ALTER TABLE sms_pages DROP COLUMN phone;
      ALTER TABLE sms_pages DROP COLUMN code;
    `);
  },
];

export function openDatabase(path: string, migrations: Migration[] = MIGRATIONS): DatabaseSync {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  const current = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  if (current > migrations.length) {
    throw new Error(`${path} has schema version ${current}, newer than this mchlink (${migrations.length}); run the newer mchlink or restore a matching backup`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      migrations[v]!(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  }
  return db;
}

/** Run `fn` in one transaction. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}
