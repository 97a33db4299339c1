// Backup and restore of a PostgreSQL deployment, end to end, on a real
// PostgreSQL of the compose file's major: Synapse on it with the production
// database settings, the small province provisioned by `mchlink apply`, the
// bot, a consult, and a doctor's encrypted note whose room key is in the
// doctor's server-side key backup (what Element's "secure backup" does; the
// doctor keeps the backup's recovery key, as people are told to). Backed up
// while everything runs; then the database is dropped and the state folder
// deleted; the restore refuses what it must (a live database, a damaged
// archive, another engine, a database it cannot write) without changing
// anything, then fills the empty database. The doctor logs in on a new phone
// and reads the note with the recovery key, the bot answers from a new device,
// and the consult report is the same as before.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../../src/backup/manifest.ts";
import { restoreBackup } from "../../src/backup/restore.ts";
import { createTar, extractTar, listTar } from "../../src/backup/tar.ts";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { main } from "../../src/cli/main.ts";
import { reportCommand } from "../../src/consult/report-command.ts";
import { consultStoreOf } from "../../src/consult/store.ts";
import { Deployment } from "../../src/homeserver/deployment.ts";
import { openDatabase } from "../../src/store/db.ts";
import { writeSecretFile } from "../../src/util/files.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { postgresAvailability, productionDatabase, startTestPostgres, type TestPostgres } from "../support/postgres.ts";
import { provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

const availability = postgresAvailability();

const NOTE = "Doctor's note before the backup: repeat the blood pressure in 15 minutes";

describe.skipIf(!availability.ok)(`backup and restore on PostgreSQL${availability.ok ? "" : ` (skipped: ${availability.reason})`}`, () => {
  const work = mkdtempSync(join(tmpdir(), "mchlink-pg-backup-test-"));
  const stateDir = join(work, "state");
  const archive = join(work, "backups", "stack.tar.gz");
  const dep = new Deployment(stateDir);
  const logLines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
  let pg: TestPostgres;
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  const clients: TestClient[] = [];
  const before = { device: "", masterKey: "", noteEvent: "", caseId: "", report: "", backupVersion: "", backupKey: new Uint8Array() as Uint8Array };
  // The report is computed for one fixed moment, so that before and after can be compared byte for byte.
  const reportAt = Date.now() + 60 * 60_000;
  const botId = () => p.userId("mchlink-bot");
  const login = async (user: string) => {
    const c = await loginClient(hs.baseUrl, user, p.password(user));
    clients.push(c);
    return c;
  };
  const stopClients = async () => {
    for (const c of clients.splice(0)) await c.stop();
  };
  const report = () => {
    const db = openDatabase(join(stateDir, "bot", "bot.sqlite"));
    try {
      const res = reportCommand(consultStoreOf(db).openedBetween(0, Number.MAX_SAFE_INTEGER), p.province, { format: "json", lang: "en", now: reportAt });
      if (!res.ok) throw new Error(res.error);
      return res.output;
    } finally {
      db.close();
    }
  };
  const userTables = () => Number(pg.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "synapse"));

  beforeAll(async () => {
    pg = await startTestPostgres();
    const password = randomBytes(24).toString("base64url");
    pg.createDatabase("synapse", "synapse", password);
    // Like the compose stack's data folder: production database settings, the password in a pgpass file.
    const dataDir = join(stateDir, "synapse");
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeSecretFile(join(dataDir, "pgpass"), `*:*:synapse:synapse:${password}\n`);
    hs = await startTestSynapse({ dataDir, overrides: { database: productionDatabase(pg.port) } });
    dep.saveHomeserver({ baseUrl: hs.baseUrl, serverName: hs.serverName, dataDir });
    p = await provision(hs, SMALL_PROVINCE, dep);
    bot = await startBot({ province: p.province, deployment: dep, logger });
  }, 240_000);
  afterAll(async () => {
    await stopClients();
    await bot?.stop();
    await hs?.destroy();
    await pg?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("backs up the running stack with a dump of Synapse's PostgreSQL database, engine and version in the manifest", async () => {
    const nurse = await login("nurse-n1");
    const doctor = await login("doctor-n3");
    const north = bot!.runtime.roomIds.get("district:north")!;

    // The doctor's phone keeps its room keys in a server-side key backup; the doctor keeps its recovery key.
    const crypto = doctor.client.getCrypto()!;
    await crypto.resetKeyBackup();
    before.backupVersion = (await crypto.getActiveSessionBackupVersion())!;
    before.backupKey = (await crypto.getSessionBackupPrivateKey())!;
    expect(before.backupVersion).toBeTruthy();

    const request = await nurse.send(north, "!consult urgent obstetrics woman 34 weeks, headache, BP 160/110");
    const card = await nurse.waitFor(
      (e) => e.getSender() === botId() && /TL-\d{4}/.test(String(e.getContent().body)) && e.getContent()["m.relates_to"]?.event_id === request,
      30_000,
      "the consult card",
    );
    before.caseId = /TL-\d{4}/.exec(String(card.getContent().body))![0];
    before.noteEvent = await doctor.send(north, NOTE);
    const seen = await nurse.waitFor((e) => e.getId() === before.noteEvent, 30_000, "the doctor's note");
    expect(seen.isEncrypted()).toBe(true);

    // The note's room key reaches the key backup (the SDK uploads in the background).
    const http = hs.http.withToken(doctor.client.getAccessToken()!);
    const until = Date.now() + 45_000;
    for (;;) {
      const keys = await http.get<{ rooms: Record<string, { sessions: Record<string, unknown> }> }>(`/_matrix/client/v3/room_keys/keys?version=${before.backupVersion}`);
      if (Object.keys(keys.rooms[north]?.sessions ?? {}).length > 0) break;
      if (Date.now() > until) throw new Error("the doctor's room key never reached the key backup");
      await new Promise((r) => setTimeout(r, 500));
    }
    before.device = bot!.identity.deviceId;
    before.masterKey = (await bot!.identity.crypto.getCrossSigningKeyId())!;
    await bot!.runtime.idle();
    before.report = report();
    expect(JSON.parse(before.report).all.consults).toBeGreaterThanOrEqual(1);

    mkdirSync(join(work, "backups"));
    expect(await main(["--state", stateDir, "backup", archive])).toBe(0);
    // The stack kept running.
    const again = await nurse.send(north, "!help");
    await nurse.waitFor(isAnswerTo(again, botId()), 30_000, "an answer after the backup");

    const listing = await listTar(archive);
    expect(listing.ok).toBe(true);
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    await extractTar(archive, unpacked);
    const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.synapse?.database).toMatchObject({ engine: "postgresql", included: true, pg_dump_major: pg.major, dump: "state/synapse/synapse.pgdump", schema_version: expect.any(Number) });
    const db = manifest.synapse!.database as { server_version: string };
    expect(db.server_version.startsWith(`${pg.major}.`)).toBe(true);
    const paths = manifest.files.map((f) => f.path);
    for (const must of ["state/synapse/synapse.pgdump", "state/synapse/signing.key", "state/synapse/pgpass", "state/bot/bot.sqlite", "state/bot/recovery-key.txt", "state/admin.json"])
      expect(paths).toContain(must);
    expect(paths).not.toContain("state/synapse/homeserver.db");
    expect(
      readFileSync(join(unpacked, "state", "synapse", "synapse.pgdump"))
        .subarray(0, 5)
        .toString(),
    ).toBe("PGDMP");
    rmSync(unpacked, { recursive: true });
  });

  it("refuses a live database, a damaged archive and another engine's deployment, changing nothing", async () => {
    await stopClients();
    await bot!.stop();
    bot = undefined;
    await hs.stop();
    const tables = userTables();
    expect(tables).toBeGreaterThan(50);

    // A dry run checks the archive and says what a restore now would meet, changing nothing.
    const dry = await restoreBackup(dep, { archive, dryRun: true });
    expect(dry.databaseProblem).toMatch(/database synapse at 127\.0\.0\.1:\d+ is not empty/);

    // The database still has Synapse in it: never mixed with a backup.
    await expect(restoreBackup(dep, { archive })).rejects.toThrow(/database synapse at 127\.0\.0\.1:\d+ is not empty .*Nothing was changed/s);
    expect(existsSync(join(stateDir, "bot", "crypto"))).toBe(true);
    expect(userTables()).toBe(tables);

    // Truncated: refused before the database is looked at.
    const bytes = readFileSync(archive);
    const truncated = join(work, "truncated.tar.gz");
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const elsewhere = new Deployment(join(work, "elsewhere"));
    await expect(restoreBackup(elsewhere, { archive: truncated })).rejects.toThrow(/damaged or incomplete.*Nothing was changed/s);
    expect(existsSync(elsewhere.dir)).toBe(false);

    // A dump made by a newer PostgreSQL than the server's: refused before the database is touched.
    const repacked = join(work, "repacked");
    mkdirSync(repacked);
    await extractTar(archive, repacked);
    const manifest = JSON.parse(readFileSync(join(repacked, "manifest.json"), "utf8")) as Manifest;
    writeFileSync(join(repacked, "manifest.json"), JSON.stringify({ ...manifest, synapse: { ...manifest.synapse, database: { ...manifest.synapse!.database, pg_dump_major: 99 } } }));
    const newer = join(work, "newer.tar.gz");
    await createTar(newer, repacked, ["manifest.json", "state"]);
    await expect(restoreBackup(elsewhere, { archive: newer })).rejects.toThrow(/dumped by PostgreSQL 99, newer than the database synapse .*Nothing was changed/s);
    expect(existsSync(elsewhere.dir)).toBe(false);
    expect(userTables()).toBe(tables);

    // A deployment whose Synapse runs on SQLite is not handed a PostgreSQL backup.
    const sqliteData = join(work, "sqlite-synapse");
    mkdirSync(sqliteData);
    writeFileSync(join(sqliteData, "homeserver.yaml"), "database:\n  name: sqlite3\n  args:\n    database: /data/homeserver.db\n");
    elsewhere.saveHomeserver({ baseUrl: "http://127.0.0.1:9", serverName: "mchlink.test", dataDir: sqliteData });
    await expect(restoreBackup(elsewhere, { archive })).rejects.toThrow(/holds a Synapse on PostgreSQL, but this deployment's Synapse uses SQLite.*Nothing was changed/s);
    expect(readdirSync(elsewhere.dir)).toEqual(["homeserver.json"]);
    expect(readdirSync(work).filter((n) => n.includes(".restore-"))).toEqual([]);
  });

  it("after the database and the state folder are destroyed, restores both: the doctor reads the old note on a new phone, the bot answers, the report is unchanged", async () => {
    rmSync(stateDir, { recursive: true, force: true });
    pg.query("DROP DATABASE synapse WITH (FORCE)");
    // First an empty database the synapse role cannot create tables in: pg_restore fails half-way and is rolled back.
    pg.query("CREATE DATABASE synapse OWNER postgres TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    await expect(restoreBackup(dep, { archive })).rejects.toThrow(/pg_restore into synapse .*failed and was rolled back.*Nothing was changed/s);
    expect(userTables()).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
    pg.query("ALTER DATABASE synapse OWNER TO synapse");

    expect(await main(["--state", stateDir, "restore", archive])).toBe(0);
    expect(userTables()).toBeGreaterThan(50);
    expect(existsSync(join(stateDir, "synapse", "synapse.pgdump"))).toBe(false);
    expect(report()).toBe(before.report);

    hs = await startTestSynapse({ dataDir: join(stateDir, "synapse"), port: hs.port, overrides: { database: productionDatabase(pg.port) } });

    // The doctor, on a new phone, restores the room keys from the key backup with the recovery key and reads the note.
    const phone = await login("doctor-n3");
    const crypto = phone.client.getCrypto()!;
    await crypto.storeSessionBackupPrivateKey(before.backupKey, before.backupVersion);
    expect(await crypto.checkKeyBackupAndEnable()).not.toBeNull();
    const restored = await crypto.restoreKeyBackup();
    expect(restored.imported).toBeGreaterThanOrEqual(1);
    const note = await phone.waitFor((e) => e.getId() === before.noteEvent, 60_000, "the note from before the backup");
    expect(note.isEncrypted()).toBe(true);
    expect(note.getContent().body).toBe(NOTE);

    // The bot: a new device, the same cross-signing identity, and it answers.
    logLines.length = 0;
    bot = await startBot({ province: p.province, deployment: dep, logger });
    expect(bot.identity.deviceId).not.toBe(before.device);
    expect(await bot.identity.crypto.getCrossSigningKeyId()).toBe(before.masterKey);
    const nurse = await login("nurse-n1");
    const room = bot.runtime.roomIds.get("district:north")!;
    const id = await nurse.send(room, "!help");
    const answer = await nurse.waitFor(isAnswerTo(id, botId()), 30_000, "the restored bot's answer");
    expect(answer.isEncrypted()).toBe(true);
    const consult = bot.store.db.prepare("SELECT status, priority FROM consults WHERE case_id = ?").get(before.caseId);
    expect(consult).toEqual({ status: "open", priority: "urgent" });
  }, 180_000);
});
