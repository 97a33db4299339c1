// Synapse in worker mode for the suite and the benchmark, laid out as in
// production (src/homeserver/workers.ts): the main process and its workers from
// the same Debian sid rootfs under the same bubblewrap sandbox, Redis from that
// rootfs, PostgreSQL from test/support/postgres.ts, and in front the production
// Caddyfile (docker/Caddyfile, Debian's caddy) in plain HTTP on free loopback
// ports. Everything dies with the test process.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { mergeConfig, prepareDataDir, renderHomeserverConfig, type HomeserverSecrets, type HomeserverSettings } from "../../src/homeserver/config.ts";
import { repoRoot, rootfsDir } from "../../src/homeserver/paths.ts";
import { ensureRootfs, freePort, isAlive, stopSynapse, waitHealthy } from "../../src/homeserver/process.ts";
import { ensureRootfsPackages, requireBwrap, sandboxArgs } from "../../src/homeserver/rootfs.ts";
import { caddyRoutes, mainReplicationListener, sharedWorkerConfig, workerConfig, WORKERS, type Address, type WorkerName, type WorkerNetwork } from "../../src/homeserver/workers.ts";
import { MatrixHttp } from "../../src/matrix/http.ts";
import { registerWithSharedSecret } from "../../src/matrix/register.ts";
import { writeFileAtomic, writeSecretFile } from "../../src/util/files.ts";
import { commandExists, ensureDebianPackages, type Availability } from "./debian.ts";
import { postgresAvailability, startTestPostgres, type TestPostgres } from "./postgres.ts";
import { productionDatabase } from "./postgres.ts";
import { postgresDataDir } from "./postgres-synapse.ts";
import type { TestSynapse } from "./synapse.ts";

const LOOPBACK = "127.0.0.1";

/** Synapse talks to Redis through txredisapi (its `redis` extra), which the official image ships. */
function synapseRedisClient(): boolean {
  return spawnSync("bwrap", [...sandboxArgs({ binds: [], home: "/tmp", dieWithParent: true }), "python3", "-c", "import txredisapi"], { stdio: "ignore" }).status === 0;
}

/**
 * PostgreSQL and Caddy from Debian 12, Redis and Synapse's Redis reader from the sid rootfs: installed on first use.
 * Not available where Synapse's Redis client, txredisapi, is missing: Debian packages Synapse but not
 * txredisapi (neither bookworm nor sid), and this project installs nothing from PyPI, so on a Debian
 * machine worker mode cannot run until Debian has it or the rootfs gets it some other reviewed way.
 */
export function workerStackAvailability(): Availability {
  const pg = postgresAvailability();
  if (!pg.ok) return pg;
  const caddy = ensureDebianPackages(["caddy"], () => commandExists("caddy"));
  if (!caddy.ok) return caddy;
  ensureRootfs();
  if (!synapseRedisClient()) {
    return { ok: false, reason: "Synapse's Redis client (the Python package txredisapi) is not in the rootfs: Debian does not package it, so Synapse cannot run as workers here" };
  }
  ensureRootfsPackages(["redis-server", "python3-hiredis"]);
  if (!existsSync(join(rootfsDir(), "usr", "bin", "redis-server"))) return { ok: false, reason: "redis-server is missing from the rootfs after installing it" };
  return { ok: true };
}

export type ProcessName = "main" | WorkerName;

export interface WorkerStack {
  /** The proxy's internal site (routes plus the admin API): for mchlink and the bot, as in compose. Also `hs.baseUrl`. */
  internalUrl: string;
  /** The proxy's public site: what phones connect to. */
  publicUrl: string;
  /** The stack as a TestSynapse, for the helpers that provision and log in (its baseUrl is the internal site). */
  hs: TestSynapse;
  pg: TestPostgres;
  /** The Python process of each Synapse process (inside bubblewrap), for CPU figures and fault tests. */
  pid(name: ProcessName): number | undefined;
  /** The processes running: main, then the workers (none without workers). */
  processes: ProcessName[];
  /** SIGKILL one process (no clean shutdown), as a crash or the OOM killer would. */
  kill(name: ProcessName): Promise<void>;
  /** Start one process again (after kill) and wait until it is healthy. */
  start(name: ProcessName): Promise<void>;
  /** The last lines of one process's log. */
  logTail(name: ProcessName, lines?: number): string;
  destroy(): Promise<void>;
}

interface Running {
  bwrap: ChildProcess;
  exited: boolean;
}

function innerPid(bwrapPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${bwrapPid}/task/${bwrapPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return children[0];
  } catch {
    return undefined;
  }
}

async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean> | boolean, check: () => void = () => {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check();
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
}

export interface WorkerStackOptions {
  serverName?: string;
  /** false: the same stack (PostgreSQL, the production proxy) with the one Synapse process, no Redis: the benchmark's fair comparison. */
  workers?: boolean;
  /** Merged into the shared homeserver.yaml (e.g. production password hashing for the benchmark). */
  overrides?: Record<string, unknown>;
}

async function startRedis(dataDir: string, port: number, owned: Array<() => Promise<void> | void>): Promise<void> {
  const redisDir = join(dataDir, "redis");
  mkdirSync(redisDir, { recursive: true });
  const redisLog = openSync(join(dataDir, "redis.log"), "a", 0o600);
  const redis = spawn(
    "bwrap",
    [
      ...sandboxArgs({ binds: [{ host: redisDir, inside: "/var/lib/redis" }], home: "/var/lib/redis", dieWithParent: true }),
      "redis-server",
      "--port",
      String(port),
      "--bind",
      LOOPBACK,
      "--save",
      "",
      "--appendonly",
      "no",
    ],
    {
      stdio: ["ignore", redisLog, redisLog],
    },
  );
  closeSync(redisLog);
  owned.push(() => void redis.kill("SIGKILL"));
  await waitFor(
    "Redis",
    20_000,
    () => spawnSync("bwrap", [...sandboxArgs({ binds: [], home: "/tmp", dieWithParent: true }), "redis-cli", "-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG",
  );
}

export async function startWorkerStack(opts: WorkerStackOptions = {}): Promise<WorkerStack> {
  requireBwrap();
  const serverName = opts.serverName ?? "mchlink.test";
  const withWorkers = opts.workers ?? true;
  const workers = withWorkers ? WORKERS : [];
  const pg = await startTestPostgres();
  const owned: Array<() => Promise<void> | void> = [() => pg.stop()];
  const cleanup = async () => {
    for (const undo of owned.reverse()) await undo();
  };
  try {
    const dataDir = postgresDataDir(pg);
    owned.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = async () => await freePort(LOOPBACK);
    const ports = {
      main: await port(),
      mainReplication: await port(),
      redis: await port(),
      public: await port(),
      internal: await port(),
      admin: await port(),
      element: await port(),
      push: await port(),
    };
    const workerPorts = new Map<WorkerName, { client: number; replication: number }>();
    for (const w of WORKERS) workerPorts.set(w.name, { client: await port(), replication: await port() });
    const net: WorkerNetwork = {
      bindAddress: LOOPBACK,
      xForwarded: true,
      redis: { host: LOOPBACK, port: ports.redis },
      mainReplication: { host: LOOPBACK, port: ports.mainReplication },
      client: (name) => ({ host: LOOPBACK, port: workerPorts.get(name)!.client }),
      replication: (name) => ({ host: LOOPBACK, port: workerPorts.get(name)!.replication }),
    };

    // Redis, from the rootfs; replication traffic only, nothing kept on disk.
    if (withWorkers) await startRedis(dataDir, ports.redis, owned);

    // Synapse: the template's test profile, the production database section, the worker layout.
    const settings: HomeserverSettings = {
      serverName,
      publicBaseUrl: `http://${LOOPBACK}:${ports.public}/`,
      clientPort: ports.main,
      bindAddress: LOOPBACK,
      xForwarded: true,
      federationPartners: [],
      retention: { minLifetime: "1d", maxLifetime: "730d" },
      profile: "test",
    };
    writeSecretFile(join(dataDir, "worker_replication_secret"), randomBytes(32).toString("base64url") + "\n");
    const listeners = [...(renderHomeserverConfig(settings).listeners as unknown[]), ...(withWorkers ? [mainReplicationListener(net)] : [])];
    const base = mergeConfig(opts.overrides ?? {}, { database: productionDatabase(pg.port), listeners });
    const overrides = withWorkers ? mergeConfig(base, sharedWorkerConfig(net, "/data/worker_replication_secret")) : base;
    const secrets: HomeserverSecrets = prepareDataDir(dataDir, { ...settings, overrides });
    mkdirSync(join(dataDir, "workers"), { recursive: true });
    for (const w of workers) writeSecretFile(join(dataDir, "workers", `${w.name}.yaml`), stringify(workerConfig(w, net)));

    const running = new Map<ProcessName, Running>();
    const healthUrl = (name: ProcessName) => `http://${LOOPBACK}:${name === "main" ? ports.main : workerPorts.get(name)!.client}`;
    const logPath = (name: ProcessName) => join(dataDir, `${name}.log`);
    const logTail = (name: ProcessName, lines = 20) => (existsSync(logPath(name)) ? readFileSync(logPath(name), "utf8").split("\n").slice(-lines).join("\n") : "");
    const startProcess = async (name: ProcessName) => {
      const app =
        name === "main"
          ? ["synapse.app.homeserver", "--config-path", "/data/homeserver.yaml"]
          : ["synapse.app.generic_worker", "--config-path", "/data/homeserver.yaml", "--config-path", `/data/workers/${name}.yaml`];
      const log = openSync(logPath(name), "a", 0o600);
      const bwrap = spawn("bwrap", [...sandboxArgs({ binds: [{ host: dataDir, inside: "/data" }], home: "/data", dieWithParent: true }), "python3", "-m", ...app], {
        stdio: ["ignore", log, log],
      });
      closeSync(log);
      const proc: Running = { bwrap, exited: false };
      bwrap.once("exit", () => (proc.exited = true));
      running.set(name, proc);
      await waitHealthy(healthUrl(name), 120_000, () => {
        if (proc.exited) throw new Error(`Synapse ${name} exited while starting. Last lines of ${logPath(name)}:\n${logTail(name)}`);
      });
    };
    const stopAll = async () => {
      for (const [, proc] of [...running].reverse()) if (!proc.exited && proc.bwrap.pid) await stopSynapse(proc.bwrap.pid);
    };
    owned.push(stopAll);

    await startProcess("main");
    // The workers start side by side: each waits for the main process's replication, not for the others.
    await Promise.all(workers.map((w) => startProcess(w.name)));

    // The production proxy: docker/Caddyfile with its sites on loopback ports in plain HTTP.
    const caddyDir = mkdtempSync(join(tmpdir(), "mchlink-caddy-"));
    owned.push(() => rmSync(caddyDir, { recursive: true, force: true }));
    const main: Address = { host: LOOPBACK, port: ports.main };
    const routed = withWorkers ? net : undefined;
    writeFileAtomic(join(caddyDir, "synapse-routes.caddy"), caddyRoutes(main, routed, { admin: false }), 0o644);
    writeFileAtomic(join(caddyDir, "internal-routes.caddy"), caddyRoutes(main, routed, { admin: true }), 0o644);
    const caddyLog = openSync(join(caddyDir, "caddy.log"), "a", 0o600);
    const caddy = spawn("setpriv", ["--pdeathsig=KILL", "--", "caddy", "run", "--config", join(repoRoot, "docker", "Caddyfile"), "--adapter", "caddyfile"], {
      stdio: ["ignore", caddyLog, caddyLog],
      env: {
        ...process.env,
        HOME: caddyDir,
        XDG_DATA_HOME: caddyDir,
        XDG_CONFIG_HOME: caddyDir,
        MCHLINK_DOMAIN: `http://${LOOPBACK}:${ports.public}`,
        MCHLINK_ACME_EMAIL: "suite@mchlink.invalid",
        MCHLINK_ELEMENT_DOMAIN: `http://${LOOPBACK}:${ports.element}`,
        MCHLINK_PUSH_DOMAIN: `http://${LOOPBACK}:${ports.push}`,
        MCHLINK_INTERNAL_SITE: `http://${LOOPBACK}:${ports.internal}`,
        MCHLINK_CADDY_ADMIN: `${LOOPBACK}:${ports.admin}`,
        MCHLINK_ROUTES_DIR: caddyDir,
      },
    });
    closeSync(caddyLog);
    let caddyExited = false;
    caddy.once("exit", () => (caddyExited = true));
    owned.splice(owned.length - 1, 0, () => void caddy.kill("SIGKILL"));
    const internalUrl = `http://${LOOPBACK}:${ports.internal}`;
    const publicUrl = `http://${LOOPBACK}:${ports.public}`;
    const answers = async (url: string) => {
      try {
        return (await fetch(`${url}/_matrix/client/versions`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        return false;
      }
    };
    await waitFor(
      "Caddy",
      30_000,
      async () => (await answers(internalUrl)) && (await answers(publicUrl)),
      () => {
        if (caddyExited) throw new Error(`caddy exited:\n${readFileSync(join(caddyDir, "caddy.log"), "utf8").slice(-3000)}`);
      },
    );

    const http = new MatrixHttp({ baseUrl: internalUrl, retries: 3, backoffMs: 200 });
    const hs: TestSynapse = {
      baseUrl: internalUrl,
      serverName,
      port: ports.internal,
      dataDir,
      secrets,
      http,
      async registerUser(localpart, o = {}) {
        const password = randomBytes(12).toString("base64url");
        const session = await registerWithSharedSecret(http, secrets.registration_shared_secret, { localpart, password, admin: o.admin ?? false, displayName: o.displayName });
        return { ...session, password };
      },
      async stop() {
        await stopAll();
      },
      async start() {
        await startProcess("main");
        await Promise.all(workers.map((w) => startProcess(w.name)));
      },
      async restart() {
        await hs.stop();
        await hs.start();
      },
      async destroy() {
        await cleanup();
      },
    };
    return {
      internalUrl,
      publicUrl,
      hs,
      pg,
      processes: ["main", ...workers.map((w) => w.name)],
      pid: (name) => {
        const proc = running.get(name);
        return proc && !proc.exited && proc.bwrap.pid ? innerPid(proc.bwrap.pid) : undefined;
      },
      async kill(name) {
        const proc = running.get(name);
        if (!proc || proc.exited || !proc.bwrap.pid) return;
        const inner = innerPid(proc.bwrap.pid);
        if (inner) process.kill(inner, "SIGKILL");
        await waitFor(`the end of ${name}`, 10_000, () => proc.exited || !isAlive(proc.bwrap.pid!));
      },
      start: startProcess,
      logTail,
      destroy: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
