// Synapse's PostgreSQL database in a backup: dumped with pg_dump, put back with
// pg_restore, both of the server's major version (pgtools.ts).
//
// Consistency: pg_dump reads the whole database in ONE transaction (repeatable
// read, read only), so the dump is the database as of the moment that
// transaction started, however long it runs and however much Synapse writes
// meanwhile; Synapse keeps running. The backup takes it first and copies media,
// keys and the bot's database after it (backup.ts), the same order as for
// SQLite's online backup: a file uploaded after the dump's moment is in the
// archive but unknown to the restored database (an unused file), and an event
// the bot handled after it is recorded as handled but absent (never answered twice).
// The one gap: a media file deleted between the dump and the copy (a user's
// redaction purge, media retention) is referenced but missing, and Synapse
// answers 404 for it; stopping Synapse for the backup would close it, at the
// price of an outage every night, which the province cannot afford.
//
// Restore only ever writes into an EMPTY database, in one transaction
// (pg_restore --single-transaction --exit-on-error): it either all lands or
// none of it does, and it never mixes a backup into a database that has a life
// of its own.
import { closeSync, openSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { availablePgTools, pgToolsFor, serverMajor, type PgConnection, type PgTools } from "./pgtools.ts";

/** Where the dump lives in the archive, under the Synapse data folder's image. */
export const PG_DUMP_NAME = "synapse.pgdump";

export class PostgresBackupError extends Error {}

interface DatabaseArgs {
  host?: string;
  port?: number | string;
  user?: string;
  database?: string;
  dbname?: string;
  passfile?: string;
}

/**
 * The connection Synapse's homeserver.yaml describes (database.args), with a
 * pgpass path inside the container or sandbox (/data/...) mapped into `dataDir`.
 */
export function synapseConnection(args: DatabaseArgs | undefined, dataDir: string, configFile: string): PgConnection {
  const missing = (what: string) => new PostgresBackupError(`${configFile}: database.args has no ${what}; mchlink needs it to dump or restore Synapse's PostgreSQL database`);
  const database = args?.database ?? args?.dbname;
  if (!database) throw missing("database");
  if (!args?.user) throw missing("user");
  const passfile =
    args.passfile === undefined
      ? undefined
      : args.passfile.startsWith("/data/")
        ? join(dataDir, args.passfile.slice("/data/".length))
        : isAbsolute(args.passfile)
          ? args.passfile
          : join(dataDir, args.passfile);
  return { host: args.host ?? "localhost", port: Number(args.port ?? 5432), user: args.user, database, ...(passfile ? { passfile } : {}) };
}

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? "no message"
  );
}

/** The tools of the server's own major, or an error saying what to install. */
function toolsForServer(conn: PgConnection): { tools: PgTools; version: string } {
  const all = availablePgTools();
  const server = serverMajor(all, conn);
  if (!server.ok) throw new PostgresBackupError(server.problem);
  const tools = pgToolsFor(all, server.major);
  if (typeof tools === "string") throw new PostgresBackupError(tools);
  return { tools, version: server.version };
}

function scalar(tools: PgTools, conn: PgConnection, sql: string): string | undefined {
  const run = tools.run("psql", conn, ["--no-psqlrc", "--tuples-only", "--no-align", "--command", sql]);
  return run.status === 0 ? run.stdout.trim() : undefined;
}

export interface PgDumpResult {
  /** The server's version, e.g. "18.6". */
  serverVersion: string;
  /** pg_dump's major version (the server's). */
  toolMajor: number;
  /** Synapse's schema version at the time of the dump, when readable. */
  schemaVersion?: number;
}

/** Dump Synapse's database into the new file `target` (custom format, 0600) and check that pg_restore can read it. */
export function dumpSynapseDatabase(conn: PgConnection, target: string): PgDumpResult {
  const { tools, version } = toolsForServer(conn);
  const schema = scalar(tools, conn, "SELECT version FROM schema_version");
  const fd = openSync(target, "wx", 0o600);
  let run;
  try {
    // No owners or grants: the restore creates everything as the role it logs in with, whatever it is called there.
    // A lock held by a schema change is waited for one minute at most, then the backup fails with a message.
    run = tools.run("pg_dump", conn, ["--format=custom", "--no-owner", "--no-privileges", "--lock-wait-timeout=60s"], { stdoutFd: fd });
  } finally {
    closeSync(fd);
  }
  if (run.status !== 0) throw new PostgresBackupError(`pg_dump of ${conn.database} at ${conn.host}:${conn.port} failed: ${firstLine(run.stderr || String(run.error ?? ""))}`);
  const check = readDumpList(tools, target);
  if (!check.ok) throw new PostgresBackupError(`the dump of ${conn.database} cannot be read back (${check.problem})`);
  return { serverVersion: version, toolMajor: tools.major, ...(schema && /^\d+$/.test(schema) ? { schemaVersion: Number(schema) } : {}) };
}

/** pg_restore's table of contents of a dump: proves it is whole enough to restore. */
function readDumpList(tools: PgTools, file: string): { ok: true } | { ok: false; problem: string } {
  const fd = openSync(file, "r");
  try {
    const run = tools.run("pg_restore", undefined, ["--list"], { stdinFd: fd });
    return run.status === 0 && run.stdout.includes("TABLE DATA") ? { ok: true } : { ok: false, problem: `pg_restore: ${firstLine(run.stderr || "no tables in it")}` };
  } finally {
    closeSync(fd);
  }
}

/** Tables, sequences, views… the database already has outside PostgreSQL's own schemas. */
const USER_OBJECTS =
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

export interface PgRestorePlan {
  tools: PgTools;
  conn: PgConnection;
  serverVersion: string;
}

/**
 * Check, changing nothing, that `dump` can go into the database `conn` names:
 * the server is reachable, its major has tools here not older than the dump's,
 * the dump reads, and the database is empty. Returns what restoreSynapseDatabase needs.
 */
export function planSynapseRestore(conn: PgConnection, dump: string, dumpToolMajor: number): PgRestorePlan {
  const where = `the database ${conn.database} at ${conn.host}:${conn.port}`;
  const { tools, version } = toolsForServer(conn);
  if (tools.major < dumpToolMajor) {
    throw new PostgresBackupError(`the archive's database was dumped by PostgreSQL ${dumpToolMajor}, newer than ${where} (${version}); restore it into PostgreSQL ${dumpToolMajor} or newer`);
  }
  const check = readDumpList(tools, dump);
  if (!check.ok) throw new PostgresBackupError(`the archive's database dump is unreadable (${check.problem})`);
  const count = scalar(tools, conn, USER_OBJECTS);
  if (count === undefined) throw new PostgresBackupError(`cannot look into ${where} as ${conn.user}; does the database exist, and is the password in ${conn.passfile ?? "the config"} right?`);
  if (Number(count) > 0) {
    throw new PostgresBackupError(
      `${where} is not empty (${count} tables, sequences or indexes): a restore only fills an EMPTY database, never mixes a backup into a live one. ` +
        `If it is the broken database you are replacing, drop and create it first (as the superuser: DROP DATABASE ${conn.database}; CREATE DATABASE ${conn.database} OWNER ${conn.user} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;)`,
    );
  }
  return { tools, conn, serverVersion: version };
}

/** Put the dump into the (checked, empty) database: all of it in one transaction, or nothing. */
export function restoreSynapseDatabase(plan: PgRestorePlan, dump: string): void {
  const fd = openSync(dump, "r");
  try {
    const run = plan.tools.run("pg_restore", plan.conn, ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"], { stdinFd: fd });
    if (run.status !== 0) {
      throw new PostgresBackupError(
        `pg_restore into ${plan.conn.database} at ${plan.conn.host}:${plan.conn.port} failed and was rolled back, so the database is still empty: ${firstLine(run.stderr || String(run.error ?? ""))}`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
