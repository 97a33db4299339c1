// PostgreSQL's client programs (psql, pg_dump, pg_restore) of the same major
// version as the server they talk to. A pg_dump older than the server refuses
// to dump it, and a dump is only promised to restore with a pg_restore at least
// as new; using the server's own major for both removes the question.
//
// Where they come from, first found wins:
//   - PATH: the mchlink image installs postgresql-client of the compose file's major (Dockerfile);
//   - /usr/lib/postgresql/<major>/bin on this machine (Debian's packages);
//   - the shared Debian sid root filesystem (scripts/rootfs-add.sh postgresql-<major>),
//     run under bubblewrap like the local Synapse: how the tests and a local stack get them.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { rootfsDir } from "../homeserver/paths.ts";
import { sandboxArgs } from "../homeserver/rootfs.ts";

export type PgProgram = "psql" | "pg_dump" | "pg_restore";

/** Where libpq finds the server and the password; PGPASSFILE is a file on this machine. */
export interface PgConnection {
  host: string;
  port: number;
  user: string;
  database: string;
  passfile?: string;
}

export interface PgTools {
  major: number;
  /** Where they were found, for messages: "PATH", "/usr/lib/postgresql/18/bin", "the rootfs". */
  where: string;
  /** Run a program against `conn` (its -h/-p/-U/-d are added; none for a file-only run); stdout to `stdoutFd`, stdin from `stdinFd` when given. */
  run(program: PgProgram, conn: PgConnection | undefined, args: string[], opts?: { stdoutFd?: number; stdinFd?: number }): SpawnSyncReturns<string>;
}

function majorOf(versionLine: string): number | undefined {
  const m = /\(PostgreSQL\) (\d+)/.exec(versionLine);
  return m ? Number(m[1]) : undefined;
}

function connArgs(conn: PgConnection | undefined): string[] {
  if (!conn) return [];
  return ["--host", conn.host, "--port", String(conn.port), "--username", conn.user, "--dbname", conn.database];
}

/** Programs run directly from a bin folder ("" means PATH). */
function hostTools(bin: string, major: number, where: string): PgTools {
  return {
    major,
    where,
    run(program, conn, args, opts) {
      return spawnSync(bin ? join(bin, program) : program, [...connArgs(conn), ...args], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        stdio: [opts?.stdinFd ?? "ignore", opts?.stdoutFd ?? "pipe", "pipe"],
        env: { ...process.env, ...(conn?.passfile ? { PGPASSFILE: conn.passfile } : {}), PGCONNECT_TIMEOUT: "10" },
      });
    },
  };
}

/** Programs from the rootfs under bubblewrap; the pgpass file's folder is bound read-only at /tmp/pgpass. */
function rootfsTools(major: number): PgTools {
  const bin = `/usr/lib/postgresql/${major}/bin`;
  return {
    major,
    where: `the root filesystem ${rootfsDir()} (${bin})`,
    run(program, conn, args, opts) {
      const sandbox = sandboxArgs({ binds: [], home: "/tmp", dieWithParent: true });
      const env = ["--setenv", "PGCONNECT_TIMEOUT", "10"];
      if (conn?.passfile) {
        sandbox.push("--ro-bind", dirname(conn.passfile), "/tmp/pgpass");
        env.push("--setenv", "PGPASSFILE", join("/tmp/pgpass", basename(conn.passfile)));
      }
      return spawnSync("bwrap", [...sandbox, ...env, join(bin, program), ...connArgs(conn), ...args], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        stdio: [opts?.stdinFd ?? "ignore", opts?.stdoutFd ?? "pipe", "pipe"],
      });
    },
  };
}

function installedMajors(root: string): number[] {
  const dir = join(root, "usr", "lib", "postgresql");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map(Number)
    .filter((v) => Number.isInteger(v) && existsSync(join(dir, String(v), "bin", "pg_dump")))
    .sort((a, b) => b - a);
}

/** Every set of client programs this machine has, best first. */
export function availablePgTools(): PgTools[] {
  const found: PgTools[] = [];
  const onPath = spawnSync("pg_dump", ["--version"], { encoding: "utf8" });
  const pathMajor = onPath.status === 0 ? majorOf(onPath.stdout) : undefined;
  if (pathMajor) found.push(hostTools("", pathMajor, "PATH"));
  for (const major of installedMajors("/")) found.push(hostTools(`/usr/lib/postgresql/${major}/bin`, major, `/usr/lib/postgresql/${major}/bin`));
  if (spawnSync("bwrap", ["--version"]).status === 0) for (const major of installedMajors(rootfsDir())) found.push(rootfsTools(major));
  return found;
}

/** The server's major version (e.g. 18), asked with any psql at hand; an error says why not. */
export function serverMajor(tools: PgTools[], conn: PgConnection): { ok: true; major: number; version: string } | { ok: false; problem: string } {
  const any = tools[0];
  if (!any) return { ok: false, problem: "no PostgreSQL client programs on this machine: install postgresql-client (the mchlink image has it), or run scripts/rootfs-add.sh postgresql-18" };
  const run = any.run("psql", conn, ["--no-psqlrc", "--tuples-only", "--no-align", "--command", "SHOW server_version_num"]);
  if (run.status !== 0) return { ok: false, problem: `cannot reach PostgreSQL at ${conn.host}:${conn.port} as ${conn.user} (psql: ${run.stderr.trim().split("\n")[0] ?? run.error?.message})` };
  const num = Number(run.stdout.trim());
  return { ok: true, major: Math.floor(num / 10000), version: `${Math.floor(num / 10000)}.${num % 10000}` };
}

/** The client programs of exactly `major`, or what to install. */
export function pgToolsFor(tools: PgTools[], major: number): PgTools | string {
  const match = tools.find((t) => t.major === major);
  if (match) return match;
  const have = tools.length > 0 ? `this machine has ${[...new Set(tools.map((t) => t.major))].join(", ")}` : "this machine has none";
  return `the server is PostgreSQL ${major}, and its pg_dump and pg_restore must be the same major (${have}): install postgresql-client-${major}, or run scripts/rootfs-add.sh postgresql-${major}`;
}
