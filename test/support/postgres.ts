// A throwaway PostgreSQL for the production database path: the same major
// version as docker-compose.yml's postgres image (read from its tag), from the
// shared Debian sid root filesystem (installed there on first use) and run under
// bubblewrap like the local Synapse; a cluster initialised the way the compose
// file's postgres service initialises its own (the same POSTGRES_INITDB_ARGS),
// in a temporary folder, on a free loopback port. Password authentication over
// TCP, as in production. The server dies with the test process (bubblewrap's
// --die-with-parent), so a crashed run leaves no PostgreSQL behind.
//
// PostgreSQL refuses to run as root: in a user namespace (bubblewrap
// --unshare-user) it runs as the rootfs's postgres uid, whoever starts it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { mergeConfig, renderHomeserverConfig } from "../../src/homeserver/config.ts";
import { freePort } from "../../src/homeserver/process.ts";
import { rootfsDir } from "../../src/homeserver/paths.ts";
import { ensureRootfs, ensureRootfsPackages, requireBwrap, sandboxArgs } from "../../src/homeserver/rootfs.ts";
import type { Availability } from "./debian.ts";

const repo = join(import.meta.dirname, "..", "..");

interface ComposePostgres {
  image: string;
  environment: Record<string, string>;
}

function composePostgres(): ComposePostgres {
  return (parse(readFileSync(join(repo, "docker-compose.yml"), "utf8")) as { services: { postgres: ComposePostgres } }).services.postgres;
}

/** The major version docker-compose.yml runs (postgres:18.6-trixie → 18); the tests run the same. */
export function composePostgresMajor(): number {
  const image = composePostgres().image;
  const m = /^postgres:(\d+)/.exec(image);
  if (!m) throw new Error(`docker-compose.yml's postgres image ${image} has no major version in its tag`);
  return Number(m[1]);
}

function binDir(): string {
  return `/usr/lib/postgresql/${composePostgresMajor()}/bin`;
}

/** Install the compose file's PostgreSQL major into the rootfs if it is not there (once per machine). */
export function postgresAvailability(): Availability {
  try {
    requireBwrap();
    ensureRootfs();
    if (!existsSync(join(rootfsDir(), binDir(), "postgres"))) ensureRootfsPackages([`postgresql-${composePostgresMajor()}`]);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** initdb's arguments from the compose file, so the test cluster is made like the production one. */
export function composeInitdbArgs(): string[] {
  return composePostgres().environment.POSTGRES_INITDB_ARGS!.split(/\s+/).filter(Boolean);
}

/** The production profile's database section (psycopg2, pgpass at /data/pgpass), pointed at a test cluster instead of the compose service. */
export function productionDatabase(port: number): Record<string, unknown> {
  const production = renderHomeserverConfig({
    serverName: "mchlink.test",
    publicBaseUrl: "https://mchlink.test/",
    clientPort: 8008,
    bindAddress: "0.0.0.0",
    xForwarded: true,
    federationPartners: [],
    retention: { minLifetime: "1d", maxLifetime: "730d" },
    profile: "production",
  });
  return mergeConfig(production.database as Record<string, unknown>, { args: { host: "127.0.0.1", port } });
}

export interface TestPostgres {
  port: number;
  dir: string;
  /** The server's major version (the compose file's). */
  major: number;
  /** A login role with a password and a database it owns, created like the postgres image creates POSTGRES_DB. */
  createDatabase(name: string, owner: string, password: string): void;
  /** SQL as the superuser over the local socket; rows as lines, columns separated by `|`. */
  query(sql: string, database?: string): string;
  stop(): Promise<void>;
}

/** The rootfs's postgres user, so that files in the cluster look like its own to PostgreSQL. */
function rootfsPostgresIds(): { uid: string; gid: string } {
  const line = readFileSync(join(rootfsDir(), "etc", "passwd"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) throw new Error(`no postgres user in ${rootfsDir()}/etc/passwd; is postgresql installed there?`);
  return { uid, gid };
}

/** bubblewrap arguments: the rootfs, the test folder at /data, as the postgres uid in a user namespace. */
function sandbox(dir: string): string[] {
  const { uid, gid } = rootfsPostgresIds();
  return [...sandboxArgs({ binds: [{ host: dir, inside: "/data" }], home: "/data", dieWithParent: true }), "--unshare-user", "--uid", uid, "--gid", gid];
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const major = composePostgresMajor();
  const bin = binDir();
  if (!existsSync(join(rootfsDir(), bin, "postgres"))) throw new Error("PostgreSQL is not installed in the rootfs; call postgresAvailability() first");
  const dir = mkdtempSync(join(tmpdir(), "mchlink-pg-"));
  const initdb = spawnSync(
    "bwrap",
    [...sandbox(dir), join(bin, "initdb"), "-D", "/data/data", "--username=postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", ...composeInitdbArgs()],
    {
      encoding: "utf8",
    },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed:\n${initdb.stdout}${initdb.stderr}`);

  const port = await freePort();
  const logPath = join(dir, "postgres.log");
  const log = openSync(logPath, "a");
  const child: ChildProcess = spawn("bwrap", [...sandbox(dir), join(bin, "postgres"), "-D", "/data/data", "-p", String(port), "-k", "/data", "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"], {
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  let exited = false;
  child.once("exit", () => (exited = true));

  const psql = (sql: string, database = "postgres") =>
    spawnSync("bwrap", [...sandbox(dir), join(bin, "psql"), "-h", "/data", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], { encoding: "utf8" });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL exited while starting:\n${readFileSync(logPath, "utf8")}`);
    if (psql("SELECT 1").status === 0) break;
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within 30 s:\n${readFileSync(logPath, "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  /** The postmaster's pid on this machine (no pid namespace): signalled directly, since bubblewrap passes no signals on. */
  const postmasterPid = (): number | undefined => {
    const file = join(dir, "data", "postmaster.pid");
    return existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) || undefined : undefined;
  };

  return {
    port,
    dir,
    major,
    createDatabase(name, owner, password) {
      for (const sql of [`CREATE ROLE "${owner}" LOGIN PASSWORD '${password.replace(/'/g, "''")}'`, `CREATE DATABASE "${name}" OWNER "${owner}"`]) {
        const run = psql(sql);
        if (run.status !== 0) throw new Error(`${sql.split(" PASSWORD")[0]}: ${run.stderr}`);
      }
    },
    query(sql, database = "postgres") {
      const run = psql(sql, database);
      if (run.status !== 0) throw new Error(`${sql}: ${run.stderr}`);
      return run.stdout.trim();
    },
    async stop() {
      if (!exited) {
        // SIGINT is PostgreSQL's fast shutdown: it does not wait for Synapse's connections to close.
        const pid = postmasterPid();
        if (pid) {
          try {
            process.kill(pid, "SIGINT");
          } catch {
            // already gone
          }
        }
        const until = Date.now() + 15_000;
        while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        if (!exited) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
