// The local stack that `npm run up` starts and `npm run down` stops: a Synapse
// on loopback (SQLite) with its data in the deployment folder, provisioned from
// the province config, and the bot.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { startBot } from "../bot/main.ts";
import { BOT_ENV, BOT_NODE_FLAGS, missingBotSettings } from "../bot/node-flags.ts";
import type { Province } from "../config/schema.ts";
import { prepareDataDir, provinceSettings } from "../homeserver/config.ts";
import { botPaths, type Deployment, type HomeserverInfo } from "../homeserver/deployment.ts";
import { assertPortFree, commandLine, ensureRootfs, isAlive, isHealthy, startSynapse, stopProcess, stopSynapse } from "../homeserver/process.ts";
import { parseMonitoringAddress } from "../monitoring/server.ts";
import { readJsonIfExists, writeFileAtomic } from "../util/files.ts";
import { repoRoot } from "../homeserver/paths.ts";

export interface Pids {
  synapse?: number;
  bot?: number;
  /** The local Kannel (src/sms/local.ts), when the province pages by SMS. */
  smsbox?: number;
  bearerbox?: number;
}

export function readPids(dep: Deployment): Pids {
  return readJsonIfExists<Pids>(dep.path("pids.json")) ?? {};
}

export function writePids(dep: Deployment, pids: Pids): void {
  writeFileAtomic(dep.path("pids.json"), JSON.stringify(pids, null, 2) + "\n", 0o644);
}

/**
 * The pid of a service `up` started, if that process still runs. A recorded pid is
 * checked against the process's command line (which names this deployment's
 * folder), because pids are reused: a stale one must never be signalled.
 */
export function runningPid(dep: Deployment, name: keyof Pids): number | undefined {
  const pid = readPids(dep)[name];
  if (!pid || !isAlive(pid)) return undefined;
  const marker = name === "synapse" ? (dep.homeserver()?.dataDir ?? dep.dir) : dep.dir;
  return commandLine(pid)?.includes(marker) ? pid : undefined;
}

/**
 * A bot that an operator runs with `mchlink bot` (in a terminal, or under a
 * service manager) rather than `up`: it names itself in bot/status.json. Its pid
 * counts only while that process holds a file of this deployment's bot folder
 * open (its database), which a reused pid would not.
 */
export function foregroundBotPid(dep: Deployment): number | undefined {
  const paths = botPaths(dep);
  const pid = readJsonIfExists<{ pid?: number }>(paths.status)?.pid;
  if (!pid || pid === process.pid || !isAlive(pid)) return undefined;
  try {
    const fds = `/proc/${pid}/fd`;
    return readdirSync(fds).some((fd) => readlinkSafe(join(fds, fd))?.startsWith(paths.dir + "/")) ? pid : undefined;
  } catch {
    return undefined; // not ours to inspect, or gone meanwhile
  }
}

function readlinkSafe(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** The running bot, whether `up` started it or an operator runs it in the foreground. */
export function botPid(dep: Deployment): { pid: number; foreground: boolean } | undefined {
  const started = runningPid(dep, "bot");
  if (started) return { pid: started, foreground: false };
  const foreground = foregroundBotPid(dep);
  return foreground ? { pid: foreground, foreground: true } : undefined;
}

export function localPort(): number {
  const port = Number(process.env.MCHLINK_PORT ?? 8008);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`MCHLINK_PORT must be a port number, found ${process.env.MCHLINK_PORT}`);
  return port;
}

/** Start the local Synapse unless it already runs; returns what was recorded. */
export async function ensureLocalSynapse(dep: Deployment, province: Province, log: (line: string) => void): Promise<HomeserverInfo> {
  dep.ensureDir();
  const recorded = dep.homeserver();
  const serverName = province.homeserver.server_name;
  if (recorded && recorded.serverName !== serverName) {
    throw new Error(
      `the local homeserver in ${dep.dir} was created for server name ${recorded.serverName}, but the config says ${serverName}. ` +
        "A Matrix server name cannot change; use another state folder (MCHLINK_STATE) or `npm run down -- --destroy` to start over.",
    );
  }
  const port = recorded ? Number(new URL(recorded.baseUrl).port) : localPort();
  const baseUrl = recorded?.baseUrl ?? `http://127.0.0.1:${port}`;
  const dataDir = recorded?.dataDir ?? join(dep.dir, "synapse");
  const info: HomeserverInfo = { baseUrl, serverName, dataDir };
  const pids = readPids(dep);
  if (runningPid(dep, "synapse") && (await isHealthy(baseUrl))) {
    log(`Synapse is already running (pid ${pids.synapse}) at ${baseUrl}`);
    return info;
  }
  ensureRootfs();
  await assertPortFree("127.0.0.1", port);
  prepareDataDir(dataDir, {
    serverName,
    publicBaseUrl: `${baseUrl}/`,
    clientPort: port,
    bindAddress: "127.0.0.1",
    xForwarded: false,
    ...provinceSettings(province),
    profile: "local",
  });
  dep.saveHomeserver(info);
  log(`Starting Synapse at ${baseUrl} (data in ${dataDir})`);
  const running = await startSynapse({ dataDir, baseUrl, dieWithParent: false });
  writePids(dep, { ...pids, synapse: running.pid });
  return info;
}

/** Stop what `up` started; the data stays unless the caller removes the folder. */
export async function stopLocalStack(dep: Deployment, log: (line: string) => void): Promise<void> {
  for (const name of ["bot", "smsbox", "bearerbox", "synapse"] as const) {
    const pid = runningPid(dep, name);
    if (pid) {
      log(`Stopping ${name} (pid ${pid})`);
      await (name === "synapse" ? stopSynapse(pid) : stopProcess(pid));
    }
  }
  if (existsSync(dep.path("pids.json"))) writePids(dep, {});
  const foreground = foregroundBotPid(dep);
  if (foreground) log(`A bot started with \`mchlink bot\` still runs (pid ${foreground}); stop it where it was started (Ctrl-C, or SIGTERM)`);
}

/** `mchlink bot`: run until SIGTERM/SIGINT, then stop cleanly (the crypto store is closed after the client). */
export async function runBotForeground(province: Province, dep: Deployment, opts: { resetIdentity: boolean }): Promise<void> {
  const logger = pino({ level: process.env.MCHLINK_LOG_LEVEL ?? "info" });
  const monitoring = parseMonitoringAddress(process.env.MCHLINK_METRICS);
  if (!monitoring.ok) throw new Error(monitoring.error);
  const missing = missingBotSettings();
  if (missing.length > 0) logger.warn({ missing }, "the bot runs without the memory settings it is measured with; expect two to three times the memory (src/bot/node-flags.ts)");
  const bot = await startBot({ province, deployment: dep, logger, resetIdentity: opts.resetIdentity, monitoring: monitoring.address });
  writeFileAtomic(botPaths(dep).status, JSON.stringify({ pid: process.pid, user_id: bot.runtime.botUserId, device_id: bot.identity.deviceId, started_at: new Date().toISOString() }) + "\n", 0o644);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  logger.info("stopping");
  await bot.stop();
  logger.info("stopped");
  // matrix-js-sdk leaves a timer behind for every request's timeout (110 s for a /sync): the stopped
  // bot would linger that long, and `npm run down` would SIGKILL it. Everything is closed by now.
  process.exit(0);
}

/** Start the bot in the background unless it already runs; wait until it has synced. */
export async function ensureBotRunning(dep: Deployment, configPath: string, log: (line: string) => void): Promise<{ pid: number; userId: string; log: string }> {
  const paths = botPaths(dep);
  const pids = readPids(dep);
  const status = () => readJsonIfExists<{ pid: number; user_id: string }>(paths.status);
  const current = status();
  const running = runningPid(dep, "bot");
  if (running && current && current.pid === running) {
    log(`The bot is already running (pid ${running})`);
    return { pid: running, userId: current.user_id, log: paths.log };
  }
  // A second bot on the same device and crypto store must never start beside it.
  const foreground = foregroundBotPid(dep);
  if (foreground && current) {
    log(`The bot is already running in the foreground (pid ${foreground}, started with \`mchlink bot\`); leaving it be`);
    return { pid: foreground, userId: current.user_id, log: paths.log };
  }
  if (pids.bot && !runningPid(dep, "bot")) log(`The bot (pid ${pids.bot}) is not running any more; starting it again`);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const out = openSync(paths.log, "a", 0o600);
  const child = spawn(process.execPath, [...BOT_NODE_FLAGS, "--disable-warning=ExperimentalWarning", join(repoRoot, "src", "cli", "main.ts"), "--state", dep.dir, "bot", configPath], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, ...BOT_ENV },
  });
  closeSync(out);
  child.unref();
  writePids(dep, { ...readPids(dep), bot: child.pid });
  log(`Starting the bot (pid ${child.pid}); its log is ${paths.log}`);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const s = status();
    if (s && s.pid === child.pid) return { pid: s.pid, userId: s.user_id, log: paths.log };
    if (!isAlive(child.pid!)) {
      const tail = existsSync(paths.log) ? readFileSync(paths.log, "utf8").split("\n").slice(-8).join("\n") : "";
      throw new Error(`the bot stopped while starting; last lines of ${paths.log}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the bot did not finish starting within 3 minutes; see ${paths.log}`);
}
