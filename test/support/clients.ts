// Real E2EE Matrix clients for the tests: matrix-js-sdk with its Rust crypto
// (in memory), logged in with a password like a person using Element would be.
import { ClientEvent, createClient, EventType, MatrixEventEvent, RoomEvent, SyncState, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { logger as sdkGlobalLogger, type Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";

const quiet: SdkLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, getChild: () => quiet };
(sdkGlobalLogger as unknown as { setLevel(level: string): void }).setLevel("error");

export interface TestClient {
  client: MatrixClient;
  userId: string;
  /** Every decrypted (or plain) timeline event, in arrival order. */
  events: MatrixEvent[];
  send(roomId: string, body: string, extra?: Record<string, unknown>): Promise<string>;
  /** Wait for an event matching `match`, looking at what already arrived first. */
  waitFor(match: (e: MatrixEvent) => boolean, timeoutMs?: number, label?: string): Promise<MatrixEvent>;
  stop(): Promise<void>;
}

export async function loginClient(baseUrl: string, user: string, password: string): Promise<TestClient> {
  const login = await fetch(`${baseUrl}/_matrix/client/v3/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user }, password, initial_device_display_name: "test phone" }),
  });
  if (!login.ok) throw new Error(`login of ${user} failed: ${login.status} ${await login.text()}`);
  const s = (await login.json()) as { user_id: string; access_token: string; device_id: string };
  const client = createClient({ baseUrl, userId: s.user_id, accessToken: s.access_token, deviceId: s.device_id, logger: quiet });
  await client.initRustCrypto({ useIndexedDB: false });
  const events: MatrixEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  client.on(RoomEvent.Timeline, (event, _room, toStart) => {
    if (toStart) return;
    void client.decryptEventIfNeeded(event).then(() => {
      events.push(event);
      notify();
    });
  });
  client.on(MatrixEventEvent.Decrypted, () => notify());
  const ready = new Promise<void>((resolve) => {
    const on = (state: SyncState) => {
      if (state === SyncState.Prepared) {
        client.off(ClientEvent.Sync, on);
        resolve();
      }
    };
    client.on(ClientEvent.Sync, on);
  });
  await client.startClient({ initialSyncLimit: 20 });
  await ready;
  return {
    client,
    userId: s.user_id,
    events,
    async send(roomId, body, extra = {}) {
      const res = await client.sendEvent(roomId, EventType.RoomMessage, { msgtype: "m.text", body, ...extra } as never);
      return res.event_id;
    },
    waitFor(match, timeoutMs = 30_000, label = "an event") {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => !e.isDecryptionFailure() && match(e));
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${s.user_id} did not see ${label} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      client.stopClient();
    },
  };
}

/** Replies (m.relates_to.m.in_reply_to or thread) to a given event, from a given sender. */
export function isAnswerTo(eventId: string, sender: string) {
  return (e: MatrixEvent) => {
    if (e.getSender() !== sender || e.getType() !== "m.room.message") return false;
    const rel = e.getContent()["m.relates_to"] as { event_id?: string; "m.in_reply_to"?: { event_id?: string } } | undefined;
    return rel?.["m.in_reply_to"]?.event_id === eventId || rel?.event_id === eventId;
  };
}
