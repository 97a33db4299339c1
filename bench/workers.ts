// `npm run bench -- --workers` (issue 15): the worker setup beside the single
// process in the same run. Both on PostgreSQL (test/support/postgres.ts), both
// behind the production Caddyfile (test/support/workers.ts), so the only
// difference is Synapse's layout: one process, or the main process with workers
// for sync, client reads, event persistence, federation sending and media,
// coordinated through Redis. For each: provisioning with its floor
// (bench/provisioning.ts), then the bot's round trip and sustained load with
// theirs (bench/bot.ts), with every Synapse process's CPU.
import { loadProvince } from "../src/config/load.ts";
import { newDeployment } from "../test/support/province.ts";
import { startWorkerStack, workerStackAvailability } from "../test/support/workers.ts";
import { benchBot, type BotBenchOptions, type BotResult } from "./bot.ts";
import { floorAndApply, PRODUCTION_HASHING, type ApplyFigure, type ProvisioningOptions } from "./provisioning.ts";
import { median, round } from "./stats.ts";

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export type Layout = "single" | "workers";

export interface LayoutFigures {
  layout: Layout;
  /** Synapse's processes (main, then workers). */
  processes: string[];
  /** Seconds from nothing to every process healthy behind the proxy. */
  startupS: number;
  provisioning?: ApplyFigure;
  bot?: BotResult;
  error?: string;
}

export interface WorkersResult {
  config: string;
  postgres: string;
  layouts: LayoutFigures[];
}

type BotOptions = Omit<BotBenchOptions, "hs" | "deployment" | "province" | "configPath" | "synapsePids">;

export async function benchWorkers(popts: ProvisioningOptions, botOptions: BotOptions): Promise<WorkersResult> {
  const availability = workerStackAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  const loaded = loadProvince(popts.configPath);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const province = loaded.province;
  const result: WorkersResult = { config: popts.configPath.split("/").at(-1)!, postgres: "?", layouts: [] };
  for (const layout of ["single", "workers"] as const) {
    log(`${layout}: PostgreSQL, Synapse${layout === "workers" ? " with workers and Redis" : " as one process"}, the production proxy`);
    const t0 = performance.now();
    const stack = await startWorkerStack({ serverName: province.homeserver.server_name, overrides: PRODUCTION_HASHING, workers: layout === "workers" });
    const figures: LayoutFigures = { layout, processes: stack.processes, startupS: round((performance.now() - t0) / 1000, 1) };
    result.layouts.push(figures);
    try {
      result.postgres = stack.pg.query("SHOW server_version").split(" ")[0]!;
      const deployment = newDeployment(stack.hs);
      figures.provisioning = await floorAndApply(stack.hs, deployment, popts.configPath, province, 1, popts, 30 * 60_000);
      figures.bot = await benchBot({
        hs: stack.hs,
        deployment,
        province,
        configPath: popts.configPath,
        ...botOptions,
        synapsePids: () => Object.fromEntries(stack.processes.map((name) => [name === "main" ? "synapse" : name, stack.pid(name)])),
      });
    } catch (err) {
      figures.error = err instanceof Error ? err.message : String(err);
      log(`${layout} failed: ${figures.error}`);
    } finally {
      await stack.destroy();
    }
  }
  return result;
}

const s = (ms: number) => `${round(ms / 1000, 1)} s`;
const msf = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : "unanswered");

/** The CPU of Synapse's processes together (percent of one core) at a load step. */
function synapseCpu(cpu: Record<string, number>): number {
  return Object.entries(cpu)
    .filter(([name]) => name !== "bot" && name !== "echo" && name !== "clients")
    .reduce((sum, [, pct]) => sum + pct, 0);
}

export function workersSection(r: WorkersResult): string[] {
  const out = [
    "## Synapse workers beside the single process (issue 15)",
    "",
    `Both layouts on PostgreSQL ${r.postgres} (\`fsync=off\`, as in the suite) and behind the production Caddyfile (docker/Caddyfile, plain HTTP on loopback), ` +
      `measured one after the other in this run with ${r.config}; \`bcrypt_rounds: 12\`, rate limits raised. ` +
      "Single: one Synapse process. Workers: the main process plus sync1 (sync, sliding sync), client1 (client reads), events1 (event persister), federation_sender1 and media1, with Redis (src/homeserver/workers.ts). " +
      "The bot and the bench's clients reach Synapse through the proxy's internal site, which has the same routes as the public one.",
    "",
    "| | single process | workers |",
    "| --- | --- | --- |",
  ];
  const by = (layout: Layout) => r.layouts.find((l) => l.layout === layout);
  const single = by("single");
  const workers = by("workers");
  const row = (label: string, f: (l: LayoutFigures) => string | undefined) => out.push(`| ${label} | ${single ? (f(single) ?? "–") : "–"} | ${workers ? (f(workers) ?? "–") : "–"} |`);
  row("Synapse processes", (l) => `${l.processes.length} (${l.processes.join(", ")})`);
  row("start, from nothing to healthy behind the proxy", (l) => `${l.startupS} s`);
  row("apply from empty", (l) => l.provisioning && `${s(l.provisioning.fromEmpty.ms)} (floor ${s(l.provisioning.floorMs)}, ${l.provisioning.ratio}x)`);
  row("… floor: admin-API users/s, four at a time", (l) => l.provisioning && `${l.provisioning.floor.medianFour}/s`);
  row("… floor: admin-API joins/s, four rooms at a time", (l) => l.provisioning && `${l.provisioning.floor.medianJoinsFour}/s`);
  row("no-op re-apply", (l) => l.provisioning && s(median(l.provisioning.noop.map((n) => n.ms))));
  row("round trip `!guide pph`, p50 / p99", (l) => l.bot && `${msf(l.bot.roundTrip.bot.p50)} / ${msf(l.bot.roundTrip.bot.p99)}`);
  row("… floor (echo client), p50 / p99", (l) => l.bot && `${msf(l.bot.roundTrip.floor.p50)} / ${msf(l.bot.roundTrip.floor.p99)}`);
  row("consult card, p50 / p99", (l) => l.bot?.consultRoundTrip && `${msf(l.bot.consultRoundTrip.bot.p50)} / ${msf(l.bot.consultRoundTrip.bot.p99)}`);
  row("sustained commands/s (all answered, p99 < limit)", (l) => l.bot && `${l.bot.load.bot.sustained}/s (floor ${l.bot.load.floor.sustained}/s)`);
  row("Synapse CPU at the top bot step (% of one core, all its processes)", (l) => {
    const top = l.bot?.load.bot.steps.at(-1);
    return top && `${synapseCpu(top.cpu.processes)}% at ${top.rate}/s (machine ${top.cpu.machine}% of both cores)`;
  });
  out.push("");
  for (const l of r.layouts) {
    if (l.error) out.push(`**${l.layout} failed:** ${l.error}`, "");
    if (!l.bot) continue;
    out.push(`Load steps, ${l.layout}:`, "", "| rate | answered | p50 | p99 | CPU (% of one core) |", "| --- | --- | --- | --- | --- |");
    for (const st of l.bot.load.bot.steps) {
      out.push(
        `| ${st.rate}/s | ${st.answered}/${st.sent} | ${msf(st.latency.p50)} | ${msf(st.latency.p99)} | ${Object.entries(st.cpu.processes)
          .map(([n, p]) => `${n} ${p}%`)
          .join(", ")}; machine ${st.cpu.machine}% |`,
      );
    }
    out.push("");
  }
  return out;
}
