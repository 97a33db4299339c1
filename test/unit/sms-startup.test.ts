// SMS paging that cannot start (review finding S1): the bot runs on, and the experts'
// room is told, once per start, with the reason's kind only; /metrics says whether SMS
// paging is on. Real files, a real port held by another listener; no Kannel needed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { Deployment } from "../../src/homeserver/deployment.ts";
import type { Outgoing } from "../../src/messaging/types.ts";
import { BotMetrics } from "../../src/monitoring/bot-metrics.ts";
import { freePort } from "../../src/homeserver/process.ts";
import { ensureSmsSecrets } from "../../src/sms/secrets.ts";
import { startSmsPaging, type SmsStart } from "../../src/sms/startup.ts";
import { BotStore } from "../../src/store/bot-store.ts";
import { bodyOf, world } from "./consult-support.ts";
import { smsProvinceFor } from "./sms-support.ts";

const EXPERTS = "!experts:mchlink.test";

describe("SMS paging that cannot start", () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function attempt(opts: { secrets: "none" | "good" | "broken"; portTaken?: boolean; smsSteps?: boolean }) {
    const dir = mkdtempSync(join(tmpdir(), "mchlink-sms-start-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dep = new Deployment(dir);
    if (opts.secrets === "good") ensureSmsSecrets(dep);
    if (opts.secrets === "broken") writeFileSync(dep.path("sms.json"), "{ not json", { mode: 0o600 });
    const port = await freePort();
    if (opts.portTaken) {
      const holder: Server = createServer();
      await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", () => resolve()));
      cleanup.push(() => new Promise((resolve) => holder.close(resolve)));
    }
    const province = smsProvinceFor({ gateway: `http://127.0.0.1:${await freePort()}`, listen: `127.0.0.1:${port}` });
    for (const p of province.people) if (p.role === "expert" || p.role === "coordinator") p.language = "en";
    if (opts.smsSteps === false) for (const steps of Object.values(province.escalation)) for (const step of steps ?? []) delete step.sms;
    const w = world(province);
    const sent: { origin: string; roomId: string | undefined; out: Outgoing[] }[] = [];
    const result: SmsStart = await startSmsPaging({
      ctx: { ...w, send: async (origin, roomId, out) => void sent.push({ origin, roomId, out }) },
      deployment: dep,
      logger: pino({ level: "silent" }),
      tickMs: 60_000,
    });
    if (result.state === "on") cleanup.push(() => result.service.stop());
    return { result, sent };
  }

  it("tells the experts' room when the secrets file is missing, with the reason's kind and no path", async () => {
    const { result, sent } = await attempt({ secrets: "none" });
    expect(result).toEqual({ state: "off", reason: "secrets" });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.origin).toMatch(/^sms-off:\d+$/u);
    expect(sent[0]!.out.map((o) => o.roomId)).toEqual([EXPERTS]);
    const body = bodyOf(sent[0]!.out[0]);
    expect(body).toContain("SMS paging is off");
    expect(body).toContain("secrets are missing or cannot be read");
    expect(body).not.toContain("sms.json");
  });

  it("tells it when the secrets file cannot be read as JSON", async () => {
    const { result, sent } = await attempt({ secrets: "broken" });
    expect(result).toEqual({ state: "off", reason: "secrets" });
    expect(sent).toHaveLength(1);
    expect(bodyOf(sent[0]!.out[0])).not.toContain("not json");
  });

  it("tells it when the port for Kannel's replies is taken", async () => {
    const { result, sent } = await attempt({ secrets: "good", portTaken: true });
    expect(result).toEqual({ state: "off", reason: "listen" });
    expect(sent).toHaveLength(1);
    expect(bodyOf(sent[0]!.out[0])).toContain("cannot open its port");
  });

  it("says it in the experts' room's language (Lao) when that is the room's language", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mchlink-sms-start-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const province = smsProvinceFor({ gateway: "http://127.0.0.1:1", listen: "127.0.0.1:1" });
    for (const p of province.people) if (p.role === "expert") p.language = "lo";
    const w = world(province);
    const sent: Outgoing[][] = [];
    await startSmsPaging({ ctx: { ...w, send: async (_o, _r, out) => void sent.push(out) }, deployment: new Deployment(dir), logger: pino({ level: "silent" }) });
    expect(bodyOf(sent[0]![0])).toContain("ການແຈ້ງທາງ SMS ປິດຢູ່");
  });

  it("posts nothing when no ladder step pages by SMS, and nothing when paging starts", async () => {
    expect((await attempt({ secrets: "none", smsSteps: false })).sent).toEqual([]);
    const on = await attempt({ secrets: "good" });
    expect(on.result.state).toBe("on");
    expect(on.sent).toEqual([]);
  });

  it("shows in /metrics whether SMS paging is on, and not at all without a gateway", () => {
    const metrics = new BotMetrics({ store: new BotStore(":memory:") });
    expect(metrics.exposition()).not.toContain("mchlink_sms_paging_up");
    metrics.smsPaging(false);
    expect(metrics.exposition()).toMatch(/^mchlink_sms_paging_up 0$/mu);
    metrics.smsPaging(true);
    expect(metrics.exposition()).toMatch(/^mchlink_sms_paging_up 1$/mu);
  });
});
