// `mchlink`: the admin CLI. Exit codes: 0 done, 1 failed (the message says why
// and what to do), 2 the province config is invalid (nothing was touched).
import { Command, Option } from "commander";
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadProvince } from "../config/load.ts";
import { demoPhoneWarning } from "../config/phone.ts";
import { reportCommand } from "../consult/report-command.ts";
import { smsStoreOf } from "../consult/sms-store.ts";
import { consultStoreOf } from "../consult/store.ts";
import type { Province } from "../config/schema.ts";
import { defaultDeployment, Deployment } from "../homeserver/deployment.ts";
import { isHealthy } from "../homeserver/process.ts";
import { renderProductionDeployment } from "../homeserver/production.ts";
import { Applier } from "../provision/apply.ts";
import { renderPlan, planJson } from "../provision/render.ts";
import { OnboardingSheet } from "../provision/sheet.ts";
import { writeOnboardingPages } from "../provision/onboarding.ts";
import { openDatabase } from "../store/db.ts";
import { devicesList, devicesLogout, resetPassword } from "./accounts.ts";
import { addBackupCommands } from "./backup.ts";
import { renderComposeSms } from "../sms/compose.ts";
import { startLocalKannel } from "../sms/local.ts";
import { addGuidesCommands } from "./guides.ts";
import { botPid, ensureBotRunning, ensureLocalSynapse, readPids, runBotForeground, runningPid, stopLocalStack, writePids } from "./stack.ts";

export class ConfigInvalid extends Error {}

const out = (line: string) => process.stdout.write(line + "\n");
const err = (line: string) => process.stderr.write(line + "\n");

function load(path: string): Province {
  const result = loadProvince(path);
  if (!result.ok) {
    for (const e of result.errors) err(e.message);
    err(`${result.errors.length} error(s) in ${path}; nothing was changed.`);
    throw new ConfigInvalid();
  }
  return result.province;
}

function deployment(cmd: Command): Deployment {
  const opts = cmd.optsWithGlobals<{ state?: string }>();
  return defaultDeployment(opts.state);
}

function progress(json: boolean): ((phase: string, done: number, total: number) => void) | undefined {
  if (json) return undefined;
  const tty = process.stderr.isTTY;
  return (phase, done, total) => {
    const step = Math.max(1, Math.floor(total / 10));
    if (tty) process.stderr.write(`\r  ${phase.replace("_", " ")}: ${done}/${total}${done === total ? "\n" : ""}`);
    else if (done === total || done % step === 0) err(`  ${phase.replace("_", " ")}: ${done}/${total}`);
  };
}

async function applyProvince(dep: Deployment, province: Province, opts: { prune: boolean; json: boolean; concurrency: number }): Promise<boolean> {
  const { http } = await dep.adminSession();
  const sheet = new OnboardingSheet(dep.path("onboarding"));
  const applier = new Applier(http, province, sheet, () => dep.botPassword(`@${province.bot.id}:${province.homeserver.server_name}`));
  const result = await applier.apply({ prune: opts.prune, concurrency: opts.concurrency, onProgress: progress(opts.json) });
  const hs = dep.requireHomeserver();
  const pages = await writeOnboardingPages(dep.path("onboarding"), province, sheet, hs.publicUrl ?? hs.baseUrl);
  if (opts.json) {
    out(
      JSON.stringify(
        {
          ...(planJson(result.plan) as object),
          applied: result.applied,
          failures: result.failures.map((f) => ({ kind: f.change.kind, error: f.error })),
          not_attempted: result.notAttempted,
          sheet: sheet.csvPath,
          pages,
        },
        null,
        2,
      ),
    );
  } else {
    if (result.plan.changes.length === 0) out("No changes. The homeserver already matches the config.");
    else out(`Applied ${result.applied} changes.`);
    if (result.plan.notInConfig.length > 0 && !opts.prune) {
      out(`${result.plan.notInConfig.length} account(s) in the rooms are not in the config: ${result.plan.notInConfig.join(", ")} (apply --prune deactivates them).`);
    }
    for (const w of result.plan.warnings) err(`warning: ${w}`);
    for (const f of result.failures.slice(0, 10)) err(`failed: ${f.error}`);
    if (result.notAttempted > 0) err(`The homeserver kept failing, so ${result.notAttempted} more change(s) were not tried.`);
    if (result.failures.length > 0) err(`${result.failures.length} change(s) failed; nothing is lost: fix the cause and run apply again to finish.`);
  }
  return result.failures.length === 0;
}

export function buildCli(): Command {
  const program = new Command("mchlink")
    .description("Provision and run mchlink: expert advice for maternal and child health, on Matrix")
    .addOption(new Option("--state <dir>", "deployment state folder (credentials, onboarding sheet)").env("MCHLINK_STATE"))
    .showHelpAfterError()
    .exitOverride();

  program
    .command("validate")
    .description("check a province config and print every error with its line")
    .argument("<config>", "province YAML file")
    .action((config: string) => {
      const p = load(config);
      const demo = demoPhoneWarning(p);
      if (demo) err(`warning: ${demo}`);
      out(`${config} is valid: ${p.districts.length} districts, ${p.districts.reduce((n, d) => n + d.facilities.length, 0)} facilities, ${p.people.length} people.`);
    });

  program
    .command("plan")
    .description("show what apply would change on the homeserver, without changing anything")
    .argument("<config>", "province YAML file")
    .option("--prune", "include deactivating people no longer in the config", false)
    .option("--verbose", "list every change instead of summarising long runs", false)
    .option("--json", "machine-readable output", false)
    .action(async (config: string, opts: { prune: boolean; verbose: boolean; json: boolean }, cmd: Command) => {
      const province = load(config);
      const dep = deployment(cmd);
      const { http } = await dep.adminSession();
      const { plan } = await new Applier(http, province, new OnboardingSheet(dep.path("onboarding")), () => "").plan(opts.prune);
      out(opts.json ? JSON.stringify(planJson(plan), null, 2) : renderPlan(plan, opts));
    });

  program
    .command("apply")
    .description("converge the homeserver to the config (safe to run again, safe to interrupt)")
    .argument("<config>", "province YAML file")
    .option("--prune", "deactivate people no longer in the config and remove them from the rooms", false)
    .option("--json", "machine-readable output", false)
    .option("--concurrency <n>", "requests in flight at once", (v) => Number(v), 4)
    .action(async (config: string, opts: { prune: boolean; json: boolean; concurrency: number }, cmd: Command) => {
      const province = load(config);
      // Before and after: the last lines are what an operator reads.
      const demo = demoPhoneWarning(province);
      if (demo) err(`\n*** WARNING: ${demo} ***\n`);
      if (!(await applyProvince(deployment(cmd), province, opts))) process.exitCode = 1;
      if (demo) err(`\n*** WARNING: ${demo} ***`);
    });

  program
    .command("up")
    .description("start the local Synapse (SQLite, loopback), provision the province and start the bot")
    .argument("[config]", "province YAML file", "config/bokeo.yaml")
    .action(async (config: string, _opts: unknown, cmd: Command) => {
      const province = load(config);
      const dep = deployment(cmd);
      const hs = await ensureLocalSynapse(dep, province, err);
      err(`Provisioning ${province.province.name.en} from ${config}`);
      const ok = await applyProvince(dep, province, { prune: false, json: false, concurrency: 4 });
      const kannel = runningPid(dep, "bearerbox") ? undefined : await startLocalKannel(dep, province, err);
      if (kannel) writePids(dep, { ...readPids(dep), bearerbox: kannel.bearerbox, smsbox: kannel.smsbox });
      const bot = await ensureBotRunning(dep, resolve(config), err);
      out("");
      out(`Homeserver:   ${hs.baseUrl}  (server name ${hs.serverName})`);
      out(`Log in from Element: tap "Sign in manually", type ${hs.baseUrl} as the account provider, then a username and password from the sheet.`);
      out(`Credentials:  ${dep.path("onboarding", "credentials.csv")} (0600; printable pages per facility: ${dep.path("onboarding", "index.html")})`);
      out(`Bot:          ${bot.userId} (pid ${bot.pid}; log ${bot.log})`);
      if (kannel) out(`SMS:          Kannel at ${kannel.sendsmsUrl} with a fake SMS centre; what would reach phones is in ${kannel.outbox}`);
      out(`Stop with:    npm run down`);
      if (!ok) process.exitCode = 1;
    });

  program
    .command("bot")
    .description("run the bot in the foreground (JSON logs on stdout; SIGTERM or Ctrl-C stops it cleanly)")
    .argument("[config]", "province YAML file", "config/bokeo.yaml")
    .option("--reset-identity", "replace the bot's cross-signing identity (people must verify it again)", false)
    .action(async (config: string, opts: { resetIdentity: boolean }, cmd: Command) => {
      const province = load(config);
      await runBotForeground(province, deployment(cmd), opts);
    });

  program
    .command("down")
    .description("stop what `up` started (data is kept)")
    .option("--destroy", "also delete the local homeserver's data and credentials", false)
    .action(async (opts: { destroy: boolean }, cmd: Command) => {
      const dep = deployment(cmd);
      await stopLocalStack(dep, err);
      if (opts.destroy) {
        rmSync(dep.dir, { recursive: true, force: true });
        err(`Deleted ${dep.dir}`);
      }
      out("Stopped.");
    });

  program
    .command("status")
    .description("where the homeserver is, where the credentials sheet is, and what runs")
    .option("--json", "machine-readable output", false)
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const dep = deployment(cmd);
      const hs = dep.homeserver();
      const synapsePid = runningPid(dep, "synapse");
      const bot = botPid(dep);
      const state = (pid: number | undefined) => (pid ? "running" : "stopped");
      const status = {
        state_dir: dep.dir,
        homeserver: hs ? { url: hs.baseUrl, server_name: hs.serverName, healthy: await isHealthy(hs.baseUrl) } : null,
        credentials_sheet: dep.path("onboarding", "credentials.csv"),
        services: {
          synapse: { state: state(synapsePid), pid: synapsePid ?? null },
          bot: { state: state(bot?.pid), pid: bot?.pid ?? null, foreground: bot?.foreground ?? false },
        },
      };
      if (opts.json) out(JSON.stringify(status, null, 2));
      else {
        out(`State folder:      ${status.state_dir}`);
        out(`Homeserver:        ${hs ? `${hs.baseUrl} (${hs.serverName}), ${status.homeserver!.healthy ? "healthy" : "not answering"}` : "none recorded (run npm run up)"}`);
        out(`Credentials sheet: ${status.credentials_sheet}`);
        for (const [name, s] of Object.entries(status.services)) {
          const how = "foreground" in s && s.foreground ? ", started with `mchlink bot`" : "";
          out(`${name.padEnd(18)} ${s.state}${s.pid ? ` (pid ${s.pid}${how})` : ""}`);
        }
      }
    });

  program
    .command("render-config")
    .description("for docker-compose: generate the production secrets once (0600), render Synapse's config (PostgreSQL, metrics, behind the proxy), the bot's state folder and Element's config")
    .argument("<config>", "province YAML file (server name, federation partners, retention)")
    .option("--out <dir>", "the folder docker-compose.yml mounts (MCHLINK_DEPLOY_DIR)", "deploy")
    .option("--public-url <url>", "the https URL phones connect to (default: https://<server name>)")
    .option("--workers", "Synapse workers with Redis (sync, client reads, event persister, federation sender, media) for docker compose --profile workers")
    .action((config: string, opts: { out: string; publicUrl?: string; workers?: boolean }) => {
      const province = load(config);
      const publicUrl = opts.publicUrl ?? `https://${province.homeserver.server_name}`;
      // In docker-compose, the setup service passes COMPOSE_PROFILES on: the `workers` profile renders for workers.
      opts.workers ||= (process.env.MCHLINK_COMPOSE_PROFILES ?? "")
        .split(",")
        .map((p) => p.trim())
        .includes("workers");
      const res = renderProductionDeployment({ province, outDir: resolve(opts.out), publicUrl, workers: opts.workers });
      const sms = renderComposeSms(province, res.outDir, new Deployment(join(res.outDir, "state")));
      res.created.push(...sms.created);
      res.warnings.push(...sms.warnings);
      out(`Rendered ${res.outDir} for ${province.homeserver.server_name} at ${publicUrl}:`);
      out(
        `  synapse/homeserver.yaml  PostgreSQL, metrics listener, behind the proxy; federation with ${province.federation.partners.length === 0 ? "nobody" : province.federation.partners.join(", ")}`,
      );
      if (opts.workers) out(`  synapse/workers/         one file per Synapse worker (sync, client reads, event persister, federation sender, media); Redis between them`);
      out(`  caddy/                   the proxy's routes to Synapse${opts.workers ? ", each documented endpoint to its worker" : ""}`);
      out(`  state/                   the bot's and the CLI's state folder (/state in the bot container)`);
      out(`  element/config.json      Element Web, locked to this homeserver (docker compose --profile element)`);
      if (province.sms) out(`  kannel/kannel.conf       the SMS gateway (docker compose --profile sms)`);
      for (const path of res.created) out(`New secret: ${path} (0600; back it up, it is never generated again)`);
      for (const w of res.warnings) err(`warning: ${w}`);
      if (opts.workers) {
        out(
          "Next: set COMPOSE_PROFILES=workers in .env (the workers and Redis start with the rest), then docker compose up -d; docker compose run --rm bot apply <province file> (docs/deployment.md).",
        );
      } else {
        out("Next: docker compose up -d postgres synapse caddy; docker compose run --rm bot apply <province file>; docker compose up -d (docs/deployment.md).");
      }
    });

  program
    .command("report")
    .description("consult figures for a period: counts, response times against target, escalation, referrals, outcomes")
    .argument("[config]", "province YAML file", "config/bokeo.yaml")
    .option("--from <date>", "first day, YYYY-MM-DD in the province's time zone (default: 29 days before --to)")
    .option("--to <date>", "last day, YYYY-MM-DD (default: today)")
    .option("--format <format>", "md, csv, json or html", "md")
    .addOption(new Option("--lang <lang>", "language shown first; the other follows").choices(["lo", "en"]).default("lo"))
    .action((config: string, opts: { from?: string; to?: string; format: string; lang: "lo" | "en" }, cmd: Command) => {
      const province = load(config);
      const database = deployment(cmd).path("bot", "bot.sqlite");
      if (!existsSync(database)) {
        err(`No bot database at ${database}: the bot has not recorded any consult yet. Start it with npm run up.`);
        process.exitCode = 1;
        return;
      }
      const db = openDatabase(database);
      try {
        // All of them: the report picks the period by the province's calendar and also counts what is open now.
        const consults = consultStoreOf(db).openedBetween(0, Number.MAX_SAFE_INTEGER);
        const smsPages = province.sms ? smsStoreOf(db).pagesBetween(0, Number.MAX_SAFE_INTEGER) : undefined;
        const result = reportCommand(consults, province, { ...opts, now: Date.now(), ...(smsPages ? { smsPages } : {}) });
        if (result.ok) process.stdout.write(result.output);
        else {
          err(result.error);
          process.exitCode = 1;
        }
      } finally {
        db.close();
      }
    });

  addBackupCommands(program, deployment, out, err);
  addGuidesCommands(program, out);

  const users = program.command("users").description("manage accounts");
  users
    .command("reset-password")
    .description("give a person a new initial password (written to the credentials sheet, never printed in logs)")
    .argument("<user>", "localpart or Matrix ID, e.g. hx-nurse-017")
    .option("--keep-devices", "do not log the person's phones out", false)
    .action(async (user: string, opts: { keepDevices: boolean }, cmd: Command) => {
      const dep = deployment(cmd);
      const res = await resetPassword(dep, user, { logoutDevices: !opts.keepDevices });
      out(`New initial password for ${res.userId} written to ${res.sheet}.`);
    });

  const devices = program.command("devices").description("sessions (phones) of accounts; for lost or stolen phones");
  devices
    .command("list")
    .description("list devices, optionally only those not seen for some days")
    .argument("[user]", "one account (default: every account)")
    .option("--stale <days>", "only devices not seen for this many days", (v) => Number(v))
    .option("--json", "machine-readable output", false)
    .action(async (user: string | undefined, opts: { stale?: number; json: boolean }, cmd: Command) => {
      const rows = await devicesList(deployment(cmd), { user, staleDays: opts.stale });
      if (opts.json) out(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) out("No devices.");
      else for (const r of rows) out(`${r.user_id}  ${r.device_id}  ${r.display_name ?? ""}  last seen ${r.last_seen ?? "never"}`);
    });
  devices
    .command("logout")
    .description("log out one device, or every device of an account (a lost or stolen phone)")
    .argument("<user>", "localpart or Matrix ID")
    .argument("[device]", "device id (default: all of the account's devices)")
    .action(async (user: string, device: string | undefined, _opts: unknown, cmd: Command) => {
      const n = await devicesLogout(deployment(cmd), user, device);
      out(`Logged out ${n} device(s).`);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof ConfigInvalid) return 2;
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === "string" && ce.code.startsWith("commander.")) {
      return ce.code === "commander.helpDisplayed" || ce.code === "commander.version" || ce.code === "commander.help" ? 0 : 2;
    }
    err(`mchlink: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
