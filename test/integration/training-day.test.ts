// A training day under the rate limits people meet (the template's, not the test
// profile's raised ones): 60 provisioned providers log in from one address (one
// Wi-Fi, or a carrier's shared address) within two minutes and each finishes a first
// sync with its keys uploaded, while wrong passwords for one account are still slowed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaledRosterYaml } from "../../bench/roster.ts";
import { settleLimited } from "../../src/util/concurrency.ts";
import { loginClient } from "../support/clients.ts";
import { newDeployment, provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

const TRAINEES = 60;

describe("a training day from one address, with production rate limits", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let dir: string;
  let providers: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mchlink-training-"));
    // The small province with every provider eleven times: 66 providers, 60 for the rush and a few more.
    const configPath = join(dir, "training.yaml");
    writeFileSync(configPath, scaledRosterYaml(readFileSync(SMALL_PROVINCE, "utf8"), 11));
    hs = await startTestSynapse({ productionLimits: true });
    p = await provision(hs, configPath, newDeployment(hs));
    providers = p.province.people.filter((x) => x.role === "provider").map((x) => x.id);
  }, 300_000);
  afterAll(async () => {
    await hs?.destroy();
    if (p) rmSync(p.deployment.dir, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const login = (user: string, password: string) =>
    fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user }, password }),
    });

  it("renders the template's limits, not the test profile's", () => {
    const rendered = readFileSync(join(hs.dataDir, "homeserver.yaml"), "utf8");
    expect(rendered).toMatch(/bcrypt_rounds: 12/);
    expect(rendered).toMatch(/failed_attempts:\s+per_second: 0.05\s+burst_count: 3/);
    expect(rendered).not.toMatch(/burst_count: 10000/);
  });

  it("lets 60 providers log in and finish a first sync with keys uploaded, from one address within two minutes", async () => {
    expect(providers.length).toBeGreaterThan(TRAINEES + 1);
    const trainees = providers.slice(0, TRAINEES);
    const t0 = performance.now();
    // Six phones at a time: a room of trainees following the trainer's "now log in".
    const { failures } = await settleLimited(trainees, 6, async (localpart) => {
      const phone = await loginClient(hs.baseUrl, p.userId(localpart), p.password(localpart));
      try {
        // The first sync is done; the device's identity and one-time keys must be on the server.
        const deadline = Date.now() + 30_000;
        for (;;) {
          const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/keys/query`, {
            method: "POST",
            headers: { authorization: `Bearer ${phone.client.getAccessToken()}`, "content-type": "application/json" },
            body: JSON.stringify({ device_keys: { [phone.userId]: [] } }),
          });
          expect(res.status, `keys/query for ${localpart}`).toBe(200);
          const keys = (await res.json()) as { device_keys: Record<string, Record<string, unknown>> };
          if (keys.device_keys[phone.userId]?.[phone.client.getDeviceId()!]) break;
          if (Date.now() > deadline) throw new Error(`${localpart}'s device keys were not uploaded within 30 s`);
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        await phone.stop();
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    expect(failures.map((f) => `${f.item}: ${String(f.error)}`)).toEqual([]);
    expect(seconds).toBeLessThan(120);
  }, 240_000);

  it("still slows down wrong passwords for one account (429 after three), while others from the same address log in", async () => {
    const victim = providers[TRAINEES]!;
    const statuses: number[] = [];
    let retryAfterMs = 0;
    for (let i = 0; i < 10; i++) {
      const res = await login(p.userId(victim), `wrong-password-${i}`);
      statuses.push(res.status);
      const body = (await res.json()) as { errcode: string; retry_after_ms?: number };
      if (res.status === 429) {
        expect(body.errcode).toBe("M_LIMIT_EXCEEDED");
        retryAfterMs = Math.max(retryAfterMs, body.retry_after_ms ?? 0);
      } else expect(body.errcode).toBe("M_FORBIDDEN");
    }
    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(statuses.slice(3)).toEqual(Array(7).fill(429));
    // One more try per 20 seconds: guessing stays slow.
    expect(retryAfterMs).toBeGreaterThan(10_000);
    // The limit is the account's, not the address's: another provider still gets in at once.
    const other = providers[TRAINEES + 1]!;
    const ok = await login(p.userId(other), p.password(other));
    expect(ok.status).toBe(200);
  }, 60_000);
});
