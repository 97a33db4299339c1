// The bot's durable, encrypted crypto store: its Olm account, Olm sessions and Megolm room keys
// survive restarts and crashes.
//
// Design. matrix-js-sdk's Rust crypto (WebAssembly) persists only through IndexedDB, and Node has
// none. So the process gets one in-memory IndexedDB (fake-indexeddb) as its global `indexedDB`, and
// every committed write transaction on the store's databases is copied into a SQLite file
// (node:sqlite) synchronously, inside the transaction's `complete` dispatch and before any listener
// runs (persistent-idb.ts). On start the file is read back into a fresh in-memory IndexedDB before
// `initRustCrypto` opens it. One SQLite file per store, i.e. per Matrix device; several stores may
// be open in one process (each under its own database prefix).
//
// Durability argument. (1) A transaction's `complete` event fires only after its data was committed
// to SQLite in WAL mode with synchronous=FULL (on disk and fsynced), and a SIGKILL after that
// cannot undo it. (2) The Rust OlmMachine's `receive_sync_changes` awaits `save_changes` (Olm
// sessions, inbound group sessions, i.e. room keys) and the store transaction commit (account)
// before it returns; each of those awaits its IndexedDB transaction's `complete`. (3) In
// matrix-js-sdk 43, `SyncApi.doSync` awaits `processSyncResponse`, which awaits
// `processSyncCryptoChanges` → `RustCrypto.processSyncChanges` → `olmMachine.receiveSyncChanges`,
// before its loop issues the next /sync with the new `since` token. (4) The server deletes to-device
// messages only when a /sync with a later `since` arrives. So a room key is on disk before the server
// can forget the message that carried it. (The integration test kills the bot right after such a
// /sync and checks the key survived and was not delivered again.) The gap matrix-js-sdk leaves: if
// the crypto layer throws, `processSyncCryptoChanges` logs and the loop goes on; so a failed write is
// fatal here (onFailure, default: exit), and the restart receives the unacknowledged messages again.
//
// At rest: AES-256-GCM per record with keys derived from a 0600 secret file (store-secret.ts), and
// the Rust layer also encrypts its values with `storageKey`, derived from the same secret.
//
// Limits. The whole store lives in memory as well as on disk (it grows with room keys: about a
// kilobyte each); fake-indexeddb 6.2.8 drops finished transactions, so nothing else accumulates.
// Each write transaction costs one fsync. The store must never be rolled back (a restored backup
// of an old store breaks Olm sessions and one-time keys): if it is lost, log in a new device.

import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { EncryptedIdbFile, type DeviceBinding } from "./encrypted-idb-file.ts";
import { installPersistentIndexedDB, mountDatabases, type Mount, type MountStats } from "./persistent-idb.ts";
import { deriveStoreKeys, exists, fsyncDirectory, loadStoreSecret } from "./store-secret.ts";

export type { DeviceBinding } from "./encrypted-idb-file.ts";

export interface CryptoStoreOptions {
  /** Folder of the store (created, mode 0700, if missing). One store per Matrix device. */
  dir: string;
  /** File with the store's secret; created with mode 0600 if missing and the store is new. */
  secretFile: string;
  logger: Logger;
  /**
   * A write could not be made durable. The transaction was aborted, but matrix-js-sdk may go on
   * and acknowledge to-device messages whose keys were not saved, so the default exits the process.
   */
  onFailure?: (error: unknown) => void;
}

export interface CryptoStoreStats extends MountStats {
  /** The SQLite file and its write-ahead log. */
  fileBytes: number;
}

export interface DurableCryptoStore {
  /** Pass to `initRustCrypto` as `cryptoDatabasePrefix`. */
  readonly prefix: string;
  /** Pass to `initRustCrypto` as `storageKey`. */
  readonly storageKey: Uint8Array;
  /**
   * The Matrix device whose keys this store holds, or null if it holds none (new, reset, or its
   * files were lost). A saved access token is usable only for this device; otherwise log in a new
   * device, `reset()`, `bindDevice()`, then `initRustCrypto`.
   */
  device(): DeviceBinding | null;
  /** Records which device this store belongs to. Throws if it already belongs to another. */
  bindDevice(device: DeviceBinding): void;
  /** Empties the store and forgets its device. Only before a client has opened it. */
  reset(): Promise<void>;
  stats(): CryptoStoreStats;
  /** Call after the client is stopped. Later writes are refused. */
  close(): void;
}

let nextPrefix = 1;

export async function openDurableCryptoStore(options: CryptoStoreOptions): Promise<DurableCryptoStore> {
  const { dir, secretFile, logger } = options;
  const onFailure =
    options.onFailure ??
    ((error: unknown) => {
      logger.fatal(
        { err: error instanceof Error ? error.message : String(error) },
        "crypto store write failed; stopping so that no to-device message is acknowledged without its keys",
      );
      process.exit(70);
    });

  if (!exists(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  const path = join(dir, "crypto-store.sqlite");
  const storeExisted = exists(path);
  const keys = deriveStoreKeys(loadStoreSecret(secretFile, !storeExisted));
  await installPersistentIndexedDB();
  const file = new EncryptedIdbFile(path, keys);
  if (!storeExisted) fsyncDirectory(dir);

  const prefix = `mchlink-crypto-${process.pid}-${nextPrefix++}`;
  const mountOptions = {
    onFailure,
    onLateCommit: (database: string) =>
      logger.warn({ database }, "crypto store write after close() was refused; stop the client before closing the store"),
  };
  let mount: Mount;
  try {
    mount = await mountDatabases(prefix, file, file.images(), mountOptions);
  } catch (error) {
    file.close();
    throw error;
  }
  logger.info({ databases: mount.databaseNames().length, device: file.device() !== null }, "crypto store opened");

  return {
    prefix,
    storageKey: keys.rustStorageKey,
    device: () => file.device(),
    bindDevice(device) {
      const bound = file.device();
      if (bound && (bound.userId !== device.userId || bound.deviceId !== device.deviceId)) {
        throw new Error("this crypto store belongs to another device; reset() it before binding a new device");
      }
      if (!bound) file.bindDevice(device);
    },
    async reset() {
      if (mount.openConnections() > 0) throw new Error("reset() is only allowed before a client opened the crypto store");
      mount.close();
      file.reset();
      mount = await mountDatabases(prefix, file, [], mountOptions);
      logger.warn("crypto store reset: a new device starts with no keys");
    },
    stats: () => ({ ...mount.stats(), fileBytes: file.sizeBytes() }),
    close() {
      mount.close();
      file.close();
    },
  };
}
