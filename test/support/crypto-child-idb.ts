// Child process for test/unit/crypto-store.test.ts: drives the durable indexedDB through the raw
// IndexedDB API, so the parent can kill it at chosen moments and look at what survived.
//
//   node crypto-child-idb.ts <dir> <secretFile> write|upgrade|dump|counter|churn <n>|hold
//
// Output lines go straight to fd 1 (writeSync) so that a line printed before a SIGKILL is never lost.
import { writeSync } from "node:fs";
import pino from "pino";
import { openDurableCryptoStore } from "../../src/matrix/crypto-store.ts";

/* eslint-disable @typescript-eslint/no-explicit-any -- no DOM types in this project; the IDB API is used untyped */
type Any = any;

const [dir, secretFile, phase, arg] = process.argv.slice(2);
if (!dir || !secretFile || !phase) throw new Error("usage: crypto-child-idb.ts <dir> <secretFile> <phase> [n]");

const say = (line: unknown): void => {
  writeSync(1, `${typeof line === "string" ? line : JSON.stringify(line)}\n`);
};

const store = await openDurableCryptoStore({ dir, secretFile, logger: pino({ level: "warn" }, pino.destination(2)) });
const idb: Any = (globalThis as Any).indexedDB;
const KeyRange: Any = (globalThis as Any).IDBKeyRange;
const name = (local: string): string => `${store.prefix}::${local}`;

function request<T>(r: Any): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result as T);
    r.onerror = () => reject(r.error);
  });
}

function open(local: string, version: number, upgrade?: (db: Any, tx: Any) => void): Promise<Any> {
  return new Promise((resolve, reject) => {
    const r = idb.open(name(local), version);
    r.onupgradeneeded = () => upgrade?.(r.result, r.transaction);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Resolves with "complete" or "abort", whichever the transaction ends with. */
function ended(tx: Any): Promise<string> {
  return new Promise((resolve) => {
    tx.oncomplete = () => resolve("complete");
    tx.onabort = () => resolve("abort");
  });
}

/** The last transaction of a phase: report and die the instant it has committed. */
function dieOnComplete(tx: Any): void {
  tx.oncomplete = () => {
    say("committed");
    process.kill(process.pid, "SIGKILL");
  };
}

const PLAINTEXT = "PLAINTEXT-MARKER-7f3a";
const KEY_MARKER = "KEY-MARKER-c41d";
const BYTES_MARKER = [0xde, 0xad, 0xbe, 0xef, 0x13, 0x37, 0xca, 0xfe, 0xba, 0xbe];

async function write(): Promise<void> {
  const other = await open("other", 1, (db) => db.createObjectStore("s"));
  const otherTx = other.transaction("s", "readwrite");
  otherTx.objectStore("s").put("in other", "k");
  await ended(otherTx);
  other.close();

  const db = await open("app", 1, (d) => {
    d.createObjectStore("plain");
    const people = d.createObjectStore("people", { keyPath: "id" });
    people.createIndex("byName", "name", { unique: true });
    people.createIndex("byTag", "tags", { multiEntry: true });
    d.createObjectStore("auto", { autoIncrement: true });
    d.createObjectStore("doomed");
  });
  const all = ["plain", "people", "auto", "doomed"];

  const a = db.transaction(all, "readwrite");
  const plain = a.objectStore("plain");
  plain.put({ text: PLAINTEXT, nested: { deep: [1, "two", { three: 3 }] }, bytes: new Uint8Array(BYTES_MARKER), when: new Date(1_700_000_000_000) }, KEY_MARKER);
  plain.put("compound value", ["compound", 7]);
  plain.put("binary keyed", new Uint8Array([9, 8, 7]));
  plain.put("to delete", 42);
  plain.put("x", "gone-by-range-1");
  plain.put("y", "gone-by-range-2");
  a.objectStore("people").put({ id: 1, name: "Ada", tags: ["a", "b"] });
  a.objectStore("people").put({ id: 2, name: "Bo", tags: ["b"] });
  for (const v of ["first", "second", "third"]) a.objectStore("auto").add(v);
  a.objectStore("doomed").put("doomed value", "k");
  say(await ended(a));

  const b = db.transaction(all, "readwrite");
  b.objectStore("plain").delete(42);
  b.objectStore("plain").delete(KeyRange.bound("gone-by-range-1", "gone-by-range-2"));
  b.objectStore("people").put({ id: 2, name: "Bob", tags: ["c"] });
  b.objectStore("auto").delete(3);
  say(await ended(b));

  const aborted = db.transaction(["plain"], "readwrite");
  aborted.objectStore("plain").put("must not persist", "aborted-explicitly");
  aborted.abort();
  say(await ended(aborted));

  // A unique-index violation without preventDefault aborts the whole transaction.
  const failing = db.transaction(["plain", "people"], "readwrite");
  failing.objectStore("plain").put("must not persist", "aborted-by-error");
  failing.objectStore("people").add({ id: 3, name: "Ada", tags: [] });
  say(await ended(failing));

  const cleared = db.transaction(["auto"], "readwrite");
  cleared.objectStore("auto").clear();
  cleared.objectStore("auto").add("after clear");
  say(await ended(cleared));

  // Cursor writes go through the same path as put/delete.
  const cursorTx = db.transaction(["people"], "readwrite");
  cursorTx.objectStore("people").openCursor(1).onsuccess = (e: Any) => {
    const cursor = e.target.result;
    if (cursor) cursor.update({ ...cursor.value, tags: ["a", "b", "z"] });
  };
  say(await ended(cursorTx));

  const last = db.transaction(["plain"], "readwrite");
  last.objectStore("plain").put("marker", "last");
  dieOnComplete(last);
}

async function upgrade(): Promise<void> {
  const deleted = idb.deleteDatabase(name("other"));
  await request(deleted);
  const db = await open("app", 2, (d, tx) => {
    d.deleteObjectStore("doomed");
    const people = tx.objectStore("people");
    people.name = "persons";
    people.createIndex("byId", "id");
    const extra = d.createObjectStore("extra");
    extra.put("written during upgrade", "e");
  });
  const tx = db.transaction(["plain"], "readwrite");
  tx.objectStore("plain").put("after upgrade", "post-upgrade");
  dieOnComplete(tx);
}

/** Everything in every database, in a JSON-safe tagged form, plus a few index and generator probes. */
async function dump(): Promise<void> {
  const tag = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return { u8: [...v] };
    if (v instanceof ArrayBuffer) return { ab: [...new Uint8Array(v)] };
    if (v instanceof Date) return { date: v.getTime() };
    if (Array.isArray(v)) return v.map(tag);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tag(x)]));
    return v;
  };
  const out: Record<string, unknown> = {};
  const names: Any[] = await idb.databases();
  for (const { name: full, version } of names) {
    const local = (full as string).slice(store.prefix.length + 2);
    const db = await open(local, version);
    const stores: Record<string, unknown> = {};
    const storeNames: string[] = [...db.objectStoreNames];
    if (storeNames.length > 0) {
      const tx = db.transaction(storeNames, "readonly");
      for (const s of storeNames) {
        const os = tx.objectStore(s);
        const keys: unknown[] = await request(os.getAllKeys());
        const values: unknown[] = await request(os.getAll());
        stores[s] = {
          indexes: [...os.indexNames],
          records: keys.map((k, i) => [tag(k), tag(values[i])]),
        };
      }
    }
    const probes: Record<string, unknown> = {};
    if (storeNames.includes("auto")) {
      // The next generated key, from a transaction that is then aborted (the generator rolls back).
      const tx = db.transaction(["auto"], "readwrite");
      probes.nextAutoKey = await request(tx.objectStore("auto").add("probe"));
      tx.abort();
      await ended(tx);
    }
    const people = storeNames.find((s) => s === "people" || s === "persons");
    if (people) {
      const tx = db.transaction([people], "readonly");
      const os = tx.objectStore(people);
      probes.byName = tag(await request(os.index("byName").getAll()));
      probes.byTagB = tag(await request(os.index("byTag").getAllKeys("b")));
      probes.byTagC = tag(await request(os.index("byTag").getAllKeys("c")));
    }
    out[local] = { version: db.version, stores, probes };
    db.close();
  }
  say(out);
}

/** Commits transaction after transaction, printing each number once committed, until killed. */
async function counter(): Promise<void> {
  const db = await open("counter", 1, (d) => d.createObjectStore("c"));
  for (let n = 1; ; n++) {
    const tx = db.transaction(["c"], "readwrite");
    tx.objectStore("c").put(n, "n");
    tx.objectStore("c").put(new Uint8Array(64).fill(n & 0xff), `blob-${n % 50}`);
    if ((await ended(tx)) !== "complete") throw new Error("counter transaction aborted");
    say(String(n));
  }
}

/** Many small transactions; reports how much the heap and fake-indexeddb's bookkeeping grow. */
async function churn(total: number): Promise<void> {
  const gc = (globalThis as Any).gc as (() => void) | undefined;
  if (!gc) throw new Error("run with --expose-gc");
  const db = await open("churn", 1, (d) => d.createObjectStore("c"));
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  let warm = 0;
  for (let n = 1; n <= total; n++) {
    const tx = db.transaction(["c"], "readwrite");
    tx.objectStore("c").put({ n, payload: new Uint8Array(256) }, n % 10);
    await ended(tx);
    if (n === Math.floor(total / 10)) warm = heap();
  }
  await new Promise((resolve) => setImmediate(resolve));
  say({
    warmHeap: warm,
    endHeap: heap(),
    pendingTransactions: db._rawDatabase.transactions.length,
    stats: store.stats(),
  });
}

switch (phase) {
  case "write":
    await write();
    break;
  case "upgrade":
    await upgrade();
    break;
  case "dump":
    await dump();
    store.close();
    break;
  case "counter":
    await counter();
    break;
  case "churn":
    await churn(Number(arg ?? 20_000));
    store.close();
    break;
  case "hold":
    say("holding");
    setInterval(() => {}, 1000);
    break;
  default:
    throw new Error(`unknown phase ${phase}`);
}
