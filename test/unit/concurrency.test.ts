import { describe, expect, it } from "vitest";
import { mapLimited, settleLimited } from "../../src/util/concurrency.ts";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("mapLimited", () => {
  it("keeps the input order and never has more than the limit in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimited([5, 4, 3, 2, 1], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 40, 30, 20, 10]);
    expect(most).toBe(2);
  });
});

describe("settleLimited", () => {
  it("runs every item whatever fails, and collects the failures", async () => {
    const ran: number[] = [];
    const { failures, notStarted } = await settleLimited([1, 2, 3, 4, 5], 2, async (n) => {
      ran.push(n);
      await tick();
      if (n % 2 === 0) throw new Error(`no ${n}`);
    });
    expect(ran.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(failures.map((f) => f.item)).toEqual([2, 4]);
    expect(notStarted).toBe(0);
  });

  it("starts nothing more after a failure that says stop; those in flight finish", async () => {
    const finished: number[] = [];
    const { failures, notStarted } = await settleLimited(
      [1, 2, 3, 4, 5, 6],
      2,
      async (n) => {
        await tick();
        if (n === 1) throw new Error("server down");
        if (n === 2) await tick();
        finished.push(n);
      },
      (err) => (err as Error).message === "server down",
    );
    expect(failures.map((f) => f.item)).toEqual([1]);
    // 1 and 2 started together; 1 failed and stopped the rest; 2 was in flight and finished.
    expect(finished).toEqual([2]);
    expect(notStarted).toBe(4);
  });
});
