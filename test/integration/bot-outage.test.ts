// The real bot (`mchlink bot`, a child process) when its homeserver goes away: Synapse restarted
// while the bot is answering a burst of commands, then stopped for OUTAGE_MS. The same bot process
// reconnects, catches up and answers every command exactly once; nothing goes undecryptable.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { botPaths } from "../../src/homeserver/deployment.ts";
import { isAlive } from "../../src/homeserver/process.ts";
import { readJsonIfExists } from "../../src/util/files.ts";
import { botRig } from "../support/bot-rig.ts";
import { collectAnswers, logLines, notAnsweredOnce, seededRandom, sleep, STREAM_COMMANDS, undecryptable, type SentCommand } from "../support/faults.ts";

/** How long Synapse stays down: the outage issue 6 asks the bot to ride out. */
const OUTAGE_MS = 30_000;
const SEED = 6;

describe("the bot when Synapse restarts and when it is down", () => {
  const rig = botRig("outage", [
    ["nurse-n1", "district:north"],
    ["nurse-s1", "district:south"],
  ]);

  it(`answers every command exactly once around a restart and a ${OUTAGE_MS / 1000} s outage`, async () => {
    rig.keepLogsIfFailed();
    const { hs, p, providers, botUserId } = rig;
    const random = seededRandom(SEED);
    const start = Date.now();
    const sent: SentCommand[] = [];
    // Commands sent back to back: the bot is still answering them when Synapse goes away.
    const burst = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const provider = providers[i % providers.length]!;
        const { body } = random.pick(STREAM_COMMANDS);
        sent.push({ eventId: await provider.client.send(provider.roomId, body), body, provider });
      }
    };

    await burst(8);
    await hs.restart();
    await burst(4);
    await sleep(random.int(0, 500));
    await burst(8);
    await hs.stop();
    await sleep(OUTAGE_MS);
    await hs.start();
    await burst(4);

    const rooms = await collectAnswers(sent, providers, botUserId, start, 90_000);
    expect(notAnsweredOnce(sent, rooms, botUserId), `${sent.length} commands`).toEqual([]);
    expect(undecryptable(rooms)).toEqual([]);

    // The same process rode it out: it reconnected rather than being restarted.
    expect(isAlive(rig.bot!.pid)).toBe(true);
    expect(readJsonIfExists<{ pid: number }>(botPaths(p.deployment).status)?.pid).toBe(rig.bot!.pid);
    const log = readFileSync(rig.botLog, "utf8");
    expect(logLines(log, "bot started")).toHaveLength(1);
    expect(logLines(log, "could not decrypt a message")).toEqual([]);
    expect(logLines(log, "event handling failed")).toEqual([]);
    expect(logLines(log, "room task failed")).toEqual([]);

    expect(await rig.bot!.stop()).toEqual({ code: 0, signal: null });
    rig.bot = undefined;
  }, 170_000);
});
