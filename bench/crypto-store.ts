// `npm run bench -- --crypto-store`: how much of the bot's extra round-trip time its durable
// crypto store makes. The same bot, on the same Synapse and province, answers `!guide pph`
// alternating with the echo floor, as in the main round trip, started three ways in turn:
// - durable: as in production (matrix-sdk-crypto's IndexedDB store, kept in a SQLite file that
//   each commit fsyncs, src/matrix/crypto-store.ts);
// - no-fsync: the same store with its commits not waiting for the disk (a preload), which tells
//   the cost of the writes apart from that of the reads;
// - memory: the Rust crypto state in memory, as the floor's bare clients keep it (a preload).
//   A bot run so loses its keys when it stops: this is a measurement, never a way to run.
// Each start is a new device (the store of the one before is removed, as an admin would after a
// lost disk), so no variant inherits the other's keys. The order of the variants turns over
// between repeats, so the drift of a long run falls on each alike.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { botPaths } from "../src/homeserver/deployment.ts";
import { repoRoot } from "../src/homeserver/paths.ts";
import { BotProcess } from "./bot-process.ts";
import { type BotBenchOptions, castOf, COMMAND, PING, sendersFor, welcomed } from "./bot.ts";
import { startEchoProcess, type EchoProcess } from "./echo-process.ts";
import { latencies, median, percentile, ratio, round, rounded, type Latencies } from "./stats.ts";
import { alternatingRoundTrips, Answers, type Sender } from "./traffic.ts";

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export type StoreVariant = "durable" | "no-fsync" | "memory";

const VARIANTS: Record<StoreVariant, { preload?: string; says?: string; about: string }> = {
  durable: { about: "the durable store, as in production" },
  "no-fsync": { preload: "no-fsync-crypto-store.ts", says: "crypto store: synchronous=OFF", about: "the durable store, commits not waiting for the disk" },
  memory: { preload: "memory-crypto-store.ts", says: "crypto store: in memory", about: "the crypto state in memory only, as the floor keeps it" },
};

export interface StoreVariantRun {
  variant: StoreVariant;
  repeat: number;
  bot: Latencies;
  floor: Latencies;
  ratioP50: number;
  ratioP99: number;
  /** Crypto store transactions per bot round trip, and the time spent writing them (0 in memory). */
  commitsPerRoundTrip: number;
  writeMsPerRoundTrip: number;
  rssMiB: number;
}

export interface CryptoStoreResult {
  command: string;
  roomMembers: number;
  warmup: number;
  runs: number;
  repeats: number;
  order: StoreVariant[][];
  variants: StoreVariantRun[];
  /**
   * Each variant's ratios, start by start, and their mean. Ratios are taken within a start, where bot
   * and floor alternate; samples of different starts are not pooled, because absolute times drift
   * during the phase (the room's history grows) and a pooled median then falls between the starts.
   */
  summary: Array<{ variant: StoreVariant; about: string; ratiosP50: number[]; ratiosP99: number[]; meanRatioP50: number; meanRatioP99: number }>;
}

export interface CryptoStoreOptions extends Pick<BotBenchOptions, "hs" | "deployment" | "province" | "configPath" | "sendersPerRoom"> {
  warmup: number;
  runs: number;
  repeats: number;
}

/** Until the bot answers: a new device's first messages can reach senders that do not know it yet. */
async function answered(sender: Sender, tries: number): Promise<void> {
  for (let i = 1; ; i++) {
    const id = await sender.client.send(sender.roomId, "!whoami");
    try {
      await sender.answers.wait(id, 20_000);
      return;
    } catch (err) {
      if (i >= tries) throw new Error(`the bot did not answer after a restart (${tries} tries): ${String(err)}`);
    }
  }
}

export async function benchCryptoStore(o: CryptoStoreOptions): Promise<CryptoStoreResult> {
  const cast = await castOf(o);
  const paths = botPaths(o.deployment);
  log("crypto store: first start (welcomes)");
  let bot = await BotProcess.start(o.deployment, o.configPath);
  const senderClients = await sendersFor(o, cast);
  let echo: EchoProcess | undefined;
  const order: StoreVariant[][] = [];
  const variants: StoreVariantRun[] = [];
  try {
    const ids = cast.people.map(({ ids }) => ids[o.sendersPerRoom]!);
    echo = await startEchoProcess(
      o.hs.baseUrl,
      PING,
      ids.map((id) => ({ user: id, password: cast.password(id) })),
    );
    const echoUserIds = echo.userIds;
    const botSenders = await welcomed(senderClients, cast.botUserId);
    const botSender = botSenders[0]!;
    const floorSender: Sender = {
      client: botSender.client,
      roomId: botSender.roomId,
      answers: new Answers(botSender.client, echoUserIds[cast.rooms.findIndex((r) => r.roomId === botSender.roomId)]!),
    };
    const roomMembers = botSender.client.client.getRoom(botSender.roomId)?.getJoinedMemberCount() ?? 0;
    await bot.stop();

    const names = Object.keys(VARIANTS) as StoreVariant[];
    for (let repeat = 0; repeat < o.repeats; repeat++) {
      const turn = repeat % 2 === 0 ? names : [...names].reverse();
      order.push(turn);
      for (const variant of turn) {
        const v = VARIANTS[variant];
        rmSync(paths.cryptoDir, { recursive: true, force: true });
        bot = await BotProcess.start(o.deployment, o.configPath, 180_000, v.preload ? ["--import", join(repoRoot, "bench", "preload", v.preload)] : []);
        if (v.says && !bot.saidDiagnostic(v.says)) throw new Error(`the ${variant} bot did not load its preload (${v.preload})`);
        await answered(botSender, 5);
        const commits0 = await bot.metric("mchlink_crypto_store_commits_total");
        const write0 = await bot.metric("mchlink_crypto_store_write_seconds_total");
        const [b, f] = await alternatingRoundTrips({ sender: botSender, body: () => COMMAND }, { sender: floorSender, body: (i) => `${PING} ${i}` }, o.warmup, o.runs);
        const trips = o.warmup + o.runs;
        const commits = ((await bot.metric("mchlink_crypto_store_commits_total")) - commits0) / trips;
        const writeMs = (((await bot.metric("mchlink_crypto_store_write_seconds_total")) - write0) * 1000) / trips;
        if (variant === "memory" && commits !== 0) throw new Error(`the in-memory bot wrote ${commits} crypto store commits per round trip: the preload did not take`);
        const run: StoreVariantRun = {
          variant,
          repeat,
          bot: rounded(latencies(b)),
          floor: rounded(latencies(f)),
          ratioP50: ratio(median(b), median(f)),
          ratioP99: ratio(percentile(b, 99), percentile(f, 99)),
          commitsPerRoundTrip: round(commits, 2),
          writeMsPerRoundTrip: round(writeMs, 2),
          rssMiB: bot.memory().rssMiB,
        };
        variants.push(run);
        log(
          `  ${variant} (repeat ${repeat + 1}): bot p50 ${run.bot.p50} / p99 ${run.bot.p99} ms, floor ${run.floor.p50} / ${run.floor.p99} ms: ` +
            `${run.ratioP50}x / ${run.ratioP99}x; ${run.commitsPerRoundTrip} commits and ${run.writeMsPerRoundTrip} ms of writes per round trip`,
        );
        await bot.stop();
      }
    }
    return {
      command: COMMAND,
      roomMembers,
      warmup: o.warmup,
      runs: o.runs,
      repeats: o.repeats,
      order,
      variants,
      summary: names.map((variant) => {
        const runs = variants.filter((v) => v.variant === variant);
        const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length, 2);
        return {
          variant,
          about: VARIANTS[variant].about,
          ratiosP50: runs.map((v) => v.ratioP50),
          ratiosP99: runs.map((v) => v.ratioP99),
          meanRatioP50: mean(runs.map((v) => v.ratioP50)),
          meanRatioP99: mean(runs.map((v) => v.ratioP99)),
        };
      }),
    };
  } finally {
    await echo?.stop();
    await Promise.all(senderClients.map((c) => c.client.stop()));
    await bot.stop().catch(() => undefined);
  }
}

export function renderCryptoStore(r: CryptoStoreResult): string {
  const lines = [
    "## Where the bot's extra round-trip time goes: its crypto store (issue 12)",
    "",
    `\`${r.command}\` in a district room of ${r.roomMembers} members, ${r.runs} round trips per start after ${r.warmup} not kept, alternating with the echo floor as in the main round trip. ` +
      `The same bot started three ways, ${r.repeats} times each (order per repeat: ${r.order.map((o) => o.join(", ")).join("; ")}), each start a new device. ` +
      "The no-fsync and in-memory variants are diagnostic preloads (bench/preload/); the bot never runs so.",
    "",
    "Ratios are taken within each start, where bot and floor alternate, then averaged over the starts. Samples of different starts are not pooled: " +
      "absolute times drift during the phase (the room's history grows), and a pooled median falls between the starts.",
    "",
    "| variant | ratio p50, start by start | mean | ratio p99, start by start | mean |",
    "| --- | --- | --- | --- | --- |",
    ...r.summary.map(
      (v) =>
        `| ${v.variant}: ${v.about} | ${v.ratiosP50.map((x) => `${x.toFixed(2)}x`).join(", ")} | ${v.meanRatioP50.toFixed(2)}x | ${v.ratiosP99.map((x) => `${x.toFixed(2)}x`).join(", ")} | ${v.meanRatioP99.toFixed(2)}x |`,
    ),
    "",
    "Each start:",
    "",
    "| variant | repeat | bot p50 / p99 | floor p50 / p99 | ratio p50 / p99 | crypto store commits / write ms per round trip | RSS after |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...r.variants.map(
      (v) =>
        `| ${v.variant} | ${v.repeat + 1} | ${v.bot.p50} / ${v.bot.p99} ms | ${v.floor.p50} / ${v.floor.p99} ms | ${v.ratioP50.toFixed(2)}x / ${v.ratioP99.toFixed(2)}x | ${v.commitsPerRoundTrip} / ${v.writeMsPerRoundTrip} ms | ${v.rssMiB} MiB |`,
    ),
    "",
  ];
  return lines.join("\n");
}
