// The bot's Matrix runtime against a real Synapse with real E2EE clients: it
// decrypts and answers, answers what was sent while it was stopped exactly
// once, tells people when it cannot decrypt, refuses foreign rooms and ignores
// people outside the roster. The handler here is a trivial pure one, so that
// these tests are about the runtime; the commands have their own tests.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import type { Handlers } from "../../src/bot/pipeline.ts";
import { paragraph, reply } from "../../src/i18n/index.ts";
import { enc } from "../../src/matrix/http.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { provision, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

/** People whose next district-room welcome goes to a room that does not exist, so that sending it fails. */
const failWelcomeFor = new Set<string>();

const pingHandlers: Handlers = {
  onMessage: (ctx) => (ctx.event.body.trim() === "!ping" ? [{ kind: "message", reply: reply(paragraph(`pong ${ctx.sender.role}`)) }] : undefined),
  onWelcome: (_ctx, userId, room) => {
    const roomId = room.kind === "district" && failWelcomeFor.delete(userId) ? "!nowhere:mchlink.test" : room.roomId;
    return [{ kind: "message", roomId, reply: reply(paragraph(`welcome ${userId} to ${room.kind}`)) }];
  },
};

describe("bot runtime", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  let nurse: TestClient;
  let northRoom: string;
  const logger = pino({ level: "warn" });

  const start = async (timelineLimit?: number, utdGraceMs = 1500) => {
    bot = await startBot({ province: p.province, deployment: p.deployment, logger, utdGraceMs, handlers: pingHandlers, timelineLimit });
    return bot;
  };

  beforeAll(async () => {
    hs = await startTestSynapse();
    p = await provision(hs);
    await start();
    northRoom = bot!.runtime.roomIds.get("district:north")!;
    nurse = await loginClient(hs.baseUrl, "nurse-n1", p.password("nurse-n1"));
  });
  afterAll(async () => {
    await nurse?.stop();
    await bot?.stop();
    await hs?.destroy();
  });

  it("decrypts a command in an encrypted room and answers with an encrypted notice", async () => {
    const id = await nurse.send(northRoom, "!ping");
    const answer = await nurse.waitFor(isAnswerTo(id, p.userId("mchlink-bot")), 30_000, "the bot's answer");
    expect(answer.isEncrypted()).toBe(true);
    expect(answer.getContent().msgtype).toBe("m.notice");
    expect(answer.getContent().body).toBe("pong provider");
    expect(answer.getContent()["m.mentions"]).toEqual({});
    expect(bot!.identity.crossSigned).toBe(true);
  });

  it("answers, once each, commands sent while it was stopped", async () => {
    await bot!.stop();
    bot = undefined;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await nurse.send(northRoom, "!ping"));
    await start();
    for (const id of ids) await nurse.waitFor(isAnswerTo(id, p.userId("mchlink-bot")), 30_000, `the answer to ${id}`);
    // A later command's answer proves the bot has gone past them; still one answer each.
    const sentinel = await nurse.send(northRoom, "!ping");
    await nurse.waitFor(isAnswerTo(sentinel, p.userId("mchlink-bot")));
    for (const id of ids) expect(nurse.events.filter(isAnswerTo(id, p.userId("mchlink-bot")))).toHaveLength(1);
  });

  it("tells the sender when a message cannot be decrypted, and counts it", async () => {
    const before = bot!.store.counter("decryption_failures");
    // An encrypted event whose room key nobody ever shared.
    const api = hs.http.withToken(nurse.client.getAccessToken()!);
    const { event_id } = await api.put<{ event_id: string }>(`/_matrix/client/v3/rooms/${enc(northRoom)}/send/m.room.encrypted/utd-${Date.now()}`, {
      algorithm: "m.megolm.v1.aes-sha2",
      sender_key: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      session_id: "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
      device_id: nurse.client.getDeviceId(),
      ciphertext: "AwgAEnB...",
    });
    const bot_ = p.userId("mchlink-bot");
    await nurse.waitFor((e) => e.getType() === "m.reaction" && e.getSender() === bot_ && e.getRelation()?.event_id === event_id, 30_000, "the warning reaction");
    const notice = await nurse.waitFor(isAnswerTo(event_id, bot_), 30_000, "the could-not-decrypt notice");
    expect(notice.getContent().body).toMatch(/ຖອດລະຫັດ|decrypt/);
    expect(bot!.store.counter("decryption_failures")).toBe(before + 1);
  });

  it("leaves a room that is not a province room", async () => {
    const outsiderRoom = await nurse.client.createRoom({ name: "side chat", invite: [p.userId("mchlink-bot")] });
    const deadline = Date.now() + 20_000;
    let membership = "";
    while (Date.now() < deadline) {
      const state = await hs.http
        .withToken(nurse.client.getAccessToken()!)
        .get<{ membership: string }>(`/_matrix/client/v3/rooms/${enc(outsiderRoom.room_id)}/state/m.room.member/${enc(p.userId("mchlink-bot"))}`);
      membership = state.membership;
      if (membership === "leave") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(membership).toBe("leave");
  });

  it("welcomes a person once per room, when their first device appears", async () => {
    const s2 = await loginClient(hs.baseUrl, "nurse-s2", p.password("nurse-s2"));
    try {
      const southRoom = bot!.runtime.roomIds.get("district:south")!;
      const text = `welcome ${p.userId("nurse-s2")} to district`;
      const welcome = await s2.waitFor((e) => e.getRoomId() === southRoom && e.getContent().body === text, 30_000, "the welcome");
      expect(welcome.isEncrypted()).toBe(true); // readable: it was encrypted after their device existed
      await s2.waitFor((e) => e.getContent().body === `welcome ${p.userId("nurse-s2")} to training`, 30_000, "the training-room welcome");
      // A second phone does not bring a second welcome.
      const again = await loginClient(hs.baseUrl, "nurse-s2", p.password("nurse-s2"));
      const sentinel = await nurse.send(northRoom, "!ping");
      await nurse.waitFor(isAnswerTo(sentinel, p.userId("mchlink-bot")));
      await again.stop();
      expect(s2.events.filter((e) => e.getContent().body === text)).toHaveLength(1);
    } finally {
      await s2.stop();
    }
  });

  it("sends a welcome that failed to go out at the person's next device, and only once", async () => {
    failWelcomeFor.add(p.userId("nurse-n2"));
    const northText = `welcome ${p.userId("nurse-n2")} to district`;
    const first = await loginClient(hs.baseUrl, "nurse-n2", p.password("nurse-n2"));
    let second: TestClient | undefined;
    try {
      // The training room's welcome comes; the district room's failed (the handler sent it nowhere).
      await first.waitFor((e) => e.getContent().body === `welcome ${p.userId("nurse-n2")} to training`, 30_000, "the training-room welcome");
      expect(failWelcomeFor.size).toBe(0);
      expect(first.events.filter((e) => e.getContent().body === northText)).toHaveLength(0);
      second = await loginClient(hs.baseUrl, "nurse-n2", p.password("nurse-n2"));
      await second.waitFor((e) => e.getRoomId() === northRoom && e.getContent().body === northText, 30_000, "the district welcome, at the second device");
      const sentinel = await nurse.send(northRoom, "!ping");
      await first.waitFor(isAnswerTo(sentinel, p.userId("mchlink-bot")));
      // The first device, there all along, saw each welcome once.
      expect(first.events.filter((e) => e.getContent().body === northText)).toHaveLength(1);
      expect(first.events.filter((e) => e.getContent().body === `welcome ${p.userId("nurse-n2")} to training`)).toHaveLength(1);
    } finally {
      await second?.stop();
      await first.stop();
    }
  });

  it("logs in a new device when its crypto store is gone, deletes the old one, and keeps its cross-signing identity", async () => {
    const oldDevice = bot!.identity.deviceId;
    const masterBefore = (await bot!.identity.crypto.getCrossSigningKeyId())!;
    await bot!.stop();
    bot = undefined;
    rmSync(join(p.deployment.dir, "bot", "crypto"), { recursive: true, force: true });
    await start();
    expect(bot!.identity.deviceId).not.toBe(oldDevice);
    expect(bot!.identity.crossSigned).toBe(true);
    expect(await bot!.identity.crypto.getCrossSigningKeyId()).toBe(masterBefore);
    const { http } = await p.deployment.adminSession();
    const { devices } = await http.get<{ devices: Array<{ device_id: string }> }>(`/_synapse/admin/v2/users/${enc(p.userId("mchlink-bot"))}/devices`);
    expect(devices.map((d) => d.device_id)).toEqual([bot!.identity.deviceId]);
    const id = await nurse.send(northRoom, "!ping");
    await nurse.waitFor(isAnswerTo(id, p.userId("mchlink-bot")), 30_000, "an answer from the new device");
  });

  it("after its store is lost, answers at once: messages older than the new device get no wait for a key that cannot come", async () => {
    // Notices are read and passed over, not marked handled, so the new device meets them again in
    // its catch-up, and cannot decrypt them: they were encrypted before it existed.
    for (let i = 0; i < 3; i++) await nurse.send(northRoom, `a note ${i}`, { msgtype: "m.notice" });
    await nurse.waitFor(isAnswerTo(await nurse.send(northRoom, "!ping"), p.userId("mchlink-bot")), 30_000, "the old device's answer");
    await bot!.stop();
    bot = undefined;
    rmSync(join(p.deployment.dir, "bot", "crypto"), { recursive: true, force: true });
    // A grace period far longer than this test may take: waiting even once for a key would fail it.
    await start(undefined, 10 * 60_000);
    const id = await nurse.send(northRoom, "!ping");
    await nurse.waitFor(isAnswerTo(id, p.userId("mchlink-bot")), 60_000, "an answer from the new device");
    await bot!.stop();
    bot = undefined;
    await start();
  });

  it("ignores people who are not in the roster", async () => {
    const stranger = await hs.registerUser("stranger");
    const { http } = await p.deployment.adminSession();
    await http.post(`/_synapse/admin/v1/join/${enc(northRoom)}`, { user_id: stranger.userId });
    const strangerClient = await loginClient(hs.baseUrl, "stranger", stranger.password);
    try {
      const ignored = await strangerClient.send(northRoom, "!ping");
      const sentinel = await nurse.send(northRoom, "!ping");
      await nurse.waitFor(isAnswerTo(sentinel, p.userId("mchlink-bot")));
      expect(nurse.events.filter(isAnswerTo(ignored, p.userId("mchlink-bot")))).toHaveLength(0);
    } finally {
      await strangerClient.stop();
    }
  });

  it("keeps each room's timeline in memory short, and still answers every command once, before and after a restart", async () => {
    const limit = 8;
    await bot!.stop();
    await start(limit);
    const bot_ = p.userId("mchlink-bot");
    const room = () => bot!.identity.client.getRoom(northRoom)!;
    const ids: string[] = [];
    let longest = 0;
    for (let i = 0; i < 3 * limit; i++) {
      const id = await nurse.send(northRoom, "!ping");
      ids.push(id);
      await nurse.waitFor(isAnswerTo(id, bot_), 30_000, `the answer to command ${i}`);
      longest = Math.max(longest, room().getLiveTimeline().getEvents().length);
    }
    // Each command and its answer are two events; the bot trims after handling, so it never holds much more than the limit.
    expect(longest).toBeLessThanOrEqual(limit + 2);
    // Commands sent while it is down are read back from the server, not from memory.
    await bot!.stop();
    bot = undefined;
    for (let i = 0; i < 3; i++) ids.push(await nurse.send(northRoom, "!ping"));
    await start(limit);
    const sentinel = await nurse.send(northRoom, "!ping");
    await nurse.waitFor(isAnswerTo(sentinel, bot_), 30_000, "the answer after the restart");
    for (const id of ids) expect(nurse.events.filter(isAnswerTo(id, bot_)), id).toHaveLength(1);
  });
});
