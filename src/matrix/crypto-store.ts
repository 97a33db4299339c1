// The bot's durable, encrypted crypto store: its Olm account, Olm sessions and Megolm room keys
// survive restarts and crashes. (docs/crypto-store.md says how to run it.)
//
// Design. matrix-js-sdk's Rust crypto (WebAssembly) persists only through IndexedDB, and Node has
// none (indexeddbshim needs a native canvas build). So the process gets one in-memory IndexedDB
// (fake-indexeddb) as its global `indexedDB`, and every committed write transaction on the store's
// databases is copied into a SQLite file (node:sqlite) synchronously, inside the transaction's
// `complete` dispatch, before any listener runs (persistent-idb.ts, encrypted-idb-file.ts). On start
// the file is read back into a fresh in-memory IndexedDB before `initRustCrypto` opens it. One
// SQLite file per store, i.e. per Matrix device; several stores may be open in one process, each
// under its own database prefix. The simpler alternatives lose data: dumping the whole IndexedDB
// on a timer or at exit misses whatever changed since, and a SIGKILL runs no exit handler.
//
// Durability argument.
// (1) A transaction's `complete` fires only after its changes were committed to SQLite in WAL mode
//     with synchronous=FULL: written (a SIGKILL cannot undo it) and fsynced (nor can a power cut).
// (2) matrix-sdk-crypto's `OlmMachine::receive_sync_changes` awaits `save_changes` (Olm sessions and
//     inbound group sessions, i.e. room keys) and then its store transaction's commit (the account)
//     before returning; each of those awaits its IndexedDB transaction's `complete`.
// (3) matrix-js-sdk 43: `SyncApi.doSync` awaits `processSyncResponse`, which awaits
//     `processSyncCryptoChanges` → `RustCrypto.processSyncChanges` → `olmMachine.receiveSyncChanges`,
//     and only then loops to send the next /sync with the new `since` token.
// (4) Synapse deletes a device's to-device messages up to `since` when that /sync request arrives
//     (handlers/sync.py, 1.160), not before.
// So a room key is on disk before the server can forget the message that carried it. The
// integration test checks it end to end: it kills the bot right after Synapse deleted such a
// message, reads Synapse's device_inbox to see it gone, and the restarted bot decrypts with the key.
// The gap matrix-js-sdk leaves: when the crypto layer throws, `processSyncCryptoChanges` logs and
// the loop goes on to acknowledge the messages. So a failed write is fatal here (onFailure, default:
// exit): the transaction is aborted, the process stops before the next /sync, and the restarted bot
// receives the unacknowledged messages again.
//
// At rest: AES-256-GCM per record, row ids are HMACs of the IndexedDB keys, keys derived from a 0600
// secret file (store-secret.ts). Structure (database, store and index names, counts, sizes) is not
// hidden. Stores made by earlier versions also have the Rust layer encrypt its values with
// `storageKey` (derived from the same secret, so no extra protection at rest); new stores leave that
// out, so that an unchanged value reads as unchanged and is not written again (encrypted-idb-file.ts).
//
// Costs, measured here (2 shared cores): one SQLite transaction and fsync per IndexedDB write
// transaction that changes something, 0.3 ms on an idle disk, 1.5-2 ms while Synapse writes beside
// it, 4–10 ms average (max ~120 ms) while other test suites ran. The Rust crypto saves its account
// after every sync (about four times per command answered in a busy room), nearly always unchanged:
// those saves are skipped, and what is left is mostly the outbound room key after each send.
// Reads cost more than writes: for each reply the Rust crypto reads every room member's devices and
// identity through IndexedDB (twice), some 340 reads in an 84-member room. Against the echo floor,
// the bot's `!guide pph` p50 is 1.11-1.13x with this store, 1.09-1.13x with its fsyncs left out,
// and 1.03-1.05x with the Rust crypto's in-memory store (bench --crypto-store). A device cache
// would belong in matrix-sdk-crypto's IndexedDB store, upstream.
// A room key is about 2.4 KB on disk and 6 KB of heap; loading a store of 150 keys takes 45 ms.
// fake-indexeddb 6.2.8 drops finished transactions and our per-transaction bookkeeping lives in
// WeakMaps, so 20,000 transactions leave the heap flat (unit test).
//
// Limits. The whole store is held in memory as well as on disk, so memory grows with the number of
// room keys (and the Rust store's olm_hashes); 10,000 keys would be some 60 MB. It relies on
// fake-indexeddb internals (pinned; persistent-idb.ts lists them). A store must never be rolled
// back (restoring an old copy breaks Olm sessions and reuses one-time keys): if it is lost, log in
// a new device. Writes after close() are refused, so stop the client first.

import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { EncryptedIdbFile, type DeviceBinding } from "./encrypted-idb-file.ts";
import { installPersistentIndexedDB, mountDatabases, type Mount, type MountStats } from "./persistent-idb.ts";
import { fsyncDirectory } from "../util/files.ts";
import { deriveStoreKeys, exists, loadStoreSecret } from "./store-secret.ts";

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
  /** Pass to `initRustCrypto` as `storageKey` when set: only stores made by earlier versions have one. */
  readonly storageKey: Uint8Array | undefined;
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
      logger.fatal({ err: error instanceof Error ? error.message : String(error) }, "crypto store write failed; stopping so that no to-device message is acknowledged without its keys");
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
    onLateCommit: (database: string) => logger.warn({ database }, "crypto store write after close() was refused; stop the client before closing the store"),
  };
  let mount: Mount;
  try {
    mount = await mountDatabases(prefix, file, file.images(), mountOptions);
  } catch (error) {
    file.close();
    throw error;
  }
  logger.info({ databases: mount.databaseNames().length, device: file.device() !== null }, "crypto store opened");
  let closed = false;

  return {
    prefix,
    storageKey: file.rustLayerEncrypted ? keys.rustStorageKey : undefined,
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
      if (closed) return;
      closed = true;
      mount.close();
      file.close();
    },
  };
}
