// Child process for test/integration/crypto-store.test.ts: a matrix-js-sdk bot with the durable
// crypto store, so the test can stop it, SIGKILL it at a chosen moment and start it again.
//
//   node crypto-child-bot.ts '<BotConfig as JSON>'     (forked: talks to the parent over IPC)
//
// Parent → child: {type: "arm-kill", sender, flushType}: once a room key from `sender` has been
// processed, report "acknowledging" when the next /sync (the one that tells the server it may delete
// the key's to-device message) is sent; SIGKILL this process as soon as a /sync response carries a
// to-device message of type `flushType`, i.e. once the server has certainly deleted the older ones (Synapse
// deletes acknowledged messages when it next has new ones for the device). {type: "stop"}: stop
// cleanly. {type: "stats"}: report store stats and memory.
import { appendFileSync, readFileSync } from "node:fs";
import { ClientEvent, createClient, MatrixEventEvent, RoomMemberEvent, type MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { openDurableCryptoStore } from "../../src/matrix/crypto-store.ts";
import { routeLibraryLogs, sdkLogger } from "../../src/matrix/logging.ts";

export interface BotConfig {
  baseUrl: string;
  storeDir: string;
  secretFile: string;
  /** JSON file with the bot's session: {userId, accessToken, deviceId}, as a deployment would keep it. */
  sessionFile: string;
  /** JSON lines written synchronously, so they survive the SIGKILL. */
  statusFile: string;
}

export type Report =
  | { type: "ready"; deviceId: string; identityKeys: { ed25519: string; curve25519: string } }
  | { type: "joined"; roomId: string }
  | { type: "acknowledging" }
  | { type: "decrypted"; roomId: string; eventId: string; body: string }
  | { type: "undecryptable"; roomId: string; eventId: string }
  | { type: "to-device"; eventType: string; sender: string }
  | { type: "stats"; stats: unknown; rssBytes: number; heapUsedBytes: number };

export interface KillRecord {
  /** Commits per object store when the /sync response with the room key arrived (before processing)... */
  storesAtKeyResponse: Record<string, number>;
  /** ...and when the next /sync, which lets the server delete it, was sent. */
  storesAtNextSyncRequest: Record<string, number>;
  nextSyncSince: string | null;
}

const config = JSON.parse(process.argv[2] ?? "") as BotConfig;
const session = JSON.parse(readFileSync(config.sessionFile, "utf8")) as { userId: string; accessToken: string; deviceId: string };
const log = pino({ level: "warn" }, pino.destination(2));
const report = (r: Report): void => {
  process.send?.(r);
};
const record = (line: unknown): void => appendFileSync(config.statusFile, `${JSON.stringify(line)}\n`);

await routeLibraryLogs(log);

const store = await openDurableCryptoStore({ dir: config.storeDir, secretFile: config.secretFile, logger: log });
const bound = store.device();
if (!bound) {
  store.bindDevice(session);
} else if (bound.userId !== session.userId || bound.deviceId !== session.deviceId) {
  throw new Error("the crypto store belongs to another device than the saved session");
}

let killSender: string | undefined;
let flushType: string | undefined;
let storesAtLastResponse: Record<string, number> = {};
let storesAtKeyResponse: Record<string, number> | undefined;
let acknowledged = false;

async function fetchWithKillSwitch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input.toString());
  const isSync = url.pathname.endsWith("/sync");
  if (isSync && storesAtKeyResponse && !acknowledged) {
    // matrix-js-sdk sends this only after it finished processing the response with the key.
    acknowledged = true;
    const kill: KillRecord = {
      storesAtKeyResponse,
      storesAtNextSyncRequest: store.stats().byStore,
      nextSyncSince: url.searchParams.get("since"),
    };
    record({ kill });
    report({ type: "acknowledging" });
  }
  const response = await fetch(input, init);
  if (!isSync || !response.ok) return response;
  storesAtLastResponse = store.stats().byStore;
  const body = (await response.clone().json()) as { to_device?: { events?: { type: string; sender: string }[] } };
  const toDevice = body.to_device?.events ?? [];
  if (acknowledged && toDevice.some((e) => e.type === flushType)) process.kill(process.pid, "SIGKILL");
  for (const event of toDevice) report({ type: "to-device", eventType: event.type, sender: event.sender });
  return response;
}

const client = createClient({
  baseUrl: config.baseUrl,
  userId: session.userId,
  deviceId: session.deviceId,
  accessToken: session.accessToken,
  logger: sdkLogger(log),
  fetchFn: fetchWithKillSwitch,
});
await client.initRustCrypto({ useIndexedDB: true, cryptoDatabasePrefix: store.prefix, ...(store.storageKey ? { storageKey: store.storageKey } : {}) });

client.on(RoomMemberEvent.Membership, (_event, member) => {
  if (member.userId !== session.userId) return;
  if (member.membership === "invite") void client.joinRoom(member.roomId);
  if (member.membership === "join") report({ type: "joined", roomId: member.roomId });
});
client.on(MatrixEventEvent.Decrypted, (event: MatrixEvent) => {
  const roomId = event.getRoomId() ?? "";
  const eventId = event.getId() ?? "";
  if (event.isDecryptionFailure()) report({ type: "undecryptable", roomId, eventId });
  else if (event.getType() === "m.room.message") report({ type: "decrypted", roomId, eventId, body: String(event.getContent().body) });
});

client.on(ClientEvent.ReceivedToDeviceMessage, ({ message }) => {
  // Emitted after the crypto layer has processed (and saved) the sync response's to-device messages.
  if (killSender && !storesAtKeyResponse && message.type === "m.room_key" && message.sender === killSender) {
    storesAtKeyResponse = storesAtLastResponse;
  }
});
process.on("message", (message: { type: string; sender?: string; flushType?: string }) => {
  if (message.type === "arm-kill") ({ sender: killSender, flushType } = message);
  if (message.type === "stats") {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    report({ type: "stats", stats: store.stats(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed });
  }
  if (message.type === "stop") {
    client.stopClient();
    // Let requests already in flight settle before the store refuses writes.
    setTimeout(() => {
      store.close();
      process.exit(0);
    }, 500);
  }
});

client.once(ClientEvent.Sync, () => {
  const keys = client.getCrypto()?.getOwnDeviceKeys();
  void keys?.then((k) => report({ type: "ready", deviceId: session.deviceId, identityKeys: k }));
});
await client.startClient({ initialSyncLimit: 20, pollTimeout: 1000 });
