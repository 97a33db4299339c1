// The bot's own database: metadata only (event ids, times, who, which room),
// never message text. node:sqlite (built into Node 24, no native addon), WAL
// with synchronous=FULL so that what the bot recorded survives a SIGKILL.
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
