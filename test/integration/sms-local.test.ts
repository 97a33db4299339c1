// `npm run up` with SMS: the local Kannel it starts (bearerbox, smsbox and the fake SMS
// centre, from Debian), a page through it landing in the fake centre's outbox, and
// `npm run down` stopping all of it.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { readPids, stopLocalStack, writePids } from "../../src/cli/stack.ts";
import type { Province } from "../../src/config/schema.ts";
import { Deployment } from "../../src/homeserver/deployment.ts";
import { freePort, isAlive } from "../../src/homeserver/process.ts";
import { sendSms } from "../../src/sms/kannel.ts";
import { localKannelPorts, startLocalKannel } from "../../src/sms/local.ts";
import { readSmsSecrets } from "../../src/sms/secrets.ts";
import { smallProvince } from "../unit/consult-support.ts";

describe("the local Kannel of `npm run up`", () => {
  const dep = new Deployment(mkdtempSync(join(tmpdir(), "mchlink-sms-local-")));
  afterAll(async () => {
    await stopLocalStack(dep, () => {});
    rmSync(dep.dir, { recursive: true, force: true });
  });

  it("starts with the fake SMS centre, takes a page, and stops with the stack", async () => {
    let port = await freePort();
    for (let i = 0; i < 5 && !(await allFree(localKannelPorts(port))); i++) port = await freePort();
    const province: Province = { ...smallProvince(), sms: { gateway: `http://127.0.0.1:${port}`, sender: "1515", listen: `127.0.0.1:${await freePort()}` } };
    const lines: string[] = [];
    const kannel = (await startLocalKannel(dep, province, (l) => lines.push(l)))!;
    expect(kannel).toBeDefined();
    writePids(dep, { ...readPids(dep), bearerbox: kannel.bearerbox, smsbox: kannel.smsbox });
    // Secrets and the rendered configuration are private files of the deployment.
    expect(statSync(dep.path("sms.json")).mode & 0o777).toBe(0o600);
    expect(statSync(dep.path("kannel", "kannel.conf")).mode & 0o777).toBe(0o600);
    const secrets = readSmsSecrets(dep);
    if (!secrets.ok) throw new Error(secrets.error);

    // A wrong password is a refusal, not an outage.
    expect(
      await sendSms(kannel.sendsmsUrl, { ...secrets.secrets, password: "wrong" }, { to: "+8562055550101", from: "1515", text: "x", encoding: "gsm7", dlrUrl: "http://127.0.0.1:9/" }),
    ).toMatchObject({ ok: false, failure: "rejected" });
    const sent = await sendSms(kannel.sendsmsUrl, secrets.secrets, { to: "+8562055550101", from: "1515", text: "TL-0001 test page", encoding: "gsm7", dlrUrl: "http://127.0.0.1:9/" });
    expect(sent).toEqual({ ok: true });
    const deadline = Date.now() + 20_000;
    while (!(existsSync(kannel.outbox) && readFileSync(kannel.outbox, "utf8").includes("TL-0001 test page")) && Date.now() < deadline) await sleep(200);
    expect(readFileSync(kannel.outbox, "utf8")).toContain("<1515 +8562055550101 text TL-0001 test page>");

    await stopLocalStack(dep, () => {});
    expect(isAlive(kannel.bearerbox) || isAlive(kannel.smsbox)).toBe(false);
    expect(await sendSms(kannel.sendsmsUrl, secrets.secrets, { to: "+8562055550101", from: "1515", text: "x", encoding: "gsm7", dlrUrl: "http://127.0.0.1:9/" })).toMatchObject({
      ok: false,
      failure: "unreachable",
    });
  }, 60_000);
});

async function allFree(ports: Record<string, number>): Promise<boolean> {
  const { assertPortFree } = await import("../../src/homeserver/process.ts");
  for (const port of Object.values(ports))
    if (
      !(await assertPortFree("127.0.0.1", port).then(
        () => true,
        () => false,
      ))
    )
      return false;
  return true;
}
