// The on-disk half of the durable IndexedDB: one SQLite file holding the databases of one mount.
// Every write is one SQLite transaction in WAL mode with synchronous=FULL, so a commit that returned
// survives a process kill (the data is in the WAL, written with write(2)) and a power cut (the WAL
// was fsynced). locking_mode=EXCLUSIVE keeps the file locked for as long as it is open: a second
// process (or a second open in this one) cannot write into the same device's store.
//
// A record written again with the same value is not written again: the Rust crypto saves its
// account after every sync, mostly unchanged, and each of those writes would be a transaction and
// an fsync on the way to the next message. The file remembers a digest of what it wrote to each
// row since it was opened and skips rows that would not change; a transaction with nothing left
// to write writes nothing (its data is already on disk, so durability is unchanged).
//
// Records are encrypted with AES-256-GCM (random nonce per write), with the database, store and
// row id as associated data so ciphertexts cannot be moved between rows. A row is named by an
// HMAC of its IndexedDB key, so keys (which may be identifiers) are not on disk in clear either.
// Left in clear: database, store and index names, key paths, versions, row counts and sizes.

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { closeSync, constants, openSync, statSync } from "node:fs";
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import v8 from "node:v8";
import { canonicalKey, type DatabaseImage, type DatabaseSchema, type IdbKey, type IdbSink, type StoreChanges, type StoredRecord } from "./persistent-idb.ts";
import type { StoreKeys } from "./store-secret.ts";

const FORMAT = "1";

export interface DeviceBinding {
  userId: string;
  deviceId: string;
}

export class EncryptedIdbFile implements IdbSink {
  readonly path: string;
  /**
   * Whether the Rust crypto encrypts its own values in this store (with `storageKey`), as stores
   * made by earlier versions do (they have no `rust-layer` mark); a store keeps the layout it was
   * made with. Newer stores leave that layer out: this file encrypts every record already, and a
   * value the Rust layer encrypted with a fresh nonce each time never reads as unchanged, so every
   * save of the account would be written.
   */
  readonly rustLayerEncrypted: boolean;
  readonly #db: DatabaseSync;
  readonly #keys: StoreKeys;
  readonly #put: StatementSync;
  readonly #deleteRow: StatementSync;
  readonly #deleteStore: StatementSync;
  readonly #deleteDatabaseRows: StatementSync;
  readonly #putSchema: StatementSync;
  readonly #deleteSchema: StatementSync;
  /**
   * A digest of the plaintext last written to each row since the file was opened, by database,
   * store and row id: a put of the same value again is skipped. Only rows written meanwhile are
   * here, so a store loaded at start costs nothing until it changes.
   */
  readonly #written = new Map<string, Buffer>();

  /** Opens (creating it, mode 0600, if missing) the file; throws if `keys` are not the ones it was made with. */
  constructor(path: string, keys: StoreKeys) {
    this.path = path;
    this.#keys = keys;
    const created = createExclusive(path);
    const db = new DatabaseSync(path, { timeout: 0 });
    try {
      // Order matters: EXCLUSIVE before WAL, so the WAL index lives in heap memory and the lock is
      // taken by the first transaction below and held until close.
      db.exec("PRAGMA locking_mode=EXCLUSIVE");
      db.exec("PRAGMA journal_mode=WAL");
      db.exec("PRAGMA synchronous=FULL");
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      db.close();
      if (/locked|busy/i.test((error as Error).message)) {
        throw new Error(`crypto store ${path} is in use by another client or process`);
      }
      throw error;
    }
    this.#db = db;
    try {
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS databases (name TEXT PRIMARY KEY, schema TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS records (
          db TEXT NOT NULL, store TEXT NOT NULL, id BLOB NOT NULL, record BLOB NOT NULL,
          PRIMARY KEY (db, store, id)
        ) WITHOUT ROWID;
      `);
      const check = this.#keyCheck();
      const format = this.#meta("format");
      const storedCheck = this.#meta("key-check");
      if (created || (format === undefined && storedCheck === undefined)) {
        this.#setMeta("format", Buffer.from(FORMAT));
        this.#setMeta("key-check", check);
        this.#setMeta("rust-layer", Buffer.from("plain"));
      } else {
        if (format?.toString() !== FORMAT) throw new Error(`crypto store ${path} has an unknown format`);
        if (!storedCheck || storedCheck.length !== check.length || !timingSafeEqual(storedCheck, check)) {
          throw new Error(`crypto store ${path} was encrypted with a different secret file`);
        }
      }
      this.rustLayerEncrypted = this.#meta("rust-layer")?.toString() !== "plain";
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      db.close();
      throw error;
    }
    this.#put = db.prepare("INSERT OR REPLACE INTO records (db, store, id, record) VALUES (?, ?, ?, ?)");
    this.#deleteRow = db.prepare("DELETE FROM records WHERE db = ? AND store = ? AND id = ?");
    this.#deleteStore = db.prepare("DELETE FROM records WHERE db = ? AND store = ?");
    this.#deleteDatabaseRows = db.prepare("DELETE FROM records WHERE db = ?");
    this.#putSchema = db.prepare("INSERT OR REPLACE INTO databases (name, schema) VALUES (?, ?)");
    this.#deleteSchema = db.prepare("DELETE FROM databases WHERE name = ?");
  }

  writeDatabase(name: string, schema: DatabaseSchema, stores: Map<string, StoredRecord[]>): void {
    const rows = [...stores].flatMap(([store, records]) => records.map((record) => this.#row(name, store, record)));
    this.#transaction(() => {
      this.#deleteDatabaseRows.run(name);
      this.#putSchema.run(name, JSON.stringify(schema));
      for (const row of rows) this.#putRow(row);
    });
    this.#forget(name);
    for (const row of rows) this.#written.set(row.slot, row.digest);
  }

  /** Writes the changes in one transaction; false when every put would leave its row as it is (nothing is written). */
  writeChanges(name: string, changes: StoreChanges[], schema: DatabaseSchema | null): boolean {
    const work = changes.map((change) => ({
      store: change.store,
      cleared: change.cleared,
      deleted: change.deleted.map((key) => this.#rowId(key)),
      // After a clear every put is a change, even of a value the row held before.
      put: change.put.map((record) => this.#row(name, change.store, record)).filter((row) => change.cleared || !this.#written.get(row.slot)?.equals(row.digest)),
    }));
    if (!schema && work.every((w) => !w.cleared && w.deleted.length === 0 && w.put.length === 0)) return false;
    this.#transaction(() => {
      for (const w of work) {
        if (w.cleared) this.#deleteStore.run(name, w.store);
        for (const id of w.deleted) this.#deleteRow.run(name, w.store, id);
        for (const row of w.put) this.#putRow(row);
      }
      if (schema) this.#putSchema.run(name, JSON.stringify(schema));
    });
    // Only once committed: a rolled-back transaction must not leave digests of rows it never wrote.
    for (const w of work) {
      if (w.cleared) this.#forget(name, w.store);
      for (const id of w.deleted) this.#written.delete(slotOf(name, w.store, id));
      for (const row of w.put) this.#written.set(row.slot, row.digest);
    }
    return true;
  }

  deleteDatabase(name: string): void {
    this.#transaction(() => {
      this.#deleteDatabaseRows.run(name);
      this.#deleteSchema.run(name);
    });
    this.#forget(name);
  }

  /** Everything stored, decrypted, ready to be recreated in memory. */
  images(): DatabaseImage[] {
    const images: DatabaseImage[] = [];
    const rows = this.#db.prepare("SELECT store, id, record FROM records WHERE db = ?");
    for (const row of this.#db.prepare("SELECT name, schema FROM databases ORDER BY name").all()) {
      const name = row.name as string;
      const records = new Map<string, StoredRecord[]>();
      for (const r of rows.iterate(name)) {
        const store = r.store as string;
        const plain = this.#open(r.record as Uint8Array, recordAad(name, store, r.id as Uint8Array));
        const [key, value] = deserialize(plain) as [IdbKey, unknown];
        let list = records.get(store);
        if (!list) records.set(store, (list = []));
        list.push({ key, value });
      }
      images.push({ name, schema: JSON.parse(row.schema as string) as DatabaseSchema, records });
    }
    return images;
  }

  device(): DeviceBinding | null {
    const sealed = this.#meta("device");
    if (!sealed) return null;
    return JSON.parse(this.#open(sealed, Buffer.from("device")).toString("utf8")) as DeviceBinding;
  }

  bindDevice(device: DeviceBinding): void {
    const plain = Buffer.from(JSON.stringify({ userId: device.userId, deviceId: device.deviceId }));
    this.#transaction(() => this.#setMeta("device", this.#seal(plain, Buffer.from("device"))));
  }

  /** Deletes every database and the device binding. */
  reset(): void {
    this.#transaction(() => {
      this.#db.exec("DELETE FROM records; DELETE FROM databases; DELETE FROM meta WHERE name = 'device'");
    });
    this.#written.clear();
  }

  /** Bytes on disk, including the write-ahead log. */
  sizeBytes(): number {
    let total = 0;
    for (const file of [this.path, `${this.path}-wal`]) {
      try {
        total += statSync(file).size;
      } catch {
        // no WAL yet
      }
    }
    return total;
  }

  close(): void {
    this.#db.close();
  }

  #transaction(work: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** A record ready to write: its row id, its plaintext and the plaintext's digest. */
  #row(database: string, store: string, record: StoredRecord): Row {
    const id = this.#rowId(record.key);
    const plain = serialize([record.key, record.value]);
    return { database, store, id, plain, slot: slotOf(database, store, id), digest: createHash("sha256").update(plain).digest() };
  }

  #putRow(row: Row): void {
    this.#put.run(row.database, row.store, row.id, this.#seal(row.plain, recordAad(row.database, row.store, row.id)));
  }

  /** Drops the digests of a database's rows (or one store's): they are no longer known to be on disk. */
  #forget(database: string, store?: string): void {
    const prefix = store === undefined ? `${database}\u0000` : `${database}\u0000${store}\u0000`;
    for (const slot of this.#written.keys()) if (slot.startsWith(prefix)) this.#written.delete(slot);
  }

  #rowId(key: IdbKey): Buffer {
    return createHmac("sha256", this.#keys.rowIdKey).update(canonicalKey(key)).digest();
  }

  #keyCheck(): Buffer {
    return createHmac("sha256", this.#keys.rowIdKey).update("mchlink crypto store key check").digest();
  }

  #meta(name: string): Buffer | undefined {
    const row = this.#db.prepare("SELECT value FROM meta WHERE name = ?").get(name);
    return row ? Buffer.from(row.value as Uint8Array) : undefined;
  }

  #setMeta(name: string, value: Buffer): void {
    this.#db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)").run(name, value);
  }

  #seal(plain: Buffer, aad: Buffer): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.recordKey, nonce);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  #open(sealed: Uint8Array, aad: Buffer): Buffer {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const decipher = createDecipheriv("aes-256-gcm", this.#keys.recordKey, bytes.subarray(0, 12));
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  }
}

interface Row {
  database: string;
  store: string;
  id: Buffer;
  plain: Buffer;
  slot: string;
  digest: Buffer;
}

function slotOf(database: string, store: string, id: Buffer): string {
  return `${database}\u0000${store}\u0000${id.toString("base64")}`;
}

function recordAad(database: string, store: string, id: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(JSON.stringify(["record", database, store])), id]);
}

/** Creates an empty file with mode 0600 if there is none; true if it did. */
function createExclusive(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

// Plain v8.Serializer (not the Default one): typed arrays are written the way structuredClone
// writes them, and come back as fresh, unshared buffers.
function serialize(value: unknown): Buffer {
  const serializer = new v8.Serializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

function deserialize(bytes: Buffer): unknown {
  const deserializer = new v8.Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}
