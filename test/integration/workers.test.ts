import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { main } from "../../src/cli/main.ts";
import { enc, type MatrixError, MatrixHttp } from "../../src/matrix/http.ts";
import { loginWithPassword } from "../../src/matrix/register.ts";
import { Applier } from "../../src/provision/apply.ts";
import { desiredState } from "../../src/provision/desired.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { collectAnswers, notAnsweredOnce, seededRandom, sleep, STREAM_COMMANDS, undecryptable, waitForWelcomes, type Provider, type SentCommand } from "../support/faults.ts";
import { newDeployment, provision, provinceWithBackup, type TestProvince } from "../support/province.ts";
import { startWorkerStack, workerStackAvailability, type WorkerStack } from "../support/workers.ts";

// Installs PostgreSQL and Caddy (Debian 12), Redis (the rootfs) on a machine without them.
const availability = workerStackAvailability();
const MIN = 60_000;
const SEED = 20261203;

const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
const caseIdIn = (e: MatrixEvent) => /TL-\d{4}/.exec(body(e))?.[0];

describe.skipIf(!availability.ok)(`Synapse with workers behind the production proxy${availability.ok ? "" : ` (skipped: ${availability.reason})`}`, () => {
  let stack: WorkerStack;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  const clock = new ManualClock(Date.now());
  const clients: TestClient[] = [];
  const botId = () => p.userId("mchlink-bot");
  /** A person's phone: through the proxy's public site, like Element. */
  const phone = async (localpart: string) => {
    const c = await loginClient(stack.publicUrl, localpart, p.password(localpart));
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startWorkerStack();
    const dep = newDeployment(stack.hs);
    p = await provision(stack.hs, provinceWithBackup(dep.dir, "lo"), dep);
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), clock, tickMs: 100, utdGraceMs: 2000 });
  }, 300_000);
  afterAll(async () => {
    for (const c of clients) await c.stop();
    await bot?.stop();
    await stack?.destroy();
  });

  it("provisions the province through the workers: every room with its members and encryption, in PostgreSQL; a second plan changes nothing", async () => {
    const { http } = await p.deployment.adminSession();
    const desired = desiredState(p.province);
    for (const room of desired.rooms) {
      const { room_id } = await http.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(`#${room.alias}:${stack.hs.serverName}`)}`);
      const { joined } = await http.get<{ joined: Record<string, unknown> }>(`/_matrix/client/v3/rooms/${enc(room_id)}/joined_members`);
      expect(Object.keys(joined).sort()).toEqual([...room.members, desired.adminUserId].sort());
      expect((await http.get<{ algorithm: string }>(`/_matrix/client/v3/rooms/${enc(room_id)}/state/m.room.encryption/`)).algorithm).toBe("m.megolm.v1.aes-sha2");
    }
    const users = stack.pg.query("SELECT name FROM users", "synapse").split("\n");
    for (const person of p.province.people) expect(users).toContain(p.userId(person.id));
    // Events were written by the event persister, not the main process.
    expect(stack.pg.query("SELECT DISTINCT instance_name FROM events WHERE instance_name IS NOT NULL", "synapse")).toBe("events1");
    const { plan } = await new Applier(http, p.province, new OnboardingSheet(p.deployment.path("onboarding")), () => "").plan(true);
    expect(plan.changes).toEqual([]);
    expect(await main(["--state", p.deployment.dir, "apply", p.configPath])).toBe(0);
  });

  it("lets a person log in through the public site, sync with Element X's sliding sync on the sync worker, and logs out a lost phone", async () => {
    const lost = await loginWithPassword(new MatrixHttp({ baseUrl: stack.publicUrl }), "doctor-n3", p.password("doctor-n3"), "lost phone");
    const phoneHttp = new MatrixHttp({ baseUrl: stack.publicUrl }).withToken(lost.accessToken);
    const sliding = { lists: { all: { ranges: [[0, 20]], timeline_limit: 1, required_state: [["m.room.encryption", ""]] } } };
    const path = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
    const res = await phoneHttp.post<{ pos: string; lists: { all: { count: number } } }>(path, sliding);
    const rooms = desiredState(p.province).rooms.filter((r) => r.members.includes(p.userId("doctor-n3")));
    expect(res.lists.all.count).toBe(rooms.length);
    // It is the sync worker that answers: without it, the proxy has nobody to send sync to.
    await stack.kill("sync1");
    const once = new MatrixHttp({ baseUrl: stack.publicUrl, retries: 0 }).withToken(lost.accessToken);
    expect(((await once.post(path, sliding).catch((e: unknown) => e)) as MatrixError).status).toBe(502);
    await stack.start("sync1");
    expect((await phoneHttp.post<{ lists: { all: { count: number } } }>(path, sliding)).lists.all.count).toBe(rooms.length);

    expect(await main(["--state", p.deployment.dir, "devices", "logout", "doctor-n3", lost.deviceId])).toBe(0);
    const revoked = await phoneHttp.get("/_matrix/client/v3/account/whoami").catch((e: unknown) => e);
    expect((revoked as MatrixError).status).toBe(401);
  });

  it("answers an encrypted command: the bot's round trip through the proxy and the workers", async () => {
    const nurse = await phone("nurse-n1");
    const north = bot!.runtime.roomIds.get("district:north")!;
    const command = await nurse.send(north, "!whoami");
    const answer = await nurse.waitFor(isAnswerTo(command, botId()), 30_000, "the answer to !whoami");
    expect(answer.isEncrypted()).toBe(true);
    expect(body(answer)).toContain(p.userId("nurse-n1"));
  });

  it("climbs a consult's whole ladder when nobody answers, each step once", async () => {
    const nurse = clients.find((c) => c.userId === p.userId("nurse-n1")) ?? (await phone("nurse-n1"));
    const [ob, ob2, coord] = await Promise.all([phone("obstetrician"), phone("obstetrician-2"), phone("coordinator")]);
    const north = bot!.runtime.roomIds.get("district:north")!;
    const experts = bot!.runtime.roomIds.get("experts")!;
    const pageFor = (client: TestClient, caseId: string, target: string) =>
      client.waitFor(
        (e) => e.getSender() === botId() && e.getContent().msgtype === "m.text" && body(e).includes(caseId) && (e.getContent()["m.mentions"]?.user_ids ?? []).includes(target),
        30_000,
        `a page for ${caseId} naming ${target}`,
      );
    const request = await nurse.send(north, "#emergency heavy bleeding after delivery, placenta out");
    const card = await nurse.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === request && caseIdIn(e) !== undefined, 30_000, "the consult card");
    const caseId = caseIdIn(card)!;
    clock.advance(5 * MIN + 1000);
    await pageFor(ob2, caseId, p.userId("obstetrician-2"));
    clock.advance(10 * MIN);
    await ob.waitFor((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(caseId), 30_000, "@room in the experts' room");
    await pageFor(coord, caseId, p.userId("coordinator"));
    await nurse.waitFor((e) => e.getSender() === botId() && body(e).includes(p.province.rules.hospital_phone) && body(e).includes(caseId), 30_000, "advice to phone and refer");
    await sleep(1500);
    expect(ob.events.filter((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(caseId))).toHaveLength(1);
    const steps = bot!.store.db.prepare("SELECT COUNT(*) AS n FROM escalation_steps WHERE case_id = ?").get(caseId) as { n: number };
    expect(steps.n).toBe(p.province.escalation.emergency.length);
  });

  it("answers every command exactly once when the event persister is killed (SIGKILL) and restarted while commands flow", async () => {
    const providers: Provider[] = [];
    for (const [localpart, key] of [
      ["nurse-n2", "district:north"],
      ["nurse-s1", "district:south"],
    ] as const) {
      providers.push({ client: await phone(localpart), roomId: bot!.runtime.roomIds.get(key)! });
    }
    await waitForWelcomes(providers, botId());
    const random = seededRandom(SEED);
    const start = Date.now();
    const sent: SentCommand[] = [];
    /** A phone retries a send the server did not take (502 while the persister is down), as Element's "retry" does. */
    const sendUntilTaken = async (provider: Provider, text: string): Promise<string> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await provider.client.send(provider.roomId, text);
        } catch (err) {
          if (attempt >= 60) throw err;
          await sleep(1000);
        }
      }
    };
    // Each phone sends on its own, before, during and after the outage, until it has sent four after the restart.
    let restarted = false;
    const stream = Promise.all(
      providers.map(async (provider) => {
        for (let after = 0; after < 4; ) {
          const command = random.pick(STREAM_COMMANDS);
          sent.push({ eventId: await sendUntilTaken(provider, command.body), body: command.body, provider });
          if (restarted) after++;
          await sleep(random.int(200, 600));
        }
      }),
    );
    await sleep(3000);
    const before = sent.length;
    await stack.kill("events1");
    await sleep(2000);
    await stack.start("events1");
    restarted = true;
    await stream;
    expect(before).toBeGreaterThan(1);
    expect(sent.length).toBeGreaterThanOrEqual(before + 8);
    const rooms = await collectAnswers(sent, providers, botId(), start, 120_000);
    expect(notAnsweredOnce(sent, rooms, botId()), `seed ${SEED}, ${sent.length} commands`).toEqual([]);
    expect(undecryptable(rooms)).toEqual([]);
  });
});
