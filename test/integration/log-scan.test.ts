// What a whole run writes down, scanned. The real CLI provisions the province and runs the bot (a
// child process); providers send commands and free text, the bot is SIGKILLed and restarted, Synapse
// restarts under it, an undecryptable message arrives, an admin resets a password, the bot is stopped
// with SIGTERM. Then no log of the run (the bot's JSON log, every CLI output, Synapse's log) holds an
// access token, a password, the recovery key, the crypto store secret or anything a person typed;
// neither do the bot's database and Synapse's (the rooms are end-to-end encrypted). And every file of
// the deployment that holds a secret is 0600, in 0700 folders.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { botPaths } from "../../src/homeserver/deployment.ts";
import { enc } from "../../src/matrix/http.ts";
import { roomAlias, runCli } from "../support/bot-process.ts";
import { botRig } from "../support/bot-rig.ts";
import { isAnswerTo } from "../support/clients.ts";
import { logLines, waitForWelcomes, type Provider } from "../support/faults.ts";
import { ACCESS_TOKEN, deploymentSecrets, filesUnder, modeOf, scanFiles, type Secret } from "../support/log-scan.ts";

const MARKER = "patient marker 7Q3X";
/** The most an operator can turn on: what the bot logs when someone is chasing a problem must be clean too. */
const VERBOSE = { MCHLINK_LOG_LEVEL: "debug" };

describe("a full run's logs and secret files", () => {
  const rig = botRig("logscan", [], VERBOSE);

  it("leaves no token, password, key or message body in any log, and keeps secret files 0600", async () => {
    rig.keepLogsIfFailed();
    const { hs, p, botUserId, botLog, logs } = rig;
    const nurse = await rig.login("nurse-n1");
    const north: Provider = { client: nurse, roomId: (await nurse.client.getRoomIdForAlias(roomAlias(p, "district:north"))).room_id };
    await waitForWelcomes([north], botUserId);
    const bodies: string[] = [];
    const ask = async (body: string, answered = true) => {
      bodies.push(body);
      const id = await nurse.send(north.roomId, body);
      if (answered) await nurse.waitFor(isAnswerTo(id, botUserId), 30_000, `the answer to ${body}`);
      return id;
    };

    await ask("!guide pph");
    await ask("!rules");
    await ask(`${MARKER}: 2 days postpartum, heavy bleeding`, false);
    // An answer that quotes what was typed back.
    await ask(`!guide ${MARKER.replaceAll(" ", "-")}`);
    await ask("!lang en");
    await ask(`!whoami ${MARKER}`);

    // A crash, and a command sent while the bot is down.
    await rig.bot!.kill();
    rig.bot = undefined;
    const whileDown = await ask("!help", false);
    await rig.startBot();
    await nurse.waitFor(isAnswerTo(whileDown, botUserId), 60_000, "the answer to what was sent while the bot was down");

    // Synapse restarts under the bot: the failing requests are logged.
    await hs.restart();
    await ask("!guide bleeding");

    // A message nobody can decrypt: the bot logs it (without content) and tells the sender.
    const { event_id: utd } = await hs.http
      .withToken(nurse.client.getAccessToken()!)
      .put<{ event_id: string }>(`/_matrix/client/v3/rooms/${enc(north.roomId)}/send/m.room.encrypted/logscan-${Date.now()}`, {
        algorithm: "m.megolm.v1.aes-sha2",
        sender_key: "A".repeat(43),
        session_id: "B".repeat(43),
        device_id: nurse.client.getDeviceId(),
        ciphertext: "AwgAEnB",
      });
    await nurse.waitFor(isAnswerTo(utd, botUserId), 60_000, "the could-not-decrypt notice");

    // Admin commands whose output is captured too.
    expect(await runCli(p, join(logs, "reset-password.log"), "users", "reset-password", "nurse-s2")).toBe(0);
    expect(await runCli(p, join(logs, "status.log"), "status", "--json")).toBe(0);
    expect(await runCli(p, join(logs, "devices.log"), "devices", "list", "--json")).toBe(0);

    expect(await rig.bot!.stop()).toEqual({ code: 0, signal: null });
    rig.bot = undefined;

    const secrets = deploymentSecrets(p.deployment, hs.dataDir);
    expect(secrets.filter((s) => s.what.startsWith("password of")).length).toBe(p.province.people.length);
    const typed: Secret[] = bodies.map((body) => ({ what: `what a person typed ("${body.slice(0, 8)}…")`, value: body }));
    // The bot's log, every CLI output, and Synapse's own log.
    const logFiles = [...filesUnder(logs), join(hs.dataDir, "synapse.log")];
    expect(logFiles.length).toBeGreaterThanOrEqual(6);
    expect(scanFiles(logFiles, [ACCESS_TOKEN, ...secrets, ...typed])).toEqual([]);
    // The debug level was on (so its lines were scanned too), and its per-message line is metadata only.
    const timings = logLines(readFileSync(botLog, "utf8"), "handled a message");
    expect(timings.length).toBeGreaterThan(0);
    const metadata = new Set(["level", "time", "pid", "hostname", "msg", "event_id", "room_id", "sync_lag_ms", "queued_ms", "decrypt_ms", "handler_ms", "send_ms"]);
    for (const line of timings) {
      expect(Object.keys(line).filter((k) => !metadata.has(k))).toEqual([]);
      expect(typeof line.send_ms).toBe("number");
    }
    // The bot keeps metadata only, and Synapse never sees plaintext.
    const databases = [botPaths(p.deployment).database, join(hs.dataDir, "homeserver.db")].flatMap((f) => [f, `${f}-wal`]);
    expect(scanFiles(databases, typed)).toEqual([]);

    const dep = p.deployment;
    const paths = botPaths(dep);
    const secretFiles = [
      dep.path("bot.json"),
      dep.path("admin.json"),
      paths.cryptoSecret,
      paths.recoveryKey,
      dep.path("onboarding", "credentials.csv"),
      join(hs.dataDir, "secrets.json"),
      join(hs.dataDir, "signing.key"),
      join(hs.dataDir, "homeserver.yaml"),
    ];
    expect(Object.fromEntries(secretFiles.map((f) => [f, modeOf(f)]))).toEqual(Object.fromEntries(secretFiles.map((f) => [f, "0600"])));
    // Any other file of the deployment holding a secret (the printable login pages, ...) as well.
    const holding = filesUnder(dep.dir).filter((f) => scanFiles([f], [ACCESS_TOKEN, ...secrets]).length > 0);
    expect(holding).toContain(dep.path("onboarding", "credentials.csv"));
    expect(holding.filter((f) => modeOf(f) !== "0600")).toEqual([]);
    const folders = [dep.dir, paths.dir, paths.cryptoDir, dep.path("onboarding")];
    expect(folders.map((d) => `${d} ${modeOf(d)}`)).toEqual(folders.map((d) => `${d} 0700`));
  }, 150_000);
});
