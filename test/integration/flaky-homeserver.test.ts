// A homeserver that answers 429 and 5xx (test/support/flaky-proxy.ts in front of
// a real Synapse): `mchlink apply` retries with backoff and ends as on a healthy
// server; when the errors do not stop it gives up with a clear error, and the
// next apply finishes the job; the bot answers every command exactly once while
// its sends are refused now and then.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { Deployment } from "../../src/homeserver/deployment.ts";
import { loginWithPassword } from "../../src/matrix/register.ts";
import { MatrixHttp } from "../../src/matrix/http.ts";
import { captureMain } from "../support/cli.ts";
import { loginClient, type TestClient } from "../support/clients.ts";
import { collectAnswers, notAnsweredOnce, seededRandom, STREAM_COMMANDS, undecryptable, waitForWelcomes, type Provider, type SentCommand } from "../support/faults.ts";
import { startFlakyProxy, type FaultPolicy, type FlakyProxy } from "../support/flaky-proxy.ts";
import { provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

/** A deployment whose homeserver is reached through the proxy. */
function deploymentVia(proxy: FlakyProxy, hs: TestSynapse): Deployment {
  const dep = new Deployment(mkdtempSync(join(tmpdir(), "mchlink-state-")));
  dep.saveHomeserver({ baseUrl: proxy.url, serverName: hs.serverName, dataDir: hs.dataDir });
  return dep;
}

/** Now and then a 429 or a 5xx, for everything but the long-polling /sync; seeded, so a failure can be replayed. */
function sometimes(seed: number, rate429: number, rate5xx: number): FaultPolicy {
  const random = seededRandom(seed);
  return ({ path }) => {
    if (path.includes("/sync")) return undefined;
    const r = random.next();
    if (r < rate429) return 429;
    if (r < rate429 + rate5xx) return random.pick([500, 502, 503] as const);
    return undefined;
  };
}

/** A Synapse of the describe's own, and the proxy in front of it. */
function flakyHomeserver(): { hs: TestSynapse; proxy: FlakyProxy } {
  const ctx = {} as { hs: TestSynapse; proxy: FlakyProxy };
  beforeAll(async () => {
    ctx.hs = await startTestSynapse();
    ctx.proxy = await startFlakyProxy(ctx.hs.baseUrl);
  });
  afterAll(async () => {
    await ctx.proxy?.close();
    await ctx.hs?.destroy();
  });
  return ctx;
}

describe("mchlink apply against a homeserver that answers 429 and 5xx", () => {
  const ctx = flakyHomeserver();

  it("retries with backoff and ends where an apply on a healthy server ends", async () => {
    const { hs, proxy } = ctx;
    const dep = deploymentVia(proxy, hs);
    // Low enough that one request failing seven times in a row is out of the question (about 1e-7).
    proxy.policy = sometimes(6, 0.06, 0.04);
    const applied = await captureMain(["--state", dep.dir, "apply", SMALL_PROVINCE]);
    expect(applied.code, applied.err).toBe(0);
    expect(proxy.counts.rateLimited).toBeGreaterThan(0);
    expect(proxy.counts.serverErrors).toBeGreaterThan(0);
    proxy.policy = () => undefined;
    expect((await captureMain(["--state", dep.dir, "plan", SMALL_PROVINCE])).out).toContain("No changes");
  }, 240_000);
});

describe("mchlink apply when the homeserver keeps failing", () => {
  const ctx = flakyHomeserver();

  it("gives up with an error that says what failed, and the next apply finishes the job", async () => {
    const { hs, proxy } = ctx;
    const dep = deploymentVia(proxy, hs);
    // Healthy at first (accounts get made), then every write is refused for good.
    proxy.policy = ({ method, n }) => (n > 60 && method !== "GET" ? 503 : undefined);
    const failed = await captureMain(["--state", dep.dir, "apply", SMALL_PROVINCE]);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/HTTP 503 M_UNKNOWN: Internal server error \(flaky proxy\) \(gave up after 6 retries\)/);
    expect(failed.err).toMatch(/(PUT|POST) \/_/); // names the request that failed
    expect(failed.err).not.toMatch(/^\s+at /m); // a message, not a stack trace
    // It stopped starting changes once the server kept failing, instead of waiting out every one.
    expect(failed.err).toMatch(/The homeserver kept failing, so \d+ more change\(s\) were not tried/);

    proxy.policy = () => undefined;
    const half = await captureMain(["--state", dep.dir, "plan", SMALL_PROVINCE]);
    expect(half.out).not.toContain("No changes");
    const p = await provision(hs, SMALL_PROVINCE, dep);
    expect((await captureMain(["--state", dep.dir, "plan", SMALL_PROVINCE])).out).toContain("No changes");
    // The sheet kept every password, including those of accounts made before the failure.
    for (const person of p.province.people) {
      await loginWithPassword(new MatrixHttp({ baseUrl: hs.baseUrl }), person.id, p.password(person.id), "check");
    }
  }, 300_000);
});

describe("the bot against a homeserver that refuses some of its sends", () => {
  const ctx = flakyHomeserver();
  let p: TestProvince;
  let bot: RunningBot | undefined;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    p = await provision(ctx.hs, SMALL_PROVINCE, deploymentVia(ctx.proxy, ctx.hs));
  });
  afterAll(async () => {
    // Registered after flakyHomeserver's, so it runs before them: clients and bot stop before the server goes.
    await Promise.all(clients.map((c) => c.stop()));
    await bot?.stop();
  });

  it("answers every command exactly once, readable, while a third of its sends get 429 or 5xx", async () => {
    const { hs, proxy } = ctx;
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "silent" }), utdGraceMs: 3_000 });
    const botId = p.userId("mchlink-bot");
    // The providers talk to Synapse directly; only the bot is behind the proxy.
    const providers: Provider[] = [];
    for (const [id, room] of [
      ["nurse-n1", "district:north"],
      ["nurse-s1", "district:south"],
    ] as const) {
      const client = await loginClient(hs.baseUrl, id, p.password(id));
      clients.push(client);
      providers.push({ client, roomId: bot.runtime.roomIds.get(room)! });
    }
    await waitForWelcomes(providers, botId);

    const random = seededRandom(11);
    proxy.policy = ({ method, path }) => (method === "PUT" && path.includes("/send/") && random.next() < 1 / 3 ? random.pick([429, 502, 503] as const) : undefined);
    const since = Date.now();
    const sent: SentCommand[] = [];
    for (let i = 0; i < 12; i++) {
      const provider = providers[i % providers.length]!;
      const body = STREAM_COMMANDS[i % STREAM_COMMANDS.length]!.body;
      sent.push({ eventId: await provider.client.send(provider.roomId, body), body, provider });
    }
    const rooms = await collectAnswers(sent, providers, botId, since, 120_000);
    expect(proxy.counts.rateLimited + proxy.counts.serverErrors).toBeGreaterThan(0);
    expect(notAnsweredOnce(sent, rooms, botId)).toEqual([]);
    expect(undecryptable(rooms)).toEqual([]);
  }, 300_000);
});
