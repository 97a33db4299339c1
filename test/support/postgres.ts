// A throwaway PostgreSQL for the production database path: Debian's package
// (installed on first use), a cluster initialised the way docker-compose.yml's
// postgres service initialises its own (the same POSTGRES_INITDB_ARGS), in a
// temporary folder, on a free loopback port. Password authentication over TCP,
// as in production. The server is killed when the test process dies (parent
// death signal), so a crashed run leaves no PostgreSQL behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { freePort } from "../../src/homeserver/process.ts";
import { ensureDebianPackages, type Availability } from "./debian.ts";

const repo = join(import.meta.dirname, "..", "..");

/** The newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin. */
function binDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

/** Install Debian's PostgreSQL if this machine has none (about 30 s, once per machine). */
export function postgresAvailability(): Availability {
  return ensureDebianPackages(["postgresql"], () => binDir() !== undefined);
}

/** initdb's arguments from the compose file, so the test cluster is made like the production one. */
export function composeInitdbArgs(): string[] {
  const compose = parse(readFileSync(join(repo, "docker-compose.yml"), "utf8")) as { services: { postgres: { environment: Record<string, string> } } };
  return compose.services.postgres.environment.POSTGRES_INITDB_ARGS!.split(/\s+/).filter(Boolean);
}

export interface TestPostgres {
  port: number;
  dir: string;
  /** A login role with a password and a database it owns, created like the postgres image creates POSTGRES_DB. */
  createDatabase(name: string, owner: string, password: string): void;
  /** SQL as the superuser over the local socket; rows as lines, columns separated by `|`. */
  query(sql: string, database?: string): string;
  stop(): Promise<void>;
}

function uidOf(user: string): number {
  const run = spawnSync("id", ["-u", user], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`no ${user} user; is the postgresql package installed?`);
  return Number(run.stdout.trim());
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  if (!bin) throw new Error("PostgreSQL is not installed; call postgresAvailability() first");
  const dir = mkdtempSync(join(tmpdir(), "mchlink-pg-"));
  // initdb and postgres refuse to run as root: as root, run them as the package's postgres user.
  const asOwner: string[] = [];
  if (process.getuid?.() === 0) {
    const uid = uidOf("postgres");
    chownSync(dir, uid, Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim()));
    asOwner.push("--reuid=postgres", "--regid=postgres", "--init-groups");
  }
  const data = join(dir, "data");
  const initdb = spawnSync("setpriv", [...asOwner, "--", join(bin, "initdb"), "-D", data, "--username=postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", ...composeInitdbArgs()], {
    encoding: "utf8",
  });
  if (initdb.status !== 0) throw new Error(`initdb failed:\n${initdb.stdout}${initdb.stderr}`);

  const port = await freePort();
  const logPath = join(dir, "postgres.log");
  const log = openSync(logPath, "a");
  // SIGINT is PostgreSQL's fast shutdown: it does not wait for Synapse's connections to close.
  const child: ChildProcess = spawn(
    "setpriv",
    [...asOwner, "--pdeathsig=INT", "--", join(bin, "postgres"), "-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    { stdio: ["ignore", log, log] },
  );
  closeSync(log);
  let exited = false;
  child.once("exit", () => (exited = true));

  const psql = (sql: string, database = "postgres") =>
    spawnSync(join(bin, "psql"), ["-h", dir, "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], { encoding: "utf8" });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL exited while starting:\n${readFileSync(logPath, "utf8")}`);
    if (psql("SELECT 1").status === 0) break;
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within 30 s:\n${readFileSync(logPath, "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    dir,
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
        child.kill("SIGINT");
        const until = Date.now() + 15_000;
        while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        if (!exited) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
