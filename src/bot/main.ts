// Starting the bot: its identity (device, crypto store, cross-signing), its
// database and the runtime, wired to the handlers. Used by `mchlink bot`
// (foreground), by `npm run up` (detached) and by the tests (in-process).
import pino, { type Logger } from "pino";
import type { Province } from "../config/schema.ts";
import type { Deployment } from "../homeserver/deployment.ts";
import { connectBotIdentity, setUpCrossSigning, type BotIdentity, type BotIdentityOptions } from "../matrix/client.ts";
import { BotStore } from "../store/bot-store.ts";
import type { Clock } from "../util/clock.ts";
import { handlers, loadResources, type Handlers } from "./pipeline.ts";
import { BotRuntime } from "./runtime.ts";

export interface StartBotOptions {
  province: Province;
  deployment: Deployment;
  logger?: Logger;
  clock?: Clock;
  utdGraceMs?: number;
  tickMs?: number;
  resetIdentity?: boolean;
  /** Replace handlers (tests of the runtime's own mechanics). */
  handlers?: Handlers;
}

export interface RunningBot {
  runtime: BotRuntime;
  identity: BotIdentity;
  store: BotStore;
  stop(): Promise<void>;
}

export function botPaths(dep: Deployment) {
  return {
    dir: dep.path("bot"),
    database: dep.path("bot", "bot.sqlite"),
    cryptoDir: dep.path("bot", "crypto"),
    cryptoSecret: dep.path("bot", "crypto.key"),
    recoveryKey: dep.path("bot", "recovery-key.txt"),
    log: dep.path("bot", "bot.log"),
    status: dep.path("bot", "status.json"),
  };
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
  const runtime = new BotRuntime({
    province: opts.province,
    client: identity.client,
    store,
    logger,
    clock: opts.clock,
    utdGraceMs: opts.utdGraceMs,
    tickMs: opts.tickMs,
    ...(opts.handlers ?? handlers(opts.province, await loadResources(logger))),
  });
  try {
    await runtime.start();
    await setUpCrossSigning(identityOpts, identity);
  } catch (err) {
    await runtime.stop();
    store.close();
    identity.store.close();
    throw err;
  }
  return {
    runtime,
    identity,
    store,
    async stop() {
      await runtime.stop();
      store.close();
      identity.store.close();
    },
  };
}
