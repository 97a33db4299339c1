// Escalation steps are independent: a real Synapse, the real bot with a compressed clock.
// The bot is kicked out of one district room (and later loses its power to post in the
// other) while consults climb their ladders. The steps it cannot post are counted, logged
// with metadata only, told to the coordinators in the experts' room and not tried again;
// every other consult's ladder climbs to the top meanwhile.
import { Writable } from "node:stream";
import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { enc } from "../../src/matrix/http.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { loginClient, type TestClient } from "../support/clients.ts";
import { provision, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

const MIN = 60_000;
const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
const caseIdIn = (e: MatrixEvent) => /TL-\d{4}/.exec(body(e))?.[0];

describe("escalation when the bot loses a room", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let bot: RunningBot | undefined;
  const clock = new ManualClock(Date.now());
  const logLines: Record<string, unknown>[] = [];
  let nurseNorth: TestClient;
  let nurseSouth: TestClient;
  let coord: TestClient;
  let north: string;
  let south: string;
  let experts: string;
  const botId = () => p.userId("mchlink-bot");
  const secret = "RETAINED-PLACENTA-SECRET-TEXT";

  const until = async (what: string, ok: () => boolean, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const cardFor = (client: TestClient, requestId: string) =>
    client.waitFor((e) => e.getSender() === botId() && e.getContent()["m.relates_to"]?.event_id === requestId && caseIdIn(e) !== undefined, 30_000, "the consult card");
  const steps = (caseId: string) =>
    bot!.store.db.prepare("SELECT step_index, status FROM escalation_steps WHERE case_id = ? ORDER BY step_index").all(caseId) as { step_index: number; status: string }[];
  const undelivered = (caseId: string) => (e: MatrixEvent) => e.getRoomId() === experts && e.getSender() === botId() && body(e).includes(caseId) && body(e).includes("could not post");
  const adminPut = async (path: string, content: unknown) => {
    const { http } = await p.deployment.adminSession();
    return http.put(path, content);
  };

  beforeAll(async () => {
    hs = await startTestSynapse();
    p = await provision(hs);
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "info" }, sink), clock, tickMs: 100, utdGraceMs: 2000 });
    north = bot.runtime.roomIds.get("district:north")!;
    south = bot.runtime.roomIds.get("district:south")!;
    experts = bot.runtime.roomIds.get("experts")!;
    const login = (u: string) => loginClient(hs.baseUrl, u, p.password(u));
    [nurseNorth, nurseSouth, coord] = await Promise.all([login("nurse-n1"), login("nurse-s1"), login("coordinator")]);
  }, 180_000);
  afterAll(async () => {
    for (const c of [nurseNorth, nurseSouth, coord]) await c?.stop();
    await bot?.stop();
    await hs?.destroy();
  });

  it("a room the bot was kicked from does not hold back any other consult's ladder", async () => {
    const northCase = caseIdIn(await cardFor(nurseNorth, await nurseNorth.send(north, `#emergency ${secret} heavy bleeding`)))!;
    const southRequest = await nurseSouth.send(south, "#emergency eclampsia, fitting now");
    const southCase = caseIdIn(await cardFor(nurseSouth, southRequest))!;

    // The admin (power 100) kicks the bot (power 50) out of the north room.
    const admin = p.deployment.readCredentials("admin")!.userId;
    expect(admin).toBeTruthy();
    const { http } = await p.deployment.adminSession();
    await http.post(`/_matrix/client/v3/rooms/${enc(north)}/kick`, { user_id: botId(), reason: "test: the bot lost the room" });
    await until("the bot to see it was kicked", () => bot!.identity.client.getRoom(north)?.getMyMembership() === "leave");

    // Every step of both ladders falls due. North's come first (its consult is older).
    clock.advance(16 * MIN);
    const phone = await nurseSouth.waitFor(
      (e) => e.getSender() === botId() && body(e).includes(p.province.rules.hospital_phone) && body(e).includes(southCase),
      60_000,
      "the south consult's last step",
    );
    expect(phone.getContent()["m.relates_to"]?.event_id).toBe(southRequest);
    // North's steps that belong in its room (backup, coordinator, phone advice) are told in the experts' room instead.
    const notice = await coord.waitFor(undelivered(northCase), 30_000, "the notice about north's undelivered step");
    expect(notice.getContent()["m.mentions"]?.user_ids).toContain(p.userId("coordinator"));
    expect(body(notice)).toContain("Test Nurse N1");
    await until("north's ladder to be done", () => steps(northCase).length === 5 && steps(northCase).every((s) => s.status === "done"));
    await until("south's ladder to be done", () => steps(southCase).length === 5 && steps(southCase).every((s) => s.status === "done"));
    await until("three notices", () => coord.events.filter(undelivered(northCase)).length === 3);
    // North's steps that go to the experts' room went out as usual.
    expect(coord.events.some((e) => e.getRoomId() === experts && e.getContent()["m.mentions"]?.room === true && body(e).includes(northCase))).toBe(true);

    // Recorded once each, not tried again on the following ticks.
    await new Promise((r) => setTimeout(r, 2000));
    expect(coord.events.filter(undelivered(northCase))).toHaveLength(3);
    expect(bot!.store.counter("escalation_messages_undelivered")).toBe(3);
    expect(bot!.metrics.exposition()).toMatch(/mchlink_messages_undelivered_total\{kind="escalation"\} 3/);
    const failures = logLines.filter((l) => l.msg === "an escalation step could not be posted in a room; the ladder goes on and the experts' room is told");
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ firing: expect.stringContaining(northCase), failed: [expect.objectContaining({ room_id: north })] });
    expect(JSON.stringify(logLines)).not.toContain(secret);
  });

  it("a room where the bot may no longer post (403) is recorded the same way", async () => {
    const request = await nurseSouth.send(south, "#emergency bleeding again");
    const caseId = caseIdIn(await cardFor(nurseSouth, request))!;
    // The admin takes the bot's power away and lets only moderators post.
    const levels = bot!.identity.client.getRoom(south)!.currentState.getStateEvents("m.room.power_levels", "")!.getContent();
    await adminPut(`/_matrix/client/v3/rooms/${enc(south)}/state/m.room.power_levels/`, { ...levels, events_default: 50, users: { ...levels.users, [botId()]: 0 } });
    // Synapse refuses the bot's sends from here on (adminPut has returned); whether the bot's own sync has
    // shown it the new power levels yet does not matter: the refusal is what is being tested.

    const before = bot!.store.counter("escalation_messages_undelivered");
    clock.advance(16 * MIN);
    await coord.waitFor(undelivered(caseId), 60_000, "the notice about south's undelivered step");
    await until("the ladder to be done", () => steps(caseId).length === 5 && steps(caseId).every((s) => s.status === "done"));
    await until("three more undelivered", () => bot!.store.counter("escalation_messages_undelivered") === before + 3);
    const failure = logLines.find((l) => l.msg === "an escalation step could not be posted in a room; the ladder goes on and the experts' room is told" && String(l.firing).startsWith(caseId));
    expect(failure).toMatchObject({ failed: [expect.objectContaining({ room_id: south, status: 403, errcode: "M_FORBIDDEN" })] });
  });
});
