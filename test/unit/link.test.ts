// The link-shaping proxy (test/support/link.ts) against a real TCP echo server and
// a real HTTP server on loopback: its delays, bandwidth, stalls, drop-outs, resets
// and byte counts are what the 2G tests and the bench rely on.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixKind, PROFILES, since, startLink, type LinkProfile } from "../support/link.ts";

const fast: LinkProfile = { name: "test", rttMs: 0, bitsPerSecond: 1e12, loss: 0, stallMs: 0, resetChance: 0 };

let echo: Server;
let echoUrl: string;
const echoSockets = new Set<Socket>();
let http: HttpServer;
let httpUrl: string;

beforeAll(async () => {
  echo = createServer((s) => {
    echoSockets.add(s);
    s.on("close", () => echoSockets.delete(s));
    s.on("error", () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  http = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("x".repeat(1000)));
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of echoSockets) s.destroy();
  await new Promise((r) => echo.close(r));
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

function open(url: string): Promise<Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect({ host: u.hostname, port: Number(u.port) }, () => resolve(s));
    s.once("error", reject);
  });
}

/** Writes `bytes` and resolves when as many came back, with the milliseconds it took. */
function roundTrip(s: Socket, bytes: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let got = 0;
    const on = (d: Buffer) => {
      got += d.length;
      if (got >= bytes) {
        s.off("data", on);
        resolve(performance.now() - t0);
      }
    };
    s.on("data", on);
    s.once("error", reject);
    s.write(Buffer.alloc(bytes, 7));
  });
}

describe("the link-shaping proxy", () => {
  it("counts every byte each way, exactly", async () => {
    const link = await startLink(echoUrl, fast);
    const s = await open(link.url);
    await roundTrip(s, 10_000);
    await roundTrip(s, 123);
    expect(link.counters.up).toBe(10_123);
    expect(link.counters.down).toBe(10_123);
    expect(link.counters.connections).toBe(1);
    s.destroy();
    await link.close();
  });

  it("adds the round trip to each exchange, and two more for a new connection's handshakes", async () => {
    const link = await startLink(echoUrl, { ...fast, rttMs: 200 });
    const s = await open(link.url);
    const first = await roundTrip(s, 10);
    const second = await roundTrip(s, 10);
    expect(first).toBeGreaterThanOrEqual(590);
    expect(second).toBeGreaterThanOrEqual(195);
    expect(second).toBeLessThan(450);
    s.destroy();
    await link.close();
  });

  it("sends no faster than its bandwidth", async () => {
    const link = await startLink(echoUrl, { ...fast, bitsPerSecond: 1_000_000 });
    const s = await open(link.url);
    // 62,500 bytes each way at 1 Mbit/s: at least half a second up, and as much down.
    const ms = await roundTrip(s, 62_500);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(3_000);
    s.destroy();
    await link.close();
  });

  it("stalls a direction for each lost segment", async () => {
    const link = await startLink(echoUrl, { ...fast, loss: 1, stallMs: 100 });
    const s = await open(link.url);
    // 3 segments up, lost once each, and the same 3 down (however the echo chunks them, at least 3).
    const ms = await roundTrip(s, 3 * 1460);
    expect(link.counters.stalls).toBeGreaterThanOrEqual(6);
    expect(ms).toBeGreaterThanOrEqual(590);
    s.destroy();
    await link.close();
  });

  it("resets open connections at a drop-out, and holds new ones until it ends", async () => {
    const link = await startLink(echoUrl, fast);
    const s = await open(link.url);
    await roundTrip(s, 10);
    const closed = new Promise<string>((resolve) => {
      s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      s.once("close", () => resolve("closed"));
    });
    link.dropOut(800);
    expect(["ECONNRESET", "closed"]).toContain(await closed);
    expect(link.counters.resets).toBe(1);
    const t0 = performance.now();
    const s2 = await open(link.url);
    await roundTrip(s2, 10);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(750);
    s2.destroy();
    await link.close();
  });

  it("resets connections at random when the profile says so", async () => {
    const link = await startLink(echoUrl, { ...fast, resetChance: 1 });
    const s = await open(link.url);
    const outcome = new Promise<string>((resolve) => {
      s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      s.once("close", () => resolve("closed"));
    });
    s.write("hello");
    expect(["ECONNRESET", "closed"]).toContain(await outcome);
    expect(link.counters.resets).toBe(1);
    await link.close();
  });

  it("files the bytes of HTTP requests and their responses under what the request was for", async () => {
    const link = await startLink(httpUrl, fast, { classify: matrixKind });
    const before = link.snapshot();
    const sync = await fetch(`${link.url}/_matrix/client/v3/sync?timeout=0`);
    expect((await sync.text()).length).toBe(1000);
    const send = await fetch(`${link.url}/_matrix/client/v3/rooms/!r:x/send/m.room.encrypted/t1`, { method: "PUT", body: "{}" });
    await send.text();
    const d = since(before, link.snapshot());
    expect(Object.keys(d.byKind).sort()).toEqual(["send", "sync"]);
    expect(d.byKind.sync!.down).toBeGreaterThan(1000);
    expect(d.byKind.send!.down).toBeGreaterThan(1000);
    expect(d.byKind.sync!.up + d.byKind.send!.up).toBe(d.up);
    expect(d.down).toBe(d.byKind.sync!.down + d.byKind.send!.down);
    await link.close();
  });

  it("has the profiles the issue asks for", () => {
    expect(PROFILES["3G"]).toMatchObject({ rttMs: 300, bitsPerSecond: 1_000_000 });
    expect(PROFILES["2G"]).toMatchObject({ rttMs: 700, bitsPerSecond: 50_000 });
    expect(PROFILES["2G"].dropouts.forMs).toBeGreaterThan(0);
  });
});
