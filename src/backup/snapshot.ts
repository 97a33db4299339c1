// A consistent copy of a live SQLite database, taken with SQLite's online backup
// API (node:sqlite) in one step: one read transaction, so the copy is the
// database as of one moment even while Synapse or the bot keeps writing (in WAL
// mode readers do not block writers). A plain file copy of a live database can
// catch it between two writes, or miss what is still in its -wal file.
import { chmodSync, existsSync, statSync } from "node:fs";
import { backup, DatabaseSync } from "node:sqlite";

export class SnapshotError extends Error {}

/**
 * Copy `source` into the new file `target` and check the copy. The copy is left
 * in rollback-journal mode, a single self-contained file; Synapse and the bot
 * switch it back to WAL when they open it.
 */
export async function snapshotSqlite(source: string, target: string): Promise<void> {
  if (!existsSync(source)) throw new SnapshotError(`${source} does not exist`);
  // Read-write: a read-only connection cannot open a WAL database whose -shm file is missing.
  // Nothing is written through it; a busy writer is waited for, not failed on.
  const db = new DatabaseSync(source, { timeout: 30_000 });
  try {
    // rate -1: every page in one step, i.e. one read transaction (a snapshot); with
    // smaller steps each write by another process would restart the copy.
    await backup(db, target, { rate: -1 });
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(target);
  try {
    copy.exec("PRAGMA journal_mode = DELETE");
    const rows = copy.prepare("PRAGMA quick_check").all() as Array<{ quick_check: string }>;
    if (rows.length !== 1 || rows[0]!.quick_check !== "ok") {
      throw new SnapshotError(
        `the copy of ${source} fails SQLite's check (${rows
          .slice(0, 3)
          .map((r) => r.quick_check)
          .join("; ")}); the database itself may be damaged`,
      );
    }
  } finally {
    copy.close();
  }
  chmodSync(target, statSync(source).mode & 0o777);
}

/** A number read from a database file (e.g. a schema version), or undefined if the query fails. */
export function readNumber(path: string, sql: string): number | undefined {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare(sql).get() as Record<string, unknown> | undefined;
    const value = row ? Object.values(row)[0] : undefined;
    return typeof value === "number" || typeof value === "bigint" ? Number(value) : undefined;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}
