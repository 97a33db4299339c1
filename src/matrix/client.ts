// The bot's Matrix identity: one account, one device kept across restarts, a
// durable crypto store bound to that device, and a cross-signing identity that
// is created once and never reset on its own.
import { existsSync } from "node:fs";
import { createClient, MatrixScheduler, type MatrixClient } from "matrix-js-sdk";
import { decodeRecoveryKey, type CryptoApi, type GeneratedSecretStorageKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { Logger } from "pino";
import { writeSecretFile, readSecretFile } from "../util/files.ts";
import { openDurableCryptoStore, type DurableCryptoStore } from "./crypto-store.ts";
import { MatrixError, MatrixHttp, enc } from "./http.ts";
import { routeLibraryLogs, sdkLogger } from "./logging.ts";
import { loginWithPassword, type Session } from "./register.ts";

export interface SavedDevice {
  accessToken: string;
  deviceId: string;
}

export interface BotIdentityOptions {
  baseUrl: string;
  userId: string;
  password: string;
  /** Read and persist the access token and device id (0600). */
  loadDevice(): SavedDevice | undefined;
  saveDevice(device: SavedDevice): void;
  storeDir: string;
  storeSecretFile: string;
  recoveryKeyFile: string;
  logger: Logger;
  deviceName?: string;
  /** Deliberately replace the cross-signing identity (an admin's decision, never automatic). */
  resetIdentity?: boolean;
}

export interface BotIdentity {
  client: MatrixClient;
  crypto: CryptoApi;
  store: DurableCryptoStore;
  deviceId: string;
  /** False when the bot could not cross-sign its device (see the log for why). */
  crossSigned: boolean;
}

async function whoami(http: MatrixHttp): Promise<{ user_id: string; device_id?: string } | undefined> {
  try {
    return await http.get<{ user_id: string; device_id?: string }>("/_matrix/client/v3/account/whoami");
  } catch (err) {
    if (err instanceof MatrixError && err.status === 401) return undefined;
    throw err;
  }
}

/** Delete one of our own devices (user-interactive auth with the password). */
async function deleteOwnDevice(http: MatrixHttp, userId: string, password: string, deviceId: string): Promise<void> {
  const path = `/_matrix/client/v3/devices/${enc(deviceId)}`;
  try {
    await http.request("DELETE", path, {});
  } catch (err) {
    if (err instanceof MatrixError && err.status === 404) return;
    if (!(err instanceof MatrixError && err.status === 401 && typeof err.body.session === "string")) throw err;
    const auth = { type: "m.login.password", identifier: { type: "m.id.user", user: userId }, password, session: err.body.session };
    await http.request("DELETE", path, { auth });
  }
}

/** Pick the device to run as, following one rule: a device's keys live only in its own store. */
async function chooseDevice(opts: BotIdentityOptions, store: DurableCryptoStore): Promise<Session> {
  const anon = new MatrixHttp({ baseUrl: opts.baseUrl });
  const saved = opts.loadDevice();
  const bound = store.device();
  const login = async (deviceId?: string) => {
    const s = await loginWithPassword(anon, opts.userId, opts.password, opts.deviceName ?? "mchlink bot", deviceId);
    opts.saveDevice({ accessToken: s.accessToken, deviceId: s.deviceId });
    return s;
  };

  if (bound && bound.userId === opts.userId) {
    if (saved?.deviceId === bound.deviceId) {
      const me = await whoami(anon.withToken(saved.accessToken));
      if (me?.device_id === bound.deviceId) return { userId: opts.userId, accessToken: saved.accessToken, deviceId: bound.deviceId };
    }
    // The store is intact but the token is gone or revoked: log in again as the same device.
    opts.logger.warn({ device: bound.deviceId }, "access token missing or revoked; logging in again as the same device");
    return await login(bound.deviceId);
  }

  if (bound) await store.reset(); // a store of another account: never mix identities
  const session = await login();
  if (saved?.deviceId && saved.deviceId !== session.deviceId) {
    opts.logger.warn(
      { old_device: saved.deviceId, new_device: session.deviceId },
      "the crypto store of the previous device is gone; logged in as a new device and deleting the old one (its keys cannot be recovered)",
    );
    await deleteOwnDevice(anon.withToken(session.accessToken), opts.userId, opts.password, saved.deviceId);
  }
  store.bindDevice({ userId: opts.userId, deviceId: session.deviceId });
  return session;
}

function recoveryKeyFromFile(path: string): GeneratedSecretStorageKey | undefined {
  if (!existsSync(path)) return undefined;
  const encoded = readSecretFile(path).trim();
  return { privateKey: decodeRecoveryKey(encoded), encodedPrivateKey: encoded };
}

/**
 * Cross-signing: created on the first start (recovery key written first, 0600),
 * imported from secret storage with the recovery key when the device is new,
 * and never reset unless the admin asks (resetIdentity).
 */
async function ensureCrossSigning(opts: BotIdentityOptions, client: MatrixClient, crypto: CryptoApi): Promise<boolean> {
  const log = opts.logger;
  const status = await crypto.getCrossSigningStatus();
  const local = status.privateKeysCachedLocally;
  const haveLocal = local.masterKey && local.selfSigningKey && local.userSigningKey;
  const onServer = await crypto.userHasCrossSigningKeys(opts.userId, true);
  let recovery = recoveryKeyFromFile(opts.recoveryKeyFile);
  const auth = {
    authUploadDeviceSigningKeys: async (makeRequest: (auth: Record<string, unknown> | null) => Promise<unknown>) => {
      await makeRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: opts.userId }, password: opts.password });
    },
  };

  if (opts.resetIdentity) {
    log.warn("resetting the bot's cross-signing identity as asked; people who verified the bot must verify it again");
    recovery = await crypto.createRecoveryKeyFromPassphrase();
    writeSecretFile(opts.recoveryKeyFile, recovery.encodedPrivateKey! + "\n");
    await crypto.bootstrapCrossSigning({ ...auth, setupNewCrossSigning: true });
    await crypto.bootstrapSecretStorage({ createSecretStorageKey: async () => recovery!, setupNewSecretStorage: true });
    return true;
  }
  if (onServer && !haveLocal && !recovery) {
    log.error(
      { recovery_key_file: opts.recoveryKeyFile },
      "the bot has a cross-signing identity on the server but neither its private keys nor the recovery key file are here; " +
        "not resetting it on my own. Restore the recovery key file, or run `mchlink bot --reset-identity` to replace the identity",
    );
    return false;
  }
  if (!onServer && !recovery) {
    recovery = await crypto.createRecoveryKeyFromPassphrase();
    writeSecretFile(opts.recoveryKeyFile, recovery.encodedPrivateKey! + "\n");
    log.info({ recovery_key_file: opts.recoveryKeyFile }, "created the bot's recovery key");
  }
  await crypto.bootstrapCrossSigning(auth);
  await crypto.bootstrapSecretStorage({ createSecretStorageKey: async () => recovery! });
  // A signature just uploaded shows locally once the next sync has refreshed our own device list.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const verified = await crypto.getDeviceVerificationStatus(opts.userId, client.getDeviceId()!);
    if (verified?.signedByOwner) return true;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  log.error("the bot's device is not signed by its cross-signing key; Element users may refuse to share keys with it");
  return false;
}

export async function connectBotIdentity(opts: BotIdentityOptions): Promise<BotIdentity> {
  await routeLibraryLogs(opts.logger);
  const store = await openDurableCryptoStore({ dir: opts.storeDir, secretFile: opts.storeSecretFile, logger: opts.logger });
  try {
    const session = await chooseDevice(opts, store);
    const client = createClient({
      baseUrl: opts.baseUrl,
      userId: session.userId,
      deviceId: session.deviceId,
      accessToken: session.accessToken,
      logger: sdkLogger(opts.logger),
      // No queue: each event goes out when sent. matrix-js-sdk's default puts every message of
      // every room in one queue, retries its head for about 30 s, then fails everything queued
      // behind it, so one stuck reply held up and then lost the answers in all rooms (found by the
      // SIGKILL fault test). The bot keeps each room's order itself and retries what failed.
      scheduler: new MatrixScheduler(MatrixScheduler.RETRY_BACKOFF_RATELIMIT, () => null),
      cryptoCallbacks: {
        getSecretStorageKey: async ({ keys }) => {
          const key = recoveryKeyFromFile(opts.recoveryKeyFile);
          const keyId = Object.keys(keys)[0];
          return key && keyId ? [keyId, key.privateKey] : null;
        },
      },
    });
    await client.initRustCrypto({ useIndexedDB: true, cryptoDatabasePrefix: store.prefix, ...(store.storageKey ? { storageKey: store.storageKey } : {}) });
    const crypto = client.getCrypto()!;
    return { client, crypto, store, deviceId: session.deviceId, crossSigned: false };
  } catch (err) {
    store.close();
    throw err;
  }
}

/** After the first sync (the crypto layer needs to know the server's keys). */
export async function setUpCrossSigning(opts: BotIdentityOptions, identity: BotIdentity): Promise<void> {
  identity.crossSigned = await ensureCrossSigning(opts, identity.client, identity.crypto);
}
