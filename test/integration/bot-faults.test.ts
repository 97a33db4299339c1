// The real bot (`mchlink bot`, a child process) against a real Synapse and real E2EE providers:
// SIGKILLed at random moments during a stream of commands across two district rooms, it answers
// every command exactly once and nothing goes undecryptable; and guide cards come back in the
// sender's language, with their sources and the disclaimer.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { botPaths } from "../../src/bot/main.ts";
import { loadCards } from "../../src/guides/index.ts";
import { localize, t } from "../../src/i18n/index.ts";
import { startBotProcess, provisionWithCli, roomAlias, type BotProcess } from "../support/bot-process.ts";
import { isAnswerTo, loginClient, type TestClient } from "../support/clients.ts";
import { collectAnswers, logLines, notAnsweredOnce, seededRandom, sleep, STREAM_COMMANDS, undecryptable, waitForWelcomes, type Provider, type SentCommand } from "../support/faults.ts";
import type { TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

/** Change it to replay another run; a failure names the seed. */
const SEED = 20261125;
const KILL_ROUNDS = 4;

describe("the bot under SIGKILL", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let logs: string;
  let botLog: string;
  let bot: BotProcess | undefined;
  let botUserId: string;
  const clients: TestClient[] = [];
  let failed = false;
  const providers: Provider[] = [];
  const login = async (localpart: string) => {
    const c = await loginClient(hs.baseUrl, localpart, p.password(localpart));
    clients.push(c);
    return c;
  };
  const send = (provider: Provider, body: string) => provider.client.send(provider.roomId, body);

  beforeAll(async () => {
    logs = mkdtempSync(join(tmpdir(), "mchlink-faults-logs-"));
    botLog = join(logs, "bot.log");
    hs = await startTestSynapse();
    p = await provisionWithCli(hs, join(logs, "apply.log"));
    botUserId = p.userId(p.province.bot.id);
    const started = startBotProcess(p, botLog);
    const [n1, n2, s1] = await Promise.all(["nurse-n1", "nurse-n2", "nurse-s1"].map(login));
    bot = await started;
    const north = (await n1!.client.getRoomIdForAlias(roomAlias(p, "district:north"))).room_id;
    const south = (await s1!.client.getRoomIdForAlias(roomAlias(p, "district:south"))).room_id;
    providers.push({ client: n1!, roomId: north }, { client: n2!, roomId: north }, { client: s1!, roomId: south });
    await waitForWelcomes(providers, botUserId);
  });

  afterAll(async () => {
    for (const c of clients) await c.stop();
    await bot?.kill();
    await hs?.destroy();
    if (p) rmSync(p.deployment.dir, { recursive: true, force: true });
    // Kept after a failure: the bot's own log says what it did.
    if (logs && !failed) rmSync(logs, { recursive: true, force: true });
    if (failed) process.stderr.write(`the bot's log and the CLI output are kept in ${logs}\n`);
  });

  it(`answers every command exactly once through ${KILL_ROUNDS} SIGKILLs (seed ${SEED})`, async () => {
    onTestFailed(() => {
      failed = true;
    });
    const random = seededRandom(SEED);
    const streamStart = Date.now();
    const sent: SentCommand[] = [];
    const chatter: string[] = [];
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        const provider = random.pick(providers);
        const command = random.pick(STREAM_COMMANDS);
        sent.push({ eventId: await send(provider, command.body), body: command.body, provider });
        // Now and then a message that is not a command: the bot must not answer it.
        if (random.next() < 0.1) chatter.push(await send(provider, "a question for the nurses, not the bot"));
        await sleep(random.int(50, 400));
      }
    })();
    const pids: number[] = [bot!.pid];
    try {
      for (let round = 0; round < KILL_ROUNDS; round++) {
        await sleep(random.int(200, 2500));
        expect((await bot!.kill()).signal).toBe("SIGKILL");
        bot = undefined;
        // Sometimes the stream goes on for a while with nobody answering.
        if (random.next() < 0.5) await sleep(random.int(100, 1500));
        bot = await startBotProcess(p, botLog);
        pids.push(bot.pid);
      }
      await sleep(random.int(500, 1500));
    } finally {
      streaming = false;
      await stream;
    }
    expect(new Set(pids).size).toBe(KILL_ROUNDS + 1);

    const rooms = await collectAnswers(sent, providers, botUserId, streamStart);
    expect(notAnsweredOnce(sent, rooms, botUserId), `seed ${SEED}, ${sent.length} commands`).toEqual([]);
    expect(chatter.filter((id) => [...rooms.values()].flat().some(isAnswerTo(id, botUserId)))).toEqual([]);
    expect(undecryptable(rooms)).toEqual([]);
    const log = readFileSync(botLog, "utf8");
    expect(logLines(log, "could not decrypt a message")).toEqual([]);
    expect(logLines(log, "event handling failed")).toEqual([]);
    expect(logLines(log, "room task failed")).toEqual([]);
    expect(logLines(log, "bot started")).toHaveLength(KILL_ROUNDS + 1);
    const db = new DatabaseSync(botPaths(p.deployment).database, { readOnly: true });
    try {
      expect(db.prepare("SELECT value FROM counters WHERE name = 'decryption_failures'").get()?.value ?? 0).toBe(0);
    } finally {
      db.close();
    }
  }, 150_000);

  it("answers !guide pph in Lao for a Lao-preferring provider, and in English after !lang en, with sources and the disclaimer", async () => {
    onTestFailed(() => {
      failed = true;
    });
    const cards = await loadCards();
    if (!cards.ok) throw new Error("the guideline cards do not load");
    const pph = cards.cards.find((c) => c.id === "pph")!;
    const nurse: Provider = { client: await login("nurse-s2"), roomId: providers[2]!.roomId };
    expect(p.province.people.find((x) => x.id === "nurse-s2")?.language).toBe("lo");
    await waitForWelcomes([nurse], botUserId);

    const expectCard = async (lang: "lo" | "en") => {
      const id = await send(nurse, "!guide pph");
      const answer = await nurse.client.waitFor(isAnswerTo(id, botUserId), 30_000, `the ${lang} card`);
      const content = answer.getContent() as { msgtype: string; body: string; formatted_body: string };
      expect(answer.isEncrypted()).toBe(true);
      expect(content.msgtype).toBe("m.notice");
      for (const text of [content.body, content.formatted_body]) {
        expect(text).toContain(localize(lang, pph.title));
        expect(text).toContain(localize(lang, pph.disclaimer));
        expect(text).toContain(t(lang, "guide.last_reviewed", { date: pph.last_reviewed }));
      }
      for (const s of pph.sources) expect(content.body).toContain(t(lang, "guide.source", { title: s.title, publisher: s.publisher, year: s.year }));
      return content.body;
    };

    const lao = await expectCard("lo");
    expect(lao).not.toContain(pph.title.en);
    const langId = await send(nurse, "!lang en");
    const changed = await nurse.client.waitFor(isAnswerTo(langId, botUserId));
    expect(changed.getContent().body).toBe(t("en", "language.changed"));
    const english = await expectCard("en");
    expect(english).not.toContain(pph.title.lo);
  });
});
