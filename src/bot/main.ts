// Starting the bot: its identity (device, crypto store, cross-signing), its
// database and the runtime, wired to the handlers. Used by `mchlink bot`
// (foreground), by `npm run up` (detached) and by the tests (in-process).
import pino, { type Logger } from "pino";
import type { Province } from "../config/schema.ts";
import { botPaths, type Deployment } from "../homeserver/deployment.ts";
import { connectBotIdentity, setUpCrossSigning, type BotIdentity, type BotIdentityOptions } from "../matrix/client.ts";
import { BotMetrics } from "../monitoring/bot-metrics.ts";
import { startMonitoringServer, type MonitoringAddress, type MonitoringServer } from "../monitoring/server.ts";
import type { SmsService } from "../sms/service.ts";
import { startSmsPaging } from "../sms/startup.ts";
import { BotStore } from "../store/bot-store.ts";
import type { Clock } from "../util/clock.ts";
import { registry } from "./commands.ts";
import { handlers, loadResources, type Handlers } from "./pipeline.ts";
import { BotRuntime } from "./runtime.ts";

export interface StartBotOptions {
  province: Province;
  deployment: Deployment;
  logger?: Logger;
  clock?: Clock;
  utdGraceMs?: number;
  tickMs?: number;
  /** See RuntimeOptions.timelineLimit (tests make it small). */
  timelineLimit?: number;
  resetIdentity?: boolean;
  /** Replace handlers (tests of the runtime's own mechanics). */
  handlers?: Handlers;
  /** Serve /healthz and /metrics there (`mchlink bot` reads MCHLINK_METRICS); none when absent. */
  monitoring?: MonitoringAddress;
}

export interface RunningBot {
  runtime: BotRuntime;
  identity: BotIdentity;
  store: BotStore;
  metrics: BotMetrics;
  /** Absent when not asked for, or when its port could not be opened (logged; the bot runs on). */
  monitoring?: MonitoringServer;
  /** SMS paging, when the province file has an `sms` section and it started (else the experts' room was told why). */
  sms?: SmsService;
  stop(): Promise<void>;
}

/**
 * matrix-js-sdk has no way to wait for a sync response it is still processing
 * after stopClient(); closing the crypto store under it makes the Rust crypto
 * fail on its last writes. Wait until the store has been quiet for a moment.
 */
async function quiesce(identity: BotIdentity, quietMs = 400, maxMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = identity.store.stats().commits;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = identity.store.stats().commits;
    if (now === last) return;
    last = now;
  }
}

export async function startBot(opts: StartBotOptions): Promise<RunningBot> {
  const dep = opts.deployment;
  const logger = opts.logger ?? pino({ level: process.env.MCHLINK_LOG_LEVEL ?? "info" });
  const hs = dep.requireHomeserver();
  const userId = `@${opts.province.bot.id}:${opts.province.homeserver.server_name}`;
  const creds = dep.readCredentials("bot");
  if (!creds?.password) throw new Error(`no bot password in ${dep.path("bot.json")}; run \`mchlink apply\` first (it creates the bot's account)`);
  const paths = botPaths(dep);
  const identityOpts: BotIdentityOptions = {
    baseUrl: hs.baseUrl,
    userId,
    password: creds.password,
    loadDevice: () => {
      const c = dep.readCredentials("bot");
      return c?.accessToken && c.deviceId ? { accessToken: c.accessToken, deviceId: c.deviceId } : undefined;
    },
    saveDevice: (d) => dep.saveCredentials("bot", { userId, password: creds.password, ...d }),
    storeDir: paths.cryptoDir,
    storeSecretFile: paths.cryptoSecret,
    recoveryKeyFile: paths.recoveryKey,
    logger,
    resetIdentity: opts.resetIdentity,
  };
  const identity = await connectBotIdentity(identityOpts);
  const store = new BotStore(paths.database);
  const metrics = new BotMetrics({ store, cryptoStore: identity.store, clock: opts.clock, commands: registry.commands.map((c) => c.name) });
  const unwatch = metrics.watchSync(identity.client);
  const resources = await loadResources(opts.province, logger);
  const runtime = new BotRuntime({
    province: opts.province,
    client: identity.client,
    store,
    logger,
    clock: opts.clock,
    utdGraceMs: opts.utdGraceMs,
    tickMs: opts.tickMs,
    timelineLimit: opts.timelineLimit,
    resources,
    ...(opts.handlers ?? handlers({ onCommand: (o) => metrics.commandHandled(o) })),
  });
  // Before the first sync, so that a health check says "starting" rather than nothing.
  const monitoring =
    opts.monitoring &&
    (await startMonitoringServer({ address: opts.monitoring, metrics, logger }).catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err), address: opts.monitoring }, "cannot serve /healthz and /metrics there; the bot runs without them (set MCHLINK_METRICS)");
      return undefined;
    }));
  let sms: SmsService | undefined;
  const stop = async () => {
    await sms?.stop();
    await monitoring?.close();
    await runtime.stop();
    unwatch();
    await quiesce(identity);
    store.close();
    identity.store.close();
  };
  try {
    await runtime.start();
    await setUpCrossSigning(identityOpts, identity);
  } catch (err) {
    await stop();
    throw err;
  }
  const smsStart = await startSmsPaging({
    ctx: { ...runtime.botContext, send: (origin, roomId, out) => runtime.send(origin, roomId, out) },
    deployment: dep,
    logger,
    ...(opts.tickMs !== undefined ? { tickMs: opts.tickMs } : {}),
  });
  if (smsStart.state === "on") sms = smsStart.service;
  if (smsStart.state !== "not_configured") metrics.smsPaging(smsStart.state === "on");
  return { runtime, identity, store, metrics, ...(monitoring ? { monitoring } : {}), ...(sms ? { sms } : {}), stop };
}
