// Provisioning figures (issue 2): `mchlink apply` of the Bokeo demo from empty
// and again as a no-op, and of a bigger roster, next to Synapse's own rates of
// creating users and joining them to rooms through the admin API, measured on
// the same Synapse. Password hashing bounds user creation, so these Synapses
// hash like production (bcrypt_rounds 12, Synapse's default) while keeping the
// test profile's raised rate limits.
import { randomBytes } from "node:crypto";
import { basename } from "node:path";
import { loadProvince } from "../src/config/load.ts";
import type { Province } from "../src/config/schema.ts";
import type { Deployment } from "../src/homeserver/deployment.ts";
import { enc, type MatrixHttp } from "../src/matrix/http.ts";
import { desiredState } from "../src/provision/desired.ts";
import { mapLimited } from "../src/util/concurrency.ts";
import { newDeployment } from "../test/support/province.ts";
import { startTestSynapse, type TestSynapse } from "../test/support/synapse.ts";
import { phaseTimes, progress, runCli, type Phase } from "./cli.ts";
import { writeScaledRoster } from "./roster.ts";
import { median, round } from "./stats.ts";

export const PRODUCTION_HASHING = { bcrypt_rounds: 12 };

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export interface CreationRate {
  concurrency: number;
  users: number;
  ms: number;
  perSecond: number;
}

export interface JoinRate {
  concurrency: number;
  rooms: number;
  joins: number;
  ms: number;
  perSecond: number;
}

export interface ApplyRun {
  ms: number;
  code: number | null;
  phases: Phase[];
  /** Every progress line (phase, done, ms since start), to see whether a phase slows down as it goes. */
  progress: Array<[string, number, number]>;
  /** The CLI's summary line ("Applied 1429 changes.", "No changes. …"). */
  summary: string;
}

export interface Floor {
  /** Admin-API user creation with a password, as apply does it. */
  oneAtATime: CreationRate[];
  fourAtATime: CreationRate[];
  medianOne: number;
  medianFour: number;
  /** Admin-API joins of existing users: one at a time into one room, and four at a time, one per room. */
  joinsOneAtATime: JoinRate[];
  joinsFourAtATime: JoinRate[];
  medianJoinsOne: number;
  medianJoinsFour: number;
}

export interface ApplyFigure {
  config: string;
  factor: number;
  accounts: number;
  memberships: number;
  rooms: number;
  /** Measured on the same Synapse just before and just after the apply; the medians are over both. */
  floor: Floor;
  floorDrift: { before: { users: number; joins: number }; after: { users: number; joins: number } };
  fromEmpty: ApplyRun;
  noop: ApplyRun[];
  /** What this apply's accounts and joins cost Synapse alone, at the floor's four-at-a-time rates. */
  floorMs: number;
  ratio: number;
  /** The same split by phase: creating the accounts, and joining them to the rooms. */
  accountsFloorMs: number;
  accountsRatio: number;
  joinsFloorMs: number;
  joinsRatio: number;
}

export interface Extrapolation {
  factor: number;
  accounts: number;
  joins: number;
  ms: number;
  method: string;
}

export interface ProvisioningResult {
  synapse: { bcryptRounds: number; rateLimits: string };
  bokeo: ApplyFigure;
  scaled?: ApplyFigure & { extrapolated?: Extrapolation };
}

async function creationRate(hs: TestSynapse, http: MatrixHttp, prefix: string, users: number, concurrency: number): Promise<CreationRate> {
  const ids = Array.from({ length: users }, (_, i) => `@${prefix}-${i}:${hs.serverName}`);
  const started = performance.now();
  // The same request apply makes for a new account.
  await mapLimited(ids, concurrency, (id) =>
    http.put(`/_synapse/admin/v2/users/${enc(id)}`, { password: randomBytes(12).toString("base64url"), displayname: "bench floor", admin: false, logout_devices: false }),
  );
  const ms = performance.now() - started;
  return { concurrency, users, ms: round(ms, 0), perSecond: round(users / (ms / 1000), 2) };
}

/** Joins existing users to fresh private encrypted rooms, `concurrency` rooms at a time, one join in flight per room. */
async function joinRate(http: MatrixHttp, users: string[], concurrency: number): Promise<JoinRate> {
  const rooms = await Promise.all(
    Array.from(
      { length: concurrency },
      async () =>
        (
          await http.post<{ room_id: string }>("/_matrix/client/v3/createRoom", {
            preset: "private_chat",
            visibility: "private",
            room_version: "11",
            initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
          })
        ).room_id,
    ),
  );
  const started = performance.now();
  await Promise.all(
    rooms.map(async (roomId, r) => {
      for (let i = r; i < users.length; i += concurrency) await http.post(`/_synapse/admin/v1/join/${enc(roomId)}`, { user_id: users[i] });
    }),
  );
  const ms = performance.now() - started;
  return { concurrency, rooms: rooms.length, joins: users.length, ms: round(ms, 0), perSecond: round(users.length / (ms / 1000), 2) };
}

function floorOf(oneAtATime: CreationRate[], fourAtATime: CreationRate[], joinsOneAtATime: JoinRate[], joinsFourAtATime: JoinRate[]): Floor {
  return {
    oneAtATime,
    fourAtATime,
    medianOne: median(oneAtATime.map((r) => r.perSecond)),
    medianFour: median(fourAtATime.map((r) => r.perSecond)),
    joinsOneAtATime,
    joinsFourAtATime,
    medianJoinsOne: median(joinsOneAtATime.map((r) => r.perSecond)),
    medianJoinsFour: median(joinsFourAtATime.map((r) => r.perSecond)),
  };
}

const mergeFloors = (a: Floor, b: Floor) =>
  floorOf([...a.oneAtATime, ...b.oneAtATime], [...a.fourAtATime, ...b.fourAtATime], [...a.joinsOneAtATime, ...b.joinsOneAtATime], [...a.joinsFourAtATime, ...b.joinsFourAtATime]);

/** Synapse's own rates on this server; `label` keeps the floor users of each measurement apart. */
async function measureFloor(hs: TestSynapse, http: MatrixHttp, label: string, runs: number, users: number): Promise<Floor> {
  const oneAtATime: CreationRate[] = [];
  const fourAtATime: CreationRate[] = [];
  const joinsOneAtATime: JoinRate[] = [];
  const joinsFourAtATime: JoinRate[] = [];
  const created: string[] = [];
  for (let run = 0; run < runs; run++) {
    oneAtATime.push(await creationRate(hs, http, `floor-${label}-one-${run}`, users, 1));
    fourAtATime.push(await creationRate(hs, http, `floor-${label}-four-${run}`, users * 2, 4));
    created.push(...Array.from({ length: users * 2 }, (_, i) => `@floor-${label}-four-${run}-${i}:${hs.serverName}`));
  }
  for (let run = 0; run < runs; run++) {
    joinsOneAtATime.push(await joinRate(http, created.slice(0, users * 2), 1));
    joinsFourAtATime.push(await joinRate(http, created.slice(0, users * 4), 4));
  }
  const floor = floorOf(oneAtATime, fourAtATime, joinsOneAtATime, joinsFourAtATime);
  log(`floor ${label}: users ${floor.medianOne}/s one at a time, ${floor.medianFour}/s four at a time; joins ${floor.medianJoinsOne}/s in one room, ${floor.medianJoinsFour}/s over four rooms`);
  return floor;
}

function size(province: Province) {
  const desired = desiredState(province);
  return { accounts: desired.users.length, rooms: desired.rooms.length, memberships: desired.rooms.reduce((n, r) => n + r.members.length, 0) };
}

function applyRun(run: Awaited<ReturnType<typeof runCli>>): ApplyRun {
  const summary = run.lines.map((l) => l.line).find((l) => /^(Applied \d+ changes|No changes)/.test(l)) ?? run.lines.at(-1)?.line ?? "";
  return { ms: round(run.ms, 0), code: run.code, phases: phaseTimes(run).map((p) => ({ ...p, endMs: round(p.endMs, 0), ms: round(p.ms, 0) })), progress: progress(run), summary };
}

/**
 * Floor, `mchlink apply` from empty, no-op re-applies, floor again, all on `hs`:
 * the machine's load drifts over minutes, so the floor brackets the apply.
 */
export async function floorAndApply(hs: TestSynapse, dep: Deployment, config: string, province: Province, factor: number, opts: ProvisioningOptions, timeoutMs: number): Promise<ApplyFigure> {
  const { http } = await dep.adminSession();
  const before = await measureFloor(hs, http, "before", opts.floorRuns, opts.floorUsers);
  const s = size(province);
  log(`apply ${config} from empty: ${s.accounts} accounts, ${s.memberships} memberships in ${s.rooms} rooms`);
  const fromEmpty = applyRun(await runCli(["--state", dep.dir, "apply", config], timeoutMs));
  if (fromEmpty.code !== 0) throw new Error(`mchlink apply ${config} exited ${fromEmpty.code}: ${fromEmpty.summary}`);
  log(`  ${round(fromEmpty.ms / 1000)} s: ${fromEmpty.phases.map((p) => `${p.phase} ${round(p.ms / 1000)} s`).join(", ")}`);
  const noop: ApplyRun[] = [];
  for (let i = 0; i < opts.noopRuns; i++) {
    const run = applyRun(await runCli(["--state", dep.dir, "apply", config], timeoutMs));
    if (run.code !== 0 || !run.summary.startsWith("No changes")) throw new Error(`the re-apply of ${config} was not a no-op: ${run.summary}`);
    noop.push(run);
  }
  log(`  no-op re-apply: ${noop.map((r) => `${round(r.ms / 1000)} s`).join(", ")}`);
  const after = await measureFloor(hs, http, "after", opts.floorRuns, opts.floorUsers);
  const floor = mergeFloors(before, after);
  const phaseMs = (name: string) => fromEmpty.phases.find((p) => p.phase === name)?.ms ?? 0;
  const joins = fromEmpty.phases.find((p) => p.phase === "join")?.count ?? s.memberships;
  const accountsFloorMs = (s.accounts / floor.medianFour) * 1000;
  const joinsFloorMs = (joins / floor.medianJoinsFour) * 1000;
  const floorMs = accountsFloorMs + joinsFloorMs;
  return {
    config: basename(config),
    factor,
    ...s,
    floor,
    floorDrift: { before: { users: before.medianFour, joins: before.medianJoinsFour }, after: { users: after.medianFour, joins: after.medianJoinsFour } },
    fromEmpty,
    noop,
    floorMs: round(floorMs, 0),
    ratio: round(fromEmpty.ms / floorMs, 2),
    accountsFloorMs: round(accountsFloorMs, 0),
    accountsRatio: round(phaseMs("create user") / accountsFloorMs, 2),
    joinsFloorMs: round(joinsFloorMs, 0),
    joinsRatio: round(phaseMs("join") / joinsFloorMs, 2),
  };
}

export interface ProvisioningOptions {
  configPath: string;
  floorRuns: number;
  floorUsers: number;
  noopRuns: number;
  /** Roster factor to show growth; measured as is if the 1x apply predicts it done within `scaledBudgetMs`, else 3x and extrapolated. */
  scaledFactor: number;
  scaledBudgetMs: number;
  tmpDir: string;
}

/**
 * The province from empty on a Synapse that stays up for the bot's figures.
 * The floor users it creates are in no room, so apply does not see them.
 */
export async function benchProvince(opts: ProvisioningOptions): Promise<{ result: ProvisioningResult; hs: TestSynapse; deployment: Deployment; province: Province }> {
  const loaded = loadProvince(opts.configPath);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const province = loaded.province;
  const hs = await startTestSynapse({ serverName: province.homeserver.server_name, overrides: PRODUCTION_HASHING });
  const dep = newDeployment(hs);
  try {
    const bokeo = await floorAndApply(hs, dep, opts.configPath, province, 1, opts, 30 * 60_000);
    return {
      result: { synapse: { bcryptRounds: PRODUCTION_HASHING.bcrypt_rounds, rateLimits: "raised (synapse/profiles/test.yaml), so that only hashing and Synapse's own work bound the rates" }, bokeo },
      hs,
      deployment: dep,
      province,
    };
  } catch (err) {
    await hs.destroy();
    throw err;
  }
}

/**
 * The bigger roster on a fresh Synapse with the same config, with its own
 * floor. When the 1x run predicts more than the budget, 3x is measured and the
 * full factor extrapolated from it: each phase's time per account or join at
 * 3x, times the accounts and joins at the full factor (linear from 3x; how the
 * ratio to the floor moved from 1x to 3x says whether that is optimistic).
 */
export async function benchScaledRoster(opts: ProvisioningOptions, bokeo: ApplyFigure): Promise<NonNullable<ProvisioningResult["scaled"]>> {
  const predicted = bokeo.fromEmpty.ms * opts.scaledFactor;
  const factor = predicted <= opts.scaledBudgetMs ? opts.scaledFactor : 3;
  if (factor !== opts.scaledFactor) log(`${opts.scaledFactor}x would take about ${round(predicted / 60_000)} min or more; measuring 3x and extrapolating`);
  const { path, province } = writeScaledRoster(opts.configPath, factor, opts.tmpDir);
  const hs = await startTestSynapse({ serverName: province.homeserver.server_name, overrides: PRODUCTION_HASHING });
  let figure: ApplyFigure;
  try {
    figure = await floorAndApply(hs, newDeployment(hs), path, province, factor, { ...opts, noopRuns: 1 }, 45 * 60_000);
  } finally {
    await hs.destroy();
  }
  if (factor === opts.scaledFactor) return figure;
  const full = size(writeScaledRoster(opts.configPath, opts.scaledFactor, opts.tmpDir).province);
  const measuredJoins = figure.fromEmpty.phases.find((p) => p.phase === "join")?.count ?? figure.memberships;
  const fullJoins = Math.round(measuredJoins * (full.memberships / figure.memberships));
  const ms = figure.fromEmpty.phases.reduce((total, p) => {
    if (p.phase === "create user") return total + p.ms * (full.accounts / figure.accounts);
    if (p.phase === "join") return total + p.ms * (fullJoins / measuredJoins);
    return total + p.ms;
  }, 0);
  return {
    ...figure,
    extrapolated: {
      factor: opts.scaledFactor,
      accounts: full.accounts,
      joins: fullJoins,
      ms: round(ms, 0),
      method: `the ${factor}x run's time per account and per join, times the accounts and joins of ${opts.scaledFactor}x; other phases as at ${factor}x`,
    },
  };
}
