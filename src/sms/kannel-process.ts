// Running Kannel from Debian's packages (`kannel`: bearerbox and smsbox; `kannel-extras`:
// the fake SMS centre): for the tests and for `npm run up`. Loopback only; the caller
// writes the configuration (kannel-config.ts) and stops what it started.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { KANNEL_LOG_LEVEL } from "./kannel-config.ts";

export const BEARERBOX = "/usr/sbin/bearerbox";
export const SMSBOX = "/usr/sbin/smsbox";
export const FAKESMSC = "/usr/lib/kannel/test/fakesmsc";
export const KANNEL_PACKAGES = ["kannel", "kannel-extras"];

export function kannelInstalled(): boolean {
  return existsSync(BEARERBOX) && existsSync(SMSBOX) && existsSync(FAKESMSC);
}

export interface RunningKannel {
  bearerbox: ChildProcess;
  smsbox: ChildProcess;
  sendsmsUrl: string;
}

export interface StartKannelOptions {
  configFile: string;
  /** Logs of the processes' own output go here. */
  dir: string;
  sendsmsPort: number;
  /** Keep running after this process exits (`npm run up`). */
  detached?: boolean;
}

/** Starts bearerbox then smsbox, and waits until smsbox's sendsms port answers. */
export async function startKannel(opts: StartKannelOptions): Promise<RunningKannel> {
  mkdirSync(join(opts.dir, "spool"), { recursive: true, mode: 0o700 });
  const run = (program: string, name: string) => {
    const out = openSync(join(opts.dir, `${name}.out`), "a", 0o600);
    const child = spawn(program, ["-v", String(KANNEL_LOG_LEVEL), opts.configFile], { stdio: ["ignore", out, out], detached: opts.detached ?? false });
    closeSync(out);
    if (opts.detached) child.unref();
    return child;
  };
  const bearerbox = run(BEARERBOX, "bearerbox");
  await sleep(300);
  const smsbox = run(SMSBOX, "smsbox");
  const sendsmsUrl = `http://127.0.0.1:${opts.sendsmsPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    // An answer of any kind (a 4xx without credentials) means smsbox is up and connected.
    const up = await fetch(`${sendsmsUrl}/cgi-bin/sendsms`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (up) return { bearerbox, smsbox, sendsmsUrl };
    if (bearerbox.exitCode !== null || smsbox.exitCode !== null || Date.now() > deadline) {
      stopChild(smsbox);
      stopChild(bearerbox);
      throw new Error(`Kannel did not start; see ${join(opts.dir, "bearerbox.log")} and ${join(opts.dir, "smsbox.log")}`);
    }
    await sleep(200);
  }
}

export async function stopKannel(k: RunningKannel): Promise<void> {
  await stopChildAndWait(k.smsbox);
  await stopChildAndWait(k.bearerbox);
}

function stopChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}

export async function stopChildAndWait(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
