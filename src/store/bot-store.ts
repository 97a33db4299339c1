// What the bot remembers between restarts. Metadata only.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Language } from "../config/schema.ts";
import { openDatabase, transaction } from "./db.ts";

export type HandledStatus = "claimed" | "done";

export class BotStore {
  readonly db: DatabaseSync;
  /** Prepared once: these run for every message the bot sees. */
  readonly #statusOf: StatementSync;
  readonly #insertClaim: StatementSync;
  readonly #setDone: StatementSync;
  readonly #joinedTs: StatementSync;

  constructor(path: string) {
    this.db = openDatabase(path);
    this.#statusOf = this.db.prepare("SELECT status FROM handled_events WHERE event_id = ?");
    this.#insertClaim = this.db.prepare("INSERT INTO handled_events (event_id, room_id, sender, ts, status, kind, updated_at) VALUES (?, ?, ?, ?, 'claimed', ?, ?)");
    this.#setDone = this.db.prepare("UPDATE handled_events SET status = 'done', updated_at = ? WHERE event_id = ?");
    this.#joinedTs = this.db.prepare("SELECT joined_ts FROM joined_rooms WHERE room_id = ?");
  }

  /**
   * Claims and done marks are written without waiting for the disk (synchronous=NORMAL for
   * that one commit): the database's next ordinary commit, or the next checkpoint, makes them
   * durable along with everything before them in the write-ahead log. A SIGKILL loses nothing
   * either way (the log is written before the commit returns); a power cut can lose the last
   * marks, and then the bot handles those events again after restart, as it does when killed
   * between sending an answer and marking it done: the answers carry the same transaction ids
   * (the homeserver does not post them twice) and the effects are keyed by event id. What a
   * handler records (a consult, an acknowledgement, a page) is committed with synchronous=FULL
   * as before, and with it every mark written before it. This keeps two fsyncs per message off
   * the bot's path: most messages in a room are conversation the bot only passes over.
   */
  #bookkeeping<T>(write: () => T): T {
    // Inside a caller's transaction (SQLite refuses to change the setting there): durable with it.
    if (this.db.isTransaction) return write();
    this.db.exec("PRAGMA synchronous = NORMAL");
    try {
      return write();
    } finally {
      this.db.exec("PRAGMA synchronous = FULL");
    }
  }

  close(): void {
    this.db.close();
  }

  /**
   * Claim an event for handling. Returns the status it already had: "done"
   * means skip it; "claimed" means an earlier run crashed while handling it and
   * it is handled again (replies carry deterministic transaction ids, so the
   * server drops the duplicates); undefined means it is new.
   */
  claim(event: { eventId: string; roomId: string; sender: string; ts: number; kind: string }, now: number): HandledStatus | undefined {
    return this.#bookkeeping(() =>
      transaction(this.db, () => {
        const row = this.#statusOf.get(event.eventId) as { status: HandledStatus } | undefined;
        if (!row) this.#insertClaim.run(event.eventId, event.roomId, event.sender, event.ts, event.kind, now);
        return row?.status;
      }),
    );
  }

  markDone(eventId: string, now: number): void {
    this.#bookkeeping(() => this.#setDone.run(now, eventId));
  }

  status(eventId: string): HandledStatus | undefined {
    return (this.#statusOf.get(eventId) as { status: HandledStatus } | undefined)?.status;
  }

  /** Claimed but never finished: handled again at start-up. */
  unfinished(): Array<{ event_id: string; room_id: string }> {
    return this.db.prepare("SELECT event_id, room_id FROM handled_events WHERE status = 'claimed' ORDER BY ts").all() as Array<{ event_id: string; room_id: string }>;
  }

  /** The newest handled event's time in a room, to know how far back to catch up. */
  lastHandledTs(roomId: string): number | undefined {
    const row = this.db.prepare("SELECT MAX(ts) AS ts FROM handled_events WHERE room_id = ?").get(roomId) as { ts: number | null };
    return row.ts ?? undefined;
  }

  language(userId: string): Language | undefined {
    return (this.db.prepare("SELECT language FROM preferences WHERE user_id = ?").get(userId) as { language: Language } | undefined)?.language;
  }

  setLanguage(userId: string, language: Language): void {
    this.db.prepare("INSERT INTO preferences (user_id, language) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET language = excluded.language").run(userId, language);
  }

  welcomed(userId: string, roomId: string): boolean {
    return this.db.prepare("SELECT 1 FROM welcomed WHERE user_id = ? AND room_id = ?").get(userId, roomId) !== undefined;
  }

  /** Recorded after the welcome went out; true the first time for this person and room. */
  markWelcomed(userId: string, roomId: string, now: number): boolean {
    const res = this.db.prepare("INSERT OR IGNORE INTO welcomed (user_id, room_id, at) VALUES (?, ?, ?)").run(userId, roomId, now);
    return Number(res.changes) === 1;
  }

  /** When the bot joined a room; events before it are not the bot's business. */
  joinedTs(roomId: string): number | undefined {
    return (this.#joinedTs.get(roomId) as { joined_ts: number } | undefined)?.joined_ts;
  }

  /** The time of the bot's current membership (a re-join moves it forward). */
  recordJoin(roomId: string, ts: number): void {
    this.db.prepare("INSERT INTO joined_rooms (room_id, joined_ts) VALUES (?, ?) ON CONFLICT (room_id) DO UPDATE SET joined_ts = excluded.joined_ts").run(roomId, ts);
  }

  /** The step of the training drill this person is on, if one is running. */
  practiceStep(userId: string): number | undefined {
    return (this.db.prepare("SELECT step FROM practice WHERE user_id = ?").get(userId) as { step: number } | undefined)?.step;
  }

  setPracticeStep(userId: string, step: number, now: number): void {
    this.db
      .prepare("INSERT INTO practice (user_id, step, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET step = excluded.step, updated_at = excluded.updated_at")
      .run(userId, step, now);
  }

  endPractice(userId: string): void {
    this.db.prepare("DELETE FROM practice WHERE user_id = ?").run(userId);
  }

  directRoom(userId: string): string | undefined {
    return (this.db.prepare("SELECT room_id FROM direct_rooms WHERE user_id = ?").get(userId) as { room_id: string } | undefined)?.room_id;
  }

  setDirectRoom(userId: string, roomId: string): void {
    this.db.prepare("INSERT INTO direct_rooms (user_id, room_id) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id").run(userId, roomId);
  }

  increment(name: string, by = 1): void {
    this.db.prepare("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value").run(name, by);
  }

  counter(name: string): number {
    return (this.db.prepare("SELECT value FROM counters WHERE name = ?").get(name) as { value: number } | undefined)?.value ?? 0;
  }
}
