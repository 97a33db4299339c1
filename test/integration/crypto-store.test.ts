// The durable crypto store against a real Synapse: a bot (child process, durable store, saved
// session) and a user in an encrypted room. Stopped, the bot still decrypts what was sent meanwhile;
// SIGKILLed right after telling the server it may delete a room key's to-device message, it still
// has the key.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ClientEvent, createClient, type MatrixClient } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeLibraryLogs, sdkLogger } from "../../src/matrix/logging.ts";
import type { BotConfig, KillRecord, Report } from "../support/crypto-child-bot.ts";
import { startTestSynapse, uniqueName, type TestSynapse, type TestUser } from "../support/synapse.ts";

const botScript = new URL("../support/crypto-child-bot.ts", import.meta.url).pathname;
const FLUSH_TYPE = "org.mchlink.test.flush";

class Bot {
  readonly reports: Report[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = "";
  readonly #proc: ChildProcess;

  constructor(config: BotConfig) {
    this.#proc = fork(botScript, [JSON.stringify(config)], { execArgv: ["--no-warnings"], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    this.#proc.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.#proc.on("message", (message) => this.reports.push(message as Report));
    this.exited = new Promise((resolve) => this.#proc.once("exit", (code, signal) => resolve({ code, signal })));
  }

  send(message: { type: string; sender?: string; flushType?: string }): void {
    this.#proc.send(message);
  }

  /** The first report (already received or to come) that matches. */
  async waitFor<T extends Report["type"]>(type: T, matches: (r: Extract<Report, { type: T }>) => boolean = () => true, timeoutMs = 45_000): Promise<Extract<Report, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.reports.find((r): r is Extract<Report, { type: T }> => r.type === type && matches(r as Extract<Report, { type: T }>));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`bot sent no ${type} report in ${timeoutMs} ms; its stderr:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    this.#proc.kill("SIGKILL");
  }
}

/** Types of the to-device messages Synapse still holds for a device (read from its database). */
function pendingToDevice(hs: TestSynapse, userId: string, deviceId: string): string[] {
  const db = new DatabaseSync(join(hs.dataDir, "homeserver.db"), { readOnly: true });
  try {
    return db
      .prepare("SELECT message_json FROM device_inbox WHERE user_id = ? AND device_id = ? ORDER BY stream_id")
      .all(userId, deviceId)
      .map((row) => (JSON.parse(row.message_json as string) as { type: string }).type);
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("durable crypto store with a real Synapse", () => {
  let hs: TestSynapse;
  let dir: string;
  let botUser: TestUser;
  let alice: MatrixClient;
  let roomId: string;
  let config: BotConfig;
  const bots: Bot[] = [];
  const startBot = (): Bot => {
    const bot = new Bot(config);
    bots.push(bot);
    return bot;
  };

  beforeAll(async () => {
    // Synapse replays cached /sync responses (2 minutes by default) to a client repeating a request,
    // as a restarted bot does: old to-device messages would come back and hide a lost key.
    hs = await startTestSynapse({ overrides: { caches: { sync_response_cache_duration: 0 } } });
    dir = mkdtempSync(join(tmpdir(), "mchlink-crypto-e2e-"));
    botUser = await hs.registerUser(uniqueName("bot"));
    const aliceUser = await hs.registerUser(uniqueName("alice"));
    config = {
      baseUrl: hs.baseUrl,
      storeDir: join(dir, "store"),
      secretFile: join(dir, "store-secret"),
      sessionFile: join(dir, "session.json"),
      statusFile: join(dir, "status.jsonl"),
    };
    writeFileSync(config.sessionFile, JSON.stringify(botUser), { mode: 0o600 });
    writeFileSync(config.statusFile, "");

    const log = pino({ level: "error" });
    await routeLibraryLogs(log);
    alice = createClient({ baseUrl: hs.baseUrl, ...aliceUser, logger: sdkLogger(log) });
    await alice.initRustCrypto({ useIndexedDB: false });
    const prepared = new Promise<void>((resolve) => alice.once(ClientEvent.Sync, () => resolve()));
    await alice.startClient({ initialSyncLimit: 0 });
    await prepared;
  });

  afterAll(async () => {
    alice?.stopClient();
    for (const bot of bots) bot.kill();
    await hs?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("decrypts after a restart a message sent with a new room key while it was stopped", async () => {
    const first = startBot();
    const ready = await first.waitFor("ready");
    ({ room_id: roomId } = await alice.createRoom({
      invite: [botUser.userId],
      initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    }));
    await first.waitFor("joined", (r) => r.roomId === roomId);
    await until(() => alice.getRoom(roomId)?.getMember(botUser.userId)?.membership === "join", "alice to see the bot join");
    await alice.sendTextMessage(roomId, "while the bot runs");
    await first.waitFor("decrypted", (r) => r.body === "while the bot runs");

    first.send({ type: "stop" });
    expect((await first.exited).code, first.stderr).toBe(0);

    await alice.getCrypto()!.forceDiscardSession(roomId);
    const { event_id } = await alice.sendTextMessage(roomId, "sent while the bot was down");

    const second = startBot();
    const again = await second.waitFor("ready");
    // Same Olm account: the store was restored, not recreated.
    expect(again.identityKeys).toEqual(ready.identityKeys);
    const decrypted = await second.waitFor("decrypted", (r) => r.eventId === event_id);
    expect(decrypted.body).toBe("sent while the bot was down");
    expect(second.reports.some((r) => r.type === "undecryptable" && r.eventId === event_id)).toBe(false);

    second.send({ type: "stats" });
    const { stats } = await second.waitFor("stats");
    expect((stats as { refused: number }).refused).toBe(0);
    second.send({ type: "stop" });
    expect((await second.exited).code, second.stderr).toBe(0);
  });

  it("keeps a room key when SIGKILLed right after the server deleted its to-device message", async () => {
    const bot = startBot();
    const { deviceId } = await bot.waitFor("ready");
    bot.send({ type: "arm-kill", sender: alice.getUserId()!, flushType: FLUSH_TYPE });
    // Let the arm message arrive before the key can.
    await new Promise((resolve) => setTimeout(resolve, 300));

    await alice.getCrypto()!.forceDiscardSession(roomId);
    const { event_id } = await alice.sendTextMessage(roomId, "sent just before the kill");
    // The bot has processed the key and sent the /sync that acknowledges it. Synapse deletes
    // acknowledged to-device messages when it answers such a /sync with newer ones: send one.
    await bot.waitFor("acknowledging");
    await alice.sendToDevice(FLUSH_TYPE, new Map([[botUser.userId, new Map([[deviceId, {}]])]]));
    expect((await bot.exited).signal, bot.stderr).toBe("SIGKILL");
    // The server really forgot the key's message: only the flush message is left for the bot.
    expect(pendingToDevice(hs, botUser.userId, deviceId)).toEqual([FLUSH_TYPE]);
    // Nobody else can hand the key out again now: the sender is gone and key requests are off.
    alice.stopClient();

    const lines = readFileSync(config.statusFile, "utf8").split("\n").filter(Boolean);
    const kills = lines.map((l) => (JSON.parse(l) as { kill: KillRecord }).kill);
    expect(kills).toHaveLength(1);
    const kill = kills[0]!;
    expect(kill.nextSyncSince).not.toBeNull();
    // Between the response with the key and the acknowledging /sync, the key was committed, and a
    // commit is on disk before it completes.
    const before = kill.storesAtKeyResponse.inbound_group_sessions3 ?? 0;
    expect(kill.storesAtNextSyncRequest.inbound_group_sessions3 ?? 0).toBeGreaterThan(before);

    const restarted = startBot();
    await restarted.waitFor("ready");
    const decrypted = await restarted.waitFor("decrypted", (r) => r.eventId === event_id);
    expect(decrypted.body).toBe("sent just before the kill");
    // ...from the store: the server no longer had the key's to-device message to deliver again.
    const fromAlice = restarted.reports.filter((r) => r.type === "to-device" && r.sender === alice.getUserId());
    expect(fromAlice.map((r) => (r as { eventType: string }).eventType)).not.toContain("m.room.encrypted");
    restarted.send({ type: "stats" });
    expect(((await restarted.waitFor("stats")).stats as { refused: number }).refused).toBe(0);
    restarted.send({ type: "stop" });
    expect((await restarted.exited).code, restarted.stderr).toBe(0);
  });
});
