// The bot's /healthz and /metrics against a running bot on a real Synapse: the
// commands a person sent, the consult they opened, the escalation steps fired
// when its deadline passed, decryption failures, and an unhealthy bot once it
// stops syncing.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { provision, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

const MIN = 60_000;

/** Samples of a /metrics text: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe("monitoring", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot;
  let doctor: TestClient;
  let north: string;
  const clock = new ManualClock(Date.now());
  const botId = () => p.userId("mchlink-bot");
  const get = (path: string, init?: RequestInit) => fetch(`${bot.monitoring!.url}${path}`, init);
  const metrics = async () => samples(await (await get("/metrics")).text());

  beforeAll(async () => {
    hs = await startTestSynapse();
    p = await provision(hs);
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), clock, tickMs: 100, monitoring: { host: "127.0.0.1", port: 0 } });
    north = bot.runtime.roomIds.get("district:north")!;
    doctor = await loginClient(hs.baseUrl, "doctor-n3", p.password("doctor-n3"));
  }, 180_000);
  afterAll(async () => {
    await doctor?.stop();
    await bot?.stop();
    await hs?.destroy();
  });

  it("serves on loopback only when asked, and says the bot is healthy once it syncs", async () => {
    expect(bot.monitoring!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", sync_state: expect.stringMatching(/PREPARED|SYNCING/) });
    expect((await get("/nothing")).status).toBe(404);
    expect((await get("/metrics", { method: "POST" })).status).toBe(405);
  });

  it("counts commands by name and status, consults open by priority, and escalation steps fired", async () => {
    const help = await doctor.send(north, "!help");
    await doctor.waitFor(isAnswerTo(help, botId()), 30_000, "the help");
    const unknown = await doctor.send(north, "!frobnicate");
    await doctor.waitFor(isAnswerTo(unknown, botId()), 30_000, "the unknown-command answer");
    const request = await doctor.send(north, "!consult urgent obstetrics woman 34 weeks, headache, BP 160/110");
    await doctor.waitFor((e) => e.getSender() === botId() && /TL-\d{4}/.test(String(e.getContent().body)) && e.getContent()["m.relates_to"]?.event_id === request, 30_000, "the consult card");

    const res = await get("/metrics");
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("# TYPE mchlink_commands_total counter\n");
    const m = samples(text);
    expect(m.get('mchlink_commands_total{command="help",status="ok"}')).toBe(1);
    expect(m.get('mchlink_commands_total{command="",status="unknown"}')).toBe(1);
    expect(m.get('mchlink_commands_total{command="consult",status="ok"}')).toBe(1);
    expect(m.get('mchlink_commands_total{command="rules",status="ok"}')).toBe(0); // declared, not used yet
    expect(m.get('mchlink_consults_open{priority="urgent"}')).toBe(1);
    expect(m.get('mchlink_consults_open{priority="emergency"}')).toBe(0);
    expect(m.get("mchlink_decryption_failures_total")).toBe(bot.store.counter("decryption_failures"));
    expect(m.get("mchlink_bot_up")).toBe(1);
    expect(m.get("mchlink_sync_lag_seconds")).toBeLessThan(60);
    expect(m.get("mchlink_crypto_store_bytes")).toBeGreaterThan(0);
    // In-process here, so the test's own memory: more than the heap in use, and both plausible.
    expect(m.get("process_resident_memory_bytes")).toBeGreaterThan(m.get("nodejs_heap_size_used_bytes")!);
    expect(m.get("nodejs_heap_size_used_bytes")).toBeGreaterThan(10 * 1024 * 1024);
    // The WebAssembly crypto alone holds several MiB outside the heap.
    expect(m.get("nodejs_external_memory_bytes")).toBeGreaterThan(4 * 1024 * 1024);
    expect([...m.keys()].some((k) => k.startsWith("mchlink_escalation_steps_fired_total"))).toBe(false);
    // No one answers: 20 minutes later the urgent ladder pages the backup and posts to the experts' room.
    clock.advance(21 * MIN);
    const deadline = Date.now() + 30_000;
    let fired: Map<string, number> = new Map();
    while (Date.now() < deadline) {
      fired = await metrics();
      if (fired.get('mchlink_escalation_steps_fired_total{action="post_experts_room"}') === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fired.get('mchlink_escalation_steps_fired_total{action="page_backup"}')).toBe(1);
    expect(fired.get('mchlink_escalation_steps_fired_total{action="post_experts_room"}')).toBe(1);
    // Let the pages go out before the next test stops the bot's sync (a send cut short by stopClient fails loudly).
    while (Date.now() < deadline && (bot.store.db.prepare("SELECT COUNT(*) AS n FROM escalation_steps WHERE status = 'claimed'").get() as { n: number }).n > 0) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await bot.runtime.idle();
    // No message text or identifier in the exposition.
    expect(text).not.toMatch(/frobnicate|headache|@|!/);
  });

  it("reports the bot unhealthy when it has not synced for too long", async () => {
    // A homeserver that stops answering: the lag grows until the bot counts as down.
    await hs.stop();
    clock.advance(2 * MIN);
    const res = await get("/healthz");
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; reason: string; sync_lag_seconds: number };
    expect(body.status).toBe("unhealthy");
    expect(body.reason).toMatch(/no successful sync for \d+ s/);
    expect(body.sync_lag_seconds).toBeGreaterThanOrEqual(120);
    const m = await metrics();
    expect(m.get("mchlink_bot_up")).toBe(0);
    expect(m.get("mchlink_sync_lag_seconds")).toBeGreaterThanOrEqual(120);
  });
});
