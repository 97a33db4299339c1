// A process-wide IndexedDB (fake-indexeddb, in memory) whose committed transactions are written,
// synchronously, to a durable sink before their `complete` event fires.
//
// Why synchronous and why "before complete": IndexedDB's contract is that data is committed when
// `complete` fires, and every caller (here: the Rust crypto store) continues only after it. Writing
// inside the dispatch of that event, before any listener runs, means no code that waits for the
// commit can run (and, say, ask the server for the next /sync) before the data is on disk.
//
// This reaches into fake-indexeddb internals (pinned at 6.2.8 in package.json; the unit tests fail
// loudly if they move):
// - FDBTransaction.prototype.dispatchEvent: the commit hook;
// - FDBTransaction._abort: rolled back in memory when the sink refuses a commit;
// - the raw ObjectStore's storeRecord/deleteRecord/clear, which every write (put, add, delete, clear,
//   cursor update and delete) goes through, passing its transaction's `_rollbackLog`: that array tells
//   us which transaction made the change;
// - FDBFactory._databases, replaced by a map that routes each database by name prefix to its sink.
// A readwrite commit writes the *current* in-memory state of every key the transaction touched, so
// the order of operations inside a transaction, per-operation rollbacks and range deletes need no
// bookkeeping. An upgrade (versionchange) commit rewrites the whole database: schema changes, store
// renames and deletions are then covered without tracking them one by one; upgrades are rare.

import {
  IDBCursor,
  IDBCursorWithValue,
  IDBDatabase,
  IDBFactory,
  IDBIndex,
  IDBKeyRange,
  IDBObjectStore,
  IDBOpenDBRequest,
  IDBRecord,
  IDBRequest,
  IDBTransaction,
  IDBVersionChangeEvent,
} from "fake-indexeddb";

export type IdbKey = number | string | Date | ArrayBuffer | IdbKey[];
export type KeyPath = string | string[];

export interface IndexSchema {
  name: string;
  keyPath: KeyPath;
  unique: boolean;
  multiEntry: boolean;
}

export interface StoreSchema {
  name: string;
  keyPath: KeyPath | null;
  autoIncrement: boolean;
  /** Last number handed out by the key generator (autoIncrement stores only). */
  keyGenerator: number | null;
  indexes: IndexSchema[];
}

export interface DatabaseSchema {
  version: number;
  stores: StoreSchema[];
}

export interface StoredRecord {
  key: IdbKey;
  value: unknown;
}

export interface StoreChanges {
  store: string;
  /** The store was cleared before `put` and `deleted` were applied. */
  cleared: boolean;
  put: StoredRecord[];
  deleted: IdbKey[];
}

/** A database as loaded from a sink, to be recreated in memory. */
export interface DatabaseImage {
  name: string;
  schema: DatabaseSchema;
  records: Map<string, StoredRecord[]>;
}

/**
 * Where committed transactions go. Every method is synchronous and must have made the change
 * durable, atomically, when it returns; throwing means nothing was written. Database names are
 * local: without the mount prefix.
 */
export interface IdbSink {
  writeDatabase(name: string, schema: DatabaseSchema, stores: Map<string, StoredRecord[]>): void;
  /** False when every change was already on disk and nothing was written. */
  writeChanges(name: string, changes: StoreChanges[], schema: DatabaseSchema | null): boolean;
  deleteDatabase(name: string): void;
}

export interface MountStats {
  /** Transactions handed to the sink. */
  commits: number;
  /** Of those, the ones the sink had nothing to write for: every record already held that value. */
  unchanged: number;
  /** Records put or deleted by those transactions. */
  records: number;
  /** Time spent in the sink, milliseconds: total, slowest, last. */
  writeMsTotal: number;
  writeMsMax: number;
  writeMsLast: number;
  /** Transactions aborted because the sink failed or the mount was closed. */
  refused: number;
  /** Commits per object store name, e.g. to see that room keys were written. */
  byStore: Record<string, number>;
}

export interface Mount {
  readonly prefix: string;
  stats(): MountStats;
  /** Local names of the databases this mount holds in memory. */
  databaseNames(): string[];
  /** Connections clients hold open on this mount's databases. */
  openConnections(): number;
  /**
   * Stops writing: later commits on this mount's databases are aborted. Drops its databases from
   * memory. Stop the client using them first.
   */
  close(): void;
}

export interface MountOptions {
  /** Called after a commit could not be written (the transaction was aborted). */
  onFailure: (error: unknown) => void;
  /** Called when a transaction commits after close() (it is aborted). */
  onLateCommit: (database: string) => void;
}

// ---- fake-indexeddb internals we rely on -------------------------------------------------------

interface RawRecord {
  key: IdbKey;
  value: unknown;
}

interface RawRecordStore {
  get(key: IdbKey): RawRecord | undefined;
  values(range?: unknown): Iterable<RawRecord>;
}

interface RawIndex {
  name: string;
  keyPath: KeyPath;
  unique: boolean;
  multiEntry: boolean;
}

interface RawObjectStore {
  name: string;
  keyPath: KeyPath | null;
  autoIncrement: boolean;
  deleted: boolean;
  keyGenerator: { num: number } | null;
  rawIndexes: Map<string, RawIndex>;
  records: RawRecordStore;
  rawDatabase: RawDatabase;
  storeRecord(record: RawRecord, noOverwrite: boolean, rollbackLog?: unknown[]): IdbKey;
  deleteRecord(key: unknown, rollbackLog?: unknown[]): void;
  clear(rollbackLog?: unknown[]): void;
}

interface RawDatabase {
  name: string;
  version: number;
  rawObjectStores: Map<string, RawObjectStore>;
  transactions: unknown[];
  connections: unknown[];
}

interface Connection {
  _rawDatabase: RawDatabase;
  close(): void;
  createObjectStore(
    name: string,
    options: { keyPath: KeyPath | null; autoIncrement: boolean },
  ): {
    createIndex(name: string, keyPath: KeyPath, options: { unique: boolean; multiEntry: boolean }): unknown;
  };
}

interface Transaction {
  mode: "readonly" | "readwrite" | "versionchange";
  db: Connection;
  error: unknown;
  _rollbackLog: unknown[];
  _abort(errorName: string | null): void;
}

interface Factory {
  _databases: Map<string, RawDatabase>;
  open(name: string, version?: number): OpenRequest;
}

interface OpenRequest {
  result: Connection;
  error: unknown;
  transaction: unknown;
  onupgradeneeded: (() => void) | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
  onblocked: (() => void) | null;
}

interface FakeEvent {
  type: string;
}

// ---- routing -------------------------------------------------------------------------------------

interface Route {
  prefix: string;
  sink: IdbSink;
  options: MountOptions;
  replaying: boolean;
  closed: boolean;
  stats: MountStats;
}

interface Dirty {
  cleared: boolean;
  keys: Map<string, IdbKey>;
}

const routes = new Map<string, Route>();
const routeOfDatabase = new WeakMap<RawDatabase, Route>();
/** A transaction's `_rollbackLog` → that transaction: how a raw store write finds its transaction. */
const transactionOfLog = new WeakMap<unknown[], Transaction>();
/** Per readwrite transaction: the stores and keys it wrote. */
const dirtyOf = new WeakMap<Transaction, Map<RawObjectStore, Dirty>>();

function routeFor(name: string): Route | undefined {
  const separator = name.indexOf("::");
  return separator < 0 ? undefined : routes.get(name.slice(0, separator));
}

function localName(route: Route, name: string): string {
  return name.slice(route.prefix.length + 2);
}

/** Holds the factory's databases; sees them created (routing) and deleted (on disk too). */
class RoutingMap extends Map<string, RawDatabase> {
  override set(name: string, database: RawDatabase): this {
    const route = routeFor(name);
    if (route) routeOfDatabase.set(database, route);
    return super.set(name, database);
  }

  // Called by fake-indexeddb only when deleteDatabase() succeeds, just before its success event.
  override delete(name: string): boolean {
    const database = super.get(name);
    const route = database && routeOfDatabase.get(database);
    if (route && !route.closed && !route.replaying) {
      try {
        route.sink.deleteDatabase(localName(route, name));
      } catch (error) {
        route.options.onFailure(error);
      }
    }
    return super.delete(name);
  }

  /** Drops a database from memory without touching its sink. */
  forget(name: string): void {
    super.delete(name);
  }
}

// ---- canonical keys ------------------------------------------------------------------------------

/**
 * A byte string that is equal for equal IndexedDB keys and different otherwise, whatever the
 * in-memory representation (1 and 1.0, -0 and 0, an ArrayBuffer and a copy of it).
 */
export function canonicalKey(key: IdbKey): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const f64 = (n: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(n === 0 ? 0 : n);
    return b;
  };
  const walk = (k: IdbKey): void => {
    if (typeof k === "number") {
      parts.push(Buffer.of(1), f64(k));
    } else if (k instanceof Date) {
      parts.push(Buffer.of(2), f64(k.getTime()));
    } else if (typeof k === "string") {
      // UTF-16 code units, so lone surrogates stay distinct.
      const bytes = Buffer.from(k, "utf16le");
      parts.push(Buffer.of(3), u32(bytes.length), bytes);
    } else if (k instanceof ArrayBuffer) {
      parts.push(Buffer.of(4), u32(k.byteLength), Buffer.from(k));
    } else if (Array.isArray(k)) {
      parts.push(Buffer.of(5), u32(k.length));
      for (const item of k) walk(item);
    } else {
      throw new TypeError("not an IndexedDB key");
    }
  };
  walk(key);
  return Buffer.concat(parts);
}

// ---- install -------------------------------------------------------------------------------------

type RoutingFactory = Factory & { _databases: RoutingMap };

let factory: RoutingFactory | undefined;
let installing: Promise<void> | undefined;

/**
 * Installs, once per process, the persistent `indexedDB` and the IDB* classes as globals. The
 * `indexedDB` global is made read-only so that a later `import "fake-indexeddb/auto"` fails loudly
 * instead of silently replacing the durable factory with a volatile one.
 */
export function installPersistentIndexedDB(): Promise<void> {
  installing ??= install();
  return installing;
}

async function install(): Promise<void> {
  const created = new IDBFactory() as unknown as RoutingFactory;
  created._databases = new RoutingMap();
  await patchRawObjectStore();
  patchTransactions();
  const globals: Record<string, unknown> = {
    IDBCursor,
    IDBCursorWithValue,
    IDBDatabase,
    IDBFactory,
    IDBIndex,
    IDBKeyRange,
    IDBObjectStore,
    IDBOpenDBRequest,
    IDBRecord,
    IDBRequest,
    IDBTransaction,
    IDBVersionChangeEvent,
  };
  const existing = Object.getOwnPropertyDescriptor(globalThis, "indexedDB");
  if (existing && !existing.configurable) {
    throw new Error("a global indexedDB is already installed and cannot be replaced by the durable one");
  }
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(globalThis, "indexedDB", { value: created, writable: false, configurable: false, enumerable: false });
  factory = created;
}

async function patchRawObjectStore(): Promise<void> {
  // The raw ObjectStore class is not exported; reach its prototype through a store of a scratch factory.
  const scratch = new IDBFactory() as unknown as Factory;
  const connection = await openWithUpgrade(scratch, "probe", 1, (db) => {
    db.createObjectStore("probe", { keyPath: null, autoIncrement: false });
  });
  const raw = connection._rawDatabase.rawObjectStores.get("probe");
  connection.close();
  if (!raw) throw new Error("fake-indexeddb internals changed: no raw object store");
  const proto = Object.getPrototypeOf(raw) as RawObjectStore;
  const { storeRecord, deleteRecord, clear } = proto;
  if (typeof storeRecord !== "function" || typeof deleteRecord !== "function" || typeof clear !== "function") {
    throw new Error("fake-indexeddb internals changed: raw object store methods");
  }

  proto.storeRecord = function (this: RawObjectStore, record, noOverwrite, rollbackLog) {
    try {
      return storeRecord.call(this, record, noOverwrite, rollbackLog);
    } finally {
      // Marked even when the write throws: the commit writes whatever state the key ends up in.
      if (record.key !== undefined) dirtyFor(this, rollbackLog)?.keys.set(keyId(record.key), record.key);
    }
  };
  proto.deleteRecord = function (this: RawObjectStore, key, rollbackLog) {
    const dirty = dirtyFor(this, rollbackLog);
    if (dirty) {
      const range = key instanceof IDBKeyRange ? key : IDBKeyRange.only(key);
      for (const record of this.records.values(range)) dirty.keys.set(keyId(record.key), record.key);
    }
    deleteRecord.call(this, key, rollbackLog);
  };
  proto.clear = function (this: RawObjectStore, rollbackLog) {
    const dirty = dirtyFor(this, rollbackLog);
    if (dirty) {
      dirty.cleared = true;
      dirty.keys.clear();
    }
    clear.call(this, rollbackLog);
  };
}

function keyId(key: IdbKey): string {
  return canonicalKey(key).toString("latin1");
}

/** The change set of the readwrite transaction making this write, or undefined if it is not persisted. */
function dirtyFor(store: RawObjectStore, rollbackLog: unknown[] | undefined): Dirty | undefined {
  // Writes without a rollback log are rollbacks themselves; the keys they touch are already marked.
  if (!rollbackLog) return undefined;
  const transaction = transactionOfLog.get(rollbackLog);
  if (transaction?.mode !== "readwrite") return undefined;
  const route = routeOfDatabase.get(store.rawDatabase);
  if (!route || route.replaying) return undefined;
  let stores = dirtyOf.get(transaction);
  if (!stores) {
    stores = new Map();
    dirtyOf.set(transaction, stores);
  }
  let dirty = stores.get(store);
  if (!dirty) {
    dirty = { cleared: false, keys: new Map() };
    stores.set(store, dirty);
  }
  return dirty;
}

function patchTransactions(): void {
  const databaseProto = IDBDatabase.prototype as unknown as { transaction: (...args: unknown[]) => Transaction };
  const openTransaction = databaseProto.transaction;
  databaseProto.transaction = function (this: unknown, ...args: unknown[]) {
    const transaction = openTransaction.apply(this, args);
    transactionOfLog.set(transaction._rollbackLog, transaction);
    return transaction;
  };

  const transactionProto = IDBTransaction.prototype as unknown as {
    dispatchEvent: (event: FakeEvent) => boolean;
    _abort: (errorName: string | null) => void;
  };
  const dispatch = (Object.getPrototypeOf(transactionProto) as typeof transactionProto).dispatchEvent;
  if (typeof dispatch !== "function" || typeof transactionProto._abort !== "function") {
    throw new Error("fake-indexeddb internals changed: transaction dispatch/abort");
  }
  Object.defineProperty(transactionProto, "dispatchEvent", {
    configurable: true,
    writable: true,
    value: function (this: Transaction, event: FakeEvent): boolean {
      if (event.type === "complete" && !persistCommit(this)) {
        // Refused: memory is rolled back and `abort` fires instead (queued by _abort).
        return false;
      }
      return dispatch.call(this, event);
    },
  });
  const abort = transactionProto._abort;
  transactionProto._abort = function (this: Transaction, errorName: string | null) {
    abort.call(this, errorName);
    dirtyOf.delete(this);
  };
}

/** Writes a committing transaction to its sink. False means it must abort instead. */
function persistCommit(transaction: Transaction): boolean {
  const database = transaction.db._rawDatabase;
  const route = routeOfDatabase.get(database);
  if (!route || route.replaying || transaction.mode === "readonly") return true;
  const stores = dirtyOf.get(transaction);
  dirtyOf.delete(transaction);
  if (transaction.mode === "readwrite" && !stores) return true;
  const name = localName(route, database.name);
  if (route.closed) {
    refuse(transaction, route);
    route.options.onLateCommit(name);
    return false;
  }
  const started = performance.now();
  let records = 0;
  try {
    if (transaction.mode === "versionchange") {
      const snapshot = snapshotRecords(database);
      for (const list of snapshot.values()) records += list.length;
      route.sink.writeDatabase(name, schemaOf(database), snapshot);
      count(route, [...snapshot.keys()]);
    } else {
      const changes: StoreChanges[] = [];
      let keyGeneratorMoved = false;
      for (const [store, dirty] of stores ?? []) {
        const put: StoredRecord[] = [];
        const deleted: IdbKey[] = [];
        for (const key of dirty.keys.values()) {
          const record = store.records.get(key);
          if (record) put.push({ key: record.key, value: record.value });
          else deleted.push(key);
        }
        records += put.length + deleted.length;
        keyGeneratorMoved ||= store.keyGenerator !== null;
        changes.push({ store: store.name, cleared: dirty.cleared, put, deleted });
      }
      if (route.sink.writeChanges(name, changes, keyGeneratorMoved ? schemaOf(database) : null) === false) route.stats.unchanged += 1;
      count(
        route,
        changes.map((c) => c.store),
      );
    }
  } catch (error) {
    refuse(transaction, route);
    route.options.onFailure(error);
    return false;
  }
  const ms = performance.now() - started;
  const stats = route.stats;
  stats.commits += 1;
  stats.records += records;
  stats.writeMsTotal += ms;
  stats.writeMsLast = ms;
  stats.writeMsMax = Math.max(stats.writeMsMax, ms);
  return true;
}

function count(route: Route, storeNames: string[]): void {
  for (const store of storeNames) route.stats.byStore[store] = (route.stats.byStore[store] ?? 0) + 1;
}

function refuse(transaction: Transaction, route: Route): void {
  route.stats.refused += 1;
  transaction._abort("UnknownError");
}

function schemaOf(database: RawDatabase): DatabaseSchema {
  return {
    version: database.version,
    stores: [...database.rawObjectStores.values()].map((store) => ({
      name: store.name,
      keyPath: store.keyPath,
      autoIncrement: store.autoIncrement,
      keyGenerator: store.keyGenerator ? store.keyGenerator.num : null,
      indexes: [...store.rawIndexes.values()].map((index) => ({
        name: index.name,
        keyPath: index.keyPath,
        unique: index.unique,
        multiEntry: index.multiEntry,
      })),
    })),
  };
}

function snapshotRecords(database: RawDatabase): Map<string, StoredRecord[]> {
  const stores = new Map<string, StoredRecord[]>();
  for (const store of database.rawObjectStores.values()) {
    stores.set(
      store.name,
      [...store.records.values()].map((r) => ({ key: r.key, value: r.value })),
    );
  }
  return stores;
}

// ---- mount ---------------------------------------------------------------------------------------

/**
 * Routes databases named `${prefix}::…` to `sink` and recreates `images` in memory under that
 * prefix. Resolves once they are ready for use.
 */
export async function mountDatabases(prefix: string, sink: IdbSink, images: DatabaseImage[], options: MountOptions): Promise<Mount> {
  if (!factory) throw new Error("installPersistentIndexedDB() first");
  if (prefix.includes("::")) throw new Error("a mount prefix cannot contain '::'");
  if (routes.get(prefix)?.closed === false) throw new Error(`prefix ${prefix} is already mounted`);
  const databases = factory._databases;
  for (const name of databases.keys()) {
    if (name.startsWith(`${prefix}::`)) throw new Error(`databases under prefix ${prefix} already exist in memory`);
  }
  const route: Route = {
    prefix,
    sink,
    options,
    replaying: true,
    closed: false,
    stats: { commits: 0, unchanged: 0, records: 0, writeMsTotal: 0, writeMsMax: 0, writeMsLast: 0, refused: 0, byStore: {} },
  };
  routes.set(prefix, route);
  try {
    for (const image of images) await recreate(factory, `${prefix}::${image.name}`, image);
  } catch (error) {
    route.closed = true;
    for (const name of [...databases.keys()]) if (name.startsWith(`${prefix}::`)) databases.forget(name);
    throw error;
  }
  route.replaying = false;

  const ownNames = (): string[] => [...databases.keys()].filter((name) => name.startsWith(`${prefix}::`));
  return {
    prefix,
    stats: () => ({ ...route.stats, byStore: { ...route.stats.byStore } }),
    databaseNames: () => ownNames().map((name) => localName(route, name)),
    openConnections: () => ownNames().reduce((n, name) => n + (databases.get(name)?.connections.length ?? 0), 0),
    close: () => {
      if (route.closed) return;
      // The route stays, closed: a database opened under this prefix later is refused too.
      route.closed = true;
      for (const name of ownNames()) databases.forget(name);
    },
  };
}

async function recreate(target: Factory, name: string, image: DatabaseImage): Promise<void> {
  const connection = await openWithUpgrade(target, name, image.schema.version, (db) => {
    for (const store of image.schema.stores) {
      const created = db.createObjectStore(store.name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
      for (const index of store.indexes) {
        created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
      }
    }
  });
  try {
    // Straight into the raw stores: synchronous, and no per-record request round trip.
    for (const store of image.schema.stores) {
      const raw = connection._rawDatabase.rawObjectStores.get(store.name);
      if (!raw) throw new Error(`recreating ${name}: store ${store.name} missing`);
      for (const record of image.records.get(store.name) ?? []) {
        raw.storeRecord({ key: record.key, value: record.value }, true);
      }
      if (raw.keyGenerator && store.keyGenerator !== null) {
        raw.keyGenerator.num = Math.max(raw.keyGenerator.num, store.keyGenerator);
      }
    }
  } finally {
    connection.close();
  }
}

function openWithUpgrade(target: Factory, name: string, version: number, upgrade: (db: Connection) => void): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const request = target.open(name, version);
    request.onupgradeneeded = () => upgrade(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`opening ${name} was blocked`));
  });
}
