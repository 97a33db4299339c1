// The real `mchlink` CLI as child processes, for the fault and log-scan tests: `apply`
// provisions the province, `bot` runs the bot in the foreground exactly as an operator would,
// and everything both print goes to log files the test keeps (and later scans for secrets).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { botPaths } from "../../src/homeserver/deployment.ts";
import { loadProvince } from "../../src/config/load.ts";
import { desiredState } from "../../src/provision/desired.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";
import { readJsonIfExists } from "../../src/util/files.ts";
import { newDeployment, SMALL_PROVINCE, type TestProvince } from "./province.ts";
import type { TestSynapse } from "./synapse.ts";

const CLI = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

/** Runs `node src/cli/main.ts ARGS` with stdout and stderr appended to `logFile`. */
function spawnCli(args: string[], logFile: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const out = openSync(logFile, "a", 0o600);
  try {
    return spawn(process.execPath, ["--disable-warning=ExperimentalWarning", CLI, ...args], {
      stdio: ["ignore", out, out],
      env: { ...process.env, ...env },
    });
  } finally {
    closeSync(out);
  }
}

function tail(logFile: string, lines = 15): string {
  return existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n") : "";
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** `mchlink --state DIR apply CONFIG` in a child process; the province with its sheet's passwords. */
export async function provisionWithCli(hs: TestSynapse, logFile: string, configPath = SMALL_PROVINCE): Promise<TestProvince> {
  const loaded = loadProvince(configPath);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const deployment = newDeployment(hs);
  const { code } = await exitOf(spawnCli(["--state", deployment.dir, "apply", configPath], logFile));
  if (code !== 0) throw new Error(`mchlink apply exited ${code}:\n${tail(logFile)}`);
  const server = loaded.province.homeserver.server_name;
  return {
    province: loaded.province,
    configPath,
    deployment,
    userId: (localpart) => `@${localpart}:${server}`,
    password(localpart) {
      const p = new OnboardingSheet(deployment.path("onboarding")).passwordFor(`@${localpart}:${server}`);
      if (!p) throw new Error(`no password for ${localpart} in the sheet`);
      return p;
    },
  };
}

/** `mchlink --state <the province's deployment> ARGS` to its end, output appended to `logFile`; its exit code. */
export async function runCli(p: TestProvince, logFile: string, ...args: string[]): Promise<number | null> {
  return (await exitOf(spawnCli(["--state", p.deployment.dir, ...args], logFile))).code;
}

/** The alias of a province room by its key (e.g. "district:north"), as `apply` created it. */
export function roomAlias(p: TestProvince, key: string): string {
  const room = desiredState(p.province).rooms.find((r) => r.key === key);
  if (!room) throw new Error(`no room ${key} in the province`);
  return `#${room.alias}:${p.province.homeserver.server_name}`;
}

export interface BotProcess {
  readonly pid: number;
  readonly exited: Promise<Exit>;
  kill(): Promise<Exit>;
  /** SIGTERM: the bot stops cleanly (exit code 0). */
  stop(): Promise<Exit>;
}

/**
 * `mchlink --state DIR bot CONFIG`, its JSON log appended to `logFile`; resolves once the bot
 * has synced, i.e. once `<state>/bot/status.json` names this process.
 */
export async function startBotProcess(p: TestProvince, logFile: string, timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<BotProcess> {
  const child = spawnCli(["--state", p.deployment.dir, "bot", p.configPath], logFile, env);
  const exited = exitOf(child);
  const pid = child.pid!;
  const status = botPaths(p.deployment).status;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (readJsonIfExists<{ pid: number }>(status)?.pid === pid) break;
    if (gone) throw new Error(`the bot exited while starting:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the bot did not report itself synced within ${timeoutMs} ms:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid,
    exited,
    kill() {
      child.kill("SIGKILL");
      return exited;
    },
    stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
