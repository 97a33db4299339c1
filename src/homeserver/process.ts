// Runs the real Synapse from the Debian sid root filesystem under bubblewrap:
// no container engine, no change to the host's mounts, one data folder bound at /data.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { rootfsDir } from "./paths.ts";
import { HomeserverError, requireBwrap, sandboxArgs } from "./rootfs.ts";

export { ensureRootfs, HomeserverError } from "./rootfs.ts";

function bwrapArgs(dataDir: string, dieWithParent: boolean): string[] {
  return sandboxArgs({ binds: [{ host: dataDir, inside: "/data" }], home: "/data", dieWithParent });
}

/** Run Synapse's own config check on the rendered homeserver.yaml of a data folder. */
export function checkSynapseConfig(dataDir: string): { ok: boolean; output: string } {
  requireBwrap();
  const run = spawnSync("bwrap", [...bwrapArgs(dataDir, true), "python3", "-m", "synapse.config", "-c", "/data/homeserver.yaml"], { encoding: "utf8" });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

export async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new HomeserverError(
          err.code === "EADDRINUSE" ? `port ${port} on ${host} is taken by another program; stop it, or choose another port with MCHLINK_PORT` : `cannot listen on ${host}:${port}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** A port nobody listens on right now (for tests; the OS picks it). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface StartOptions {
  dataDir: string;
  baseUrl: string;
  /** Tests: Synapse dies with the test process. `up`: Synapse outlives the CLI. */
  dieWithParent: boolean;
  timeoutMs?: number;
}

export interface RunningSynapse {
  pid: number;
  child: ChildProcess;
}

function logTail(dataDir: string): string {
  const log = join(dataDir, "synapse.log");
  if (!existsSync(log)) return "";
  return readFileSync(log, "utf8").split("\n").slice(-15).join("\n");
}

export async function startSynapse(opts: StartOptions): Promise<RunningSynapse> {
  requireBwrap();
  if (!existsSync(join(rootfsDir(), ".mchlink-ready"))) {
    throw new HomeserverError(`no Synapse root filesystem at ${rootfsDir()}; run \`npm run up\` (it builds it once)`);
  }
  const log = openSync(join(opts.dataDir, "synapse.log"), "a", 0o600);
  const child = spawn("bwrap", [...bwrapArgs(opts.dataDir, opts.dieWithParent), "python3", "-m", "synapse.app.homeserver", "--config-path", "/data/homeserver.yaml"], {
    stdio: ["ignore", log, log],
    detached: !opts.dieWithParent,
  });
  closeSync(log);
  if (!opts.dieWithParent) child.unref();
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? -1));
  await waitHealthy(opts.baseUrl, opts.timeoutMs ?? 90_000, () => {
    if (exited !== null) {
      throw new HomeserverError(`Synapse exited with code ${exited} while starting. Last lines of ${join(opts.dataDir, "synapse.log")}:\n${logTail(opts.dataDir)}`);
    }
  });
  return { pid: child.pid!, child };
}

export async function isHealthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function waitHealthy(baseUrl: string, timeoutMs: number, check: () => void = () => {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check();
    if (await isHealthy(baseUrl)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new HomeserverError(`Synapse at ${baseUrl} did not become healthy within ${Math.round(timeoutMs / 1000)} s`);
}

/** The process's command line, or undefined if it has gone. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Stop a Synapse started by startSynapse. bubblewrap does not pass signals on,
 * so Synapse itself (bwrap's child) gets the SIGTERM and shuts down cleanly;
 * bwrap exits with it.
 */
export async function stopSynapse(bwrapPid: number, graceMs = 20_000): Promise<void> {
  if (!isAlive(bwrapPid)) return;
  const inner = childrenOf(bwrapPid);
  for (const pid of inner) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(bwrapPid)) await new Promise((r) => setTimeout(r, 100));
  for (const pid of [...inner, bwrapPid]) if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

/** SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
export async function stopProcess(pid: number, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}
