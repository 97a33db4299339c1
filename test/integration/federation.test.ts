// Federation with two (and a third, unwelcome) real Synapses on loopback: the partner
// hospital's expert is invited by `mchlink apply`, joins from their own server and talks
// to the bot end to end encrypted; district rooms stay local; a server off the allow-list
// is refused; a partner server that goes down stops nothing local, and the bot says which
// page did not reach its partner expert. The cross-server
// command round trip is measured next to the same-server floor and printed (not asserted).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startBot, type RunningBot } from "../../src/bot/main.ts";
import { loadProvince } from "../../src/config/load.ts";
import { enc, MatrixError, type MatrixHttp } from "../../src/matrix/http.ts";
import { Applier } from "../../src/provision/apply.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { reserveServer, signedFederationRequest, startFederatingSynapse, type FederatingSynapse, type ReservedServer } from "../support/federation.ts";
import { provision, type TestProvince } from "../support/province.ts";
import type { TestUser } from "../support/synapse.ts";
import { captureMain } from "../support/cli.ts";

// The bot routes `console` into its logger once it starts (src/matrix/logging.ts); the figures go to the test's own output.
const report = console.log.bind(console);
const FIXTURE = join(import.meta.dirname, "..", "fixtures", "federated-province.yaml");
const RUNS = 30;

const written: string[] = [];

/** The fixture names the servers of PLATFORM.md; the test's servers listen on free ports. */
function writeProvince(local: ReservedServer, partner: ReservedServer, edit: (text: string) => string = (text) => text): string {
  const text = edit(readFileSync(FIXTURE, "utf8").replaceAll("127.0.0.1:8448", local.serverName).replaceAll("127.0.0.1:8449", partner.serverName));
  const dir = mkdtempSync(join(tmpdir(), "mchlink-federated-"));
  written.push(dir);
  writeFileSync(join(dir, "federated-province.yaml"), text);
  return join(dir, "federated-province.yaml");
}

/** `mchlink …` in-process, its output captured. */

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Join and wait until the client knows the room is encrypted (before that, it refuses to send). */
async function joinRoom(client: TestClient, roomId: string): Promise<void> {
  await until(`${client.userId}'s invite`, () => (client.client.getRoom(roomId)?.getMyMembership() === "invite" ? true : undefined));
  await client.client.joinRoom(roomId);
  await until(`${roomId} encrypted for ${client.userId}`, async () => ((await client.client.getCrypto()?.isEncryptionEnabledInRoom(roomId)) ? true : undefined));
}

/** Find an event in a room's history, paginating back (and decrypting) until it appears. */
async function readBack(client: TestClient, roomId: string, match: (e: MatrixEvent) => boolean, what: string): Promise<MatrixEvent> {
  return await until(
    what,
    async () => {
      const room = client.client.getRoom(roomId);
      if (!room) return undefined;
      const events = room.getLiveTimeline().getEvents();
      await Promise.all(events.map((e) => client.client.decryptEventIfNeeded(e)));
      const found = events.find((e) => !e.isDecryptionFailure() && match(e));
      if (!found) await client.client.scrollback(room, 20);
      return found;
    },
    30_000,
  );
}

async function refusal(promise: Promise<unknown>): Promise<MatrixError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MatrixError) return err;
    throw err;
  }
  throw new Error("expected the request to be refused");
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe("federation with a partner hospital's homeserver", () => {
  let local: FederatingSynapse;
  let partner: FederatingSynapse;
  let outsider: FederatingSynapse;
  let p: TestProvince;
  let admin: MatrixHttp;
  let bot: RunningBot;
  let noyUser: TestUser;
  let noy: TestClient;
  let obstetrician: TestClient;
  let nurse: TestClient;
  let servers: { local: ReservedServer; partner: ReservedServer };
  let room: { space: string; experts: string; north: string; announcements: string; training: string };
  const botId = () => p.userId("mchlink-bot");

  const membership = async (roomId: string, userId: string): Promise<string | undefined> => {
    const { state } = await admin.get<{ state: Array<{ type: string; state_key: string; content: { membership?: string } }> }>(`/_synapse/admin/v1/rooms/${enc(roomId)}/state`);
    return state.find((e) => e.type === "m.room.member" && e.state_key === userId)?.content.membership;
  };
  const roundTrip = async (client: TestClient, roomId: string, body: string): Promise<{ ms: number; answer: MatrixEvent }> => {
    const started = performance.now();
    const id = await client.send(roomId, body);
    const answer = await client.waitFor(isAnswerTo(id, botId()), 30_000, `the bot's answer to ${body}`);
    return { ms: performance.now() - started, answer };
  };

  beforeAll(async () => {
    const [l, r, o] = [await reserveServer(), await reserveServer(), await reserveServer()];
    servers = { local: l, partner: r };
    // The outsider would federate with the province; the province does not list it.
    [local, partner, outsider] = await Promise.all([startFederatingSynapse(l, [r.serverName]), startFederatingSynapse(r, [l.serverName]), startFederatingSynapse(o, [l.serverName])]);
    noyUser = await partner.registerUser("dr.noy", { displayName: "Dr Noy" });
    p = await provision(local, writeProvince(l, r));
    admin = (await p.deployment.adminSession()).http;
    const alias = async (name: string) => (await admin.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(`#${name}:${local.serverName}`)}`)).room_id;
    room = {
      space: await alias("fedland"),
      experts: await alias("fedland-experts"),
      north: await alias("fedland-district-north"),
      announcements: await alias("fedland-announcements"),
      training: await alias("fedland-training"),
    };
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }), utdGraceMs: 1500 });
    [noy, obstetrician, nurse] = await Promise.all([
      loginClient(partner.baseUrl, "dr.noy", noyUser.password),
      loginClient(local.baseUrl, "obstetrician", p.password("obstetrician")),
      loginClient(local.baseUrl, "nurse-n1", p.password("nurse-n1")),
    ]);
  });
  afterAll(async () => {
    await Promise.allSettled([noy?.stop(), obstetrician?.stop(), nurse?.stop()]);
    // The servers go first: a sync answered while the bot stops would still be written to
    // its crypto store after that closes (an unhandled error from the Rust crypto).
    await Promise.allSettled([local?.stop(), partner?.stop(), outsider?.stop()]);
    await bot?.stop();
    await Promise.allSettled([local?.destroy(), partner?.destroy(), outsider?.destroy()]);
    for (const dir of written) rmSync(dir, { recursive: true, force: true });
  });

  it("apply invites the partner expert to the experts' room and the Space, and they join from their own server", async () => {
    expect(await membership(room.experts, noyUser.userId)).toBe("invite");
    expect(await membership(room.space, noyUser.userId)).toBe("invite");
    for (const roomId of [room.north, room.announcements, room.training]) expect(await membership(roomId, noyUser.userId)).toBeUndefined();

    // A remote user cannot be force-joined: they accept on their own server.
    for (const roomId of [room.experts, room.space]) {
      await joinRoom(noy, roomId);
      expect(await until("the join on the province server", async () => ((await membership(roomId, noyUser.userId)) === "join" ? true : undefined))).toBe(true);
    }

    // With the invite accepted, the province is converged: a second plan changes nothing.
    const applier = new Applier(admin, p.province, new OnboardingSheet(p.deployment.path("onboarding")), () => "");
    const { plan } = await applier.plan(false);
    expect(plan.changes).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  it("district rooms are created unfederated, and a remote user can neither be invited to one nor join it", async () => {
    const create = (roomId: string) => admin.get<Record<string, unknown>>(`/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.create/`);
    for (const roomId of [room.north, room.announcements, room.training]) expect((await create(roomId))["m.federate"]).toBe(false);
    for (const roomId of [room.experts, room.space]) expect((await create(roomId))["m.federate"]).not.toBe(false);

    const invite = await refusal(admin.post(`/_matrix/client/v3/rooms/${enc(room.north)}/invite`, { user_id: noyUser.userId }));
    expect(invite.status).toBe(403);
    const noyHttp = partner.http.withToken(noyUser.accessToken);
    const join = await refusal(noyHttp.post(`/_matrix/client/v3/join/${enc(room.north)}?server_name=${enc(local.serverName)}`, {}));
    expect(join.status).toBe(403);
    expect(await membership(room.north, noyUser.userId)).toBeUndefined();
  });

  it("federation_domain_whitelist is exactly the allow-list; a server off it can neither join nor send", async () => {
    const rendered = parse(readFileSync(join(local.dataDir, "homeserver.yaml"), "utf8")) as { federation_domain_whitelist: string[] };
    expect(rendered.federation_domain_whitelist).toEqual(p.province.federation.partners);
    expect(rendered.federation_domain_whitelist).toEqual([partner.serverName]);

    const eve = await outsider.registerUser("eve");
    const eveHttp = outsider.http.withToken(eve.accessToken);
    // By alias: the province will not even resolve it for the outsider.
    await refusal(eveHttp.post(`/_matrix/client/v3/join/${enc(`#fedland-experts:${local.serverName}`)}`, {}));
    // By room id, through the province's server: refused.
    expect((await refusal(eveHttp.post(`/_matrix/client/v3/join/${enc(room.experts)}?server_name=${enc(local.serverName)}`, {}))).status).toBe(403);
    // Nor can anyone on the province invite them.
    expect((await refusal(admin.post(`/_matrix/client/v3/rooms/${enc(room.experts)}/invite`, { user_id: eve.userId }))).status).toBe(403);
    expect(await membership(room.experts, eve.userId)).toBeUndefined();

    // Sending: a transaction signed with the outsider's own key is refused by its origin;
    // the same transaction from the partner is accepted.
    const txn = (from: FederatingSynapse) => ({ origin: from.serverName, origin_server_ts: Date.now(), pdus: [], edus: [] });
    const fromOutsider = await signedFederationRequest(outsider, local, "PUT", `/_matrix/federation/v1/send/outsider-${Date.now()}`, txn(outsider));
    expect(fromOutsider.status).toBe(403);
    expect(fromOutsider.json.errcode).toBe("M_FORBIDDEN");
    const fromPartner = await signedFederationRequest(partner, local, "PUT", `/_matrix/federation/v1/send/partner-${Date.now()}`, txn(partner));
    expect(fromPartner.status).toBe(200);
  });

  it("the bot answers the partner expert end to end encrypted, and ignores a partner-server user who is not a partner expert", async () => {
    const { answer } = await roundTrip(noy, room.experts, "!whoami");
    expect(answer.isEncrypted()).toBe(true);
    expect(answer.getContent().msgtype).toBe("m.notice");
    const body = String(answer.getContent().body);
    expect(body).toContain(noyUser.userId);
    expect(body).toContain(partner.serverName);

    // Someone else on the allow-listed server, let in by a local moderator: not in the partner list, so not answered.
    const guestUser = await partner.registerUser("guest");
    await admin.post(`/_matrix/client/v3/rooms/${enc(room.experts)}/invite`, { user_id: guestUser.userId });
    const guest = await loginClient(partner.baseUrl, "guest", guestUser.password);
    try {
      await joinRoom(guest, room.experts);
      const ignored = await guest.send(room.experts, "!whoami");
      await roundTrip(noy, room.experts, "!help"); // answered after the guest's message: the bot has gone past it
      await bot.runtime.idle();
      expect(guest.events.filter(isAnswerTo(ignored, botId()))).toHaveLength(0);
    } finally {
      await guest.stop();
      await admin.post(`/_matrix/client/v3/rooms/${enc(room.experts)}/kick`, { user_id: guestUser.userId, reason: "test guest" });
    }
  });

  it(`measures the cross-server command round trip against the same-server floor (${RUNS} runs each)`, async () => {
    // Warm up both paths (room keys shared, device lists known), then alternate them so both see the same load.
    await roundTrip(noy, room.experts, "!whoami");
    await roundTrip(obstetrician, room.experts, "!whoami");
    const cross: number[] = [];
    const same: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      cross.push((await roundTrip(noy, room.experts, "!whoami")).ms);
      same.push((await roundTrip(obstetrician, room.experts, "!whoami")).ms);
    }
    const row = (label: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `${label.padEnd(44)} p50 ${percentile(s, 0.5).toFixed(0).padStart(5)} ms   p99 ${percentile(s, 0.99).toFixed(0).padStart(5)} ms   (n=${s.length})`;
    };
    report(
      [
        "!whoami round trip in the experts' room (send → the bot's answer decrypted by the sender):",
        row(`partner expert on ${partner.serverName}`, cross),
        row(`local expert on ${local.serverName} (floor)`, same),
      ].join("\n"),
    );
    expect(cross).toHaveLength(RUNS);
  });

  it("a consult opened in a district room pages the partner expert, who acknowledges it from the partner server", async () => {
    const request = await nurse.send(room.north, "!consult emergency obstetrics bleeding after delivery, 35 years, G3P3");
    const page = await noy.waitFor(
      (e) =>
        e.getRoomId() === room.experts &&
        e.getSender() === botId() &&
        /\bFL-\d{4}\b/.test(String(e.getContent().body)) &&
        ((e.getContent()["m.mentions"] as { user_ids?: string[] } | undefined)?.user_ids ?? []).includes(noyUser.userId),
      30_000,
      "the page in the experts' room",
    );
    const caseId = /\b(FL-\d{4})\b/.exec(String(page.getContent().body))?.[1];
    expect(caseId).toBeDefined();
    const ack = await noy.send(room.experts, `!ack ${caseId}`);
    await noy.waitFor((e) => e.getType() === "m.reaction" && e.getSender() === botId() && e.getRelation()?.event_id === ack, 30_000, "the ✅ on the !ack");
    const answered = await nurse.waitFor(
      (e) => e.getSender() === botId() && e.getRoomId() === room.north && String(e.getContent().body).includes("Dr Noy") && String(e.getContent().body).includes(caseId!),
      30_000,
      "the thread told who is answering",
    );
    expect((answered.getContent()["m.relates_to"] as { event_id?: string }).event_id).toBe(request);
    // The partner server answers, so nobody is told a page went astray.
    expect(noy.events.filter((e) => e.getSender() === botId() && String(e.getContent().body).includes("did not reach"))).toEqual([]);
  });

  it("when the partner server is down, local work and apply go on; when it is back, the partner expert catches up", async () => {
    const kham = await partner.registerUser("dr.kham");
    // The province adds a second partner expert and rewords a rule while the partner is down.
    const changed = writeProvince(servers.local, servers.partner, (text) =>
      text
        .replace(/^(\s+)(- \{ user_id: "@dr\.noy:[^\n]+)$/m, `$1$2\n$1- { user_id: "${kham.userId}", name: "Dr Kham (partner hospital)", specialty: paediatrics, language: en }`)
        .replace('ID number or phone number."', 'ID number or phone number, in any room."'),
    );
    // Keys for what the obstetrician sends next reach the partner expert's phone through an
    // encrypted channel between their devices; opening one needs the partner server, so it
    // is opened now. (A first message to a device whose server is down stays unreadable to it.)
    await obstetrician.send(room.experts, "before the partner goes away");
    await noy.waitFor((e) => e.getContent().body === "before the partner goes away", 30_000, "the obstetrician's message");
    await partner.stop();
    let caseId = "";
    try {
      // Local people in a local room, and in the experts' room that has a remote member: answered as usual.
      const district = await roundTrip(nurse, room.north, "!help");
      const experts = await roundTrip(obstetrician, room.experts, "!whoami");
      report(`with the partner server down: !help in a district room ${district.ms.toFixed(0)} ms, !whoami in the experts' room ${experts.ms.toFixed(0)} ms`);
      const request = await nurse.send(room.north, "!consult emergency obstetrics bleeding after delivery, second case");
      const card = await nurse.waitFor((e) => isAnswerTo(request, botId())(e) && /\bFL-\d{4}\b/.test(String(e.getContent().body)), 30_000, "the consult card");
      caseId = /\b(FL-\d{4})\b/.exec(String(card.getContent().body))![1]!;
      // The page to the partner expert goes out all the same, and the experts' room is told it did not reach them.
      const page = await obstetrician.waitFor(
        (e) => e.getSender() === botId() && e.getRoomId() === room.experts && String(e.getContent().body).includes(caseId),
        30_000,
        "the page in the experts' room",
      );
      const notice = await obstetrician.waitFor(isAnswerTo(page.getId()!, botId()), 30_000, "the notice that the page did not reach the partner expert");
      expect(notice.getContent().body).toContain(`This did not reach Dr Noy (partner hospital): their hospital's server (${partner.serverName}) is not answering.`);
      await obstetrician.send(room.experts, "sent while the partner was away");

      // apply finishes everything local (the reworded rule is pinned) and reports the invites it could not deliver.
      const run = await captureMain(["--state", p.deployment.dir, "apply", changed]);
      expect(run.code).not.toBe(0);
      expect(run.err).toContain(`could not invite ${kham.userId}`);
      expect(run.err).toContain(`their server ${partner.serverName}`);
      const loaded = loadProvince(changed);
      if (!loaded.ok) throw new Error("the changed province does not load");
      const { plan } = await new Applier(admin, loaded.province, new OnboardingSheet(p.deployment.path("onboarding")), () => "").plan(false);
      expect(plan.changes.map((c) => (c.kind === "join" ? `${c.kind} ${c.userId} ${c.room.key} remote=${c.remote}` : c.kind)).sort()).toEqual([
        `join ${kham.userId} experts remote=true`,
        `join ${kham.userId} space remote=true`,
      ]);
    } finally {
      await partner.start();
    }
    // The partner expert's phone reconnects to their own server and is answered again. What
    // their server sends tells the province's server it is back, so what it missed follows
    // at once (otherwise at Synapse's next retry: see loopbackFederationOverrides).
    const back = await roundTrip(noy, room.experts, "!whoami");
    report(`after the partner server restarted: the partner expert's !whoami answered in ${back.ms.toFixed(0)} ms`);
    // What was sent meanwhile arrives as a gap in the timeline (Synapse sends a returning
    // server only the latest events and it fetches the rest): read back, as Element does.
    await readBack(noy, room.experts, (e) => e.getContent().body === "sent while the partner was away", "what was sent while the partner was down");
    // The page sent while they were away reached them, and they take the case from their server.
    await readBack(noy, room.experts, (e) => e.getSender() === botId() && String(e.getContent().body).includes(caseId), "the page sent while the partner was down");
    await noy.send(room.experts, `!ack ${caseId}`);
    await nurse.waitFor(
      (e) => e.getRoomId() === room.north && /Dr Noy .* is answering/.test(String(e.getContent().body)) && String(e.getContent().body).includes(caseId),
      30_000,
      "the thread told who is answering",
    );
    // And the next apply delivers the invites.
    expect((await captureMain(["--state", p.deployment.dir, "apply", changed])).code).toBe(0);
    expect(await membership(room.experts, kham.userId)).toBe("invite");
    expect(await membership(room.space, kham.userId)).toBe("invite");
  }, 240_000);
});
