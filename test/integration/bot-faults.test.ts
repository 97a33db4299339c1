// The real bot (`mchlink bot`, a child process) against a real Synapse and real E2EE providers:
// SIGKILLed at random moments during a stream of commands across two district rooms, it answers
// every command exactly once and nothing goes undecryptable; and guide cards come back in the
// sender's language, a DRAFT banner first while unreviewed, with their sources and the
// disclaimer, and a query that could mean several cards gets the candidates.
import { readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { botPaths } from "../../src/homeserver/deployment.ts";
import { loadCards } from "../../src/guides/index.ts";
import { localize, t } from "../../src/i18n/index.ts";
import { botRig } from "../support/bot-rig.ts";
import { isAnswerTo } from "../support/clients.ts";
import { collectAnswers, logLines, notAnsweredOnce, seededRandom, sleep, STREAM_COMMANDS, undecryptable, waitForWelcomes, type Provider, type SentCommand } from "../support/faults.ts";

/** Change it to replay another run; a failure names the seed. */
const SEED = 20261125;
const KILL_ROUNDS = 4;

describe("the bot under SIGKILL", () => {
  const rig = botRig("faults", [
    ["nurse-n1", "district:north"],
    ["nurse-n2", "district:north"],
    ["nurse-s1", "district:south"],
  ]);
  const send = (provider: Provider, body: string) => provider.client.send(provider.roomId, body);

  it(`answers every command exactly once through ${KILL_ROUNDS} SIGKILLs (seed ${SEED})`, async () => {
    rig.keepLogsIfFailed();
    const { p, providers, botUserId, botLog } = rig;
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
    const pids: number[] = [rig.bot!.pid];
    try {
      for (let round = 0; round < KILL_ROUNDS; round++) {
        await sleep(random.int(200, 2500));
        expect((await rig.bot!.kill()).signal).toBe("SIGKILL");
        rig.bot = undefined;
        // Sometimes the stream goes on for a while with nobody answering.
        if (random.next() < 0.5) await sleep(random.int(100, 1500));
        pids.push((await rig.startBot()).pid);
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

  it("answers !guide pph in Lao for a Lao-preferring provider, and in English after !lang en: DRAFT banner first, sources, disclaimer; !guide bleeding at 30 weeks lists the candidates", async () => {
    rig.keepLogsIfFailed();
    const { p, providers, botUserId } = rig;
    const cards = await loadCards();
    if (!cards.ok) throw new Error("the guideline cards do not load");
    const pph = cards.cards.find((c) => c.id === "pph")!;
    const nurse: Provider = { client: await rig.login("nurse-s2"), roomId: providers[2]!.roomId };
    expect(p.province.people.find((x) => x.id === "nurse-s2")?.language).toBe("lo");
    await waitForWelcomes([nurse], botUserId);

    const expectCard = async (lang: "lo" | "en") => {
      const id = await send(nurse, "!guide pph");
      const answer = await nurse.client.waitFor(isAnswerTo(id, botUserId), 30_000, `the ${lang} card`);
      const content = answer.getContent() as { msgtype: string; body: string; formatted_body?: string; format?: string };
      expect(answer.isEncrypted()).toBe(true);
      expect(content.msgtype).toBe("m.notice");
      // Plain text only: an HTML copy would double what every phone in the room downloads.
      expect(content.formatted_body).toBeUndefined();
      expect(content.format).toBeUndefined();
      const text = content.body;
      expect(text).toContain(localize(lang, pph.title));
      expect(text).toContain(localize(lang, pph.disclaimer));
      // No clinician has reviewed it: the DRAFT banner, in both languages, comes first.
      const [first, second] = text.split("\n");
      expect(first).toBe(`⚠ ${t("en", "guide.draft_banner")}`);
      expect(second).toBe(`⚠ ${t("lo", "guide.draft_banner")}`);
      expect(text.indexOf(t("lo", "guide.draft_banner"))).toBeLessThan(text.indexOf(localize(lang, pph.title)));
      for (const s of pph.sources) expect(text).toContain(t(lang, "guide.source", { title: s.title, publisher: s.publisher, year: s.year }));
      return text;
    };

    const lao = await expectCard("lo");
    expect(lao).not.toContain(pph.title.en);
    const langId = await send(nurse, "!lang en");
    const changed = await nurse.client.waitFor(isAnswerTo(langId, botUserId));
    expect(changed.getContent().body).toBe(t("en", "language.changed"));
    const english = await expectCard("en");
    expect(english).not.toContain(pph.title.lo);

    // Bleeding before birth: the candidates and how to open each, never the PPH card.
    const listId = await send(nurse, "!guide bleeding at 30 weeks");
    const list = (await nurse.client.waitFor(isAnswerTo(listId, botUserId), 30_000, "the candidates")).getContent() as { body: string };
    expect(list.body).toContain(t("en", "guide.candidates", { query: "bleeding at 30 weeks" }));
    expect(list.body).toContain("!guide antepartum-haemorrhage");
    expect(list.body).not.toContain("!guide pph");
    expect(list.body).not.toContain(t("en", "guide.draft_banner"));
  });
});
