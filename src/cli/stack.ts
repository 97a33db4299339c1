// The local stack that `npm run up` starts and `npm run down` stops: a Synapse
// on loopback (SQLite) with its data in the deployment folder, provisioned from
// the province config, and the bot.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Province } from "../config/schema.ts";
import { prepareDataDir } from "../homeserver/config.ts";
import type { Deployment, HomeserverInfo } from "../homeserver/deployment.ts";
import { assertPortFree, ensureRootfs, isAlive, isHealthy, startSynapse, stopProcess } from "../homeserver/process.ts";
import { readJsonIfExists, writeFileAtomic } from "../util/files.ts";

export interface Pids {
  synapse?: number;
  bot?: number;
}

export function readPids(dep: Deployment): Pids {
  return readJsonIfExists<Pids>(dep.path("pids.json")) ?? {};
}

export function writePids(dep: Deployment, pids: Pids): void {
  writeFileAtomic(dep.path("pids.json"), JSON.stringify(pids, null, 2) + "\n", 0o644);
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
  if (pids.synapse && isAlive(pids.synapse) && (await isHealthy(baseUrl))) {
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
    federationPartners: province.federation.partners,
    retention: { minLifetime: province.retention.min_lifetime, maxLifetime: province.retention.max_lifetime },
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
  const pids = readPids(dep);
  for (const name of ["bot", "synapse"] as const) {
    const pid = pids[name];
    if (pid && isAlive(pid)) {
      log(`Stopping ${name} (pid ${pid})`);
      await stopProcess(pid);
    }
  }
  if (existsSync(dep.path("pids.json"))) writePids(dep, {});
}
