// The durable crypto store without a homeserver: child processes write through the persistent
// indexedDB with the raw IndexedDB API and are SIGKILLed; the next process must see exactly the
// committed data.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { openDurableCryptoStore } from "../../src/matrix/crypto-store.ts";
import { EncryptedIdbFile } from "../../src/matrix/encrypted-idb-file.ts";
import { deriveStoreKeys } from "../../src/matrix/store-secret.ts";
import { installPersistentIndexedDB, mountDatabases, type DatabaseSchema, type IdbSink, type StoreChanges, type StoredRecord } from "../../src/matrix/persistent-idb.ts";

const child = new URL("../support/crypto-child-idb.ts", import.meta.url).pathname;
const logger = pino({ level: "silent" });
const scratch = mkdtempSync(join(tmpdir(), "mchlink-crypto-store-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function freshStore(): { dir: string; secretFile: string } {
  counter += 1;
  return { dir: join(scratch, `store-${counter}`), secretFile: join(scratch, `secret-${counter}`) };
}

interface ChildRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

function runChild(store: { dir: string; secretFile: string }, phase: string, ...args: string[]): ChildRun {
  const run = spawnSync(process.execPath, ["--no-warnings", "--expose-gc", child, store.dir, store.secretFile, phase, ...args], {
    encoding: "utf8",
    timeout: 240_000,
  });
  return { status: run.status, signal: run.signal, lines: run.stdout.split("\n").filter(Boolean), stderr: run.stderr };
}

function dump(store: { dir: string; secretFile: string }): Record<string, any> {
  const run = runChild(store, "dump");
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.lines.at(-1) ?? "null") as Record<string, any>;
}

const ADA = { id: 1, name: "Ada", tags: ["a", "b", "z"] };
const BOB = { id: 2, name: "Bob", tags: ["c"] };
const SECRET_VALUE = {
  text: "PLAINTEXT-MARKER-7f3a",
  nested: { deep: [1, "two", { three: 3 }] },
  bytes: { u8: [0xde, 0xad, 0xbe, 0xef, 0x13, 0x37, 0xca, 0xfe, 0xba, 0xbe] },
  when: { date: 1_700_000_000_000 },
};

describe("durable crypto store", () => {
  const written = freshStore();

  it("keeps exactly the committed transactions when killed right after a commit", () => {
    const run = runChild(written, "write");
    expect(run.signal).toBe("SIGKILL");
    // complete, complete, abort (abort()), abort (constraint error), complete (clear), complete (cursor), committed
    expect(run.lines).toEqual(["complete", "complete", "abort", "abort", "complete", "complete", "committed"]);

    const after = dump(written);
    expect(Object.keys(after).sort()).toEqual(["app", "other"]);
    expect(after.other.stores.s.records).toEqual([["k", "in other"]]);
    const app = after.app;
    expect(app.version).toBe(1);
    // Keys come back in IndexedDB order: numbers < strings < binary < arrays.
    expect(app.stores.plain.records).toEqual([
      ["KEY-MARKER-c41d", SECRET_VALUE],
      ["last", "marker"],
      [{ ab: [9, 8, 7] }, "binary keyed"],
      [["compound", 7], "compound value"],
    ]);
    expect(app.stores.people).toEqual({
      indexes: ["byName", "byTag"],
      records: [
        [1, ADA],
        [2, BOB],
      ],
    });
    expect(app.stores.auto.records).toEqual([[4, "after clear"]]);
    expect(app.stores.doomed.records).toEqual([["k", "doomed value"]]);
    // Indexes are rebuilt from the records; the key generator continues where it was.
    expect(app.probes).toEqual({ nextAutoKey: 5, byName: [ADA, BOB], byTagB: [1], byTagC: [2] });
  });

  it("writes nothing for aborted transactions", () => {
    const keys = dump(written).app.stores.plain.records.map((r: unknown[]) => r[0]);
    expect(keys).not.toContain("aborted-explicitly");
    expect(keys).not.toContain("aborted-by-error");
  });

  it("keeps an upgrade (deleted, renamed and new stores, a new index) and a deleted database", () => {
    const run = runChild(written, "upgrade");
    expect(run.signal, run.stderr).toBe("SIGKILL");
    expect(run.lines).toEqual(["committed"]);
    const after = dump(written);
    expect(Object.keys(after)).toEqual(["app"]);
    const app = after.app;
    expect(app.version).toBe(2);
    expect(Object.keys(app.stores).sort()).toEqual(["auto", "extra", "persons", "plain"]);
    expect(app.stores.persons).toEqual({
      indexes: ["byId", "byName", "byTag"],
      records: [
        [1, ADA],
        [2, BOB],
      ],
    });
    expect(app.stores.extra.records).toEqual([["e", "written during upgrade"]]);
    expect(app.stores.plain.records).toContainEqual(["post-upgrade", "after upgrade"]);
    expect(app.probes.nextAutoKey).toBe(5);
  });

  it("has no plaintext of keys or values on disk", () => {
    const files = ["crypto-store.sqlite", "crypto-store.sqlite-wal"].map((f) => join(written.dir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const disk = Buffer.concat(files.map((f) => readFileSync(f)));
    for (const text of ["PLAINTEXT-MARKER-7f3a", "KEY-MARKER-c41d", "doomed value", "compound value", "written during upgrade"]) {
      expect(disk.includes(Buffer.from(text, "utf8")), text).toBe(false);
      expect(disk.includes(Buffer.from(text, "utf16le")), text).toBe(false);
    }
    expect(disk.includes(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x13, 0x37]))).toBe(false);
  });

  it("has every transaction it reported committed, each one whole, when killed at a random moment", async () => {
    const store = freshStore();
    for (const killAfter of [37, 211, 503]) {
      const reported = await new Promise<number>((resolve, reject) => {
        const proc = spawn(process.execPath, ["--no-warnings", child, store.dir, store.secretFile, "counter"]);
        let last = 0;
        let buffered = "";
        proc.stdout.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) last = Number(line);
          if (last >= killAfter) proc.kill("SIGKILL");
        });
        proc.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(last) : reject(new Error(`counter exited ${_code}`))));
      });
      const records = new Map<string, any>(dump(store).counter.stores.c.records);
      const n = records.get("n") as number;
      // The transaction in flight when the kill landed may or may not have committed.
      expect(n === reported || n === reported + 1, `stored ${n}, reported ${reported}`).toBe(true);
      for (let i = 0; i < 50 && n - i >= 1; i++) {
        expect(records.get(`blob-${(n - i) % 50}`)).toEqual({ u8: new Array(64).fill((n - i) & 0xff) });
      }
    }
  }, 120_000);

  it("does not retain finished transactions: heap and bookkeeping stay flat over 20,000 commits", () => {
    const run = runChild(freshStore(), "churn", "20000");
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.lines.at(-1) ?? "null");
    expect(result.pendingTransactions).toBe(0);
    expect(result.stats.commits).toBe(20_001);
    expect(result.endHeap - result.warmHeap).toBeLessThan(4 * 1024 * 1024);
  }, 300_000); // one fsync per commit: slow when the machine is busy
});

describe("crypto store secret and ownership", () => {
  it("refuses a secret file that group or others can read", async () => {
    const store = freshStore();
    writeFileSync(store.secretFile, `${Buffer.alloc(32, 7).toString("base64")}\n`, { mode: 0o644 });
    chmodSync(store.secretFile, 0o644);
    await expect(openDurableCryptoStore({ ...store, logger })).rejects.toThrow(/mode 644.*chmod 600/);
  });

  it("creates a missing secret with mode 0600, and refuses a missing or different secret for an existing store", async () => {
    const store = freshStore();
    const opened = await openDurableCryptoStore({ ...store, logger });
    opened.close();
    expect(spawnSync("stat", ["-c", "%a", store.secretFile], { encoding: "utf8" }).stdout.trim()).toBe("600");
    // A new store has no second encryption layer inside the Rust crypto (see the test below for old ones).
    expect(opened.storageKey).toBeUndefined();

    const original = readFileSync(store.secretFile);
    rmSync(store.secretFile);
    await expect(openDurableCryptoStore({ ...store, logger })).rejects.toThrow(/secret .* is missing but the store exists/);
    writeFileSync(store.secretFile, `${Buffer.alloc(32, 9).toString("base64")}\n`, { mode: 0o600 });
    await expect(openDurableCryptoStore({ ...store, logger })).rejects.toThrow(/different secret/);
    writeFileSync(store.secretFile, original, { mode: 0o600 });
    (await openDurableCryptoStore({ ...store, logger })).close();
  });

  it("is locked while open, in this process and in others", async () => {
    const store = freshStore();
    const opened = await openDurableCryptoStore({ ...store, logger });
    await expect(openDurableCryptoStore({ ...store, logger })).rejects.toThrow(/in use/);
    opened.close();

    const holder = spawn(process.execPath, ["--no-warnings", child, store.dir, store.secretFile, "hold"]);
    await new Promise((resolve) => holder.stdout.once("data", resolve));
    try {
      await expect(openDurableCryptoStore({ ...store, logger })).rejects.toThrow(/in use/);
    } finally {
      holder.kill("SIGKILL");
      await new Promise((resolve) => holder.once("exit", resolve));
    }
    (await openDurableCryptoStore({ ...store, logger })).close();
  });

  it("keeps the Rust layer's encryption for a store made before it was left out", async () => {
    const store = freshStore();
    (await openDurableCryptoStore({ ...store, logger })).close();
    // A store from an earlier version: the same file without the mark new stores get.
    const db = new DatabaseSync(join(store.dir, "crypto-store.sqlite"));
    expect(db.prepare("DELETE FROM meta WHERE name = 'rust-layer'").run().changes).toBe(1);
    db.close();
    const old = await openDurableCryptoStore({ ...store, logger });
    expect(old.storageKey).toHaveLength(32);
    old.close();
    const again = await openDurableCryptoStore({ ...store, logger });
    expect(again.storageKey).toEqual(old.storageKey);
    again.close();
  });

  it("remembers its device, refuses another one, and forgets it on reset", async () => {
    const store = freshStore();
    const first = await openDurableCryptoStore({ ...store, logger });
    expect(first.device()).toBeNull();
    first.bindDevice({ userId: "@bot:example.org", deviceId: "DEVICEA" });
    first.close();

    const second = await openDurableCryptoStore({ ...store, logger });
    expect(second.device()).toEqual({ userId: "@bot:example.org", deviceId: "DEVICEA" });
    second.bindDevice({ userId: "@bot:example.org", deviceId: "DEVICEA" });
    expect(() => second.bindDevice({ userId: "@bot:example.org", deviceId: "DEVICEB" })).toThrow(/another device/);
    await second.reset();
    expect(second.device()).toBeNull();
    second.bindDevice({ userId: "@bot:example.org", deviceId: "DEVICEB" });
    second.close();
  });
});

describe("persistent indexedDB commit hook", () => {
  const idb = () => (globalThis as any).indexedDB;

  function failingSink(): IdbSink & { fail: boolean; writes: StoreChanges[][] } {
    return {
      fail: false,
      writes: [],
      writeDatabase(_name: string, _schema: DatabaseSchema, _stores: Map<string, StoredRecord[]>) {},
      writeChanges(_name: string, changes: StoreChanges[]) {
        if (this.fail) throw new Error("disk full");
        this.writes.push(changes);
        return true;
      },
      deleteDatabase() {},
    };
  }

  function openDb(name: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const r = idb().open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore("s");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function put(db: any, key: string, value: string): Promise<{ outcome: string; error: string | undefined }> {
    return new Promise((resolve) => {
      const tx = db.transaction(["s"], "readwrite");
      tx.objectStore("s").put(value, key);
      tx.oncomplete = () => resolve({ outcome: "complete", error: undefined });
      tx.onabort = () => resolve({ outcome: "abort", error: tx.error?.name });
    });
  }

  function get(db: any, key: string): Promise<unknown> {
    return new Promise((resolve) => {
      const r = db.transaction(["s"], "readonly").objectStore("s").get(key);
      r.onsuccess = () => resolve(r.result);
    });
  }

  it("aborts, rolls back and reports a commit the sink could not write, then carries on", async () => {
    await installPersistentIndexedDB();
    const sink = failingSink();
    const failures: unknown[] = [];
    const mount = await mountDatabases("hook-test", sink, [], { onFailure: (e) => failures.push(e), onLateCommit: () => {} });
    const db = await openDb("hook-test::db");

    expect(await put(db, "k", "v1")).toEqual({ outcome: "complete", error: undefined });
    sink.fail = true;
    expect(await put(db, "k", "v2")).toEqual({ outcome: "abort", error: "UnknownError" });
    expect(failures).toHaveLength(1);
    expect(await get(db, "k")).toBe("v1");
    sink.fail = false;
    expect(await put(db, "k", "v3")).toEqual({ outcome: "complete", error: undefined });
    expect(sink.writes.map((w) => w[0]?.put.map((r) => r.value))).toEqual([["v1"], ["v3"]]);
    expect(mount.stats().refused).toBe(1);
    db.close();
    mount.close();
  });

  it("refuses commits after close()", async () => {
    await installPersistentIndexedDB();
    const late: string[] = [];
    const mount = await mountDatabases("late-test", failingSink(), [], { onFailure: () => {}, onLateCommit: (d) => late.push(d) });
    const db = await openDb("late-test::db");
    mount.close();
    expect(await put(db, "k", "v")).toEqual({ outcome: "abort", error: "UnknownError" });
    // Creating a database under the prefix after close() is refused as well.
    await expect(openDb("late-test::later")).rejects.toThrow(/abort/i);
    expect(late).toEqual(["db", "later"]);
    db.close();
  });

  it("leaves databases outside any mount in memory only", async () => {
    await installPersistentIndexedDB();
    const sink = failingSink();
    const mount = await mountDatabases("mounted", sink, [], { onFailure: () => {}, onLateCommit: () => {} });
    const db = await openDb("unmounted::db");
    expect(await put(db, "k", "v")).toEqual({ outcome: "complete", error: undefined });
    expect(sink.writes).toEqual([]);
    db.close();
    mount.close();
  });
});

describe("unchanged records are not written again", () => {
  const schema: DatabaseSchema = { version: 1, stores: [{ name: "core", keyPath: null, autoIncrement: false, keyGenerator: null, indexes: [] }] };
  const put = (key: string, value: unknown): StoreChanges[] => [{ store: "core", cleared: false, put: [{ key, value }], deleted: [] }];
  const image = (file: EncryptedIdbFile) => Object.fromEntries((file.images()[0]?.records.get("core") ?? []).map((r) => [r.key, r.value]));

  function openFile(): { file: EncryptedIdbFile; path: string; reopen(): EncryptedIdbFile } {
    const dir = join(scratch, `file-${++counter}`);
    mkdirSync(dir);
    const path = join(dir, "crypto-store.sqlite");
    const keys = deriveStoreKeys(Buffer.alloc(32, 3));
    const file = new EncryptedIdbFile(path, keys);
    file.writeDatabase("app", schema, new Map([["core", []]]));
    return { file, path, reopen: () => new EncryptedIdbFile(path, keys) };
  }

  it("skips a put of the value the row already holds, and writes every real change", () => {
    const { file, reopen } = openFile();
    const account = { pickle: "A".repeat(5000), counts: { signed_curve25519: 50 } };
    expect(file.writeChanges("app", put("account", account), null)).toBe(true);
    // The same value, as a new object (the Rust crypto saves a fresh copy after every sync).
    expect(file.writeChanges("app", put("account", structuredClone(account)), null)).toBe(false);
    expect(file.writeChanges("app", put("account", { ...account, counts: { signed_curve25519: 49 } }), null)).toBe(true);
    // Back to the first value: it differs from what the row holds now, so it is written.
    expect(file.writeChanges("app", put("account", account), null)).toBe(true);
    // One unchanged row and one changed row: the transaction is written.
    const both: StoreChanges[] = [
      {
        store: "core",
        cleared: false,
        put: [
          { key: "account", value: account },
          { key: "other", value: 1 },
        ],
        deleted: [],
      },
    ];
    expect(file.writeChanges("app", both, null)).toBe(true);
    // After a delete, the same value again is a change; after a clear too.
    expect(file.writeChanges("app", [{ store: "core", cleared: false, put: [], deleted: ["other"] }], null)).toBe(true);
    expect(file.writeChanges("app", put("other", 1), null)).toBe(true);
    expect(file.writeChanges("app", [{ store: "core", cleared: true, put: [{ key: "other", value: 1 }], deleted: [] }], null)).toBe(true);
    expect(file.writeChanges("app", put("other", 1), null)).toBe(false);
    // A schema change is always written.
    expect(file.writeChanges("app", put("other", 1), schema)).toBe(true);
    file.close();
    const again = reopen();
    expect(image(again)).toEqual({ other: 1 });
    // A reopened file knows nothing of what was written before: the first put is written.
    expect(again.writeChanges("app", put("other", 1), null)).toBe(true);
    expect(again.writeChanges("app", put("other", 1), null)).toBe(false);
    again.close();
  });

  it("writes again after the database was deleted or rewritten", () => {
    const { file } = openFile();
    expect(file.writeChanges("app", put("k", "v"), null)).toBe(true);
    file.deleteDatabase("app");
    file.writeDatabase("app", schema, new Map([["core", []]]));
    expect(file.writeChanges("app", put("k", "v"), null)).toBe(true);
    file.writeDatabase("app", schema, new Map([["core", [{ key: "k", value: "w" }]]]));
    expect(file.writeChanges("app", put("k", "w"), null)).toBe(false);
    expect(file.writeChanges("app", put("k", "v"), null)).toBe(true);
    file.reset();
    file.writeDatabase("app", schema, new Map([["core", []]]));
    expect(file.writeChanges("app", put("k", "v"), null)).toBe(true);
    expect(image(file)).toEqual({ k: "v" });
    file.close();
  });

  it("counts the transactions that had nothing to write, and they still complete", async () => {
    const store = freshStore();
    const opened = await openDurableCryptoStore({ ...store, logger });
    const idb = (globalThis as any).indexedDB;
    const db: any = await new Promise((resolve, reject) => {
      const r = idb.open(`${opened.prefix}::app`, 1);
      r.onupgradeneeded = () => r.result.createObjectStore("core");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const save = (value: unknown) =>
      new Promise<string>((resolve) => {
        const tx = db.transaction(["core"], "readwrite");
        tx.objectStore("core").put(value, "account");
        tx.oncomplete = () => resolve("complete");
        tx.onabort = () => resolve("abort");
      });
    const before = opened.stats();
    expect(await save({ n: 1 })).toBe("complete");
    expect(await save({ n: 1 })).toBe("complete");
    expect(await save({ n: 2 })).toBe("complete");
    const after = opened.stats();
    expect(after.commits - before.commits).toBe(3);
    expect(after.unchanged - before.unchanged).toBe(1);
    db.close();
    opened.close();
    // What a reopened store reads is the last value.
    const reopened = await openDurableCryptoStore({ ...store, logger });
    const value = await new Promise((resolve, reject) => {
      const r = idb.open(`${reopened.prefix}::app`, 1);
      r.onsuccess = () => {
        const get = r.result.transaction(["core"], "readonly").objectStore("core").get("account");
        get.onsuccess = () => {
          r.result.close();
          resolve(get.result);
        };
      };
      r.onerror = () => reject(r.error);
    });
    expect(value).toEqual({ n: 2 });
    reopened.close();
  });
});
