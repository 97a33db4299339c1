// SMS paging that cannot start, with a real Synapse and a real E2EE client (review S1): the
// province pages by SMS on a ladder step but sms.json is missing. The bot runs on, tells the
// experts' room once, and /metrics says SMS paging is off. No Kannel is needed: nothing is sent.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { freePort } from "../../src/homeserver/process.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { newDeployment, provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";
import { stopInStages } from "../support/teardown.ts";

const body = (e: MatrixEvent) => String(e.getContent().body ?? "");

describe("SMS paging that cannot start", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  let coord: TestClient | undefined;

  beforeAll(async () => {
    hs = await startTestSynapse();
    const dep = newDeployment(hs);
    const doc = parse(readFileSync(SMALL_PROVINCE, "utf8")) as Record<string, any>;
    for (const [id, phone] of [
      ["obstetrician", "+856 20 5555 0101"],
      ["paediatrician", "+856 20 5555 0103"],
    ])
      doc.people.find((x: { id: string }) => x.id === id).phone = phone;
    doc.sms = { gateway: `http://127.0.0.1:${await freePort()}`, listen: `127.0.0.1:${await freePort()}` };
    doc.escalation = { emergency: [{ after: "5m", action: "page_backup", sms: ["on_call"] }], urgent: [], routine: [] };
    const path = join(dep.dir, "sms-off-province.yaml");
    writeFileSync(path, stringify(doc));
    p = await provision(hs, path, dep); // no sms.json is written: SMS paging cannot start
    coord = await loginClient(hs.baseUrl, "coordinator", p.password("coordinator"));
  }, 240_000);
  afterAll(async () => {
    await stopInStages([() => coord?.stop()], [() => bot?.stop()], [() => hs?.destroy()]);
  });

  it("runs on, tells the experts' room once (no path, no secret), and /metrics shows SMS paging off", async () => {
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "silent" }), tickMs: 200, utdGraceMs: 2000, monitoring: { host: "127.0.0.1", port: 0 } });
    expect(bot.sms).toBeUndefined();
    const experts = bot.runtime.roomIds.get("experts")!;
    const botId = p.userId("mchlink-bot");
    const isNotice = (e: MatrixEvent) => e.getRoomId() === experts && e.getSender() === botId && /SMS paging is off since the bot started|ການແຈ້ງທາງ SMS ປິດຢູ່/u.test(body(e));
    const notice = await coord!.waitFor(isNotice, 30_000, "the SMS-off notice");
    expect(body(notice)).toMatch(/the SMS gateway's secrets are missing or cannot be read|ບໍ່ມີ ຫຼື ອ່ານລະຫັດຂອງເຄື່ອງສົ່ງ SMS ບໍ່ໄດ້/u);
    expect(body(notice)).not.toContain("sms.json");
    expect(body(notice)).not.toContain(p.deployment.dir);
    // Once: after a command's answer (the bot has run well past its start), still one notice.
    const help = await coord!.send(experts, "!help");
    await coord!.waitFor(isAnswerTo(help, botId), 30_000, "the answer to !help");
    expect(coord!.events.filter(isNotice)).toHaveLength(1);
    const metrics = await (await fetch(`${bot.monitoring!.url}/metrics`)).text();
    expect(metrics).toMatch(/^mchlink_sms_paging_up 0$/mu);
  });
});
