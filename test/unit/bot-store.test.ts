// The bot's per-message bookkeeping: claims and done marks are written without an fsync of
// their own, and every other write of the same connection stays fully durable.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BotStore } from "../../src/store/bot-store.ts";
import { transaction } from "../../src/store/db.ts";

const dir = mkdtempSync(join(tmpdir(), "mchlink-bot-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FULL = 2;
const synchronous = (store: BotStore) => (store.db.prepare("PRAGMA synchronous").get() as { synchronous: number }).synchronous;
const event = (eventId: string) => ({ eventId, roomId: "!r:example.org", sender: "@a:example.org", ts: 1_000, kind: "message" });

describe("bot store bookkeeping", () => {
  it("claims once, marks done, and leaves the connection fully durable after each", () => {
    const store = new BotStore(join(dir, "a.sqlite"));
    expect(synchronous(store)).toBe(FULL);
    expect(store.claim(event("$1"), 5)).toBeUndefined();
    expect(synchronous(store)).toBe(FULL);
    expect(store.claim(event("$1"), 6)).toBe("claimed");
    store.markDone("$1", 7);
    expect(synchronous(store)).toBe(FULL);
    expect(store.status("$1")).toBe("done");
    expect(store.claim(event("$1"), 8)).toBe("done");
    expect(store.unfinished()).toEqual([]);
    store.close();
  });

  it("is fully durable again after a claim that failed, and the failed claim left nothing", () => {
    const store = new BotStore(join(dir, "b.sqlite"));
    // NOT NULL: the insert fails inside the transaction.
    expect(() => store.claim({ ...event("$2"), roomId: null as unknown as string }, 5)).toThrow();
    expect(synchronous(store)).toBe(FULL);
    expect(store.status("$2")).toBeUndefined();
    expect(store.db.isTransaction).toBe(false);
    store.close();
  });

  it("marks inside a caller's transaction as part of it", () => {
    const store = new BotStore(join(dir, "d.sqlite"));
    store.claim(event("$5"), 5);
    transaction(store.db, () => store.markDone("$5", 6));
    expect(store.status("$5")).toBe("done");
    expect(() =>
      transaction(store.db, () => {
        store.markDone("$5", 7);
        throw new Error("the caller's work failed");
      }),
    ).toThrow(/caller's work/);
    expect(store.db.prepare("SELECT updated_at FROM handled_events WHERE event_id = ?").get("$5")).toEqual({ updated_at: 6 });
    expect(synchronous(store)).toBe(FULL);
    store.close();
  });

  it("keeps claims and marks across a reopen (a process that stops loses nothing)", () => {
    const path = join(dir, "c.sqlite");
    const first = new BotStore(path);
    first.claim(event("$3"), 5);
    first.claim(event("$4"), 5);
    first.markDone("$3", 6);
    first.close();
    const again = new BotStore(path);
    expect(again.status("$3")).toBe("done");
    expect(again.unfinished()).toEqual([{ event_id: "$4", room_id: "!r:example.org" }]);
    again.close();
  });
});
