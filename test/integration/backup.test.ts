// Backup and restore end to end: a running stack (Synapse with its data in the
// state folder, the small province, the bot with handled commands and a consult)
// is backed up, destroyed and restored; then people log in with their passwords,
// the rooms, the media and the consult are there, and the bot answers a fresh
// client from a new device with the same cross-signing identity.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restoreBackup } from "../../src/backup/restore.ts";
import type { Manifest } from "../../src/backup/manifest.ts";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { main } from "../../src/cli/main.ts";
import { Deployment } from "../../src/homeserver/deployment.ts";
import { enc } from "../../src/matrix/http.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

describe("backup and restore", () => {
  const work = mkdtempSync(join(tmpdir(), "mchlink-backup-test-"));
  const stateDir = join(work, "state");
  const archive = join(work, "backups", "stack.tar.gz");
  const dep = new Deployment(stateDir);
  const logLines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  let nurse: TestClient | undefined;
  let doctor: TestClient | undefined;
  const before = { device: "", masterKey: "", helpEvent: "", caseId: "", mediaId: "", signingKey: "" };
  const botId = () => p.userId("mchlink-bot");
  const start = async () => {
    bot = await startBot({ province: p.province, deployment: dep, logger });
    return bot;
  };

  beforeAll(async () => {
    // Like `npm run up`: Synapse's data folder inside the state folder.
    hs = await startTestSynapse({ dataDir: join(stateDir, "synapse") });
    dep.saveHomeserver({ baseUrl: hs.baseUrl, serverName: hs.serverName, dataDir: hs.dataDir });
    p = await provision(hs, SMALL_PROVINCE, dep);
    await start();
    nurse = await loginClient(hs.baseUrl, "nurse-n1", p.password("nurse-n1"));
    doctor = await loginClient(hs.baseUrl, "doctor-n3", p.password("doctor-n3"));
  }, 180_000);
  afterAll(async () => {
    for (const c of [nurse, doctor]) await c?.stop();
    await bot?.stop();
    await hs?.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  it("backs up the running stack into one 0600 archive with a manifest, without the crypto store", async () => {
    const north = bot!.runtime.roomIds.get("district:north")!;
    before.helpEvent = await nurse!.send(north, "!help");
    await nurse!.waitFor(isAnswerTo(before.helpEvent, botId()), 30_000, "the help");
    const request = await doctor!.send(north, "!consult urgent obstetrics woman 34 weeks, headache, BP 160/110");
    const card = await doctor!.waitFor(
      (e) => e.getSender() === botId() && /TL-\d{4}/.test(String(e.getContent().body)) && e.getContent()["m.relates_to"]?.event_id === request,
      30_000,
      "the consult card",
    );
    before.caseId = /TL-\d{4}/.exec(String(card.getContent().body))![0];
    const upload = await nurse!.client.uploadContent(Buffer.from("a scanned referral form"), { type: "text/plain", name: "form.txt" });
    before.mediaId = upload.content_uri.split("/").pop()!;
    before.device = bot!.identity.deviceId;
    before.masterKey = (await bot!.identity.crypto.getCrossSigningKeyId())!;
    before.signingKey = readFileSync(join(stateDir, "synapse", "signing.key"), "utf8");
    await bot!.runtime.idle();

    mkdirSync(join(work, "backups"));
    expect(await main(["--state", stateDir, "backup", archive])).toBe(0);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    // The stack kept running: the bot still answers.
    const again = await nurse!.send(north, "!help");
    await nurse!.waitFor(isAnswerTo(again, botId()), 30_000, "an answer after the backup");

    const manifest = JSON.parse(spawnSync("tar", ["-xzOf", archive, "manifest.json"], { encoding: "utf8" }).stdout) as Manifest;
    expect(manifest).toMatchObject({ format: "mchlink-backup/1", server_name: "mchlink.test", synapse: { database: { engine: "sqlite" } }, bot: { schema_version: expect.any(Number) } });
    expect(manifest.synapse?.version).toMatch(/^1\./);
    const paths = manifest.files.map((f) => f.path);
    for (const must of [
      "state/synapse/homeserver.db",
      "state/synapse/signing.key",
      "state/synapse/secrets.json",
      "state/bot/bot.sqlite",
      "state/bot/recovery-key.txt",
      "state/admin.json",
      "state/bot.json",
      "state/onboarding/credentials.csv",
    ]) {
      expect(paths).toContain(must);
    }
    expect(paths.some((f) => f.startsWith("state/synapse/media_store/") && f.endsWith(before.mediaId.slice(4)))).toBe(true);
    expect(paths.filter((f) => /crypto|pids\.json|status\.json|\.log$|-wal$|-shm$|homeserver\.pid/.test(f))).toEqual([]);
    expect(manifest.files.find((f) => f.path === "state/admin.json")!.mode).toBe(0o600);
    // A second backup to the same name is refused rather than overwriting the first.
    expect(await main(["--state", stateDir, "backup", archive])).toBe(1);
  });

  it("refuses to restore over the running stack, and refuses a damaged archive, changing nothing", async () => {
    await expect(restoreBackup(dep, { archive })).rejects.toThrow(/is running \(a homeserver answering at http:\/\/127\.0\.0\.1:\d+\).*Nothing was changed/);
    expect(existsSync(join(stateDir, "bot", "crypto"))).toBe(true);

    const elsewhere = new Deployment(join(work, "elsewhere"));
    const bytes = readFileSync(archive);
    const truncated = join(work, "truncated.tar.gz");
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(restoreBackup(elsewhere, { archive: truncated })).rejects.toThrow(/damaged or incomplete.*Nothing was changed/);

    // An archive whose file no longer matches its manifest (re-packed after an edit).
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    spawnSync("tar", ["-xzf", archive, "-C", unpacked]);
    writeFileSync(join(unpacked, "state", "bot.json"), "{}\n");
    const edited = join(work, "edited.tar.gz");
    spawnSync("tar", ["-czf", edited, "-C", unpacked, "manifest.json", "state"]);
    await expect(restoreBackup(elsewhere, { archive: edited })).rejects.toThrow(/state\/bot\.json has 3 bytes/);
    expect(existsSync(elsewhere.dir)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes(".restore-"))).toEqual([]);

    // --dry-run checks an intact archive and touches nothing.
    expect(await main(["--state", elsewhere.dir, "restore", "--dry-run", archive])).toBe(0);
    expect(existsSync(elsewhere.dir)).toBe(false);

    // A stopped deployment's folder is not overwritten: it is moved aside, whole.
    mkdirSync(elsewhere.dir);
    writeFileSync(join(elsewhere.dir, "note.txt"), "the folder that was here\n");
    const res = await restoreBackup(elsewhere, { archive });
    expect(readFileSync(join(res.replaced!, "note.txt"), "utf8")).toBe("the folder that was here\n");
    expect(existsSync(join(elsewhere.dir, "note.txt"))).toBe(false);
    expect(existsSync(join(elsewhere.dir, "synapse", "homeserver.db"))).toBe(true);
    expect(elsewhere.homeserver()!.dataDir).toBe(join(elsewhere.dir, "synapse"));
  });

  it("after the stack is destroyed, restores it: logins, rooms, media and the consult are back, and the bot answers from a new device", async () => {
    for (const c of [nurse, doctor]) await c?.stop();
    nurse = doctor = undefined;
    await bot!.stop();
    bot = undefined;
    await hs.stop();
    rmSync(stateDir, { recursive: true, force: true });

    expect(await main(["--state", stateDir, "restore", archive])).toBe(0);
    expect(existsSync(join(stateDir, "bot", "crypto"))).toBe(false);
    expect(dep.homeserver()!.dataDir).toBe(join(stateDir, "synapse"));
    expect(readFileSync(join(stateDir, "synapse", "signing.key"), "utf8")).toBe(before.signingKey);
    expect(statSync(join(stateDir, "admin.json")).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);

    hs = await startTestSynapse({ dataDir: join(stateDir, "synapse"), port: hs.port });
    // People log in with the passwords on their sheet, and are still in their rooms.
    nurse = await loginClient(hs.baseUrl, "nurse-n1", p.password("nurse-n1"));
    const http = hs.http.withToken(nurse.client.getAccessToken()!);
    const { joined_rooms } = await http.get<{ joined_rooms: string[] }>("/_matrix/client/v3/joined_rooms");
    expect(joined_rooms.length).toBeGreaterThanOrEqual(3);
    const media = await fetch(`${hs.baseUrl}/_matrix/client/v1/media/download/mchlink.test/${before.mediaId}`, { headers: { authorization: `Bearer ${nurse.client.getAccessToken()}` } });
    expect(media.status).toBe(200);
    expect(await media.text()).toBe("a scanned referral form");

    logLines.length = 0;
    await start();
    expect(bot!.identity.deviceId).not.toBe(before.device);
    expect(bot!.identity.crossSigned).toBe(true);
    expect(await bot!.identity.crypto.getCrossSigningKeyId()).toBe(before.masterKey);
    expect(logLines.some((l) => l.includes("logged in as a new device and deleting the old one"))).toBe(true);
    const { http: admin } = await dep.adminSession();
    const { devices } = await admin.get<{ devices: Array<{ device_id: string }> }>(`/_synapse/admin/v2/users/${enc(botId())}/devices`);
    expect(devices.map((d) => d.device_id)).toEqual([bot!.identity.deviceId]);

    // A fresh client's encrypted message is answered.
    const room = bot!.runtime.roomIds.get("district:north")!;
    expect(joined_rooms).toContain(room);
    const id = await nurse.send(room, "!help");
    const answer = await nurse.waitFor(isAnswerTo(id, botId()), 30_000, "the restored bot's answer");
    expect(answer.isEncrypted()).toBe(true);

    // The bot's database came back: what it handled, and the consult.
    expect(bot!.store.status(before.helpEvent)).toBe("done");
    const consult = bot!.store.db.prepare("SELECT status, priority FROM consults WHERE case_id = ?").get(before.caseId);
    expect(consult).toEqual({ status: "open", priority: "urgent" });
  });
});
