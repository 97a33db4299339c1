// A shaped network link between a client and a real Synapse, on loopback: a TCP
// proxy that delays, throttles, stalls, resets and cuts what goes through it, and
// counts the bytes each way, for the tests and the bench (`npm run bench -- --links`).
//
// It works on TCP, not HTTP (unlike flaky-proxy.ts, which answers some requests
// itself): the bytes counted are the bytes the client's HTTP/1.1 connections carry
// (request and response heads and bodies, as a phone's radio would carry them
// before TLS and TCP/IP headers), and a stall or a drop-out can fall in the middle
// of a response, as on a real 2G link. The two compose: client → link → flaky → Synapse.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { seededRandom } from "./faults.ts";

export interface LinkProfile {
  name: string;
  /** Round-trip time added to every exchange (half on each way). */
  rttMs: number;
  /** Bandwidth of each direction, in bits per second. */
  bitsPerSecond: number;
  /** Chance that a 1460-byte segment is lost; each loss stalls its direction for `stallMs` (TCP retransmission). */
  loss: number;
  stallMs: number;
  /** Chance, per chunk of data passed, that the connection is reset (the radio lost its context); 0: never. */
  resetChance: number;
  /** Drop-outs: every `everyMs`, nothing passes for `forMs`, and open connections are reset. Absent: none. */
  dropouts?: { everyMs: number; forMs: number };
}

/** Profiles measured in Bokeo and from operators' published figures: rough, on purpose. */
export const PROFILES = {
  /** HSPA at the edge of a district town: about 300 ms round trip and 1 Mbit/s. */
  "3G": { name: "3G", rttMs: 300, bitsPerSecond: 1_000_000, loss: 0.005, stallMs: 600, resetChance: 0 },
  /**
   * EDGE/GPRS in a village: about 700 ms round trip, 50 kbit/s, lost segments, an
   * occasional reset, and a 5-second drop-out every two minutes.
   */
  "2G": { name: "2G", rttMs: 700, bitsPerSecond: 50_000, loss: 0.02, stallMs: 1_500, resetChance: 0.002, dropouts: { everyMs: 120_000, forMs: 5_000 } },
} as const satisfies Record<string, LinkProfile>;

export type ProfileName = keyof typeof PROFILES;

export interface ByteCount {
  /** Client to server. */
  up: number;
  /** Server to client. */
  down: number;
}

export interface LinkCounters extends ByteCount {
  connections: number;
  resets: number;
  stalls: number;
  /** Bytes by what each request was for (`classify` of its path); "other" when unknown. */
  byKind: Record<string, ByteCount>;
}

export interface Link {
  url: string;
  profile: LinkProfile;
  readonly counters: LinkCounters;
  /** A copy of the counters now, to subtract later (see `since`). */
  snapshot(): LinkCounters;
  /** Nothing passes for `ms`; open connections are reset at the start (as a phone losing its radio). */
  dropOut(ms: number, opts?: { reset?: boolean }): void;
  close(): Promise<void>;
}

export interface LinkOptions {
  /** A name for the bytes of a request to `path` (e.g. "sync", "to-device"); default: every request is "other". */
  classify?: (method: string, path: string) => string;
  /** Random numbers in [0, 1) for loss and resets; a seeded one makes a run repeatable. */
  random?: () => number;
}

/** The difference between two snapshots: what passed in between. */
export function since(before: LinkCounters, after: LinkCounters): LinkCounters {
  const byKind: Record<string, ByteCount> = {};
  for (const [kind, b] of Object.entries(after.byKind)) {
    const a = before.byKind[kind] ?? { up: 0, down: 0 };
    if (b.up - a.up > 0 || b.down - a.down > 0) byKind[kind] = { up: b.up - a.up, down: b.down - a.down };
  }
  return {
    up: after.up - before.up,
    down: after.down - before.down,
    connections: after.connections - before.connections,
    resets: after.resets - before.resets,
    stalls: after.stalls - before.stalls,
    byKind,
  };
}

const SEGMENT = 1460;
/** Above this many bytes queued in one direction, the sender is paused (TCP's window, roughly). */
const QUEUE_LIMIT = 64 * 1024;
const REQUEST_LINE = /^(GET|POST|PUT|DELETE|OPTIONS|HEAD|PATCH) (\S+) HTTP\/1\.[01]\r\n/;

/**
 * One direction of one connection: chunks leave in order, each after its
 * serialisation time at the link's bandwidth, the one-way delay, any stall for a
 * lost segment, and the end of any drop-out.
 */
class Direction {
  private busyUntil = 0;
  private queued: Array<{ data: Buffer; at: number }> = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  closed = false;
  private readonly link: LinkState;
  private readonly from: Socket;
  private readonly to: Socket;

  constructor(link: LinkState, from: Socket, to: Socket) {
    this.link = link;
    this.from = from;
    this.to = to;
  }

  push(data: Buffer): void {
    const { profile } = this.link;
    const now = performance.now();
    let start = Math.max(now, this.busyUntil, this.link.quietUntil);
    const segments = Math.ceil(data.length / SEGMENT);
    for (let i = 0; i < segments; i++) {
      if (profile.loss > 0 && this.link.random() < profile.loss) {
        start += profile.stallMs;
        this.link.counters.stalls++;
      }
    }
    this.busyUntil = start + (data.length * 8 * 1000) / profile.bitsPerSecond;
    this.queued.push({ data, at: this.busyUntil + profile.rttMs / 2 });
    this.queuedBytes += data.length;
    if (this.queuedBytes > QUEUE_LIMIT) this.from.pause();
    this.pump();
  }

  /** A drop-out: what is queued waits for its end as well. */
  holdUntil(t: number): void {
    this.busyUntil = Math.max(this.busyUntil, t);
    for (const q of this.queued) q.at = Math.max(q.at, t + this.link.profile.rttMs / 2);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.timer || this.closed) return;
    const head = this.queued[0];
    if (!head) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const now = performance.now();
        while (this.queued[0] && this.queued[0].at <= now + 1) {
          const { data } = this.queued.shift()!;
          this.queuedBytes -= data.length;
          if (this.closed) return;
          this.to.write(data);
        }
        if (this.queuedBytes <= QUEUE_LIMIT / 2 && this.from.isPaused()) this.from.resume();
        this.pump();
      },
      Math.max(0, head.at - performance.now()),
    );
  }

  /** Ends the far side once everything queued is delivered. */
  end(): void {
    const finish = () => {
      if (this.queued.length === 0 && !this.timer) this.to.end();
      else setTimeout(finish, 20);
    };
    finish();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queued = [];
  }
}

interface LinkState {
  profile: LinkProfile;
  counters: LinkCounters;
  random: () => number;
  quietUntil: number;
}

export async function startLink(upstream: string, profile: LinkProfile, opts: LinkOptions = {}): Promise<Link> {
  const target = new URL(upstream);
  const classify = opts.classify ?? (() => "other");
  const counters: LinkCounters = { up: 0, down: 0, connections: 0, resets: 0, stalls: 0, byKind: {} };
  const state: LinkState = { profile, counters, random: opts.random ?? seededRandom(13).next, quietUntil: 0 };
  const open = new Set<{ client: Socket; server: Socket; dirs: Direction[] }>();

  const count = (kind: string, way: "up" | "down", n: number) => {
    counters[way] += n;
    const k = (counters.byKind[kind] ??= { up: 0, down: 0 });
    k[way] += n;
  };

  const reset = (conn: { client: Socket; server: Socket; dirs: Direction[] }) => {
    if (!open.delete(conn)) return;
    counters.resets++;
    for (const d of conn.dirs) d.stop();
    conn.client.resetAndDestroy();
    conn.server.destroy();
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    counters.connections++;
    const upstreamSocket = connect({ host: target.hostname, port: Number(target.port) });
    // What the bytes on this connection are for: the last request line the client sent on it
    // (HTTP/1.1 without pipelining: a response follows its request on the same connection).
    let kind = "other";
    const conn = { client, server: upstreamSocket, dirs: [] as Direction[] };
    const up = new Direction(state, client, upstreamSocket);
    const down = new Direction(state, upstreamSocket, client);
    conn.dirs = [up, down];
    // A new connection costs two round trips before its first request leaves: TCP's
    // handshake and TLS 1.3's (production is HTTPS). While the link is out, it waits.
    up.holdUntil(Math.max(performance.now(), state.quietUntil) + 2 * profile.rttMs);
    open.add(conn);
    client.on("data", (data: Buffer) => {
      const line = REQUEST_LINE.exec(data.subarray(0, 2048).toString("latin1"));
      if (line) kind = classify(line[1]!, line[2]!);
      count(kind, "up", data.length);
      if (profile.resetChance > 0 && state.random() < profile.resetChance) return reset(conn);
      up.push(data);
    });
    upstreamSocket.on("data", (data: Buffer) => {
      count(kind, "down", data.length);
      if (profile.resetChance > 0 && state.random() < profile.resetChance) return reset(conn);
      down.push(data);
    });
    client.on("end", () => up.end());
    upstreamSocket.on("end", () => down.end());
    const gone = () => {
      if (!open.delete(conn)) return;
      up.stop();
      down.stop();
      client.destroy();
      upstreamSocket.destroy();
    };
    client.on("error", gone);
    upstreamSocket.on("error", gone);
    client.on("close", gone);
    upstreamSocket.on("close", gone);
    upstreamSocket.on("connect", () => client.resume());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const dropOut = (ms: number, o: { reset?: boolean } = {}) => {
    state.quietUntil = Math.max(state.quietUntil, performance.now() + ms);
    for (const conn of [...open]) {
      if (o.reset ?? true) reset(conn);
      else for (const d of conn.dirs) d.holdUntil(state.quietUntil);
    }
  };
  let dropouts: NodeJS.Timeout | undefined;
  if (profile.dropouts) {
    const { everyMs, forMs } = profile.dropouts;
    dropouts = setInterval(() => dropOut(forMs), everyMs);
    dropouts.unref();
  }

  return {
    url: `http://127.0.0.1:${port}`,
    profile,
    counters,
    snapshot: () => structuredClone(counters),
    dropOut,
    close: () =>
      new Promise<void>((resolve) => {
        if (dropouts) clearInterval(dropouts);
        for (const conn of [...open]) {
          open.delete(conn);
          for (const d of conn.dirs) d.stop();
          conn.client.destroy();
          conn.server.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** What a Matrix client's request is for, by its path: the names the bench reports bytes under. */
export function matrixKind(method: string, path: string): string {
  const p = path.replace(/\?.*$/, "");
  if (p.includes("/sync")) return "sync";
  if (p.includes("/sendToDevice/")) return "to-device";
  if (p.includes("/keys/")) return "keys";
  if (/\/rooms\/[^/]+\/send\//.test(p)) return "send";
  if (p.includes("/members") || p.includes("/joined_members")) return "members";
  if (p.includes("/login")) return "login";
  if (/\/rooms\/[^/]+\/(messages|context|event)/.test(p)) return "history";
  if (p.includes("/receipt") || p.includes("/read_markers") || p.includes("/typing")) return "receipts";
  if (p.includes("/pushrules") || p.includes("/capabilities") || p.includes("/versions") || p.includes("/filter") || p.includes("/voip") || p.includes("/account_data") || p.includes("/media/config"))
    return "setup";
  return method === "GET" ? "other-get" : "other";
}
