// The production database path, exercised rather than assumed: Synapse on
// PostgreSQL with the production profile's own database settings (psycopg2, the
// password read from a pgpass file, a cluster made with docker-compose.yml's
// initdb arguments), provisioned by the real `mchlink apply`, and the bot
// answering an encrypted command before and after Synapse restarts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { main } from "../../src/cli/main.ts";
import { enc, type MatrixError, MatrixHttp } from "../../src/matrix/http.ts";
import { loginWithPassword } from "../../src/matrix/register.ts";
import { Applier } from "../../src/provision/apply.ts";
import { desiredState } from "../../src/provision/desired.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";
import { writeSecretFile } from "../../src/util/files.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { postgresAvailability, productionDatabase, startTestPostgres, type TestPostgres } from "../support/postgres.ts";
import { provision, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

// Installs the compose file's PostgreSQL major into the sid rootfs on a machine without it (about 30 s, once).
const availability = postgresAvailability();

describe.skipIf(!availability.ok)(`Synapse on PostgreSQL${availability.ok ? "" : ` (skipped: ${availability.reason})`}`, () => {
  let pg: TestPostgres;
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  let nurse: TestClient | undefined;

  beforeAll(async () => {
    pg = await startTestPostgres();
    const password = randomBytes(24).toString("base64url");
    pg.createDatabase("synapse", "synapse", password);
    const dataDir = mkdtempSync(join(tmpdir(), "mchlink-synapse-"));
    // What `mchlink render-config` writes for the compose stack; /data/pgpass inside the sandbox.
    writeSecretFile(join(dataDir, "pgpass"), `*:*:synapse:synapse:${password}\n`);
    hs = await startTestSynapse({ dataDir, overrides: { database: productionDatabase(pg.port) } });
    p = await provision(hs);
  });
  afterAll(async () => {
    await nurse?.stop();
    await bot?.stop();
    await hs?.destroy();
    await pg?.stop();
  });

  it("keeps everything in a UTF-8, C-collated PostgreSQL database, logged in with the pgpass password", () => {
    expect(pg.query("SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = 'synapse'")).toBe("UTF8|C|C");
    expect(pg.query("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'synapse'")).toBe("synapse");
    const users = pg.query("SELECT name FROM users", "synapse").split("\n");
    for (const person of p.province.people) expect(users).toContain(p.userId(person.id));
    expect(users).toContain(p.userId("mchlink-admin"));
    expect(existsSync(join(hs.dataDir, "homeserver.db"))).toBe(false);
  });

  it("is provisioned completely by mchlink apply, and a second plan changes nothing", async () => {
    const { http } = await p.deployment.adminSession();
    const desired = desiredState(p.province);
    for (const room of desired.rooms) {
      const { room_id } = await http.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(`#${room.alias}:${hs.serverName}`)}`);
      const { joined } = await http.get<{ joined: Record<string, unknown> }>(`/_matrix/client/v3/rooms/${enc(room_id)}/joined_members`);
      expect(Object.keys(joined).sort()).toEqual([...room.members, desired.adminUserId].sort());
      expect((await http.get<{ algorithm: string }>(`/_matrix/client/v3/rooms/${enc(room_id)}/state/m.room.encryption/`)).algorithm).toBe("m.megolm.v1.aes-sha2");
    }
    const { plan } = await new Applier(http, p.province, new OnboardingSheet(p.deployment.path("onboarding")), () => "").plan(true);
    expect(plan.changes).toEqual([]);
  });

  it("lets a person log in with the sheet's password, and logs out a lost phone", async () => {
    const phone = await loginWithPassword(new MatrixHttp({ baseUrl: hs.baseUrl }), "doctor-n3", p.password("doctor-n3"), "lost phone");
    expect(await main(["--state", p.deployment.dir, "devices", "logout", "doctor-n3", phone.deviceId])).toBe(0);
    const revoked = await hs.http
      .withToken(phone.accessToken)
      .get("/_matrix/client/v3/account/whoami")
      .catch((e: unknown) => e);
    expect((revoked as MatrixError).status).toBe(401);
  });

  it("runs the bot: an encrypted command is answered, and again after Synapse restarts on the same database", async () => {
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }) });
    const room = bot.runtime.roomIds.get("district:north")!;
    nurse = await loginClient(hs.baseUrl, "nurse-n1", p.password("nurse-n1"));
    const botId = p.userId("mchlink-bot");

    const first = await nurse.send(room, "!whoami");
    const answer = await nurse.waitFor(isAnswerTo(first, botId), 30_000, "the answer to !whoami");
    expect(answer.isEncrypted()).toBe(true);
    expect(answer.getContent().body).toContain(p.userId("nurse-n1"));

    await hs.restart();
    const second = await nurse.send(room, "!whoami");
    await nurse.waitFor(isAnswerTo(second, botId), 60_000, "the answer after the restart");
  });
});
