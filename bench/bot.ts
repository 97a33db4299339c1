// The bot's figures (issues 3 and 6), each next to a floor of bare clients in
// the same rooms of the same Synapse: command round trip, sustained load,
// start-up with a warm store, and resident memory over many handled messages.
// The bot runs as `mchlink bot` in its own process, and the floor's echo
// clients in one of theirs; the senders are the same clients in this process
// for both. Round trips to the bot and to an echo client alternate, both
// listening all the while, so drift in the machine's load hits both alike.
// The sustained-load steps alternate the same way (bot, then floor, at each rate,
// both running), and each side's rate is then refined between its last good rate
// and its first missed one. The backlog for the warm start is the echo clients'
// traffic sent while the bot is stopped.
import { districtOfFacility } from "../src/config/lookup.ts";
import type { Province } from "../src/config/schema.ts";
import type { Deployment } from "../src/homeserver/deployment.ts";
import { enc } from "../src/matrix/http.ts";
import { desiredState } from "../src/provision/desired.ts";
import { OnboardingSheet } from "../src/provision/sheet.ts";
import { mapLimited } from "../src/util/concurrency.ts";
import { loginClient, type TestClient } from "../test/support/clients.ts";
import type { TestSynapse } from "../test/support/synapse.ts";
import { BotProcess } from "./bot-process.ts";
import { cpuMeter, synapsePid, type CpuShare } from "./cpu.ts";
import { latencies, linearFit, median, percentile, ratio, round, rounded, type Latencies } from "./stats.ts";
import { startEchoProcess, type EchoProcess } from "./echo-process.ts";
import { alternatingRoundTrips, Answers, conversation, loadStep, roundTrips, type LoadStep, type Sender } from "./traffic.ts";

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export const COMMAND = "!guide pph";
/**
 * A consult request with every essential in it (no case template follows) and no
 * number that looks like a phone or ID (no privacy reminder): the answer timed is
 * the card that pages the on-call expert.
 */
const CONSULT = (i: number) => `!consult emergency bench case ${i}: G2P1, 38 weeks, delivered 30 min ago, heavy bleeding, BP 90/60, pulse 120, oxytocin given`;
export const PING = "bench-ping";
/** The memory run cycles through these, so that it exercises more than one handler. */
const COMMANDS = ["!guide pph", "!rules", "!whoami", "!help", "!guide newborn"];

export interface BotBenchOptions {
  hs: TestSynapse;
  deployment: Deployment;
  province: Province;
  configPath: string;
  sendersPerRoom: number;
  warmup: number;
  roundTrips: number;
  loadRates: number[];
  loadStepMs: number;
  drainMs: number;
  p99LimitMs: number;
  warmStarts: number;
  messages: number;
  chatPerCommand: number;
  memoryMaxMs: number;
  sampleEvery: number;
  /** Synapse's processes for the CPU figures, by name (workers: one each); default the one process in hs.dataDir. */
  synapsePids?: () => Record<string, number | undefined>;
}

export interface StepSummary {
  rate: number;
  sent: number;
  answered: number;
  latency: Latencies;
  ok: boolean;
  cpu: CpuShare;
}

export interface LoadFigure {
  steps: StepSummary[];
  /** The highest offered rate (messages/s) answered in full with p99 under the limit. */
  sustained: number;
}

export interface BotResult {
  setup: { districtRooms: number; senders: number; echoes: number; roundTripRoom: string; roundTripRoomMembers: number };
  roundTrip: {
    command: string;
    bot: Latencies;
    floor: Latencies;
    ratioP50: number;
    ratioP90: number;
    ratioP99: number;
    goal: number;
    goalMet: boolean;
    /** Where the bot's time went, from its debug log (present when the bench ran with MCHLINK_LOG_LEVEL=debug). */
    phases?: Record<string, { n: number; p50: number; p99: number }>;
  };
  /** `!consult emergency …`: the consult card that pages the on-call expert, against the same floor alternated with it. */
  consultRoundTrip?: { command: string; bot: Latencies; floor: Latencies; ratioP50: number; ratioP90: number; ratioP99: number; goal: number; goalMet: boolean };
  load: { p99LimitMs: number; stepMs: number; command: string; bot: LoadFigure; floor: LoadFigure; ratio: number };
  startup: {
    /** First start: a new device, its keys and cross-signing. */
    coldMs: number;
    /** Warm store, nothing to catch up: spawn until status.json. */
    warmMs: number[];
    /** For each warm start, from spawn to the bot's own log lines ("crypto store opened", "bot started"). */
    warmMilestones: Array<Record<string, number>>;
    warmMedianMs: number;
    /** Spawn until the answer to a command sent right after status.json. */
    firstAnswerMs: number[];
    /** Warm store with the floor's messages (sent while it was stopped) to read back: ready, and answered in every district room. */
    backlog: { messages: number; readyMs: number; caughtUpMs: number };
    /** SIGTERM until exit; the bench sends SIGKILL after a grace period. */
    stops: Array<{ exitedOnTerm: boolean; ms: number }>;
  };
  memory: {
    target: number;
    handled: number;
    commands: number;
    chatPerCommand: number;
    unanswered: number;
    ms: number;
    perSecond: number;
    cpu: CpuShare;
    samples: Array<{ handled: number; rssMiB: number; fileMiB?: number; anonMiB?: number; ms: number; heapMiB?: number; heapTotalMiB?: number; externalMiB?: number }>;
    /** The lowest JavaScript heap in use seen in each quarter of the run: after a collection, so a leak raises them. */
    heapLowsByQuarterMiB?: number[];
    rssAtStartMiB: number;
    rssAtHalfMiB: number | undefined;
    rssAtEndMiB: number;
    peakMiB: number;
    /** Samples lower than both neighbours: where the garbage collector gave memory back, the baseline a leak would raise. */
    troughs: Array<{ handled: number; rssMiB: number }>;
    /** Over the second half: the fitted change, and the scatter of the samples around the fit. */
    secondHalf: { fromHandled: number; growthMiB: number; noiseMiB: number; flat: boolean } | undefined;
  };
}

function summarise(step: LoadStep, limit: number, cpu: CpuShare): StepSummary {
  const latency = latencies(step.latenciesMs);
  return { rate: step.rate, sent: step.sent, answered: step.answered, latency: rounded(latency), ok: step.answered === step.sent && latency.p99 <= limit, cpu };
}

type Pids = Record<string, number | undefined>;

function comparison(command: string, bot: number[], floor: number[]): NonNullable<BotResult["consultRoundTrip"]> {
  return {
    command,
    bot: rounded(latencies(bot)),
    floor: rounded(latencies(floor)),
    ratioP50: ratio(median(bot), median(floor)),
    ratioP90: ratio(percentile(bot, 90), percentile(floor, 90)),
    ratioP99: ratio(percentile(bot, 99), percentile(floor, 99)),
    goal: 1.2,
    goalMet: median(bot) <= 1.2 * median(floor),
  };
}

interface LoadSide {
  label: string;
  senders: Sender[];
  pids: Pids;
  body: (i: number) => string;
}

/** Halvings between the last rate sustained and the first one missed, so the figure is finer than the rate ladder. */
const REFINEMENTS = 2;

/**
 * Sustained load for the bot and its floor, their steps alternating at each rate (both
 * running all along, as in the round trips), so that the shared machine's drift hits both
 * alike. Once a side misses a rate, the rates between its last good one and that are halved
 * REFINEMENTS times for it alone.
 */
async function alternatingStepUp(sides: LoadSide[], o: BotBenchOptions): Promise<LoadFigure[]> {
  const figures = sides.map((): { steps: StepSummary[]; good: number; missed?: number } => ({ steps: [], good: 0 }));
  const step = async (i: number, rate: number): Promise<boolean> => {
    const side = sides[i]!;
    const meter = cpuMeter(side.pids);
    const s = summarise(await loadStep(side.senders, rate, o.loadStepMs, side.body, o.drainMs), o.p99LimitMs, meter.read());
    figures[i]!.steps.push(s);
    const cpu = Object.entries(s.cpu.processes)
      .map(([name, pct]) => `${name} ${pct}%`)
      .join(", ");
    log(
      `  ${side.label} ${round(rate, 2)}/s: ${s.answered}/${s.sent} answered, p50 ${s.latency.p50} ms, p99 ${s.latency.p99} ms; CPU ${cpu}, machine ${s.cpu.machine}%${s.ok ? "" : " (over the limit)"}`,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    return s.ok;
  };
  for (const rate of o.loadRates) {
    const open = figures.flatMap((f, i) => (f.missed === undefined ? [i] : []));
    if (open.length === 0) break;
    for (const i of open) {
      if (await step(i, rate)) figures[i]!.good = rate;
      else figures[i]!.missed = rate;
    }
  }
  for (let r = 0; r < REFINEMENTS; r++) {
    for (const [i, f] of figures.entries()) {
      if (f.missed === undefined) continue;
      const mid = (f.good + f.missed) / 2;
      if (await step(i, mid)) f.good = mid;
      else f.missed = mid;
    }
  }
  return figures.map((f) => ({ steps: f.steps, sustained: round(f.good, 2) }));
}

/** One message per room, answered: each room's earlier messages were dealt with (rooms are handled in order). */
async function settle(senders: Sender[], body: string, timeoutMs: number): Promise<void> {
  const firstPerRoom = senders.filter((s, i) => senders.findIndex((t) => t.roomId === s.roomId) === i);
  await Promise.all(firstPerRoom.map((s) => roundTrips(s, () => body, 0, 1, timeoutMs)));
}

/**
 * Resident memory (and the JavaScript heap, from the bot's /metrics) while the
 * senders hold a conversation with the bot: ordinary messages it decrypts and
 * passes over, and a command after every few, until `o.messages` were handled.
 */
async function measureMemory(bot: BotProcess, botSenders: Sender[], o: MemoryOptions, synapse: number | undefined): Promise<BotResult["memory"]> {
  log(`bot: resident memory over ${o.messages} handled messages (${o.chatPerCommand} ordinary messages per command)`);
  const samples: BotResult["memory"]["samples"] = [];
  const memStart = performance.now();
  const memoryCpu = cpuMeter({ synapse, bot: bot.pid, clients: process.pid });
  const heapReads: Array<Promise<void>> = [];
  const sample = (handled: number) => {
    const { rssMiB, fileMiB, anonMiB } = bot.memory();
    const entry: BotResult["memory"]["samples"][number] = { handled, rssMiB, fileMiB, anonMiB, ms: round(performance.now() - memStart, 0) };
    samples.push(entry);
    heapReads.push(
      bot.heapMiB().then((read) => {
        if (read) Object.assign(entry, { heapMiB: read.heap }, read.external !== undefined ? { externalMiB: read.external } : {}, read.heapTotal !== undefined ? { heapTotalMiB: read.heapTotal } : {});
      }),
    );
  };
  sample(0);
  let nextSample = o.sampleEvery;
  let nextLog = 1000;
  const run = await conversation(
    botSenders,
    o.chatPerCommand,
    o.messages,
    o.memoryMaxMs,
    (i) => COMMANDS[i % COMMANDS.length]!,
    (handled) => {
      if (handled >= nextSample) {
        sample(handled);
        nextSample += o.sampleEvery;
      }
      if (handled >= nextLog) {
        log(`  ${handled} handled, RSS ${samples.at(-1)!.rssMiB} MiB`);
        nextLog += 1000;
      }
    },
  );
  if (samples.at(-1)!.handled !== run.handled) sample(run.handled);
  await Promise.all(heapReads);
  const quarter = (q: number) => samples.filter((x) => x.heapMiB !== undefined && x.handled >= (q * run.handled) / 4 && x.handled < ((q + 1) * run.handled) / 4 + (q === 3 ? 1 : 0));
  const heapLows = [0, 1, 2, 3].map((q) => Math.min(...quarter(q).map((x) => x.heapMiB!)));
  const memoryCpuShare = memoryCpu.read();
  const peakMiB = bot.memory().peakMiB;

  const half = Math.floor(run.handled / 2);
  const secondHalf = samples.filter((s) => s.handled >= half);
  const fit = secondHalf.length >= 3 ? linearFit(secondHalf.map((s) => [s.handled, s.rssMiB] as const)) : undefined;
  const growthMiB = fit ? fit.b * (run.handled - half) : 0;

  return {
    target: o.messages,
    handled: run.handled,
    commands: run.commands,
    chatPerCommand: o.chatPerCommand,
    unanswered: run.unanswered,
    ms: round(run.ms, 0),
    perSecond: round(run.handled / (run.ms / 1000), 1),
    cpu: memoryCpuShare,
    samples,
    rssAtStartMiB: samples[0]!.rssMiB,
    rssAtHalfMiB: samples.find((s) => s.handled >= half)?.rssMiB,
    rssAtEndMiB: samples.at(-1)!.rssMiB,
    peakMiB,
    ...(heapLows.every(Number.isFinite) ? { heapLowsByQuarterMiB: heapLows } : {}),
    troughs: samples
      .filter((x, i) => i > 0 && i < samples.length - 1 && x.rssMiB < samples[i - 1]!.rssMiB && x.rssMiB <= samples[i + 1]!.rssMiB)
      .map((x) => ({ handled: x.handled, rssMiB: x.rssMiB })),
    secondHalf: fit ? { fromHandled: half, growthMiB: round(growthMiB, 1), noiseMiB: round(fit.residualSd, 1), flat: growthMiB <= 2 * fit.residualSd } : undefined,
  };
}

export type MemoryOptions = Pick<BotBenchOptions, "messages" | "chatPerCommand" | "memoryMaxMs" | "sampleEvery">;

/** The district rooms, and in each the providers (in roster order) with their passwords from the sheet. */
export async function castOf(o: Pick<BotBenchOptions, "deployment" | "province">) {
  const { province } = o;
  const server = province.homeserver.server_name;
  const botUserId = `@${province.bot.id}:${server}`;
  const { http } = await o.deployment.adminSession();
  const sheet = new OnboardingSheet(o.deployment.path("onboarding"));
  const rooms = await Promise.all(
    desiredState(province)
      .rooms.filter((r) => r.kind === "district")
      .map(async (room) => ({ room, roomId: (await http.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(`#${room.alias}:${server}`)}`)).room_id })),
  );
  const people = rooms.map(({ room, roomId }) => ({
    roomId,
    ids: province.people.filter((p) => p.role === "provider" && districtOfFacility(province, p.facility)?.id === room.districtId).map((p) => p.id),
  }));
  const password = (id: string) => {
    const p = sheet.passwordFor(`@${id}:${server}`);
    if (!p) throw new Error(`no password for ${id} in the sheet`);
    return p;
  };
  return { botUserId, http, rooms, people, password };
}

/** Log in the first `perRoom` providers of each district room; resolves once the bot has welcomed and answered each. */
export async function sendersFor(o: Pick<BotBenchOptions, "hs" | "sendersPerRoom">, cast: Awaited<ReturnType<typeof castOf>>) {
  const logins = cast.people.flatMap(({ roomId, ids }) => ids.slice(0, o.sendersPerRoom).map((id) => ({ roomId, id })));
  log(`logging in ${logins.length} providers in ${cast.rooms.length} district rooms`);
  return await mapLimited(logins, 4, async (l) => ({ ...l, client: await loginClient(o.hs.baseUrl, l.id, cast.password(l.id)) }));
}

export async function welcomed(senderClients: Array<{ id: string; roomId: string; client: TestClient }>, botUserId: string): Promise<Sender[]> {
  // The bot welcomes each first login; that has to be over before anything is measured.
  await Promise.all(
    senderClients.map((c) => c.client.waitFor((e) => e.getSender() === botUserId && e.getRoomId() === c.roomId, 120_000, "the welcome").catch(() => log(`  no welcome seen by ${c.id}; going on`))),
  );
  const senders: Sender[] = senderClients.map((c) => ({ client: c.client, roomId: c.roomId, answers: new Answers(c.client, botUserId) }));
  await Promise.all(senders.map((s) => roundTrips(s, () => "!whoami", 1, 0, 120_000)));
  return senders;
}

/**
 * The memory measurement alone (`npm run bench -- --memory-only`): the bot on the
 * province, its providers in conversation with it until `o.messages` were handled.
 */
export async function benchMemoryOnly(o: BotBenchOptions): Promise<BotResult["memory"]> {
  const cast = await castOf(o);
  log("bot: first start");
  const bot = await BotProcess.start(o.deployment, o.configPath);
  const senderClients = await sendersFor(o, cast);
  try {
    const senders = await welcomed(senderClients, cast.botUserId);
    return await measureMemory(bot, senders, o, synapsePid(o.hs.dataDir));
  } finally {
    await Promise.all(senderClients.map((c) => c.client.stop()));
    await bot.stop().catch(() => undefined);
  }
}

export async function benchBot(o: BotBenchOptions): Promise<BotResult> {
  const { hs, province } = o;
  const cast = await castOf(o);
  const { botUserId, http, rooms, people, password } = cast;
  const stops: BotResult["startup"]["stops"] = [];

  log("bot: first start (new device, cross-signing)");
  let bot = await BotProcess.start(o.deployment, o.configPath);
  const coldMs = bot.startMs;

  // In each district room, its first providers send; the next one echoes for the floor.
  const senderClients = await sendersFor(o, cast);
  let echo: EchoProcess | undefined;
  try {
    echo = await startEchoProcess(
      hs.baseUrl,
      PING,
      people.map(({ ids }) => ({ user: ids[o.sendersPerRoom]!, password: password(ids[o.sendersPerRoom]!) })),
    );
    const echoUserIds = echo.userIds;
    const botSenders = await welcomed(senderClients, botUserId);
    const floorSenders: Sender[] = senderClients.map((c) => ({
      client: c.client,
      roomId: c.roomId,
      answers: new Answers(c.client, echoUserIds[rooms.findIndex((r) => r.roomId === c.roomId)]!),
    }));

    log(`round trip: ${COMMAND} to the bot, alternating with a message to the echo client`);
    const tripsFrom = Date.now();
    const [botTrips, floorTrips] = await alternatingRoundTrips({ sender: botSenders[0]!, body: () => COMMAND }, { sender: floorSenders[0]!, body: (i) => `${PING} ${i}` }, o.warmup, o.roundTrips);
    log(`  bot p50 ${round(median(botTrips), 0)} ms, p99 ${round(percentile(botTrips, 99), 0)} ms; floor p50 ${round(median(floorTrips), 0)} ms, p99 ${round(percentile(floorTrips, 99), 0)} ms`);
    const phases = Object.fromEntries(Object.entries(bot.handlingPhases(tripsFrom, Date.now())).map(([k, v]) => [k, { n: v.length, p50: round(median(v), 1), p99: round(percentile(v, 99), 1) }]));
    if (Object.keys(phases).length > 0)
      log(
        `  where the bot's time went: ${Object.entries(phases)
          .map(([k, v]) => `${k} p50 ${v.p50} p99 ${v.p99}`)
          .join(", ")}`,
      );

    log("round trip: !consult emergency (the card that pages the on-call expert), alternating with a message to the echo client; each consult is closed after");
    const consulter = botSenders[0]!;
    const casePattern = new RegExp(`\\b${province.province.case_prefix}-\\d{4,}\\b`);
    const [consultTrips, consultFloorTrips] = await alternatingRoundTrips(
      {
        sender: consulter,
        body: CONSULT,
        // Closed at once, untimed, so that no escalation step fires during the rest of the run.
        after: async (requestId) => {
          const caseId = casePattern.exec(consulter.answers.body(requestId) ?? "")?.[0];
          if (!caseId) throw new Error("the consult card names no case id");
          const closing = await consulter.client.send(consulter.roomId, `!close ${caseId}`);
          await consulter.answers.wait(closing, 30_000);
        },
      },
      { sender: floorSenders[0]!, body: (i) => `${PING} consult ${i}` },
      o.warmup,
      o.roundTrips,
    );
    log(
      `  bot p50 ${round(median(consultTrips), 0)} ms, p99 ${round(percentile(consultTrips, 99), 0)} ms; floor p50 ${round(median(consultFloorTrips), 0)} ms, p99 ${round(percentile(consultFloorTrips, 99), 0)} ms`,
    );

    log("sustained load: the bot and bare clients (one echoing the other from its own process), steps alternating");
    const synapse = synapsePid(hs.dataDir);
    const synapseCpu = () => o.synapsePids?.() ?? { synapse };
    const [botLoad, floorLoad] = (await alternatingStepUp(
      [
        { label: "bot", senders: botSenders, pids: { ...synapseCpu(), bot: bot.pid, clients: process.pid }, body: () => COMMAND },
        { label: "floor", senders: floorSenders, pids: { ...synapseCpu(), echo: echo.pid, clients: process.pid }, body: (i) => `${PING} load ${i}` },
      ],
      o,
    )) as [LoadFigure, LoadFigure];
    await settle(botSenders, "!whoami", 600_000);
    stops.push(await bot.stop());
    log("backlog: the echo clients' traffic while the bot is stopped");
    const backlog = await loadStep(floorSenders, Math.max(1, Math.floor(floorLoad.sustained)), o.loadStepMs, (i) => `${PING} backlog ${i}`, o.drainMs);
    await settle(floorSenders, `${PING} settle`, 300_000);
    await echo.stop();
    for (const s of floorSenders) s.answers.stop();
    const backlogMessages = backlog.sent + rooms.length;

    log(`bot: warm start with ${backlogMessages} messages sent while it was stopped`);
    const spawned = performance.now();
    bot = await BotProcess.start(o.deployment, o.configPath);
    const backlogReadyMs = bot.startMs;
    await settle(botSenders, "!whoami", 600_000);
    const backlogCaughtUpMs = performance.now() - spawned;

    log("bot: warm starts");
    const warmMs: number[] = [];
    const warmMilestones: Array<Record<string, number>> = [];
    const firstAnswerMs: number[] = [];
    for (let i = 0; i < o.warmStarts; i++) {
      stops.push(await bot.stop());
      const started = performance.now();
      bot = await BotProcess.start(o.deployment, o.configPath);
      warmMs.push(round(bot.startMs, 0));
      warmMilestones.push(bot.milestones());
      await roundTrips(botSenders[0]!, () => "!whoami", 0, 1, 120_000);
      firstAnswerMs.push(round(performance.now() - started, 0));
    }
    log(`  ready after ${warmMs.join(", ")} ms; first answer after ${firstAnswerMs.join(", ")} ms`);

    const memory = await measureMemory(bot, botSenders, o, synapse);
    stops.push(await bot.stop());

    const members = (await http.get<{ joined: Record<string, unknown> }>(`/_matrix/client/v3/rooms/${enc(botSenders[0]!.roomId)}/joined_members`)).joined;
    return {
      setup: {
        districtRooms: rooms.length,
        senders: senderClients.length,
        echoes: echoUserIds.length,
        roundTripRoom: rooms.find((r) => r.roomId === botSenders[0]!.roomId)!.room.alias,
        roundTripRoomMembers: Object.keys(members).length,
      },
      consultRoundTrip: comparison(CONSULT(0).replace(/ 0:.*$/, " …"), consultTrips, consultFloorTrips),
      roundTrip: { ...comparison(COMMAND, botTrips, floorTrips), ...(Object.keys(phases).length > 0 ? { phases } : {}) },
      load: {
        p99LimitMs: o.p99LimitMs,
        stepMs: o.loadStepMs,
        command: COMMAND,
        bot: botLoad,
        floor: floorLoad,
        ratio: floorLoad.sustained > 0 ? ratio(botLoad.sustained, floorLoad.sustained) : Number.NaN,
      },
      startup: {
        coldMs: round(coldMs, 0),
        warmMs,
        warmMedianMs: round(median(warmMs), 0),
        warmMilestones,
        firstAnswerMs,
        backlog: { messages: backlogMessages, readyMs: round(backlogReadyMs, 0), caughtUpMs: round(backlogCaughtUpMs, 0) },
        stops: stops.map((s) => ({ exitedOnTerm: s.exitedOnTerm, ms: round(s.ms, 0) })),
      },
      memory,
    };
  } finally {
    await echo?.stop();
    await Promise.all(senderClients.map((c) => c.client.stop()));
    await bot.stop().catch(() => undefined);
  }
}
