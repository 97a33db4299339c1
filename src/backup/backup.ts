// `mchlink backup OUT`: one archive (gzip tar, mode 0600) with everything needed
// to bring a deployment back: the state folder (homeserver address, service
// accounts, onboarding sheet), the local Synapse's data folder (a consistent
// snapshot of its SQLite database, or a pg_dump of its PostgreSQL database
// (postgres.ts says how that is consistent); media, signing key, secrets) and
// the bot's database (consistent snapshot) and recovery key. The stack may keep running.
//
// Deliberately left out: the bot's crypto store and its secret. A restored bot
// must never run on a crypto store older than its device's state on the server
// (Olm sessions and one-time keys would be reused), so a restore always starts
// a new bot device, and an archived store would only be a liability. The
// recovery key is kept: with it the new device takes over the same
// cross-signing identity from secret storage. Logs and run-time files (pids,
// status) are left out too.
//
// Order: Synapse's database first, then media, then the bot's database. Events
// the bot handled in between are then recorded as handled but absent from the
// restored homeserver (harmless), rather than present and unrecorded (the new
// bot device would answer them a second time).
import { spawnSync } from "node:child_process";
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parse } from "yaml";
import { botPaths, type Deployment } from "../homeserver/deployment.ts";
import { repoRoot, rootfsDir } from "../homeserver/paths.ts";
import { fsyncDirectory, writeSecretFile } from "../util/files.ts";
import { BACKUP_FORMAT, describeTree, MANIFEST_NAME, STATE_ROOT, walkTree, type Manifest } from "./manifest.ts";
import { readNumber, snapshotSqlite } from "./snapshot.ts";
import { dumpSynapseDatabase, PG_DUMP_NAME, PostgresBackupError, synapseConnection } from "./postgres.ts";
import { createTar } from "./tar.ts";

export class BackupError extends Error {}

export interface BackupOptions {
  /** The archive to write; it must not exist. */
  out: string;
  /**
   * Synapse's data folder when homeserver.json records none (docker-compose: the
   * folder rendered into deploy/synapse, mounted into the backup container).
   */
  synapseData?: string;
  now?: () => Date;
  /** Progress and warnings, one line each. */
  log?: (line: string) => void;
}

export interface BackupResult {
  out: string;
  bytes: number;
  manifest: Manifest;
  warnings: string[];
}

/** Paths under the state folder that are never archived (run-time files, logs, the crypto store). */
function leftOutOfState(dep: Deployment): Set<string> {
  const bot = botPaths(dep);
  const rel = (p: string) => relative(dep.dir, p);
  return new Set([
    "pids.json",
    rel(bot.status),
    rel(bot.log),
    rel(bot.cryptoDir),
    rel(bot.cryptoSecret),
    rel(bot.database),
    `${rel(bot.database)}-wal`,
    `${rel(bot.database)}-shm`,
    `${rel(bot.database)}-journal`,
  ]);
}

export interface SynapseDatabase {
  engine: "sqlite" | "postgresql";
  /** The SQLite file on this machine. */
  file?: string;
  /** PostgreSQL: where it is and how to log in (pgpass mapped into the data folder). */
  conn?: ReturnType<typeof synapseConnection>;
}

/** Which database the data folder's rendered homeserver.yaml uses (Synapse sees the folder as /data). */
export function synapseDatabase(dataDir: string): SynapseDatabase {
  const config = join(dataDir, "homeserver.yaml");
  const fallback = join(dataDir, "homeserver.db");
  if (!existsSync(config)) return { engine: "sqlite", file: fallback };
  const db = (parse(readFileSync(config, "utf8")) as { database?: { name?: string; args?: Record<string, string> } }).database;
  if (db?.name === "psycopg2") return { engine: "postgresql", conn: synapseConnection(db.args, dataDir, config) };
  const path = db?.args?.database ?? "/data/homeserver.db";
  return { engine: "sqlite", file: path.startsWith("/data/") ? join(dataDir, path.slice("/data/".length)) : isAbsolute(path) ? path : join(dataDir, path) };
}

/** The local Synapse's version, as scripts/synapse-rootfs.sh recorded it. */
function synapseVersion(): string | undefined {
  const file = join(rootfsDir(), ".synapse-version");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

function mchlinkVersion(): Manifest["mchlink"] {
  const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
  const git = spawnSync("git", ["-C", repoRoot, "rev-parse", "HEAD"], { encoding: "utf8" });
  return git.status === 0 ? { version, commit: git.stdout.trim() } : { version };
}

/**
 * Copy a folder's files into `to`, skipping what `skip` says (paths relative to `from`; a
 * skipped folder is skipped whole).
 * Hard links where possible: cheap for a large media store, and a file replaced
 * meanwhile (Synapse and mchlink write by rename) keeps the copied content.
 */
function copyTree(from: string, to: string, skip: (rel: string) => boolean): void {
  mkdirSync(to, { recursive: true, mode: statSync(from).mode & 0o7777 });
  const skipped: string[] = [];
  for (const e of walkTree(from, ".")) {
    const rel = e.path.slice(2);
    if (skipped.some((dir) => rel.startsWith(`${dir}/`))) continue;
    if (skip(rel)) {
      if (e.kind === "directory") skipped.push(rel);
      continue;
    }
    if (e.kind === "other") {
      throw new BackupError(`${join(from, rel)} is not a regular file or folder (a symbolic link?); a backup copies files only: replace it with the file it points to, or move it out of the folder`);
    }
    const target = join(to, rel);
    if (e.kind === "directory") {
      mkdirSync(target, { recursive: true, mode: e.mode });
      chmodSync(target, e.mode);
      continue;
    }
    try {
      linkSync(join(from, rel), target);
    } catch {
      copyFileSync(join(from, rel), target);
      chmodSync(target, e.mode);
    }
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

export async function createBackup(dep: Deployment, opts: BackupOptions): Promise<BackupResult> {
  const log = opts.log ?? (() => {});
  const stateDir = resolve(dep.dir);
  const out = resolve(opts.out);
  if (!existsSync(stateDir)) throw new BackupError(`no state folder at ${stateDir}: nothing to back up (is --state or MCHLINK_STATE right?)`);
  if (existsSync(out)) throw new BackupError(`${out} already exists; a backup never overwrites a file: choose a new name`);
  if (isInside(out, stateDir)) throw new BackupError(`write the backup outside the state folder ${stateDir}, where it would be swept into the next backup`);
  if (!existsSync(dirname(out))) throw new BackupError(`the folder ${dirname(out)} does not exist`);

  const warnings: string[] = [];
  const hs = dep.homeserver();
  const recorded = opts.synapseData ?? hs?.dataDir;
  const dataDir = recorded ? resolve(dep.dir, recorded) : undefined;
  const paths = botPaths(dep);
  const stage = mkdtempSync(join(dirname(out), ".mchlink-backup-"));
  try {
    const root = join(stage, "root");
    const stateImage = join(root, STATE_ROOT);
    mkdirSync(stateImage, { recursive: true, mode: 0o700 });
    const contents: string[] = [];
    const leftOut: string[] = [
      "the bot's crypto store and its secret (bot/crypto/, bot/crypto.key): a restored bot starts a new device instead of rolling its keys back",
      "logs and run-time files (pids.json, bot/status.json, *.log, Synapse's pid file)",
    ];
    let synapse: Manifest["synapse"];

    if (dataDir) {
      if (!existsSync(dataDir)) throw new BackupError(`the homeserver's data folder ${dataDir} (${opts.synapseData ? "--synapse-data" : "homeserver.json"}) does not exist`);
      const synapseImage = join(stateImage, "synapse");
      const database = synapseDatabase(dataDir);
      const dbName = database.file && isInside(database.file, dataDir) ? relative(dataDir, database.file) : undefined;
      mkdirSync(synapseImage, { mode: 0o700 });
      if (database.engine === "sqlite") {
        if (!dbName)
          throw new BackupError(`Synapse's database ${database.file} is outside its data folder ${dataDir}; mchlink backs up a database kept inside it, as synapse/profiles/local.yaml renders it`);
        log("Copying Synapse's database (SQLite online backup)");
        await snapshotSqlite(database.file!, join(synapseImage, dbName));
        const memory = new DatabaseSync(":memory:");
        const sqliteVersion = (memory.prepare("SELECT sqlite_version() AS v").get() as { v: string }).v;
        memory.close();
        synapse = {
          version: synapseVersion(),
          database: { engine: "sqlite", schema_version: readNumber(join(synapseImage, dbName), "SELECT version FROM schema_version"), sqlite_version: sqliteVersion },
        };
        contents.push(`Synapse's database: a consistent snapshot (synapse/${dbName})`);
      } else {
        const conn = database.conn!;
        log(`Dumping Synapse's database (pg_dump, one transaction: ${conn.database} at ${conn.host}:${conn.port})`);
        let dump;
        try {
          dump = dumpSynapseDatabase(conn, join(synapseImage, PG_DUMP_NAME));
        } catch (err) {
          throw new BackupError(err instanceof PostgresBackupError ? `${err.message}; no archive was written` : String(err));
        }
        synapse = {
          version: synapseVersion(),
          database: {
            engine: "postgresql",
            included: true,
            server_version: dump.serverVersion,
            pg_dump_major: dump.toolMajor,
            dump: `${STATE_ROOT}/synapse/${PG_DUMP_NAME}`,
            ...(dump.schemaVersion !== undefined ? { schema_version: dump.schemaVersion } : {}),
          },
        };
        contents.push(`Synapse's database: PostgreSQL ${dump.serverVersion}, dumped in one transaction by pg_dump ${dump.toolMajor} (synapse/${PG_DUMP_NAME})`);
      }
      log("Copying Synapse's media, signing key and secrets");
      const sqliteFiles = dbName ? [dbName, `${dbName}-wal`, `${dbName}-shm`, `${dbName}-journal`] : [];
      copyTree(dataDir, synapseImage, (rel) => sqliteFiles.includes(rel) || rel === PG_DUMP_NAME || rel === "homeserver.pid" || rel.endsWith(".log"));
      contents.push("Synapse's data folder: media store, signing key, secrets, rendered config (synapse/)");
    } else {
      leftOut.push("the homeserver: this deployment records no local Synapse data folder; back up its database (pg_dump), media, signing key and secrets with the server");
    }

    let bot: Manifest["bot"];
    if (existsSync(paths.database)) {
      log("Copying the bot's database (SQLite online backup)");
      mkdirSync(join(stateImage, "bot"), { recursive: true, mode: 0o700 });
      const target = join(stateImage, relative(stateDir, paths.database));
      await snapshotSqlite(paths.database, target);
      bot = { schema_version: readNumber(target, "PRAGMA user_version") ?? 0 };
      contents.push("the bot's database: consults, handled events, preferences (bot/bot.sqlite)");
    }
    if (existsSync(paths.recoveryKey)) contents.push("the bot's cross-signing recovery key (bot/recovery-key.txt)");
    else warnings.push(`no recovery key at ${paths.recoveryKey}: a restored bot cannot take over its cross-signing identity`);

    const skip = leftOutOfState(dep);
    const dataRel = dataDir && isInside(dataDir, stateDir) ? relative(stateDir, dataDir) : undefined;
    if (dataDir && dataRel !== "synapse" && existsSync(join(stateDir, "synapse"))) {
      throw new BackupError(`${join(stateDir, "synapse")} exists but the homeserver's data folder is ${dataDir}; move one of them`);
    }
    copyTree(stateDir, stateImage, (rel) => skip.has(rel) || rel === dataRel || rel.endsWith(".log") || /\.tmp-\d+$/.test(rel));
    contents.push("the state folder: homeserver address, service accounts' credentials, onboarding sheet");

    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      created_at: (opts.now?.() ?? new Date()).toISOString(),
      mchlink: mchlinkVersion(),
      node: process.version,
      ...(hs ? { server_name: hs.serverName, homeserver_url: hs.baseUrl } : {}),
      ...(synapse ? { synapse } : {}),
      ...(bot ? { bot } : {}),
      contents,
      left_out: leftOut,
      ...describeTree(root),
    };
    writeSecretFile(join(root, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + "\n");

    log(`Writing ${out}`);
    const partial = join(stage, "archive.tar.gz");
    await createTar(partial, root, [MANIFEST_NAME, STATE_ROOT]);
    chmodSync(partial, 0o600);
    const afd = openSync(partial, "r");
    try {
      fsyncSync(afd);
    } finally {
      closeSync(afd);
    }
    renameSync(partial, out);
    fsyncDirectory(dirname(out));
    return { out, bytes: statSync(out).size, manifest, warnings };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
