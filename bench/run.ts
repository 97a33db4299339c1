// `npm run bench`: the numbers the issues ask for, each next to its floor
// measured in the same run. Starts its own Synapses (free ports, temporary
// folders) and bot; never touches an `npm run up` stack. Writes
// bench/results/<date>.json and .md and prints the summary.
//   node bench/run.ts            the full run (about 50 minutes on two cores)
//   node bench/run.ts --quick    a smoke run on the small test province
//   --memory-minutes N           how long the memory run may go on (default 30 minutes)
//   --skip-scaled                leave out the bigger roster
// Runs with any of these options write their results to a temporary folder.
//   node bench/run.ts --links         the link phase alone: a provider's phone on 3G and 2G links,
//                                     bytes and time per consult and per card (a few minutes);
//                                     its results go to bench/results/<date>-links.* (--quick: one
//                                     repeat instead of three, results to a temporary folder)
//   node bench/run.ts --memory-only   the memory measurement alone, on the demo province, to
//                                     10,000 handled messages (up to 45 minutes; --memory-minutes
//                                     changes that); its results go to bench/results/<date>-memory.*
//   node bench/run.ts --workers      Synapse with workers beside the single process, both on PostgreSQL
//                                     behind the production proxy: provisioning, round trip, sustained load
//                                     (a short variant: about 25 minutes); bench/results/<date>-workers.*
//   node bench/run.ts --crypto-store  where the bot's extra round-trip time goes: the same bot with its
//                                     durable crypto store, without the store's fsyncs, and with the
//                                     crypto state in memory, each alternating with the echo floor
//                                     (about 15 minutes); bench/results/<date>-crypto-store.*
//   node bench/run.ts --roster-postgres  the 10x roster applied for real on PostgreSQL beside its floor
//                                     (tens of minutes); results in bench/results/<date>-roster-x10-postgres.*
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { repoRoot } from "../src/homeserver/paths.ts";
import { routeLibraryLogs } from "../src/matrix/logging.ts";
import { loadProvince } from "../src/config/load.ts";
import { newDeployment, provision, SMALL_PROVINCE, type TestProvince } from "../test/support/province.ts";
import { startTestSynapse, type TestSynapse } from "../test/support/synapse.ts";
import { benchBot, benchMemoryOnly, type BotBenchOptions } from "./bot.ts";
import { benchCryptoStore } from "./crypto-store.ts";
import { benchLinks } from "./links.ts";
import { benchProvince, benchScaledRoster, type ProvisioningOptions } from "./provisioning.ts";
import { renderMarkdown, type BenchResults } from "./report.ts";
import { benchRosterOnPostgres } from "./roster-postgres.ts";
import { workerStackAvailability } from "../test/support/workers.ts";
import { benchWorkers } from "./workers.ts";
import { round } from "./stats.ts";

const quick = process.argv.includes("--quick");
/** `--memory-minutes N`: a longer memory run than the default, e.g. to reach 10,000 messages on a busy machine. */
const memoryFlag = process.argv.indexOf("--memory-minutes");
const memoryMinutes = memoryFlag === -1 ? undefined : Number(process.argv[memoryFlag + 1]);
if (memoryMinutes !== undefined && !(memoryMinutes > 0)) throw new Error("--memory-minutes needs a number of minutes, e.g. --memory-minutes 25");
const skipScaled = process.argv.includes("--skip-scaled");
const memoryOnly = process.argv.includes("--memory-only");
const rosterPostgres = process.argv.includes("--roster-postgres");
const workers = process.argv.includes("--workers");
const linksOnly = process.argv.includes("--links");
const cryptoStoreOnly = process.argv.includes("--crypto-store");
/** Runs that differ from the standard ones keep their results out of bench/results. */
const nonStandard = quick || skipScaled || (memoryMinutes !== undefined && !memoryOnly);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const provisioningOptions = (tmpDir: string): ProvisioningOptions =>
  quick
    ? { configPath: SMALL_PROVINCE, floorRuns: 1, floorUsers: 4, noopRuns: 1, scaledFactor: 10, scaledBudgetMs: 5 * 60_000, tmpDir }
    : { configPath: join(repoRoot, "config", "bokeo.yaml"), floorRuns: 2, floorUsers: 12, noopRuns: 3, scaledFactor: 10, scaledBudgetMs: 10 * 60_000, tmpDir };

const botOptions = quick
  ? {
      sendersPerRoom: 2,
      warmup: 3,
      roundTrips: 20,
      loadRates: [1, 2, 4],
      loadStepMs: 5_000,
      drainMs: 5_000,
      p99LimitMs: 2_000,
      warmStarts: 1,
      messages: 300,
      chatPerCommand: 4,
      memoryMaxMs: 60_000,
      sampleEvery: 50,
    }
  : {
      sendersPerRoom: 2,
      warmup: 10,
      roundTrips: 100,
      loadRates: [0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32],
      loadStepMs: 10_000,
      drainMs: 5_000,
      p99LimitMs: 2_000,
      warmStarts: 3,
      messages: 10_000,
      chatPerCommand: 4,
      memoryMaxMs: 30 * 60_000,
      sampleEvery: 250,
    };

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trimEnd();
  } catch {
    return "";
  }
}

function otherSynapses(): number {
  let count = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("python") && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("synapse.app.homeserver")) count++;
    } catch {
      // gone meanwhile
    }
  }
  return count;
}

async function main(): Promise<void> {
  await routeLibraryLogs(pino({ level: "warn" }, pino.destination(2)));
  const started = new Date();
  const t0 = performance.now();
  const tmpDir = mkdtempSync(join(tmpdir(), "mchlink-bench-"));
  const results: BenchResults = {
    run: {
      startedAt: started.toISOString(),
      minutes: 0,
      commit: git(["rev-parse", "--short", "HEAD"]),
      uncommitted: git(["status", "--porcelain", "--", "src", "config", "synapse", "test/support"])
        .split("\n")
        .filter(Boolean)
        .map((l) => l.slice(3)),
      node: process.version,
      synapse: "?",
      cpus: cpus().length,
      loadAverageAtStart: round(loadavg()[0]!, 1),
      loadAverageAtEnd: 0,
      otherSynapses: otherSynapses(),
    },
    errors: [],
  };
  const deploymentDirs: string[] = [];
  const popts = provisioningOptions(tmpDir);
  if (workers) {
    // Nothing to measure without worker mode: say why, and write no results file.
    const availability = workerStackAvailability();
    if (!availability.ok) {
      rmSync(tmpDir, { recursive: true, force: true });
      log(`--workers cannot run here: ${availability.reason}`);
      process.exitCode = 1;
      return;
    }
    results.run.database = "PostgreSQL";
    try {
      const opts = quick ? popts : { ...popts, floorRuns: 1, floorUsers: 8, noopRuns: 1 };
      const short = {
        ...botOptions,
        ...(quick ? {} : { roundTrips: 30, warmup: 5, loadRates: [1, 2, 4, 6, 8, 12], loadStepMs: 8_000, warmStarts: 1, messages: 300, memoryMaxMs: 60_000, sampleEvery: 50 }),
      };
      results.workers = await benchWorkers(opts, short);
      results.run.database = `PostgreSQL ${results.workers.postgres}`;
      results.run.synapse = "1.160.0 (the rootfs's)";
      for (const l of results.workers.layouts) if (l.error) results.errors.push({ section: `workers (${l.layout})`, error: l.error });
    } catch (err) {
      results.errors.push({ section: "workers", error: err instanceof Error ? err.message : String(err) });
      log(`workers failed: ${String(err)}`);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
    return finish(results, t0, started, "-workers");
  }
  if (rosterPostgres) {
    results.run.database = "PostgreSQL";
    try {
      results.rosterPostgres = await benchRosterOnPostgres({ ...popts, noopRuns: 2 }, popts.scaledFactor);
      results.run.database = `PostgreSQL ${results.rosterPostgres.postgres}`;
      results.run.synapse = results.rosterPostgres.synapse;
    } catch (err) {
      results.errors.push({ section: "roster on PostgreSQL", error: err instanceof Error ? err.message : String(err) });
      log(`roster on PostgreSQL failed: ${String(err)}`);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
    return finish(results, t0, started, `-roster-x${popts.scaledFactor}-postgres`);
  }
  if (memoryOnly) {
    await memoryRun(results, popts.configPath, tmpDir);
    return finish(results, t0, started, "-memory");
  }
  if (cryptoStoreOnly) {
    await cryptoStoreRun(results, popts.configPath, tmpDir);
    return finish(results, t0, started, "-crypto-store");
  }
  if (linksOnly) {
    await linksRun(results);
    rmSync(tmpDir, { recursive: true, force: true });
    return finish(results, t0, started, "-links");
  }
  try {
    log(`provisioning: floor and ${popts.configPath}`);
    const prov = await benchProvince(popts);
    results.provisioning = prov.result;
    deploymentDirs.push(prov.deployment.dir);
    const { http } = await prov.deployment.adminSession();
    results.run.synapse = (await http.get<{ server_version: string }>("/_synapse/admin/v1/server_version")).server_version;
    try {
      const options: BotBenchOptions = {
        hs: prov.hs,
        deployment: prov.deployment,
        province: prov.province,
        configPath: popts.configPath,
        ...botOptions,
        ...(memoryMinutes ? { memoryMaxMs: memoryMinutes * 60_000 } : {}),
      };
      results.bot = await benchBot(options);
    } catch (err) {
      results.errors.push({ section: "bot", error: err instanceof Error ? err.message : String(err) });
      log(`bot figures failed: ${String(err)}`);
    } finally {
      await prov.hs.destroy();
    }
    await linksRun(results);
    if (!skipScaled) {
      log("provisioning: a bigger roster");
      try {
        prov.result.scaled = await benchScaledRoster(popts, prov.result.bokeo);
      } catch (err) {
        results.errors.push({ section: "bigger roster", error: err instanceof Error ? err.message : String(err) });
        log(`bigger roster failed: ${String(err)}`);
      }
    }
  } catch (err) {
    results.errors.push({ section: "provisioning", error: err instanceof Error ? err.message : String(err) });
    log(`provisioning failed: ${String(err)}`);
  } finally {
    for (const dir of [...deploymentDirs, tmpDir]) rmSync(dir, { recursive: true, force: true });
  }
  finish(results, t0, started, "");
}

/** The link phase (bench/links.ts): its own Synapse and bot. */
async function linksRun(results: BenchResults): Promise<void> {
  try {
    const repeats = quick ? 1 : 3;
    const plain = await benchLinks({ profiles: ["3G", "2G"], repeats, log });
    // The same on 2G with compressed responses: what turning compression on would save.
    const gzip = await benchLinks({ profiles: ["2G"], repeats, gzip: true, log });
    results.links = { ...plain, figures: [...plain.figures, ...gzip.figures] };
    if (results.run.synapse === "?") results.run.synapse = plain.synapse;
  } catch (err) {
    results.errors.push({ section: "links", error: err instanceof Error ? err.message : String(err) });
    log(`link figures failed: ${String(err)}`);
  }
}

type Provisioned = TestProvince & { hs: TestSynapse };

/** A phase on its own: the province applied (not timed) on a Synapse of its own, then `phase`; its failure is recorded under `section`. */
async function onProvince(results: BenchResults, configPath: string, tmpDir: string, section: string, phase: (p: Provisioned) => Promise<void>): Promise<void> {
  const loaded = loadProvince(configPath);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const hs = await startTestSynapse({ serverName: loaded.province.homeserver.server_name });
  try {
    log(`applying ${configPath}`);
    const prov = await provision(hs, configPath, newDeployment(hs));
    const { http } = await prov.deployment.adminSession();
    results.run.synapse = (await http.get<{ server_version: string }>("/_synapse/admin/v1/server_version")).server_version;
    await phase({ ...prov, hs });
    rmSync(prov.deployment.dir, { recursive: true, force: true });
  } catch (err) {
    results.errors.push({ section, error: err instanceof Error ? err.message : String(err) });
    log(`${section} run failed: ${String(err)}`);
  } finally {
    await hs.destroy();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** `--memory-only`: the bot's memory over a long conversation. */
async function memoryRun(results: BenchResults, configPath: string, tmpDir: string): Promise<void> {
  await onProvince(results, configPath, tmpDir, "memory", async ({ hs, deployment, province }) => {
    results.memoryOnly = await benchMemoryOnly({ hs, deployment, province, configPath, ...botOptions, memoryMaxMs: (memoryMinutes ?? 45) * 60_000 });
  });
}

/** `--crypto-store`: the bot's round trip with its durable crypto store, without its fsyncs, and in memory. */
async function cryptoStoreRun(results: BenchResults, configPath: string, tmpDir: string): Promise<void> {
  await onProvince(results, configPath, tmpDir, "crypto store", async ({ hs, deployment, province }) => {
    results.cryptoStore = await benchCryptoStore({
      hs,
      deployment,
      province,
      configPath,
      sendersPerRoom: botOptions.sendersPerRoom,
      warmup: botOptions.warmup,
      runs: quick ? 20 : 80,
      repeats: quick ? 1 : 2,
    });
  });
}

function finish(results: BenchResults, t0: number, started: Date, suffix: string): void {
  results.run.minutes = round((performance.now() - t0) / 60_000, 1);
  results.run.loadAverageAtEnd = round(loadavg()[0]!, 1);

  const markdown = renderMarkdown(results);
  const dir = nonStandard ? mkdtempSync(join(tmpdir(), "mchlink-bench-results-")) : join(repoRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const name = started.toISOString().slice(0, 10) + suffix;
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(join(dir, `${name}.md`), markdown + "\n");
  process.stdout.write(`\n${markdown}\nWritten: ${join(dir, name)}.json and .md\n`);
  if (results.errors.length > 0) process.exitCode = 1;
}

await main();
