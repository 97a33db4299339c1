// The setup of the tests that run the bot as an operator does: a Synapse of the
// describe's own, the province applied by the real CLI, `mchlink bot` in a child
// process, and providers logged in to their district rooms and welcomed. Hooks
// are registered in the calling describe. The bot's log and the CLI output are
// kept after a failure, and their folder named.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, onTestFailed } from "vitest";
import { provisionWithCli, roomAlias, startBotProcess, type BotProcess } from "./bot-process.ts";
import { loginClient, type TestClient } from "./clients.ts";
import { waitForWelcomes, type Provider } from "./faults.ts";
import type { TestProvince } from "./province.ts";
import { startTestSynapse, type TestSynapse } from "./synapse.ts";

export interface BotRig {
  hs: TestSynapse;
  p: TestProvince;
  /** The folder of the CLI output and the bot's log. */
  logs: string;
  botLog: string;
  botUserId: string;
  /** The running bot; a test may kill it and start another with startBot(). */
  bot: BotProcess | undefined;
  /** The providers logged in at the start, in the order asked for. */
  providers: Provider[];
  startBot(): Promise<BotProcess>;
  /** Logs in a person; the client is stopped at the end. */
  login(localpart: string): Promise<TestClient>;
  /** Call at the start of a test: if it fails, the logs are kept. */
  keepLogsIfFailed(): void;
}

/** `providers`: a person and the key of their district room (e.g. ["nurse-n1", "district:north"]). */
export function botRig(name: string, providers: ReadonlyArray<readonly [string, string]>, env: NodeJS.ProcessEnv = {}): BotRig {
  const clients: TestClient[] = [];
  let failed = false;
  const rig = {
    bot: undefined,
    providers: [],
    async startBot() {
      rig.bot = await startBotProcess(rig.p, rig.botLog, 60_000, env);
      return rig.bot;
    },
    async login(localpart: string) {
      const client = await loginClient(rig.hs.baseUrl, localpart, rig.p.password(localpart));
      clients.push(client);
      return client;
    },
    keepLogsIfFailed() {
      onTestFailed(() => {
        failed = true;
      });
    },
  } as unknown as BotRig;

  beforeAll(async () => {
    rig.logs = mkdtempSync(join(tmpdir(), `mchlink-${name}-logs-`));
    rig.botLog = join(rig.logs, "bot.log");
    rig.hs = await startTestSynapse();
    rig.p = await provisionWithCli(rig.hs, join(rig.logs, "apply.log"));
    rig.botUserId = rig.p.userId(rig.p.province.bot.id);
    const started = rig.startBot();
    const logged = await Promise.all(providers.map(([localpart]) => rig.login(localpart)));
    await started;
    for (const [i, [, roomKey]] of providers.entries()) {
      const client = logged[i]!;
      rig.providers.push({ client, roomId: (await client.client.getRoomIdForAlias(roomAlias(rig.p, roomKey))).room_id });
    }
    await waitForWelcomes(rig.providers, rig.botUserId);
  });

  afterAll(async () => {
    for (const c of clients) await c.stop();
    await rig.bot?.kill();
    await rig.hs?.destroy();
    if (rig.p) rmSync(rig.p.deployment.dir, { recursive: true, force: true });
    if (rig.logs && !failed) rmSync(rig.logs, { recursive: true, force: true });
    if (failed) process.stderr.write(`the bot's log and the CLI output are kept in ${rig.logs}\n`);
  });

  return rig;
}
